"""Turn a flat run of blocks and `#`/`##` headings into the article's sections.

Structure rules live here because they are about the article, not about Markdown: a
leaflet never prints an empty section, and heading levels never skip (a `###` straight
under a `#` would have no place in the table of contents or the bookmarks).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path

from pressroom.content import model as m
from pressroom.content.markup import BodyBlock
from pressroom.content.model import plain_text
from pressroom.core.errors import Problems

#: Ids the layouts use for their own parts; a heading with the same slug gets a suffix.
RESERVED_ANCHORS = frozenset({"title", "contents", "references", "checklist", "about", "cover"})
_GENERATED = re.compile(r"^(note|cite)-\d")


def slugify(text: str) -> str:
    """A readable, stable id from heading text.

    Accents are dropped (síntomas → sintomas) so ids are plain ASCII for Latin scripts,
    which every reading system links to; other scripts keep their letters (valid XML ids).
    """
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    folded = "".join(c for c in decomposed if unicodedata.category(c) != "Mn")
    slug = re.sub(r"[^\w]+", "-", unicodedata.normalize("NFC", folded)).strip("-_")
    if not slug or not (slug[0].isalpha()):
        slug = f"s-{slug}" if slug else "section"
    return slug


@dataclass
class AnchorSet:
    used: set[str] = field(default_factory=lambda: set(RESERVED_ANCHORS))

    def claim(self, text: str) -> str:
        base = slugify(text)
        if _GENERATED.match(base):  # "Note 1" must not take the id of note 1
            base = f"s-{base}"
        anchor, n = base, 1
        while anchor in self.used:
            n += 1
            anchor = f"{base}-{n}"
        self.used.add(anchor)
        return anchor


@dataclass
class _Draft:
    level: int
    title: tuple[m.Inline, ...]
    anchor: str
    line: int
    blocks: list[m.Block] = field(default_factory=list)
    subsections: list[_Draft] = field(default_factory=list)

    def freeze(self) -> m.Section:
        return m.Section(
            self.level, self.title, self.anchor, self.line, tuple(self.blocks),
            tuple(d.freeze() for d in self.subsections),
        )


#: Headings of the parts the layouts generate, as an author might type them by hand.
GENERATED_HEADINGS = ("References",)


def build_outline(
    body: list[BodyBlock], path: Path, problems: Problems,
    generated: Iterable[str] = GENERATED_HEADINGS,
) -> tuple[tuple[m.Block, ...], tuple[m.Section, ...]]:
    """Group blocks under their headings; return (lead blocks, sections).

    `generated`: titles of sections the layouts make themselves ("References" and its
    translation): an author who writes one by hand is told so.
    """
    generated = {title.casefold() for title in generated if title}
    anchors = AnchorSet()
    lead: list[m.Block] = []
    sections: list[_Draft] = []
    container: list[m.Block] = lead
    level = 0
    for item in body:
        if item.heading_level:
            draft = _Draft(
                item.heading_level, item.title, anchors.claim(plain_text(item.title)), item.line
            )
            if item.heading_level == 1:
                sections.append(draft)
            elif not sections:
                problems.error(path, item.line, "'##' subsection before the first '#' section")
                continue
            else:
                sections[-1].subsections.append(draft)
            container, level = draft.blocks, item.heading_level
            continue
        node = item.node
        if isinstance(node, m.Heading):
            if node.level > level + 1:
                problems.error(
                    path, node.line,
                    f"heading level skips from {'#' * level or 'the title'} to {'#' * node.level}",
                )
            level = node.level
            node = replace(node, anchor=anchors.claim(plain_text(node.children)))
        if node is not None:
            container.append(node)

    for section in sections:
        _check_not_empty(section, path, problems, generated)
    return tuple(lead), tuple(s.freeze() for s in sections)


def _check_not_empty(draft: _Draft, path: Path, problems: Problems, generated: set[str]
                     ) -> None:
    title = plain_text(draft.title)
    empty = not draft.blocks and not draft.subsections
    if title.strip().casefold() in generated:
        # Usually a heading above the note definitions, which leaves it empty.
        report = problems.error if empty else problems.warning
        report(path, draft.line, f"the '{title}' list is generated from the notes: delete"
               " this heading, write each reference as a note ([^key]: …) and cite it in"
               " the text ([^key])")
    elif empty:
        what = "section" if draft.level == 1 else "subsection"
        problems.error(path, draft.line, f"{what} '{title}' is empty")
    for sub in draft.subsections:
        _check_not_empty(sub, path, problems, generated)
