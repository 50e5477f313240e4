"""A translated article, written from its source: the source's own text with every
segment replaced by its translation.

Starting from the source file keeps everything a translation must keep without asking
the translator: the front-matter keys (in English), the dates, code and version, the
note keys and where notes are defined, image files, code blocks and the Markdown
structure. What changes is each segment's text (a missing translation falls back to the
source's text, which is how a draft is made), the `translated_from` record, links to a
heading (pointed at the translated heading's id) and image paths (relative to the
translation's folder, unless it has its own copy of the image).
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, unquote

from pressroom.content import frontmatter
from pressroom.content import model as m
from pressroom.content.markup import make_parser
from pressroom.content.markup_text import retarget_links, rewrite, split_lines
from pressroom.content.sources import SourceFile, load_article
from pressroom.core.errors import Problems
from pressroom.core.yamlfile import scalar_text
from pressroom.translation.segments import Segmented, heading_anchors

REVISION_KEY = "translated_from"
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")


def compose(source: Segmented, texts: Mapping[str, str], target: Path,
            revision: str = "", *, only_given: bool = False) -> str:
    """The source's text with each segment's translation from `texts` (by segment id)
    in its place, for the file `target`; `revision` is recorded as `translated_from`.
    `only_given`: rewrite only the segments `texts` names, so every other line (its
    wrapping, the comments and blank lines around it) stays byte for byte — how an
    import changes an existing translation."""
    lines = split_lines(source.text)
    move = image_mover(source.article.path.parent, target.parent)
    given = _given(source, texts) if only_given else {s.id for s in source.segments}
    units = [(s.unit, texts.get(s.id, s.text)) for s in source.segments
             if s.unit is not None and s.id in given]
    lines = rewrite(lines, units, move)
    edits = [(s.scalar.start, s.scalar.end, scalar_text(texts.get(s.id, s.text), s.scalar.flow))
             for s in source.segments if s.scalar is not None and s.id in given]
    split = frontmatter.split(source.text, source.article.path, Problems())
    recorded = [v for v in frontmatter.scalars(split) if v.path == (REVISION_KEY,)] \
        if split is not None else []
    if revision and recorded and recorded[0].value != revision:
        edits.append((recorded[0].start, recorded[0].end, revision))
    lines = _replace(lines, edits)
    if revision and not recorded:
        lines.insert(_closing_fence(lines), f"{REVISION_KEY}: {scalar_text(revision)}")
    return "\n".join(lines)


def _given(source: Segmented, texts: Mapping[str, str]) -> set[str]:
    """The segments named in `texts`, and the other text of an image they share a line
    with (an image's alt text and caption are written together)."""
    given = {s.id for s in source.segments if s.id in texts}
    lines = {s.unit.first for s in source.segments
             if s.id in given and s.unit is not None and s.unit.block_type == "figure"}
    return given | {s.id for s in source.segments if s.unit is not None
                    and s.unit.block_type == "figure" and s.unit.first in lines}


@dataclass
class Translated:
    """A translated article's text, and the article it loads as (with its problems)."""

    text: str
    article: m.Article | None
    problems: Problems


def translated(source: Segmented, texts: Mapping[str, str], target: SourceFile,
               roots: tuple[Path, ...], revision: str = "", *, only_given: bool = False
               ) -> Translated:
    """`compose`, then links to headings pointed at the translated headings' ids (known
    once the text is read as an article), read again as the build will read it."""
    text = compose(source, texts, target.path, revision, only_given=only_given)
    md = make_parser()
    first = load_article(target, roots, Problems(), md, text.encode("utf-8"))
    if first is not None:
        theirs, ours = source.anchors(), heading_anchors(first)
        if len(theirs) == len(ours):
            text = retarget(text, body_start(text), dict(zip(theirs, ours, strict=True)))
    problems = Problems()
    article = load_article(target, roots, problems, md, text.encode("utf-8"))
    return Translated(text, article, problems)


def set_revision(text: str, revision: str, path: Path) -> str:
    """The same article text with `translated_from` set (added before the closing fence)."""
    lines = split_lines(text)
    split = frontmatter.split(text, path, Problems())
    recorded = [v for v in frontmatter.scalars(split) if v.path == (REVISION_KEY,)] \
        if split is not None else []
    if recorded:
        lines = _replace(lines, [(recorded[0].start, recorded[0].end, scalar_text(revision))])
    else:
        lines.insert(_closing_fence(lines), f"{REVISION_KEY}: {scalar_text(revision)}")
    return "\n".join(lines)


def retarget(text: str, start: int, anchors: Mapping[str, str]) -> str:
    """Links to a heading (`#id`) in the body (from line `start`, 0-based) pointed at
    another language's heading ids."""
    lines = split_lines(text)
    body = retarget_links("\n".join(lines[start:]), dict(anchors))
    return "\n".join([*lines[:start], body])


def body_start(text: str) -> int:
    """0-based index of the first line after the front matter."""
    return _closing_fence(split_lines(text)) + 1


def _closing_fence(lines: list[str]) -> int:
    for index in range(1, len(lines)):
        if lines[index].strip() in (frontmatter.FENCE, "..."):
            return index
    return len(lines)


def _replace(lines: list[str], edits: list[tuple[tuple[int, int], tuple[int, int], str]]
             ) -> list[str]:
    """Replace (line, column) spans, last first so earlier positions stay valid."""
    text = "\n".join(lines)
    starts = [0]
    for line in lines:
        starts.append(starts[-1] + len(line) + 1)
    for (l1, c1), (l2, c2), new in sorted(edits, reverse=True):
        a, b = starts[l1] + c1, starts[l2] + c2
        if text[a:b].endswith("\n"):  # a block scalar (`>`) ends at the next key's line
            new += "\n"
        text = text[:a] + new + text[b:]
    return split_lines(text)


def image_mover(source_dir: Path, target_dir: Path) -> Callable[[str], str]:
    """Image paths of the source, relative to the translation's folder: the source's
    image, unless the translation's folder has its own file of that name."""

    def move(destination: str) -> str:
        bracketed = destination.startswith("<") and destination.endswith(">")
        raw = destination[1:-1] if bracketed else destination
        if _SCHEME.match(raw) or raw.startswith(("/", "#")) or not raw:
            return destination
        path = unquote(raw)
        if (target_dir / path).exists() or source_dir.resolve() == target_dir.resolve():
            return destination
        moved = Path(os.path.relpath(source_dir / path, target_dir)).as_posix()
        if raw != path:
            moved = quote(moved, safe="/._-~")
        return f"<{moved}>" if bracketed or " " in moved else moved

    return move
