"""Layout, read back from the PDFs with pdfplumber: nothing outside the page's content
area, no page left nearly empty, long titles kept on the front page.

The content area is the design's, written out here from the paper sizes and margins the
stylesheet promises (A4 and Letter: 18 mm top, 22 mm sides and bottom; A5: 14, 15,
17 mm), inside the trim box (print-ready pages carry bleed and crop marks around it).
"""

from __future__ import annotations

import functools
import itertools
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

import pdfplumber
import pytest
from conftest import copy_project
from pypdf import PdfReader

from pressroom.cli.main import main

PT_PER_MM = 72 / 25.4
#: Anything may touch the edge, within half a point.
TOLERANCE = 0.5
LOCALES = ["en", "es", "fr", "de", "ar"]
EDITIONS = ["", ".clinic", ".letter", ".booklet", ".large-print", ".print-ready"]
#: (top, right, bottom, left) margins in mm.
MARGINS = {"A5": (14, 15, 17, 15), "other": (18, 22, 22, 22)}


@dataclass(frozen=True)
class Area:
    """The content area of one page, in pdfplumber's coordinates (x from the left of the
    user space, y up from the bottom of the media box)."""

    left: float
    right: float
    top: float
    bottom: float
    #: The paper (trim box): the running footer sits between `bottom` and its edge.
    paper_bottom: float


@dataclass(frozen=True)
class PageObjects:
    """What pdfplumber reads of one page (its slow part: pdfminer's layout), read once
    per file: five checks below read each of the thirty leaflets."""

    chars: list[dict]
    rects: list[dict]
    lines: list[dict]
    curves: list[dict]
    images: list[dict]
    #: Links and form fields: their box, and `FT` (the field type's name, or None).
    annots: list[dict]


@functools.cache
def read_pages(path: Path) -> tuple[PageObjects, ...]:
    def annot(found: dict) -> dict:
        kind = getattr((found.get("data") or {}).get("FT"), "name", None)
        return {**{k: found[k] for k in ("x0", "x1", "y0", "y1")}, "FT": kind}

    with pdfplumber.open(path) as pdf:
        return tuple(PageObjects(p.chars, p.rects, p.lines, p.curves, p.images,
                                 [annot(a) for a in p.annots]) for p in pdf.pages)


def areas(path: Path) -> list[Area]:
    reader = PdfReader(path)
    found = []
    for page in reader.pages:
        trim, media = page.trimbox, page.mediabox
        shift = -float(media.bottom)  # pdfplumber measures y from the media box's bottom
        top, right, bottom, left = (m * PT_PER_MM for m in MARGINS[
            "A5" if round(float(trim.width) / PT_PER_MM) == 148 else "other"])
        found.append(Area(float(trim.left) + left, float(trim.right) - right,
                          float(trim.top) + shift - top, float(trim.bottom) + shift + bottom,
                          float(trim.bottom) + shift))
    return found


