"""The print layout: the model becomes the right HTML, numbering and escaping included."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
import tinyhtml5
from conftest import DATA, load, render_job

from pressroom.content.resolve import resolve
from pressroom.render.pdf.leaflet import leaflet_html
from pressroom.render.pdf.weasy import ORIGIN, url_of

NS = "{http://www.w3.org/1999/xhtml}"


def render(path: Path, root: Path):
    article, problems = load(path)
    pub = resolve(article, problems)
    html = leaflet_html(render_job(pub, root), problems, url_of)
    assert not list(problems), [str(p) for p in problems]
    return tinyhtml5.parse(html), html


@pytest.fixture(scope="module")
def doc(root: Path):
    return render(DATA / "articles" / "complete.md", root)[0]


def find_all(doc, tag: str, cls: str | None = None):
    return [
        e for e in doc.iter(NS + tag)
        if cls is None or cls in (e.get("class") or "").split()
    ]


def text(element) -> str:
    return " ".join("".join(element.itertext()).split())


def test_language_direction_and_title(doc) -> None:
    assert doc.get("lang") == "en" and doc.get("dir") == "ltr"
    assert text(find_all(doc, "title")[0]) == "Everything an Author Can Write"
    assert text(find_all(doc, "h1")[0]) == "Everything an Author Can Write"
    assert text(find_all(doc, "p", "subtitle")[0]) == "A test article"
    metas = {m.get("name"): m.get("content") for m in find_all(doc, "meta") if m.get("name")}
    assert metas["description"] == "Exercises every construct the source format allows."
    assert metas["keywords"] == "testing, markdown"


def test_note_calls_link_to_numbered_notes(doc) -> None:
    calls = [a for sup in find_all(doc, "sup", "noteref") for a in sup.findall(NS + "a")]
    assert [a.get("href") for a in calls] == [
        "#note-1", "#note-2", "#note-1", "#note-3", "#note-2", "#note-4", "#note-5", "#note-1",
        "#note-6", "#note-7", "#note-8",
    ]
    assert [text(a) for a in calls] == ["1", "2", "1", "3", "2", "4", "5", "1", "6", "7", "8"]
    assert [a.get("id") for a in calls] == [
        "cite-1-1", "cite-2-1", "cite-1-2", "cite-3-1", "cite-2-2", "cite-4-1", "cite-5-1",
        "cite-1-3", "cite-6-1", "cite-7-1", "cite-8-1",
    ]
    assert all(a.get("role") == "doc-noteref" for a in calls)


def test_adjacent_calls_share_a_superscript_with_separators(doc) -> None:
    """[^delta][^epsilon][^alpha]: one superscript, three links, a comma between each."""
    sups = find_all(doc, "sup", "noteref")
    assert [len(sup.findall(NS + "a")) for sup in sups] == [1, 1, 1, 1, 1, 3, 1, 1, 1]
    group = sups[5]
    assert text(group) == "4,5,1"
    assert [child.tag.removeprefix(NS) for child in group] == ["a", "span", "a", "span", "a"]
    assert [s.get("class") for s in group.findall(NS + "span")] == ["noteref-sep"] * 2


def test_references_list_in_citation_order_without_back_links_on_paper(doc) -> None:
    (notes,) = find_all(doc, "ol", "notes")
    items = notes.findall(NS + "li")
    assert [li.get("id") for li in items] == [f"note-{n}" for n in range(1, 9)]
    assert text(items[0]).startswith("1. Alpha note with emphasis.")
    assert text(items[5]).startswith("6. An inline note, numbered where it stands.")
    # "↩" leads nowhere on paper: the ebook and the page have it (test_epub, test_web).
    assert [a for li in items for a in find_all(li, "a", "backlink")] == []
    assert "\u21a9" not in text(notes)


BLOCKS = {"p", "pre", "ul", "ol", "blockquote", "table", "figure", "div"}
PHRASING = {"span", "em", "strong", "a", "sup", "code", "label"}


def test_notes_of_several_blocks_keep_their_blocks_out_of_phrasing(root: Path) -> None:
    """A note holding paragraphs, code, a list, a quote, a table or a figure: its blocks
    stand in the reference item itself (no <span> or <p> holds one); the number opens the
    first paragraph, or has one of its own before a note that starts with another block.
    On paper there are no back links (the ebook and the page have them: test_generated)."""
    doc, _ = render(DATA / "articles" / "notes-blocks.md", root)
    (notes,) = find_all(doc, "ol", "notes")
    items = notes.findall(NS + "li")
    inside = [(li.get("id"), inner.tag.removeprefix(NS), outer.tag.removeprefix(NS))
              for li in items for outer in li.iter()
              if outer.tag.removeprefix(NS) in PHRASING | {"p"}
              for inner in outer.iter() if inner is not outer
              and inner.tag.removeprefix(NS) in BLOCKS]
    assert inside == []
    assert [[child.tag.removeprefix(NS) for child in li] for li in items] == [
        ["p", "p"], ["p", "pre", "p"], ["p", "ul"], ["p", "blockquote", "p"],
        ["p", "table"], ["p", "figure"], ["p"]]
    assert [text(li.find(NS + "p")) for li in items] == [
        "1. The first paragraph of the note.", "2. A paragraph before the code:",
        "3. Three sources:", "4.", "5. Doses by age:", "6. The blue square:",
        "7. Inline, and short."]
    assert find_all(notes, "a", "backlink") == []


def test_definitions_in_quotes_and_items_leave_no_trace_there(doc) -> None:
    main = find_all(doc, "main")[0]
    quotes = [text(q) for q in find_all(main, "blockquote")]
    # A word joiner (U+2060) ties each note call to what precedes it on paper.
    assert quotes == ["A quotation.", "A quotation with its own source.\u20607"]
    assert "Eta note" not in text(main) and "Zeta note" not in text(main)


def test_every_construct_renders(doc) -> None:
    main = find_all(doc, "main")[0]
    assert [h.get("id") for h in find_all(main, "h2")] == ["first-section", "second-section"]
    assert [h.get("id") for h in find_all(main, "h3")] == ["a-subsection"]
    assert [h.get("id") for h in find_all(main, "h4")] == ["a-minor-heading"]
    assert find_all(main, "em") and find_all(main, "strong") and find_all(main, "code")
    assert find_all(main, "blockquote") and find_all(main, "table")
    assert find_all(main, "ul")[0].find(f"{NS}li/{NS}ol") is not None
    (img,) = find_all(main, "img")
    assert img.get("alt") == "A small blue square"
    # By content, from the job's bundle: the same file anywhere, nothing else reachable.
    digest = hashlib.sha256((DATA / "articles" / "blue.png").read_bytes()).hexdigest()
    assert img.get("src") == f"{ORIGIN}assets/{digest[:20]}.png"
    assert text(find_all(main, "figcaption")[0]) == "Figure caption"
    assert [c.get("class") for c in find_all(main, "th")] == ["align-left", "align-right"]


def test_checklist_has_one_named_checkbox_per_item(doc) -> None:
    boxes = [i for i in find_all(doc, "input") if i.get("type") == "checkbox"]
    assert [(b.get("name"), b.get("title")) for b in boxes] == [
        ("symptom-1", "Headache"), ("symptom-2", "Dizziness"), ("remedy-1", "Rest")
    ]
    labels = {label.get("for"): text(label) for label in find_all(doc, "label")}
    assert labels == {"symptom-1": "Headache", "symptom-2": "Dizziness", "remedy-1": "Rest"}


def test_author_text_is_escaped(tmp_path: Path, root: Path) -> None:
    article = tmp_path / "escape.md"
    article.write_text(
        '---\ntitle: "1 < 2 & 3 > 0"\n---\n\n# A & B\n\n1 < 2 and `<b>`\n',
        encoding="utf-8",
    )
    # (A title with a tag, `<script>`, is refused when the article is read.)
    doc, html = render(article, root)
    assert "1 &lt; 2 &amp; 3 &gt; 0" in html
    assert text(find_all(doc, "h1")[0]) == "1 < 2 & 3 > 0"
    assert not find_all(doc, "script")
    assert text(find_all(doc, "code")[0]) == "<b>"


def test_page_footer_string_comes_from_the_layout(root: Path) -> None:
    _, html = render(DATA / "articles" / "complete.md", root)
    assert 'content: "Page " counter(page) " of " counter(pages);' in html


def test_no_empty_sections_or_lists(tmp_path: Path, root: Path) -> None:
    article = tmp_path / "bare.md"
    article.write_text("---\ntitle: Bare\n---\n\nJust a paragraph.\n", encoding="utf-8")
    doc, _ = render(article, root)
    assert not find_all(doc, "section", "references")
    assert not find_all(doc, "section", "checklist")
    assert not find_all(doc, "nav")
