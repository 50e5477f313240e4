"""Segments: what a translator translates, one unit at a time, each with a stable id.

A segment is a front-matter text (title, subtitle, summary, each author, publisher and
keyword, each checklist item) or a run of inline Markdown of the body (a heading, a
paragraph, a list item, a quote's paragraph, a table cell, an image's alt text and
caption, a note's paragraph; markup_text.py finds them). Its id is the PO `msgctxt`:

    meta:title   meta:keywords.2   checklist:remedies.4   lead:p1
    #what-are-muscle-spasms:title   #what-are-muscle-spasms:p2
    #diagnosing-muscle-spasms:list1.3   #results:table1.r2c1   #x:figure1.alt
    [^kurz]:p1

A body segment is named by the section it is in (its heading's id) and its kind and
number *within that section* (the second paragraph, the third list item of the first
list), so an edit in one section never renames the segments of another, and adding a
list never renumbers the paragraphs. Renaming a heading renames its section's ids; what
changed is still found by comparing texts in order (`compare`), so only the heading is
reported. In a translation the headings' ids are another language's, so translations
are aligned with their source by *slot*: the same id with the section named by its
position (`§3:p2`), which the translation check guarantees is the same in both.

`digest` is what a translation records in `translated_from`: a hash of the source's
segment texts and kinds in order. Texts are compared with soft line breaks as spaces,
so rewrapping a paragraph is not a change; any other edit to a segment is.
"""

from __future__ import annotations

import difflib
import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from markdown_it import MarkdownIt

from pressroom.content import frontmatter
from pressroom.content import model as m
from pressroom.content.frontmatter import REVISION_LENGTH, Scalar
from pressroom.content.markup_text import TextUnit, text_units
from pressroom.core.errors import Problems

#: Front-matter keys whose text is translated (dates, code, version and the locale
#: fields are kept as the source has them).
META = ("title", "subtitle", "summary", "authors", "publisher", "keywords")
#: Front-matter values a translation keeps exactly as its source has them.
KEPT = ("published", "reviewed", "review_due", "code", "version")
_BLOCK_NAMES = {"paragraph": "p", "heading": "heading", "list": "list", "quote": "quote",
                "table": "table", "figure": "figure"}
_META_ROLES = {"title": "title", "subtitle": "subtitle", "summary": "summary",
               "authors": "author", "publisher": "publisher", "keywords": "keyword"}
_LOCAL_ROLES = (("title", "heading"), ("heading", "heading"), ("p", "paragraph"),
                ("list", "list item"), ("quote", "quote"), ("table", "table cell"))


@dataclass(frozen=True, slots=True)
class Segment:
    id: str
    #: Inline Markdown (body) or plain text (front matter); soft breaks as spaces.
    text: str
    #: 1-based line in its file.
    line: int
    #: Where it is written, so a translation can replace it (None when read from a record).
    unit: TextUnit | None = None
    scalar: Scalar | None = None

    @property
    def scope(self) -> str:
        return self.id.rpartition(":")[0]

    @property
    def local(self) -> str:
        return self.id.rpartition(":")[2]

    @property
    def role(self) -> str:
        return role_of(self.id)


def role_of(segment_id: str) -> str:
    """What a segment is, in words, from its id ("paragraph", "checklist item")."""
    scope, _, local = segment_id.rpartition(":")
    if scope == "meta":
        return _META_ROLES.get(local.split(".")[0], local)
    if scope == "checklist":
        return "checklist item"
    if scope.startswith("[^"):
        return "note"
    if local.startswith("figure"):
        return "image description" if local.endswith(".alt") else "image caption"
    return next((role for prefix, role in _LOCAL_ROLES if local.startswith(prefix)), "text")


def extract(article: m.Article, text: str, md: MarkdownIt | None = None) -> list[Segment]:
    """Every segment of an article that loaded, from its text, in file order."""
    split = frontmatter.split(text, article.path, Problems())
    if split is None:
        return []
    return _meta(frontmatter.scalars(split)) + _body(article, text_units(split.body, md))


def _meta(values: list[Scalar]) -> list[Segment]:
    found = []
    for value in values:
        key = value.path[0]
        if key in META and value.value.strip():
            local = key if len(value.path) == 1 else f"{key}.{value.path[1]}"
            found.append(Segment(f"meta:{local}", _clean(value.value), value.line,
                                 scalar=value))
        elif key == "checklist" and len(value.path) == 3 and value.value.strip():
            found.append(Segment(f"checklist:{value.path[1]}.{value.path[2]}",
                                 _clean(value.value), value.line, scalar=value))
    return found


def _clean(text: str) -> str:
    return " ".join(text.split())


def _outline(article: m.Article) -> list[m.Section]:
    flat: list[m.Section] = []

    def visit(section: m.Section) -> None:
        flat.append(section)
        for sub in section.subsections:
            visit(sub)

    for section in article.sections:
        visit(section)
    return flat


