"""Editions: named print settings and branding that change the look, never the content.

Declared in `editions.yaml` at the project root and validated like front matter: every
unknown key or bad value is reported at its line. Without the file there is one edition,
`default` (A4, no brand), whose outputs keep their plain names.
"""

from __future__ import annotations

import colorsys
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml

from pressroom.content.images import image_problem
from pressroom.core.errors import Problem, Problems
from pressroom.core.locales import check_locale
from pressroom.core.yamlfile import Entry, YamlText, suggest
from pressroom.editions.schema import (
    BRAND_KEYS,
    EDITION_KEYS,
    FORMAT_NAMES,
    SYNONYMS,
)

CONFIG = "editions.yaml"
DEFAULT = "default"
#: CSS page sizes (the @page `size` value) and their width and height in points.
#: (Their names are schema.PAPER_NAMES.)
PAPERS = {"A4": ("A4", 595.276, 841.89), "letter": ("letter", 612.0, 792.0),
          "A5": ("A5", 419.528, 595.276)}
#: Edition keys whose values are text (or lists of text), read as written.
TEXT_KEYS = ("paper", "brand", "bleed", "qr", "code", "locales", "description", "formats")
SITE_KEYS = ("base_url", "name", "editions")
TOP_KEYS = ("site", "brands", "editions")
_NAME = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


@dataclass(frozen=True, slots=True)
class Brand:
    key: str
    name: str
    address: tuple[str, ...] = ()
    phone: str = ""
    email: str = ""
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
    #: Address the QR code leads to; `{base_url}` (the site's), `{locale}` and `{slug}`
    #: are filled in per article.
    qr: str = ""
    #: Leaflet code for the footer when the article's front matter gives none.
    code: str = ""
    #: Only these locales (empty: every locale).
    locales: tuple[str, ...] = ()
    description: str = ""
    #: Only these formats (empty: every format whose renderer has an output for it).
    formats: tuple[str, ...] = ()

    def makes(self, fmt: str) -> bool:
        """Whether the edition asks for outputs of this format (`formats: [pdf]`)."""
        return not self.formats or fmt in self.formats

    @property
    def is_default(self) -> bool:
        return self.name == DEFAULT

    def covers(self, locale: str) -> bool:
        """Whether the edition is made for articles in this locale."""
        return not self.locales or locale in self.locales

    @property
    def suffix(self) -> str:
        """What the edition adds to output names: nothing for the default."""
        return "" if self.is_default else f".{self.name}"

    @property
    def page_size(self) -> str:
        return PAPERS[self.paper][0]

    def qr_url(self, locale: str, slug: str, base_url: str = "") -> str:
        return (self.qr.replace("{base_url}", base_url.rstrip("/"))
                .replace("{locale}", locale).replace("{slug}", slug))


@dataclass(frozen=True, slots=True)
class Site:
    """The web edition's settings: where the site is published, what it offers."""

    #: The public address of the output folder (`https://…`, no trailing slash): canonical
    #: links, the sitemap, Open Graph and QR codes use it. Empty: relative links only.
    base_url: str = ""
    #: Who publishes the site (a name: shown as is in every language).
    name: str = ""
    #: Editions whose files the pages offer for download (empty: every edition).
    editions: tuple[str, ...] = ()


@dataclass
class EditionsConfig:
    editions: dict[str, Edition] = field(default_factory=lambda: {DEFAULT: Edition()})
    path: Path | None = None
    site: Site = field(default_factory=Site)
    #: (edition, key) → line in editions.yaml, for checks made after loading (QR targets).
    lines: dict[tuple[str, str], int] = field(default_factory=dict)
    #: Warnings about a brand (a colour hard to read), by brand key: shown only when an
    #: edition with that brand is built or checked, and then once.
    brand_warnings: dict[str, list[Problem]] = field(default_factory=dict)

    def warnings_for(self, editions: Iterable[Edition]) -> list[Problem]:
        """The warnings about the brands these editions use, each brand's once."""
        brands = dict.fromkeys(edition.brand.key for edition in editions if edition.brand)
        return [problem for key in brands for problem in self.brand_warnings.get(key, ())]

    def offered(self) -> list[Edition]:
        """The editions the site offers for download, in the order `site` lists them."""
        names = self.site.editions or tuple(self.editions)
        return [self.editions[n] for n in names if n in self.editions]


def _settings(text: YamlText, node: yaml.Node, what: str, as_written: tuple[str, ...] = ()
              ) -> Iterator[tuple[str, Any, int]]:
    """(key, value, line) of a mapping's settings; unreadable values are reported; the
    values of `as_written` keys are text as written (`code: 021` stays 021)."""
    if not isinstance(node, yaml.MappingNode):
        text.problems.error(text.path, text.line(node),
                            f"{what} must be a mapping of names to settings")
        return
    for entry, value in text.values(text.entries(node, f" in {what}"), as_written):
        yield entry.key, value, entry.line


