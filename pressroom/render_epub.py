"""Publication → EPUB 3 ebook, packaged with ebooklib.

Content documents come from the Jinja2 layouts in `layouts/epub/` and are handed to
ebooklib as finished XHTML (plain `EpubItem`s, so ebooklib does not re-parse them); the
navigation document is ours too, so its table of contents and landmarks are exactly what
the layout says. ebooklib writes the package (OPF, NCX, container); the ZIP is then
normalised so the same inputs always give the same bytes. Numbering comes from the
Publication: this module never renumbers and never sees Markdown.
"""

from __future__ import annotations

import mimetypes
import re
import uuid
import xml.etree.ElementTree as ET
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from io import BytesIO
from pathlib import Path
from typing import Any

import jinja2
from ebooklib import epub

from . import model as m
from .catalogs import UIStrings
from .cover import SPEC as COVER_SPEC
from .cover import CoverText, cover_png, load_spec
from .editions import Edition
from .errors import Problems
from .project import Project
from .resolve import Publication
from .templating import make_environment, render_template

STYLESHEET = "ebook.css"
XHTML = "application/xhtml+xml"
#: Namespace for deriving stable identifiers: same article and locale, same identifier.
ID_NAMESPACE = uuid.UUID("6f1c2a52-8d1e-4c3b-9a57-1d0f6c4e2b90")
ACCESSIBILITY_SUMMARY = (
    "This publication meets WCAG 2.1 Level AA: it has a structured table of contents, "
    "headings in reading order, text alternatives for every image, and no hazards."
)
CONFORMS_TO = "EPUB Accessibility 1.1 - WCAG 2.1 Level AA"


@dataclass(frozen=True, slots=True)
class Document:
    uid: str
    file_name: str
    template: str
    context: dict[str, Any] = field(default_factory=dict)
    #: Ids defined in this document, so links from elsewhere can name the file.
    anchors: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class TocEntry:
    title: str
    href: str
    uid: str
    children: tuple[TocEntry, ...] = ()


def identifier(pub: Publication, edition: Edition | None = None) -> str:
    """Stable: the same article, locale and edition always get the same identifier."""
    suffix = edition.suffix if edition else ""
    return f"urn:uuid:{uuid.uuid5(ID_NAMESPACE, f'{pub.language}/{pub.article.slug}{suffix}')}"


def _anchors(node: object) -> tuple[str, ...]:
    found = []
    for child in m.descendants(node):
        if isinstance(child, m.Section | m.Heading | m.NoteRef) and child.anchor:
            found.append(child.anchor)
    return tuple(found)


def plan(pub: Publication) -> list[Document]:
    """The book's documents in reading order (the spine)."""
    article = pub.article
    docs = [
        Document("cover", "cover.xhtml", "epub/cover.xhtml.j2"),
        Document("nav", "nav.xhtml", "epub/nav.xhtml.j2", anchors=("toc", "landmarks")),
        Document("titlepage", "titlepage.xhtml", "epub/titlepage.xhtml.j2",
                 anchors=("title", *_anchors(article.lead))),
    ]
    for index, section in enumerate(article.sections, 1):
        docs.append(Document(f"section-{index}", f"section-{index}.xhtml",
                             "epub/section.xhtml.j2", {"section": section}, _anchors(section)))
    if pub.checklist:
        docs.append(Document("checklist", "checklist.xhtml", "epub/checklist.xhtml.j2",
                             anchors=("checklist",)))
    if pub.notes:
        docs.append(Document("references", "references.xhtml", "epub/references.xhtml.j2",
                             anchors=("references", *(n.anchor for n in pub.notes))))
    return docs


