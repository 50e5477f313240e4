"""The web edition, end to end: the site as written, checked in a real browser (Debian's
Chromium through Playwright), with axe-core, the Nu Html Checker and a crawl of out/."""

from __future__ import annotations

import html
import json
import re
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urljoin, urlsplit

import pytest
from checkers import axe_violations, describe_axe, vnu_errors
from helpers import build, messages

from pressroom.core.project import Project

BASE = "https://riverside-clinic.example/leaflets"
LOCALES = ["ar", "de", "en", "es", "fr"]


@pytest.fixture(scope="module")
def site(web_site: Path) -> Path:
    """The sample project with its editions.yaml, built in full: out/ is the site."""
    return web_site


@pytest.fixture(scope="module")
def server(web_server: str) -> str:
    return web_server


@pytest.fixture(scope="module")
def browser(chromium):
    return chromium


@pytest.fixture
def page(site_page: Any) -> Any:
    return site_page


def pages_of(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


# --- what is written -------------------------------------------------------------------


def test_the_site_is_complete(site: Path) -> None:
    for locale in LOCALES:
        assert (site / locale / "muscle-spasms.html").is_file()
        assert (site / locale / "index.html").is_file()
        assert (site / locale / "muscle-spasms.cover.png").is_file()
    for name in ("index.html", "404.html", "sitemap.xml"):
        assert (site / name).is_file()
    assets = sorted(p.name for p in (site / "assets").iterdir())
    assert [n for n in assets if n.endswith(".css")] and all(
        re.fullmatch(r"(site|search|favicon)\.[0-9a-f]{10}\.(css|js|svg)", n) for n in assets)


def test_article_page_weight_is_small(site: Path) -> None:
    page = site / "en" / "muscle-spasms.html"
    css = next((site / "assets").glob("site.*.css"))
    assert page.stat().st_size + css.stat().st_size <= 50 * 1024


def test_nu_html_checker_finds_no_error_on_any_page(site: Path) -> None:
    assert vnu_errors(pages_of(site)) == []


def test_every_link_and_source_resolves(site: Path) -> None:
    """A crawl of out/: every href/src of every page, the sitemap's URLs and alternates,
    leads to a file that exists (the site's own absolute addresses map onto out/)."""
    checked = 0
    for path in pages_of(site):
        text = path.read_text("utf-8")
        here = path.relative_to(site).as_posix()
        for attribute, value in re.findall(r'\b(href|src|content)="([^"]*)"', text):
            url = html.unescape(value)
            if attribute == "content" and not url.startswith(BASE):
                continue
            target = local_target(site, here, url)
            if target is None:
                continue
            assert target.is_file(), f"{here}: {attribute}={url}"
            checked += 1
    sitemap = ET.parse(site / "sitemap.xml").getroot()
    urls = [e.text or "" for e in sitemap.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")]
    urls += [e.get("href", "") for e in sitemap.iter("{http://www.w3.org/1999/xhtml}link")]
    for url in urls:
        target = local_target(site, "sitemap.xml", url)
        assert target is not None and target.is_file(), url
    assert checked > 100 and len(urls) > 20


def local_target(site: Path, here: str, url: str) -> Path | None:
    """The file of out/ an address leads to; None for other sites, mail and phone."""
    if url.startswith(BASE + "/"):
        relative = url.removeprefix(BASE + "/")
    else:
        parts = urlsplit(url)
        if parts.scheme or parts.netloc:
            return None
        relative = urlsplit(urljoin(here, url)).path
    relative = unquote(relative.split("#")[0])
    if not relative:
        return site / here
    return site / relative


def test_metadata_and_structured_data(site: Path) -> None:
    text = (site / "en" / "muscle-spasms.html").read_text("utf-8")
    assert '<link rel="canonical" href="https://riverside-clinic.example/leaflets/en/' \
           'muscle-spasms.html">' in text
    assert '<meta property="og:image" content="https://riverside-clinic.example/leaflets/' \
           'en/muscle-spasms.cover.png">' in text
    assert re.search(r'<meta name="description" content="Information on stopping', text)
    (data,) = re.findall(r'<script type="application/ld\+json">(.*?)</script>', text, re.S)
    ld = json.loads(data)
    assert ld["@type"] == "MedicalWebPage" and ld["inLanguage"] == "en"
    assert ld["lastReviewed"] == "2026-11-20" and ld["about"]["name"] == "Muscle Spasms"
    alternates = re.findall(r'<link rel="alternate" hreflang="([^"]+)"', text)
    assert sorted(alternates) == LOCALES
    arabic = (site / "ar" / "muscle-spasms.html").read_text("utf-8")
    assert '<html lang="ar" dir="rtl">' in arabic


def test_downloads_give_true_sizes_and_page_counts(site: Path, page) -> None:
    page.goto(f"{page.base}/en/muscle-spasms.html")
    items = page.locator(".download-box li")
    found = {}
    for index in range(items.count()):
        item = items.nth(index)
        href = item.locator("a").get_attribute("href")
        found[href] = item.locator(".file-facts").inner_text()
    assert "muscle-spasms.pdf" in found and "muscle-spasms.epub" in found
    assert "muscle-spasms.clinic.pdf" in found and "muscle-spasms.large-print.pdf" in found
    assert "muscle-spasms.print-ready.pdf" not in found  # not offered on the site
    # The lists link to the page, where the downloads are: they stay light.
    for listing in ("index.html", "a-z/m.html", "topics/muscles.html", "new.html"):
        text = (site / "en" / listing).read_text("utf-8")
        assert " download>" not in text and "muscle-spasms.html" in text
    for href, facts in found.items():
        path = site / "en" / href
        assert f"{max(1, round(path.stat().st_size / 1024))} kB" in facts, (href, facts)
        if href.endswith(".pdf"):
            info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True,
                                  check=True).stdout
            pages = re.search(r"^Pages:\s+(\d+)", info, re.M).group(1)
            assert f"Pages: {pages}" in facts, (href, facts)


# --- in the browser -----------------------------------------------------------------------


@pytest.mark.parametrize("locale", ["en", "ar"])
@pytest.mark.parametrize("path", ["{locale}/muscle-spasms.html", "{locale}/index.html",
                                  "index.html"])
def test_axe_finds_no_violation_and_nothing_scrolls_sideways(page, locale: str,
                                                             path: str) -> None:
    for width in (320, 1280):
        page.set_viewport_size({"width": width, "height": 800})
        page.goto(f"{page.base}/{path.format(locale=locale)}")
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        if width == 1280:
            assert describe_axe(axe_violations(page)) == []
    assert page.problems == []


def test_note_calls_and_back_links_land_on_their_targets(page) -> None:
    page.goto(f"{page.base}/en/muscle-spasms.html")
    calls = page.locator("sup.noteref a")
    assert calls.all_inner_texts() == ["1", "2", "2"]
    calls.nth(2).click()
    assert page.evaluate("location.hash") == "#note-2"
    assert page.locator("#note-2").is_visible() and in_view(page, "#note-2")
    page.locator("#note-2 a.backlink").nth(1).click()
    assert page.evaluate("location.hash") == "#cite-2-2"
    assert in_view(page, "#cite-2-2")
    assert page.problems == []


def in_view(page, selector: str) -> bool:
    return page.evaluate("""s => { const r = document.querySelector(s).getBoundingClientRect();
        return r.top >= 0 && r.bottom <= innerHeight; }""", selector)


def test_checklist_ticks_and_remembers_them(page) -> None:
    page.goto(f"{page.base}/en/muscle-spasms.html")
    boxes = page.locator(".checklist input[type=checkbox]")
    assert boxes.count() == 15
    page.locator("label[for=symptom-2]").click()
    assert boxes.nth(1).is_checked()
    page.reload()
    assert page.locator("#symptom-2").is_checked() and not page.locator("#symptom-1").is_checked()
    assert page.locator(".print-checklist").is_visible()


def test_print_this_checklist_prints_only_the_checklist(page) -> None:
    page.goto(f"{page.base}/en/muscle-spasms.html")
    page.emulate_media(media="print")
    assert page.locator("#what-are-muscle-spasms").is_visible()
    page.evaluate("document.documentElement.classList.add('print-checklist-only')")
    assert not page.locator("#what-are-muscle-spasms").is_visible()
    assert not page.locator(".references").is_visible()
    assert page.locator("#checklist").is_visible() and page.locator("#remedy-11").is_visible()


def test_without_javascript_the_page_still_works(browser, server: str) -> None:
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(f"{server}/ar/muscle-spasms.html")
        assert not page.locator(".print-checklist").is_visible()  # needs the script
        page.locator("label[for=remedy-1]").click()
        assert page.locator("#remedy-1").is_checked()
        page.locator("sup.noteref a").first.click()
        assert page.evaluate("location.hash") == "#note-1"
    finally:
        context.close()


def test_language_switcher_leads_to_the_same_article(page) -> None:
    page.goto(f"{page.base}/en/muscle-spasms.html")
    page.locator("nav.languages a[hreflang=es]").click()
    assert page.url.endswith("/es/muscle-spasms.html")
    assert page.locator("html").get_attribute("lang") == "es"
    assert page.locator("h1").inner_text() == "Espasmos musculares"
    names = page.locator("nav.languages li").all_inner_texts()
    assert names == ["العربية", "Deutsch", "English", "Español", "Français"]


def test_dark_colour_scheme_is_respected(page) -> None:
    page.goto(f"{page.base}/en/muscle-spasms.html")
    light = page.evaluate("getComputedStyle(document.documentElement).backgroundColor")
    page.emulate_media(color_scheme="dark")
    dark = page.evaluate("getComputedStyle(document.documentElement).backgroundColor")
    assert light == "rgb(255, 255, 255)" and dark != light


# --- incremental and pruned --------------------------------------------------------------


def test_an_index_is_rebuilt_only_when_something_it_lists_changes(make_project, root) -> None:
    article = "---\ntitle: {title}\nsummary: About {title}.\n---\n\n# One\n\nText.\n"
    project = Project.at(make_project({"en/a.md": article.format(title="Alpha"),
                                       "en/b.md": article.format(title="Beta"),
                                       "es/a.md": "---\ntitle: Alfa\nsource_locale: es\n---"
                                                  "\n\n# Uno\n\nTexto.\n"}))
    build(project, formats=("epub", "html"))
    out = project.out_dir
    again = build(project, formats=("epub", "html"))
    assert again.written == []
    (project.source_dir / "en" / "b.md").write_text(article.format(title="Bravo"), "utf-8")
    report = build(project, formats=("epub", "html"))
    written = sorted(p.relative_to(out).as_posix() for p in report.written)
    # Its letter's page lists it; the locale's index (no dated leaflet: nothing new to
    # show) and the other locales are left as they are.
    assert "en/a-z/b.html" in written and "en/a-z/a.html" not in written
    assert not any(w.startswith("es/") or w == "en/index.html" for w in written), written
    assert "Bravo" in (out / "en" / "a-z" / "b.html").read_text("utf-8")
    (project.source_dir / "en" / "b.md").unlink()
    report = build(project, formats=("epub", "html"))
    removed = sorted(p.relative_to(out).as_posix() for p in report.removed)
    assert [r for r in removed if not r.startswith("pagefind/")] == [
        "en/a-z/b.html", "en/b.cover.png", "en/b.epub", "en/b.html", "en/b.thumbnail.png"]
    # The English search index, rebuilt without it: its old chunks go, Spanish's stay.
    assert all(r.startswith("pagefind/en/") for r in removed if r.startswith("pagefind/"))
    assert "Bravo" not in (out / "en" / "a-z" / "a.html").read_text("utf-8")


# --- bad input -----------------------------------------------------------------------------


@pytest.mark.parametrize("yaml_text, expected", [
    ("site:\n  base_url: http://clinic.example\n",
     "editions.yaml:2: error: 'base_url' must be an absolute https:// address"
     " (e.g. https://clinic.example/leaflets)"),
    ("site:\n  base_url: https://clinic.example\neditions:\n  c:\n"
     "    qr: \"{base_url}/{locale}/{slug}.htm\"\n",
     "editions.yaml:5: error: 'qr' names '{locale}/{slug}.htm', which the site does not"
     " have: use one of its files, e.g. '{base_url}/{locale}/{slug}.html' (the article's"
     " page) or '{base_url}/{locale}/{slug}.epub'"),
    ("editions:\n  c:\n    qr: \"{base_url}/{locale}/{slug}.html\"\n",
     "editions.yaml:3: error: 'qr' uses {base_url}: set 'base_url' under 'site'"),
    ("site:\n  editions: [default, clinc]\n",
     "editions.yaml:2: error: site: no edition 'clinc'"),
])
def test_bad_site_settings_are_located(make_project, yaml_text: str, expected: str) -> None:
    project = Project.at(make_project({"en/a.md": "---\ntitle: A\n---\n\n# S\n\nText.\n"}))
    (project.root / "editions.yaml").write_text(yaml_text, "utf-8")
    report = build(project, formats=("html",))
    assert messages(report.problems) == [expected]
    assert report.written == []
