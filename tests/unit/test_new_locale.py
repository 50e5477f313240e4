"""A new locale (pt-BR) from nothing: every step's message, with its exact text.

PO files are filled with GNU gettext's own tools (msgen, msgfilter), not the code under
test.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from helpers import run_cli as run

PO = Path("translations/pt-BR/muscle-spasms.po")
CATALOG = Path("layouts/locales/pt_BR/LC_MESSAGES/messages.po")


def fill(po: Path, replace: dict[str, str] | None = None) -> None:
    """Every entry translated as "PT " + the English (msgen, msgfilter); then `replace`
    swaps text in the msgstr lines (a translator's mistakes)."""
    english = subprocess.run(["msgen", "--no-wrap", str(po)], capture_output=True, text=True,
                             check=True).stdout
    filled = subprocess.run(["msgfilter", "--keep-header", "--no-wrap", "sed", "-e", "s/^/PT /"],
                            input=english, capture_output=True, text=True, check=True).stdout
    lines = filled.splitlines(keepends=True)
    for old, new in (replace or {}).items():
        found = [i for i, line in enumerate(lines) if line.startswith("msgstr") and old in line]
        assert found, old
        for i in found:
            lines[i] = lines[i].replace(old, new)
    po.write_text("".join(lines), "utf-8")


def line_of(path: Path, text: str) -> int:
    return next(n for n, line in enumerate(path.read_text("utf-8").splitlines(), 1)
                if text in line)


@pytest.fixture
def begun(make_project, monkeypatch, capsys) -> Path:
    """The real project, with a pt-BR translation begun: exported, nothing translated."""
    project = make_project()
    monkeypatch.chdir(project)
    assert run(project, "translations", "export", "--locale", "pt-BR") == 0
    assert capsys.readouterr().out == (
        "wrote translations/pt-BR/muscle-spasms.po (60 segments, 0 fuzzy, 60 untranslated)\n")
    return project


def test_status_and_build_name_the_translation_in_progress(begun, capsys) -> None:
    assert run(begun, "translations", "status", "--locale", "pt-BR") == 0
    assert capsys.readouterr().out == "pt-BR/muscle-spasms: incomplete (60 missing)\n"
    assert run(begun, "translations", "status", "--locale", "it") == 2
    assert capsys.readouterr().err.splitlines()[-1] == (
        "publish.py: error: no articles or PO files for locale 'it'")
    assert run(begun, "build", "--locale", "pt-BR") == 2
    assert capsys.readouterr().err.splitlines()[-1] == (
        "publish.py: error: no articles for locale 'pt-BR' in source; its translation is in"
        " progress in translations/pt-BR (muscle-spasms.po): build a draft with `python"
        " publish.py build --draft --locale pt-BR`; once every entry is translated, `python"
        " publish.py translations import --locale pt-BR` makes it an article")


def test_catalogs_creates_the_ui_catalog_of_a_locale_with_only_a_po_file(begun,
                                                                         capsys) -> None:
    assert run(begun, "catalogs") == 0
    assert capsys.readouterr().out == (
        "wrote layouts/locales/pt_BR/LC_MESSAGES/messages.po\n5 catalog(s) up to date\n")
    done = subprocess.run(["msgfmt", "--check", "--statistics", "-o", "/dev/null",
                           str(begun / CATALOG)], capture_output=True, text=True, check=True)
    # As many entries as the template has, none translated (msgfmt counts both).
    template = subprocess.run(["msgfmt", "--statistics", "-o", "/dev/null",
                               str(begun / CATALOG.parent.parent.parent / "messages.pot")],
                              capture_output=True, text=True, check=True)
    count = int(template.stderr.split()[-3])
    assert count > 50
    assert done.stderr.splitlines()[-1] == (
        f"0 translated messages, {count} untranslated messages.")
    # Run again, nothing changes.
    assert run(begun, "catalogs") == 0
    assert capsys.readouterr().out == "6 catalog(s) up to date\n"


def test_a_catalog_folder_may_be_named_pt_BR_or_pt_dash_BR_but_not_both(begun,
                                                                         capsys) -> None:
    assert run(begun, "catalogs") == 0
    underscore = begun / "layouts/locales/pt_BR"
    dash = begun / "layouts/locales/pt-BR"
    shutil.copytree(underscore, dash)
    capsys.readouterr()
    assert run(begun, "catalogs") == 1
    assert capsys.readouterr().err.splitlines() == [
        "layouts/locales/pt-BR/LC_MESSAGES/messages.po: error: a second UI catalog for"
        " 'pt-BR' (the other is layouts/locales/pt_BR/LC_MESSAGES/messages.po): keep one of"
        " the two folders"]
    shutil.rmtree(underscore)
    # The BCP 47 spelling alone is used as it is: catalogs finds it, a draft reads it.
    catalog = dash / "LC_MESSAGES/messages.po"
    catalog.write_text(catalog.read_text("utf-8").replace(
        'msgid "Symptoms"\nmsgstr ""', 'msgid "Symptoms"\nmsgstr "Sintomas"'), "utf-8")
    assert run(begun, "catalogs") == 0
    assert capsys.readouterr().out == "6 catalog(s) up to date\n"
    fill(begun / PO)
    assert run(begun, "build", "--draft", "--locale", "pt-BR", "--format", "epub") == 0
    err = capsys.readouterr().err
    assert "no UI catalog" not in err
    assert "layouts/locales/pt-BR/LC_MESSAGES/messages.po:" in err


def test_a_draft_reports_problems_at_the_po_line(begun, capsys) -> None:
    po = begun / PO
    fill(po, {"example of this.[^kurz]\"": "example of this.\"",
              'msgstr "PT Massage"': 'msgstr "PT <script>alert(1)</script>Massagem"'})
    # Problems are reported at the entry's msgid line (the line before its msgstr).
    dropped = line_of(po, 'msgstr "PT The main difference') - 1
    html = line_of(po, "<script>") - 1
    assert run(begun, "build", "--draft", "--locale", "pt-BR", "--format", "epub") == 1
    assert [line for line in capsys.readouterr().err.splitlines()
            if line.startswith("translations/")] == [
        f"translations/pt-BR/muscle-spasms.po:{html}: error: 'checklist.remedies' item is"
        " plain text: raw HTML ('<script>') is not allowed there; write the words only",
        f"translations/pt-BR/muscle-spasms.po:{dropped}: warning: the translation drops the"
        " note call [^kurz]: keep it where the source cites it (the draft shows the source's"
        " text here)"]
    assert not (begun / "source/pt-BR").exists()


@pytest.mark.parametrize(("item", "message"), [
    ("Rigidez [muscular](javascript:alert(1)) anormal",
     "a link ('[muscular](javascript:alert(1))') is not allowed there"),
    ("Dolor ![x](/etc/passwd) en la zona", "an image ('![x](/etc/passwd)') is not allowed there"),
    ("<script>alert(1)</script>Masajes", "raw HTML ('<script>') is not allowed there"),
])
def test_plain_text_front_matter_refuses_markup(make_project, monkeypatch, capsys, item,
                                                message) -> None:
    project = make_project()
    monkeypatch.chdir(project)
    es = project / "source/es/muscle-spasms.md"
    es.write_text(es.read_text("utf-8").replace("    - Masajes\n", f"    - {item}\n"), "utf-8")
    assert run(project, "check") == 1
    line = line_of(es, item)
    assert (f"source/es/muscle-spasms.md:{line}: error: 'checklist.remedies' item is plain"
            f" text: {message}; write the words only") in capsys.readouterr().err.splitlines()


def test_an_import_refuses_markup_in_a_checklist_item_at_its_entry(begun, capsys) -> None:
    po = begun / PO
    fill(po, {'msgstr "PT Pain in the affected area"':
               'msgstr "PT Dor [muscular](javascript:alert(1))"'})
    capsys.readouterr()
    assert run(begun, "translations", "import", "--locale", "pt-BR") == 1
    assert capsys.readouterr().err.splitlines() == [
        f"translations/pt-BR/muscle-spasms.po:{line_of(po, 'javascript:') - 1}: error: the"
        " translation makes an error in the article: 'checklist.symptoms' item is plain"
        " text: a link ('[muscular](javascript:alert(1))') is not allowed there; write the"
        " words only"]
    assert not (begun / "source/pt-BR").exists()


def test_hand_edits_and_comments_survive_the_next_export_and_import(begun, capsys) -> None:
    """After the first import, a reviewer edits a paragraph of source/pt-BR/…md and adds a
    YAML and an HTML comment; importing the same PO file again, then exporting and
    importing, keeps all three."""
    po = begun / PO
    fill(po)
    assert run(begun, "translations", "import", "--locale", "pt-BR") == 0
    md = begun / "source/pt-BR/muscle-spasms.md"
    text = md.read_text("utf-8")
    edited = text.replace("PT Perhaps you\u2019ve been sitting", "PT Talvez você tenha ficado", 1)
    edited = edited.replace("code: MSK-014\n", "code: MSK-014  # código da clínica\n")
    edited = edited.replace("# PT Diagnosing Muscle Spasms",
                            "<!-- Revisado pela Dra. Lima. -->\n\n# PT Diagnosing Muscle Spasms")
    assert edited.count("Talvez") == 1 and "# código" in edited and "Dra. Lima" in edited
    md.write_text(edited, "utf-8")
    capsys.readouterr()
    assert run(begun, "translations", "import", "--locale", "pt-BR") == 0
    assert capsys.readouterr().out == "unchanged source/pt-BR/muscle-spasms.md\n"
    assert run(begun, "translations", "export", "--locale", "pt-BR") == 0
    assert run(begun, "translations", "import", "--locale", "pt-BR") == 0
    assert capsys.readouterr().out.splitlines()[-1] == (
        "unchanged source/pt-BR/muscle-spasms.md")
    assert md.read_text("utf-8") == edited


def test_a_locale_with_two_ui_catalogs_writes_nothing(begun, capsys) -> None:
    """Which of the two a build would read is a guess: that locale's files are not
    written, the other locales' are, and the build fails."""
    assert run(begun, "catalogs") == 0
    shutil.copytree(begun / "layouts/locales/pt_BR", begun / "layouts/locales/pt-BR")
    fill(begun / PO)
    capsys.readouterr()
    assert run(begun, "build", "--draft", "--format", "epub") == 1
    out, err = capsys.readouterr()
    assert "error: a second UI catalog for 'pt-BR'" in err, err
    drafts = begun / "drafts"  # where a draft build writes
    written = [p.relative_to(drafts).as_posix() for p in drafts.rglob("*.epub")]
    assert "en/muscle-spasms.epub" in written, (written, out)
    assert [name for name in written if "pt-BR" in name] == []
