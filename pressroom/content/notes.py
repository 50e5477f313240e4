"""Footnote numbering: document-wide, in order of first citation, repeats reuse the number.

Inline notes (`^[…]`) are numbered in the same sequence, where they stand; each is cited
once, so none is ever reused.

This is the single place numbers are decided. Renderers only read `NoteRef.number`,
`NoteRef.anchor` and `Note.citations`, so the PDF, the EPUB and every localized edition
agree by construction.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from pressroom.content import model as m
from pressroom.core.errors import Problems


@dataclass(frozen=True, slots=True)
class Note:
    number: int
    key: str
    blocks: tuple[m.Block, ...]
    line: int
    #: Anchor of every citation of this note, in reading order (targets of the back links).
    citations: tuple[str, ...]
    #: Written in place as `^[…]` (its key is made up: see model.inline_note_key).
    inline: bool = False

    @property
    def anchor(self) -> str:
        return note_anchor(self.number)


def note_anchor(number: int) -> str:
    return f"note-{number}"


def citation_anchor(number: int, occurrence: int) -> str:
    return f"cite-{number}-{occurrence}"


def map_refs(node: Any, visit: Callable[[m.NoteRef], m.NoteRef]) -> Any:
    """Rebuild a frozen node tree in document order, passing every NoteRef through `visit`."""
    if isinstance(node, m.NoteRef):
        return visit(node)
    if isinstance(node, tuple):
        children = tuple(map_refs(child, visit) for child in node)
        return node if all(a is b for a, b in zip(children, node, strict=True)) else children
    names = m.node_fields(type(node))
    if names is None:
        return node
    changes = {}
    for name in names:
        value = getattr(node, name)
        if type(value) is tuple or m.node_fields(type(value)) is not None:
            new = map_refs(value, visit)
            if new is not value:
                changes[name] = new
    return dataclasses.replace(node, **changes) if changes else node


def number_notes(article: m.Article, problems: Problems) -> tuple[m.Article, tuple[Note, ...]]:
    """Number every citation; report undefined keys, unused and note-in-note citations."""
    definitions = {d.key: d for d in article.notes}
    numbers: dict[str, int] = {}
    citations: dict[str, list[str]] = {}

    def visit(ref: m.NoteRef) -> m.NoteRef:
        if ref.key not in definitions:
            problems.error(article.path, ref.line, f"note [^{ref.key}] is cited but never defined")
            return ref
        number = numbers.setdefault(ref.key, len(numbers) + 1)
        anchors = citations.setdefault(ref.key, [])
        anchors.append(citation_anchor(number, len(anchors) + 1))
        return dataclasses.replace(ref, number=number, anchor=anchors[-1])

    lead = map_refs(article.lead, visit)
    sections = map_refs(article.sections, visit)

    def nested(ref: m.NoteRef) -> m.NoteRef:
        cited = "^[…]" if ref.inline else f"[^{ref.key}]"
        problems.error(article.path, ref.line, f"a note cannot cite another note ({cited})")
        return ref

    for definition in article.notes:
        map_refs(definition.blocks, nested)
        # An inline note is cited where it is written: if it has no number, it stands
        # inside another note, which is reported above.
        if definition.key not in numbers and not definition.inline:
            problems.error(
                article.path, definition.line,
                f"note [^{definition.key}] is defined but never cited",
            )
    notes = tuple(
        Note(numbers[d.key], d.key, d.blocks, d.line, tuple(citations[d.key]), d.inline)
        for d in sorted(article.notes, key=lambda d: numbers.get(d.key, 0))
        if d.key in numbers
    )
    return dataclasses.replace(article, lead=lead, sections=sections), notes
