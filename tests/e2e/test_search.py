"""Site search: Pagefind's per-locale indexes searched in Debian's Chromium from a real
http.server, axe on the search page, the page without JavaScript, and the index rebuilt
only when a page changed."""

from __future__ import annotations

import json
import os
import random
import shutil
import string
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from checkers import axe_violations, describe_axe
from conftest import serving
from helpers import build

from pressroom.core.project import Project

LOCALES = ["ar", "de", "en", "es", "fr"]


@pytest.fixture
def page(site_page: Any) -> Any:
    return site_page


def results(page) -> list[dict[str, str]]:
    page.wait_for_selector(".search-result", timeout=15000)
    return page.eval_on_selector_all(".search-result", """items => items.map(item => ({
        title: item.querySelector("h2 a").textContent,
        href: item.querySelector("h2 a").getAttribute("href"),
        summary: (item.querySelector(".summary") || {}).textContent || "",
        passage: (item.querySelector(".search-passage") || {}).textContent || "",
        marked: [...item.querySelectorAll("mark")].map(m => m.textContent)}))""")


def test_one_index_per_locale(web_site: Path) -> None:
    """Each locale's folder holds an index of its own language only, and its size is
    reported (bytes of the index proper: metadata, word index and page fragments)."""
    sizes = {}
    for locale in LOCALES:
        folder = web_site / "pagefind" / locale
        entry = json.loads((folder / "pagefind-entry.json").read_text("utf-8"))
        assert list(entry["languages"]) == [locale]
        assert entry["languages"][locale]["page_count"] == 1
        assert (folder / "pagefind.js").is_file()
        sizes[locale] = sum(p.stat().st_size for p in folder.rglob("*")
                            if p.suffix in (".pf_meta", ".pf_index", ".pf_fragment"))
        assert 0 < sizes[locale] < 64 * 1024
    print("search index bytes per locale:", sizes)
    # Pagefind's ready-made interfaces are not written: the site has its own results.
    assert not list((web_site / "pagefind").rglob("pagefind-ui.js"))


@pytest.mark.parametrize(("locale", "query", "title"), [
    ("en", "cramp", "Muscle Spasms"),  # a symptom (the keywords list "cramps")
    ("es", "calambre", "Espasmos musculares"),
    ("ar", "تشنج", "تشنجات العضلات"),
])
def test_typing_a_symptom_finds_the_leaflet(page, locale: str, query: str, title: str) -> None:
    page.goto(f"{page.base}/{locale}/search.html")
    page.locator("#search-query").fill(query)  # an `input` event, as typing gives
    (found,) = results(page)
    assert found["title"] == title and found["href"] == "muscle-spasms.html"
    assert found["summary"] and found["passage"] and found["marked"]
    status = page.inner_text("#search-status")
    assert query in status and status.rstrip().endswith(("1", "\u0661"))  # Arabic digits in ar
    page.click(".search-result h2 a")
    page.wait_for_url(f"**/{locale}/muscle-spasms.html")
    assert page.problems == []


def test_what_is_typed_before_the_index_loads_is_searched(page) -> None:
    """A reader on a slow phone types before Pagefind has loaded: the words are not lost."""
    held: list[Any] = []
    page.route("**/pagefind.js", lambda route: held.append(route))  # held back
    page.goto(f"{page.base}/en/search.html")
    page.locator("#search-query").fill("cramp")
    page.wait_for_timeout(400)  # past the typing pause: the search was asked for
    assert len(held) == 1 and page.locator(".search-result").count() == 0
    held[0].continue_()
    (found,) = results(page)
    assert found["title"] == "Muscle Spasms"
    assert page.problems == []


