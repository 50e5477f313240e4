"""Generated articles through every renderer, checked by independent tools.

Hypothesis draws small libraries of articles in the whole grammar the reader accepts
(tests/articles_strategy.py), builds each library into PDF, EPUB and web pages, then
checks every output with tools that share no code with Pressroom:

- EPUBCheck: no message of any kind, for every book (one Java process for all of them);
- the Nu Html Checker: no error on any article page (one run for all of them);
- pdfua: no error on any reading PDF (one run for all of them);
- the note calls read in order from the PDF's links, the EPUB's documents in spine order
  and the page agree with the numbers the author's text implies (worked out as the text
  was drawn, never by the code under test);
- read back from the PDF by poppler, each reference's number stands at the start edge of
  the column (the left in English, the right in Arabic), before its text, 1 … n in order.

The normal run builds a few seeded libraries; `make test-thorough`
(`HYPOTHESIS_PROFILE=thorough`) builds many: GENERATED_EXAMPLES libraries (default 1000)
of up to eight articles, one line per library in the file GENERATED_LOG names if set.
The fixtures in tests/data/generated/ are the shrunk articles of failures found this way;
they are built and checked on every run, with the multi-block note fixtures and the
articles using every construct.
"""

from __future__ import annotations

import html
import os
import re
import shutil
import subprocess
import zipfile
from collections.abc import Iterable
from pathlib import Path

from articles_strategy import GeneratedArticle, libraries
from checkers import epubcheck_messages, pdfua_reports, vnu_errors
from conftest import DATA, copy_project
from hypothesis import HealthCheck, given, note, settings
from pypdf import PdfReader

from pressroom.core.project import Project

THOROUGH = os.environ.get("HYPOTHESIS_PROFILE") == "thorough"
EXAMPLES = int(os.environ.get("GENERATED_EXAMPLES", "1000")) if THOROUGH else 2
LIBRARY_SIZE = 8 if THOROUGH else 4

#: Checked every run: failures found by generation (shrunk), multi-block notes, and the
#: articles using every construct, as (locale, file).
FIXTURES = [
    *(("ar" if p.stem.endswith("-ar") else "en", p)
      for p in sorted((DATA / "generated").glob("*.md"))),
    ("en", DATA / "articles" / "notes-blocks.md"),
    ("ar", DATA / "articles" / "notes-blocks-ar.md"),
    ("en", DATA / "articles" / "complete.md"),
    ("ar", DATA / "articles" / "complete-ar.md"),
]

MM = 72 / 25.4
MARGIN = 22 * MM  # the leaflet's side margins (styles/leaflet.css), A4 by default
EDGE = 1.5  # points: how far a number may stand from the column's edge
REFERENCES = {"en": "References", "ar": "المراجع"}


def publish_and_check(folder: Path, articles: list[tuple[str, str, str]],
                      calls: dict[str, tuple[int, ...]]) -> list[str]:
    """Build the articles ((locale, slug, text)) in one project in `folder`, run every check
    on every output, and return one line per failure (none: all is well). `calls` gives,
    by slug, the note number every call must show in reading order, where known."""
    from helpers import build

    sources: dict[str, Path | str] = {}
    for locale, slug, text in articles:
        sources[f"{locale}/{slug}.md"] = text
        sources[f"{locale}/blue.png"] = DATA / "articles" / "blue.png"
    project = Project.at(copy_project(folder, sources))
    report = build(project, jobs=None if THOROUGH else 1)  # thorough: the cores, not xdist
    if not report.ok:
        return [f"build: {problem}" for problem in report.problems]
    out = project.out_dir
    failures = []
    epubs, pages, pdfs = [], [], []
    for locale, slug, _ in articles:
        pdf, epub, page = (out / locale / f"{slug}.{ext}" for ext in ("pdf", "epub", "html"))
        epubs.append(epub)
        pages.append(page)
        pdfs.append(pdf)
        in_pdf, in_epub, in_page = pdf_calls(pdf), epub_calls(epub), page_calls(page)
        expected = list(calls.get(slug, in_page))
        for name, found in (("PDF", in_pdf), ("EPUB", in_epub), ("page", in_page)):
            if found != expected:
                failures.append(f"{slug}: note calls in the {name} {found} != {expected}")
        notes = max(expected, default=0)
        for name, found in (("EPUB", epub_notes(epub)), ("page", page_notes(page))):
            if found != list(range(1, notes + 1)):
                failures.append(f"{slug}: references in the {name} {found}, {notes} expected")
        failures += [f"{slug}: {line}" for line in reference_order(pdf, locale, notes)]
    for epub, messages in epubcheck_messages(epubs).items():
        failures += [f"EPUBCheck {epub.name}: {m}" for m in messages]
    failures += [f"vnu {line}" for line in vnu_errors(pages)]
    for pdf_report in pdfua_reports(pdfs):
        failures += [f"pdfua {pdf_report.path.name}: {f}" for f in pdf_report.errors]
    return failures


# --- note calls and references, read back from each format -----------------------------

def pdf_calls(pdf: Path) -> list[int]:
    """The note number each call links to, page by page in the order of the links."""
    reader = PdfReader(pdf)
    dests = [str(a.get_object().get("/Dest", "")) for page in reader.pages
             for a in page.get("/Annots") or []]
    return [int(d.split("-")[1]) for d in dests if re.fullmatch(r"note-\d+", d)]


NOTEREF = re.compile(r'<a id="cite-[^"]*" href="[^"#]*#note-(\d+)"[^>]*role="doc-noteref">(\d+)<')


def _calls(documents: Iterable[str]) -> list[int]:
    found = []
    for text in documents:
        for target, shown in NOTEREF.findall(text):
            found.append(int(shown) if target == shown else -int(shown))  # -n: wrong target
    return found


