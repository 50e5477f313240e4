"""The ebook's cover image, generated from the title so no article needs a hand-made one.

Readers show the cover in their library as a raster image, so it is drawn with Pillow
(no WeasyPrint: an EPUB-only build must not load it). The design — size, colours, fonts,
type sizes — is read from `styles/cover.yaml`, where a designer can change it.
"""

from __future__ import annotations

import copy
import functools
import json
import shutil
import zlib
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path
from typing import Any

import yaml
from fontTools.ttLib import TTFont
from PIL import Image, ImageColor, ImageDraw, ImageFont, features

from pressroom.core import processes
from pressroom.core.errors import Problems

Font = ImageFont.FreeTypeFont | ImageFont.ImageFont


@dataclass(frozen=True, slots=True)
class CoverText:
    kicker: str
    title: str
    subtitle: str
    publisher: str
    language: str
    direction: str


@functools.lru_cache(maxsize=64)
def _coverage(path: str) -> frozenset[int]:
    try:
        return frozenset(TTFont(path, lazy=True, fontNumber=0).getBestCmap() or ())
    except Exception:  # an unreadable font simply covers nothing
        return frozenset()


#: fontconfig answers in milliseconds; a lookup this slow is stuck (a broken cache).
FONT_LOOKUP_SECONDS = 30.0


@functools.lru_cache(maxsize=64)
def _candidates(pattern: str) -> tuple[str, ...]:
    """fontconfig's sorted list of font files for a pattern, asked once per pattern (every
    cover asks for the same few patterns, each with another title)."""
    if shutil.which("fc-match") is None:
        return ()
    result = processes.run(["fc-match", "--sort", "--format=%{file}\n", pattern],
                           FONT_LOOKUP_SECONDS)
    listed = result.stdout.decode("utf-8", "replace").splitlines()
    return tuple(line for line in listed if Path(line).is_file())


@functools.lru_cache(maxsize=256)
def font_file(pattern: str, text: str) -> str | None:
    """The first font fontconfig offers for the pattern that has every glyph of the text.

    Pillow draws a string with one font and no fallback, so "مكتبة Pressroom" needs a
    font covering both scripts; fontconfig's sorted list supplies the candidates.
    """
    candidates = _candidates(pattern)
    needed = {ord(c) for c in text if not c.isspace()}
    for path in candidates:
        if needed <= _coverage(path):
            return path
    return candidates[0] if candidates else None


def _font(pattern: str, size: int, text: str) -> Font:
    path = font_file(pattern, text)
    if path is None:
        return ImageFont.load_default(size)
    engine = ImageFont.Layout.RAQM if features.check("raqm") else ImageFont.Layout.BASIC
    return ImageFont.truetype(path, size, layout_engine=engine)


def _shaping(direction: str, language: str) -> dict[str, str]:
    """Direction and language need libraqm (bundled with Pillow's wheels); without it, none."""
    return {"direction": direction, "language": language} if features.check("raqm") else {}


def _wrap(text: str, font: Font, width: int, shaping: dict[str, str]) -> list[str]:
    """Greedy line breaking; a word wider than the line is cut where it overflows."""
    direction = shaping.get("direction")

    def fits(candidate: str) -> bool:
        return font.getlength(candidate, direction=direction) <= width

    lines: list[str] = []
    for word in text.split():
        if lines and fits(f"{lines[-1]} {word}"):
            lines[-1] = f"{lines[-1]} {word}"
            continue
        while not fits(word) and len(word) > 1:
            cut = max(n for n in range(1, len(word)) if fits(word[:n]) or n == 1)
            lines.append(word[:cut])
            word = word[cut:]
        lines.append(word)
    return lines


def _fit(text: str, pattern: str, size: int, width: int, max_lines: int,
         shaping: dict[str, str]) -> tuple[Font, int, list[str]]:
    """The largest type size (down to half) at which the text takes at most max_lines;
    at the smallest size, lines past the limit are dropped and the last one ends in "…"."""
    for step in range(6):
        current = int(size * (1 - step * 0.1))
        font = _font(pattern, current, text)
        lines = _wrap(text, font, width, shaping)
        if len(lines) <= max_lines:
            return font, current, lines
    lines = lines[:max_lines]
    lines[-1] = lines[-1].rstrip(" .,;:") + "…"
    return font, current, lines


def load_spec(name: str, text: str | None, problems: Problems) -> dict[str, Any] | None:
    """The cover design from `styles/cover.yaml` (`text` None: the file is missing)."""
    if text is None:
        problems.error(Path(name), None, "cover design not found")
        return None
    try:
        spec = _parsed(text)
        for key in ("width", "height", "margin", "background", "foreground", "band", "fonts",
                    "sizes"):
            spec[key]
    except (yaml.YAMLError, KeyError, TypeError) as exc:
        problems.error(Path(name), None, f"cover design is incomplete or invalid: {exc}")
        return None
    return spec


def _parsed(text: str) -> Any:
    """The design's YAML, parsed once per text in a process (a preview draws a page on
    every save); a copy, so no caller changes another's."""
    return copy.deepcopy(_parse(text))


@functools.lru_cache(maxsize=8)
def _parse(text: str) -> Any:
    return yaml.safe_load(text)


def _blend(low: str, high: str, levels: int) -> list[int]:
    """`levels` palette entries fading from colour `low` to colour `high` (RGB triples)."""
    a, b = ImageColor.getrgb(low)[:3], ImageColor.getrgb(high)[:3]
    return [round(a[c] + (b[c] - a[c]) * i / (levels - 1)) for i in range(levels) for c in range(3)]