@pytest.mark.parametrize(("locale", "query", "heading", "before"), [
    # "…على ذلك.¹" ends the paragraph before the heading "تشخيص تشنجات العضلات".
    ("ar", "تشخيص", "تشخيص تشنجات العضلات", "ذلك"),
    ("en", "diagnosing", "Diagnosing Muscle Spasms", "example of this"),
])
def test_a_passage_is_its_section_without_note_calls(page, locale: str, query: str,
                                                      heading: str, before: str) -> None:
    """The passage shown is cut at headings (the heading is shown apart, linked to its
    section) and carries no note-call numbers (the issue: "…على ذلك. 1. تشخيص")."""
    page.goto(f"{page.base}/{locale}/search.html?q={query}")
    (found,) = results(page)
    section = page.locator(".search-result .search-section a")
    assert section.inner_text() == heading
    assert section.get_attribute("href").startswith("muscle-spasms.html#")
    assert before not in found["passage"]
    assert not any(c.isdigit() for c in found["passage"]), found["passage"]


def test_the_header_box_opens_the_search_page_with_results(page) -> None:
    page.goto(f"{page.base}/es/muscle-spasms.html")
    page.fill("#site-search-query", "rigidez")  # a symptom from the checklist
    page.press("#site-search-query", "Enter")
    page.wait_for_url("**/es/search.html?q=rigidez")
    (found,) = results(page)
    assert found["title"] == "Espasmos musculares"
    assert page.input_value("#search-query") == "rigidez"


def test_arabic_search_page_is_right_to_left(page) -> None:
    page.goto(f"{page.base}/ar/search.html?q=تشنج")
    results(page)
    assert page.evaluate("getComputedStyle(document.querySelector('.search-result')).direction"
                         ) == "rtl"
    assert page.inner_text("h1") == "البحث في النشرات"


@pytest.mark.parametrize("locale", ["en", "ar"])
@pytest.mark.parametrize("width", [360, 1280])
def test_axe_finds_no_violation_and_nothing_overflows(chromium, web_server: str, locale: str,
                                                      width: int, tmp_path: Path) -> None:
    context = chromium.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    query = {"en": "cramp", "ar": "تشنج"}[locale]
    page.goto(f"{web_server}/{locale}/search.html?q={query}")
    results(page)
    assert describe_axe(axe_violations(page)) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    page.screenshot(path=str(tmp_path / f"search-{locale}-{width}.png"), full_page=True)
    context.close()


def test_without_javascript_the_page_says_how_to_browse(chromium, web_server: str) -> None:
    context = chromium.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{web_server}/fr/search.html?q=crampe")
    fallback = page.locator(".search-fallback")
    assert fallback.is_visible()
    assert "JavaScript" in fallback.inner_text()
    page.click(".search-fallback a")
    page.wait_for_url("**/fr/index.html")
    context.close()


# --- incremental -------------------------------------------------------------------------


def index_files(report, out: Path) -> list[str]:
    return sorted(p.relative_to(out).as_posix() for p in report.written
                  if "pagefind" in p.parts)


def test_index_is_rebuilt_only_when_a_page_changed(make_project, root: Path, chromium
                                                    ) -> None:
    project_dir = make_project({"en/muscle-spasms.md": root / "source/en/muscle-spasms.md",
                                "es/muscle-spasms.md": root / "source/es/muscle-spasms.md"})
    project = Project.at(project_dir)
    out = project.out_dir
    first = build(project, formats=("html",))
    assert first.ok and index_files(first, out)
    again = build(project, formats=("html",))
    assert again.ok and again.written == [] and again.removed == []
    # A reworded checklist symptom in Spanish: the Spanish index only.
    source = project_dir / "source" / "es" / "muscle-spasms.md"
    text = source.read_text("utf-8")
    source.write_text(text.replace("- Pérdida de función", "- Pérdida de función u hormigueo",
                                   1), "utf-8")
    old_fragments = sorted((out / "pagefind" / "es" / "fragment").iterdir())
    changed = build(project, formats=("html",))
    assert changed.ok
    written = index_files(changed, out)
    assert written and all(name.startswith("pagefind/es/") for name in written)
    assert "pagefind/es/pagefind-entry.json" in written
    assert "pagefind/es/pagefind.js" not in written  # the same bytes: left as they are
    # The old page's fragment is gone with its index; only the new one is there.
    assert [p for p in old_fragments if p in changed.removed] == old_fragments
    assert len(list((out / "pagefind" / "es" / "fragment").iterdir())) == 1
    with serving(out) as address:
        context = chromium.new_context()
        page = context.new_page()
        page.goto(f"{address}/es/search.html?q=hormigueo")  # only in the checklist
        (found,) = results(page)
        assert found["title"] == "Espasmos musculares" and "hormigueo" in found["passage"]
        context.close()


