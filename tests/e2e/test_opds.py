"""The OPDS catalogue: validated against the OPDS 1.2 / Atom RELAX NG schema with lxml,
every link followed to a file in out/, and the dates checked against the articles."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urljoin

import pytest
from lxml import etree

ATOM = "{http://www.w3.org/2005/Atom}"
NS = {"atom": "http://www.w3.org/2005/Atom", "dc": "http://purl.org/dc/terms/"}
SCHEMA = Path(__file__).parents[1] / "data" / "schemas" / "opds-1.2.rng"
LOCALES = ["ar", "de", "en", "es", "fr"]
ACQUISITION = "application/atom+xml;profile=opds-catalog;kind=acquisition"
NAVIGATION = "application/atom+xml;profile=opds-catalog;kind=navigation"


@pytest.fixture(scope="module")
def schema() -> etree.RelaxNG:
    return etree.RelaxNG(etree.parse(str(SCHEMA)))


def feeds(site: Path) -> list[Path]:
    """Every feed: the start, each locale's acquisition feed, its topics' and newest
    leaflets' feeds, and its navigation feed of those."""
    found = sorted((site / "opds").glob("*.xml"))
    assert {f"{loc}{kind}.xml" for loc in LOCALES for kind in ("", "-new", "-browse")} | {
        "index.xml"} <= {p.name for p in found}
    return found


def test_every_feed_is_valid_opds(web_site: Path, schema: etree.RelaxNG) -> None:
    for path in feeds(web_site):
        document = etree.parse(str(path))
        assert schema.validate(document), f"{path.name}: {schema.error_log}"


def test_the_schema_rejects_what_opds_forbids(web_site: Path, schema: etree.RelaxNG) -> None:
    """The check can fail: an entry with no acquisition link, a date without a time."""
    text = (web_site / "opds" / "en.xml").read_bytes()
    broken = [text.replace(b'rel="http://opds-spec.org/acquisition"', b'rel="related"'),
              text.replace(b"<updated>2026-11-20T00:00:00Z</updated>",
                           b"<updated>2026-11-20</updated>"),
              text.replace(b"<title>Muscle Spasms</title>", b"")]
    for document in broken:
        assert not schema.validate(etree.fromstring(document))


def test_topics_are_facets_and_feeds_of_their_own(web_site: Path) -> None:
    """OPDS 1.2 facets: each locale feed offers its topics (one facet group) and its
    newest leaflets (sort/new); a topic's feed marks its facet active."""
    root = etree.parse(str(web_site / "opds" / "es.xml")).getroot()
    facets = root.findall("atom:link[@rel='http://opds-spec.org/facet']", NS)
    assert [f.get("href") for f in facets] == ["es-topic-pain.xml", "es-topic-muscles.xml"]
    assert {f.get("{http://opds-spec.org/2010/catalog}facetGroup") for f in facets} == {"Temas"}
    assert root.find("atom:link[@rel='http://opds-spec.org/sort/new']", NS).get(
        "href") == "es-new.xml"
    topic = etree.parse(str(web_site / "opds" / "es-topic-pain.xml")).getroot()
    active = topic.findall("atom:link[@rel='http://opds-spec.org/facet']", NS)
    assert [f.get("{http://opds-spec.org/2010/catalog}activeFacet") for f in active] == [
        "true", None]
    assert [e.findtext("atom:title", namespaces=NS) for e in topic.findall("atom:entry", NS)
            ] == ["Espasmos musculares"]
    browse = etree.parse(str(web_site / "opds" / "es-browse.xml")).getroot()
    assert browse.find("atom:link[@rel='self']", NS).get("type") == NAVIGATION
    links = [e.find("atom:link", NS) for e in browse.findall("atom:entry", NS)]
    assert [(link.get("rel"), link.get("href")) for link in links] == [
        ("http://opds-spec.org/sort/new", "es-new.xml"),
        ("subsection", "es-topic-pain.xml"), ("subsection", "es-topic-muscles.xml")]


