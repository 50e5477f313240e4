"""A session kept open between builds reuses what did not change, and only that."""

from __future__ import annotations

import pytest
from conftest import DATA

import pressroom.session.caches as session_module
from pressroom.build.check import check
from pressroom.build.request import BuildRequest
from pressroom.build.run import run
from pressroom.core.project import Project
from pressroom.session.caches import Session


@pytest.fixture
def counted(monkeypatch):
    """Count articles parsed and catalogs compiled."""
    calls = {"articles": [], "catalogs": []}
    load_article, ui_strings = session_module.load_article, session_module.ui_strings

    def counting_load(source, *args, **kwargs):
        calls["articles"].append(source.path.name)
        return load_article(source, *args, **kwargs)

    def counting_strings(project, locale, problems):
        calls["catalogs"].append(locale)
        return ui_strings(project, locale, problems)

    monkeypatch.setattr(session_module, "load_article", counting_load)
    monkeypatch.setattr(session_module, "ui_strings", counting_strings)
    return calls


def test_a_second_build_parses_only_the_edited_article(make_project, counted) -> None:
    project = Project.at(make_project({
        "en/complete.md": DATA / "articles/complete.md",
        "en/blue.png": DATA / "articles/blue.png",
        "en/second.md": "---\ntitle: Second\n---\n\n# Only\n\nText.\n",
        "es/second.md": "---\ntitle: Segundo\n---\n\n# Única\n\nTexto.\n",
    }))
    session = Session(project)
    request = BuildRequest(formats=("epub",))
    assert run(session, request).ok
    assert sorted(counted["articles"]) == ["complete.md", "second.md", "second.md"]
    assert sorted(counted["catalogs"]) == ["en", "es"]
    counted["articles"].clear()
    counted["catalogs"].clear()
    article = project.source_dir / "en" / "second.md"
    article.write_text(article.read_text("utf-8").replace("Text.", "New text."), "utf-8")
    report = run(session, request)
    assert [p.name for p in report.written] == ["second.epub"]
    assert counted == {"articles": ["second.md"], "catalogs": []}


def test_an_image_change_is_seen_by_a_kept_session(make_project, counted) -> None:
    project = Project.at(make_project({"en/complete.md": DATA / "articles/complete.md",
                                       "en/blue.png": DATA / "articles/blue.png"}))
    session = Session(project)
    run(session, BuildRequest(formats=("epub",)))
    (project.source_dir / "en" / "blue.png").unlink()
    report = run(session, BuildRequest(formats=("epub",)))
    assert any("image file 'blue.png' not found" in p.message for p in report.problems.errors)


def test_a_content_error_is_reported_again_on_every_build(make_project) -> None:
    project = Project.at(make_project({"en/a.md": "---\ntitle: A\n---\n\n# S\n\nX.[^nope]\n"}))
    session = Session(project)
    for _ in range(2):
        problems, _ = check(session)
        assert [p.message for p in problems.errors] == [
            "note [^nope] is cited but never defined"]
