"""Outdated translations: found without git, reported segment by segment, still built;
`translations status`, `mark-current`, and `--strict` for CI."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from helpers import run_cli as run

ES = "source/es/muscle-spasms.md"
EN = "source/en/muscle-spasms.md"
HEADER = f"{ES}:1: warning: outdated: {EN} changed since this translation was made"



def line_of(path: Path, text: str) -> int:
    """1-based line where `text` starts, found by plain search (not by the code tested)."""
    lines = path.read_text("utf-8").splitlines()
    return next(i for i, line in enumerate(lines, 1) if line.startswith(text))


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text("utf-8")
    assert old in text
    path.write_text(text.replace(old, new), "utf-8")


@pytest.fixture
def project(make_project, monkeypatch) -> Path:
    """The real articles, their translations marked current; messages relative to it."""
    root = make_project()
    monkeypatch.chdir(root)
    return root


def es_messages(err: str) -> list[str]:
    """The messages about the Spanish translation, less the reading-grade warning that
    the shipped text always gets (its own tests are in test_reading.py)."""
    return [line for line in err.splitlines()
            if line.startswith(ES) and ": warning: reading grade " not in line]


def test_the_shipped_translations_are_current(project, capsys) -> None:
    assert run(project, "translations", "status") == 0
    assert capsys.readouterr().out.splitlines() == [
        "ar/muscle-spasms: complete", "de/muscle-spasms: complete",
        "es/muscle-spasms: complete", "fr/muscle-spasms: complete"]


def test_one_changed_sentence_is_exactly_one_outdated_segment(project, capsys) -> None:
    en = project / EN
    edit(en, "may help soothe pain", "may help ease pain")
    assert run(project, "check") == 0  # outdated is a warning: it still builds
    out, err = capsys.readouterr()
    es_line = line_of(project / ES, "Aplicar de forma alterna")
    en_line = line_of(en, "Applying alternate hot")
    assert es_messages(err) == [
        HEADER,
        f"{ES}:{es_line}: warning: outdated: this paragraph changed in the source"
        f" ({EN}:{en_line})",
    ]
    assert "es: outdated — 0 of 1 translation(s) match their source; outdated: muscle-spasms" \
        in out
    assert run(project, "translations", "status") == 0
    assert capsys.readouterr().out.splitlines() == [
        f"{locale}/muscle-spasms: outdated (1 segment)" for locale in ("ar", "de", "es", "fr")]
    # Exported for the translator: that segment, and only it, is fuzzy, with the old text.
    assert run(project, "translations", "export", "--locale", "es") == 0
    assert capsys.readouterr().out == (
        "wrote translations/es/muscle-spasms.po (60 segments, 1 fuzzy, 0 untranslated)\n")
    fuzzy = subprocess.run(["msgattrib", "--only-fuzzy", "--no-wrap", "--no-location",
                            "translations/es/muscle-spasms.po"], capture_output=True,
                           text=True, check=True).stdout
    entries = [block for block in fuzzy.split("\n\n") if "msgctxt" in block]
    assert len(entries) == 1
    (entry,) = entries
    assert entry.splitlines()[:3] == [
        "#, fuzzy",
        '#| msgid "Applying alternate hot and cold packs to the affected area may help soothe'
        ' pain due to the numbing effect it creates."',
        'msgctxt "#help-for-muscle-spasms-and-twitching:p3"']
    assert "may help ease pain" in entry and 'msgstr "Aplicar de forma alterna' in entry


def test_added_removed_and_kept_values_are_each_one_line(project, capsys) -> None:
    en = project / EN
    edit(en, "version: 3", "version: 4")
    edit(en, "- Plenty of rest\n", "- Plenty of rest\n    - Warm baths\n")
    edit(en, "Spasm can also occur when", "Spasms can also occur when")
    edit(en, "\nApplying alternate hot and cold packs to the affected area may help soothe pain"
         " due to the\nnumbing effect it creates.\n", "")
    assert run(project, "check") == 0
    es = project / ES
    assert es_messages(capsys.readouterr().err) == sorted([
        HEADER,
        f"{ES}:12: warning: outdated: 'version' is 3 here; the source has 4 ({EN}:12)",
        f"{ES}:{line_of(es, '    - Descansar lo suficiente')}: warning: outdated: a checklist"
        f" item was added after this checklist item in the source ({EN}:30)",
        f"{ES}:{line_of(es, 'checklist:')}: warning: outdated: 'checklist.remedies' has 11"
        " item(s); the source has 12",
        f"{ES}:{line_of(es, 'Son muchos los factores')}: warning: outdated: this paragraph"
        f" changed in the source ({EN}:51)",
        f"{ES}:{line_of(es, 'Aplicar de forma alterna')}: warning: outdated: this paragraph"
        " was removed from the source",
    ], key=lambda m: int(m.split(":")[1]))
    assert run(project, "translations", "status") == 0
    assert "es/muscle-spasms: outdated (4 segments)" in capsys.readouterr().out


def test_a_translation_differing_because_its_source_changed_still_builds(project,
                                                                         capsys) -> None:
    edit(project / EN, "# Help for Muscle Spasms and Twitching",
         "# Talk to Your Doctor\n\nIf spasms keep coming back, see a doctor.\n\n"
         "# Help for Muscle Spasms and Twitching")
    assert run(project, "build", "--format", "epub", "--locale", "es", "--edition",
               "default") == 0
    assert (project / "out/es/muscle-spasms.epub").is_file()
    err = capsys.readouterr().err
    assert (f"{ES}: warning: outdated: the translation has 4 '#' section(s); the source ({EN})"
            " has 5") in err.splitlines()


def test_strict_turns_every_warning_into_an_error(project, capsys) -> None:
    edit(project / EN, "may help soothe pain", "may help ease pain")
    assert run(project, "check", "--strict") == 1
    err = capsys.readouterr().err
    assert HEADER.replace(": warning: ", ": error: ") in err.splitlines()
    assert ": warning: " not in err
    assert run(project, "build", "--strict", "--format", "epub", "--locale", "es", "en",
               "--edition", "default") == 1
    # Strictness is the run's verdict, counted once at its end (as mkdocs does): the
    # outputs are those of an ordinary build, every warning of the run fails it.
    assert (project / "out/en/muscle-spasms.epub").is_file()
    assert (project / "out/es/muscle-spasms.epub").is_file()
    err = capsys.readouterr().err.splitlines()
    assert HEADER.replace(": warning: ", ": error: ") in err
    assert err[-1] == "failed: 2 error(s), 0 warning(s); 2 file(s) written"


def test_strict_promotes_warnings_it_knows_nothing_about(project, capsys) -> None:
    """A warning from anywhere — here a locale without UI catalog — fails a strict run."""
    (project / "source/it").mkdir()
    text = (project / EN).read_text("utf-8").replace("---\n", "---\nsource_locale: it\n", 1)
    (project / "source/it/muscle-spasms.md").write_text(text, "utf-8")  # an original
    assert run(project, "check") == 0
    assert run(project, "check", "--strict") == 1
    err = capsys.readouterr().err.splitlines()
    assert [line.split(": ", 1)[1] for line in err if "no UI catalog" in line] == [
        "warning: no UI catalog for 'it': layout text stays in English (run `python publish.py"
        " catalogs` to create it)",
        "error: no UI catalog for 'it': layout text stays in English (run `python publish.py"
        " catalogs` to create it)"]


def test_without_a_record_a_translation_cannot_be_current(project, capsys) -> None:
    edit(project / ES, "translated_from:", "# translated_from:")
    edit(project / EN, "may help soothe pain", "may help ease pain")
    assert run(project, "check") == 0
    assert es_messages(capsys.readouterr().err) == [
        f"{ES}:1: warning: outdated: nothing records which version of {EN} this translation"
        " was made from: once it is checked against the source, run `python publish.py"
        " translations mark-current --locale es muscle-spasms`"]
    assert run(project, "translations", "status") == 0
    assert "es/muscle-spasms: outdated (not recorded)" in capsys.readouterr().out


def test_a_lost_record_says_what_to_do(project, capsys) -> None:
    for record in (project / "translations/en").glob("*.pot"):
        record.unlink()
    edit(project / EN, "may help soothe pain", "may help ease pain")
    assert run(project, "check") == 0
    line = line_of(project / ES, "translated_from:")
    (record,) = [m for m in es_messages(capsys.readouterr().err) if "not on record" in m]
    assert record.startswith(f"{ES}:{line}: warning: outdated: the source as translated is not"
                             " on record (translations/en/muscle-spasms.")
    assert record.endswith(f".pot): compare the whole translation with {EN}, then run `python"
                           " publish.py translations mark-current --locale es muscle-spasms`")


def test_mark_current_records_a_reviewed_translation(project, capsys) -> None:
    edit(project / EN, "may help soothe pain", "may help ease pain")
    edit(project / EN, "version: 3", "version: 4")
    assert run(project, "translations", "mark-current", "--locale", "es") == 1
    assert capsys.readouterr().err.splitlines() == [
        f"{ES}: error: not marked current: it does not match its source yet (see above)",
        f"{ES}:12: error: 'version' is 3 here; the source has 4 ({EN}:12)"]
    edit(project / ES, "version: 3", "version: 4")
    edit(project / ES, "puede ayudar a\ncalmar el dolor", "puede ayudar a\naliviar el dolor")
    before = (project / ES).read_text("utf-8")
    assert run(project, "translations", "mark-current", "--locale", "es") == 0
    assert capsys.readouterr().out == f"marked {ES} current\n"
    after = (project / ES).read_text("utf-8")
    # Only the record changed.
    assert [a for a, b in zip(before.splitlines(), after.splitlines(), strict=True)
            if a != b] == [line for line in before.splitlines()
                           if line.startswith("translated_from:")]
    assert run(project, "check") == 0
    assert es_messages(capsys.readouterr().err) == []
    # The record of the English as es was made from stays while fr, de and ar refer to it.
    records = project / "translations/en"
    assert len(list(records.glob("muscle-spasms.*.pot"))) == 2
    for locale in ("fr", "de", "ar"):
        text = (project / f"source/{locale}/muscle-spasms.md").read_text("utf-8")
        (project / f"source/{locale}/muscle-spasms.md").write_text(
            text.replace("version: 3", "version: 4"), "utf-8")
    for locale in ("fr", "de", "ar"):
        assert run(project, "translations", "mark-current", "--locale", locale) == 0
    assert len(list(records.glob("muscle-spasms.*.pot"))) == 1


def test_mark_current_needs_a_translation(project, capsys) -> None:
    assert run(project, "translations", "mark-current", "--locale", "en", "muscle-spasms") == 2
    assert "'en' is the locale 'muscle-spasms' is written in" in capsys.readouterr().err
    assert run(project, "translations", "mark-current", "--locale", "pt", "muscle-spasms") == 1
    assert capsys.readouterr().err.splitlines() == [
        "source/pt/muscle-spasms.md: error: no translation to mark current"]


def test_a_record_written_by_hand_is_checked(project, capsys) -> None:
    edit(project / ES, "translated_from: ", "translated_from: 12345 # ")
    assert run(project, "check") == 1
    line = line_of(project / ES, "translated_from:")
    assert es_messages(capsys.readouterr().err)[1:] == [
        f"{ES}:{line}: error: 'translated_from' must be the 16-digit code the translation tools"
        " write, not 12345 (run `python publish.py translations mark-current` to set it)"]


def test_segments_a_translation_has_no_match_for(project, capsys) -> None:
    """A translator merged two paragraphs: what changes in the second is still reported,
    at the record's line."""
    edit(project / ES, "el organismo.\n\nLas reacciones", "el organismo. Las reacciones")
    assert run(project, "translations", "mark-current", "--locale", "es") == 0
    line = line_of(project / ES, "translated_from:")
    en = project / EN
    edit(en, "Spasmodic reactions can be brought on", "Spasmodic reactions can be caused")
    capsys.readouterr()
    assert run(project, "check") == 0
    assert es_messages(capsys.readouterr().err) == [
        HEADER, f"{ES}:{line}: warning: outdated: a paragraph changed in the source ({EN}:58);"
        " this translation has none to match"]
    text = en.read_text("utf-8")
    start = text.index("Spasmodic reactions")
    en.write_text(text[:start] + text[text.index("## The Difference"):], "utf-8")
    assert run(project, "check") == 0
    assert es_messages(capsys.readouterr().err) == [
        HEADER, f"{ES}:{line}: warning: outdated: a paragraph was removed from the source:"
        " “Spasmodic reactions can be brought on because of painful…”"]


