"""Editions: paper sizes, brand, booklet imposition, large print, print-ready, QR code."""

from __future__ import annotations

import re
import shutil
import subprocess
from collections import Counter
from pathlib import Path

import pytest
import zxingcpp
from conftest import epubcheck
from helpers import messages, short
from PIL import Image
from pypdf import PdfReader
from test_epub import CLEAN, Book

from pressroom.cli.main import main
from pressroom.core.errors import Problems
from pressroom.editions.config import accessible_shade, contrast, load_editions
from pressroom.render.pdf.imposition import saddle_stitch_order
from pressroom.render.site import check_editions

PT_PER_MM = 72 / 25.4
URL = "https://riverside-clinic.example/leaflets/{locale}/muscle-spasms.html"


@pytest.fixture(scope="module")
def out(editions_out: Path) -> Path:
    return editions_out


def pdf(out: Path, locale: str, edition: str) -> PdfReader:
    return PdfReader(out / locale / f"muscle-spasms.{edition}.pdf")


def size_mm(box) -> tuple[int, int]:
    return round(float(box.width) / PT_PER_MM), round(float(box.height) / PT_PER_MM)


def text_of(page) -> str:
    return " ".join(page.extract_text().replace("\u00a0", " ").split())


def test_every_edition_writes_its_files(out: Path) -> None:
    for locale in ("en", "ar"):
        names = sorted(p.name for p in (out / locale).iterdir())
        assert names == sorted(["index.html", "search.html", "new.html", "new.xml",
                                "topics.html", "topics", "a-z", *(
            f"{slug}{ending}" for slug in ("muscle-spasms", "complete") for ending in (
                ".pdf", ".epub", ".clinic.pdf", ".clinic.epub", ".letter.pdf", ".booklet.pdf",
                ".booklet.print.pdf", ".large-print.pdf", ".print-ready.pdf", ".html",
                ".cover.png", ".thumbnail.png"))])


@pytest.mark.parametrize(("edition", "expected"), [
    ("clinic", (210, 297)), ("letter", (216, 279)), ("booklet", (148, 210)),
    ("large-print", (210, 297)),
])
def test_paper_sizes(out: Path, edition: str, expected: tuple[int, int]) -> None:
    for page in pdf(out, "en", edition).pages:
        assert size_mm(page.mediabox) == expected


def test_print_ready_has_bleed_and_trim(out: Path) -> None:
    page = pdf(out, "en", "print-ready").pages[0]
    assert size_mm(page.trimbox) == (210, 297)
    assert size_mm(page.mediabox) == (216, 303)  # 3 mm bleed on every side
    assert size_mm(page.bleedbox) == (216, 303)
    inset = float(page.trimbox.left) - float(page.mediabox.left)
    assert round(inset / PT_PER_MM) == 3  # the trim sits 3 mm inside the sheet


def test_print_ready_is_pdf_x4_for_the_print_shop(out: Path) -> None:
    """Read with pikepdf and poppler, not with the code that wrote it."""
    import pikepdf

    for locale in ("en", "ar"):
        path = out / locale / "muscle-spasms.print-ready.pdf"
        with pikepdf.open(path) as doc:
            (intent,) = doc.Root.OutputIntents
            assert intent.S == "/GTS_PDFX" and "/DestOutputProfile" in intent
            assert doc.open_metadata().get("pdfxid:GTS_PDFXVersion") == "PDF/X-4"
            assert "/AcroForm" not in doc.Root
            for page in doc.pages:
                trim, bleed = list(map(float, page.TrimBox)), list(map(float, page.BleedBox))
                assert bleed[0] < trim[0] and bleed[2] > trim[2]  # bleed around the trim
                assert "/Annots" not in page  # no form field, no link: paper
        fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True,
                               timeout=60, check=True).stdout.splitlines()[2:]
        assert fonts and all(line.split()[-5] == "yes" for line in fonts), fonts  # emb
    # The reading edition keeps its tick boxes and stays PDF/UA.
    with pikepdf.open(out / "en" / "muscle-spasms.pdf") as doc:
        assert "/AcroForm" in doc.Root and "/StructTreeRoot" in doc.Root
        assert "/OutputIntents" not in doc.Root or all(
            i.S != "/GTS_PDFX" for i in doc.Root.OutputIntents)


