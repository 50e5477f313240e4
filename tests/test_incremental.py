"""Incremental and parallel builds: only what changed is rebuilt; workers change nothing."""

from __future__ import annotations

import os
from pathlib import Path

from conftest import DATA

from pressroom.build import build
from pressroom.incremental import MANIFEST
from pressroom.project import Project


def two_articles(make_project) -> Project:
    return Project.at(make_project({
        "en/complete.md": DATA / "articles/complete.md",
        "en/blue.png": DATA / "articles/blue.png",
        "en/second.md": "---\ntitle: Second\n---\n\n# Only\n\nText.\n",
    }))


def names(paths: list[Path]) -> list[str]:
    return sorted(p.name for p in paths)


def test_nothing_changed_nothing_rebuilt(make_project) -> None:
    project = two_articles(make_project)
    first = build(project, formats=("epub",))
    assert names(first.written) == ["complete.epub", "second.epub"]
    again = build(project, formats=("epub",))
    assert again.written == [] and names(again.unchanged) == ["complete.epub", "second.epub"]


def test_only_the_changed_article_is_rebuilt(make_project) -> None:
    project = two_articles(make_project)
    build(project, formats=("epub",))
    article = project.source_dir / "en" / "second.md"
    article.write_text(article.read_text("utf-8").replace("Text.", "New text."), "utf-8")
    report = build(project, formats=("epub",))
    assert names(report.written) == ["second.epub"]
    assert names(report.unchanged) == ["complete.epub"]


def test_an_image_change_rebuilds_its_article(make_project) -> None:
    project = two_articles(make_project)
    build(project, formats=("epub",))
    image = project.source_dir / "en" / "blue.png"
    image.write_bytes(image.read_bytes() + b"\0")
    assert names(build(project, formats=("epub",)).written) == ["complete.epub"]


def test_a_style_change_rebuilds_everything(make_project) -> None:
    project = two_articles(make_project)
    build(project, formats=("epub",))
    css = project.styles_dir / "ebook.css"
    css.write_text(css.read_text("utf-8") + "\n/* changed */\n", "utf-8")
    assert len(build(project, formats=("epub",)).written) == 2


def test_force_deleted_output_and_corrupt_manifest(make_project) -> None:
    project = two_articles(make_project)
    build(project, formats=("epub",))
    assert len(build(project, formats=("epub",), force=True).written) == 2
    (project.out_dir / "en" / "second.epub").unlink()
    assert names(build(project, formats=("epub",)).written) == ["second.epub"]
    (project.out_dir / MANIFEST).write_text("{not json", "utf-8")
    assert len(build(project, formats=("epub",)).written) == 2


def test_a_tampered_output_is_rebuilt(make_project) -> None:
    project = two_articles(make_project)
    build(project, formats=("epub",))
    (project.out_dir / "en" / "second.epub").write_bytes(b"truncated")
    assert names(build(project, formats=("epub",)).written) == ["second.epub"]


def test_reproducibility_setting_is_an_input(make_project, monkeypatch) -> None:
    project = two_articles(make_project)
    build(project, formats=("epub",))
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    assert len(build(project, formats=("epub",)).written) == 2


def test_parallel_and_serial_builds_write_the_same_files(make_project, tmp_path,
                                                         monkeypatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")  # "second" has no date of its own
    project = two_articles(make_project)
    serial = build(Project.at(project.root, out_dir=tmp_path / "serial"), jobs=1)
    parallel = build(Project.at(project.root, out_dir=tmp_path / "parallel"), jobs=2)
    assert serial.ok and parallel.ok
    assert names(serial.written) == names(parallel.written)
    assert {"complete.epub", "complete.pdf", "second.epub", "second.pdf", "complete.html",
            "second.html"} <= set(names(serial.written))
    for path in serial.written:
        twin = tmp_path / "parallel" / path.relative_to(tmp_path / "serial")
        if path.suffix != ".pdf":  # EPUBs and pages are reproducible byte for byte
            assert twin.read_bytes() == path.read_bytes(), path.name
        assert twin.stat().st_size > 0


def test_manifest_only_written_with_outputs(make_project) -> None:
    project = Project.at(make_project({"en/bad.md": "---\ntitle: Bad\n---\n\nx[^nope]\n"}))
    report = build(project)
    assert not report.ok
    assert not project.out_dir.exists()
    assert not os.path.exists(project.out_dir / MANIFEST)
