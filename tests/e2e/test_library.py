"""A library, not one leaflet: a generated corpus (bench/corpus.py, with topics) in en,
es and ar, built `--format html` once for the module, browsed in Debian's Chromium from
a real http.server: every leaflet two clicks from its locale's index, axe and the Nu
Html Checker on the browsing pages, nothing wider than a phone; the feeds; the sitemap
split; and a new leaflet rewriting only the pages that list it."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
from checkers import axe_violations, describe_axe, vnu_errors, with_axe
from conftest import ROOT, copy_project, serving
from helpers import build
from lxml import etree

from pressroom.core.project import Project
from pressroom.render.web import browse, opds, sitemap

sys.path.insert(0, str(ROOT / "bench"))
import corpus

ARTICLES = 14
LOCALES = ["en", "es", "ar"]
BASE = "https://clinic.example/library"
ATOM = {"atom": "http://www.w3.org/2005/Atom"}
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def make_library(folder: Path) -> Path:
    project = copy_project(folder, {})
    for locale in LOCALES:  # each locale its own source: no translation records needed
        corpus.write(project / "source", ARTICLES, [locale], topics=True)
        for path in (project / "source" / locale).glob("*.md"):
            path.write_text(path.read_text("utf-8").replace(
                "\nversion: 1\n", f"\nversion: 1\nsource_locale: {locale}\n"), "utf-8")
    (project / "topics.yaml").write_text(corpus.topics_yaml(LOCALES), "utf-8")
    (project / "editions.yaml").write_text(
        f"site:\n  base_url: {BASE}\n  name: Riverside Family Clinic\n", "utf-8")
    return project


@pytest.fixture(scope="module")
def library(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The project; its out/ is the site (read it, never change it: copy it first)."""
    project = make_library(tmp_path_factory.mktemp("library") / "project")
    report = build(Project.at(project), ["html"])
    assert report.ok, [str(p) for p in report.problems]
    assert not report.problems.warnings, [str(p) for p in report.problems.warnings]
    return project


@pytest.fixture(scope="module")
def server(library: Path):
    with serving(library / "out") as address:
        yield address


def browsing_pages(out: Path, locale: str) -> list[Path]:
    folder = out / locale
    return [folder / "index.html", folder / "topics.html", folder / "new.html",
            *sorted((folder / "a-z").glob("*.html")), *sorted((folder / "topics").glob("*.html"))]


def slugs(project: Path, locale: str) -> set[str]:
    return {p.stem for p in (project / "source" / locale).glob("*.md")}


@pytest.mark.parametrize("locale", LOCALES)
def test_every_leaflet_is_two_clicks_from_the_locale_index(chromium, server: str,
                                                          library: Path, locale: str) -> None:
    """Followed in the browser: the links of the locale index, then the links of each
    page they open; the article pages reached are all of the locale's leaflets."""
    page = chromium.new_page()
    start = f"{server}/{locale}/index.html"
    folder = f"{server}/{locale}/"

    def links(url: str) -> set[str]:
        page.goto(url)
        hrefs = page.eval_on_selector_all("main a[href]", "as => as.map(a => a.href)")
        return {h.split("#")[0] for h in hrefs if h.startswith(folder)}

    first = links(start)
    reached = set(first)
    for url in sorted(first):
        if url.endswith(".html"):
            reached |= links(url)
    page.close()
    articles = {urlsplit(u).path.rsplit("/", 1)[1].removesuffix(".html") for u in reached
                if urlsplit(u).path.count("/") == 2}  # /<locale>/<slug>.html
    assert slugs(library, locale) <= articles


@pytest.mark.parametrize("locale", ["en", "ar"])
@pytest.mark.parametrize("width", [320, 1280])
def test_browsing_pages_pass_axe_and_fit_a_phone(chromium, server: str, library: Path,
                                                 locale: str, width: int) -> None:
    context = with_axe(chromium.new_context(viewport={"width": width, "height": 800}))
    page = context.new_page()
    problems: list[str] = []
    page.on("console", lambda m: m.type == "error" and problems.append(m.text))
    for path in browsing_pages(library / "out", locale):
        rel = path.relative_to(library / "out").as_posix()
        page.goto(f"{server}/{rel}")
        assert describe_axe(axe_violations(page)) == [], rel
        assert page.evaluate("document.documentElement.scrollWidth") <= width, rel
        assert page.evaluate("document.documentElement.dir") == (
            "rtl" if locale == "ar" else "ltr")
    assert problems == []
    context.close()


#: Each kind of browsing page once, both directions among them (axe and the Nu Html
#: Checker read every browsing page of every locale; Lighthouse adds the SEO and
#: best-practice audits, which follow the template, at 15 s a page).
@pytest.mark.parametrize("page", ["en/topics/{topic}", "ar/a-z/{first}", "en/index.html"])
def test_lighthouse_scores_the_browsing_pages_at_least_095(server: str, library: Path,
                                                          page: str, tmp_path: Path) -> None:
    from checkers import lighthouse_scores

    locale = page.split("/")[0]
    folder = library / "out" / locale
    first = sorted((folder / "a-z").iterdir())[0].name
    topic = sorted((folder / "topics").iterdir())[0].name
    result = lighthouse_scores(f"{server}/{page.format(first=first, topic=topic)}", tmp_path)
    assert set(result["scores"]) == {"seo", "accessibility", "best-practices"}
    assert all(score >= 0.95 for score in result["scores"].values()), result