def test_saddle_stitch_order_by_hand() -> None:
    # 8 pages: outer sheet 8|1 and 2|7, inner sheet 6|3 and 4|5.
    assert saddle_stitch_order(8) == [(7, 0), (1, 6), (5, 2), (3, 4)]
    # 9 pages, the checklist on pages 8-9: three blanks go before it, so the checklist
    # and its notes stay together at the end of the folded booklet.
    assert saddle_stitch_order(9, 7) == [(8, 0), (1, 7), (None, 2), (3, None), (None, 4),
                                         (5, 6)]
    # 5 pages, blanks before the last one.
    assert saddle_stitch_order(5) == [(4, 0), (1, None), (None, 2), (3, None)]


def test_booklet_sheets_are_in_saddle_stitch_order(out: Path) -> None:
    booklet = pdf(out, "en", "booklet")
    reading = len(booklet.pages)
    checklist = booklet.get_destination_page_number(booklet.named_destinations["checklist"])
    for locale in ("en", "ar"):
        sheet_file = out / locale / "muscle-spasms.booklet.print.pdf"
        sheets = PdfReader(sheet_file)
        assert (2 * len(sheets.pages)) % 4 == 0
        assert size_mm(sheets.pages[0].mediabox) == (297, 210)  # A4 landscape
        expected = saddle_stitch_order(reading, checklist)
        for number, (left, right) in enumerate(expected, 1):
            halves = [_page_number(sheet_file, number, half) for half in ("left", "right")]
            if locale == "ar":  # right to left: the booklet opens the other way
                left, right = right, left
            assert halves == [None if left is None else left + 1,
                              None if right is None else right + 1], (locale, number)


def _page_number(path: Path, sheet: int, half: str) -> int | None:
    """The footer's page number in one half of a sheet, read with poppler's pdftotext."""
    x = 0 if half == "left" else 421
    text = subprocess.run(
        ["pdftotext", "-f", str(sheet), "-l", str(sheet), "-x", str(x), "-y", "560",
         "-W", "420", "-H", "35", "-r", "72", str(path), "-"],
        capture_output=True, text=True, check=True,
    ).stdout
    numbers = [int(n) for n in re.findall(r"\d+", text.replace("MSK-014 v3", ""))]
    return min(numbers) if numbers else None  # "Page 3 of 9": the smaller is the page


def test_brand_on_first_and_last_pages(out: Path) -> None:
    reader = pdf(out, "en", "clinic")
    assert "Riverside Family Clinic" in text_of(reader.pages[0])
    last = text_of(reader.pages[-1])
    assert "Given to you by Riverside Family Clinic" in last
    assert "+44 1632 960 123" in last and "12 Willow Lane" in last


@pytest.mark.parametrize("locale", ["en", "ar"])
def test_qr_code_decodes_to_the_edition_address(out: Path, locale: str, tmp_path) -> None:
    reader = pdf(out, locale, "clinic")
    last = len(reader.pages)
    subprocess.run(["pdftoppm", "-r", "200", "-f", str(last), "-l", str(last), "-png",
                    str(out / locale / "muscle-spasms.clinic.pdf"), str(tmp_path / "p")],
                   check=True)
    (png,) = tmp_path.glob("p*.png")
    codes = zxingcpp.read_barcodes(Image.open(png))
    assert [c.text for c in codes] == [URL.format(locale=locale)]
    assert URL.format(locale=locale) in text_of(reader.pages[-1]).replace(" ", "")


def test_leaflet_code_on_every_page(out: Path) -> None:
    for edition in ("clinic", "letter", "large-print", "print-ready", "booklet"):
        for page in pdf(out, "en", edition).pages:
            assert "MSK-014 v3" in text_of(page), edition


