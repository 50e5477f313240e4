"""What a translated segment must keep, and which segment a line of a translated article
belongs to: shared by `translations import` (po/importing.py) and draft builds
(drafts.py), so both name the PO entry to fix, never a line of a file that is not
written yet.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from pressroom.content import frontmatter
from pressroom.content.markup_text import DELIMITERS, TextUnit, inline_facts, note_call, text_units
from pressroom.core.errors import Problems
from pressroom.translation.segments import Segment, Segmented


def check_entry(segment: Segment, text: str, path: Path, line: int | None,
                problems: Problems) -> None:
    """A translated run of Markdown keeps the source's note calls and links, and closes
    what it opens."""
    if segment.unit is None or segment.role == "image caption":
        return
    theirs, ours = inline_facts(segment.text), inline_facts(text)
    for key in Counter(theirs.notes) - Counter(ours.notes):
        problems.error(path, line, f"the translation drops the note call {note_call(key)}:"
                       " keep it where the source cites it")
    for key in Counter(ours.notes) - Counter(theirs.notes):
        problems.error(path, line, f"the translation adds a note call {note_call(key)} that"
                       " the source text does not have")
    broken = list((Counter(theirs.links) - Counter(ours.links)).elements())
    for href in broken:
        problems.error(path, line, f"the link to {href} is missing or broken in the"
                       f" translation: keep it as [text]({href})")
    if broken:
        return
    for char in DELIMITERS:
        if ours.literals[char] > theirs.literals[char]:
            problems.error(path, line, f"unbalanced Markdown: a '{char}' without its pair"
                           f" (close it, or write \\{char} for the character itself)")
            return


def units(text: str) -> list[TextUnit]:
    split = frontmatter.split(text, Path("article.md"), Problems())
    return text_units(split.body) if split is not None else []


def segment_at(text: str, src: Segmented, line: int | None) -> Segment | None:
    """The source segment whose translation is on `line` (1-based) of `text`, an article
    written from `src` segment by segment (compose.py)."""
    if line is None:
        return None
    body = [s for s in src.segments if s.unit is not None]
    found = next((s for s, u in zip(body, units(text), strict=False)
                  if u.first < line <= u.last), None)
    if found is not None:
        return found
    split = frontmatter.split(text, Path("article.md"), Problems())
    values = {v.path: v.line for v in frontmatter.scalars(split)} if split is not None else {}
    return next((s for s in src.segments if s.scalar is not None
                 and values.get(s.scalar.path) == line), None)
