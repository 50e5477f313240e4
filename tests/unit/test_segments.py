"""Segments: one per translatable unit, with ids that stay put when other parts change."""

from __future__ import annotations

from pathlib import Path

from conftest import DATA

from pressroom.content.markup_text import flatten, text_units
from pressroom.content.sources import SourceFile, load_article
from pressroom.core.errors import Problems
from pressroom.translation.segments import compare, digest, extract, slots

COMPLETE = DATA / "articles" / "complete.md"


def segments_of(text: str, tmp_path: Path, name: str = "a.md"):
    path = tmp_path / name
    path.write_text(text, "utf-8")
    (tmp_path / "blue.png").write_bytes((DATA / "articles" / "blue.png").read_bytes())
    problems = Problems()
    article = load_article(SourceFile(path, "en", path.stem), (tmp_path,), problems)
    assert article is not None and not problems.errors, [str(p) for p in problems]
    return extract(article, text)


def test_every_translatable_unit_is_a_segment_with_its_line(tmp_path) -> None:
    found = [(s.id, s.line, s.text) for s in segments_of(COMPLETE.read_text("utf-8"), tmp_path)]
    assert found == [
        ("meta:title", 2, "Everything an Author Can Write"),
        ("meta:subtitle", 3, "A test article"),
        ("meta:summary", 4, "Exercises every construct the source format allows."),
        ("meta:authors.1", 6, "Ada Author"),
        ("meta:authors.2", 7, "Bea Writer"),
        ("meta:publisher", 8, "Test Clinic"),
        ("meta:keywords.1", 12, "testing"),
        ("meta:keywords.2", 12, "markdown"),
        ("checklist:symptoms.1", 15, "Headache"),
        ("checklist:symptoms.2", 16, "Dizziness"),
        ("checklist:remedies.1", 18, "Rest"),
        ("lead:p1", 21, "An introduction before the first section."),
        ("#first-section:title", 23, "First Section"),
        ("#first-section:p1", 25, "Text with *emphasis*, **strong**, `code` and a"
         ' [link](https://example.org "Example"). A call to the alpha note.[^alpha] Then'
         " beta.[^beta]"),
        ("#a-subsection:title", 28, "A Subsection"),
        ("#a-subsection:list1.1", 30, "one"),
        ("#a-subsection:list1.2", 31, "two"),
        ("#a-subsection:list1.3", 32, "nested first"),
        ("#a-subsection:list1.4", 33, "nested second"),
        ("#a-subsection:list1.5", 34, "three with alpha again.[^alpha]"),
        ("#a-subsection:quote1.1", 36, "A quotation."),
        ("#a-subsection:heading1", 38, "A Minor Heading"),
        ("#a-subsection:table1.r1c1", 40, "Left"),
        ("#a-subsection:table1.r1c2", 40, "Right"),
        ("#a-subsection:table1.r2c1", 42, "a"),
        ("#a-subsection:table1.r2c2", 42, "1"),
        ("#a-subsection:table1.r3c1", 43, "b"),
        ("#a-subsection:table1.r3c2", 43, "2"),
        ("#a-subsection:figure1.alt", 45, "A small blue square"),
        ("#a-subsection:figure1.caption", 45, "Figure caption"),
        ("#second-section:title", 47, "Second Section"),
        ("#second-section:p1", 49, "Gamma is cited last.[^gamma] And beta again.[^beta]"),
        # An inline note is translated where it stands, as part of its run.
        ("#second-section:p2", 51, "Three sources agree.[^delta][^epsilon][^alpha] An"
         " inline note too.^[An *inline* note, numbered where it stands.]"),
        ("#second-section:quote1.1", 54, "A quotation with its own source.[^zeta]"),
        # Definitions inside a quote or an item are segments of their note.
        ("[^zeta]:p1", 56, "Zeta note, defined inside the quote."),
        ("#second-section:list1.1", 58, "An item with a note.[^eta]"),
        ("[^eta]:p1", 60, "Eta note, defined inside the item, lazily continued."),
        ("[^beta]:p1", 63, "Beta note with a [link](https://example.org/beta)."),
        ("[^alpha]:p1", 65, "Alpha note with *emphasis*."),
        ("[^gamma]:p1", 67, "Gamma note."),
        ("[^delta]:p1", 69, "Delta note."),
        ("[^epsilon]:p1", 71, "Epsilon note."),
    ]
    roles = {s.id: s.role for s in segments_of(COMPLETE.read_text("utf-8"), tmp_path)}
    assert [roles[k] for k in ("meta:authors.2", "checklist:remedies.1", "#a-subsection:title",
                                "#a-subsection:list1.4", "#a-subsection:table1.r2c2",
                                "#a-subsection:figure1.alt", "#a-subsection:figure1.caption",
                                "[^alpha]:p1", "#a-subsection:quote1.1")] == [
        "author", "checklist item", "heading", "list item", "table cell",
        "image description", "image caption", "note", "quote"]


