"""Markdown as text: the runs of inline Markdown a translator rewrites, and writing them back.

markup.py turns Markdown into the content model; this module is its other half, for the
translation workflow (segments.py, compose.py), and like markup.py it is one of the two
places that know Markdown syntax. It finds, with markdown-it's own parse, every run of
inline Markdown a translator rewrites as a whole — a paragraph, a heading, a list item's
paragraph, a table cell, an image's alt text and caption — with the lines it occupies
and what stands before it on its first line (list markers, `> `, `[^key]: `), so a
translation can be written back in its place while every other character of the file
(code blocks, comments, image paths, blank lines) stays as it was.

Unit text keeps its inline Markdown (`*emphasis*`, `[links](…)`, `[^notes]`) with soft
line breaks as single spaces, so rewrapping a paragraph is not a change and a translator
never has to match line breaks; a hard line break is a newline.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.token import Token

from pressroom.content.markup import make_parser

_LINE_BREAK = re.compile(r"\r\n|\r|\n")
#: Paragraphs written back are wrapped at this column, as the project's files are.
WIDTH = 90
#: Characters that open or close inline Markdown; left over as text, they are unbalanced.
DELIMITERS = "*_`[]"


@dataclass(frozen=True, slots=True)
class TextUnit:
    """A run of inline Markdown that a translator rewrites as a whole, and where it is."""

    #: The block it belongs to: its index among the body's top-level blocks (or, in a
    #: note, among the note's blocks) and that block's type — "paragraph", "heading",
    #: "list", "quote", "table" or "figure" (a paragraph that is one image).
    block: int
    block_type: str
    #: "text"; "cell" in a table; "alt" and "caption" of a figure.
    role: str
    #: Inline Markdown, soft line breaks as spaces, hard breaks as "\n".
    text: str
    #: 0-based lines of the file it occupies: [first, last).
    first: int
    last: int
    #: What precedes the text on its first line (`- `, `> `, `## `, `[^kurz]: `).
    prefix: str = ""
    #: The label of the note definition it is in ("" outside notes).
    note: str = ""
    #: A heading block's level (1 and 2 are sections, 3 and deeper minor headings).
    level: int = 0
    #: A table cell's row and column, 1-based (the header row is row 1).
    cell: tuple[int, int] = (0, 0)
    #: A figure's image destination as written.
    destination: str = ""


def split_lines(text: str) -> list[str]:
    """Lines as markdown-it counts them (not str.splitlines: U+2028 is not a line end)."""
    return _LINE_BREAK.split(text)


def flatten(content: str) -> str:
    """Inline content as one line: soft breaks become a space, hard breaks a newline."""
    lines = content.split("\n")
    out = lines[0].strip()
    for previous, line in itertools.pairwise(lines):
        hard = previous.endswith("\\") or previous.endswith("  ")
        if previous.endswith("\\"):
            out = out[:-1].rstrip()
        out += ("\n" if hard else " ") + line.strip()
    return out


class _Walker:
    def __init__(self, lines: list[str]) -> None:
        self.lines = lines
        self.units: list[TextUnit] = []

    def walk(self, tokens: list[Token]) -> list[TextUnit]:
        block, note, note_block, depth_base = -1, "", -1, 0
        block_type, level = "", 0
        row = col = 0
        #: The block a note definition stands in (a quote, a list item), resumed after it.
        outer: tuple[str, int] = ("", 0)
        for index, token in enumerate(tokens):
            if token.type == "footnote_reference_open":
                # A definition's blocks are numbered in the note, wherever it stands: at
                # the top level, in a block quote or in a list item.
                outer = (block_type, level)
                note, note_block = str(token.meta["label"]), -1
                depth_base = token.level + 1
                continue
            if token.type == "footnote_reference_close":
                note, depth_base = "", 0
                block_type, level = outer
                continue
            if token.nesting == 1 and token.level == depth_base:
                if note:
                    note_block += 1
                else:
                    block += 1
                block_type, level = _block_type(token, tokens[index + 1:index + 3]), 0
                if token.type == "heading_open":
                    level = int(token.tag[1])
                row = 0
            if token.type == "tr_open":
                row, col = row + 1, 0
            elif token.type in ("th_open", "td_open"):
                col += 1
            if token.type != "inline" or token.map is None:
                continue
            where = note_block if note else block
            self.inline(token, where, block_type, note, level, (row, col))
        return self.units

    def inline(self, token: Token, block: int, block_type: str, note: str, level: int,
               cell: tuple[int, int]) -> None:
        first, last = token.map or (0, 0)
        if block_type == "table":
            text = token.content.strip()
            if text:
                self.units.append(TextUnit(block, block_type, "cell", text, first, first + 1,
                                           note=note, cell=cell))
            return
        text = flatten(token.content)
        if not text:
            return
        prefix = self.prefix(first, token.content)
        children = token.children or []
        if block_type == "figure" and len(children) == 1 and children[0].type == "image":
            image = children[0]
            destination = _destination(token.content, image.content)
            if destination is not None:
                alt = flatten(image.content)
                caption = str(image.attrs.get("title") or "")
                common = dict(first=first, last=last, prefix=prefix, note=note,
                              destination=destination)
                self.units.append(TextUnit(block, block_type, "alt", alt, **common))
                if caption:
                    self.units.append(TextUnit(block, block_type, "caption", caption, **common))
                return
            block_type = "paragraph"  # a reference-style image: translated as written
        self.units.append(TextUnit(block, block_type, "text", text, first, last, prefix, note,
                                   level))

    def prefix(self, first: int, content: str) -> str:
        line = self.lines[first] if first < len(self.lines) else ""
        head = content.split("\n")[0].strip()
        at = line.find(head) if head else -1
        if at < 0:
            return line[: len(line) - len(line.lstrip())]
        return line[:at]


def _block_type(token: Token, following: list[Token]) -> str:
    kind = token.type.removesuffix("_open")
    if kind == "paragraph":
        inline = following[0] if following else None
        children = (inline.children or []) if inline is not None else []
        if len(children) == 1 and children[0].type == "image":
            return "figure"
        return "paragraph"
    return {"bullet_list": "list", "ordered_list": "list", "blockquote": "quote"}.get(kind, kind)


def _destination(content: str, alt: str) -> str | None:
    """The destination of `![alt](destination "title")` as written; None for other forms."""
    start = f"![{alt}]("
    if not content.startswith(start) or not content.endswith(")"):
        return None
    inside = content[len(start):-1].strip()
    if inside.startswith("<"):
        end = inside.find(">")
        return inside[: end + 1] if end > 0 else None
    return inside.split()[0] if inside else None


def text_units(body: str, md: MarkdownIt | None = None) -> list[TextUnit]:
    """Every translatable run of the body, in document order (`body` keeps the file's
    line numbers: front matter blanked, see frontmatter.split)."""
    md = md or make_parser()
    return _Walker(split_lines(body)).walk(md.parse(body))


# --- what a run of inline Markdown contains ---------------------------------------


@dataclass(frozen=True, slots=True)
class InlineFacts:
    """What a translation of a run must keep: its note calls, inline notes, links and
    images. An inline note `^[…]` is part of the run it stands in: its text is translated
    there, so its links and Markdown count as the run's."""

    #: Keys of the note calls `[^key]`, in order.
    notes: tuple[str, ...]
    links: tuple[str, ...]
    images: tuple[str, ...]
    #: Delimiter characters left over as plain text (unmatched `*`, `` ` ``, `[`).
    literals: Counter[str]
    #: Text of the run without markup and without its inline notes (for comments).
    plain: str
    #: Text of each inline note `^[…]` without markup, in order.
    inline_notes: tuple[str, ...] = ()


