"""Editions: named print settings and branding that change the look, never the content.

Declared in `editions.yaml` at the project root and validated like front matter: every
unknown key or bad value is reported at its line. Without the file there is one edition,
`default` (A4, no brand), whose outputs keep their plain names.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml

from .errors import Problems
from .locales import check_locale
from .markup import image_problem

CONFIG = "editions.yaml"
DEFAULT = "default"
#: CSS page sizes (the @page `size` value) and their width and height in points.
PAPERS = {"A4": ("A4", 595.276, 841.89), "letter": ("letter", 612.0, 792.0),
          "A5": ("A5", 419.528, 595.276)}
EDITION_KEYS = ("paper", "brand", "large_print", "booklet", "bleed", "crop_marks", "qr",
                "code", "locales", "description")
BRAND_KEYS = ("name", "address", "phone", "website", "logo", "accent")
_NAME = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")


@dataclass(frozen=True, slots=True)
class Brand:
    key: str
    name: str
    address: tuple[str, ...] = ()
    phone: str = ""
    website: str = ""
    logo: Path | None = None
    accent: str = ""


@dataclass(frozen=True, slots=True)
class Edition:
    name: str = DEFAULT
    paper: str = "A4"
    brand: Brand | None = None
    large_print: bool = False
    booklet: bool = False
    bleed_mm: float = 0.0
    crop_marks: bool = False
    #: Address the QR code leads to; `{locale}` and `{slug}` are filled in per article.
    qr: str = ""
    #: Leaflet code for the footer when the article's front matter gives none.
    code: str = ""
    #: Only these locales (empty: every locale).
    locales: tuple[str, ...] = ()
    description: str = ""

    @property
    def is_default(self) -> bool:
        return self.name == DEFAULT

    @property
    def suffix(self) -> str:
        """What the edition adds to output names: nothing for the default."""
        return "" if self.is_default else f".{self.name}"

    @property
    def page_size(self) -> str:
        return PAPERS[self.paper][0]

    def formats(self, wanted: tuple[str, ...]) -> tuple[str, ...]:
        """An edition that only changes print settings has no ebook of its own."""
        ebook = self.is_default or self.brand is not None
        return tuple(f for f in wanted if f != "epub" or ebook)

    def qr_url(self, locale: str, slug: str) -> str:
        return self.qr.replace("{locale}", locale).replace("{slug}", slug)


@dataclass
class EditionsConfig:
    editions: dict[str, Edition] = field(default_factory=lambda: {DEFAULT: Edition()})
    path: Path | None = None


def _line(node: yaml.Node) -> int:
    return node.start_mark.line + 1


def _suggest(key: str, known: tuple[str, ...]) -> str:
    close = difflib.get_close_matches(key, known, n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""


def _mapping(node: yaml.Node, path: Path, what: str, problems: Problems
             ) -> list[tuple[str, yaml.Node, int]]:
    if not isinstance(node, yaml.MappingNode):
        problems.error(path, _line(node), f"{what} must be a mapping of names to settings")
        return []
    entries, seen = [], {}
    for key_node, value_node in node.value:
        key, line = str(key_node.value), _line(key_node)
        if key in seen:
            problems.error(path, line, f"'{key}' is given twice in {what} (first on line"
                           f" {seen[key]})")
            continue
        seen[key] = line
        entries.append((key, value_node, line))
    return entries


class _Loader(yaml.SafeLoader):
    """Dates stay text, as in front matter: YAML's own conversion raises on 2019-02-30."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


class _Unreadable(Exception):
    pass


def _scalar(node: yaml.Node) -> Any:
    try:
        return yaml.load(yaml.serialize(node), Loader=_Loader)
    except (yaml.YAMLError, ValueError, TypeError) as exc:
        raise _Unreadable(str(exc).splitlines()[0]) from exc


def _settings(node: yaml.Node, path: Path, what: str, problems: Problems
              ) -> Iterator[tuple[str, Any, int]]:
    """(key, value, line) of a mapping's settings; unreadable values are reported."""
    for key, value_node, line in _mapping(node, path, what, problems):
        try:
            yield key, _scalar(value_node), line
        except _Unreadable as exc:
            problems.error(path, line, f"'{key}' cannot be read: {exc}")


def _web_address(value: Any, placeholders: bool = False) -> str:
    """"" for an https/http address with a host (and only known placeholders)."""
    if not isinstance(value, str):
        return "must be a web address (https://…)"
    parts = urlsplit(value)
    if parts.scheme not in ("https", "http") or not parts.netloc:
        return "must be a web address with a host (https://…)"
    unknown = set(re.findall(r"\{[^}]*\}", value)) - ({"{locale}", "{slug}"} if placeholders
                                                     else set())
    if unknown:
        return f"has unknown placeholders {', '.join(sorted(unknown))} (use {{locale}}, {{slug}})"
    return ""


def load_editions(root: Path, problems: Problems) -> EditionsConfig:
    path = root / CONFIG
    if not path.is_file():
        return EditionsConfig()
    try:
        document = yaml.compose(path.read_text(encoding="utf-8"), Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "context_mark", None) or getattr(exc, "problem_mark", None)
        reason = ", ".join(p for p in (getattr(exc, "context", None),
                                       getattr(exc, "problem", None)) if p) or str(exc)
        problems.error(path, mark.line + 1 if mark else None, f"not valid YAML: {reason}")
        return EditionsConfig(path=path)
    except (OSError, UnicodeDecodeError) as exc:
        problems.error(path, None, f"cannot read: {exc}")
        return EditionsConfig(path=path)
    if document is None:
        return EditionsConfig(path=path)
    top = dict((k, (v, line)) for k, v, line in _mapping(document, path, CONFIG, problems))
    for key, (_, line) in top.items():
        if key not in ("brands", "editions"):
            problems.error(path, line, f"unknown key '{key}'{_suggest(key, ('brands', 'editions'))}"
                           " (expected 'brands' and 'editions')")
    brands = {}
    if "brands" in top:
        for key, node, line in _mapping(top["brands"][0], path, "'brands'", problems):
            brands[key] = _brand(key, node, line, root, path, problems)
    editions = {DEFAULT: Edition()}
    if "editions" in top:
        for name, node, line in _mapping(top["editions"][0], path, "'editions'", problems):
            if not _NAME.match(name) or name == "print":
                problems.error(path, line, f"edition name '{name}' must be lowercase letters,"
                               " digits and hyphens, and not 'print' (booklet print files end"
                               " in .print.pdf)")
                continue
            editions[name] = _edition(name, node, brands, path, problems)
    return EditionsConfig(editions, path)


