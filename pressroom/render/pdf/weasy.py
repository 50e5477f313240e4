"""WeasyPrint behind one function: leaflet HTML and its bundle in, finished PDF out.

Imported only by PDF jobs: WeasyPrint is slow to import and needs Pango. Everything it
reads comes from the job's bundle through `BundleFetcher`, under a made-up origin that
can never resolve; anything else (the disk, the network) is refused and fails the job.
What WeasyPrint logs at warning level is reported against the article instead of
scrolling past. The font configuration is kept for the life of the worker.
"""

from __future__ import annotations

import functools
import hashlib
import logging
import mimetypes
import re
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from urllib.parse import unquote, urlsplit

import pydyf
from weasyprint import HTML, LOGGER, URLFetcher
from weasyprint.document import Document, Page
from weasyprint.formatting_structure import boxes
from weasyprint.layout import inline
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcherResponse

from pressroom.content.resolve import Publication
from pressroom.core.errors import Problems
from pressroom.core.files import Bundle


def _last_text_box(line: boxes.LineBox) -> boxes.TextBox | None:
    box: object = line
    while isinstance(box, boxes.LineBox | boxes.InlineBox):
        if not box.children:
            return None
        box = box.children[-1]
    return box if isinstance(box, boxes.TextBox) else None


_remove_last_whitespace = inline.remove_last_whitespace


def _remove_last_whitespace_in_rtl_lines(context: object, line: boxes.LineBox) -> None:
    """WeasyPrint 70 strips the space that ends a line and narrows the line by its width;
    in a right-to-left line it moves the boxes back to match only when the box that
    ended with the space is right to left itself. A left-to-right run isolated in
    Arabic text (bidi.py) that breaks across lines ends in a left-to-right box, whose
    space is on its right, inside the line: everything to the right of it is moved back
    by the space's width here (else the line ran a space past the right margin). Every
    other case is left to WeasyPrint.
    """
    box = _last_text_box(line)
    if not (box is not None and box.pango_layout is not None
            and line.style["direction"] == "rtl"
            and not box.pango_layout.first_line_direction % 2):
        _remove_last_whitespace(context, line)
        return
    edge, width = box.position_x + box.width, line.width
    _remove_last_whitespace(context, line)
    if line.width < width:
        _move_right_of(line, edge, line.width - width)


def _move_right_of(parent: boxes.Box, edge: float, dx: float) -> None:
    """Translate by `dx` every box that lies right of `edge`, looking inside the boxes
    that straddle it."""
    for child in parent.children:
        if child.position_x >= edge - 0.01:
            child.translate(dx=dx, ignore_floats=True)
        elif (child.position_x + child.width > edge
              and isinstance(child, boxes.LineBox | boxes.InlineBox)):
            _move_right_of(child, edge, dx)


inline.remove_last_whitespace = _remove_last_whitespace_in_rtl_lines

#: Where the job's files appear to live. `.invalid` is reserved (RFC 2606): even a
#: fetcher that tried could never reach it, and no path of this machine is in the PDF.
ORIGIN = "https://bundle.invalid/"
PDF_OPTIONS = {"pdf_variant": "pdf/ua-1", "pdf_forms": True}
#: A print shop's file (an edition with bleed or crop marks): PDF/X-4, with an output
#: intent (sRGB: the colours are the leaflet's own, the shop's RIP converts them), a
#: TrimBox and a BleedBox on every page, and no form field or other annotation (a printer
#: prints no tick box; PDF/X allows no annotation inside the trim).
PRINT_OPTIONS = {"pdf_variant": "pdf/x-4", "pdf_forms": False, "output_intent": "srgb"}


def options(print_file: bool) -> dict[str, object]:
    return PRINT_OPTIONS if print_file else PDF_OPTIONS


def url_of(name: str) -> str:
    return ORIGIN + name


class BundleFetcher(URLFetcher):
    """Serves the bundle's files and `data:` URLs; refuses everything else.

    Refusals are recorded so the build can fail the article with a clear message rather
    than print a leaflet with a silently missing image.
    """

    def __init__(self, bundle: Bundle) -> None:
        super().__init__(allowed_protocols={"data", "https"}, allow_redirects=False)
        self.bundle = bundle
        self.requested: list[str] = []
        self.refused: list[str] = []

    def fetch(self, url: str, headers: dict[str, str] | None = None):  # type: ignore[override]
        self.requested.append(url)
        if url.lower().startswith("data:"):
            return super().fetch(url, headers)
        if url.startswith(ORIGIN):
            name = unquote(urlsplit(url).path.lstrip("/"))
            data = self.bundle.read(name)
            if data is not None:
                kind = mimetypes.guess_type(name)[0] or "application/octet-stream"
                return URLFetcherResponse(url, data, {"Content-Type": kind})
        self.refused.append(url)
        raise ValueError(f"refused to read {url}: only the project's own files may be used")


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


@contextmanager
def _weasyprint_logs() -> Iterator[_Collect]:
    handler = _Collect()
    LOGGER.addHandler(handler)
    try:
        yield handler
    finally:
        LOGGER.removeHandler(handler)


@functools.cache
def font_config() -> FontConfiguration:
    """One per worker: building it again for every document costs time and memory."""
    return FontConfiguration()


@dataclass
class Layout:
    """One HTML laid out into pages, not yet written: its pages can be inspected (and
    another variant laid out instead) before the PDF is made."""

    document: Document
    fetcher: BundleFetcher
    #: What WeasyPrint logged at warning level while laying it out.
    messages: list[str] = field(default_factory=list)
    #: For a print shop (PDF/X-4), not a reader (PDF/UA-1).
    print_file: bool = False

    @property
    def pages(self) -> list[Page]:
        return self.document.pages


