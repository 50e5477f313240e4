"""A PO import changes only what changed, and loses nothing a translator wrote.

The Markdown translation is the file of record: an import rewrites only the segments
whose translation the PO file changes (and `translated_from`); its comments, blank lines
and the wrapping of every other paragraph stay byte for byte, and an edit made in the
Markdown since the export is merged, or refused with one line per conflict. Which lines
changed is read with GNU diff, not with the code under test.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from babel.messages.pofile import read_po, write_po
from helpers import run_cli as run
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

ES = Path("source/es/muscle-spasms.md")
EN = Path("source/en/muscle-spasms.md")
PO = Path("translations/es/muscle-spasms.po")
THOROUGH = os.environ.get("HYPOTHESIS_PROFILE") == "thorough"


def changed_lines(old: bytes, new: bytes, tmp: Path) -> list[int]:
    """The 1-based lines of `old` that GNU diff reports as changed or removed."""
    (tmp / "old").write_bytes(old)
    (tmp / "new").write_bytes(new)
    done = subprocess.run(
        ["diff", "--unchanged-line-format=", "--old-line-format=%dn\n",
         "--new-line-format=", str(tmp / "old"), str(tmp / "new")],
        capture_output=True, text=True, check=False)
    assert done.returncode in (0, 1), done.stderr
    return [int(n) for n in done.stdout.split()]


def edit_po(po: Path, strings: dict[str, str]) -> None:
    """Set entries' translations and clear their fuzzy flag, as a translator's tool does."""
    with po.open("rb") as handle:
        catalog = read_po(handle)
    for message in catalog:
        if message.context in strings:
            message.string = strings[message.context]
            message.flags.discard("fuzzy")
    with po.open("wb") as handle:
        write_po(handle, catalog, width=1 << 20, include_previous=True)


def entries(po: Path) -> dict[str, tuple[str, str]]:
    with po.open("rb") as handle:
        return {str(m.context): (str(m.id), str(m.string)) for m in read_po(handle) if m.id}


def entry_line(po: Path, context: str) -> int:
    lines = po.read_text("utf-8").splitlines()
    return lines.index(f'msgctxt "{context}"') + 2


def lines_of(text: str, start: str) -> list[int]:
    """The 1-based lines of the paragraph whose first line starts with `start`."""
    lines = text.splitlines()
    first = next(i for i, line in enumerate(lines) if line.startswith(start))
    last = next(i for i in range(first, len(lines) + 1) if i == len(lines) or not lines[i])
    return list(range(first + 1, last + 1))


def line_of(text: str, exact: str) -> int:
    return text.splitlines().index(exact) + 1


def test_the_translators_scenario_changes_exactly_two_segments(make_project, monkeypatch,
                                                               capsys, tmp_path) -> None:
    """English changes one sentence and one checklist item; the Spanish PO's two fuzzy
    entries are translated; the import changes those two segments and `translated_from`."""
    project = make_project()
    monkeypatch.chdir(project)
    en = project / EN
    en.write_text(en.read_text("utf-8").replace(
        "    - Massage\n", "    - Massage by a therapist\n").replace(
        "Exposure to cold weather such as a draft on your neck can also\ncause",
        "Cold weather, such as a draft on your neck, can also\ncause"), "utf-8")
    es = project / ES
    before = es.read_bytes()
    assert run(project, "translations", "export", "--locale", "es") == 0
    assert capsys.readouterr().out == (
        "wrote translations/es/muscle-spasms.po (60 segments, 2 fuzzy, 0 untranslated)\n")
    po = project / PO
    fuzzy = subprocess.run(["msgattrib", "--only-fuzzy", "--no-wrap", str(po)],
                           capture_output=True, text=True, check=True).stdout
    assert fuzzy.count('msgctxt "') == 2
    text = before.decode("utf-8")
    paragraph = " ".join(text.splitlines()[n - 1] for n in lines_of(text, "Las reacciones"))
    edit_po(po, {
        "checklist:remedies.9": "Masajes de un fisioterapeuta",
        "#what-are-muscle-spasms:p3": paragraph.replace(
            "La exposición al frío, como una", "El frío, como una"),
    })
    assert run(project, "translations", "import", "--locale", "es") == 0
    assert capsys.readouterr().out == "wrote source/es/muscle-spasms.md\n"
    after = es.read_bytes()
    changed = changed_lines(before, after, tmp_path)
    recorded = next(line for line in text.splitlines() if line.startswith("translated_from: "))
    meta = [line_of(text, "    - Masajes"), line_of(text, recorded)]
    body = [n for n in changed if n not in meta]
    # The paragraph is wrapped anew, so its first line may happen to stay as it was.
    assert changed[:2] == meta and body and set(body) <= set(lines_of(text, "Las reacciones"))
    assert "    - Masajes de un fisioterapeuta\n" in after.decode("utf-8")
    capsys.readouterr()
    assert run(project, "translations", "status") == 0
    assert "es/muscle-spasms: complete" in capsys.readouterr().out.splitlines()


def exported(make_project, monkeypatch) -> tuple[Path, bytes, bytes]:
    project = make_project()
    monkeypatch.chdir(project)
    assert run(project, "translations", "export", "--locale", "es") == 0
    return project, (project / ES).read_bytes(), (project / PO).read_bytes()


@settings(max_examples=40 if THOROUGH else 6, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_editing_one_entry_changes_only_its_lines(make_project, monkeypatch, capsys,
                                                  tmp_path, data) -> None:
    """Property: whichever entry a translator edits, the import changes only the lines of
    that segment; with no edit, the article stays byte-identical."""
    if not (tmp_path / "project").exists():
        exported(make_project, monkeypatch)
    project = tmp_path / "project"
    monkeypatch.chdir(project)
    es, po = project / ES, project / PO
    state = tmp_path / "state"
    if not state.exists():
        state.mkdir()
        (state / "es").write_bytes(es.read_bytes())
        (state / "po").write_bytes(po.read_bytes())
    es.write_bytes((state / "es").read_bytes())
    po.write_bytes((state / "po").read_bytes())
    before = es.read_bytes()
    found = entries(po)
    # Headings are left out: a new heading renames its id, and links to it follow.
    keys = sorted(k for k in found if not k.endswith(":title") or k == "meta:title")
    key = data.draw(st.sampled_from(keys), label="entry")
    words = data.draw(st.lists(st.sampled_from(["nuevo", "texto", "revisado", "hoy"]),
                               min_size=1, max_size=4), label="words")
    edit_po(po, {key: found[key][1] + " " + " ".join(words)})
    capsys.readouterr()
    assert run(project, "translations", "import", "--locale", "es") == 0, \
        capsys.readouterr().err
    after = es.read_bytes()
    text = before.decode("utf-8")
    changed = changed_lines(before, after, tmp_path)
    assert after != before, key  # lines changed, or (a word past the last line) added
    # Every changed line holds part of the entry's old translation, and nothing else does.
    old = found[key][1].split()
    for number in changed:
        line = text.splitlines()[number - 1]
        assert any(word in line for word in old), (key, number, line)
    assert len(changed) <= len(found[key][1]) // 40 + 2
    # An import without edits afterwards leaves the article as it is.
    assert run(project, "translations", "export", "--locale", "es") == 0
    again = es.read_bytes()
    assert run(project, "translations", "import", "--locale", "es") == 0
    assert es.read_bytes() == again


def test_a_hand_edit_since_the_export_is_kept_and_merged(make_project, monkeypatch, capsys,
                                                         tmp_path) -> None:
    project, before, _ = exported(make_project, monkeypatch)
    es, po = project / ES, project / PO
    text = before.decode("utf-8")
    # The reviewer edits a paragraph in the Markdown; the translator edits another entry.
    edited = text.replace("Son muchos los factores", "Muchos factores", 1)
    es.write_text(edited, "utf-8")
    summary = entries(po)["meta:summary"][1]
    edit_po(po, {"meta:summary": summary + " Revisado."})
    capsys.readouterr()
    assert run(project, "translations", "import", "--locale", "es") == 0
    after = es.read_text("utf-8")
    assert "Muchos factores" in after
    assert changed_lines(edited.encode(), after.encode(), tmp_path) == [
        line_of(edited, f"summary: {summary}")]
    # Importing the same PO file again changes nothing: it now agrees with the Markdown.
    capsys.readouterr()
    assert run(project, "translations", "import", "--locale", "es") == 0
    assert capsys.readouterr().out == "unchanged source/es/muscle-spasms.md\n"


def test_a_conflict_is_refused_with_both_lines(make_project, monkeypatch, capsys) -> None:
    project, before, _ = exported(make_project, monkeypatch)
    es, po = project / ES, project / PO
    text = before.decode("utf-8")
    edited = text.replace("Son muchos los factores", "Muchos factores", 1).replace(
        "    - Masajes\n", "    - Masaje\n")
    es.write_text(edited, "utf-8")
    found = entries(po)
    edit_po(po, {"#what-are-muscle-spasms:p2": found["#what-are-muscle-spasms:p2"][1] + " X.",
                 "checklist:remedies.9": "Masoterapia"})
    capsys.readouterr()
    assert run(project, "translations", "import", "--locale", "es") == 1
    assert capsys.readouterr().err.splitlines() == [
        f"translations/es/muscle-spasms.po:{entry_line(po, 'checklist:remedies.9')}: error:"
        f" conflict: this entry and source/es/muscle-spasms.md:{line_of(edited, '    - Masaje')}"
        " both changed since the export: make them say the same (edit one of the two), then"
        " import again",
        f"translations/es/muscle-spasms.po:{entry_line(po, '#what-are-muscle-spasms:p2')}:"
        " error: conflict: this entry and source/es/muscle-spasms.md:"
        f"{lines_of(edited, 'Muchos factores')[0]} both changed since the export: make them"
        " say the same (edit one of the two), then import again"]
    assert es.read_text("utf-8") == edited


def test_comments_in_the_translation_survive_export_and_import(make_project, monkeypatch,
                                                               tmp_path) -> None:
    project = make_project()
    monkeypatch.chdir(project)
    es, po = project / ES, project / PO
    text = es.read_text("utf-8").replace(
        "code: MSK-014\n", "code: MSK-014  # código del catálogo de la clínica\n").replace(
        "# Diagnóstico de los espasmos", "<!-- Revisado por la Dra. Ruiz. -->\n\n"
        "# Diagnóstico de los espasmos")
    es.write_text(text, "utf-8")
    assert run(project, "translations", "export", "--locale", "es") == 0
    edit_po(po, {"meta:subtitle": entries(po)["meta:subtitle"][1] + " (revisado)"})
    assert run(project, "translations", "import", "--locale", "es") == 0
    after = es.read_text("utf-8")
    assert "code: MSK-014  # código del catálogo de la clínica\n" in after
    assert "<!-- Revisado por la Dra. Ruiz. -->\n" in after
    assert "<!-- La página original menciona" in after
    assert changed_lines(text.encode(), after.encode(), tmp_path) == [
        line_of(text, next(line for line in text.splitlines() if line.startswith("subtitle:")))]


def test_exporting_again_keeps_an_entry_not_yet_imported(make_project, monkeypatch) -> None:
    project, _, _ = exported(make_project, monkeypatch)
    po = project / PO
    edit_po(po, {"checklist:remedies.9": "Masoterapia"})
    assert run(project, "translations", "export", "--locale", "es") == 0
    assert entries(po)["checklist:remedies.9"][1] == "Masoterapia"
    assert run(project, "translations", "import", "--locale", "es") == 0
    assert "    - Masoterapia\n" in (project / ES).read_text("utf-8")


def test_catalogs_leaves_a_translators_catalog_byte_for_byte(make_project, monkeypatch,
                                                             capsys) -> None:
    """A UI catalog saved by another tool (wrapped at 79 columns by msgcat, as Poedit
    does) with one entry edited: `catalogs` has nothing new to merge and leaves it as it
    is; run on the shipped catalogs, it changes none of them."""
    project = make_project()
    monkeypatch.chdir(project)
    locales = project / "layouts/locales"
    shipped = {p: p.read_bytes() for p in locales.rglob("*.po")}
    assert run(project, "catalogs") == 0
    assert capsys.readouterr().out == "5 catalog(s) up to date\n"
    assert {p: p.read_bytes() for p in locales.rglob("*.po")} == shipped
    fr = locales / "fr/LC_MESSAGES/messages.po"
    wrapped = subprocess.run(["msgcat", "--width=79", str(fr)], capture_output=True,
                             text=True, check=True).stdout
    edited = wrapped.replace('msgstr "Références"', 'msgstr "Sources"')
    assert edited != wrapped and edited.encode() != shipped[fr]
    fr.write_text(edited, "utf-8")
    assert run(project, "catalogs") == 0
    assert capsys.readouterr().out == "5 catalog(s) up to date\n"
    assert fr.read_text("utf-8") == edited


def test_a_source_with_a_new_paragraph_rewrites_the_article_and_says_so(
        make_project, monkeypatch, capsys) -> None:
    """Where the source gained a segment, the article is written anew from the source's
    text: the import warns that the translation's comments and wrapping are not kept."""
    project = make_project()
    monkeypatch.chdir(project)
    en = project / EN
    en.write_text(en.read_text("utf-8").replace(
        "## The Difference between", "A new paragraph.\n\n## The Difference between"),
        "utf-8")
    assert run(project, "translations", "export", "--locale", "es") == 0
    po = project / PO
    new = next(k for k, (msgid, _) in entries(po).items() if msgid == "A new paragraph.")
    edit_po(po, {new: "Un párrafo nuevo."})
    capsys.readouterr()
    assert run(project, "translations", "import", "--locale", "es") == 0
    out, err = capsys.readouterr()
    assert out == "wrote source/es/muscle-spasms.md\n"
    assert err.splitlines() == [
        "source/es/muscle-spasms.md: warning: written anew from the source's text (the source"
        " gained or lost segments since this translation was made): comments in the"
        " translation and the wrapping of its lines are not kept; compare with `git diff`"]
    assert "Un párrafo nuevo." in (project / ES).read_text("utf-8")