def table_of_contents(pub: Publication, docs: list[Document], gettext: Callable[[str], str]
                      ) -> tuple[TocEntry, ...]:
    by_uid = {d.uid: d for d in docs}
    entries = []
    for index, section in enumerate(pub.article.sections, 1):
        href = by_uid[f"section-{index}"].file_name
        children = tuple(
            TocEntry(m.plain_text(sub.title), f"{href}#{sub.anchor}", f"toc-{index}-{n}")
            for n, sub in enumerate(section.subsections, 1)
        )
        entries.append(TocEntry(m.plain_text(section.title), href, f"toc-{index}", children))
    if not entries:
        entries.append(TocEntry(pub.meta.title, "titlepage.xhtml", "toc-title"))
    if "checklist" in by_uid:
        entries.append(TocEntry(gettext("Your checklist"), "checklist.xhtml", "toc-checklist"))
    if "references" in by_uid:
        entries.append(TocEntry(gettext("References"), "references.xhtml", "toc-references"))
    return tuple(entries)


def landmarks(pub: Publication, docs: list[Document], gettext: Callable[[str], str]
              ) -> list[dict[str, str]]:
    uids = [d.uid for d in docs]
    body = next((d.file_name for d in docs if d.uid.startswith("section-")), "titlepage.xhtml")
    marks = [
        {"type": "cover", "href": "cover.xhtml", "title": gettext("Cover")},
        {"type": "toc", "href": "nav.xhtml#toc", "title": gettext("Contents")},
        {"type": "bodymatter", "href": body, "title": gettext("Start of content")},
    ]
    if "references" in uids:
        marks.append({"type": "endnotes", "href": "references.xhtml",
                      "title": gettext("References")})
    return marks


def _image_items(pub: Publication) -> dict[Path, str]:
    """Each distinct image file → its name inside the book (types were checked on load)."""
    names: dict[Path, str] = {}
    for node in m.descendants((pub.article.lead, pub.article.sections, pub.notes)):
        if isinstance(node, m.Image) and node.path not in names:
            stem = re.sub(r"[^A-Za-z0-9_-]+", "-", node.path.stem).strip("-") or "image"
            names[node.path] = f"images/{len(names) + 1:02d}-{stem}{node.path.suffix.lower()}"
    return names


def _xhtml(env: jinja2.Environment, doc: Document, context: dict[str, Any],
           pub: Publication, project: Project, problems: Problems) -> bytes | None:
    text = render_template(env, doc.template, {**context, **doc.context}, pub.article.path,
                           problems)
    if text is None:
        return None
    data = text.encode("utf-8")
    try:
        ET.fromstring(data)
    except ET.ParseError as exc:
        line, _ = exc.position
        problems.error(project.layouts_dir / doc.template, None,
                       f"produced XHTML that is not well-formed (line {line} of"
                       f" {doc.file_name}): {exc}")
        return None
    return data


def _metadata(book: epub.EpubBook, pub: Publication, has_images: bool,
              edition: Edition | None) -> None:
    meta = pub.meta
    book.set_identifier(identifier(pub, edition))
    book.set_title(meta.title)
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
    features = ["tableOfContents", "structuralNavigation", "readingOrder"]
    if has_images:
        features.append("alternativeText")
    schema = [("accessMode", "textual"), ("accessMode", "visual"),
              ("accessModeSufficient", "textual"),
              *(("accessibilityFeature", f) for f in features),
              ("accessibilityHazard", "none"),
              ("accessibilitySummary", ACCESSIBILITY_SUMMARY)]
    for name, value in schema:
        book.add_metadata(None, "meta", value, {"property": f"schema:{name}"})
    book.add_metadata(None, "meta", CONFORMS_TO, {"property": "dcterms:conformsTo"})
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
        })
        self.stamp = max(pub.modified.timetuple()[:6], (1980, 1, 1, 0, 0, 0))

    def write(self) -> None:
        self.out = _ReproducibleZip(self.file_name, self.stamp)
        self.out.writestr("mimetype", "application/epub+zip", compress_type=zipfile.ZIP_STORED)
        self._write_container()
        self._write_opf()
        self._write_items()
        self.out.close()


