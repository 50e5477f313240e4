"""End to end: build the real leaflet and check it with independent tools (pypdf, poppler)."""

from __future__ import annotations

import re
import subprocess
from collections import Counter
from pathlib import Path

import pytest
from pypdf import PdfReader

from pressroom.core.project import Project


@pytest.fixture(scope="module")
def pdf_path(built_project: Project) -> Path:
    return built_project.out_dir / "en" / "muscle-spasms.pdf"


@pytest.fixture(scope="module")
def reader(pdf_path: Path) -> PdfReader:
    return PdfReader(pdf_path)


def page_texts(reader: PdfReader) -> list[str]:
    """Each page's text with runs of white space (no-break spaces too) as one space."""
    return [" ".join(page.extract_text().replace("\u00a0", " ").split()) for page in reader.pages]


def test_note_calls_read_one_two_two_in_order(reader: PdfReader) -> None:
    text = " ".join(page_texts(reader))
    positions = [
        text.index("most common example of this.1"),
        text.index("underlying nervous system disorder.2"),
        text.index("only a doctor can rule them out.2"),
    ]
    assert positions == sorted(positions)


def test_calls_link_to_notes_and_notes_do_not_link_back_on_paper(reader: PdfReader) -> None:
    links = Counter(
        annot.get_object().get("/Dest")
        for page in reader.pages for annot in page.get("/Annots") or []
    )
    assert links["note-1"] == 1 and links["note-2"] == 2
    # The "↩" back to the text is for screens (ebook, page): none on paper.
    assert not [dest for dest in links if str(dest).startswith("cite-")]
    names = reader.trailer["/Root"]["/Names"]["/Dests"]["/Names"][::2]
    assert {"note-1", "note-2", "cite-1-1", "cite-2-1", "cite-2-2"} <= set(names)


def test_contents_entries_are_one_link_each(reader: PdfReader) -> None:
    dests = [a.get_object().get("/Dest") for a in reader.pages[0].get("/Annots") or []]
    assert dests == [
        "what-are-muscle-spasms", "diagnosing-muscle-spasms", "what-causes-muscle-spasms",
        "help-for-muscle-spasms-and-twitching", "references", "checklist",
    ]


def test_references_are_numbered_in_citation_order(reader: PdfReader) -> None:
    text = " ".join(page_texts(reader))
    refs = text[text.index("References 1.") :]
    kurz = refs.index("1. Kurz, Jennifer, M.D. “Conditions.” Muscle Spasms. May 2016.")
    healthline = refs.index("2. “What You Need to Know About Muscle Twitching.” Healthline.")
    assert kurz < healthline


def test_checklist_page_has_every_item_as_a_form_checkbox(reader: PdfReader, root: Path) -> None:
    from pressroom.content.sources import SourceFile, load_article
    from pressroom.core.errors import Problems

    article = load_article(
        SourceFile(root / "source/en/muscle-spasms.md", "en", "muscle-spasms"), (root,),
        Problems(),
    )
    items = [i.text for group in article.checklist for i in group.items]
    last = reader.pages[-1]
    last_text = " ".join(last.extract_text().split())
    assert last_text.startswith("Your checklist")
    for item in items:
        assert " ".join(item.split()) in last_text
    fields = reader.get_fields()
    checkboxes = {name: f for name, f in fields.items() if f.get("/FT") == "/Btn"}
    assert sorted(f["/TU"] for f in checkboxes.values()) == sorted(items)
    assert all(f.get("/V") in (None, "/Off") for f in checkboxes.values())  # print empty
    widgets = [a.get_object() for a in last.get("/Annots") or []]
    assert sum(1 for w in widgets if w.get("/FT") == "/Btn" or w.get("/Parent")) >= len(items)
    # The checklist is alone on its page: nothing of the article body is there.
    assert "References" not in last_text


def test_poppler_sees_title_and_dates(pdf_path: Path) -> None:
    """Tools that read only the last trailer (poppler) must still find the document info."""
    info = subprocess.run(["pdfinfo", str(pdf_path)], capture_output=True, text=True,
                          check=True).stdout
    assert re.search(r"^Title:\s+Muscle Spasms$", info, re.M)
    assert re.search(r"^Author:\s+Pressroom Editorial Team$", info, re.M)
    assert re.search(r"^CreationDate:.*2019", info, re.M)
    assert re.search(r"^ModDate:.*2026", info, re.M)


