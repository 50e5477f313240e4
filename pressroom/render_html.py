"""Publication → HTML for print. Knows the layout's context, nothing about Markdown or PDF."""

from __future__ import annotations

import segno
from markupsafe import Markup

from . import __version__
from .editions import Edition
from .errors import Problems
from .model import Image
from .project import Project
from .resolve import Publication
from .templating import make_environment, render_template

LAYOUT = "leaflet.html.j2"
STYLESHEET = "leaflet.css"
LARGE_PRINT = "large-print.css"


def leaflet_code(pub: Publication, edition: Edition) -> str:
    """"MSK-014 v3": the front matter's code (or the edition's) and version."""
    code = pub.meta.code or edition.code
    return f"{code} v{pub.meta.version}" if code and pub.meta.version else code


def qr_image(url: str) -> Markup:
    """A QR code as an inline SVG data URI: vector graphics, nothing fetched."""
    return Markup(segno.make(url, error="m").svg_data_uri(border=0, dark="#000000"))


def leaflet_html(
    pub: Publication, project: Project, problems: Problems, edition: Edition | None = None
) -> str | None:
    edition = edition or Edition()
    env = make_environment(project.layouts_dir, pub.language, pub.strings)
    qr_url = edition.qr_url(pub.language, pub.article.slug) if edition.qr else ""
    qr = ""
    if qr_url:
        try:
            qr = qr_image(qr_url)
        except segno.DataOverflowError:
            problems.error(pub.article.path, None, f"the QR address of edition"
                           f" '{edition.name}' is too long for a QR code: {qr_url}")
            return None
    brand = edition.brand
    context = {
        "pub": pub,
        "meta": pub.meta,
        "article": pub.article,
        "edition": edition,
        "brand": brand,
        "logo": brand.logo.as_uri() if brand and brand.logo else "",
        "qr_url": qr_url,
        "qr_image": qr,
        "leaflet_code": leaflet_code(pub, edition),
        "generator": f"Pressroom {__version__}",
        "epub": False,
        "asset_url": _file_url,
        "link_href": str,
        "heading_base": 1,
        "stylesheet": (project.styles_dir / STYLESHEET).as_uri(),
        "large_print_stylesheet": (
            (project.styles_dir / LARGE_PRINT).as_uri() if edition.large_print else ""
        ),
    }
    return render_template(env, LAYOUT, context, pub.article.path, problems)


def _file_url(image: Image) -> str:
    return image.path.as_uri()