def outside(path: Path, crop_marks: bool = False) -> list[str]:
    """Every character and drawn object (box, rule, curve, image, link or form field)
    that lies outside the content area, described. Below the content area only the
    running footer may stand, whole, above the paper's edge; outside the trim box only
    crop marks, where the edition has them."""
    problems = []
    for number, (page, area) in enumerate(zip(read_pages(path), areas(path), strict=True), 1):
        for char in page.chars:
            if char["text"].isspace():
                continue
            baseline = char["matrix"][5]
            sideways = (char["x0"] < area.left - TOLERANCE
                        or char["x1"] > area.right + TOLERANCE)
            too_high = char["y1"] > area.top + TOLERANCE
            # A line belongs either to the content (baseline inside) or to the footer
            # (wholly below the content area, above the paper's edge).
            in_footer = baseline < area.bottom - TOLERANCE
            straddles = in_footer and (char["y1"] > area.bottom + TOLERANCE
                                       or baseline < area.paper_bottom + 5 * PT_PER_MM)
            if sideways or too_high or straddles:
                problems.append(f"page {number}: text {char['text']!r} at x {char['x0']:.1f}"
                                f" to {char['x1']:.1f}, baseline {baseline:.1f}")
        for kind in ("rects", "lines", "curves", "images", "annots"):
            for shape in getattr(page, kind):
                x0, x1, y0, y1 = shape["x0"], shape["x1"], shape["y0"], shape["y1"]
                if crop_marks and (y1 < area.paper_bottom or x1 < area.left - 30
                                   or x0 > area.right + 30 or y0 > area.top + 30):
                    continue  # in the bleed: a crop mark
                sideways = x0 < area.left - TOLERANCE or x1 > area.right + TOLERANCE
                too_high = y1 > area.top + TOLERANCE
                straddles = y0 < area.bottom - TOLERANCE and y1 > area.bottom + TOLERANCE
                if sideways or too_high or straddles:
                    problems.append(f"page {number}: {kind[:-1]} at x {x0:.1f} to {x1:.1f},"
                                    f" y {y0:.1f} to {y1:.1f}")
    return problems


@pytest.mark.parametrize("edition", EDITIONS)
@pytest.mark.parametrize("locale", LOCALES)
def test_everything_lies_inside_the_content_area(editions_out: Path, locale: str,
                                                 edition: str) -> None:
    path = editions_out / locale / f"muscle-spasms{edition}.pdf"
    assert outside(path, crop_marks=edition == ".print-ready") == []


def test_the_check_finds_what_overflows(tmp_path: Path) -> None:
    """The check itself: a box and a line of text past the margins are found."""
    html = tmp_path / "x.html"
    html.write_text(
        "<style>@page { size: A4; margin: 18mm 22mm 22mm 22mm }</style>"
        "<p>Inside the column.</p>"
        "<div style='width: 100%; padding: 5mm; border: 1pt solid black'>Box</div>"
        "<p style='margin-left: -10mm'>Left of the margin.</p>", encoding="utf-8")
    from weasyprint import HTML

    HTML(filename=html).write_pdf(tmp_path / "x.pdf")
    found = outside(tmp_path / "x.pdf")
    assert any("rect" in problem for problem in found), found
    assert any("text 'L'" in problem for problem in found), found
    assert not any("text 'I'" in problem for problem in found), found


def filled(path: Path) -> list[float]:
    """How far down each page's content reaches, as a share of its content area."""
    shares = []
    for page, area in zip(read_pages(path), areas(path), strict=True):
        lows = [shape["y0"] for kind in ("chars", "rects", "lines", "curves")
                for shape in getattr(page, kind)
                if shape["y0"] >= area.bottom - TOLERANCE and shape["y1"] <= area.top + 1]
        shares.append((area.top - min(lows)) / (area.top - area.bottom) if lows else 0)
    return shares


@pytest.mark.parametrize("edition", EDITIONS)
@pytest.mark.parametrize("locale", LOCALES)
def test_no_page_is_left_nearly_empty(editions_out: Path, locale: str, edition: str) -> None:
    """Every page but the last is at least a quarter full: the references and small print
    never stand alone on a page (Spanish once had a page 5 with only the small print, the
    Spanish Letter leaflet one with the references and the small print, 70 % empty)."""
    shares = filled(editions_out / locale / f"muscle-spasms{edition}.pdf")
    assert all(share >= 0.25 for share in shares[:-1]), shares


