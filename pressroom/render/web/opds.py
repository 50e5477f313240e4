"""The OPDS catalogue: the library as reading apps (KOReader, Thorium, Moon+ Reader) read it.

OPDS 1.2 is Atom with a few link relations. `opds/index.xml` is a navigation feed with
one entry per locale; `opds/<locale>.xml` is that locale's acquisition feed, paged at
`PAGE` entries (`<locale>-p2.xml`…, linked first/previous/next/last), in the locale's
alphabetical order. Each page offers the locale's topics as facets (OPDS 1.2's facet
links, one group) leading to a feed per topic (`<locale>-topic-<id>.xml`, paged too), and
its newest leaflets (`<locale>-new.xml`, `rel="http://opds-spec.org/sort/new"`);
`<locale>-browse.xml` is a navigation feed of those. An entry is one article, with its
ebook (the first acquisition link, so an app downloads it by default) and the leaflets
of every edition the site offers as further acquisitions, the cover and its thumbnail
(the web renderer's `<slug>.cover.png` and `.thumbnail.png`), and the article's page as
the alternate. Links are relative to the feed, as Atom allows,
so the catalogue works wherever out/ is published; ids use the site's `base_url`.

This module turns the library into plain values (no Publication objects: the values
are what a feed's inputs digest is made of); the feeds are written by the layouts
`layouts/opds/*.xml.j2`, through the web renderer's collection step.

Dates: an entry's `updated` is the article's `reviewed` date (see `_updated` for an
article without one); a feed's is `SOURCE_DATE_EPOCH` when set, else its newest entry's — never
the clock, so two builds of the same inputs write the same bytes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pressroom.editions.config import Site
from pressroom.render.protocol import Library, LibraryEntry
from pressroom.render.web.browse import topic_list
from pressroom.render.web.collation import sort_key

FOLDER = "opds"
ACQUISITION = "application/atom+xml;profile=opds-catalog;kind=acquisition"
NAVIGATION = "application/atom+xml;profile=opds-catalog;kind=navigation"
#: At most this many entries on one page of an acquisition feed.
PAGE = 50
NEW = "What's new"
#: The output kinds a reading app downloads, in the order the entry offers them.
_OFFERED = ("ebook", "leaflet", "print")


@dataclass(frozen=True, slots=True)
class Feed:
    """One feed to write: where, with which layout, in which language, and what it says."""

    path: str
    template: str
    language: str
    strings: Mapping[str, str]
    context: dict[str, Any] = field(default_factory=dict)


def feed_path(locale: str) -> str:
    return f"{FOLDER}/{locale}.xml"


def index_path() -> str:
    return f"{FOLDER}/index.xml"


def stamp(moment: dt.datetime) -> str:
    """RFC 3339, as Atom writes dates: `2026-11-20T00:00:00Z`."""
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def page_path(locale: str, name: str = "", number: int = 1) -> str:
    """`opds/es.xml`, `opds/es-p2.xml`, `opds/es-topic-sleep.xml`, `opds/es-new.xml`."""
    stem = f"{locale}-{name}" if name else locale
    return f"{FOLDER}/{stem}{f'-p{number}' if number > 1 else ''}.xml"


def browse_path(locale: str) -> str:
    """A locale's navigation feed: what's new and its topics."""
    return f"{FOLDER}/{locale}-browse.xml"


def _name(path: str) -> str:
    return path.removeprefix(f"{FOLDER}/")


def feeds(library: Library, by_locale: Mapping[str, Sequence[LibraryEntry]]) -> list[Feed]:
    """Each locale's acquisition feed (paged), one per topic (paged), its newest
    leaflets, its navigation feed of those; then the navigation feed of the locales."""
    site, fixed = library.site, library.settings.fixed_time
    result, sections = [], []
    by_path: dict[Path, list[LibraryEntry]] = {}
    for found in library.entries:
        by_path.setdefault(found.publication.article.path, []).append(found)
    for locale, pages in sorted(by_locale.items()):
        usable = [(page, e) for page in pages
                  if (e := _entry(page, library, by_path))["acquisitions"]]
        if not usable:
            continue  # no ebook or leaflet written yet: nothing for a reading app
        usable.sort(key=lambda item: (sort_key(locale, item[1]["title"]),
                                      item[0].publication.article.slug))
        entries = [e for _, e in usable]
        updated = stamp(fixed) if fixed else max(e["updated"] for e in entries)
        strings = pages[0].publication.strings
        title = strings.get("Patient information leaflets", "Patient information leaflets")
        pubs = [page.publication for page, _ in usable]
        topics = topic_list(locale, pubs, library.topics)
        facets = [{"id": t["id"], "name": t["name"],
                   "href": _name(page_path(locale, f"topic-{t['id']}"))} for t in topics]
        common = {"locale": locale, "self_type": ACQUISITION, "start_type": NAVIGATION,
                  "active": "",
                  "updated": updated, "browse": _name(browse_path(locale)),
                  "new_href": _name(page_path(locale, "new")), "facets": facets,
                  "facet_group": strings.get("Topics", "Topics")}
        result += _paged(site, locale, "", entries, strings,
                         {**common, "title": title, "subject": ""})
        by_slug = {page.publication.article.slug: e for page, e in usable}
        for topic in topics:
            members = [by_slug[p.article.slug] for p in pubs if topic["id"] in p.meta.topics]
            result += _paged(site, locale, f"topic-{topic['id']}", members, strings, {
                **common, "title": title, "subject": topic["name"], "active": topic["id"],
                "updated": stamp(fixed) if fixed else max(e["updated"] for e in members)})
        newest_first = sorted(entries, key=lambda e: e["updated"], reverse=True)[:PAGE]
        result += _paged(site, locale, "new", newest_first, strings, {
            **common, "title": title, "subject": strings.get(NEW, NEW)})
        result.append(Feed(browse_path(locale), "opds/browse.xml.j2", locale, strings, {
            "feed_id": _id(site.base_url, browse_path(locale),
                           f"urn:pressroom:opds:{locale}:browse"),
            "updated": updated, "title": title, "locale": locale, "self_type": NAVIGATION,
            "acquisition_type": ACQUISITION, "new_href": common["new_href"],
            "new_title": strings.get(NEW, NEW), "topics": [
                {**f, "id": _id(site.base_url, page_path(locale, f"topic-{f['id']}"),
                                f"urn:pressroom:opds:{locale}:topic:{f['id']}")}
                for f in facets],
            "new_id": _id(site.base_url, page_path(locale, "new"),
                          f"urn:pressroom:opds:{locale}:new")}))
        sections.append({"locale": locale, "href": _name(feed_path(locale)),
                         "updated": updated, "count": len(entries), "title": title,
                         "id": _id(site.base_url, feed_path(locale),
                                   f"urn:pressroom:opds:{locale}")})
    if sections:
        updated = stamp(fixed) if fixed else max(s["updated"] for s in sections)
        result.append(Feed(index_path(), "opds/navigation.xml.j2", "en", {}, {
            "feed_id": _id(site.base_url, index_path(), "urn:pressroom:opds"),
            "updated": updated, "sections": sections, "self_type": NAVIGATION,
            "acquisition_type": ACQUISITION}))
    return result


def _paged(site: Site, locale: str, name: str, entries: list[dict[str, Any]],
           strings: Mapping[str, str], context: dict[str, Any]) -> list[Feed]:
    """An acquisition feed cut into pages of at most PAGE entries, linked first, previous,
    next and last (OPDS 1.2, after RFC 5005); the first page is at the feed's own name."""
    chunks = [entries[i:i + PAGE] for i in range(0, len(entries), PAGE)] or [[]]
    last = len(chunks)
    feeds = []
    for number, chunk in enumerate(chunks, 1):
        path = page_path(locale, name, number)
        links = [("first", page_path(locale, name))] if last > 1 else []
        if number > 1:
            links.append(("previous", page_path(locale, name, number - 1)))
        if number < last:
            links.append(("next", page_path(locale, name, number + 1)))
        if last > 1:
            links.append(("last", page_path(locale, name, last)))
        first_id = page_path(locale, name)
        feeds.append(Feed(path, "opds/acquisition.xml.j2", locale, strings, {
            **context, "entries": chunk, "self_href": _name(path),
            "paging": [(rel, _name(href)) for rel, href in links],
            # One feed, however many pages: every page has the first page's id.
            "feed_id": _id(site.base_url, first_id,
                           f"urn:pressroom:opds:{locale}{':' + name if name else ''}")}))
    return feeds