def test_a_damaged_record_still_locates_what_it_can(project, capsys) -> None:
    (record,) = (project / "translations/en").glob("muscle-spasms.*.pot")
    text = record.read_text("utf-8")
    start = text.index("#: source/en/muscle-spasms.md:2\n")
    record.write_text(text[:start] + text[text.index("#: source/en/muscle-spasms.md:3\n"):],
                      "utf-8")
    edit(project / EN, "may help soothe pain", "may help ease pain")
    assert run(project, "check") == 0
    line = line_of(project / ES, "translated_from:")
    messages = es_messages(capsys.readouterr().err)
    assert f"{ES}:{line}: warning: outdated: a title was added to the source ({EN}:2)" \
        in messages
    assert len(messages) == 3


def test_status_of_missing_and_incomplete_translations(make_project, monkeypatch,
                                                       capsys) -> None:
    from conftest import DATA

    complete = (DATA / "articles/complete.md").read_text("utf-8")
    without_last_section = complete[:complete.index("# Second Section")] + complete[
        complete.index("[^beta]:"):]
    root = make_project({"en/a.md": complete, "en/b.md": complete, "en/blue.png":
                         DATA / "articles/blue.png",
                         "es/a.md": without_last_section.replace(
                             "title: Everything", "title: Todo"),
                         "es/blue.png": DATA / "articles/blue.png"})
    monkeypatch.chdir(root)
    assert run(root, "translations", "status") == 0
    assert capsys.readouterr().out.splitlines() == ["es/a: incomplete (7 missing)",
                                                    "es/b: missing"]
