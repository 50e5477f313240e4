"""The ebook's package, written by ebooklib: metadata, OPF, NCX, and a reproducible ZIP.

Imported only when an EPUB is rendered. ebooklib writes the container, the package
document and the NCX; the ZIP is written with fixed dates and permissions, so the same
inputs always give the same bytes.
"""

from __future__ import annotations

import zipfile
from io import BytesIO
from typing import Any

from ebooklib import epub

from pressroom.content.resolve import Publication

CONFORMS_TO = "EPUB Accessibility 1.1 - WCAG 2.1 Level AA"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def set_metadata(book: epub.EpubBook, pub: Publication, identifier: str, summary: str,
                 has_images: bool, draft: str = "") -> None:
    """Dublin Core and accessibility metadata; `summary` and `draft` (the draft mark, for
    a draft's title) are worded by the layouts."""
    meta = pub.meta
    book.set_identifier(identifier)
    book.set_title(f"{meta.title} — {draft}" if pub.draft and draft else meta.title)
    book.set_language(pub.language)
    if pub.direction == "rtl":
        book.set_direction("rtl")
    for index, author in enumerate(meta.authors, 1):
        book.add_author(author, role="aut", uid=f"creator-{index}")
    if meta.publisher:
        book.add_metadata("DC", "publisher", meta.publisher)
    if meta.published:
        book.add_metadata("DC", "date", meta.published.isoformat())
    if meta.summary:
        book.add_metadata("DC", "description", meta.summary)
    for keyword in meta.keywords:
        book.add_metadata("DC", "subject", keyword)
    # Each claim holds for every book the layouts make (tests/test_accessibility.py
    # checks them against the package and its documents): a navigation document, headings
    # in order, the spine as the reading order, ARIA roles (doc-noteref, doc-endnotes…),
    # and a stylesheet that leaves font and size to the reader (styles/ebook.css).
    features = ["tableOfContents", "structuralNavigation", "readingOrder", "ARIA",
                "displayTransformability"]
    if has_images:  # every image has alt text: images without are refused on load
        features.append("alternativeText")
    schema = [("accessMode", "textual"), ("accessMode", "visual"),
              ("accessModeSufficient", "textual"),
              *(("accessibilityFeature", f) for f in features),
              ("accessibilityHazard", "none"),
              ("accessibilitySummary", summary)]
    for name, value in schema:
        book.add_metadata(None, "meta", value, {"property": f"schema:{name}"})
    book.add_metadata(None, "meta", CONFORMS_TO, {"property": "dcterms:conformsTo"})
    if pub.draft:  # schema.org's status of a creative work: a reading system can show it
        book.add_metadata(None, "meta", "Draft", {"property": "schema:creativeWorkStatus"})
    book.add_metadata(None, "meta", "", {"name": "cover", "content": "cover-image"})


class _ReproducibleZip(zipfile.ZipFile):
    """A ZIP whose entries all carry one fixed date and the same permissions."""

    def __init__(self, file: BytesIO, stamp: tuple[int, int, int, int, int, int]) -> None:
        super().__init__(file, "w", zipfile.ZIP_DEFLATED, compresslevel=9)
        self.stamp = stamp

    def writestr(self, name, data, compress_type=None, compresslevel=None):  # type: ignore[override]
        if not isinstance(name, zipfile.ZipInfo):
            name = zipfile.ZipInfo(name, date_time=self.stamp)
            name.external_attr = 0o644 << 16
            name.compress_type = compress_type or zipfile.ZIP_DEFLATED
        super().writestr(name, data, compress_type, compresslevel)


class _Writer(epub.EpubWriter):
    """ebooklib's writer, writing into a reproducible ZIP: the same inputs give the same
    bytes (fixed timestamps; ebooklib already writes entries in a fixed order, the
    uncompressed "mimetype" first as EPUB requires)."""

    def __init__(self, out: BytesIO, book: epub.EpubBook, pub: Publication) -> None:
        super().__init__(out, book, {
            "mtime": pub.modified, "epub2_guide": False, "epub3_landmark": False,
            "epub3_pages": False, "raise_exceptions": True,
            "package_direction": True,  # dir="rtl" on <package> for a right-to-left book
        })
        self.stamp = max(pub.modified.timetuple()[:6], (1980, 1, 1, 0, 0, 0))

    def _write_opf_file(self, root: Any) -> None:
        # xml:lang on <package>: the language of the package document's own text (title,
        # description, accessibility summary). ebooklib writes only <dc:language>, the
        # content's language; reading systems and Ace want both.
        root.set(XML_LANG, self.book.language)
        super()._write_opf_file(root)

    def write(self) -> None:
        self.out = _ReproducibleZip(self.file_name, self.stamp)
        self.out.writestr("mimetype", "application/epub+zip", compress_type=zipfile.ZIP_STORED)
        self._write_container()
        self._write_opf()
        self._write_items()
        self.out.close()


def package(book: epub.EpubBook, pub: Publication) -> bytes:
    """ebooklib writes the container, OPF, NCX and items, into a reproducible ZIP."""
    buffer = BytesIO()
    writer = _Writer(buffer, book, pub)
    writer.process()
    writer.write()
    return buffer.getvalue()


def ncx_entry(entry: Any) -> epub.Link | tuple[epub.Link, list[epub.Link]]:
    """A table-of-contents entry (title, href, uid, children) as ebooklib's NCX wants it."""
    link = epub.Link(entry.href, entry.title, entry.uid)
    if not entry.children:
        return link
    return (link, [ncx_entry(child) for child in entry.children])
