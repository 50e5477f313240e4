"""End to end: the EPUB passes EPUBCheck with zero messages, and its structure is right."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from helpers import build
from lxml import etree

from pressroom.core.project import Project

NS = {
    "opf": "http://www.idpf.org/2007/opf",
    "dc": "http://purl.org/dc/elements/1.1/",
    "x": "http://www.w3.org/1999/xhtml",
    "epub": "http://www.idpf.org/2007/ops",
    "ncx": "http://www.daisy.org/z3986/2005/ncx/",
}
EPUB_TYPE = "{http://www.idpf.org/2007/ops}type"
CLEAN = "Messages: 0 fatals / 0 errors / 0 warnings / 0 infos"


class Book:
    """An unzipped EPUB, parsed with lxml as a reading system would."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.zip = zipfile.ZipFile(path)
        self.opf = self.xml("EPUB/content.opf")

    def xml(self, name: str) -> etree._Element:
        return etree.fromstring(self.zip.read(name))

    def doc(self, href: str) -> etree._Element:
        return self.xml(f"EPUB/{href}")

    @property
    def spine(self) -> list[str]:
        manifest = {i.get("id"): i.get("href") for i in self.opf.iterfind(".//opf:item", NS)}
        return [manifest[r.get("idref")] for r in self.opf.iterfind(".//opf:itemref", NS)]

    def dc(self, name: str) -> list[str]:
        return [e.text for e in self.opf.iterfind(f".//dc:{name}", NS)]

    def meta(self, prop: str) -> list[str]:
        return [e.text for e in self.opf.iterfind(f".//opf:meta[@property='{prop}']", NS)]


@pytest.fixture(scope="module")
def book(built_project: Project) -> Book:
    return Book(built_project.out_dir / "en" / "muscle-spasms.epub")


@pytest.fixture(scope="module")
def complete_book(complete_epub: Path) -> Book:
    return Book(complete_epub)


def test_epubcheck_reports_nothing_for_the_seed_and_every_construct(
        book: Book, complete_book: Book, epubcheck_found: dict[Path, list[str]]) -> None:
    """Checked with the other ebooks in one Java process (conftest.epubcheck_found)."""
    assert epubcheck_found[book.path] == []
    assert epubcheck_found[complete_book.path] == []


def test_package_metadata(book: Book) -> None:
    assert book.dc("title") == ["Muscle Spasms"]
    assert book.dc("language") == ["en"]
    assert book.dc("creator") == ["Pressroom Editorial Team"]
    assert book.dc("publisher") == ["Pressroom Health Library"]
    assert book.dc("date") == ["2019-03-31"]
    assert book.dc("description")[0].startswith("Information on stopping")
    assert "muscle spasms" in book.dc("subject")
    # Written out, not recomputed: the identifier must never change from build to build
    # or from one version of Pressroom to the next (reading apps key their libraries on it).
    assert book.dc("identifier") == ["urn:uuid:16097eea-9999-53a0-9bee-1ed625a4632f"]
    assert book.meta("dcterms:modified") == ["2026-11-20T00:00:00Z"]


def test_accessibility_metadata(book: Book) -> None:
    assert set(book.meta("schema:accessMode")) == {"textual", "visual"}
    assert book.meta("schema:accessModeSufficient") == ["textual"]
    assert set(book.meta("schema:accessibilityFeature")) == {
        "tableOfContents", "structuralNavigation", "readingOrder", "alternativeText", "ARIA",
        "displayTransformability",
    }
    assert book.meta("schema:accessibilityHazard") == ["none"]
    assert book.meta("schema:accessibilitySummary")[0]
    assert book.meta("dcterms:conformsTo") == ["EPUB Accessibility 1.1 - WCAG 2.1 Level AA"]


def test_spine_is_reading_order(book: Book) -> None:
    assert book.spine == [
        "cover.xhtml", "nav.xhtml", "titlepage.xhtml", "section-1.xhtml", "section-2.xhtml",
        "section-3.xhtml", "section-4.xhtml", "checklist.xhtml", "references.xhtml",
    ]
    cover = book.opf.find(".//opf:item[@properties='cover-image']", NS)
    assert cover.get("href") == "images/cover.png"
    assert book.zip.read("EPUB/images/cover.png").startswith(b"\x89PNG")


def test_every_document_declares_its_language(book: Book) -> None:
    for href in book.spine:
        root = book.doc(href)
        assert root.get("lang") == "en"
        assert root.get("{http://www.w3.org/XML/1998/namespace}lang") == "en"


def test_navigation_document(book: Book) -> None:
    nav = book.doc("nav.xhtml")
    toc = nav.find(".//x:nav[@epub:type='toc']", NS)
    top = [a.text for a in toc.findall("x:ol/x:li/x:a", NS)]
    assert top == [
        "What are Muscle Spasms?", "Diagnosing Muscle Spasms", "What Causes Muscle Spasms?",
        "Help for Muscle Spasms and Twitching", "Your checklist", "References",
    ]
    subs = [a.get("href") for a in toc.findall("x:ol/x:li/x:ol/x:li/x:a", NS)]
    assert "section-3.xhtml#what-is-twitching" in subs
    for href in [a.get("href") for a in toc.iter("{*}a")]:
        file, _, anchor = href.partition("#")
        assert not anchor or book.doc(file).find(f".//*[@id='{anchor}']") is not None, href
    marks = nav.find(".//x:nav[@epub:type='landmarks']", NS)
    assert [(a.get(EPUB_TYPE), a.get("href")) for a in marks.iter("{*}a")] == [
        ("cover", "cover.xhtml"), ("toc", "nav.xhtml#toc"),
        ("bodymatter", "section-1.xhtml"), ("endnotes", "references.xhtml"),
    ]
    ncx = book.xml("EPUB/toc.ncx")
    labels = [t.text for t in ncx.iterfind(".//ncx:navPoint/ncx:navLabel/ncx:text", NS)]
    assert labels[0] == "What are Muscle Spasms?" and "References" in labels