def _body(article: m.Article, units: list[TextUnit]) -> list[Segment]:
    sections = iter(_outline(article))
    found: list[Segment] = []
    current, count = "lead", 0
    names: dict[tuple[str, int], str] = {}
    numbers: dict[tuple[str, str], int] = {}
    within: dict[tuple[str, int], int] = {}
    for unit in units:
        line = unit.first + 1
        if not unit.note and unit.block_type == "heading" and unit.level in (1, 2):
            count += 1
            section = next(sections, None)
            current = f"#{section.anchor}" if section else f"#section-{count}"
            found.append(Segment(f"{current}:title", unit.text, line, unit))
            continue
        scope = f"[^{unit.note}]" if unit.note else current
        key = (scope, unit.block)
        if key not in names:
            kind = _BLOCK_NAMES.get(unit.block_type, unit.block_type)
            numbers[(scope, kind)] = numbers.get((scope, kind), 0) + 1
            names[key] = f"{kind}{numbers[(scope, kind)]}"
        base = names[key]
        if unit.block_type in ("paragraph", "heading"):
            local = base
        elif unit.block_type == "figure":
            local = f"{base}.{unit.role}"
        elif unit.block_type == "table":
            local = f"{base}.r{unit.cell[0]}c{unit.cell[1]}"
        else:
            within[key] = within.get(key, 0) + 1
            local = f"{base}.{within[key]}"
        found.append(Segment(f"{scope}:{local}", unit.text, line, unit))
    return found


def digest(segments: Iterable[Segment]) -> str:
    """What `translated_from` records: the kinds and texts of the segments, in order."""
    payload = json.dumps([[s.role, s.text] for s in segments], ensure_ascii=False)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()[:REVISION_LENGTH]


def section_order(segments: Iterable[Segment]) -> dict[str, int]:
    """Each section's scope (`#what-causes-twitching`) → its position, 1-based."""
    order: dict[str, int] = {}
    for segment in segments:
        if segment.scope.startswith("#") and segment.local == "title":
            order.setdefault(segment.scope, len(order) + 1)
    return order


def slots(segments: Sequence[Segment]) -> dict[str, Segment]:
    """Segments by slot: their id with each section named by its position (`§2:p1`), the
    same in a translation as in its source."""
    order = section_order(segments)
    return {slot_of(s, order): s for s in segments}


def slot_of(segment: Segment, order: dict[str, int]) -> str:
    if segment.scope in order:
        return f"§{order[segment.scope]}:{segment.local}"
    return segment.id


# --- what changed ---------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Change:
    #: "changed", "added" or "removed".
    kind: str
    #: The segment as it was translated (None for an added one).
    old: Segment | None
    #: The segment as the source has it now (None for a removed one).
    new: Segment | None


@dataclass
class Comparison:
    """The source as translated (`old`) against the source now (`new`)."""

    changes: list[Change]
    #: Each current segment's counterpart in the old source (unchanged or changed).
    counterpart: dict[str, Segment]

    @property
    def changed(self) -> set[str]:
        return {c.new.id for c in self.changes if c.kind == "changed" and c.new}


def compare(old: Sequence[Segment], new: Sequence[Segment]) -> Comparison:
    """Align the two in order by kind and text (difflib): equal runs are unchanged; in a
    differing run, segments of the same kind pair up as changed, the rest are added or
    removed."""
    changes: list[Change] = []
    counterpart: dict[str, Segment] = {}
    matcher = difflib.SequenceMatcher(None, [(s.role, s.text) for s in old],
                                      [(s.role, s.text) for s in new], autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            for a, b in zip(old[i1:i2], new[j1:j2], strict=True):
                counterpart[b.id] = a
            continue
        gone, came = list(old[i1:i2]), list(new[j1:j2])
        for b, a in _pairs(gone, came):
            if a is None:
                changes.append(Change("added", None, b))
            else:
                gone.remove(a)
                counterpart[b.id] = a
                changes.append(Change("changed", a, b))
        changes += [Change("removed", a, None) for a in gone]
    return Comparison(changes, counterpart)


def _pairs(gone: list[Segment], came: list[Segment]) -> list[tuple[Segment, Segment | None]]:
    """Each new segment of a differing run with the old one it rewrites, if any: as many
    of each kind, in order, pair up one to one; otherwise the most similar old text of
    the same kind after the last one paired (half the text in common at least)."""
    if [s.role for s in gone] == [s.role for s in came]:
        return list(zip(came, gone, strict=True))
    pairs: list[tuple[Segment, Segment | None]] = []
    start = 0
    for b in came:
        best, score = None, 0.5
        for index in range(start, len(gone)):
            a = gone[index]
            ratio = difflib.SequenceMatcher(None, a.text, b.text).ratio()
            if a.role == b.role and ratio >= score:
                best, score = index, ratio
        pairs.append((b, gone[best] if best is not None else None))
        start = best + 1 if best is not None else start
    return pairs


@dataclass(frozen=True)
class Segmented:
    """An article that loaded, with the text it was read from and its segments."""

    article: m.Article
    text: str
    segments: list[Segment]

    @property
    def digest(self) -> str:
        return digest(self.segments)

    @property
    def slots(self) -> dict[str, Segment]:
        return slots(self.segments)

    def anchors(self) -> list[str]:
        return heading_anchors(self.article)


def heading_anchors(article: m.Article) -> list[str]:
    """The ids of an article's headings in document order (sections, subsections, minor
    headings): position by position, the same headings in a translation."""
    return [n.anchor for n in m.descendants(article.sections)
            if isinstance(n, m.Section | m.Heading) and n.anchor]


def segmented(article: m.Article, text: str, md: MarkdownIt | None = None) -> Segmented:
    return Segmented(article, text, extract(article, text, md))