def test_ids_stay_put_when_another_section_or_another_kind_of_block_changes(tmp_path) -> None:
    text = COMPLETE.read_text("utf-8")
    before = {s.id: s.text for s in segments_of(text, tmp_path)}
    edited = text.replace("An introduction before the first section.\n",
                          "An introduction.\n\nA second paragraph of the lead.\n").replace(
        "> A quotation.\n", "> A quotation.\n\nA new paragraph.\n\n- a new list\n")
    after = {s.id: s.text for s in segments_of(edited, tmp_path)}
    added = sorted(set(after) - set(before))
    assert added == ["#a-subsection:list2.1", "#a-subsection:p1", "lead:p2"]
    assert not set(before) - set(after)
    assert [k for k in before if before[k] != after[k]] == ["lead:p1"]


def test_rewrapping_a_paragraph_is_not_a_change(tmp_path) -> None:
    text = COMPLETE.read_text("utf-8")
    rewrapped = text.replace("`code` and a [link](https://example.org \"Example\").\nA call",
                             "`code`\nand a [link](https://example.org \"Example\"). A call")
    assert rewrapped != text
    assert digest(segments_of(rewrapped, tmp_path)) == digest(segments_of(text, tmp_path))
    reworded = text.replace("A call to the alpha note.", "A call to the first note.")
    assert digest(segments_of(reworded, tmp_path)) != digest(segments_of(text, tmp_path))


def test_hard_breaks_are_newlines_and_soft_breaks_spaces() -> None:
    assert flatten("one\ntwo  \nthree\\\nfour") == "one two\nthree\nfour"
    units = text_units("Para *one*\nline two  \nline three\n\n- item\n  more\n")
    assert [(u.block_type, u.text, u.first, u.last, u.prefix) for u in units] == [
        ("paragraph", "Para *one* line two\nline three", 0, 3, ""),
        ("list", "item more", 4, 6, "- "),
    ]


def test_a_translation_aligns_with_its_source_by_slot(tmp_path) -> None:
    text = COMPLETE.read_text("utf-8")
    translated = text.replace("# First Section", "# Primera sección").replace(
        "## A Subsection", "## Una subsección").replace("# Second Section", "# Segunda sección")
    ours, theirs = segments_of(text, tmp_path), segments_of(translated, tmp_path, "b.md")
    assert [s.id for s in theirs if s.local == "title" and s.scope != "meta"] == [
        "#primera-seccion:title", "#una-subseccion:title", "#segunda-seccion:title"]
    assert list(slots(ours)) == list(slots(theirs))
    assert slots(theirs)["§2:list1.5"].text == "three with alpha again.[^alpha]"


def test_comparison_reports_changed_added_and_removed_segments(tmp_path) -> None:
    text = COMPLETE.read_text("utf-8")
    old = segments_of(text, tmp_path)
    new = segments_of(text.replace("Gamma note.", "Gamma note, revised.").replace(
        "- one\n", "").replace("> A quotation.\n", "> A quotation.\n\nNew text.\n"), tmp_path)
    result = compare(old, new)
    assert [(c.kind, c.old.id if c.old else None, c.new.id if c.new else None)
            for c in result.changes] == [
        ("removed", "#a-subsection:list1.1", None),
        ("added", None, "#a-subsection:p1"),
        ("changed", "[^gamma]:p1", "[^gamma]:p1"),
    ]
    # Renumbered but unchanged: the first list item is now list1.1, matched by its text.
    assert result.counterpart["#a-subsection:list1.1"].text == "two"
