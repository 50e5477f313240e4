"""Articles as loaded, kept on disk between runs (session/stored.py): a new session reads
them back instead of parsing, and anything that does not match is parsed again."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import DATA

from pressroom.build.request import BuildRequest
from pressroom.build.run import run
from pressroom.content import sources
from pressroom.core.project import Project
from pressroom.session.caches import Session
from pressroom.session.stored import FOLDER, StoredLoads

ARTICLES = {"en/complete.md": DATA / "articles/complete.md",
            "en/blue.png": DATA / "articles/blue.png",
            "en/second.md": "---\ntitle: Second\n---\n\n# Only\n\nText.\n"}


@pytest.fixture
def parsed(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """The articles parsed from their text (not read back) since the fixture started."""
    calls: list[Path] = []
    real = sources.load_article

    def counting(source, *args, **kwargs):  # type: ignore[no-untyped-def]
        calls.append(source.path)
        return real(source, *args, **kwargs)

    monkeypatch.setattr("pressroom.session.caches.load_article", counting)
    return calls


def build(project: Project) -> list[str]:
    session = Session(project, stored=StoredLoads(project.out_dir))
    report = run(session, BuildRequest(("epub",)))
    assert report.ok, [str(p) for p in report.problems]
    return sorted(p.name for p in report.written)


def test_a_new_session_reads_articles_back(make_project, parsed: list[Path]) -> None:
    project = Project.at(make_project(ARTICLES))
    assert build(project) == ["complete.epub", "second.epub"]
    assert len(parsed) == 2 and len(list((project.out_dir / FOLDER).iterdir())) == 2
    parsed.clear()
    assert build(project) == []  # a no-op, in a new session
    assert parsed == []
    second = project.source_dir / "en" / "second.md"
    second.write_text(second.read_text("utf-8").replace("Text.", "New text."), "utf-8")
    assert build(project) == ["second.epub"]
    assert [p.name for p in parsed] == ["second.md"]


def test_a_changed_image_parses_its_article_again(make_project, parsed: list[Path]) -> None:
    project = Project.at(make_project(ARTICLES))
    build(project)
    parsed.clear()
    image = project.source_dir / "en" / "blue.png"
    image.write_bytes(image.read_bytes() + b"\0")  # another size: another stamp
    build(project)
    assert [p.name for p in parsed] == ["complete.md"]


def test_a_damaged_cache_is_ignored(make_project, parsed: list[Path]) -> None:
    project = Project.at(make_project(ARTICLES))
    build(project)
    for kept in (project.out_dir / FOLDER).iterdir():
        kept.write_bytes(b"not a pickle")
    parsed.clear()
    assert build(project) == []  # nothing to render: the outputs are fresh
    assert sorted(p.name for p in parsed) == ["complete.md", "second.md"]
