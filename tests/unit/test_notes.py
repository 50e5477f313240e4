"""Footnote numbering: first-citation order, repeats reuse numbers, errors are located."""

from __future__ import annotations

from pathlib import Path

from conftest import DATA, load
from helpers import messages

from pressroom.content import model as m
from pressroom.content.notes import map_refs, number_notes
from pressroom.core.errors import Problems


def refs_in(node: object) -> list[m.NoteRef]:
    found: list[m.NoteRef] = []

    def visit(ref: m.NoteRef) -> m.NoteRef:
        found.append(ref)
        return ref

    map_refs(node, visit)
    return found


def numbered(path: Path):
    article, problems = load(path)
    assert article is not None
    return (*number_notes(article, problems), problems)


def test_first_citation_order_and_reuse() -> None:
    article, notes, problems = numbered(DATA / "articles" / "complete.md")
    assert not list(problems)
    calls = refs_in((article.lead, article.sections))
    assert [(r.key, r.number) for r in calls] == [
        ("alpha", 1), ("beta", 2), ("alpha", 1), ("gamma", 3), ("beta", 2),
        ("delta", 4), ("epsilon", 5), ("alpha", 1), ("^[1]", 6), ("zeta", 7), ("eta", 8),
    ]
    assert [r.anchor for r in calls] == [
        "cite-1-1", "cite-2-1", "cite-1-2", "cite-3-1", "cite-2-2", "cite-4-1", "cite-5-1",
        "cite-1-3", "cite-6-1", "cite-7-1", "cite-8-1",
    ]
    # Definitions are written beta, alpha, gamma…: the list follows citation order instead;
    # the inline note takes its place in the sequence.
    assert [(n.number, n.key) for n in notes] == [
        (1, "alpha"), (2, "beta"), (3, "gamma"), (4, "delta"), (5, "epsilon"), (6, "^[1]"),
        (7, "zeta"), (8, "eta"),
    ]
    assert [n.number for n in notes if n.inline] == [6]
    assert notes[0].citations == ("cite-1-1", "cite-1-2", "cite-1-3")
    assert notes[2].citations == ("cite-3-1",)
    assert m.plain_text(notes[5].blocks[0].children) == (
        "An inline note, numbered where it stands.")
    assert m.plain_text(notes[7].blocks[0].children) == (
        "Eta note, defined inside the item, lazily continued.")


def test_seed_article_reads_one_two_two(root: Path) -> None:
    article, notes, problems = numbered(root / "source" / "en" / "muscle-spasms.md")
    assert not list(problems)
    assert [r.number for r in refs_in(article.sections)] == [1, 2, 2]
    assert [n.key for n in notes] == ["kurz", "healthline"]
    assert m.plain_text(notes[0].blocks[0].children).startswith("Kurz, Jennifer, M.D.")


def test_undefined_key_is_reported_at_the_call() -> None:
    _, _, problems = numbered(DATA / "errors" / "undefined-note.md")
    assert messages(problems) == [
        "undefined-note.md:7: error: note [^nope] is cited but never defined"
    ]


def test_unused_definition_is_reported_at_the_definition() -> None:
    _, notes, problems = numbered(DATA / "errors" / "unused-note.md")
    assert messages(problems) == [
        "unused-note.md:11: error: note [^spare] is defined but never cited"
    ]
    assert [n.key for n in notes] == ["used"]


def test_note_citing_a_note_is_an_error() -> None:
    article = m.Article(
        Path("a.md"), "en", "a", m.Meta("T"), (),
        (m.Section(1, (m.Text("S"),), "s", 1, (m.Paragraph((m.NoteRef("a", 3),), 3),)),),
        (m.NoteDefinition("a", (m.Paragraph((m.NoteRef("a", 5),), 5),), 5),),
        m.Checklist(),
    )
    problems = Problems()
    number_notes(article, problems)
    assert messages(problems) == ["a.md:5: error: a note cannot cite another note ([^a])"]


def test_a_definition_without_its_colon_is_one_error() -> None:
    """`[^kurz] Kurz, …` at the start of a line: one error there, not "cited but never
    defined" at each citation."""
    article, problems = load(DATA / "errors" / "broken-definition.md")
    assert article is not None
    number_notes(article, problems)
    assert messages(problems) == [
        "broken-definition.md:9: error: this line looks like a broken note definition: write"
        " '[^kurz]: …' (with a colon after the key)"]


def test_a_citation_starting_a_paragraph_is_still_a_citation(tmp_path: Path) -> None:
    path = tmp_path / "a.md"
    path.write_text("---\ntitle: T\n---\n\n# S\n\n[^a] shows it.\n\n[^a]: A source.\n", "utf-8")
    article, problems = load(path)
    _, notes = number_notes(article, problems)
    assert not list(problems) and [n.key for n in notes] == ["a"]
