"""The EPUB renderer: one ebook per article for the default edition and branded ones.

Content documents come from the Jinja2 layouts in `layouts/epub/` and are handed to
ebooklib as finished XHTML (plain items, so ebooklib does not re-parse them); the
navigation document is ours too, so its table of contents and landmarks are exactly what
the layout says. ebooklib writes the package (epub_package.py). Numbering comes from the
Publication: this module never renumbers and never sees Markdown. ebooklib and Pillow
are imported only when a book is rendered.
"""

from __future__ import annotations

import mimetypes
import re
import uuid
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pressroom.content import model as m
from pressroom.content.resolve import Publication
from pressroom.core.errors import Problems
from pressroom.editions.config import Edition
from pressroom.render.protocol import Collected, Library, Output, RenderJob

MEDIA_TYPE = "application/epub+zip"
#: A tenth of a second a book: quick enough to render beside the workers.
HEAVY = False
AFTER: tuple[str, ...] = ()
STYLESHEET = "styles/ebook.css"
COVER_SPEC = "styles/cover.yaml"
XHTML = "application/xhtml+xml"
#: Namespace for deriving stable identifiers: same article and locale, same identifier.
ID_NAMESPACE = uuid.UUID("6f1c2a52-8d1e-4c3b-9a57-1d0f6c4e2b90")


def outputs(locale: str, slug: str, edition: Edition) -> tuple[Output, ...]:
    """An edition that only changes print settings (paper, large print, bleed) has no
    ebook of its own: the reader's app sets the type. A brand does make its own."""
    if not (edition.is_default or edition.brand is not None):
        return ()
    path = f"{locale}/{slug}{edition.suffix}.epub"
    return (Output(path, "epub", "ebook", MEDIA_TYPE, locale, slug, edition.name),)


def prepare() -> None:
    from pressroom.render.epub import package as epub_package  # noqa: F401


def collect(library: Library) -> Sequence[Collected]:
    return ()


def head_start(library: Library, jobs: Sequence[RenderJob]) -> None:
    return None


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