def test_large_print_text_is_at_least_16pt(out: Path) -> None:
    sizes: Counter[float] = Counter()
    footer_top = 25 * PT_PER_MM

    def visit(text: str, cm, tm, font, size: float) -> None:
        # All text but the page footer and the one-character note numbers and back-link
        # arrows (superscripts by nature); a transparency group may flip the matrix.
        if len(text.strip()) > 1 and tm[5] * cm[3] + cm[5] > footer_top:
            sizes[abs(round(size * tm[3] * cm[3], 1))] += len(text.strip())

    for page in pdf(out, "en", "large-print").pages:
        page.extract_text(visitor_text=visit)
    body, _ = sizes.most_common(1)[0]
    assert body >= 16
    assert min(sizes) >= 16, sorted(sizes.items())
    reader = pdf(out, "en", "large-print")
    assert len(reader.pages) > len(PdfReader(out / "en" / "muscle-spasms.pdf").pages)  # reflowed


def test_branded_ebook(out: Path) -> None:
    summary, output = epubcheck(out / "en" / "muscle-spasms.clinic.epub")
    assert summary == CLEAN, output
    branded, plain = Book(out / "en" / "muscle-spasms.clinic.epub"), Book(
        out / "en" / "muscle-spasms.epub")
    assert branded.dc("identifier") != plain.dc("identifier")
    title_page = "".join(branded.doc("titlepage.xhtml").itertext())
    assert "Given to you by Riverside Family Clinic" in title_page
    cover = Image.open(branded.zip.open("EPUB/images/cover.png")).convert("RGB")
    assert cover.getpixel((5, 5)) == (0x1F, 0x6F, 0x4A)  # the brand's colour


def test_editions_command_lists_them(root: Path, capsys) -> None:
    assert main(["editions"], project_root=root) == 0
    lines = capsys.readouterr().out.splitlines()
    assert [line.split(":")[0] for line in lines] == [
        "default", "clinic", "letter", "booklet", "large-print", "print-ready"]
    assert "<slug>.booklet.print.pdf" in lines[3]


def test_one_edition_and_an_unknown_one(make_project, root: Path, capsys) -> None:
    project_dir = make_project({"en/a.md": "---\ntitle: A\n---\n\n# S\n\nText.\n"})
    shutil.copy(root / "editions.yaml", project_dir / "editions.yaml")
    shutil.copytree(root / "styles" / "brands", project_dir / "styles" / "brands",
                    dirs_exist_ok=True)
    assert main(["build", "--edition", "letter"], project_root=project_dir) == 0
    assert sorted(p.name for p in (project_dir / "out" / "en").iterdir()) == ["a.letter.pdf"]
    assert main(["build", "--edition", "poster"], project_root=project_dir) == 2
    assert "no edition 'poster'" in capsys.readouterr().err


def test_more_configuration_errors(tmp_path: Path) -> None:
    (tmp_path / "editions.yaml").write_text(
        "brands:\n  x:\n    name: X\n    website: 'javascript:alert(1)'\n"
        "editions:\n  a:\n    code: 2019-02-30\n    qr: https://e.org/{lang}\n"
        "    locales: [en_GB]\n  a:\n    paper: A4\n  print:\n    paper: A4\n"
        "  b:\n    qr: 'https://e.org/" + "x" * 400 + "'\n  c:\n    code: !!float abc\n",
        encoding="utf-8")
    problems = Problems()
    load_editions(tmp_path, problems)
    found = messages(problems)
    assert found[0] == ("editions.yaml:4: error: 'website' must be a web address with a host"
                        " (https://…)")
    assert found[1] == ("editions.yaml:8: error: 'qr' has unknown placeholders {lang} (use"
                        " {base_url}, {locale}, {slug})")
    assert found[2] == ("editions.yaml:9: error: 'locales': 'en_GB' is not a BCP 47 locale"
                        " tag (write 'en-GB')")
    assert found[3] == "editions.yaml:10: error: 'a' is given twice in 'editions' (first on line 6)"
    # An edition named 'print' is fine while no booklet's print file has its name.
    assert found[4].startswith("editions.yaml:15: error: 'qr' is too long for a QR code")
    assert found[5].startswith("editions.yaml:17: error: 'code' has a value YAML cannot read:")
    assert len(found) == 6  # and the impossible date is just text for a code


