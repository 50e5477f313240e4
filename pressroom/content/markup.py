"""Markdown → content-model nodes. With markup_text.py (Markdown as text, for translators),
the only place that knows Markdown syntax.

markdown-it-py parses CommonMark plus GFM tables and footnotes. The footnote plugin is
used only to *recognise* calls and definitions, as pandoc writes them: keyed calls
`[^key]`, definitions `[^key]: …` (also inside block quotes and list items), and inline
notes `^[…]`. Numbering is Pressroom's own (notes.py), so that every output format
shares one numbering and undefined keys are reported rather than silently left as text
(`always_match_refs`). What the plugin would accept but no leaflet can show (a heading
inside a note, a note call inside a link) is an error here; docs/footnotes.md lists each
case. Raw HTML is parsed only so it can be rejected with a line number: leaflets must not
carry scripts, frames or remote content.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.tree import SyntaxTreeNode
from mdit_py_plugins.footnote import footnote_plugin

from pressroom.content import model as m
from pressroom.content.images import AssetPolicy
from pressroom.core.errors import Problems

_COMMENT = re.compile(r"^\s*<!--.*?-->\s*$", re.DOTALL)
_CALL_IN_LINK = "a note call cannot stand inside a link's text: put it after the link"
#: What an author meant as a note call or definition but the parser left as text: a key
#: with a space or a line break in it (`[^ foo]`, `[^two words]`).
_SPACED_KEY = re.compile(r"\[\^([^\]\[]*\s[^\]\[]*)\]")


def make_parser() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": True})
    # markdown-it silently turns links it distrusts (javascript:, file:, data:) into plain
    # text; accept them all here so links.py and AssetPolicy report them with a line.
    md.validateLink = lambda url: True
    md.enable("table")
    md.use(footnote_plugin, inline=True, move_to_end=False, always_match_refs=True)
    return md


@dataclass
class BodyBlock:
    """A top-level block, with the level of the `#` heading it is (0 for ordinary blocks)."""

    node: m.Block | None
    heading_level: int = 0
    line: int = 0
    title: tuple[m.Inline, ...] = ()


@dataclass
class ParsedBody:
    blocks: list[BodyBlock] = field(default_factory=list)
    notes: list[m.NoteDefinition] = field(default_factory=list)


class _Reader:
    """Walks markdown-it's syntax tree; keeps the path and collector for error reporting."""

    def __init__(self, path: Path, problems: Problems, assets: AssetPolicy,
                 footnotes: dict[str, Any] | None = None) -> None:
        self.path = path
        self.problems = problems
        self.assets = assets
        self.notes: list[m.NoteDefinition] = []
        self._note_lines: dict[str, int] = {}
        #: The footnote plugin's records (`env["footnotes"]`): inline notes' tokens.
        self._footnotes = footnotes or {}
        self._links = 0  # inside how many links

    def error(self, line: int, message: str) -> None:
        self.problems.error(self.path, line, message)

    # blocks ---------------------------------------------------------------------

    def blocks(self, nodes: list[SyntaxTreeNode]) -> tuple[m.Block, ...]:
        out = []
        for node in nodes:
            block = self.block(node)
            if block is not None:
                out.append(block)
        return tuple(out)

    def block(self, node: SyntaxTreeNode) -> m.Block | None:
        line = _line(node)
        match node.type:
            case "paragraph":
                return m.Paragraph(self.inline_of(node, line), line)
            case "heading":
                level = int(node.tag[1])
                return m.Heading(level, self.inline_of(node, line), anchor="", line=line)
            case "bullet_list" | "ordered_list":
                # An item that held only a note definition has nothing left to show.
                items = tuple(m.ListItem(blocks) for item in node.children
                              if (blocks := self.blocks(item.children))
                              or not _only_definitions(item))
                if not items:
                    return None
                start = int(node.attrs.get("start", 1)) if node.type == "ordered_list" else 1
                tight = all(
                    child.hidden for item in node.children for child in item.children
                    if child.type == "paragraph"
                )
                return m.ListBlock(node.type == "ordered_list", items, start, tight)
            case "blockquote":
                blocks = self.blocks(node.children)
                if not blocks and _only_definitions(node):
                    return None  # `> [^a]: …` defines a note and shows nothing
                return m.Quote(blocks)
            case "fence" | "code_block":
                return m.CodeBlock(node.content, node.info.strip())
            case "hr":
                return m.Rule()
            case "table":
                return self.table(node, line)
            case "footnote_reference":
                self.definition(node, line)
                return None
            case "html_block":
                if not _COMMENT.match(node.content):
                    self.error(line, _raw_html_message(node.content))
                return None
            case _:
                self.error(line, f"unsupported Markdown construct '{node.type}'")
                return None

    def definition(self, node: SyntaxTreeNode, line: int) -> None:
        """`[^key]: …`, wherever it stands: pandoc and markdown-it read a definition inside
        a block quote or a list item (lazy continuation lines included) as a note."""
        key = node.meta["label"]
        if key in self._note_lines:
            first = self._note_lines[key]
            self.error(
                line, f"duplicate definition of note [^{key}] (first defined on line {first})"
            )
            return
        self._note_lines[key] = line
        blocks = self.blocks(node.children)
        if not blocks:
            self.error(line, f"note [^{key}] is empty")
        for heading in (b for b in m.descendants(blocks) if isinstance(b, m.Heading)):
            self.error(heading.line, f"note [^{key}] contains a heading: a note holds text,"
                       " lists, quotes, code and tables (write the heading's words as text)")
        self.notes.append(m.NoteDefinition(key, blocks, line))

    def is_defined(self, key: str) -> bool:
        return key in self._note_lines

    def recovered_definition(self, key: str, blocks: tuple[m.Block, ...], line: int) -> None:
        """A definition read from a line that lost its colon (already reported)."""
        self._note_lines[key] = line
        self.notes.append(m.NoteDefinition(key, blocks, line))

    def inline_note(self, node: SyntaxTreeNode, line: list[int]) -> m.NoteRef:
        """`^[…]`: the call and the note at once, numbered like any other in order of
        appearance. Its text was parsed by the plugin into tokens of their own."""
        start = line[0]
        record = self._footnotes.get("list", {}).get(node.meta["id"], {})
        tokens = record.get("tokens") or []
        children = SyntaxTreeNode(tokens).children if tokens else []
        content = _strip(self.inlines(children, line))
        key = m.inline_note_key(sum(1 for n in self.notes if n.inline) + 1)
        if not content:
            self.error(start, "inline note ^[] is empty")
        self.notes.append(m.NoteDefinition(key, (m.Paragraph(content, start),), start,
                                           inline=True))
        return m.NoteRef(key, start, inline=True)

    def table(self, node: SyntaxTreeNode, line: int) -> m.Table:
        head: list[tuple[m.TableCell, ...]] = []
        body: list[tuple[m.TableCell, ...]] = []
        for part in node.children:
            rows = head if part.type == "thead" else body
            for row in part.children:
                rows.append(tuple(self.cell(cell, line) for cell in row.children))
        return m.Table(tuple(head), tuple(body), line)

    def cell(self, node: SyntaxTreeNode, line: int) -> m.TableCell:
        style = str(node.attrs.get("style", ""))
        align = style.removeprefix("text-align:") if style.startswith("text-align:") else ""
        return m.TableCell(self.inline_of(node, line), align)

    # inlines --------------------------------------------------------------------

    def inline_of(self, node: SyntaxTreeNode, line: int) -> tuple[m.Inline, ...]:
        """Inline content of a paragraph, heading or cell; line counts through soft breaks."""
        children = node.children[0].children if node.children else []
        return tuple(self.inlines(children, [line]))

    def inlines(self, nodes: list[SyntaxTreeNode], line: list[int]) -> list[m.Inline]:
        out: list[m.Inline] = []
        starts: list[int] = []  # the line each node of `out` starts on
        for node in nodes:
            start = line[0]
            inline = self.inline(node, line)
            if inline is None:
                continue
            if isinstance(inline, m.Text) and out and isinstance(out[-1], m.Text):
                out[-1] = m.Text(out[-1].text + inline.text)
            else:
                out.append(inline)
                starts.append(start)
        self._unread_notes(out, starts)
        return out

    def _unread_notes(self, nodes: list[m.Inline], starts: list[int]) -> None:
        """What an author meant as a note but the parser leaves as text, to be printed
        silently as it stands: `[^two words]` (no key has spaces), and `[text[^a]](url)`
        (a call in a link's text: markdown-it then reads no link at all)."""
        for index, (node, start) in enumerate(zip(nodes, starts, strict=True)):
            if not isinstance(node, m.Text):
                continue
            for match in _SPACED_KEY.finditer(node.text):
                at = start + node.text.count("\n", 0, match.start())
                shown = " ".join(match.group(0).split())
                self.error(at, f"'{shown}' is not a note call: a note key cannot contain"
                           " spaces or line breaks")
            if index and isinstance(nodes[index - 1], m.NoteRef) and re.match(
                    r"\]\(", node.text):
                self.error(start, _CALL_IN_LINK)

    def inline(self, node: SyntaxTreeNode, line: list[int]) -> m.Inline | None:
        match node.type:
            case "text":
                return m.Text(node.content)
            case "softbreak":
                line[0] += 1
                return m.Text("\n")
            case "hardbreak":
                line[0] += 1
                return m.LineBreak()
            case "code_inline":
                return m.Code(node.content)
            case "em":
                return m.Emphasis(tuple(self.inlines(node.children, line)))
            case "strong":
                return m.Strong(tuple(self.inlines(node.children, line)))
            case "link":
                self._links += 1
                try:
                    children = tuple(self.inlines(node.children, line))
                finally:
                    self._links -= 1
                title = str(node.attrs.get("title", ""))
                return m.Link(str(node.attrs["href"]), children, title, line[0])
            case "image":
                return self.image(node, line[0])
            case "footnote_ref":
                if self._links:
                    # A call is a link of its own; a link inside a link is no HTML.
                    self.error(line[0], _CALL_IN_LINK)
                if "label" not in node.meta:
                    return self.inline_note(node, line)
                return m.NoteRef(node.meta["label"], line[0])
            case "html_inline":
                # One report per element: its opening tag, not its closing one.
                if not _COMMENT.match(node.content) and not node.content.startswith("</"):
                    self.error(line[0], _raw_html_message(node.content))
                return None
            case _:
                self.error(line[0], f"unsupported Markdown construct '{node.type}'")
                return None

    def image(self, node: SyntaxTreeNode, line: int) -> m.Image | None:
        src = str(node.attrs.get("src", ""))
        alt = _plain_text(node.children).strip()
        path, reason = self.assets.resolve(src)
        if path is None:
            self.error(line, reason)
        if not alt:
            self.error(line, f"image '{src}' has no alt text (write ![what it shows]({src}))")
        if path is None or not alt:
            return None
        return m.Image(path, alt, str(node.attrs.get("title", "") or ""), line, src)


