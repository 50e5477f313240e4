"""Localized editions end to end: every locale's PDF and EPUB, right to left included."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import epubcheck, load
from pypdf import PdfReader
from test_epub import CLEAN, NS, Book

from pressroom import model as m
from pressroom.project import Project

LOCALES = ["ar", "de", "en", "es", "fr"]


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
    for item in article.checklist.symptoms:
        assert " ".join(item.text.split()) in text


@pytest.mark.parametrize("locale", LOCALES)
def test_epub_is_valid_and_in_its_language(built_project: Project, locale: str) -> None:
    path = built_project.out_dir / locale / "muscle-spasms.epub"
    summary, output = epubcheck(path)
    assert summary == CLEAN, output
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


def test_rtl_layout_is_mirrored(root: Path) -> None:
    """The rtl named page swaps the footer; the layout carries dir on the root element."""
    from pressroom.errors import Problems
    from pressroom.render_html import leaflet_html
    from pressroom.resolve import resolve

    article, problems = load(root / "source" / "ar" / "muscle-spasms.md", "ar")
    pub = resolve(article, problems)
    html = leaflet_html(pub, Project.at(root), Problems())
    assert '<html lang="ar" dir="rtl">' in html
    assert re.search(r"@page rtl \{\s*@bottom-left \{ content: \"", html)
    css = (root / "styles" / "leaflet.css").read_text("utf-8")
    assert 'html[dir="rtl"] body { page: rtl; }' in css
