"""Which image files an article may use, and whether each is safe to carry.

Images are the one kind of file an author brings into every output, so they are checked
once, when the article is loaded: a relative path inside the project (nothing remote,
nothing outside), a file that exists, in a format every output can carry, and for SVG
(a document, not just a picture) no scripts and no references to other files.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit


@dataclass
class AssetPolicy:
    """Where images may come from: relative paths inside these folders, nothing remote."""

    base_dir: Path
    allowed_roots: tuple[Path, ...]

    def resolve(self, src: str) -> tuple[Path | None, str]:
        """Return (path, "") when allowed and present, else (None, reason)."""
        parts = urlsplit(src)
        if parts.scheme.lower() in ("http", "https") or parts.netloc:
            return None, f"image '{src}' is not a local file (nothing is fetched at build time)"
        if parts.scheme:
            return None, f"image '{src}' is not a relative path to a file in the project"
        path = (self.base_dir / unquote(parts.path)).resolve()
        if not any(path.is_relative_to(root) for root in self.allowed_roots):
            return None, f"image '{src}' is outside the project"
        if not path.is_file():
            return None, f"image file '{src}' not found"
        problem = image_problem(path)
        if problem:
            return None, f"image '{src}' {problem}"
        return path, ""


_SVG_URL = re.compile(r"url\(\s*['\"]?\s*(?!#|data:)", re.IGNORECASE)


def svg_problem(path: Path) -> str:
    """SVG is a document, not just a picture: it may script, or pull in other files.

    Only self-contained drawings are accepted: no scripts or event handlers, and every
    reference (href, CSS url()) points inside the drawing itself or is inline data.
    """
    try:
        root = ET.parse(path).getroot()
    except (ET.ParseError, OSError):
        return "is not a readable SVG file"
    if root.tag.rsplit("}", 1)[-1] != "svg":
        return "is not an SVG image"
    for element in root.iter():
        name = str(element.tag).rsplit("}", 1)[-1]
        if name in ("script", "foreignObject"):
            return f"contains <{name}>: only self-contained drawings are allowed"
        for attribute, value in element.attrib.items():
            local = attribute.rsplit("}", 1)[-1]
            if local.startswith("on"):
                return f"has an event handler ({local}): only static drawings are allowed"
            if local == "href" and not value.startswith(("#", "data:")):
                return f"refers to another file ({value!r}): SVG images must be self-contained"
            if _SVG_URL.search(value):
                return "refers to another file in its style: SVG images must be self-contained"
        if name == "style" and element.text and _SVG_URL.search(element.text):
            return "refers to another file in its style: SVG images must be self-contained"
    return ""


#: Image formats every output can carry (EPUB core media types that WeasyPrint reads).
IMAGE_FORMATS = {"PNG", "JPEG", "GIF", "WEBP"}


def image_problem(path: Path) -> str:
    """"" for a readable PNG, JPEG, GIF, WebP or SVG image; otherwise what is wrong."""
    if path.suffix.lower() == ".svg":
        return svg_problem(path)
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(path) as image:
            kind = image.format
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        return "is not a readable image file"
    if kind not in IMAGE_FORMATS:
        return f"is a {kind} image: use PNG, JPEG, GIF, WebP or SVG"
    return ""