def lay_out(html: str, bundle: Bundle, pub: Publication, print_file: bool = False) -> Layout:
    fetcher = BundleFetcher(bundle)
    with _weasyprint_logs() as logs:
        document = HTML(string=html, base_url=ORIGIN, url_fetcher=fetcher).render(
            font_config=font_config(), pdf_identifier=pdf_identifier(pub),
            **options(print_file))
    return Layout(document, fetcher, logs.messages, print_file)


def write_pdf(layout: Layout, pub: Publication, problems: Problems) -> bytes | None:
    """The finished PDF; None (with problems reported) if anything was refused."""
    path = pub.article.path
    fetcher = layout.fetcher
    with _weasyprint_logs() as logs:
        pdf = layout.document.write_pdf(
            pdf_identifier=pdf_identifier(pub),
            finisher=finish_print if layout.print_file else finish,
            **options(layout.print_file))
    for url in dict.fromkeys(fetcher.refused):
        shown = url.removeprefix(ORIGIN)
        problems.error(path, None, f"the leaflet refers to '{shown}', which is not one of the"
                       " project's files it may use: refused")
    failed = False
    for message in dict.fromkeys(layout.messages + logs.messages):
        if any(url in message for url in fetcher.refused):
            continue
        message = message.replace(ORIGIN, "")
        if message.startswith("Failed to load"):  # an image or stylesheet would be missing
            problems.error(path, None, f"WeasyPrint: {message}")
            failed = True
        else:
            problems.warning(path, None, f"WeasyPrint: {message}")
    if fetcher.refused or failed or pdf is None:
        return None
    return pdf


def html_to_pdf(html: str, bundle: Bundle, pub: Publication, problems: Problems
                ) -> bytes | None:
    """Lay out and write the PDF; None (with problems reported) if anything was refused."""
    return write_pdf(lay_out(html, bundle, pub), pub, problems)


def pdf_identifier(pub: Publication) -> bytes:
    """The PDF's /ID: the same for the same article, locale and date, so builds repeat."""
    key = f"{pub.language}/{pub.article.slug}/{pub.modified.isoformat()}"
    return hashlib.sha256(key.encode()).hexdigest()[:32].encode()


def finish(document: object, pdf: pydyf.PDF) -> None:
    """What WeasyPrint does not set itself: page labels, opening with the bookmarks, and
    the scope of table header cells.

    Done in WeasyPrint's finisher hook, on the PDF objects before they are written:
    nothing is parsed or written twice.
    """
    pdf.catalog["PageLabels"] = pydyf.Dictionary({
        "Nums": pydyf.Array([0, pydyf.Dictionary({"S": "/D"})]),
    })
    pdf.catalog["PageMode"] = "/UseOutlines"
    scope_column_headers(pdf)


def finish_print(document: object, pdf: pydyf.PDF) -> None:
    """`finish`, then no annotation on any page: the links a reader follows mean nothing
    on paper, and PDF/X-4 allows none inside the trim."""
    finish(document, pdf)
    repeatable_document_id(pdf)
    pdf.catalog.pop("AcroForm", None)  # the form's (empty, without pdf_forms) dictionary
    for obj in pdf.objects:
        if isinstance(obj, pydyf.Dictionary) and obj.get("Type") == "/Page":
            obj.pop("Annots", None)


#: The random DocumentID WeasyPrint writes into a PDF/X-4 file's XMP (uuid4).
RANDOM_DOCUMENT_ID = re.compile(rb"xmp\.did:[0-9a-f-]{36}")


def repeatable_document_id(pdf: pydyf.PDF) -> None:
    """The XMP DocumentID of a PDF/X-4 file derived from the metadata itself, not drawn
    at random: the same build makes the same bytes, here, on a cluster's workers, and
    with SOURCE_DATE_EPOCH next year (what the manifest and the byte-identical cluster
    test rely on)."""
    for obj in pdf.objects:
        if isinstance(obj, pydyf.Stream) and obj.extra.get("Type") == "/Metadata":
            data = b"".join(obj.stream)
            digest = hashlib.sha256(RANDOM_DOCUMENT_ID.sub(b"", data)).digest()
            stable = f"xmp.did:{uuid.UUID(bytes=digest[:16], version=4)}".encode()
            obj.stream = [RANDOM_DOCUMENT_ID.sub(stable, data)]


def scope_column_headers(pdf: pydyf.PDF) -> None:
    """Give each header cell of a table's head row /Scope /Column (PDF/UA-1 7.5).

    WeasyPrint (70) ties every data cell to its headers with /Headers and /ID, which
    PDF/UA accepts, but writes no /Scope on the /TH cells themselves: checkers that look
    at header cells only (pdfua's UA-15-003) then see headers tied to nothing. A cell in
    the table's head row (the only headers Markdown tables have; the layouts give them
    scope="col") heads its column.
    """
    elements = {obj.reference: obj for obj in pdf.objects
                if isinstance(obj, pydyf.Dictionary) and obj.get("Type") == "/StructElem"}
    for element in elements.values():
        if element.get("S") != "/TH":
            continue
        row = elements.get(element.get("P"))
        part = elements.get(row.get("P")) if row is not None else None
        if part is not None and part.get("S") == "/THead":
            attributes = element.setdefault("A", pydyf.Dictionary({"O": "/Table"}))
            attributes["Scope"] = "/Column"