def epub_calls(epub: Path) -> list[int]:
    """The calls of the EPUB's documents, read in spine order (from the package file)."""
    with zipfile.ZipFile(epub) as book:
        opf = book.read("EPUB/content.opf").decode()
        hrefs = dict(re.findall(r'<item [^>]*?id="([^"]+)"[^>]*?href="([^"]+)"', opf))
        hrefs.update((i, h) for h, i in re.findall(r'<item [^>]*?href="([^"]+)"[^>]*?id="([^"]+)"',
                                                   opf))
        spine = re.findall(r'<itemref [^>]*?idref="([^"]+)"', opf)
        return _calls(book.read(f"EPUB/{hrefs[i]}").decode() for i in spine)


def epub_notes(epub: Path) -> list[int]:
    with zipfile.ZipFile(epub) as book:
        names = book.namelist()
        if "EPUB/references.xhtml" not in names:
            return []
        text = book.read("EPUB/references.xhtml").decode()
    return [int(n) for n in re.findall(r'<aside id="note-(\d+)" epub:type="footnote"', text)]


def page_calls(page: Path) -> list[int]:
    return _calls([page.read_text(encoding="utf-8")])


def page_notes(page: Path) -> list[int]:
    text = page.read_text(encoding="utf-8")
    return [int(n) for n in re.findall(r'<li id="note-(\d+)"', text)]


Word = tuple[str, float, float, float, float]  # text, xMin, yMin, xMax, yMax
WORD = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">'
                  r"([^<]*)</word>")


def pdf_words(pdf: Path) -> list[tuple[float, list[Word]]]:
    """Per page, its width and every word as poppler lays it out."""
    out = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True,
                         text=True, check=True, timeout=120).stdout
    pages = []
    for page in out.split("<page ")[1:]:
        width = float(re.match(r'width="([\d.]+)"', page).group(1))
        pages.append((width, [(html.unescape(w), float(a), float(b), float(c), float(d))
                              for a, b, c, d, w in WORD.findall(page)]))
    return pages


def reference_order(pdf: Path, locale: str, notes: int) -> list[str]:
    """What is wrong with the references as poppler reads them: each number at the start
    edge of the column (left, or right in Arabic), 1 … n from the top, each before any
    text of its line."""
    rtl = locale == "ar"
    numbers: list[int] = []
    failures = []
    pages = pdf_words(pdf)
    # The heading, not the contents' entry: its last occurrence. Poppler gives a
    # right-to-left word in the order of its glyphs, left to right.
    names = (REFERENCES[locale], REFERENCES[locale][::-1])
    headings = [(index, w[2]) for index, (_, words) in enumerate(pages)
                for w in words if w[0] in names]
    if not headings:
        return [f"no “{REFERENCES[locale]}” heading in {pdf.name}"] if notes else []
    first_page, top = headings[-1]
    for page_number, (width, words) in enumerate(pages[first_page:], first_page + 1):
        for w in sorted(words, key=lambda w: w[2]):
            match = re.fullmatch(r"(\d+)\.|\.(\d+)", w[0])  # "1.", or ".1" in Arabic
            at_edge = (abs(w[3] - (width - MARGIN)) < EDGE if rtl
                       else abs(w[1] - MARGIN) < EDGE)
            if not match or not at_edge or (page_number == first_page + 1 and w[2] < top):
                continue
            numbers.append(int(match.group(1) or match.group(2)))
            line = [o for o in words if o is not w and _same_line(o, w)]
            beyond = [o[0] for o in line if (o[1] >= w[3] - 0.1 if rtl else o[3] <= w[1] + 0.1)]
            if beyond:
                failures.append(f"page {page_number}: {beyond} before note number {w[0]}")
    if numbers != list(range(1, notes + 1)):
        failures.append(f"reference numbers read from {pdf.name}: {numbers}, "
                        f"1…{notes} expected")
    return failures


def _same_line(a: Word, b: Word) -> bool:
    overlap = min(a[4], b[4]) - max(a[2], b[2])
    return overlap > 0.5 * min(a[4] - a[2], b[4] - b[2])


# --- the tests ------------------------------------------------------------------------------

def test_fixtures_publish_valid_in_every_format(tmp_path: Path) -> None:
    """The failures generation found (shrunk), the multi-block notes and the articles using
    every construct: valid in every format, their notes in order everywhere."""
    articles = [(locale, path.stem, path.read_text(encoding="utf-8"))
                for locale, path in FIXTURES]
    assert publish_and_check(tmp_path / "project", articles, {}) == []


@settings(max_examples=EXAMPLES, deadline=None, derandomize=not THOROUGH,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                 HealthCheck.function_scoped_fixture])
@given(library=libraries(max_articles=LIBRARY_SIZE))
def test_generated_articles_publish_valid_in_every_format(
        tmp_path_factory, library: list[GeneratedArticle]) -> None:
    for article in library:
        note(f"--- {article.locale}/{article.slug}.md\n{article.text}")
    folder = tmp_path_factory.mktemp("generated")
    try:
        failures = publish_and_check(
            folder / "project", [(a.locale, a.slug, a.text) for a in library],
            {a.slug: a.calls for a in library})
    finally:
        if not THOROUGH or not os.environ.get("GENERATED_KEEP"):
            shutil.rmtree(folder, ignore_errors=True)
    if os.environ.get("GENERATED_LOG"):  # progress of a long run: one line per library
        with open(os.environ["GENERATED_LOG"], "a", encoding="utf-8") as log:
            log.write(f"{len(library)} article(s), {len(failures)} failure(s)\n")
    assert failures == []