def test_nu_html_checker_finds_no_error_on_the_browsing_pages(library: Path) -> None:
    pages = [p for locale in ("en", "ar") for p in browsing_pages(library / "out", locale)]
    assert len(pages) > 10
    assert vnu_errors(pages) == []


def meta(path: Path) -> tuple[str, str]:
    root = etree.parse(str(path), etree.HTMLParser()).getroot()
    return (root.findtext(".//title") or "",
            (root.xpath("//meta[@name='description']/@content") or [""])[0])


@pytest.mark.parametrize("locale", LOCALES)
def test_each_browsing_page_has_its_own_title_and_description(library: Path,
                                                              locale: str) -> None:
    found = [meta(p) for p in browsing_pages(library / "out", locale)]
    titles, descriptions = [t for t, _ in found], [d for _, d in found]
    assert all(titles) and all(descriptions)
    assert len(set(titles)) == len(titles) and len(set(descriptions)) == len(descriptions)


def test_a_to_z_follows_the_locale_alphabet(library: Path) -> None:
    """Each letter page lists its titles in ICU's order for the locale; the letter bar
    links exactly the letters that have a page."""
    import icu

    for locale in LOCALES:
        folder = library / "out" / locale
        collator = icu.Collator.createInstance(icu.Locale(locale))
        index = etree.parse(str(folder / "index.html"), etree.HTMLParser()).getroot()
        linked = index.xpath("//nav[@class='letter-bar']//a/@href")
        assert sorted(linked) == sorted(f"a-z/{p.name}" for p in (folder / "a-z").iterdir())
        seen = 0
        for letter_page in (folder / "a-z").iterdir():
            root = etree.parse(str(letter_page), etree.HTMLParser()).getroot()
            titles = [a.text for a in root.xpath("//ul[@class='library']//a")]
            assert titles == sorted(titles, key=collator.getSortKey)
            seen += len(titles)
        assert seen == ARTICLES


def test_what_is_new_is_an_atom_feed_dated_from_the_front_matter(library: Path) -> None:
    feed = etree.parse(str(library / "out" / "en" / "new.xml")).getroot()
    assert feed.tag == "{http://www.w3.org/2005/Atom}feed"
    for name in ("id", "title", "updated", "author/atom:name"):
        assert feed.findtext(f"atom:{name}", namespaces=ATOM), name
    entries = feed.findall("atom:entry", ATOM)
    assert 0 < len(entries) <= 20
    # corpus.py: every article published 2024-01-15 and reviewed 2026-01-15.
    assert {e.findtext("atom:updated", namespaces=ATOM) for e in entries} == {
        "2026-01-15T00:00:00Z"}
    assert feed.findtext("atom:updated", namespaces=ATOM) == "2026-01-15T00:00:00Z"
    for entry in entries:
        href = entry.find("atom:link[@rel='alternate']", ATOM).get("href")
        assert href.startswith(f"{BASE}/en/") and (
            library / "out" / href.removeprefix(BASE + "/")).is_file()