def test_note_calls_match_the_pdf_numbering(book: Book) -> None:
    calls = []
    for href in book.spine:
        for sup in book.doc(href).iter("{*}sup"):
            link = sup.find("x:a", NS)
            if link is not None and link.get(EPUB_TYPE) == "noteref":
                assert link.get("role") == "doc-noteref"
                calls.append((href, link.text, link.get("href"), link.get("id")))
    assert calls == [
        ("section-1.xhtml", "1", "references.xhtml#note-1", "cite-1-1"),
        ("section-3.xhtml", "2", "references.xhtml#note-2", "cite-2-1"),
        ("section-3.xhtml", "2", "references.xhtml#note-2", "cite-2-2"),
    ]


def test_notes_are_footnote_asides_with_back_links(book: Book) -> None:
    refs = book.doc("references.xhtml")
    asides = refs.findall(".//x:aside", NS)
    assert [(a.get("id"), a.get(EPUB_TYPE), a.get("role")) for a in asides] == [
        ("note-1", "footnote", "doc-footnote"), ("note-2", "footnote", "doc-footnote")
    ]
    text = ["".join(a.itertext()).split() for a in asides]
    assert " ".join(text[0]).startswith("1. Kurz, Jennifer, M.D.")
    assert " ".join(text[1]).startswith("2. “What You Need to Know About Muscle Twitching.”")
    backs = [[b.get("href") for b in a.iter("{*}a") if b.get("role") == "doc-backlink"]
             for a in asides]
    assert backs == [["section-1.xhtml#cite-1-1"],
                     ["section-3.xhtml#cite-2-1", "section-3.xhtml#cite-2-2"]]
    for href in [h for hrefs in backs for h in hrefs]:
        file, _, anchor = href.partition("#")
        assert book.doc(file).find(f".//*[@id='{anchor}']") is not None


def test_checklist_items_have_boxes(book: Book, root: Path) -> None:
    import yaml

    text = (root / "source/en/muscle-spasms.md").read_text("utf-8").split("---")[1]
    checklist = yaml.safe_load(text)["checklist"]
    doc = book.doc("checklist.xhtml")
    items = doc.findall(".//x:ul[@class='ticks']/x:li", NS)
    labels = [li.find("x:label", NS).text for li in items]
    assert labels == checklist["symptoms"] + checklist["remedies"]
    for li in items:
        box = li.find("x:input", NS)
        assert box.get("type") == "checkbox"
        assert li.find("x:label", NS).get("for") == box.get("id")
        assert li.find("x:span[@class='box']", NS).text == "☐"


def test_images_tables_and_lead_in_the_complete_article(complete_book: Book) -> None:
    names = complete_book.zip.namelist()
    assert "EPUB/images/01-blue.png" in names
    section = complete_book.doc("section-1.xhtml")
    img = section.find(".//x:img", NS)
    assert (img.get("src"), img.get("alt")) == ("images/01-blue.png", "A small blue square")
    assert section.find(".//x:table", NS) is not None
    assert [h.tag.split("}")[1] for h in section.iter("{*}h1", "{*}h2", "{*}h3")] == [
        "h1", "h2", "h3"
    ]
    title = complete_book.doc("titlepage.xhtml")
    assert "An introduction before the first section." in "".join(title.itertext())
    item = complete_book.opf.find(".//opf:item[@href='images/01-blue.png']", NS)
    assert item.get("media-type") == "image/png"


def test_identical_inputs_give_identical_bytes(make_project, tmp_path: Path) -> None:
    project_dir = make_project()
    first = build(Project.at(project_dir, out_dir=tmp_path / "a"), formats=("epub",))
    second = build(Project.at(project_dir, out_dir=tmp_path / "b"), formats=("epub",))
    assert first.ok and second.ok
    a = (tmp_path / "a/en/muscle-spasms.epub").read_bytes()
    assert a == (tmp_path / "b/en/muscle-spasms.epub").read_bytes()


def test_epub_only_build_does_not_import_weasyprint(make_project) -> None:
    project_dir = make_project()
    code = (
        "import sys; from pathlib import Path; from pressroom.cli.main import main; "
        f"rc = main(['build', '--format', 'epub'], project_root=Path({str(project_dir)!r})); "
        "assert rc == 0, rc; assert 'weasyprint' not in sys.modules, 'weasyprint imported'"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=False)
    assert result.returncode == 0, result.stderr
    assert (project_dir / "out/en/muscle-spasms.epub").is_file()
    assert not (project_dir / "out/en/muscle-spasms.pdf").exists()
