"""Localized editions end to end: every locale's PDF and EPUB, right to left included."""

from __future__ import annotations

import html
import re
import subprocess
from pathlib import Path

import pytest
from conftest import SAMPLE_LOCALES, load
from pypdf import PdfReader
from test_epub import NS, Book

from pressroom.content import model as m
from pressroom.core.project import Project

LOCALES = list(SAMPLE_LOCALES)


def test_every_locale_has_the_article(root: Path) -> None:
    assert sorted(p.parent.name for p in (root / "source").glob("*/muscle-spasms.md")) == LOCALES


@pytest.mark.parametrize("locale", LOCALES)
def test_pdf_language_title_and_headings(built_project: Project, root: Path, locale: str) -> None:
    article, _ = load(root / "source" / locale / "muscle-spasms.md", locale)
    reader = PdfReader(built_project.out_dir / locale / "muscle-spasms.pdf")
    assert reader.trailer["/Root"]["/Lang"] == locale
    assert reader.metadata["/Title"] == article.meta.title
    text = " ".join(" ".join(p.extract_text().replace("\u00a0", " ").split())
                    for p in reader.pages)
    # Every heading is in the text layer: no glyph was lost to a font without it.
    for section in article.sections:
        assert m.plain_text(section.title) in text
    for item in article.checklist_group("symptoms").items:
        assert " ".join(item.text.split()) in text


@pytest.mark.parametrize("locale", LOCALES)
def test_epub_is_valid_and_in_its_language(built_project: Project, locale: str,
                                           epubcheck_found: dict[Path, list[str]]) -> None:
    path = built_project.out_dir / locale / "muscle-spasms.epub"
    assert epubcheck_found[path] == []
    book = Book(path)
    assert book.dc("language") == [locale]
    direction = "rtl" if locale == "ar" else "ltr"
    spine = book.opf.find("opf:spine", NS)
    assert spine.get("page-progression-direction") == ("rtl" if locale == "ar" else None)
    for href in book.spine:
        assert book.doc(href).get("dir") == direction


def test_translations_keep_the_numbering(built_project: Project) -> None:
    for locale in LOCALES:
        book = Book(built_project.out_dir / locale / "muscle-spasms.epub")
        numbers = [a.text for href in book.spine for a in book.doc(href).iter("{*}a")
                   if a.get("role") == "doc-noteref"]
        assert numbers == ["1", "2", "2"], locale


def test_ui_strings_are_translated(built_project: Project) -> None:
    # Arabic mixes directions: its footer is extracted in visual order, so one word.
    expected = {"de": "Seite 1 von", "es": "Página 1 de", "fr": "Page 1 sur",
                "ar": "الصفحة", "en": "Page 1 of"}
    for locale, words in expected.items():
        reader = PdfReader(built_project.out_dir / locale / "muscle-spasms.pdf")
        assert words in " ".join(reader.pages[0].extract_text().split()), locale


def test_dates_are_formatted_for_each_locale(built_project: Project) -> None:
    expected = {"de": "20. November 2026", "es": "20 de noviembre de 2026",
                "fr": "20 novembre 2026", "en": "November 20, 2026"}
    for locale, date in expected.items():
        reader = PdfReader(built_project.out_dir / locale / "muscle-spasms.pdf")
        text = " ".join(p.extract_text().replace("\u00a0", " ") for p in reader.pages)
        assert date in " ".join(text.split()), locale


def test_arabic_uses_an_arabic_font(built_project: Project) -> None:
    import subprocess

    fonts = subprocess.run(
        ["pdffonts", str(built_project.out_dir / "ar" / "muscle-spasms.pdf")],
        capture_output=True, text=True, check=True,
    ).stdout
    assert "Noto-Sans-Arabic" in fonts.replace("NotoSansArabic", "Noto-Sans-Arabic")


def words_with_boxes(pdf: Path, page: int) -> list[tuple[str, float, float, float, float]]:
    """(text, xMin, yMin, xMax, yMax) of every word on a page, as poppler lays it out."""
    out = subprocess.run(["pdftotext", "-bbox", "-f", str(page), "-l", str(page), str(pdf),
                          "-"], capture_output=True, text=True, check=True).stdout
    return [(html.unescape(w), float(a), float(b), float(c), float(d)) for a, b, c, d, w in
            re.findall(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" '
                       r'yMax="([\d.]+)">([^<]*)</word>', out)]


