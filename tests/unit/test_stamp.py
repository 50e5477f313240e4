"""A build with nothing changed since the last says what the ordinary path says, without
loading an article; any change to what a build reads or wrote takes the ordinary path."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import pytest
from conftest import DATA

from pressroom.build import stamp
from pressroom.build.stamp import FILE
from pressroom.cli.main import main
from pressroom.session.caches import Session
from pressroom.session.stored import FOLDER

ARTICLE = ("---\ntitle: Cramp\nreview_due: 2001-01-01\n---\n\n# About\n\nText.\n\n"
           "![A blue square](blue.png)\n")
SECOND = "---\ntitle: Second\n---\n\n# Only\n\nText.\n"


def aged(root: Path, seconds: float = 600) -> None:
    """Every file and folder of the project saved `seconds` ago (the feeds date the
    articles by their files' times; and a stamp compares only the times of files older
    than stamp.SETTLE)."""
    then = time.time() - seconds
    for path in [root, *root.rglob("*")]:
        os.utime(path, (then, then))


def publish(root: Path, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    code = main(["build", "--format", "epub", "html", *args], project_root=root)
    captured = capsys.readouterr()
    return code, captured.out + captured.err


@pytest.fixture
def project(make_project, capsys, monkeypatch) -> Path:
    """Two articles, one past its review date (a warning every build reports), built;
    the working folder is the project's, as when an author runs the command."""
    root = make_project({"en/cramp.md": ARTICLE, "en/blue.png": DATA / "articles/blue.png",
                         "en/second.md": SECOND})
    monkeypatch.chdir(root)
    first, output = publish(root, capsys)
    assert first == 0, output
    aged(root)
    publish(root, capsys)  # the feeds date the articles by their files' times
    return root


def stamps(root: Path) -> Path:
    return root / "out" / FOLDER / FILE


def test_nothing_changed_says_what_the_ordinary_path_says(project: Path, capsys) -> None:
    stamps(project).unlink()
    ordinary = publish(project, capsys)  # the ordinary path: it records the stamp
    assert stamps(project).is_file()
    fast = publish(project, capsys)
    assert fast == ordinary
    assert "review overdue since 2001-01-01" in fast[1]
    assert "wrote " not in fast[1] and " file(s) up to date" in fast[1]
    stamps(project).unlink()  # without the stamp: the ordinary path, the same words
    assert publish(project, capsys) == ordinary