def test_pdf_version_is_kept_for_pdf_ua(pdf_path: Path) -> None:
    assert pdf_path.read_bytes().startswith(b"%PDF-1.7")


def test_metadata_language_and_tags(reader: PdfReader) -> None:
    info = reader.metadata
    assert info["/Title"] == "Muscle Spasms"
    assert info["/Author"] == "Pressroom Editorial Team"
    assert info["/Subject"].startswith("Information on stopping and preventing")
    assert "muscle spasms" in info["/Keywords"]
    catalog = reader.trailer["/Root"]
    assert catalog["/Lang"] == "en"
    assert bool(catalog["/MarkInfo"]["/Marked"])
    assert "/StructTreeRoot" in catalog
    assert bool(catalog["/ViewerPreferences"]["/DisplayDocTitle"])
    assert catalog["/PageMode"] == "/UseOutlines"
    assert reader.xmp_metadata.dc_title == {"x-default": "Muscle Spasms"}
    assert "pdfuaid" in reader.xmp_metadata.rdf_root.toxml()


def test_page_labels_and_running_footer(reader: PdfReader) -> None:
    pages = len(reader.pages)
    assert reader.page_labels == [str(n) for n in range(1, pages + 1)]
    for number, text in enumerate(page_texts(reader), 1):
        assert f"Page {number} of {pages}" in text
        assert "Muscle Spasms" in text


def test_bookmarks_follow_the_sections(reader: PdfReader) -> None:
    top = [item["/Title"] for item in reader.outline if not isinstance(item, list)]
    assert top == [
        "What are Muscle Spasms?",
        "Diagnosing Muscle Spasms",
        "What Causes Muscle Spasms?",
        "Help for Muscle Spasms and Twitching",
        "References",
        "Your checklist",
    ]


def test_body_text_is_at_least_11pt(reader: PdfReader) -> None:
    sizes: Counter[float] = Counter()

    def visit(text: str, cm: list[float], tm: list[float], font: object, size: float) -> None:
        if text.strip():
            sizes[round(size * tm[3] * cm[3], 1)] += len(text)

    for page in reader.pages[:-1]:
        page.extract_text(visitor_text=visit)
    body_size, _ = sizes.most_common(1)[0]
    assert body_size >= 11


def test_review_dates_and_disclaimer(reader: PdfReader) -> None:
    text = " ".join(page_texts(reader))
    assert "Last reviewed: November 20, 2026" in text
    assert "Next review: November 20, 2029" in text
    assert re.search(r"does not replace advice from your doctor", text)


def test_no_empty_section_is_printed(reader: PdfReader) -> None:
    text = " ".join(page_texts(reader))
    heading = text.index("Diagnosing Muscle Spasms Understanding the Symptoms")
    assert "Loss of function" in text[heading:]


def test_every_font_is_embedded_and_subset(pdf_path: Path) -> None:
    lines = subprocess.run(
        ["pdffonts", str(pdf_path)], capture_output=True, text=True, check=True
    ).stdout.splitlines()[2:]
    assert lines
    for line in lines:
        name, *_rest = line.split()
        emb, sub, _uni = line.split()[-5:-2]
        assert (emb, sub) == ("yes", "yes"), line
        assert re.match(r"^[A-Z]{6}\+", name), line


@pytest.mark.parametrize("locale", ["ar", "de", "en", "es", "fr"])
def test_only_fonts_the_stylesheet_names_are_used(built_project: Project, root: Path,
                                                 locale: str) -> None:
    """No glyph falls through to whatever font a machine's fontconfig prefers: the same
    PDF wherever the named fonts are installed (render workers included)."""
    css = (root / "styles" / "leaflet.css").read_text("utf-8")
    named = {name.replace(" ", "").lower()
             for stack in re.findall(r"font-family:([^;]+);", css)
             for name in re.findall(r'"([^"]+)"', stack)}
    pdf = built_project.out_dir / locale / "muscle-spasms.pdf"
    lines = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True,
                           check=True).stdout.splitlines()[2:]
    for line in lines:
        family = re.sub(r"^[A-Z]{6}\+", "", line.split()[0])
        family = re.sub(r"-(Bold|Italic|BoldItalic|Regular)$", "", family)
        assert family.replace("-", "").lower() in named, (line, named)