@pytest.mark.parametrize("locale", ["en", "ar"])
def test_rtl_pages_are_mirrored_on_the_page(built_project: Project, locale: str) -> None:
    """Read back from the rendered PDF: the page number sits on the reading end of the
    footer, and each checklist box stands before its label in reading order."""
    pdf = built_project.out_dir / locale / "muscle-spasms.pdf"
    reader = PdfReader(pdf)
    width = float(reader.pages[0].mediabox.width)
    height = float(reader.pages[0].mediabox.height)
    footer = [w for w in words_with_boxes(pdf, 1) if w[2] > height - 70]
    number = next(w for w in footer if w[0] == str(len(reader.pages)))  # "… 1 of 5"
    rtl = locale == "ar"
    assert (number[3] < width / 2) if rtl else (number[1] > width / 2), footer
    words = words_with_boxes(pdf, len(reader.pages))
    boxes = [[float(v) for v in annot.get_object()["/Rect"]]
             for annot in reader.pages[-1].get("/Annots", [])
             if annot.get_object().get("/FT") == "/Btn"]
    assert len(boxes) == 15
    for x0, y0, x1, y1 in boxes:
        top, bottom = height - y1, height - y0  # poppler measures y from the top
        line = [w for w in words if w[2] < bottom and w[4] > top]
        nearest = min(line, key=lambda w: min(abs(w[1] - x1), abs(w[3] - x0)))
        if rtl:
            assert nearest[3] <= x0, (nearest, (x0, x1))  # the label is to the box's left
        else:
            assert nearest[1] >= x1, (nearest, (x0, x1))  # the label is to the box's right


def test_text_direction_agrees_with_cldr_for_every_language() -> None:
    """The quick answer (the script of the likely subtags) against each locale's full CLDR
    data, for every language Babel knows."""
    from babel import Locale, UnknownLocaleError

    from pressroom.core.locales import text_direction

    checked = 0
    for code in Locale("en").languages:
        try:
            locale = Locale.parse(code)
        except (UnknownLocaleError, ValueError):
            continue
        expected = "rtl" if locale.character_order == "right-to-left" else "ltr"
        assert text_direction(code.replace("_", "-")) == expected, code
        checked += 1
    assert checked > 300
    for tag in ("pa-Arab", "az-Arab", "ff-Adlm", "sr-Cyrl", "pt-BR"):
        locale = Locale.parse(tag, sep="-")
        assert text_direction(tag) == ("rtl" if locale.character_order == "right-to-left"
                                       else "ltr"), tag


def test_a_new_locale_from_nothing_to_published(tmp_path: Path, capsys, monkeypatch) -> None:
    """pt-BR as the README walks it: export, catalogs, translate (GNU gettext's tools
    stand in for the translator), draft, import, status, build; the leaflet read back by
    poppler has the translation, the translated layout text and a Portuguese date."""
    from conftest import copy_project
    from helpers import run_cli as run

    project = copy_project(tmp_path / "project")
    monkeypatch.chdir(project)
    po = project / "translations/pt-BR/muscle-spasms.po"
    catalog = project / "layouts/locales/pt_BR/LC_MESSAGES/messages.po"

    def translate(path: Path) -> None:
        english = subprocess.run(["msgen", "--no-wrap", str(path)], capture_output=True,
                                 text=True, check=True).stdout
        path.write_text(subprocess.run(
            ["msgfilter", "--keep-header", "--no-wrap", "sed", "-e", "s/^/PT /"],
            input=english, capture_output=True, text=True, check=True).stdout, "utf-8")

    assert run(project, "translations", "export", "--locale", "pt-BR") == 0
    assert run(project, "catalogs") == 0
    assert catalog.is_file()
    translate(po)
    translate(catalog)
    subprocess.run(["msgfmt", "--check", "-o", "/dev/null", str(catalog)], check=True,
                   capture_output=True)
    assert run(project, "build", "--draft", "--locale", "pt-BR", "--format", "epub") == 0
    assert (project / "drafts/pt-BR/muscle-spasms.epub").is_file()
    capsys.readouterr()
    assert run(project, "translations", "import", "--locale", "pt-BR") == 0
    assert capsys.readouterr().out == "wrote source/pt-BR/muscle-spasms.md\n"
    assert run(project, "translations", "status", "--locale", "pt-BR") == 0
    assert capsys.readouterr().out == "pt-BR/muscle-spasms: complete\n"
    assert run(project, "build", "--locale", "pt-BR", "--format", "pdf", "--edition",
               "default") == 0
    pdf = project / "out/pt-BR/muscle-spasms.pdf"
    text = " ".join(subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True,
                                   text=True, check=True).stdout.split())
    assert "PT Muscle Spasms" in text
    assert "PT Your checklist" in text
    assert "de 2019" in text  # the date written the Portuguese way