def rebuild_with_pagefind(project_dir: Path, root: Path, **env: str
                          ) -> tuple[subprocess.CompletedProcess[str], bytes, bytes]:
    """Build the site, reword the article, build again with `env` (a broken Pagefind):
    the second run's result and the index's entry file before and after it."""
    (project_dir / "publish.py").write_text((root / "publish.py").read_text("utf-8"), "utf-8")
    command = [sys.executable, "publish.py", "build", "--format", "html"]
    base = {**os.environ, "PYTHONPATH": str(root)}  # this checkout's pressroom
    subprocess.run(command, cwd=project_dir, check=True, capture_output=True, env=base)
    entry = project_dir / "out" / "pagefind" / "en" / "pagefind-entry.json"
    before = entry.read_bytes()
    page = project_dir / "source" / "en" / "muscle-spasms.md"
    page.write_text(page.read_text("utf-8").replace("Muscle Spasms", "Muscle Cramps", 1),
                    "utf-8")
    result = subprocess.run(command, cwd=project_dir, capture_output=True, text=True,
                            env={**base, **env}, timeout=120)
    return result, before, entry.read_bytes()


def test_missing_pagefind_is_one_line_and_leaves_the_last_index(make_project, root: Path
                                                                ) -> None:
    project_dir = make_project({"en/muscle-spasms.md": root / "source/en/muscle-spasms.md"})
    result, before, after = rebuild_with_pagefind(
        project_dir, root, PAGEFIND_BINARY_PATH=str(project_dir / "nothing"))
    assert result.returncode == 1
    assert ("out/pagefind/en: error: cannot build the search index: the pagefind program"
            " is missing (install the Python package 'pagefind[bin]')") in result.stderr
    assert "Traceback" not in result.stderr
    assert after == before


def test_a_pagefind_that_never_finishes_is_stopped_at_its_bound(make_project, root: Path
                                                                 ) -> None:
    """A hung indexer (here one whose child holds its output open) ends the build with one
    line after the bound, and the last good index stays."""
    project_dir = make_project({"en/muscle-spasms.md": root / "source/en/muscle-spasms.md"})
    hung = project_dir / "hung-pagefind"
    hung.write_text("#!/bin/sh\nsleep 600 &\nwait\n", "utf-8")
    hung.chmod(0o755)
    result, before, after = rebuild_with_pagefind(
        project_dir, root, PAGEFIND_BINARY_PATH=str(hung), PRESSROOM_PAGEFIND_TIMEOUT="1")
    assert result.returncode == 1
    assert ("out/pagefind/en: error: cannot build the search index: pagefind did not finish"
            " within 1 s; the last index stays") in result.stderr
    assert "Traceback" not in result.stderr
    assert after == before


def test_an_index_larger_than_a_stream_buffer_is_written(tmp_path: Path) -> None:
    """Pagefind's Python service hung for ever once its answer passed its 2 MiB stream
    limit (every page written, then the search step waited with no CPU). Many small pages
    of distinct words make an index past that size; it is built, and holds every page."""
    from pressroom.core.errors import Problems
    from pressroom.render.web.search import _index

    rng = random.Random(7)
    pages = []
    for number in range(140):
        words = " ".join("".join(rng.choices(string.ascii_lowercase, k=8)) for _ in range(1000))
        path = f"en/leaflet-{number}.html"
        (tmp_path / "en").mkdir(exist_ok=True)
        (tmp_path / path).write_text(
            f"<!DOCTYPE html><html lang=en><head><title>Leaflet {number}</title></head>"
            f"<body><main data-pagefind-body><h1>Leaflet {number}</h1><p>{words}</p></main>"
            "</body></html>", "utf-8")
        pages.append((path, str(number)))
    problems = Problems()
    files = _index(tmp_path, "en", pages).render(problems)
    assert not problems.items and files is not None
    assert sum(len(data) for data in files.values()) > 2 * 1024 * 1024
    entry = json.loads(files["pagefind-entry.json"])
    assert entry["languages"]["en"]["page_count"] == 140
    assert list(files)[-1] == "pagefind-entry.json"  # written last