def _brand(key: str, node: yaml.Node, line: int, root: Path, path: Path,
           problems: Problems) -> Brand:
    values: dict[str, Any] = {}
    for name, value, value_line in _settings(node, path, f"brand '{key}'", problems):
        if name not in BRAND_KEYS:
            problems.error(path, value_line, f"unknown brand key '{name}'"
                           f"{_suggest(name, BRAND_KEYS)}")
        elif name == "address":
            lines = [value] if isinstance(value, str) else value
            if not isinstance(lines, list) or not all(isinstance(x, str) for x in lines):
                problems.error(path, value_line, "'address' must be text or a list of lines")
            else:
                values["address"] = tuple(lines)
        elif name == "logo":
            logo = (root / str(value)).resolve()
            if not logo.is_relative_to(root.resolve()):
                problems.error(path, value_line, f"logo '{value}' is outside the project")
            elif not logo.is_file():
                problems.error(path, value_line, f"logo '{value}' not found")
            elif logo.suffix.lower() not in (".svg", ".png"):
                problems.error(path, value_line, "the logo must be an SVG or PNG file")
            elif problem := image_problem(logo):
                problems.error(path, value_line, f"logo '{value}' {problem}")
            else:
                values["logo"] = logo
        elif name == "accent":
            if not isinstance(value, str) or not _COLOUR.match(value):
                problems.error(path, value_line, "'accent' must be a colour written #rrggbb")
            else:
                values["accent"] = value
                ratio = contrast(value, "#ffffff")
                if ratio < 4.5:
                    problems.warning(path, value_line, f"accent {value} has a contrast of"
                                     f" {ratio:.1f}:1 with white, below WCAG AA's 4.5:1: text"
                                     " in that colour will be hard to read")
        elif name == "website" and (reason := _web_address(value)):
            problems.error(path, value_line, f"'website' {reason}")
        elif not isinstance(value, str) or not value.strip():
            problems.error(path, value_line, f"'{name}' must be text")
        else:
            values[name] = value.strip()
    if "name" not in values:
        problems.error(path, line, f"brand '{key}' has no 'name'")
        values["name"] = key
    return Brand(key, **values)


def _edition(name: str, node: yaml.Node, brands: dict[str, Brand], path: Path,
             problems: Problems) -> Edition:
    values: dict[str, Any] = {"name": name}
    for key, value, line in _settings(node, path, f"edition '{name}'", problems):
        if key not in EDITION_KEYS:
            problems.error(path, line, f"unknown edition key '{key}'{_suggest(key, EDITION_KEYS)}")
        elif key == "paper":
            if value not in PAPERS:
                problems.error(path, line, f"paper '{value}' is not one of {', '.join(PAPERS)}")
            else:
                values["paper"] = value
        elif key == "brand":
            if value not in brands:
                problems.error(path, line, f"brand '{value}' is not defined under 'brands'")
            else:
                values["brand"] = brands[value]
        elif key in ("large_print", "booklet", "crop_marks"):
            if not isinstance(value, bool):
                problems.error(path, line, f"'{key}' must be true or false")
            else:
                values[key] = value
        elif key == "bleed":
            match = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*mm\s*", str(value))
            if not match or float(match.group(1)) > 10:
                problems.error(path, line, "'bleed' must be a length in mm, e.g. 3mm")
            else:
                values["bleed_mm"] = float(match.group(1))
        elif key == "locales":
            if not isinstance(value, list) or not all(isinstance(x, str) for x in value):
                problems.error(path, line, "'locales' must be a list of locale tags")
            elif bad := [reason for tag in value if (reason := check_locale(tag))]:
                problems.error(path, line, f"'locales': {bad[0]}")
            else:
                values["locales"] = tuple(value)
        elif key == "qr":
            if reason := _web_address(value, placeholders=True):
                problems.error(path, line, f"'qr' {reason}")
            elif not qr_fits(value):
                problems.error(path, line, "'qr' is too long for a QR code that can be printed"
                               f" and scanned (at most {QR_MAX} characters once filled in)")
            else:
                values["qr"] = value
        elif not isinstance(value, str):
            problems.error(path, line, f"'{key}' must be text")
        else:
            values[key] = value
    edition = Edition(**values)
    if edition.booklet and edition.paper != "A5":
        problems.error(path, _line(node), f"edition '{name}': a booklet is printed on A5"
                       " pages (2-up on A4): set 'paper: A5'")
    return edition


#: Longest address (placeholders filled in) a QR code carries at a scannable size.
QR_MAX = 300


def qr_fits(template: str) -> bool:
    """Generous stand-ins for the placeholders: a long locale tag and slug."""
    filled = template.replace("{locale}", "zh-Hant-TW").replace("{slug}", "x" * 60)
    return len(filled) <= QR_MAX


def _luminance(colour: str) -> float:
    channels = [int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    """WCAG 2 contrast ratio between two #rrggbb colours."""
    high, low = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)
