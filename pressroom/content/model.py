"""The content model: what an article *is*, independent of Markdown, PDF or EPUB.

Plain frozen dataclasses, no I/O and no markup. Each node class has a `kind` string so
that templates can dispatch on it (`{% if node.kind == "paragraph" %}`) without
knowing Python types. Nodes that an author can get wrong carry their source `line`, so
later stages can still report `path:line`.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import ClassVar

# --- inline nodes -----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Text:
    kind: ClassVar[str] = "text"
    text: str


@dataclass(frozen=True, slots=True)
class Code:
    kind: ClassVar[str] = "code"
    text: str


@dataclass(frozen=True, slots=True)
class Emphasis:
    kind: ClassVar[str] = "emphasis"
    children: tuple[Inline, ...]


@dataclass(frozen=True, slots=True)
class Strong:
    kind: ClassVar[str] = "strong"
    children: tuple[Inline, ...]


@dataclass(frozen=True, slots=True)
class Link:
    kind: ClassVar[str] = "link"
    href: str
    children: tuple[Inline, ...]
    title: str = ""
    line: int = 0


@dataclass(frozen=True, slots=True)
class Image:
    kind: ClassVar[str] = "image"
    #: The file on disk, checked to exist inside the project (content/images.py).
    path: Path
    alt: str
    title: str = ""
    line: int = 0
    #: The address as written (`figures/stretch.png`): what a problem with it quotes.
    src: str = ""


@dataclass(frozen=True, slots=True)
class LineBreak:
    kind: ClassVar[str] = "linebreak"


@dataclass(frozen=True, slots=True)
class NoteRef:
    """A citation of a note by key. `number` and `anchor` are 0/"" until notes are resolved.

    An inline note (`^[text]`) is cited where it is written: its key is made up
    (`inline_note_key`) and its text is a `NoteDefinition` like any other.
    """

    kind: ClassVar[str] = "noteref"
    key: str
    line: int
    number: int = 0
    #: Unique id of this citation, the target of the note's back link.
    anchor: str = ""
    #: True for the call of an inline note `^[…]`.
    inline: bool = False


Inline = Text | Code | Emphasis | Strong | Link | Image | LineBreak | NoteRef

# --- block nodes ------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Paragraph:
    kind: ClassVar[str] = "paragraph"
    children: tuple[Inline, ...]
    line: int = 0


@dataclass(frozen=True, slots=True)
class Heading:
    """A minor heading inside a subsection (`###` and deeper)."""

    kind: ClassVar[str] = "heading"
    level: int
    children: tuple[Inline, ...]
    anchor: str
    line: int = 0


@dataclass(frozen=True, slots=True)
class ListItem:
    kind: ClassVar[str] = "list_item"
    blocks: tuple[Block, ...]


@dataclass(frozen=True, slots=True)
class ListBlock:
    kind: ClassVar[str] = "list"
    ordered: bool
    items: tuple[ListItem, ...]
    start: int = 1
    #: A tight list's items are single short paragraphs, rendered without paragraph spacing.
    tight: bool = True


@dataclass(frozen=True, slots=True)
class Quote:
    kind: ClassVar[str] = "quote"
    blocks: tuple[Block, ...]


@dataclass(frozen=True, slots=True)
class CodeBlock:
    kind: ClassVar[str] = "code_block"
    text: str
    language: str = ""


@dataclass(frozen=True, slots=True)
class Rule:
    kind: ClassVar[str] = "rule"


@dataclass(frozen=True, slots=True)
class TableCell:
    kind: ClassVar[str] = "table_cell"
    children: tuple[Inline, ...]
    #: "left", "center", "right" or "" for the default.
    align: str = ""


@dataclass(frozen=True, slots=True)
class Table:
    kind: ClassVar[str] = "table"
    head: tuple[tuple[TableCell, ...], ...]
    body: tuple[tuple[TableCell, ...], ...]
    line: int = 0


Block = Paragraph | Heading | ListBlock | Quote | CodeBlock | Rule | Table

# --- document structure -----------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Section:
    """A `#` section (level 1) or a `##` subsection (level 2) with its content."""

    kind: ClassVar[str] = "section"
    level: int
    title: tuple[Inline, ...]
    anchor: str
    line: int
    blocks: tuple[Block, ...] = ()
    subsections: tuple[Section, ...] = ()


@dataclass(frozen=True, slots=True)
class NoteDefinition:
    """A note as written (`[^key]: …`, or `^[…]` in the text), before numbering."""

    key: str
    blocks: tuple[Block, ...]
    line: int
    #: Written in place as `^[…]`: cited exactly once, where it stands.
    inline: bool = False


def inline_note_key(ordinal: int) -> str:
    """The key of an article's `ordinal`-th inline note. No author can write it (a note
    label cannot contain "]"), so an inline note can never be cited a second time."""
    return f"^[{ordinal}]"


@dataclass(frozen=True, slots=True)
class ChecklistItem:
    text: str
    line: int
    #: Stable, unique form-field name (`symptom-1`): the same in every format and build,
    #: so a ticked PDF form and the web page's saved ticks name the same item.
    field: str


@dataclass(frozen=True, slots=True)
class ChecklistGroup:
    #: "symptoms" or "remedies": layouts pick the group's heading from it.
    key: str
    items: tuple[ChecklistItem, ...]
    line: int = 0


#: The checklist page: its groups in the order the page shows them (empty: no page).
Checklist = tuple[ChecklistGroup, ...]


@dataclass(frozen=True, slots=True)
class Meta:
    """Front matter after validation: every value has its final Python type."""

    title: str
    subtitle: str = ""
    summary: str = ""
    authors: tuple[str, ...] = ()
    publisher: str = ""
    published: dt.date | None = None
    reviewed: dt.date | None = None
    review_due: dt.date | None = None
    keywords: tuple[str, ...] = ()
    #: For a translation: the locale of the article it was translated from (default "en").
    source_locale: str = ""
    #: Leaflet code and version for the page footer (clinics track which leaflet a patient
    #: received): "MSK-014", "3" → "MSK-014 v3".
    code: str = ""
    version: str = ""
    #: For a translation: the digest of its source's segments when it was made or last
    #: marked current (translation/segments.py), so an outdated translation can be told without git.
    translated_from: str = ""
    #: The school grade the text should not read above (`publish.py readability`, and a
    #: warning from `check`); None: the default, grade 8.
    reading_target: float | None = None
    #: Topic ids (`topics.yaml`): the web edition's topic pages and related leaflets.
    topics: tuple[str, ...] = ()
    #: 1-based line of each front-matter key, for later stages' error messages.
    lines: dict[str, int] = field(default_factory=dict, compare=False, hash=False)


@dataclass(frozen=True, slots=True)
class Article:
    path: Path
    locale: str
    slug: str
    meta: Meta
    #: Content before the first `#` section.
    lead: tuple[Block, ...]
    sections: tuple[Section, ...]
    notes: tuple[NoteDefinition, ...]
    checklist: Checklist = ()

    def checklist_group(self, key: str) -> ChecklistGroup | None:
        return next((g for g in self.checklist if g.key == key), None)


def plain_text(inlines: tuple[Inline, ...] | list[Inline], lines: bool = False) -> str:
    """Text of inline nodes without markup or note calls (for ids, bookmarks, metadata).

    With `lines`, the source's line breaks stay (as "\n"): what a reader of the text
    (readability.py) needs to report a sentence at the line it starts on.
    """
    text = _plain(inlines)
    if lines:
        return "\n".join(" ".join(line.split()) for line in text.strip().split("\n"))
    return " ".join(text.split())


def _plain(inlines: tuple[Inline, ...] | list[Inline]) -> str:
    parts: list[str] = []
    for node in inlines:
        if isinstance(node, Text | Code):
            parts.append(node.text)
        elif isinstance(node, Emphasis | Strong | Link):
            parts.append(_plain(node.children))
        elif isinstance(node, Image):
            parts.append(node.alt)
        elif isinstance(node, LineBreak):
            parts.append("\n")
    return "".join(parts)


@functools.cache
def node_fields(cls: type) -> tuple[str, ...] | None:
    """The field names of a node class; None for anything that is not a node (text,
    numbers). Cached per class: asked for every value of every tree walk."""
    if not dataclasses.is_dataclass(cls):
        return None
    return tuple(f.name for f in dataclasses.fields(cls))


def descendants(node: object) -> Iterator[object]:
    """Every node below `node` (itself included) in document order.

    Iterative, with each class's field names looked up once: every stage walks the
    tree (images, links, notes, translations), so this is on every build's path.
    """
    stack = [node]
    while stack:
        current = stack.pop()
        kind = type(current)
        if kind is tuple:
            stack.extend(reversed(current))  # type: ignore[call-overload]
            continue
        names = node_fields(kind)
        if names is None:
            continue
        yield current
        children = [getattr(current, name) for name in names]
        stack.extend(reversed([value for value in children if type(value) is tuple
                               or node_fields(type(value)) is not None]))


def image_paths(nodes: object) -> tuple[Path, ...]:
    """Every image file shown under `nodes` (text and notes), once each, sorted."""
    return tuple(sorted({n.path for n in descendants(nodes) if isinstance(n, Image)}))
