"""The command line as a user meets it: exit codes, messages, and outputs that survive."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from conftest import DATA

from pressroom.cli import main, with_default_command

GOOD = DATA / "articles" / "complete.md"


def run(project: Path, *args: str) -> int:
    return main(list(args), project_root=project)


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
    for option in ("--source", "--out", "--locale", "--format", "SLUG"):
        assert option in out


def test_build_writes_one_line_per_file(make_project, capsys) -> None:
    project = make_project({"en/complete.md": GOOD, "en/blue.png": DATA / "articles/blue.png"})
    assert run(project) == 0
    out = capsys.readouterr().out.splitlines()
    assert all(line.startswith("wrote ") for line in out)
    written = [Path(line.removeprefix("wrote ")).resolve().relative_to(project / "out")
               .as_posix() for line in out]
    # The leaflet and the ebook, the page that offers them, then the site around it.
    assert written[:4] == ["en/complete.pdf", "en/complete.epub", "en/complete.html",
                           "en/complete.cover.png"]
    assert sorted(w for w in written[4:] if not w.startswith("assets/")) == [
        "404.html", "en/index.html", "index.html"]
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


def test_unknown_format_is_a_usage_error(make_project) -> None:
    project = make_project({"en/complete.md": GOOD})
    with pytest.raises(SystemExit) as exit_:
        run(project, "--format", "docx")
    assert exit_.value.code == 2


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
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    source = project / "source/en/complete.md"
    source.write_text(source.read_text(encoding="utf-8") + "\nMore.[^undefined]\n", "utf-8")
    assert run(project) == 1
    after = {p.name: p.read_bytes() for p in out.iterdir()}  # no temp files either
    assert after == before
    assert sorted(after) == ["complete.cover.png", "complete.epub", "complete.html",
                             "complete.pdf", "index.html"]


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