def _id(base_url: str, path: str, fallback: str) -> str:
    return f"{base_url}/{path}" if base_url else fallback


def _updated(page: LibraryEntry, library: Library) -> dt.datetime:
    """`reviewed`, else `published`; for an undated article SOURCE_DATE_EPOCH, else when
    its file last changed — never the clock, which would rewrite the feed every build."""
    meta = page.publication.meta
    day = meta.reviewed or meta.published
    if day is not None:
        return dt.datetime.combine(day, dt.time(), dt.UTC)
    if library.settings.fixed_time is not None:
        return library.settings.fixed_time
    try:
        stamp = page.publication.article.path.stat().st_mtime
    except OSError:
        stamp = 0
    return dt.datetime.fromtimestamp(int(stamp), dt.UTC)


def _entry(page: LibraryEntry, library: Library,
           by_path: Mapping[Path, Sequence[LibraryEntry]]) -> dict[str, Any]:
    """One article in a feed: its facts, and every file a reader can take away
    (`by_path`: the library's entries by article, each edition of it)."""
    pub, meta, site = page.publication, page.publication.meta, library.site
    slug, locale = pub.article.slug, pub.language
    order = site.editions
    editions = sorted((e for e in by_path.get(pub.article.path, ())
                       if not order or e.edition.name in order),
                      key=lambda e: order.index(e.edition.name) if order else 0)
    files = [w for e in editions for w in e.written if w.output.kind in _OFFERED]
    files.sort(key=lambda w: w.output.kind != "ebook")  # the ebook first, for the apps
    images = {w.output.kind: w.output.path for w in page.written}
    updated = _updated(page, library)
    return {
        "title": meta.title, "summary": meta.summary, "language": locale,
        "authors": list(meta.authors), "publisher": site.name or meta.publisher,
        "issued": meta.published.isoformat() if meta.published else "",
        "keywords": list(meta.keywords), "updated": stamp(updated),
        "id": _id(site.base_url, f"{locale}/{slug}.html", f"urn:pressroom:{locale}:{slug}"),
        "page": f"../{images['page']}" if "page" in images else "",
        "cover": f"../{images['cover']}" if "cover" in images else "",
        "thumbnail": f"../{images['thumbnail']}" if "thumbnail" in images else "",
        "acquisitions": [{"href": f"../{w.output.path}", "type": w.output.media_type,
                          "length": w.size, "kind": w.output.kind, "edition": w.edition}
                         for w in files],
    }