def test_navigation_feed_lists_each_locale(web_site: Path) -> None:
    root = etree.parse(str(web_site / "opds" / "index.xml")).getroot()
    assert root.find("atom:link[@rel='self']", NS).get("type") == NAVIGATION
    subsections = root.findall("atom:entry/atom:link[@rel='subsection']", NS)
    assert [link.get("href") for link in subsections] == [f"{loc}.xml" for loc in LOCALES]
    assert {link.get("type") for link in subsections} == {ACQUISITION}
    titles = [e.findtext("atom:title", namespaces=NS) for e in root.findall("atom:entry", NS)]
    assert titles == ["العربية", "Deutsch", "English", "Español", "Français"]


def test_acquisition_entries_carry_what_reading_apps_show(web_site: Path) -> None:
    root = etree.parse(str(web_site / "opds" / "es.xml")).getroot()
    assert root.get("{http://www.w3.org/XML/1998/namespace}lang") == "es"
    (entry,) = root.findall("atom:entry", NS)
    assert entry.findtext("atom:title", namespaces=NS) == "Espasmos musculares"
    assert entry.findtext("atom:summary", namespaces=NS).startswith("Información sobre")
    assert entry.findtext("dc:language", namespaces=NS) == "es"
    assert [a.findtext("atom:name", namespaces=NS) for a in entry.findall("atom:author", NS)]
    # `reviewed: 2026-11-20` in source/es/muscle-spasms.md
    assert entry.findtext("atom:updated", namespaces=NS) == "2026-11-20T00:00:00Z"
    acquisitions = entry.findall("atom:link[@rel='http://opds-spec.org/acquisition']", NS)
    types = [link.get("type") for link in acquisitions]
    assert types[0] == "application/epub+zip"  # the ebook first: what an app downloads
    assert acquisitions[0].get("href") == "../es/muscle-spasms.epub"
    assert "application/pdf" in types
    hrefs = [link.get("href") for link in acquisitions]
    assert "../es/muscle-spasms.print-ready.pdf" not in hrefs  # not offered to readers
    for link in acquisitions:
        target = web_site / "opds" / link.get("href")
        assert int(link.get("length")) == target.resolve().stat().st_size
    image = entry.find("atom:link[@rel='http://opds-spec.org/image']", NS)
    thumbnail = entry.find("atom:link[@rel='http://opds-spec.org/image/thumbnail']", NS)
    assert image.get("type") == thumbnail.get("type") == "image/png"


def test_every_link_resolves_to_a_file_in_out(web_site: Path) -> None:
    checked = 0
    for path in feeds(web_site):
        here = path.relative_to(web_site).as_posix()
        for link in etree.parse(str(path)).iter(f"{ATOM}link"):
            target = web_site / urljoin(here, link.get("href"))
            assert target.resolve().is_file(), f"{here}: {link.get('href')}"
            assert web_site.resolve() in target.resolve().parents
            checked += 1
    assert checked > 50


def test_cover_and_thumbnail_are_pngs_of_the_cover(web_site: Path) -> None:
    import struct

    for name, width in (("cover", 1600), ("thumbnail", 300)):
        data = (web_site / "en" / f"muscle-spasms.{name}.png").read_bytes()
        assert data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR"
        # The PNG header's own size fields, read without the library that wrote them
        assert struct.unpack(">II", data[16:24]) == (width, width * 2560 // 1600)


def test_pages_advertise_their_feed(web_site: Path) -> None:
    link = ('<link rel="alternate" type="application/atom+xml;profile=opds-catalog;'
            'kind=acquisition" href="../opds/{}.xml"')
    for locale in LOCALES:
        for page in ("muscle-spasms.html", "index.html", "search.html"):
            assert link.format(locale) in (web_site / locale / page).read_text("utf-8")
    root_page = (web_site / "index.html").read_text("utf-8")
    assert ('<link rel="alternate" type="application/atom+xml;profile=opds-catalog;'
            'kind=navigation" href="opds/index.xml"') in root_page