def test_a_sitemap_past_its_limit_becomes_an_index(library: Path, tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    whole = etree.parse(str(library / "out" / "sitemap.xml")).getroot()
    assert whole.tag == f"{SITEMAP}urlset"
    urls = [e.text for e in whole.iter(f"{SITEMAP}loc")]
    project = tmp_path / "project"
    shutil.copytree(library, project)
    monkeypatch.setattr(sitemap, "MAX_URLS", 25)
    report = build(Project.at(project), ["html"])
    assert report.ok
    index = etree.parse(str(project / "out" / "sitemap.xml")).getroot()
    assert index.tag == f"{SITEMAP}sitemapindex"
    children = [e.text for e in index.iter(f"{SITEMAP}loc")]
    assert len(children) == -(-len(urls) // 25)
    split: list[str] = []
    for child in children:
        assert child.startswith(f"{BASE}/sitemap-")
        part = etree.parse(str(project / "out" / child.removeprefix(BASE + "/"))).getroot()
        assert part.tag == f"{SITEMAP}urlset"
        found = [e.text for e in part.iter(f"{SITEMAP}loc")]
        assert 0 < len(found) <= 25
        split += found
    assert split == urls


def test_opds_feeds_page_at_their_limit(library: Path, tmp_path: Path,
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """With ebooks written (en only) and pages of 5: the locale feed is three pages linked
    first/previous/next/last, each valid OPDS, together every leaflet once."""
    project = tmp_path / "project"
    shutil.copytree(library, project)
    monkeypatch.setattr(opds, "PAGE", 5)
    report = build(Project.at(project), ["epub", "html"], locales=["en"])
    assert report.ok, [str(p) for p in report.problems]
    schema = etree.RelaxNG(etree.parse(str(ROOT / "tests/data/schemas/opds-1.2.rng")))
    folder = project / "out" / "opds"
    for path in folder.glob("*.xml"):
        assert schema.validate(etree.parse(str(path))), f"{path.name}: {schema.error_log}"
    name, titles, pages = "en.xml", [], []
    previous = None
    while name:
        feed = etree.parse(str(folder / name)).getroot()
        rels = {link.get("rel"): link.get("href") for link in feed.findall("atom:link", ATOM)}
        assert rels["first"] == "en.xml" and rels["last"] == "en-p3.xml"
        assert rels.get("previous") == previous
        entries = feed.findall("atom:entry", ATOM)
        assert 0 < len(entries) <= 5
        titles += [e.findtext("atom:title", namespaces=ATOM) for e in entries]
        pages.append(name)
        previous, name = name, rels.get("next")
    assert pages == ["en.xml", "en-p2.xml", "en-p3.xml"]
    assert len(titles) == len(set(titles)) == ARTICLES


def test_a_new_leaflet_rewrites_only_the_pages_that_list_it(library: Path,
                                                            tmp_path: Path) -> None:
    project = tmp_path / "project"
    shutil.copytree(library, project)
    source = project / "source" / "en"
    donor = (source / "topic-0001.md").read_text("utf-8")
    front, _, body = donor[4:].partition("\n---\n")
    topic = front.split("topics: [", 1)[1].split("]", 1)[0].split(", ")[0]  # one in use
    lines = [ln for ln in front.splitlines() if not ln.startswith(("title:", "published:",
                                                                   "reviewed:", "topics:"))]
    old_letter = sorted(p.name for p in (project / "out/en/a-z").iterdir())[0]
    title_letter = old_letter.removesuffix(".html").upper()
    lines += [f"title: {title_letter}ewly added leaflet", "published: 2020-05-01",
              f"topics: [{topic}]"]
    (source / "newly-added.md").write_text("---\n" + "\n".join(lines) + "\n---\n" + body,
                                           "utf-8")
    listed = {p.stem for p in source.glob("*.md") if p.stem != "newly-added"
              and topic in (p.read_text("utf-8").split("topics: [", 1)[1]
                                .split("]", 1)[0].split(", "))}
    report = build(Project.at(project), ["html"])
    assert report.ok, [str(p) for p in report.problems]
    written = {p.relative_to(project / "out").as_posix() for p in report.written}
    pages = {w for w in written if w.endswith((".html", ".xml"))}
    # With fewer leaflets than what's new lists, it is among the newest there too.
    # (No OPDS feed in an html-only build: it lists leaflets and ebooks.)
    assert ARTICLES < browse.NEWEST
    required = {"en/newly-added.html", f"en/a-z/{old_letter}", f"en/topics/{topic}.html",
                "en/new.html", "en/new.xml", "sitemap.xml"}
    assert required <= pages, sorted(pages)
    # Besides those: only pages of leaflets that share its topic (their related list).
    others = pages - required
    assert others <= {f"en/{slug}.html" for slug in listed}, sorted(others)
    # Not the locale's index (its short list of the newest is of 2026 leaflets), its
    # other letters and topics, nor anything of another locale.
    assert not any(w.startswith(("es/", "ar/", "pagefind/es/", "pagefind/ar/"))
                   for w in written), sorted(written)
    assert {"index.html", "404.html", "en/index.html", "en/topics.html"}.isdisjoint(written)
    assert {w for w in written if w.startswith("en/a-z/")} == {f"en/a-z/{old_letter}"}
    assert {w for w in written if w.startswith("en/topics/")} == {f"en/topics/{topic}.html"}
    assert any(w.startswith("pagefind/en/") for w in written)  # its search index


def test_the_root_page_speaks_the_source_locale(library: Path) -> None:
    root = etree.parse(str(library / "out" / "index.html"), etree.HTMLParser()).getroot()
    assert (root.get("lang"), root.get("dir")) == ("en", "ltr")
    assert root.xpath("//a[@class='site-name']/@href") == ["en/index.html"]
    assert sorted(root.xpath("//ul[@class='language-list']//a/@href")) == [
        f"{loc}/index.html" for loc in sorted(LOCALES)]


def test_an_article_page_links_its_topics_and_related_leaflets(library: Path) -> None:
    page = library / "out" / "en" / "topic-0001.html"
    root = etree.parse(str(page), etree.HTMLParser()).getroot()
    topics = root.xpath("//nav[@class='see-also']//ul[@class='topic-list']//a/@href")
    front = (library / "source/en/topic-0001.md").read_text("utf-8")
    ids = front.split("topics: [", 1)[1].split("]", 1)[0].split(", ")
    assert topics == [f"topics/{i}.html" for i in ids]
    related = root.xpath("//nav[@class='see-also']//ul[@class='related']//a/@href")
    assert 0 < len(related) <= 5 and "topic-0001.html" not in related
    for href in related:
        other = (library / "source/en" / href.replace(".html", ".md")).read_text("utf-8")
        theirs = other.split("topics: [", 1)[1].split("]", 1)[0].split(", ")
        assert set(ids) & set(theirs)
    for href in topics + related:
        assert (page.parent / urljoin("x/", href).removeprefix("x/")).is_file()

