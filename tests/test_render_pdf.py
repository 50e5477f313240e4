"""WeasyPrint may read only the project's files; everything else fails the article."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import DATA
from helpers import messages

from pressroom.build import build
from pressroom.project import Project
from pressroom.render_pdf import ProjectFetcher


def test_fetcher_serves_project_files_only(tmp_path: Path) -> None:
    inside = tmp_path / "project"
    inside.mkdir()
    (inside / "ok.css").write_text("p {}", encoding="utf-8")
    secret = tmp_path / "secret.txt"
    secret.write_text("SENTINEL", encoding="utf-8")
    fetcher = ProjectFetcher((inside,))
    assert fetcher.fetch((inside / "ok.css").as_uri()).read() == b"p {}"
    for url in (secret.as_uri(), (inside / ".." / "secret.txt").as_uri(),
                "http://127.0.0.1:9/x.png", "https://example.org/x.css", "ftp://x/y",
                "file:///dev/zero"):
        with pytest.raises(ValueError, match="refused"):
            fetcher.fetch(url)
    assert len(fetcher.refused) == 6


def test_layout_reaching_outside_fails_the_article(make_project, tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("SENTINEL-7f3a", encoding="utf-8")
    project_dir = make_project({"en/complete.md": DATA / "articles/complete.md",
                                "en/blue.png": DATA / "articles/blue.png"})
    layout = project_dir / "layouts" / "leaflet.html.j2"
    hostile = (
        f'<img src="{secret.as_uri()}" alt="x"/>'
        '<img src="https://example.org/t.png" alt="y"/></main>'
    )
    layout.write_text(layout.read_text("utf-8").replace("</main>", hostile), encoding="utf-8")
    report = build(Project.at(project_dir))
    assert report.written == []
    errors = [m for m in messages(report.problems) if ": error: " in m]
    assert errors == [
        f"complete.md: error: the leaflet refers to '{secret.as_uri()}', outside the project:"
        " refused",
        "complete.md: error: the leaflet refers to 'https://example.org/t.png', outside the"
        " project: refused",
    ]
    assert not (project_dir / "out").exists()


def test_fetcher_refuses_the_rest_of_the_project(make_project) -> None:
    """Only articles, layouts and styles: not .git, out/ or the virtual environment."""
    project = Project.at(make_project({"en/a.md": "---\ntitle: A\n---\n\n# S\n\nText.\n"}))
    secret = project.root / ".git" / "config"
    secret.parent.mkdir()
    secret.write_text("[core]", encoding="utf-8")
    fetcher = ProjectFetcher(project.allowed_roots)
    assert fetcher.fetch((project.styles_dir / "leaflet.css").as_uri()).read()
    assert fetcher.fetch((project.source_dir / "en" / "a.md").as_uri()).read()
    with pytest.raises(ValueError, match="refused"):
        fetcher.fetch(secret.as_uri())
