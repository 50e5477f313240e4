"""Markdown → model: every construct of the source format becomes the right node."""

from __future__ import annotations

from pathlib import Path

from helpers import messages

from pressroom.content import model as m
from pressroom.content.images import AssetPolicy
from pressroom.content.markup import parse_body
from pressroom.core.errors import Problems


def parse(text: str, base: Path = Path("/nonexistent")) -> tuple[list, list, Problems]:
    problems = Problems()
    body = parse_body(text, Path("a.md"), problems, AssetPolicy(base, (base,)))
    return [b.node for b in body.blocks if b.node is not None], body.notes, problems


def test_inline_constructs() -> None:
    (para,), _, problems = parse('*em* **strong** `code` [text](https://x.org "T")\nnext')
    assert not list(problems)
    kinds = [type(n).__name__ for n in para.children]
    assert kinds == ["Emphasis", "Text", "Strong", "Text", "Code", "Text", "Link", "Text"]
    link = para.children[6]
    assert (link.href, link.title, link.children) == ("https://x.org", "T", (m.Text("text"),))
    assert para.children[-1] == m.Text("\nnext")


def test_note_calls_carry_their_own_line() -> None:
    (para,), _, _ = parse("\n\nfirst line\nsecond line[^a]\n\n[^a]: note\n")
    ref = next(n for n in para.children if isinstance(n, m.NoteRef))
    assert (ref.key, ref.line, para.line) == ("a", 4, 3)


def test_undefined_calls_are_still_recognised() -> None:
    (para,), notes, _ = parse("text[^missing]")
    assert isinstance(para.children[-1], m.NoteRef)
    assert notes == []


def test_nested_lists_and_tightness() -> None:
    (tight, para, loose), _, _ = parse("- a\n- b\n  1. x\n  2. y\n\ntext\n\n3. p\n\n4. q\n")
    assert isinstance(tight, m.ListBlock) and tight.tight and not tight.ordered
    nested = tight.items[1].blocks[1]
    assert nested.ordered and len(nested.items) == 2
    assert isinstance(para, m.Paragraph)
    assert loose.ordered and not loose.tight


def test_ordered_list_start_and_loose() -> None:
    blocks, _, _ = parse("3. p\n\n4. q\n")
    (lst,) = blocks
    assert lst.ordered and lst.start == 3 and not lst.tight


def test_table_quote_code_rule() -> None:
    text = "| a | b |\n|:--|--:|\n| 1 | 2 |\n\n> quoted\n\n```py\nx = 1\n```\n\n---\n"
    table, quote, code, rule = parse(text)[0]
    assert [c.align for c in table.head[0]] == ["left", "right"]
    assert table.body[0][1].children == (m.Text("2"),)
    assert isinstance(quote.blocks[0], m.Paragraph)
    assert (code.text, code.language) == ("x = 1\n", "py")
    assert isinstance(rule, m.Rule)


def test_note_definition_with_markup(tmp_path: Path) -> None:
    _, notes, problems = parse("x[^k]\n\n[^k]: See *this* [page](https://e.org).\n")
    assert not list(problems)
    (note,) = notes
    assert note.key == "k" and note.line == 3
    kinds = [type(n).__name__ for n in note.blocks[0].children]
    assert "Emphasis" in kinds and "Link" in kinds


def test_image_resolves_inside_allowed_root(data: Path) -> None:
    (para,), _, problems = parse("![Blue square](blue.png)", data / "articles")
    assert not list(problems)
    (image,) = para.children
    assert image.path == (data / "articles" / "blue.png").resolve()
    assert image.alt == "Blue square"


def test_raw_html_comment_is_allowed_but_tags_are_not() -> None:
    _, _, problems = parse("<!-- note to translators -->\n\ntext <b onclick=x>bold</b>\n")
    assert messages(problems) == [
        "a.md:3: error: raw HTML is not allowed in articles ('<b onclick=x>'); write Markdown"
        " instead"
    ]


def test_plain_text_drops_markup_and_calls() -> None:
    (para,), _, _ = parse("A *b* **c** `d`[^n] [e](f)\nnext")
    assert m.plain_text(para.children) == "A b c d e next"