@pytest.mark.parametrize("edition", EDITIONS)
@pytest.mark.parametrize("locale", LOCALES)
def test_the_small_print_is_never_alone_on_a_page(editions_out: Path, locale: str,
                                                  edition: str) -> None:
    """The small print (the element `about`) shares its page with the references (the
    last of them: they may begin on the page before), or stands at the foot of the last
    page, after the checklist."""
    reader = PdfReader(editions_out / locale / f"muscle-spasms{edition}.pdf")
    last_note = max((name for name in reader.named_destinations if re.fullmatch(
        r"note-\d+", name)), key=lambda name: int(name.split("-")[1]))
    page = {name: reader.get_destination_page_number(reader.named_destinations[name])
            for name in ("about", last_note, "checklist")}
    last = len(reader.pages) - 1
    assert page["about"] == page[last_note] or page["checklist"] <= page["about"] == last


def _text(page) -> str:
    return " ".join(page.extract_text().split())


LONG_TITLE = (
    "Muscle Spasms, Cramps and Twitching in Adults and Children: What They Are, Why They"
    " Happen, How to Stop Them at Home, and When You Should See Your Doctor, Nurse or"
    " Pharmacist About Them, Day or Night")


@pytest.fixture(scope="module")
def long_title(tmp_path_factory: pytest.TempPathFactory, root: Path) -> Path:
    """A ~200-character title, built in the smallest and the largest-type editions."""
    text = (root / "source" / "en" / "muscle-spasms.md").read_text("utf-8")
    text = re.sub(r"^title: .*$", f"title: '{LONG_TITLE}'", text, count=1, flags=re.M)
    project = copy_project(tmp_path_factory.mktemp("long") / "project", {"en/long.md": text})
    shutil.copy(root / "editions.yaml", project / "editions.yaml")
    shutil.copytree(root / "styles" / "brands", project / "styles" / "brands",
                    dirs_exist_ok=True)
    assert main(["build", "--format", "pdf", "--edition", "booklet", "large-print",
                 "default"], project_root=project) == 0
    return project / "out" / "en"


@pytest.mark.parametrize("edition", [".booklet", ".large-print", ""])
def test_a_long_title_stays_on_the_front_page(long_title: Path, edition: str) -> None:
    assert len(LONG_TITLE) >= 195
    path = long_title / f"long{edition}.pdf"
    front = _text(PdfReader(path).pages[0]).replace("- ", "")
    assert LONG_TITLE in front
    assert outside(path) == []


def text_lines(page, rtl: bool = False) -> list[list[dict]]:
    """The page's lines of characters, each in reading order: characters whose heights
    overlap share a line (a raised note call overlaps its line)."""
    lines: list[dict] = []
    for char in sorted((c for c in page.chars if not c["text"].isspace()),
                       key=lambda c: c["top"]):
        line = next((line for line in lines if char["top"] < line["bottom"] - 0.5
                     and char["bottom"] > line["top"] + 0.5), None)
        if line is None:
            lines.append({"top": char["top"], "bottom": char["bottom"], "chars": [char]})
        else:
            line["chars"].append(char)
            line["top"], line["bottom"] = (min(line["top"], char["top"]),
                                           max(line["bottom"], char["bottom"]))
    return [sorted(line["chars"], key=(lambda c: -c["x1"]) if rtl else (lambda c: c["x0"]))
            for line in lines]


def starts_with_a_note_call(line: list[dict]) -> bool:
    """A line whose first character is a digit set smaller than the line's text."""
    first, largest = line[0], max(c["size"] for c in line)
    return first["text"].isdigit() and first["size"] < 0.8 * largest


@pytest.mark.parametrize("edition", EDITIONS)
@pytest.mark.parametrize("locale", LOCALES)
def test_no_line_starts_with_a_note_call(editions_out: Path, locale: str, edition: str
                                         ) -> None:
    """A note call stays on the line of the word or stop before it (a "²" alone at the
    start of a line was seen after "…sistema nervioso.")."""
    found = []
    pages = read_pages(editions_out / locale / f"muscle-spasms{edition}.pdf")
    for number, page in enumerate(pages, 1):
        found += [f"page {number}: " + "".join(c["text"] for c in line)[:40]
                  for line in text_lines(page, rtl=locale == "ar")
                  if starts_with_a_note_call(line)]
    assert found == []


