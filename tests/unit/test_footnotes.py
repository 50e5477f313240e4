"""Notes as pandoc and markdown-it write them: the cases of tests/data/notes/cases.md.

Each case is loaded as an article and numbered, as a build does; the result is written
out as plain lines (body blocks with their calls' numbers, then the numbered notes) and
compared with the fixture, so a failure names the case and the fixture line.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import DATA, load

from pressroom.content import model as m
from pressroom.content.notes import Note, number_notes

CASES = DATA / "notes" / "cases.md"
FRONT_MATTER = "---\ntitle: Case\n---\n\n"  # four lines before the case's Markdown
OFFSET = FRONT_MATTER.count("\n")


@dataclass(frozen=True)
class Case:
    title: str
    line: int  # of the title, in cases.md
    source: str
    expected: list[str]


def read_cases(path: Path = CASES) -> list[Case]:
    """Title line, ".", Markdown, ".", expected lines, "." — after the file's preamble."""
    lines = path.read_text(encoding="utf-8").split("\n")
    cases, i = [], 0
    while i < len(lines):
        if i + 1 < len(lines) and lines[i + 1] == "." and lines[i].strip():
            title, start = lines[i], i
            end_source = lines.index(".", i + 2)
            end_expected = lines.index(".", end_source + 1)
            cases.append(Case(title, start + 1, "\n".join(lines[i + 2:end_source]) + "\n",
                              lines[end_source + 1:end_expected]))
            i = end_expected + 1
        else:
            i += 1
    return cases


def inline_text(nodes: tuple[m.Inline, ...]) -> str:
    out = []
    for node in nodes:
        if isinstance(node, m.Text):
            out.append(node.text)
        elif isinstance(node, m.Emphasis):
            out.append(f"*{inline_text(node.children)}*")
        elif isinstance(node, m.Strong):
            out.append(f"**{inline_text(node.children)}**")
        elif isinstance(node, m.Code):
            out.append(f"`{node.text}`")
        elif isinstance(node, m.Link):
            out.append(f"[{inline_text(node.children)}]({node.href})")
        elif isinstance(node, m.NoteRef):
            out.append(f"[{node.number}]")
    return " ".join("".join(out).split())


def block_lines(block: m.Block, paragraph: str = "body: ") -> list[str]:
    if isinstance(block, m.Paragraph):
        return [paragraph + inline_text(block.children)]
    if isinstance(block, m.ListBlock):
        return [f"li: {' | '.join(line for b in item.blocks for line in block_lines(b, ''))}"
                for item in block.items]
    if isinstance(block, m.Quote):
        return [f"quote: {' | '.join(line for b in block.blocks for line in block_lines(b, ''))}"]
    if isinstance(block, m.CodeBlock):
        return [f"code: {block.text.strip()}"]
    if isinstance(block, m.Rule):
        return ["hr"]
    if isinstance(block, m.Heading):
        return [f"h: {inline_text(block.children)}"]
    raise AssertionError(f"no dump for {block!r}")


def note_line(note: Note) -> str:
    cited = f" \u00d7{len(note.citations)}" if len(note.citations) > 1 else ""  # times sign
    body = " | ".join(line for b in note.blocks for line in block_lines(b, ""))
    return f"note {note.number}{cited}: {body}"


def result(case: Case, tmp_path: Path) -> list[str]:
    path = tmp_path / "case.md"
    path.write_text(FRONT_MATTER + case.source, encoding="utf-8")
    article, problems = load(path)
    notes: tuple[Note, ...] = ()
    if article is not None:
        article, notes = number_notes(article, problems)
    if problems.errors:
        return [f"error {p.location.line - OFFSET}: {p.message}" for p in problems
                if p.severity == "error"]
    lines = [line for block in article.lead for line in block_lines(block)]
    return lines + [note_line(note) for note in notes]


@pytest.mark.parametrize("case", read_cases(), ids=lambda c: f"line {c.line}: {c.title}")
def test_case(case: Case, tmp_path: Path) -> None:
    assert result(case, tmp_path) == case.expected, f"{CASES}:{case.line}: {case.title}"


def test_the_fixture_has_every_case() -> None:
    titles = [case.title for case in read_cases()]
    assert len(titles) == 23 and len(set(titles)) == 23
    assert titles[0].startswith("Pandoc example")
