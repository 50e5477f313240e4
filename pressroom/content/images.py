"""Which image files an article may use, and whether each is safe to carry.

Images are the one kind of file an author brings into every output, so they are checked
once, when the article is loaded: a relative path inside the project (nothing remote,
nothing outside), a file that exists, in a format every output can carry, and for SVG
(a document, not just a picture) no scripts and no references to other files.
"""

from __future__ import annotations

import os
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

from pressroom.core.errors import display_path


@dataclass
class AssetPolicy:
    """Where images may come from: relative paths inside these folders, nothing remote."""

    base_dir: Path
    allowed_roots: tuple[Path, ...]
    #: The article's own folder (`source/en/muscle-spasms/`), where its images belong: a
    #: missing image is looked for there, to say where it is.
    article_dir: Path | None = None
    #: False: decide from the address alone, and leave the files to `check` (an article
    #: parsed on a machine without the project: a cluster's worker).
    on_disk: bool = True

    def resolve(self, src: str) -> tuple[Path | None, str]:
        """Return (path, "") when allowed (and, `on_disk`, present), else (None, reason)."""
        parts = urlsplit(src)
        if parts.scheme.lower() in ("http", "https") or parts.netloc:
            return None, f"image '{src}' is not a local file (nothing is fetched at build time)"
        if parts.scheme:
            return None, f"image '{src}' is not a relative path to a file in the project"
        path = self.base_dir / unquote(parts.path)
        if not self.on_disk:
            path = Path(os.path.normpath(path))
            return (path, "") if self._inside(path) else (None, _outside(src))
        return self.check(path, src)

    def check(self, path: Path, src: str) -> tuple[Path | None, str]:
        """The image file `src` names, on this machine: inside the project (symbolic links
        followed), present, and of a kind every output can carry."""
        path = path.resolve()
        if not self._inside(path):
            return None, _outside(src)
        if not path.is_file():
            return None, f"image file '{src}' not found: {self._missing(path)}"
        problem = image_problem(path)
        if problem:
            return None, f"image '{src}' {problem}"
        return path, ""

    def _inside(self, path: Path) -> bool:
        return any(path.is_relative_to(root) for root in self.allowed_roots)

    def _missing(self, path: Path) -> str:
        """Where the image was looked for, and whether the article's folder has one of
        that name (the usual mistake: `figure.png` for `muscle-spasms/figure.png`)."""
        looked = f"looked for {display_path(path)}"
        folder = self.article_dir
        if folder is None:
            return looked
        there = _same_name(folder, path.name)
        if there is None:
            return (f"{looked}, and there is none in the article's folder"
                    f" {display_path(folder)}{os.sep} either")
        relative = Path(os.path.relpath(there, self.base_dir)).as_posix()
        return f"{looked}; the article's folder has one: write '{relative}'"


def _outside(src: str) -> str:
    return f"image '{src}' is outside the project"


def _same_name(folder: Path, name: str) -> Path | None:
    """The file called `name` in `folder`, in any letter case."""
    try:
        files = [p for p in folder.iterdir() if p.is_file()]
    except OSError:
        return None
    exact = [p for p in files if p.name == name]
    return (exact or [p for p in files if p.name.casefold() == name.casefold()] or [None])[0]


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