def _named(text: YamlText, node: yaml.Node, what: str) -> list[Entry]:
    """The named entries (brands, editions) of a mapping, each with its own settings."""
    if not isinstance(node, yaml.MappingNode):
        text.problems.error(text.path, text.line(node),
                            f"{what} must be a mapping of names to settings")
        return []
    return text.entries(node, f" in {what}")


_PLACEHOLDERS = {"{base_url}", "{locale}", "{slug}"}


def _web_address(value: Any, placeholders: bool = False) -> str:
    """"" for an https/http address with a host (and only known placeholders)."""
    if not isinstance(value, str):
        return "must be a web address (https://…)"
    unknown = set(re.findall(r"\{[^}]*\}", value)) - (_PLACEHOLDERS if placeholders else set())
    if unknown:
        return (f"has unknown placeholders {', '.join(sorted(unknown))} (use {{base_url}},"
                " {locale}, {slug})")
    parts = urlsplit(value.replace("{base_url}", "https://site.example", 1)
                     if placeholders and value.startswith("{base_url}") else value)
    if parts.scheme not in ("https", "http") or not parts.netloc:
        return "must be a web address with a host (https://…)"
    return ""


def load_editions(root: Path, problems: Problems) -> EditionsConfig:
    path = root / CONFIG
    if not path.is_file():
        return EditionsConfig()
    try:
        source = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        problems.error(path, None, f"cannot read: {exc}")
        return EditionsConfig(path=path)
    text = YamlText(source, path, problems)
    document = text.root(CONFIG)
    if document is None:
        return EditionsConfig(path=path)
    top = {entry.key: entry for entry in _named(text, document, CONFIG)}
    for key, entry in top.items():
        if key not in TOP_KEYS:
            problems.error(path, entry.line, f"unknown key '{key}'{suggest(key, TOP_KEYS)}"
                           " (expected 'site', 'brands' and 'editions')")
    lines: dict[tuple[str, str], int] = {}
    site = _site(text, top["site"], lines) if "site" in top else Site()
    brands = {}
    advice: dict[str, list[Problem]] = {}
    if "brands" in top:
        for entry in _named(text, top["brands"].node, "'brands'"):
            warnings = Problems()
            brands[entry.key] = _brand(text, entry, root, warnings)
            advice[entry.key] = warnings.items
    editions = {DEFAULT: Edition()}
    if "editions" in top:
        for entry in _named(text, top["editions"].node, "'editions'"):
            name = entry.key
            if not _NAME.match(name):
                problems.error(path, entry.line, f"edition name '{name}' must be lowercase"
                               " letters, digits and hyphens")
                continue
            editions[name] = _edition(text, entry, brands, lines)
            lines[(name, "")] = entry.line  # the edition's own line
    for name in site.editions:
        if name not in editions:
            problems.error(path, lines.get(("site", "editions")), f"site: no edition '{name}'"
                           f"{suggest(name, list(editions))}")
    for name, edition in editions.items():
        if "{base_url}" in edition.qr and not site.base_url:
            problems.error(path, lines.get((name, "qr")), "'qr' uses {base_url}: set"
                           " 'base_url' under 'site'")
    return EditionsConfig(editions, path, site, lines, advice)


def _site(text: YamlText, entry: Entry, lines: dict[tuple[str, str], int]) -> Site:
    path, problems = text.path, text.problems
    values: dict[str, Any] = {}
    for key, value, line in _settings(text, entry.node, "'site'", ("base_url", "name")):
        lines[("site", key)] = line
        if key not in SITE_KEYS:
            problems.error(path, line, f"unknown site key '{key}'{suggest(key, SITE_KEYS)}")
        elif key == "base_url":
            parts = urlsplit(value) if isinstance(value, str) else None
            if parts is None or parts.scheme != "https" or not parts.netloc or parts.query \
                    or parts.fragment:
                problems.error(path, line, "'base_url' must be an absolute https:// address"
                               " (e.g. https://clinic.example/leaflets)")
            else:
                values["base_url"] = value.rstrip("/")
        elif key == "editions":
            if not isinstance(value, list) or not all(isinstance(x, str) for x in value):
                problems.error(path, line, "site 'editions' must be a list of edition names")
            else:
                values["editions"] = tuple(value)
        elif not isinstance(value, str) or not value.strip():
            problems.error(path, line, f"site '{key}' must be text")
        else:
            values[key] = value.strip()
    return Site(**values)


