"""The independent checkers in checkers.py run here and find real problems."""

from __future__ import annotations

import functools
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from checkers import (
    ace_violations,
    axe_violations,
    describe_axe,
    pdfua_report,
    vnu_errors,
    with_axe,
)
from pypdf import PdfWriter

from pressroom.core.project import Project

GOOD_PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Good</title></head>
<body><main><h1>Muscle spasms</h1>
<p><img src="figure.png" alt="A calf muscle"> A spasm is a sudden contraction.</p>
</main></body></html>
"""
BAD_PAGE = GOOD_PAGE.replace(' alt="A calf muscle"', "").replace("<title>Good", "<title>Bad")


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def site(tmp_path: Path) -> Iterator[str]:
    """Two pages served over http on 127.0.0.1 (a free port) for the test's duration."""
    (tmp_path / "good.html").write_text(GOOD_PAGE, encoding="utf-8")
    (tmp_path / "bad.html").write_text(BAD_PAGE, encoding="utf-8")
    handler = functools.partial(QuietHandler, directory=str(tmp_path))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


@pytest.mark.parametrize("preloaded", [False, True], ids=["evaluated", "init-script"])
def test_axe_in_chromium_finds_an_image_without_alt(site: str, chromium,
                                                    preloaded: bool) -> None:
    """Both ways axe reaches a page: evaluated into it, or given by `with_axe` to every
    page of the context (on the second page too: a new document)."""
    context = chromium.new_context()
    if preloaded:
        with_axe(context)
    try:
        page = context.new_page()
        page.goto(f"{site}/good.html")
        assert page.title() == "Good"
        given = "typeof window.axe === 'object'"
        assert page.evaluate(given) == preloaded
        assert describe_axe(axe_violations(page)) == []
        page.goto(f"{site}/bad.html")
        assert page.evaluate(given) == preloaded
        found = describe_axe(axe_violations(page))
    finally:
        context.close()
    assert found == ["critical image-alt img"]


def test_vnu_reports_an_unclosed_element_with_its_file_and_line(tmp_path: Path) -> None:
    good = tmp_path / "good.html"
    good.write_text(GOOD_PAGE, encoding="utf-8")
    bad = tmp_path / "bad.html"
    bad.write_text(GOOD_PAGE.replace("<p>", "<div><p>"), encoding="utf-8")
    errors = vnu_errors([good, bad])
    assert f"{bad}:4: Unclosed element “div”." in errors
    assert not [e for e in errors if e.startswith(f"{good}:")]


def test_epubcheck_batch_reports_each_book_on_its_own(
        built_project: Project, broken_epub: Path, epubcheck_found: dict[Path, list[str]]
) -> None:
    """One Java process for every book (conftest.epubcheck_found): the good one has no
    message, the broken one the missing image, with its document."""
    epub = built_project.out_dir / "en" / "muscle-spasms.epub"
    broken, found = broken_epub, epubcheck_found
    assert found[epub] == []
    assert found[broken] and all("RSC-" in m for m in found[broken]), found[broken]
    assert any("section-1.xhtml" in m and "missing.png" in m for m in found[broken])


def test_ace_reports_on_each_built_epub_on_its_own(
        editions_project: Project, ace_found: dict[Path, tuple[Path, dict]], ace_broken: Path
) -> None:
    """Ace (tests/ace-batch.js: one browser for many books) reports as the CLI does, and
    finds the broken book's violation and nothing in the good one checked with it."""
    good = editions_project.out_dir / "en" / "muscle-spasms.epub"
    folder, report = ace_found[ace_broken]
    assert {"earl:result", "assertions", "a11y-metadata", "properties", "outlines"} <= set(
        report
    )
    assert report["earl:testSubject"]["metadata"]["dc:title"] == "Muscle Spasms"
    assert (folder / "report.html").is_file()
    assert "critical image-alt section-1.xhtml" in ace_violations(report)
    assert report["earl:result"]["earl:outcome"] == "fail"
    assert ace_violations(ace_found[good][1]) == []
    assert ace_found[good][1]["earl:result"]["earl:outcome"] == "pass"


def test_pdfua_checks_a_built_pdf_and_finds_an_untagged_one(
    built_project: Project, tmp_path: Path
) -> None:
    pdf = built_project.out_dir / "en" / "muscle-spasms.pdf"
    report = pdfua_report(pdf)
    assert report.raw["file"] == str(pdf)
    assert report.raw["summary"]["rules_run"] > 0
    assert all(f.rule.startswith("UA-") for f in report.findings)

    untagged = tmp_path / "untagged.pdf"
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.write(untagged)
    rules = {f.rule for f in pdfua_report(untagged).errors}
    assert {"UA-01-005", "UA-06-001"} <= rules  # no structure tree; no /Lang
