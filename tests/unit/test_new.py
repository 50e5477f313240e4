"""`publish.py new`: a project and an article that pass `check` at once, never overwriting;
and a project's own layouts and styles overriding the defaults file by file."""

from __future__ import annotations

import shutil

import pytest

from pressroom.core import digests
from pressroom.core.errors import Problems
from pressroom.core.project import Project
from pressroom.session.caches import Session
from pressroom.translation.catalogs import ui_strings
from tests.helpers import run_cli


def test_new_project_writes_a_project_that_checks_clean(tmp_path, capsys):
    assert run_cli(tmp_path, "new", "project", str(tmp_path / "mylib")) == 0
    project = tmp_path / "mylib"
    files = sorted(p.relative_to(project).as_posix() for p in project.rglob("*") if p.is_file())
    assert files == [".gitignore", "editions.yaml", "source/en/sunburn.md"]
    assert "/out/" in (project / ".gitignore").read_text("utf-8").splitlines()
    capsys.readouterr()
    assert run_cli(project, "check", "--strict") == 0
    assert capsys.readouterr().out.splitlines()[-1] == "checked: 0 error(s), 0 warning(s)"


def test_new_project_refuses_a_folder_with_one_of_its_files(tmp_path, capsys):
    project = tmp_path / "mylib"
    (project / "source" / "en").mkdir(parents=True)
    (project / "editions.yaml").write_text("# mine\n", "utf-8")
    assert run_cli(tmp_path, "new", "project", str(project)) == 1
    err = capsys.readouterr().err
    assert err.strip().endswith("editions.yaml: error: already exists: nothing written"
                                " (choose an empty or new folder)")
    assert (project / "editions.yaml").read_text("utf-8") == "# mine\n"
    assert not (project / ".gitignore").exists()


def test_new_article_comments_every_key_and_passes_check(tmp_path, capsys, monkeypatch):
    assert run_cli(tmp_path, "new", "project", str(tmp_path / "p")) == 0
    project = tmp_path / "p"
    monkeypatch.chdir(project)
    assert run_cli(project, "new", "article", "Night-time leg cramps") == 0
    path = project / "source" / "en" / "night-time-leg-cramps.md"
    text = path.read_text("utf-8")
    from pressroom.content.frontmatter import KNOWN_KEYS

    front = text.split("---")[1]
    for key in KNOWN_KEYS:  # each key is there, as a comment unless required or a list
        assert f"\n{key}:" in front or f"\n# {key}:" in front, key
    assert 'title: "Night-time leg cramps"' in front
    capsys.readouterr()
    assert run_cli(project, "check", "--strict") == 0
    assert capsys.readouterr().out.splitlines()[-1] == "checked: 0 error(s), 0 warning(s)"

    assert run_cli(project, "new", "article", "Night-time leg cramps", "--locale", "en") == 1
    assert capsys.readouterr().err.strip() == (
        "source/en/night-time-leg-cramps.md: error: already exists: nothing written")
    assert path.read_text("utf-8") == text


@pytest.mark.parametrize(("args", "message"), [
    (["Ωμέγα"], "source/en: error: no file name can be made from this title: give one"
     " with --slug (lowercase letters, digits, hyphens)"),
    (["Cramps", "--locale", "en_GB"], "source/en_GB/cramps.md: error: locale 'en_GB' is"
     " not usable: 'en_GB' is not a BCP 47 locale tag (write 'en-GB')"),
])
def test_new_article_refuses_what_it_cannot_name(tmp_path, capsys, monkeypatch, args,
                                                 message):
    monkeypatch.chdir(tmp_path)
    assert run_cli(tmp_path, "new", "article", *args) == 1
    assert capsys.readouterr().err.strip() == message
    assert not (tmp_path / "source").exists()


def test_a_project_file_overrides_the_default_of_its_name_only(tmp_path, root):
    project = Project.at(tmp_path)
    defaults = Session(project).shared_bundle()
    assert defaults.text("layouts/leaflet.html.j2") == (
        root / "layouts" / "leaflet.html.j2").read_text("utf-8")
    (tmp_path / "styles").mkdir()
    (tmp_path / "styles" / "leaflet.css").write_text("body { color: red }", "utf-8")
    mine = Session(project).shared_bundle()
    assert mine.names.keys() == defaults.names.keys()
    assert mine.text("styles/leaflet.css") == "body { color: red }"
    changed = {n for n in mine.names if mine.names[n] != defaults.names[n]}
    assert changed == {"styles/leaflet.css"}
    assert mine.fingerprint() != defaults.fingerprint()  # so every output is rebuilt


def test_a_project_without_catalogs_gets_the_default_ones(tmp_path):
    problems = Problems()
    strings = ui_strings(Project.at(tmp_path), "de", problems)
    assert strings["References"] == "Quellen"  # layouts/locales/de/…/messages.po
    assert not problems.errors


def test_the_code_digest_covers_the_default_layouts(tmp_path, root, monkeypatch):
    for kind in ("layouts", "styles"):
        shutil.copytree(root / kind, tmp_path / kind)
    monkeypatch.setattr(digests, "default_dir", lambda kind: tmp_path / kind)
    digests.code_digest.cache_clear()
    try:
        first = digests.code_digest()
        with (tmp_path / "layouts" / "leaflet.html.j2").open("a", encoding="utf-8") as f:
            f.write("{# a designer's change #}\n")
        digests.code_digest.cache_clear()
        assert digests.code_digest() != first
    finally:
        digests.code_digest.cache_clear()



def test_an_article_in_another_locale_is_an_original_there(tmp_path, capsys, monkeypatch):
    assert run_cli(tmp_path, "new", "project", str(tmp_path / "p")) == 0
    project = tmp_path / "p"
    monkeypatch.chdir(project)
    assert run_cli(project, "new", "article", "Calambres nocturnos", "--locale", "es") == 0
    text = (project / "source" / "es" / "calambres-nocturnos.md").read_text("utf-8")
    assert "\nsource_locale: es " in text
    capsys.readouterr()
    assert run_cli(project, "check", "--strict") == 0
    assert capsys.readouterr().out.splitlines()[-1] == "checked: 0 error(s), 0 warning(s)"
