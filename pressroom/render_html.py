"""Publication → HTML for print. Knows the layout's context, nothing about Markdown or PDF."""

from __future__ import annotations

from . import __version__
from .errors import Problems
from .model import Image
from .project import Project
from .resolve import Publication
from .templating import make_environment, render_template

LAYOUT = "leaflet.html.j2"
STYLESHEET = "leaflet.css"


def leaflet_html(pub: Publication, project: Project, problems: Problems) -> str | None:
    env = make_environment(project.layouts_dir, pub.language, pub.strings)
    context = {
        "pub": pub,
        "meta": pub.meta,
        "article": pub.article,
        "generator": f"Pressroom {__version__}",
        "epub": False,
        "asset_url": _file_url,
        "link_href": str,
        "heading_base": 1,
        "stylesheet": (project.styles_dir / STYLESHEET).as_uri(),
    }
    return render_template(env, LAYOUT, context, pub.article.path, problems)


def _file_url(image: Image) -> str:
    return image.path.as_uri()
