"""Incremental and parallel builds: only what changed is rebuilt; workers change nothing."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from conftest import DATA, ROOT
from helpers import build

from pressroom.build.incremental import MANIFEST, Manifest
from pressroom.core.project import Project


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


def test_a_change_to_a_module_in_a_subfolder_rebuilds(make_project, tmp_path: Path) -> None:
    """Pressroom's code is an input of every output, every module at any depth: a change
    to the EPUB renderer (pressroom/render/epub/) rebuilds the ebooks, and only a change
    does. Run as a user would, on a copy of the package."""
    code = tmp_path / "code"
    shutil.copytree(ROOT / "pressroom", code / "pressroom",
                    ignore=shutil.ignore_patterns("__pycache__"))
    project = make_project({"en/second.md": "---\ntitle: Second\n---\n\n# Only\n\nText.\n"})
    env = {**os.environ, "PYTHONPATH": str(code)}
    command = [sys.executable, "-c", "import sys; from pressroom.cli.main import main;"
               " sys.exit(main(sys.argv[1:]))", "build", "--format", "epub"]

    def wrote() -> list[str]:
        done = subprocess.run(command, cwd=project, env=env, capture_output=True, text=True,
                              check=True, timeout=300)
        return [line for line in done.stdout.splitlines() if line.startswith("wrote ")]

    assert wrote() == ["wrote out/en/second.epub"]
    assert wrote() == []  # nothing changed
    with (code / "pressroom" / "render" / "epub" / "renderer.py").open("a") as handle:
        handle.write("# a change to the renderer\n")
    assert wrote() == ["wrote out/en/second.epub"]


def test_an_edit_rebuilds_only_what_is_downstream_of_it(make_project) -> None:
    """A reworded paragraph: that article's page and images, and the collected output
    that reads its text (its locale's search index) — not the other articles' pages, nor
    the indexes and feeds that list titles, summaries and downloads."""
    project = two_articles(make_project)
    assert build(project, formats=("html",)).ok
    article = project.source_dir / "en" / "second.md"
    article.write_text(article.read_text("utf-8").replace("Text.", "New text."), "utf-8")
    report = build(project, formats=("html",))
    assert report.ok
    written = sorted(p.relative_to(project.out_dir).as_posix() for p in report.written)
    assert [name for name in written if not name.startswith("pagefind/en/")] == [
        "en/second.cover.png", "en/second.html", "en/second.thumbnail.png"]
    assert "pagefind/en/pagefind-entry.json" in written


def test_the_workers_start_early_for_the_articles_saved_since_the_last_build(
        make_project) -> None:
    """A guess from file times (what is rebuilt is still decided by digests): the article
    saved after the manifest, or every article once a layout was."""
    from pressroom.build.run import saved_since
    from pressroom.content.sources import discover
    from pressroom.core.errors import Problems

    project = two_articles(make_project)
    build(project, formats=("epub",))
    sources = discover(project.source_dir, Problems())
    manifest = Manifest.load(project.out_dir)
    then = manifest.path.stat().st_mtime - 60
    for path in [*project.root.rglob("*")]:
        if project.out_dir not in path.parents:
            os.utime(path, (then, then))
    assert saved_since(manifest, project, sources) == []
    (project.source_dir / "en" / "second.md").touch()
    assert [s.slug for s in saved_since(manifest, project, sources)] == ["second"]
    (project.layouts_dir / "leaflet.html.j2").touch()
    assert saved_since(manifest, project, sources) == sources