def test_an_edition_that_would_write_another_editions_files_is_refused(tmp_path: Path
                                                                         ) -> None:
    """Told from the renderers' declarations, not from a list of reserved names: a
    booklet's print file is `<slug>.print.pdf`, so an edition named 'print' may not
    stand beside a default edition that is a booklet."""
    (tmp_path / "editions.yaml").write_text(
        "editions:\n  default:\n    booklet: true\n    paper: A5\n  print:\n    paper: A4\n",
        encoding="utf-8")
    problems = Problems()
    config = load_editions(tmp_path, problems)
    assert messages(problems) == []
    check_editions(config, problems)
    assert messages(problems) == [
        "editions.yaml:5: error: edition 'print' would write the same files as edition"
        " 'default' (<locale>/<slug>.print.pdf): choose another name"]


def test_configuration_errors_are_located(tmp_path: Path) -> None:
    (tmp_path / "editions.yaml").write_text(
        "brands:\n  x:\n    name: X\n    accent: '#ffff00'\n    logo: nope.svg\n"
        "editions:\n  a:\n    paper: A3\n  b:\n    brand: y\n  c:\n    paper: A4\n"
        "    booklet: true\n  d:\n    larg_print: true\n", encoding="utf-8")
    problems = Problems()
    load_editions(tmp_path, problems)
    assert messages(problems) == [
        "editions.yaml:5: error: logo 'nope.svg' not found",
        "editions.yaml:8: error: paper 'A3' is not one of A4, letter, A5 (in any case:"
        " Letter, a4)",
        "editions.yaml:10: error: brand 'y' is not defined under 'brands'",
        "editions.yaml:11: error: edition 'c': a booklet is printed on A5 pages (2-up on"
        " A4): set 'paper: A5'",
        "editions.yaml:15: error: unknown edition key 'larg_print' (did you mean"
        " 'large_print'?)",
    ]


def test_contrast_ratio() -> None:
    assert round(contrast("#000000", "#ffffff"), 1) == 21.0
    assert contrast("#1f6f4a", "#ffffff") >= 4.5


BRANDED = """\
brands:
  pale:
    name: Pale Clinic
    accent: '#ffff00'
editions:
  pale:
    brand: pale
  plain:
    paper: letter
"""
CONTRAST = ("editions.yaml:4: warning: accent #ffff00 has a contrast of 1.1:1 with white,"
            " below WCAG AA's 4.5:1: text in that colour will be hard to read; the nearest"
            " shade that has 4.5:1 is #7a7a00 (accent: \"#7a7a00\")")


def test_a_brand_warning_only_for_editions_being_built(make_project, capsys,
                                                       monkeypatch) -> None:
    """Once, when an edition with the brand is built; not for the other editions."""
    project = make_project({"en/a.md": "---\ntitle: A\n---\n\n# S\n\nText.\n"})
    (project / "editions.yaml").write_text(BRANDED, encoding="utf-8")
    config = load_editions(project, Problems())
    assert [short(p) for p in config.warnings_for([config.editions["plain"]])] == []
    assert [short(p) for p in config.warnings_for(config.editions.values())] == [CONTRAST]
    monkeypatch.chdir(project)
    assert main(["build", "--edition", "plain", "--format", "pdf"], project_root=project) == 0
    assert "warning" not in capsys.readouterr().err
    assert main(["build", "--format", "epub"], project_root=project) == 0
    assert capsys.readouterr().err.splitlines() == [CONTRAST]


def test_an_unquoted_colour_is_a_comment_to_yaml(tmp_path: Path) -> None:
    (tmp_path / "editions.yaml").write_text(
        "brands:\n  x:\n    name: X\n    accent: #e8a317\neditions:\n  a:\n    brand: x\n"
        "    code: 021\n", encoding="utf-8")
    problems = Problems()
    config = load_editions(tmp_path, problems)
    assert messages(problems) == [
        "editions.yaml:4: error: 'accent' is empty: YAML reads '#e8a317' as a comment; quote"
        " colours: accent: '#e8a317'"]
    assert config.editions["a"].code == "021"  # as written, not octal 17


def test_the_nearest_accessible_shade() -> None:
    """Same hue, darker, just past 4.5:1 (told with the WCAG formula, rounded to #rrggbb)."""
    for colour in ("#5fb3b3", "#ffff00", "#e8a317", "#ff69b4"):
        shade = accessible_shade(colour)
        assert 4.5 <= contrast(shade, "#ffffff") < 4.8, (colour, shade)
    assert accessible_shade("#5fb3b3") == "#3e8181"