@pytest.mark.parametrize("ignored", [True, False], ids=["layout", "size-indexed"])
def test_an_index_begun_while_the_leaflets_render_is_that_of_the_pages_written(
        make_project, root: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        ignored: bool) -> None:
    """An author's edit rebuilds the leaflet and the page: the English index is begun from
    the page's search view while the leaflet is laid out (no download box yet), and its
    files are those Pagefind makes from the pages as written (a build that indexes only
    written pages, into another folder), byte for byte. With the project's layout
    (`layout`) Pagefind runs once; with a layout whose download box is indexed
    (`size-indexed`), the index begun early is not the written pages' and is made again."""
    from pressroom.render.web import search

    articles = {"en/muscle-spasms.md": root / "source/en/muscle-spasms.md",
                "es/muscle-spasms.md": root / "source/es/muscle-spasms.md"}
    project_dir = make_project(articles)
    if not ignored:
        layout = project_dir / "layouts" / "web" / "article.html.j2"
        text = layout.read_text("utf-8")
        box = '<section class="download-box" aria-labelledby="downloads"'
        assert f"{box} data-pagefind-ignore>" in text
        layout.write_text(text.replace(f"{box} data-pagefind-ignore>", f"{box}>"), "utf-8")
    project = Project.at(project_dir)
    assert build(project, formats=("pdf", "html")).ok
    source = project_dir / "source" / "en" / "muscle-spasms.md"
    source.write_text(source.read_text("utf-8").replace(
        "- Loss of function", "- Loss of function or tingling", 1), "utf-8")
    given: list[dict[str, bytes]] = []  # what each index begun early was given
    runs: list[str] = []
    head_start, run_pagefind = search.head_start, search._run_pagefind

    def recording(library, *rest):  # type: ignore[no-untyped-def]
        head_start(library, *rest)
        given.extend(begun.given for begun in library.begun.values())

    monkeypatch.setattr(search, "head_start", recording)
    monkeypatch.setattr(search, "_run_pagefind", lambda locale, *rest: (
        runs.append(locale), run_pagefind(locale, *rest))[1])
    edited = build(project, formats=("pdf", "html"))
    assert edited.ok
    written = index_files(edited, project.out_dir)
    assert "pagefind/en/pagefind-entry.json" in written
    assert not [name for name in written if name.startswith("pagefind/es/")]
    assert len(given) == 1 and runs == (["en"] if ignored else ["en", "en"])
    (view,) = [data for path, data in given[0].items() if path == "en/muscle-spasms.html"]
    assert b"or tingling" in view and b"muscle-spasms.pdf" not in view  # before the PDF
    page = (project.out_dir / "en" / "muscle-spasms.html").read_bytes()
    assert b"muscle-spasms.pdf" in page  # the page as written offers it

    # The same sources built where every index is made from the pages as written.
    monkeypatch.setattr(search, "HEAD_START_PAGES", 0)
    other = Project.at(make_other(project_dir, tmp_path / "other"))
    runs.clear()
    assert build(other, formats=("pdf", "html")).ok and runs == ["en", "es"]
    assert folder_bytes(other.out_dir / "pagefind" / "en") == folder_bytes(
        project.out_dir / "pagefind" / "en")


def make_other(project_dir: Path, dest: Path) -> Path:
    """A copy of the project without its out/."""
    shutil.copytree(project_dir, dest, ignore=shutil.ignore_patterns("out"))
    return dest


def folder_bytes(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}