def inline_facts(text: str, md: MarkdownIt | None = None) -> InlineFacts:
    md = md or make_parser()
    notes: list[str] = []
    links: list[str] = []
    images: list[str] = []
    literals: Counter[str] = Counter()
    inline_notes: list[str] = []

    def visit(tokens: Iterable[Token], env: dict[str, Any], plain: list[str]) -> None:
        for token in tokens:
            if token.type == "footnote_ref" and "label" in token.meta:
                notes.append(str(token.meta["label"]))
            elif token.type == "footnote_ref":
                # `^[…]`: the footnote plugin keeps the note's own tokens in `env`.
                record = env.get("footnotes", {}).get("list", {}).get(token.meta["id"], {})
                inside: list[str] = []
                visit(record.get("tokens") or (), env, inside)
                inline_notes.append(_spaced(inside))
            elif token.type == "link_open":
                links.append(str(token.attrs.get("href", "")))
            elif token.type == "image":
                images.append(str(token.attrs.get("src", "")))
                plain.append(token.content)
            elif token.type == "text":
                literals.update(c for c in token.content if c in DELIMITERS)
                plain.append(token.content)
            elif token.type == "code_inline":
                plain.append(token.content)
            elif token.type in ("softbreak", "hardbreak"):
                plain.append(" ")
            visit(token.children or (), env, plain)

    text_parts: list[str] = []
    for line in text.split("\n"):
        env: dict[str, Any] = {}
        visit(md.parseInline(line, env), env, text_parts)
    return InlineFacts(tuple(notes), tuple(links), tuple(images), literals,
                       _spaced(text_parts), tuple(inline_notes))


def _spaced(parts: list[str]) -> str:
    return " ".join("".join(parts).split())


def note_call(key: str) -> str:
    return f"[^{key}]"


# --- writing translations back ----------------------------------------------------