def test_the_note_call_check_finds_one(tmp_path: Path) -> None:
    """The check itself: a call at the start of a line is found, one after a word not."""
    html = tmp_path / "x.html"
    html.write_text(
        "<style>@page { size: A4 } p { font-size: 12pt } sup { font-size: 0.68em }</style>"
        "<p>Words.<sup>1</sup><br/><sup>2</sup> more words</p>", encoding="utf-8")
    from weasyprint import HTML

    HTML(filename=html).write_pdf(tmp_path / "x.pdf")
    with pdfplumber.open(tmp_path / "x.pdf") as pdf:
        lines = text_lines(pdf.pages[0])
    assert [starts_with_a_note_call(line) for line in lines] == [False, True]


@pytest.mark.parametrize("edition", EDITIONS)
@pytest.mark.parametrize("locale", LOCALES)
def test_no_back_links_on_paper(editions_out: Path, locale: str, edition: str) -> None:
    """The "↩" after each reference leads nowhere on paper (the ebook and page keep it)."""
    pages = read_pages(editions_out / locale / f"muscle-spasms{edition}.pdf")
    arrows = [number for number, page in enumerate(pages, 1)
              for char in page.chars if char["text"] in "↩↪"]
    assert arrows == []


@pytest.mark.parametrize("edition", EDITIONS)
@pytest.mark.parametrize("locale", LOCALES)
def test_the_checklist_and_its_notes_are_one_page(editions_out: Path, locale: str,
                                                  edition: str) -> None:
    """"Bring this page": every tick box, and the notes for the doctor with their ruled
    lines, on the checklist's page (large print and A5 once put the notes on the next)."""
    path = editions_out / locale / f"muscle-spasms{edition}.pdf"
    reader = PdfReader(path)
    page = {name: reader.get_destination_page_number(reader.named_destinations[name])
            for name in ("checklist", "doctor-notes")}
    assert page["checklist"] == page["doctor-notes"]
    pages = read_pages(path)
    boxes = [number for number, p in enumerate(pages) for annot in p.annots
             if annot["FT"] == "Btn"]
    rules = ruled_lines(pages[page["doctor-notes"]], areas(path)[page["doctor-notes"]])
    if edition == ".print-ready":  # PDF/X-4: tick boxes drawn, no form field at all
        assert boxes == []
    else:
        assert boxes and set(boxes) == {page["checklist"]}
    assert rules >= 2


def ruled_lines(page, area: Area) -> int:
    """How many lines for notes the page has: boxes across the column, one under the
    other, of one height (WeasyPrint paints each line's bottom border as a box clipped to
    its border; pdfplumber reads those boxes)."""
    width = area.right - area.left
    heights: dict[float, float] = {}  # top → height of the inner box of the pair
    for r in page.rects:
        if r["width"] > 0.95 * width and r["height"] > 5:
            top = round(r["top"], 1)
            heights[top] = min(heights.get(top, r["height"]), r["height"])
    tops = sorted(heights.items())
    longest = run = 1
    for (top, height), (next_top, next_height) in itertools.pairwise(tops):
        stacked = abs(next_top - (top + height)) < 1.5 and abs(next_height - height) < 0.2
        run = run + 1 if stacked else 1
        longest = max(longest, run)
    return longest if tops else 0


@pytest.mark.parametrize("locale", LOCALES)
def test_large_print_footer_is_large(editions_out: Path, locale: str) -> None:
    """Every line of a large-print page at 16 pt or more, the running footer too."""
    path = editions_out / locale / "muscle-spasms.large-print.pdf"
    for page, area in zip(read_pages(path), areas(path), strict=True):
        footer = [c for c in page.chars if c["matrix"][5] < area.bottom - TOLERANCE
                  and not c["text"].isspace()]
        assert footer, "no footer"
        assert min(c["size"] for c in footer) >= 16 - 0.05
