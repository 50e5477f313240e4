"""A render job → the leaflet's HTML for print. Knows the layout's context, nothing of
Markdown or of PDF writing; every file it names is one of the job's bundle."""

from __future__ import annotations

from collections.abc import Callable, Mapping

import segno
from markupsafe import Markup

from pressroom import __version__
from pressroom.content.model import Image
from pressroom.core.errors import Problems
from pressroom.core.files import LOGO
from pressroom.render.protocol import RenderJob
from pressroom.render.templating import make_environment, render_template

LAYOUT = "leaflet.html.j2"
STYLESHEET = "styles/leaflet.css"
LARGE_PRINT = "styles/large-print.css"


def leaflet_code(job: RenderJob) -> str:
    """"MSK-014 v3": the front matter's code (or the edition's) and version."""
    meta = job.publication.meta
    code = meta.code or job.edition.code
    return f"{code} v{meta.version}" if code and meta.version else code


def qr_image(url: str) -> Markup:
    """A QR code as an inline SVG data URI: vector graphics, nothing fetched."""
    return Markup(segno.make(url, error="m").svg_data_uri(border=0, dark="#000000"))


def logo_name(job: RenderJob) -> str:
    return next(iter(job.bundle.under(LOGO)), "")


def leaflet_html(job: RenderJob, problems: Problems, url_of: Callable[[str], str],
                 variant: Mapping[str, bool | int] | None = None) -> str | None:
    """The layout filled in; `url_of` turns a bundle name into the URL the engine reads.

    `variant`: the layout's switches for fitting the pages (see renderer.VARIANTS):
    `small_print_last`, `keep_references`, `carry_last`, `fewer_lines` (how many of the
    doctor's note lines to leave out).
    """
    pub, edition = job.publication, job.edition
    env = make_environment(job.bundle, pub.language, pub.strings)
    qr_url = job.links.get("qr", "")
    qr = ""
    if qr_url:
        try:
            qr = qr_image(qr_url)
        except segno.DataOverflowError:
            problems.error(pub.article.path, None, f"the QR address of edition"
                           f" '{edition.name}' is too long for a QR code: {qr_url}")
            return None
    for name in (STYLESHEET, LARGE_PRINT) if edition.large_print else (STYLESHEET,):
        if job.bundle.read(name) is None:
            problems.error(pub.article.path, None, f"stylesheet '{name}' not found")
            return None
    logo = logo_name(job)

    def asset_url(image: Image) -> str:
        return url_of(job.assets[image.path])

    context = {
        "pub": pub,
        "meta": pub.meta,
        "article": pub.article,
        "edition": edition,
        "brand": edition.brand,
        "logo": url_of(logo) if logo else "",
        "qr_url": qr_url,
        "qr_kind": job.links.get("qr_kind", ""),
        "qr_image": qr,
        "leaflet_code": leaflet_code(job),
        "generator": f"Pressroom {__version__}",
        "epub": False,
        "paper": True,  # for _content.html.j2: keep each note call on its word's line
        "asset_url": asset_url,
        "link_href": str,
        "heading_base": 1,
        "stylesheet": url_of(STYLESHEET),
        "large_print_stylesheet": url_of(LARGE_PRINT) if edition.large_print else "",
        "small_print_last": False,
        "keep_references": False,
        "carry_last": False,
        "fewer_lines": 0,
        **(variant or {}),
    }
    return render_template(env, LAYOUT, context, pub.article.path, problems)