HARBOUR = """\
brands:
  harbour:
    name: Harbour Road Surgery
    colour: "#2b6f7a"
    email: reception@harbour.example
    phone: "+44 1632 960 555"
  bad:
    name: Bad
    email: reception
editions:
  harbour-road:
    paper: Letter
    brand: harbour
  harbour-large:
    large_print: true
    brand: harbour
    formats: [pdf]
  legal:
    paper: legal
  ebook:
    formats: [ebook]
  none:
    paper: letter
    formats: [epub]
"""


def test_coordinator_mistakes_have_their_messages(tmp_path: Path) -> None:
    """What tripped a coordinator setting up an edition: each a located line that says
    what to write instead."""
    (tmp_path / "editions.yaml").write_text(HARBOUR, encoding="utf-8")
    problems = Problems()
    config = load_editions(tmp_path, problems)
    check_editions(config, problems)
    assert messages(problems) == [
        "editions.yaml:4: error: unknown brand key 'colour' (did you mean 'accent'?)",
        "editions.yaml:9: error: 'email' must be an e-mail address (e.g."
        " reception@clinic.example)",
        "editions.yaml:19: error: paper 'legal' is not one of A4, letter, A5 (in any case:"
        " Letter, a4)",
        "editions.yaml:21: error: 'formats': unknown format 'ebook' (did you mean 'epub'?)"
        " (choose from pdf, epub, html)",
        "editions.yaml:24: error: edition 'none' writes nothing: it has no epub output"
        " (without 'formats' it writes <slug>.none.pdf)",
    ]
    assert config.editions["harbour-road"].paper == "letter"  # `Letter`, in any case
    harbour = config.editions["harbour-large"]
    assert harbour.brand is not None and harbour.brand.email == "reception@harbour.example"
    assert harbour.formats == ("pdf",)


def test_an_edition_names_its_formats(make_project, root: Path, capsys) -> None:
    """A large-print edition with a brand need not duplicate the branded ebook."""
    project = make_project({"en/a.md": "---\ntitle: A\n---\n\n# S\n\nText.\n"})
    valid = HARBOUR.replace("    colour:", "    accent:").split("  bad:")[0] + (
        "editions:" + HARBOUR.split("editions:")[1].split("  legal:")[0])
    (project / "editions.yaml").write_text(valid, encoding="utf-8")
    assert main(["editions"], project_root=project) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[1:] == [
        "harbour-road: letter, brand: Harbour Road Surgery → <slug>.harbour-road.pdf,"
        " <slug>.harbour-road.epub",
        "harbour-large: A4, large print, brand: Harbour Road Surgery, formats: pdf →"
        " <slug>.harbour-large.pdf"]


def test_editions_prints_only_the_errors_of_an_invalid_file(tmp_path: Path, capsys,
                                                            monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "editions.yaml").write_text(HARBOUR, encoding="utf-8")
    assert main(["editions"], project_root=tmp_path) == 1
    captured = capsys.readouterr()
    assert captured.out == ""  # no list with the broken editions in it
    assert captured.err.splitlines()[0] == ("editions.yaml:4: error: unknown brand key"
                                            " 'colour' (did you mean 'accent'?)")


def test_check_one_edition_warns_about_its_brand(make_project, capsys, monkeypatch) -> None:
    project = make_project({"en/a.md": "---\ntitle: A\n---\n\n# S\n\nText.\n"})
    monkeypatch.chdir(project)
    (project / "editions.yaml").write_text(BRANDED, encoding="utf-8")
    assert main(["check", "--edition", "plain"], project_root=project) == 0
    assert "warning: accent" not in capsys.readouterr().err
    assert main(["check", "--edition", "pale", "--locale", "en"], project_root=project) == 0
    assert capsys.readouterr().err.splitlines() == [CONTRAST]
    assert main(["check", "--edition", "pail"], project_root=project) == 2
    assert capsys.readouterr().err.splitlines()[-1] == (
        "publish.py: error: no edition 'pail' in editions.yaml (did you mean 'pale'?) (see"
        " `publish.py editions`)")