def table_of_contents(pub: Publication, docs: list[Document], words: Any
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
        entries.append(TocEntry(str(words.checklist), "checklist.xhtml", "toc-checklist"))
    if "references" in by_uid:
        entries.append(TocEntry(str(words.references), "references.xhtml", "toc-references"))
    return tuple(entries)


def landmarks(docs: list[Document], words: Any) -> list[dict[str, str]]:
    uids = [d.uid for d in docs]
    body = next((d.file_name for d in docs if d.uid.startswith("section-")), "titlepage.xhtml")
    marks = [
        {"type": "cover", "href": "cover.xhtml", "title": str(words.cover)},
        {"type": "toc", "href": "nav.xhtml#toc", "title": str(words.contents)},
        {"type": "bodymatter", "href": body, "title": str(words.start_of_content)},
    ]
    if "references" in uids:
        marks.append({"type": "endnotes", "href": "references.xhtml",
                      "title": str(words.references)})
    return marks


def _image_items(pub: Publication) -> dict[Path, str]:
    """Each distinct image file → its name inside the book (types were checked on load)."""
    names: dict[Path, str] = {}
    for node in m.descendants((pub.article.lead, pub.article.sections, pub.notes)):
        if isinstance(node, m.Image) and node.path not in names:
            stem = re.sub(r"[^A-Za-z0-9_-]+", "-", node.path.stem).strip("-") or "image"
            names[node.path] = f"images/{len(names) + 1:02d}-{stem}{node.path.suffix.lower()}"
    return names


def render(job: RenderJob, problems: Problems) -> dict[str, bytes] | None:
    """The recipe: assemble the book (documents, cover, images), then package it."""
    from pressroom.render.epub.package import package

    book = assemble(job, problems)
    if book is None:
        return None
    return {job.output("ebook").path: package(book, job.publication)}


def assemble(job: RenderJob, problems: Problems) -> Any:
    """Everything up to ebooklib's writing: plan documents, render each, add the rest."""
    from ebooklib import epub

    from pressroom.render.cover import CoverText, cover_png, load_spec
    from pressroom.render.epub.package import ncx_entry, set_metadata
    from pressroom.render.templating import labels, make_environment, render_template

    pub, edition, bundle = job.publication, job.edition, job.bundle
    path = pub.article.path
    brand = edition.brand
    env = make_environment(bundle, pub.language, pub.strings)
    words = labels(env, {"meta": pub.meta}, path, problems)
    docs = plan(pub)
    anchor_files = {anchor: d.file_name for d in docs for anchor in d.anchors}
    images = _image_items(pub)
    spec = load_spec(COVER_SPEC, bundle.text(COVER_SPEC), problems)
    stylesheet = bundle.read(STYLESHEET)
    if stylesheet is None:
        problems.error(path, None, f"stylesheet '{STYLESHEET}' not found")
    if problems.errors or spec is None or words is None:
        return None

    def link_href(href: str) -> str:
        anchor = href[1:] if href.startswith("#") else None
        return f"{anchor_files[anchor]}#{anchor}" if anchor in anchor_files else href

    toc = table_of_contents(pub, docs, words)
    context = {
        "pub": pub, "meta": pub.meta, "article": pub.article, "epub": True,
        "heading_base": 0, "link_href": link_href, "asset_url": lambda img: images[img.path],
        "stylesheet": STYLESHEET,
        "cover_image": "images/cover.png", "toc": toc, "landmarks": landmarks(docs, words),
        "brand": brand,
    }
    book = epub.EpubBook()
    # The cover image is always there, with alternative text.
    set_metadata(book, pub, identifier(pub, edition), str(words.accessibility_summary),
                 has_images=True, draft=str(words.draft))
    spine = []
    for doc in docs:
        text = render_template(env, doc.template, {**context, **doc.context}, path, problems)
        content = None if text is None else _well_formed(text, doc, problems)
        if content is None:
            continue
        item = epub.EpubItem(uid=doc.uid, file_name=doc.file_name, media_type=XHTML,
                             content=content)
        item.properties = ["nav"] if doc.uid == "nav" else []
        book.add_item(item)
        spine.append(item)
    if problems.errors:
        return None

    cover = CoverText(str(words.cover_kicker), pub.meta.title, pub.meta.subtitle,
                      brand.name if brand else pub.meta.publisher, pub.language, pub.direction)
    if brand and brand.accent:  # the brand's cover: its colour, its name in the band
        spec = {**spec, "background": brand.accent,
                "band": {**spec["band"], "foreground": brand.accent}}
    cover_item = epub.EpubItem(uid="cover-image", file_name="images/cover.png",
                               media_type="image/png", content=cover_png(cover, spec))
    cover_item.properties = ["cover-image"]
    book.add_item(cover_item)
    for index, (image, name) in enumerate(images.items(), 1):
        media_type = mimetypes.guess_type(image.name)[0]
        book.add_item(epub.EpubItem(uid=f"image-{index}", file_name=name,
                                    media_type=media_type,
                                    content=bundle.read(job.assets[image])))
    book.add_item(epub.EpubItem(uid="style", file_name=context["stylesheet"],
                                media_type="text/css", content=stylesheet))
    book.add_item(epub.EpubNcx())
    book.toc = [ncx_entry(entry) for entry in toc]
    book.spine = spine
    return book


def _well_formed(text: str, doc: Document, problems: Problems) -> bytes | None:
    data = text.encode("utf-8")
    try:
        ET.fromstring(data)
    except ET.ParseError as exc:
        line, _ = exc.position
        problems.error(Path("layouts", doc.template), None,
                       f"produced XHTML that is not well-formed (line {line} of"
                       f" {doc.file_name}): {exc}")
        return None
    return data