def test_the_fast_path_trusts_file_times(project: Path, capsys) -> None:
    """What shows it is taken: a change that keeps a file's size and time goes unseen
    (make's rule too); touching the file is seen."""
    publish(project, capsys)
    article = project / "source" / "en" / "second.md"
    before = article.stat()
    article.write_text(SECOND.replace("Text.", "Tent."), "utf-8")
    os.utime(article, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert "wrote " not in publish(project, capsys)[1]
    article.touch()
    aged(project / "source" / "en" / "second.md", 100)
    code, output = publish(project, capsys)
    assert code == 0 and "wrote out/en/second.epub" in output


@pytest.mark.parametrize("change", [
    "edit an article", "add an article", "delete an output", "edit a layout",
    "edit an image", "another request", "another setting",
])
def test_any_change_takes_the_ordinary_path(project: Path, capsys, monkeypatch,
                                            change: str) -> None:
    publish(project, capsys)
    args: tuple[str, ...] = ()
    expected = "wrote "
    if change == "edit an article":
        article = project / "source" / "en" / "second.md"
        article.write_text(SECOND.replace("Text.", "New text."), "utf-8")
        expected = "wrote out/en/second.epub"
    elif change == "add an article":
        (project / "source" / "en" / "third.md").write_text(SECOND, "utf-8")
        expected = "wrote out/en/third.epub"
    elif change == "delete an output":
        (project / "out" / "en" / "cramp.epub").unlink()
        expected = "wrote out/en/cramp.epub"
    elif change == "edit a layout":
        layout = project / "layouts" / "epub" / "section.xhtml.j2"
        layout.write_text(layout.read_text("utf-8") + "\n", "utf-8")
        expected = "wrote out/en/cramp.epub"
    elif change == "edit an image":
        image = project / "source" / "en" / "blue.png"
        image.write_bytes(image.read_bytes() + b"\0")
        expected = "wrote out/en/cramp.epub"
    elif change == "another request":
        args = ("--locale", "en")
        expected = "file(s) up to date"
    elif change == "another setting":
        monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
        expected = "wrote out/en/cramp.epub"
    before = stamps(project).read_bytes()
    code, output = publish(project, capsys, *args)
    assert code == 0 and expected in output, output
    if change == "another request":  # the ordinary path, which recorded its own stamp
        assert stamps(project).read_bytes() != before


def test_a_build_just_after_a_save_is_stamped_and_a_second_save_in_its_tick_is_seen(
        project: Path, capsys, monkeypatch) -> None:
    """The build right after an author's save records its stamp, so the next build is a
    no-op at once; a second save that keeps the file's size and time (two saves within a
    coarse clock's tick) is still seen, as the stamp kept what the young file held."""
    monkeypatch.setattr(stamp, "SETTLE", 60)  # young until the test ends, however slow
    article = project / "source" / "en" / "second.md"
    article.write_text(SECOND.replace("Text.", "Tent."), "utf-8")  # saved just now
    stamps(project).unlink()
    code, output = publish(project, capsys)
    assert code == 0 and "wrote out/en/second.epub" in output
    assert stamps(project).is_file()

    def loaded(*args: object, **kwargs: object) -> None:
        raise AssertionError("an article was loaded: the ordinary path")

    with monkeypatch.context() as patched:
        patched.setattr(Session, "load", loaded)
        code, output = publish(project, capsys)
    assert code == 0 and "wrote " not in output and " file(s) up to date" in output

    before = article.stat()
    article.write_text(SECOND.replace("Text.", "Vent."), "utf-8")
    os.utime(article, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert article.stat().st_size == before.st_size
    code, output = publish(project, capsys)
    assert code == 0 and "wrote out/en/second.epub" in output, output


def test_a_young_file_is_compared_by_its_time_alone_once_it_has_settled(
        project: Path, capsys, monkeypatch) -> None:
    """The no-op that finds a young file unchanged after SETTLE has passed drops its
    digest from the stamp, so later no-ops do not read it again."""
    article = project / "source" / "en" / "second.md"
    article.write_text(SECOND.replace("Text.", "Tent."), "utf-8")
    monkeypatch.setattr(stamp, "SETTLE", 60)
    assert publish(project, capsys)[0] == 0

    def young() -> set[str]:
        entries = json.loads(stamps(project).read_text("utf-8")).values()
        return {path for entry in entries for path in entry["young"]}

    assert str(article) in young()
    assert " file(s) up to date" in publish(project, capsys)[1]
    assert str(article) in young()  # still within SETTLE: kept
    monkeypatch.setattr(stamp, "SETTLE", 0.0)  # as when its time is older than SETTLE
    assert " file(s) up to date" in publish(project, capsys)[1]
    assert str(article) not in young()
    article.write_text(SECOND.replace("Text.", "Vent."), "utf-8")  # a later save: a later time
    code, output = publish(project, capsys)
    assert code == 0 and "wrote out/en/second.epub" in output, output


def test_a_failed_build_is_never_replayed(project: Path, capsys) -> None:
    code, output = publish(project, capsys, "--strict")
    assert code == 1 and "error: review overdue" in output
    assert publish(project, capsys, "--strict") == (code, output)
    publish(project, capsys)
    assert publish(project, capsys)[0] == 0  # the request without --strict: its own stamp
    assert publish(project, capsys, "--strict")[0] == 1
