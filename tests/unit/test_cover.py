"""The generated ebook cover: right size, every glyph drawable, long titles kept inside."""

from __future__ import annotations

from io import BytesIO
from pathlib import Path

from PIL import Image

from pressroom.core.errors import Problems
from pressroom.render.cover import (
    CoverText,
    _coverage,
    cover_png,
    font_file,
    load_spec,
    thumbnail_png,
)


def spec(root: Path) -> dict:
    text = (root / "styles" / "cover.yaml").read_text("utf-8")
    loaded = load_spec("styles/cover.yaml", text, Problems())
    assert loaded is not None
    return loaded


def test_cover_is_a_png_of_the_designed_size(root: Path) -> None:
    design = spec(root)
    text = CoverText("Patient information", "Muscle Spasms", "Sub", "Clinic", "en", "ltr")
    image = Image.open(BytesIO(cover_png(text, design)))
    assert image.format == "PNG"
    assert image.size == (design["width"], design["height"])


def test_the_thumbnail_is_the_cover_small_in_the_designs_colours(root: Path) -> None:
    design = spec(root)
    text = CoverText("Patient information", "Muscle Spasms", "Sub", "Clinic", "en", "ltr")
    image = Image.open(BytesIO(thumbnail_png(text, design, 300))).convert("RGB")
    assert image.size == (300, round(300 * design["height"] / design["width"]))
    colour = lambda name: Image.new("RGB", (1, 1), name).getpixel((0, 0))  # noqa: E731
    band = design["band"]
    # Each area keeps its own background up to its edges: no ringing into the other's ramp.
    assert image.getpixel((2, 2)) == colour(design["background"])
    assert image.getpixel((298, image.height - 3)) == colour(band["background"])
    # The title is drawn: the main area holds pixels near the foreground colour.
    white = colour(design["foreground"])
    assert any(sum(abs(a - b) for a, b in zip(image.getpixel((x, y)), white, strict=True)) < 60
               for x in range(0, 300, 2) for y in range(60, 200, 2))


def test_fonts_are_chosen_by_the_glyphs_they_have() -> None:
    for text in ("تشنجات العضلات", "مكتبة Pressroom الصحية", "Muscle Spasms"):
        path = font_file("Noto Sans:bold", text)
        assert path is not None
        assert {ord(c) for c in text if not c.isspace()} <= _coverage(path), (text, path)


def test_a_very_long_title_stays_above_the_band(root: Path) -> None:
    design = spec(root)
    title = "Supercalifragilisticexpialidociousness " * 12
    text = CoverText("Patient information", title, "Subtitle " * 40, "Clinic", "en", "ltr")
    image = Image.open(BytesIO(cover_png(text, design))).convert("RGB")
    band_top = design["height"] - design["band"]["height"]
    # The rows just above the band are untouched background: nothing ran into it.
    background = Image.new("RGB", (1, 1), design["background"]).getpixel((0, 0))
    row = band_top - 5
    assert {image.getpixel((x, row)) for x in range(0, design["width"], 7)} == {background}


def test_bad_cover_design_is_a_located_error() -> None:
    problems = Problems()
    assert load_spec("styles/cover.yaml", "width: 10\n", problems) is None
    assert load_spec("styles/cover.yaml", None, problems) is None
    assert [(str(p.location.path), p.message) for p in problems] == [
        ("styles/cover.yaml", "cover design is incomplete or invalid: 'height'"),
        ("styles/cover.yaml", "cover design not found"),
    ]