def _brand(text: YamlText, entry: Entry, root: Path, warnings: Problems) -> Brand:
    key, line, path, problems = entry.key, entry.line, text.path, text.problems
    values: dict[str, Any] = {}
    for name, value, value_line in _settings(text, entry.node, f"brand '{key}'", BRAND_KEYS):
        if name not in BRAND_KEYS:
            problems.error(path, value_line, f"unknown brand key '{name}'"
                           f"{suggest_key(name, BRAND_KEYS)}")
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
                    warnings.warning(path, value_line, f"accent {value} has a contrast of"
                                     f" {ratio:.1f}:1 with white, below WCAG AA's 4.5:1: text"
                                     " in that colour will be hard to read; the nearest"
                                     f" shade that has 4.5:1 is {accessible_shade(value)}"
                                     f" (accent: \"{accessible_shade(value)}\")")
        elif name == "email" and not (isinstance(value, str) and _EMAIL.match(value)):
            problems.error(path, value_line, "'email' must be an e-mail address"
                           " (e.g. reception@clinic.example)")
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


def _edition(text: YamlText, entry: Entry, brands: dict[str, Brand],
             lines: dict[tuple[str, str], int]) -> Edition:
    name, path, problems = entry.key, text.path, text.problems
    values: dict[str, Any] = {"name": name}
    for key, value, line in _settings(text, entry.node, f"edition '{name}'", TEXT_KEYS):
        lines[(name, key)] = line
        if key not in EDITION_KEYS:
            problems.error(path, line,
                           f"unknown edition key '{key}'{suggest_key(key, EDITION_KEYS)}")
        elif key == "paper":
            if (paper := paper_name(value)) is None:
                problems.error(path, line, f"paper '{value}' is not one of"
                               f" {', '.join(PAPERS)} (in any case: Letter, a4)")
            else:
                values["paper"] = paper
        elif key == "formats":
            if not isinstance(value, list) or not value or \
                    not all(isinstance(x, str) for x in value):
                problems.error(path, line, "'formats' must be a list of formats, e.g. [pdf]"
                               f" (choose from {', '.join(FORMAT_NAMES)})")
            elif unknown := [x for x in value if x not in FORMAT_NAMES]:
                problems.error(path, line, f"'formats': unknown format '{unknown[0]}'"
                               f"{suggest_key(unknown[0], FORMAT_NAMES)} (choose from"
                               f" {', '.join(FORMAT_NAMES)})")
            else:
                values["formats"] = tuple(dict.fromkeys(value))
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
        problems.error(path, entry.line, f"edition '{name}': a booklet is printed on A5"
                       " pages (2-up on A4): set 'paper: A5'")
    return edition


def paper_name(value: Any) -> str | None:
    """The paper as `PAPERS` names it, whatever the case it was written in."""
    if not isinstance(value, str):
        return None
    return next((name for name in PAPERS if name.lower() == value.strip().lower()), None)


def suggest_key(word: str, known: tuple[str, ...]) -> str:
    """A typo's nearest key, or the key a synonym means (`colour` → `accent`)."""
    meant = SYNONYMS.get(word.lower())
    return f" (did you mean '{meant}'?)" if meant in known else suggest(word, known)


#: Longest address (placeholders filled in) a QR code carries at a scannable size.
QR_MAX = 300


def qr_fits(template: str) -> bool:
    """Generous stand-ins for the placeholders: a long locale tag and slug."""
    filled = (template.replace("{base_url}", "https://" + "x" * 60)
              .replace("{locale}", "zh-Hant-TW").replace("{slug}", "x" * 60))
    return len(filled) <= QR_MAX


def _luminance(colour: str) -> float:
    channels = [int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    """WCAG 2 contrast ratio between two #rrggbb colours."""
    high, low = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def accessible_shade(colour: str, background: str = "#ffffff", target: float = 4.5) -> str:
    """The nearest shade of `colour` (same hue and saturation, darker) whose contrast with
    `background` is at least `target`: what to write instead of a colour too light."""
    hue, light, saturation = colorsys.rgb_to_hls(*(int(colour[i:i + 2], 16) / 255
                                                   for i in (1, 3, 5)))
    low, high = 0.0, light  # lightness 0 (black) always has the contrast

    def shade(lightness: float) -> str:
        rgb = colorsys.hls_to_rgb(hue, lightness, saturation)
        return "#" + "".join(f"{round(c * 255):02x}" for c in rgb)

    for _ in range(30):
        middle = (low + high) / 2
        low, high = (middle, high) if contrast(shade(middle), background) >= target \
            else (low, middle)
    return shade(low)