def parse_body(
    text: str, path: Path, problems: Problems, assets: AssetPolicy, md: MarkdownIt | None = None
) -> ParsedBody:
    """Parse a Markdown body whose line numbers already match the file's (front matter blanked)."""
    md = md or make_parser()
    env: dict[str, Any] = {}
    tree = SyntaxTreeNode(md.parse(text, env))
    reader = _Reader(path, problems, assets, env.get("footnotes"))
    lines = text.splitlines()
    body = ParsedBody()
    broken: list[tuple[str, BodyBlock]] = []
    for node in tree.children:
        line = _line(node)
        if node.type == "heading" and node.tag in ("h1", "h2"):
            title = reader.inline_of(node, line)
            body.blocks.append(BodyBlock(None, int(node.tag[1]), line, title))
            continue
        block = reader.block(node)
        if block is None:
            continue
        body.blocks.append(BodyBlock(block, 0, line))
        if isinstance(block, m.Paragraph) and 0 < line <= len(lines):
            first = lines[line - 1].lstrip()
            if heading := _HEADING_WITHOUT_SPACE.match(first):
                problems.warning(path, line, f"'{first}' is a paragraph, not a heading: did you"
                                 f" mean '{heading.group(1)} {heading.group(2)}'?")
            elif definition := _DEFINITION_WITHOUT_COLON.match(first):
                broken.append((definition.group(1), body.blocks[-1]))
    for key, item in broken:
        if not reader.is_defined(key):
            _recover_definition(key, item, body, reader)
    body.notes = reader.notes
    return body