def cover_png(text: CoverText, spec: dict[str, Any]) -> bytes:
    """The cover, drawn once per text and design in a process (a preview redraws the
    page on every save; the cover changes only with the title)."""
    return _cover_png(text, json.dumps(spec, sort_keys=True))


def thumbnail_png(text: CoverText, spec: dict[str, Any], width: int) -> bytes:
    """The cover, `width` pixels wide: what a reading app shows in its lists (OPDS)."""
    return _thumbnail_png(text, json.dumps(spec, sort_keys=True), width)


@functools.lru_cache(maxsize=64)
def _cover_png(text: CoverText, spec_json: str) -> bytes:
    drawn = _drawn(text, spec_json)
    return _encoded(drawn.indices, drawn.palette)


@functools.lru_cache(maxsize=64)
def _thumbnail_png(text: CoverText, spec_json: str, width: int) -> bytes:
    """Each area's palette indices resized on their own, not the coloured cover.

    An area's indices are its coverage, and its colours a straight ramp of coverage, so
    resizing the indices gives the colours resizing the picture would, for a third of
    the work and no conversion to RGB (at 500 leaflets, resizing the RGB cover was most
    of a web build). Lanczos rings a little past an area's ends; clamping keeps each
    area on its own ramp.
    """
    drawn = _drawn(text, spec_json)
    full_width, full_height = drawn.indices.size
    height = round(full_height * width / full_width)
    top = round(drawn.top * width / full_width)
    small = Image.new("L", (width, height))
    for (upper, lower), (y, rows), (low, high) in (
            ((0, drawn.top), (0, top), (0, 127)),
            ((drawn.top, full_height), (top, height - top), (128, 255))):
        area = drawn.indices.crop((0, upper, full_width, lower))
        resized = area.resize((width, rows), Image.LANCZOS, reducing_gap=1.0)
        small.paste(resized.point(lambda v, lo=low, hi=high: min(max(v, lo), hi)), (0, y))
    return _encoded(small, drawn.palette)


def _encoded(indices: Image.Image, palette: list[int]) -> bytes:
    """A palette PNG, deflated run-length only: a cover is long runs of one colour, which
    that strategy packs in half the time of the default at a fifth more bytes."""
    image = indices.copy()
    image.putpalette(palette)  # L becomes P: the grey levels are the indices
    out = BytesIO()
    image.save(out, "PNG", compress_type=zlib.Z_RLE)
    return out.getvalue()


@dataclass(frozen=True, slots=True)
class _Drawn:
    """The cover as palette indices (0-127 the main area's ramp, 128-255 the band's),
    the palette, and where the band begins."""

    indices: Image.Image
    palette: list[int]
    top: int


@functools.lru_cache(maxsize=2)
def _drawn(text: CoverText, spec_json: str) -> _Drawn:
    """Kept for the cover and its thumbnail, asked one after the other (4 MB each)."""
    return _draw(text, json.loads(spec_json))


def _draw(text: CoverText, spec: dict[str, Any]) -> _Drawn:
    """Draw the cover as coverage masks and colour it through a palette.

    Text is drawn white-on-black into greyscale masks (anti-aliased), one for the main
    area and one for the publisher band; their grey levels then index a 256-entry
    palette holding the two colour ramps (background → foreground of each area). A
    palette PNG is small and quick to write, with no colour quantisation pass.
    """
    width, height, margin = spec["width"], spec["height"], spec["margin"]
    sizes, fonts, band = spec["sizes"], spec["fonts"], spec["band"]
    top = height - band["height"]
    main = Image.new("L", (width, top), 0)
    draw = ImageDraw.Draw(main)
    rtl = text.direction == "rtl"
    shaping = _shaping(text.direction, text.language)
    x, anchor = (width - margin, "ra") if rtl else (margin, "la")
    inner = width - 2 * margin

    def block(content: str, pattern: str, size: int, y: int, gap: float, max_lines: int) -> int:
        font, size, lines = _fit(content, pattern, size, inner, max_lines, shaping)
        for line in lines:
            draw.text((x, y), line, font=font, fill=255, anchor=anchor, **shaping)
            y += int(size * gap)
        return y

    y = margin + 120
    y = block(text.kicker.upper(), fonts["text"], sizes["kicker"], y, 1.4, 2)
    draw.rectangle((x - 160 if rtl else x, y + 20, x if rtl else x + 160, y + 32), fill=255)
    # Title and subtitle shrink, then are shortened, to stay clear of the publisher band.
    y = block(text.title, fonts["title"], sizes["title"], y + 110, 1.15, 5)
    if text.subtitle:
        block(text.subtitle, fonts["text"], sizes["subtitle"], y + 60, 1.35, 4)
    strip = Image.new("L", (width, band["height"]), 0)
    if text.publisher:
        font = _font(fonts["title"], sizes["publisher"], text.publisher)
        ImageDraw.Draw(strip).text((x, band["height"] // 2), text.publisher, font=font,
                                   fill=255, anchor="rm" if rtl else "lm", **shaping)
    # Grey levels 0-255 become palette indices 0-127 (main area) and 128-255 (band).
    cover = Image.new("L", (width, height))
    cover.paste(main.point(lambda v: v >> 1), (0, 0))
    cover.paste(strip.point(lambda v: 128 + (v >> 1)), (0, top))
    palette = (_blend(spec["background"], spec["foreground"], 128)
               + _blend(band["background"], band["foreground"], 128))
    return _Drawn(cover, palette, top)