def render(
    pub: Publication, project: Project, problems: Problems, edition: Edition | None = None
) -> bytes | None:
    """The recipe: assemble the book (documents, cover, images), package it, normalise."""
    book = assemble(pub, project, problems, edition)
    return None if book is None else package(book, pub)


def assemble(
    pub: Publication, project: Project, problems: Problems, edition: Edition | None = None
) -> epub.EpubBook | None:
    """Everything up to ebooklib's writing: plan documents, render each, add the rest."""
    brand = edition.brand if edition else None
    env = make_environment(project.layouts_dir, pub.language, pub.strings)
    gettext = UIStrings(pub.strings).gettext
    docs = plan(pub)
    anchor_files = {anchor: d.file_name for d in docs for anchor in d.anchors}
    images = _image_items(pub)
    spec = load_spec(project.styles_dir / COVER_SPEC, problems)
    stylesheet = project.styles_dir / STYLESHEET
    if not stylesheet.is_file():
        problems.error(stylesheet, None, "stylesheet not found")
    if problems.errors or spec is None:
        return None

    def link_href(href: str) -> str:
        anchor = href[1:] if href.startswith("#") else None
        return f"{anchor_files[anchor]}#{anchor}" if anchor in anchor_files else href

    context = {
        "pub": pub, "meta": pub.meta, "article": pub.article, "epub": True,
        "heading_base": 0, "link_href": link_href, "asset_url": lambda img: images[img.path],
        "stylesheet": f"styles/{STYLESHEET}", "cover_image": "images/cover.png",
        "toc": table_of_contents(pub, docs, gettext), "landmarks": landmarks(pub, docs, gettext),
        "brand": brand,
    }
    book = epub.EpubBook()
    # The cover image is always there, with alternative text.
    _metadata(book, pub, has_images=True, edition=edition)
    spine = []
    for doc in docs:
        content = _xhtml(env, doc, context, pub, project, problems)
        if content is None:
            continue
        item = epub.EpubItem(uid=doc.uid, file_name=doc.file_name, media_type=XHTML,
                             content=content)
        item.properties = ["nav"] if doc.uid == "nav" else []
        book.add_item(item)
        spine.append(item)
    if problems.errors:
        return None

    cover = CoverText(gettext("Patient information"), pub.meta.title, pub.meta.subtitle,
                      brand.name if brand else pub.meta.publisher, pub.language, pub.direction)
    if brand and brand.accent:  # the brand's cover: its colour, its name in the band
        spec = {**spec, "background": brand.accent,
                "band": {**spec["band"], "foreground": brand.accent}}
    cover_item = epub.EpubItem(uid="cover-image", file_name="images/cover.png",
                               media_type="image/png", content=cover_png(cover, spec))
    cover_item.properties = ["cover-image"]
    book.add_item(cover_item)
    for index, (path, name) in enumerate(images.items(), 1):
        media_type = mimetypes.guess_type(path.name)[0]
        book.add_item(epub.EpubItem(uid=f"image-{index}", file_name=name,
                                    media_type=media_type, content=path.read_bytes()))
    book.add_item(epub.EpubItem(uid="style", file_name=f"styles/{STYLESHEET}",
                                media_type="text/css", content=stylesheet.read_bytes()))
    book.add_item(epub.EpubNcx())
    book.toc = [_ncx_entry(entry) for entry in context["toc"]]
    book.spine = spine
    return book


def package(book: epub.EpubBook, pub: Publication) -> bytes:
    """ebooklib writes the container, OPF, NCX and items, into a reproducible ZIP."""
    buffer = BytesIO()
    writer = _Writer(buffer, book, pub)
    writer.process()
    writer.write()
    return buffer.getvalue()


def _ncx_entry(entry: TocEntry) -> epub.Link | tuple[epub.Link, list[epub.Link]]:
    link = epub.Link(entry.href, entry.title, entry.uid)
    if not entry.children:
        return link
    return (link, [_ncx_entry(child) for child in entry.children])
