"""Publication → PDF leaflet: layout HTML, WeasyPrint, then pypdf finishing.

Imported only when a PDF is wanted: WeasyPrint is slow to import and needs Pango.
WeasyPrint may read only files inside the project (see `ProjectFetcher`); everything it
logs at warning level is reported against the article instead of scrolling past.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from io import BytesIO
from pathlib import Path
from urllib.parse import urlsplit
from urllib.request import url2pathname

from pypdf import PdfWriter
from pypdf.generic import NameObject
from weasyprint import HTML, LOGGER, URLFetcher

from .editions import Edition
from .errors import Problems
from .project import Project
from .render_html import STYLESHEET, leaflet_html
from .resolve import Publication

PDF_OPTIONS = {"pdf_variant": "pdf/ua-1", "pdf_forms": True}


class ProjectFetcher(URLFetcher):
    """Serves `file:` URLs under the allowed roots and `data:` URLs; refuses everything else.

    Refusals are recorded so the build can fail the article with a clear message rather
    than print a leaflet with a silently missing image.
    """

    def __init__(self, allowed_roots: tuple[Path, ...], allowed_files: tuple[Path, ...] = ()
                 ) -> None:
        super().__init__(allowed_protocols={"file", "data"}, allow_redirects=False)
        self.allowed_roots = allowed_roots
        self.allowed_files = allowed_files
        self.requested: list[str] = []
        self.refused: list[str] = []

    def fetch(self, url: str, headers: dict[str, str] | None = None):  # type: ignore[override]
        self.requested.append(url)
        parts = urlsplit(url)
        scheme = parts.scheme.lower()
        if scheme == "data":
            return super().fetch(url, headers)
        if scheme == "file" and not parts.netloc:
            path = Path(url2pathname(parts.path)).resolve()
            allowed = path in self.allowed_files or any(
                path.is_relative_to(r) for r in self.allowed_roots)
            if path.is_file() and allowed:
                return super().fetch(path.as_uri(), headers)
        self.refused.append(url)
        raise ValueError(f"refused to read {url}: only files inside the project may be used")


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


def html_to_pdf(html: str, pub: Publication, project: Project, problems: Problems,
                edition: Edition | None = None) -> bytes | None:
    """Lay out and write the PDF; None (with problems reported) if anything was refused."""
    path = pub.article.path
    logo = edition.brand.logo if edition and edition.brand and edition.brand.logo else None
    fetcher = ProjectFetcher(project.allowed_roots, (logo,) if logo else ())
    stylesheet = project.styles_dir / STYLESHEET
    if not stylesheet.is_file():
        problems.error(stylesheet, None, "stylesheet not found")
        return None
    # The layout links the stylesheet itself (author origin, so it cascades together
    # with the layout's own <style>), through the same restricted fetcher.
    with _weasyprint_logs() as logs:
        document = HTML(string=html, base_url=path.parent.as_uri() + "/", url_fetcher=fetcher)
        pdf = document.write_pdf(pdf_identifier=pdf_identifier(pub), **PDF_OPTIONS)
    for url in dict.fromkeys(fetcher.refused):
        problems.error(path, None, f"the leaflet refers to '{url}', outside the project: refused")
    failed = False
    for message in dict.fromkeys(logs.messages):
        if any(url in message for url in fetcher.refused):
            continue
        if message.startswith("Failed to load"):  # an image or stylesheet would be missing
            problems.error(path, None, f"WeasyPrint: {message}")
            failed = True
        else:
            problems.warning(path, None, f"WeasyPrint: {message}")
    if fetcher.refused or failed or pdf is None:
        return None
    return finish(pdf)


def pdf_identifier(pub: Publication) -> bytes:
    """The PDF's /ID: the same for the same article, locale and date, so builds repeat."""
    key = f"{pub.language}/{pub.article.slug}/{pub.modified.isoformat()}"
    return hashlib.sha256(key.encode()).hexdigest()[:32].encode()


def finish(pdf: bytes) -> bytes:
    """What WeasyPrint cannot set: page labels, and opening with the bookmarks panel.

    Written as an incremental update: WeasyPrint's bytes stay exactly as they are (tags,
    form fields, XMP metadata, object streams, the PDF 1.7 header) and the changed
    catalog is appended after them. A full rewrite (`clone_from`) kept the structure too,
    but tripled the file size and took longer.
    """
    writer = PdfWriter(BytesIO(pdf), incremental=True)
    writer.set_page_label(0, len(writer.pages) - 1, style="/D")
    writer.page_mode = "/UseOutlines"
    # The update's trailer names the document information only if it changed, and tools
    # that read just the last trailer (poppler: pdfinfo, Evince) would lose title and
    # dates. /Trapped (a standard key, absent from the XMP) marks it changed.
    info = writer._info  # the live dictionary (`metadata` is a copy)
    if info is not None:
        info[NameObject("/Trapped")] = NameObject("/False")
    out = BytesIO()
    writer.write(out)
    return out.getvalue()


def render(
    pub: Publication, project: Project, problems: Problems, edition: Edition | None = None
) -> bytes | None:
    html = leaflet_html(pub, project, problems, edition)
    if html is None:
        return None
    return html_to_pdf(html, pub, project, problems, edition)
