"""The command line as a user meets it: exit codes, messages, and outputs that survive."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import DATA
from helpers import run_cli as run

from pressroom.cli.main import main, with_default_command

GOOD = DATA / "articles" / "complete.md"



def test_default_command_is_build() -> None:
    assert with_default_command([]) == ["build"]
    assert with_default_command(["--locale", "en"]) == ["build", "--locale", "en"]
    assert with_default_command(["muscle-spasms"]) == ["build", "muscle-spasms"]
    assert with_default_command(["build", "x"]) == ["build", "x"]
    assert with_default_command(["--help"]) == ["--help"]


def test_help_explains_commands_and_options(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["--help"])
    assert exit_.value.code == 0
    assert "build" in capsys.readouterr().out
    with pytest.raises(SystemExit):
        main(["build", "--help"])
    out = capsys.readouterr().out
    for option in ("--source", "--out", "--locale", "--format", "ARTICLE"):
        assert option in out


def test_build_writes_one_line_per_file(make_project, capsys) -> None:
    project = make_project({"en/complete.md": GOOD, "en/blue.png": DATA / "articles/blue.png"})
    assert run(project) == 0
    out = capsys.readouterr().out.splitlines()
    assert all(line.startswith("wrote ") for line in out)
    written = [Path(line.removeprefix("wrote ")).resolve().relative_to(project / "out")
               .as_posix() for line in out]
    # The leaflet and the ebook, the page that offers them, then the site around it.
    assert written[:5] == ["en/complete.pdf", "en/complete.epub", "en/complete.html",
                           "en/complete.cover.png", "en/complete.thumbnail.png"]
    site = [w for w in written[5:] if not w.startswith(("assets/", "pagefind/en/"))]
    assert sorted(site) == ["404.html", "en/a-z/e.html", "en/index.html", "en/new.html",
                            "en/new.xml", "en/search.html", "index.html",
                            "opds/en-browse.xml", "opds/en-new.xml", "opds/en.xml",
                            "opds/index.xml"]
    assert "pagefind/en/pagefind-entry.json" in written  # the search index, last
    assert (project / "out/en/complete.pdf").read_bytes().startswith(b"%PDF-")
    assert (project / "out/en/complete.epub").read_bytes().startswith(b"PK")


def test_format_option_builds_only_that_format(make_project, capsys) -> None:
    project = make_project({"en/complete.md": GOOD, "en/blue.png": DATA / "articles/blue.png"})
    assert run(project, "--format", "epub") == 0
    assert sorted(p.name for p in (project / "out/en").iterdir()) == ["complete.epub"]


def test_source_and_out_options(make_project, tmp_path) -> None:
    project = make_project({"en/complete.md": GOOD, "en/blue.png": DATA / "articles/blue.png"})
    (project / "source").rename(project / "articles")
    out = tmp_path / "elsewhere"
    assert run(project, "build", "--source", str(project / "articles"), "--out", str(out)) == 0
    assert (out / "en" / "complete.pdf").is_file()
    assert not (project / "out").exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--locale", "xx"], "'xx' is not a known BCP 47 locale tag"),
        (["--locale", "fr"], "no articles for locale 'fr'"),
        (["no-such-article"], "no article 'no-such-article'"),
    ],
)
def test_usage_errors_exit_2(make_project, capsys, args, message) -> None:
    project = make_project({"en/complete.md": GOOD})
    assert run(project, *args) == 2
    err = capsys.readouterr().err
    assert message in err
    assert not (project / "out").exists()


def test_unknown_format_is_a_usage_error(make_project, capsys) -> None:
    project = make_project({"en/complete.md": GOOD})
    assert run(project, "--format", "docx") == 2
    assert capsys.readouterr().err.splitlines()[-1] == (
        "publish.py: error: unknown format 'docx' (choose from pdf, epub, html)")


SHORT = "---\ntitle: A\n---\n\n# S\n\nText.\n"
SHORT_ES = "---\ntitle: Uno\n---\n\n# S\n\nTexto.\n"


def built(project: Path) -> list[str]:
    out = project / "out"
    return sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file()
                  and not any(part.startswith(".") for part in p.relative_to(out).parts))


@pytest.mark.parametrize("args", [
    ["build", "--locale", "en", "a", "--format", "epub"],
    ["--format", "epub", "a", "--locale", "en"],
    ["a", "--format", "epub", "--locale", "en"],
    ["--locale", "en", "--format", "epub", "a"],
])
def test_options_and_articles_in_any_order(make_project, args) -> None:
    """`--locale en a`: a is the article, not a second locale; the same after --format."""
    project = make_project({"en/a.md": SHORT, "en/b.md": SHORT, "es/a.md": SHORT_ES})
    assert run(project, *args) == 0
    assert built(project) == ["en/a.epub"]


def test_a_path_names_that_article_in_that_locale(make_project, monkeypatch) -> None:
    project = make_project({"en/a.md": SHORT, "en/b.md": SHORT, "es/a.md": SHORT_ES})
    monkeypatch.chdir(project)
    assert run(project, "build", str(Path("source/es/a.md")), "--format", "epub") == 0
    assert built(project) == ["es/a.epub"]
    assert run(project, "--format", "epub", "b") == 0  # a slug: every locale of it
    assert built(project) == ["en/b.epub", "es/a.epub"]


@pytest.mark.parametrize(("args", "message"), [
    (["build", "source/en/nope.md"],
     f"'{Path('source/en/nope.md')}' is not an article (articles are source/<locale>/"
     "<slug>.md)"),
    (["build", "../elsewhere/a.md"],
     f"'{Path('../elsewhere/a.md')}' is not in the article folder source"),
    (["build", "--locale", "es", "source/en/a.md"], "no article 'en/a' in locale es"),
])
def test_paths_that_name_no_article(make_project, monkeypatch, capsys, args, message) -> None:
    project = make_project({"en/a.md": SHORT, "es/a.md": SHORT_ES})
    monkeypatch.chdir(project)
    assert run(project, *[str(Path(a)) if "/" in a else a for a in args]) == 2
    assert capsys.readouterr().err.splitlines()[-1] == f"publish.py: error: {message}"


def test_check_takes_the_same_selection(make_project, capsys, monkeypatch) -> None:
    project = make_project({
        "en/a.md": SHORT, "es/a.md": SHORT_ES,
        "en/b.md": "---\ntitle: B\n---\n\n# S\n\nText.[^nope]\n",
    })
    monkeypatch.chdir(project)
    # The translation is reviewed against its source (without the record it is outdated).
    assert run(project, "translations", "mark-current", "--locale", "es") == 0
    capsys.readouterr()
    assert run(project, "check", "--locale", "es") == 0
    assert capsys.readouterr().out.splitlines() == [
        "es: complete — 1 of 1 translation(s) match their source",
        "checked: 0 error(s), 0 warning(s)"]
    assert run(project, "check", "a") == 0  # b's error is not this selection's
    assert run(project, "check", "b", "--locale", "en") == 1
    assert "note [^nope] is cited but never defined" in capsys.readouterr().err
    assert run(project, "check", "nope", "--locale", "en") == 2
    assert capsys.readouterr().err.splitlines()[-1] == (
        "publish.py: error: no article 'nope' in source")
    # After --locale, a word that is neither a locale nor an article is a bad locale.
    assert run(project, "check", "--locale", "en", "nope") == 2
    assert capsys.readouterr().err.splitlines()[-1] == (
        "publish.py: error: 'nope' is not a known BCP 47 locale tag (e.g. en, es, pt-BR, ar)")


def test_a_mistyped_command(make_project, capsys, monkeypatch) -> None:
    project = make_project({"en/a.md": SHORT})
    monkeypatch.chdir(project)
    assert run(project, "biuld") == 2
    assert capsys.readouterr().err.splitlines()[-1] == (
        "publish.py: error: unknown command 'biuld' (did you mean 'build'?)")
    assert run(project, "chekc", "--locale", "en") == 2
    assert capsys.readouterr().err.splitlines()[-1] == (
        "publish.py: error: unknown command 'chekc' (did you mean 'check'?)")
    assert run(project, "heartburn") == 2  # like no command: an article that is not there
    assert capsys.readouterr().err.splitlines()[-1] == (
        "publish.py: error: no article 'heartburn' in source")
    assert not (project / "out").exists()


def test_nothing_to_build_says_why(make_project, root, capsys, monkeypatch) -> None:
    project = make_project({"en/a.md": SHORT})
    monkeypatch.chdir(project)
    shutil.copy(root / "editions.yaml", project / "editions.yaml")
    assert run(project, "--edition", "letter", "--format", "epub") == 2
    assert capsys.readouterr().err.splitlines() == [
        "publish.py: error: nothing to build: edition 'letter' has no epub output (it writes"
        " <slug>.letter.pdf)"]
    assert not (project / "out").exists()
    (project / "source" / "en" / "a.md").unlink()
    assert run(project) == 2
    assert capsys.readouterr().err.splitlines() == [
        "publish.py: error: nothing to build: there are no articles in source (write"
        " source/<locale>/<slug>.md)"]


def test_content_errors_exit_1_with_all_locations(make_project, capsys) -> None:
    broken = (
        "---\ntitle: Broken\nsumary: typo\n---\n\n# One\n\nCites nothing.[^nope]\n\n"
        "# Empty\n\n[^unused]: Never cited.\n"
    )
    project = make_project({"en/broken.md": broken})
    assert run(project) == 1
    err = capsys.readouterr().err.splitlines()
    path = str(Path("source/en/broken.md"))
    located = [line for line in err if ": error: " in line]
    assert [line.split(path, 1)[1] for line in located] == [
        ":3: error: unknown front-matter key 'sumary' (did you mean 'summary'?)",
        ":8: error: note [^nope] is cited but never defined",
        ":10: error: section 'Empty' is empty",
        ":12: error: note [^unused] is defined but never cited",
    ]
    assert err[-1].startswith("failed: 4 error(s)")
    assert not (project / "out").exists()


def test_last_good_build_survives_a_broken_edit(make_project) -> None:
    project = make_project({"en/complete.md": GOOD, "en/blue.png": DATA / "articles/blue.png"})
    assert run(project) == 0
    out = project / "out/en"
    before = {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()}
    source = project / "source/en/complete.md"
    source.write_text(source.read_text(encoding="utf-8") + "\nMore.[^undefined]\n", "utf-8")
    assert run(project) == 1
    after = {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()}  # no temp files
    assert after == before
    assert sorted(after) == ["complete.cover.png", "complete.epub", "complete.html",
                             "complete.pdf", "complete.thumbnail.png", "index.html",
                             "new.html", "new.xml", "search.html"]


def test_one_broken_article_does_not_stop_the_others(make_project) -> None:
    project = make_project({
        "en/complete.md": GOOD, "en/blue.png": DATA / "articles/blue.png",
        "en/broken.md": (DATA / "errors" / "undefined-note.md").read_text("utf-8"),
    })
    assert run(project) == 1
    assert (project / "out/en/complete.pdf").is_file()
    assert not (project / "out/en/broken.pdf").exists()


def test_publish_py_entry_point_reports_without_traceback(make_project, root) -> None:
    project = make_project({"en/bad.md": (DATA / "errors" / "yaml-syntax.md").read_text("utf-8")})
    (project / "publish.py").write_text((root / "publish.py").read_text("utf-8"), "utf-8")
    result = subprocess.run(
        [sys.executable, "publish.py"], cwd=project, capture_output=True, text=True, check=False
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert result.stderr.splitlines()[0] == (
        f"{Path('source/en/bad.md')}:3: error: front matter is not valid YAML: while parsing a"
        " flow sequence, did not find expected ',' or ']'"
    )


def test_the_footer_prints_the_code_as_written(make_project) -> None:
    """`code: 021` once printed "17 v3" in every footer (YAML 1.1 octal)."""
    project = make_project({"en/a.md": "---\ntitle: A\ncode: 021\nversion: 1.10\n---\n\n"
                                       "# S\n\nText.\n"})
    assert run(project, "--format", "pdf") == 0
    text = subprocess.run(["pdftotext", str(project / "out/en/a.pdf"), "-"],
                          capture_output=True, text=True, check=True).stdout
    assert "021 v1.10" in text and "17 v" not in text


def test_locales_separated_by_commas(make_project, capsys, monkeypatch) -> None:
    """`--locale en,es` is `--locale en es`, for every command that takes locales."""
    project = make_project({"en/a.md": SHORT, "en/b.md": SHORT, "es/a.md": SHORT_ES})
    monkeypatch.chdir(project)
    assert run(project, "--format", "epub", "--locale", "en,es", "a") == 0
    assert built(project) == ["en/a.epub", "es/a.epub"]
    assert run(project, "translations", "mark-current", "--locale", "es,en", "a") == 2
    assert capsys.readouterr().err.splitlines()[-1] == (
        "publish.py: error: 'en' is the locale 'a' is written in: name the locale to"
        " translate into")
    assert run(project, "translations", "export", "--locale", "es,fr", "a") == 0
    assert capsys.readouterr().out.splitlines() == [
        "wrote translations/es/a.po (3 segments, 0 fuzzy, 0 untranslated)",
        "wrote translations/fr/a.po (3 segments, 0 fuzzy, 3 untranslated)"]
    for command in ("check", "readability"):
        assert run(project, command, "--locale", "en,es") == 0, command
    assert run(project, "check", "--locale", "en,xx") == 2
    assert capsys.readouterr().err.splitlines()[-1] == (
        "publish.py: error: 'xx' is not a known BCP 47 locale tag (e.g. en, es, pt-BR, ar)")