def retarget_links(text: str, anchors: dict[str, str]) -> str:
    """Links to `#anchor` pointed at other anchors (a heading's id in the other language)."""
    if not anchors:
        return text

    def swap(match: re.Match[str]) -> str:
        target = anchors.get(match.group(2), match.group(2))
        return f"{match.group(1)}#{target}"

    return re.sub(r"(\]\(\s*<?)#([^\s)>]+)", swap, text)


def relocate_images(text: str, move: Callable[[str], str]) -> str:
    """Inline image destinations rewritten by `move` (a path relative to another folder)."""
    return re.sub(r"(!\[(?:[^\]\\]|\\.)*\]\(\s*)(<[^>]*>|[^\s)]+)",
                  lambda m: m.group(1) + move(m.group(2)), text)


def _continuation(prefix: str) -> str:
    """What starts the next line of the same paragraph: quote markers stay, the rest
    becomes indentation."""
    return re.sub(r"[^>]", " ", prefix)


def _paragraph(prefix: str, text: str) -> list[str]:
    """A paragraph's lines: wrapped like the rest of the project's files, hard breaks as
    a backslash at the end of the line."""
    out: list[str] = []
    for number, line in enumerate(text.split("\n")):
        lead = prefix if number == 0 else _continuation(prefix)
        if out:
            out[-1] += "\\"
        out += [lead + part if i == 0 else _continuation(prefix) + part
                for i, part in enumerate(_wrap(line, WIDTH - len(lead)))]
    return out


def _breaks(text: str) -> list[int]:
    """Spaces where a line may end: the next line starts with a letter (so it can never
    start a list, heading, quote or note), outside code spans and image brackets (a
    line break in alt text is lost)."""
    found, code, image = [], False, 0
    for index, char in enumerate(text):
        if char == "`":
            code = not code
        elif not code and text.startswith("![", index):
            image += 1
        elif not code and char == "]" and image:
            image -= 1
        elif (char == " " and not code and not image and index + 1 < len(text)
              and text[index + 1].isalpha() and index > 0 and text[index - 1] != " "):
            found.append(index)
    return found


def _wrap(text: str, width: int) -> list[str]:
    """Greedy: each line as long as fits in `width`, broken only where `_breaks` allows."""
    lines: list[str] = []
    start, last = 0, None
    for space in _breaks(text):
        if space - start > width and last is not None:
            lines.append(text[start:last])
            start, last = last + 1, None
        if last is None or space - start <= width:
            last = space
    if len(text) - start > width and last is not None:
        lines.append(text[start:last])
        start = last + 1
    lines.append(text[start:])
    return lines


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _title(caption: str) -> str:
    return ' "' + caption.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _alt(alt: str) -> str:
    return _one_line(alt).replace("[", "\\[").replace("]", "\\]")


def _cell_spans(line: str) -> list[tuple[int, int]]:
    """(start, end) of each cell's text in a table row, between unescaped pipes."""
    bounds = [m.start() for m in re.finditer(r"(?<!\\)\|", line)]
    edges = [-1, *bounds, len(line)]
    spans = [(a + 1, b) for a, b in itertools.pairwise(edges)]
    if spans and not line[: spans[0][1]].strip() and bounds and line.lstrip().startswith("|"):
        spans = spans[1:]
    if spans and not line[spans[-1][0]:].strip():
        spans = spans[:-1]
    return spans


def rewrite(lines: list[str], replacements: Iterable[tuple[TextUnit, str]],
            move: Callable[[str], str] = lambda path: path) -> list[str]:
    """The file's lines with each unit's text replaced; `move` rewrites image paths."""
    by_place: dict[int, list[tuple[TextUnit, str]]] = {}
    for unit, text in replacements:
        by_place.setdefault(unit.first, []).append((unit, text))
    out = list(lines)
    for first in sorted(by_place, reverse=True):
        group = by_place[first]
        unit = group[0][0]
        if unit.role == "cell":
            out[first] = _row(out[first], group)
        elif unit.block_type == "figure":
            texts = {u.role: t for u, t in group}
            alt = texts.get("alt", "")
            caption = _title(_one_line(texts["caption"])) if texts.get("caption") else ""
            out[first:unit.last] = [f"{unit.prefix}![{_alt(alt)}]({move(unit.destination)}"
                                    f"{caption})"]
        elif unit.block_type == "heading":
            out[first:unit.last] = [unit.prefix + _one_line(group[0][1])]
        else:
            out[first:unit.last] = _paragraph(unit.prefix, relocate_images(group[0][1], move))
    return out


def _row(line: str, cells: list[tuple[TextUnit, str]]) -> str:
    spans = _cell_spans(line)
    texts = {unit.cell[1]: text for unit, text in cells}
    for column in sorted(texts, reverse=True):
        if column - 1 < len(spans):
            start, end = spans[column - 1]
            cell = _one_line(texts[column]).replace("\\|", "|").replace("|", "\\|")
            line = f"{line[:start]} {cell} {line[end:]}"
    return line
