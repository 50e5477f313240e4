"""The translators' PO workflow: export, translate (with GNU gettext's own tools, not the
code under test), import, and every problem an import reports, with its exact text."""

from __future__ import annotations

import dataclasses
import re
import subprocess
from pathlib import Path

import pytest
from babel.messages.pofile import read_po, write_po
from conftest import DATA
from helpers import run_cli as run

from pressroom.content.sources import SourceFile, load_article
from pressroom.core.errors import Problems

COMPLETE = DATA / "articles" / "complete.md"
BLUE = DATA / "articles" / "blue.png"



def gettext(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    """GNU gettext's tools: an independent reader and writer of PO files."""
    return subprocess.run(list(args), capture_output=True, text=True, check=True, input=stdin)


def statistics(po: Path) -> str:
    return gettext("msgfmt", "--statistics", "-o", "/dev/null", str(po)).stderr.strip()


def fill(po: Path, prefix: str = "PT ") -> None:
    """Translate every entry the way a test can: msgen copies each msgid into its msgstr,
    msgfilter puts `prefix` in front (so nothing is left as in the source)."""
    english = gettext("msgen", "--no-wrap", str(po)).stdout
    filled = gettext("msgfilter", "--keep-header", "--no-wrap", "sed", "-e", f"s/^/{prefix}/",
                     stdin=english).stdout
    po.write_text(filled, "utf-8")


def shape(node: object) -> object:
    """An article as a comparable value without line numbers, and with line breaks as
    spaces (a soft break is a space: where lines are wrapped is not content)."""
    if isinstance(node, tuple):
        return tuple(shape(child) for child in node)
    if dataclasses.is_dataclass(node) and not isinstance(node, type):
        return (type(node).__name__, {f.name: shape(getattr(node, f.name))
                                      for f in dataclasses.fields(node)
                                      if f.name not in ("line", "lines", "path")})
    if isinstance(node, str):
        return " ".join(node.split())
    return node


def load(project: Path, locale: str, slug: str):
    path = project / "source" / locale / f"{slug}.md"
    problems = Problems()
    article = load_article(SourceFile(path, locale, slug), (project / "source",), problems)
    assert article is not None and not problems.errors, [str(p) for p in problems]
    return article


def test_spanish_exported_and_imported_back_is_the_same_article(make_project, monkeypatch,
                                                                capsys) -> None:
    project = make_project()
    monkeypatch.chdir(project)
    before = load(project, "es", "muscle-spasms")
    es = project / "source/es/muscle-spasms.md"
    original = es.read_bytes()
    assert run(project, "translations", "export", "--locale", "es") == 0
    po = project / "translations/es/muscle-spasms.po"
    assert capsys.readouterr().out == (
        "wrote translations/es/muscle-spasms.po (60 segments, 0 fuzzy, 0 untranslated)\n")
    assert statistics(po) == "60 translated messages."
    assert run(project, "translations", "import", "--locale", "es") == 0
    assert capsys.readouterr().out == "unchanged source/es/muscle-spasms.md\n"
    assert es.read_bytes() == original
    after = load(project, "es", "muscle-spasms")
    assert shape(after) == shape(before)
    assert after.meta.translated_from == before.meta.translated_from
    assert run(project, "check") == 0
    assert "es: complete — 1 of 1 translation(s) match their source" in capsys.readouterr().out
    # Exporting again changes nothing.
    assert run(project, "translations", "export", "--locale", "es") == 0
    assert capsys.readouterr().out.startswith("unchanged translations/es/muscle-spasms.po")


def test_a_new_locale_from_nothing_passes_the_translation_check(make_project, monkeypatch,
                                                                capsys) -> None:
    project = make_project({"en/complete.md": COMPLETE, "en/blue.png": BLUE})
    monkeypatch.chdir(project)
    assert run(project, "translations", "export", "--locale", "pt-BR") == 0
    po = project / "translations/pt-BR/complete.po"
    assert statistics(po) == "0 translated messages, 42 untranslated messages."
    assert run(project, "translations", "status") == 0
    assert capsys.readouterr().out.splitlines()[-1] == "pt-BR/complete: incomplete (42 missing)"
    fill(po)
    assert run(project, "translations", "import", "--locale", "pt-BR") == 0
    text = (project / "source/pt-BR/complete.md").read_text("utf-8")
    # Kept as the source has them: keys, dates, note keys; the image is the source's.
    for kept in ("title: PT Everything an Author Can Write\n", "published: 2024-01-15\n",
                 "keywords: [PT testing, PT markdown]\n", "[^alpha]: PT Alpha note",
                 '![PT A small blue square](../en/blue.png "PT Figure caption")',
                 "| PT Left | PT Right |", "- PT two\n  1. PT nested first\n"):
        assert kept in text
    assert re.search(r"^translated_from: [0-9a-f]{16}$", text, re.MULTILINE)
    capsys.readouterr()
    assert run(project, "check") == 0
    out, err = capsys.readouterr()
    assert "pt-BR: complete — 1 of 1 translation(s) match their source" in out
    assert "outdated" not in err
    assert run(project, "translations", "status") == 0
    assert capsys.readouterr().out == "pt-BR/complete: complete\n"
    assert run(project, "build", "--format", "epub", "--locale", "pt-BR") == 0


def test_links_to_headings_follow_the_translated_headings(make_project, monkeypatch) -> None:
    source = COMPLETE.read_text("utf-8").replace(
        "Gamma is cited last.", "See [the subsection](#a-subsection). Gamma is cited last.")
    project = make_project({"en/complete.md": source, "en/blue.png": BLUE})
    monkeypatch.chdir(project)
    assert run(project, "translations", "export", "--locale", "es") == 0
    po = project / "translations/es/complete.po"
    assert ("#. Keep the link to #a-subsection as it is: it is pointed at the translated"
            " heading on import.\n") in po.read_text("utf-8")
    fill(po, "ES ")
    assert run(project, "translations", "import", "--locale", "es") == 0
    text = (project / "source/es/complete.md").read_text("utf-8")
    assert "## ES A Subsection" in text
    assert "ES See [the subsection](#es-a-subsection). Gamma" in text
    assert run(project, "check") == 0


def test_entries_tell_the_translator_what_to_keep(make_project, monkeypatch) -> None:
    source = COMPLETE.read_text("utf-8").replace("Gamma note.", "Gamma note: 50% of cases.")
    project = make_project({"en/complete.md": source, "en/blue.png": BLUE})
    monkeypatch.chdir(project)
    assert run(project, "translations", "export", "--locale", "fr") == 0
    text = (project / "translations/fr/complete.po").read_text("utf-8")
    assert (
        '#. Keep the note call [^alpha] where it is; the note says: Alpha note with emphasis.\n'
        '#. Keep the note call [^beta] where it is; the note says: Beta note with a link.\n'
        '#. Keep the link to https://example.org.\n'
        '#. Keep text in `backticks` as it is: it is code.\n'
        '#: source/en/complete.md:25\n'
        'msgctxt "#first-section:p1"\n'
        'msgid "Text with *emphasis*, **strong**, `code` and a [link](https://example.org'
        ' \\"Example\\"). A call to the alpha note.[^alpha] Then beta.[^beta]"\n'
        'msgstr ""\n') in text
    assert ('#. Alt text: describe the image for readers who cannot see it.\n'
            '#: source/en/complete.md:45\nmsgctxt "#a-subsection:figure1.alt"\n') in text
    assert "python-format" not in text  # "50% of" is not a format string
    gettext("msgfmt", "--check", "-o", "/dev/null", str(project / "translations/fr/complete.po"))


def translated_project(make_project, monkeypatch) -> tuple[Path, Path]:
    """complete.md exported to Spanish, every entry translated by gettext's tools."""
    project = make_project({"en/complete.md": COMPLETE, "en/blue.png": BLUE})
    monkeypatch.chdir(project)
    assert run(project, "translations", "export", "--locale", "es") == 0
    po = project / "translations/es/complete.po"
    fill(po, "ES ")
    return project, po


def set_entries(po: Path, strings: dict[str, str] = {}, fuzzy: tuple[str, ...] = ()) -> None:  # noqa: B006
    with po.open("rb") as handle:
        catalog = read_po(handle)
    for message in catalog:
        if message.context in strings:
            message.string = strings[message.context]
        if message.context in fuzzy:
            message.flags.add("fuzzy")
    with po.open("wb") as handle:
        write_po(handle, catalog, width=1 << 20)


def entry_line(po: Path, context: str) -> int:
    """The line of an entry's msgid (the line after its msgctxt), read as text."""
    lines = po.read_text("utf-8").splitlines()
    return lines.index(f'msgctxt "{context}"') + 2


@pytest.mark.parametrize(("context", "translation", "message"), [
    ("#first-section:p1", "ES Texto con *énfasis*, **fuerte**, `code` y un"
     " [enlace](https://example.org \"Example\"). Luego beta.[^beta]",
     "the translation drops the note call [^alpha]: keep it where the source cites it"),
    ("#second-section:p1", "ES Gamma.[^gamma] Y beta.[^beta] Y alfa.[^alpha]",
     "the translation adds a note call [^alpha] that the source text does not have"),
    ("[^beta]:p1", "ES Nota beta con un [enlace](https://example.org/beta.",
     "the link to https://example.org/beta is missing or broken in the translation: keep it"
     " as [text](https://example.org/beta)"),
    ("lead:p1", "ES Una *introducción.",
     "unbalanced Markdown: a '*' without its pair (close it, or write \\* for the character"
     " itself)"),
    ("lead:p1", "- ES Una introducción.",
     "the translation changes the Markdown structure (it starts a list, heading, quote or"
     " table, or ends one): write it as running text"),
])
def test_a_translation_that_breaks_markdown_is_reported_at_its_entry(
        make_project, monkeypatch, capsys, context, translation, message) -> None:
    project, po = translated_project(make_project, monkeypatch)
    set_entries(po, {context: translation})
    capsys.readouterr()
    assert run(project, "translations", "import", "--locale", "es") == 1
    assert capsys.readouterr().err.splitlines() == [
        f"translations/es/complete.po:{entry_line(po, context)}: error: {message}"]
    assert not (project / "source/es/complete.md").exists()


def unfinished(po: Path, first: str, count: int) -> str:
    """The message for `count` of the 42 segments of complete.md left untranslated."""
    return (f"translations/es/complete.po:{entry_line(po, first)}: error: {count} of 42"
            " segments are not translated yet (empty or fuzzy; the first is on this line):"
            " nothing is written until every segment is; to read it in context, build a"
            " draft: `python publish.py build --draft --locale es complete`")


def test_unfinished_entries_write_nothing(make_project, monkeypatch, capsys) -> None:
    project, po = translated_project(make_project, monkeypatch)
    set_entries(po, {"#second-section:title": ""}, fuzzy=("lead:p1",))
    capsys.readouterr()
    assert run(project, "translations", "import", "--locale", "es") == 1
    assert capsys.readouterr().err.splitlines() == [unfinished(po, "lead:p1", 2)]
    assert not (project / "source/es/complete.md").exists()


def test_a_source_changed_since_the_export_is_reported(make_project, monkeypatch,
                                                       capsys) -> None:
    project, po = translated_project(make_project, monkeypatch)
    en = project / "source/en/complete.md"
    en.write_text(en.read_text("utf-8").replace("Gamma note.", "Gamma note, revised."), "utf-8")
    capsys.readouterr()
    assert run(project, "translations", "import", "--locale", "es") == 1
    assert capsys.readouterr().err.splitlines() == [
        f"translations/es/complete.po:{entry_line(po, '[^gamma]:p1')}: error: the source text"
        " of this segment changed since it was exported (source/en/complete.md:67): export it"
        " again to see the change (the translation is kept, marked fuzzy)"]
    en.write_text(en.read_text("utf-8").replace(
        "[^beta]: Beta", "A new paragraph.\n\n[^beta]: Beta"), "utf-8")
    assert run(project, "translations", "import", "--locale", "es") == 1
    assert capsys.readouterr().err.splitlines()[0] == (
        "translations/es/complete.po: error: 1 segment(s) of the source are not in this file"
        " (the first: #second-section:p3, source/en/complete.md:63): the source changed since"
        " it was exported; export it again (translations are kept)")
    # Exporting again keeps every translation; the changed one is fuzzy with the old text.
    assert run(project, "translations", "export", "--locale", "es") == 0
    assert capsys.readouterr().out == (
        "wrote translations/es/complete.po (43 segments, 1 fuzzy, 1 untranslated)\n")
    fuzzy = gettext("msgattrib", "--only-fuzzy", "--no-wrap", str(po)).stdout
    assert ('#| msgid "Gamma note."\nmsgctxt "[^gamma]:p1"\nmsgid "Gamma note, revised."\n'
            'msgstr "ES Gamma note."\n') in fuzzy
    assert statistics(po) == ("41 translated messages, 1 fuzzy translation, 1 untranslated"
                              " message.")


def test_files_that_cannot_be_imported(make_project, monkeypatch, capsys) -> None:
    project, po = translated_project(make_project, monkeypatch)
    po.write_text(po.read_text("utf-8") + "\nmsgid \"x\"\nmsgstr \"y\"\nnonsense\n", "utf-8")
    line = len(po.read_text("utf-8").splitlines())
    capsys.readouterr()
    assert run(project, "translations", "import", "--locale", "es") == 1
    assert capsys.readouterr().err.splitlines() == [
        f"translations/es/complete.po:{line}: error: not a valid PO file: Unknown or"
        " misformatted keyword"]
    po.unlink()
    assert run(project, "translations", "import", "--locale", "es", "complete") == 1
    assert capsys.readouterr().err.splitlines() == [
        "translations/es/complete.po: error: no PO file to import: write one with `python"
        " publish.py translations export --locale es complete`"]


@pytest.mark.parametrize(("args", "message"), [
    (["export", "--locale", "es", "nothing"], "no article 'nothing' in source"),
    (["export", "--locale", "xx"], "'xx' is not a known BCP 47 locale tag"),
    (["export", "--locale", "en", "complete"],
     "'en' is the locale 'complete' is written in: name the locale to translate into"),
    (["import", "--locale", "de"], "no PO files to import in translations/de"),
    (["mark-current", "--locale", "de"], "no articles to mark-current for locale 'de'"),
])
def test_usage_mistakes_exit_2(make_project, monkeypatch, capsys, args, message) -> None:
    project = make_project({"en/complete.md": COMPLETE, "en/blue.png": BLUE})
    monkeypatch.chdir(project)
    assert run(project, "translations", *args) == 2
    err = capsys.readouterr().err
    assert err.splitlines()[-1].startswith("publish.py: error: ")
    assert message in err


def test_export_keeps_the_translators_work_and_the_reviewed_text(make_project, monkeypatch,
                                                                   capsys) -> None:
    project, po = translated_project(make_project, monkeypatch)
    assert run(project, "translations", "import", "--locale", "es") == 0
    es = project / "source/es/complete.md"
    # A reviewer corrects the Markdown by hand; meanwhile the source gains a paragraph,
    # which a translator has already translated in the PO file, with a comment.
    es.write_text(es.read_text("utf-8").replace("ES Gamma note.", "ES Nota gamma."), "utf-8")
    en = project / "source/en/complete.md"
    en.write_text(en.read_text("utf-8").replace("[^beta]: Beta", "New text.\n\n[^beta]: Beta"),
                  "utf-8")
    with po.open("rb") as handle:
        catalog = read_po(handle)
    catalog.add("New text.", "ES Texto nuevo.", context="#second-section:p3",
                user_comments=["checked with Dr Lee"])
    with po.open("wb") as handle:
        write_po(handle, catalog, width=1 << 20)
    capsys.readouterr()
    assert run(project, "translations", "export", "--locale", "es") == 0
    text = po.read_text("utf-8")
    assert 'msgctxt "[^gamma]:p1"\nmsgid "Gamma note."\nmsgstr "ES Nota gamma."\n' in text
    assert ('# checked with Dr Lee\n#: source/en/complete.md:63\nmsgctxt "#second-section:p3"\n'
            'msgid "New text."\nmsgstr "ES Texto nuevo."\n') in text
    assert run(project, "translations", "import", "--locale", "es") == 0
    assert run(project, "check") == 0
    assert "ES Nota gamma." in es.read_text("utf-8")


def test_an_article_that_would_fail_the_check_is_not_written(make_project, monkeypatch,
                                                             capsys) -> None:
    project, po = translated_project(make_project, monkeypatch)
    set_entries(po, {"meta:title": "Everything an Author Can Write"})
    capsys.readouterr()
    assert run(project, "translations", "import", "--locale", "es") == 1
    assert capsys.readouterr().err.splitlines() == [
        f"translations/es/complete.po:{entry_line(po, 'meta:title')}: error: the translation"
        " makes an error in the article: 'title' is not translated (it is the same as the"
        " source)"]
    assert not (project / "source/es/complete.md").exists()


def test_a_po_file_without_its_article_or_not_utf8(make_project, monkeypatch, capsys) -> None:
    project, po = translated_project(make_project, monkeypatch)
    po.rename(po.with_name("gone.po"))
    capsys.readouterr()
    assert run(project, "translations", "import", "--locale", "es") == 1
    assert capsys.readouterr().err.splitlines() == [
        "source/es/gone.md: error: no source article 'gone' to translate into 'es'"]
    po.with_name("gone.po").rename(po)
    po.write_bytes(po.read_text("utf-8").replace("ES Rest", "ES Ruhe für Körper").encode(
        "latin-1"))
    assert run(project, "translations", "import", "--locale", "es") == 1
    assert capsys.readouterr().err.splitlines() == [
        "translations/es/complete.po: error: not a valid PO file: it is not UTF-8 text"]


def test_an_error_the_translation_makes_in_the_article_is_reported_at_its_entry(
        make_project, monkeypatch, capsys) -> None:
    project, po = translated_project(make_project, monkeypatch)
    set_entries(po, {"lead:p1": "ES Una <b>introducción</b>.",
                     "#a-subsection:figure1.alt": "   "})
    capsys.readouterr()
    assert run(project, "translations", "import", "--locale", "es") == 1
    assert capsys.readouterr().err.splitlines() == [
        unfinished(po, "#a-subsection:figure1.alt", 1)]
    set_entries(po, {"#a-subsection:figure1.alt": "ES Un cuadrado azul"})
    assert run(project, "translations", "import", "--locale", "es") == 1
    assert capsys.readouterr().err.splitlines() == [
        f"translations/es/complete.po:{entry_line(po, 'lead:p1')}: error: the translation makes"
        " an error in the article: raw HTML is not allowed in articles ('<b>'); write Markdown"
        " instead"]
    assert not (project / "source/es/complete.md").exists()