#: A paragraph starting `#What Helps`: one to six #'s straight before a letter (`#1` and
#: hashtags inside a sentence are text; `\#Tag` is escaped and starts with a backslash).
_HEADING_WITHOUT_SPACE = re.compile(r"^(#{1,6})([^\W\d_].*?)\s*$")
#: A paragraph starting `[^kurz] Kurz, …`: a note definition that lost its colon.
_DEFINITION_WITHOUT_COLON = re.compile(r"^\[\^([^\]\s]+)\][ \t]+\S")


def _recover_definition(key: str, item: BodyBlock, body: ParsedBody, reader: _Reader) -> None:
    """`[^kurz] Kurz, …` with `[^kurz]` defined nowhere: one error at that line, and the
    paragraph read as the definition, so its citations are not reported as undefined."""
    paragraph = item.node
    if not isinstance(paragraph, m.Paragraph) or not paragraph.children or not isinstance(
            paragraph.children[0], m.NoteRef):
        return
    rest = list(paragraph.children[1:])
    if rest and isinstance(rest[0], m.Text):
        rest[0] = m.Text(rest[0].text.lstrip())
    reader.error(item.line, f"this line looks like a broken note definition: write"
                 f" '[^{key}]: …' (with a colon after the key)")
    body.blocks = [block for block in body.blocks if block is not item]
    reader.recovered_definition(key, (m.Paragraph(tuple(rest), item.line),), item.line)


def _only_definitions(node: SyntaxTreeNode) -> bool:
    """A quote or list item whose every block is a note definition."""
    return bool(node.children) and all(
        child.type == "footnote_reference" for child in node.children)


def _strip(inlines: list[m.Inline]) -> tuple[m.Inline, ...]:
    """Inline content without the spaces at its ends (`^[ *bar* ]` is the note "bar")."""
    out = list(inlines)
    if out and isinstance(out[0], m.Text):
        out[0] = m.Text(out[0].text.lstrip())
    if out and isinstance(out[-1], m.Text):
        out[-1] = m.Text(out[-1].text.rstrip())
    return tuple(n for n in out if not (isinstance(n, m.Text) and not n.text))


def _plain_text(nodes: list[SyntaxTreeNode]) -> str:
    return "".join(n.content if n.type == "text" else _plain_text(n.children) for n in nodes)


def _line(node: SyntaxTreeNode) -> int:
    return node.map[0] + 1 if node.map else 0


def _raw_html_message(content: str) -> str:
    tag = content.strip().splitlines()[0][:40] if content.strip() else content
    return f"raw HTML is not allowed in articles ({tag!r}); write Markdown instead"
