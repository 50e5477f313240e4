"""The OPDS catalogue: the library as reading apps (KOReader, Thorium, Moon+ Reader) read it.

OPDS 1.2 is Atom with a few link relations. `opds/index.xml` is a navigation feed with
one entry per locale; `opds/<locale>.xml` is that locale's acquisition feed: one entry
per article, with its ebook (the first acquisition link, so an app downloads it by
default) and the leaflets of every edition the site offers as further acquisitions, the
cover and its thumbnail (the web renderer's `<slug>.cover.png` and `.thumbnail.png`),
and the article's page as the alternate. Links are relative to the feed, as Atom allows,
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
from typing import Any

from pressroom.render.protocol import Library, LibraryEntry

FOLDER = "opds"
ACQUISITION = "application/atom+xml;profile=opds-catalog;kind=acquisition"
NAVIGATION = "application/atom+xml;profile=opds-catalog;kind=navigation"
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


def feeds(library: Library, by_locale: Mapping[str, Sequence[LibraryEntry]]) -> list[Feed]:
    """Each locale's acquisition feed, then the navigation feed of the locales."""
    site, fixed = library.site, library.settings.fixed_time
    result, sections = [], []
    for locale, pages in sorted(by_locale.items()):
        entries = [_entry(page, library) for page in pages]
        entries = [e for e in entries if e["acquisitions"]]
        if not entries:
            continue  # no ebook or leaflet written yet: nothing for a reading app
        updated = stamp(fixed) if fixed else max(e["updated"] for e in entries)
        strings = pages[0].publication.strings
        result.append(Feed(feed_path(locale), "opds/acquisition.xml.j2", locale, strings, {
            "feed_id": _id(site.base_url, feed_path(locale), f"urn:pressroom:opds:{locale}"),
            "updated": updated, "entries": entries, "locale": locale,
            "self_type": ACQUISITION, "start_type": NAVIGATION,
            "title": strings.get("Patient information leaflets",
                                 "Patient information leaflets")}))
        sections.append({"locale": locale, "href": f"{locale}.xml", "updated": updated,
                         "count": len(entries), "title": result[-1].context["title"],
                         "id": result[-1].context["feed_id"]})
    if sections:
        updated = stamp(fixed) if fixed else max(s["updated"] for s in sections)
        result.append(Feed(index_path(), "opds/navigation.xml.j2", "en", {}, {
            "feed_id": _id(site.base_url, index_path(), "urn:pressroom:opds"),
            "updated": updated, "sections": sections, "self_type": NAVIGATION,
            "acquisition_type": ACQUISITION}))
    return result


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


def _entry(page: LibraryEntry, library: Library) -> dict[str, Any]:
    """One article in a feed: its facts, and every file a reader can take away."""
    pub, meta, site = page.publication, page.publication.meta, library.site
    slug, locale = pub.article.slug, pub.language
    order = site.editions
    editions = sorted((e for e in library.entries
                       if e.publication.article.path == pub.article.path
                       and (not order or e.edition.name in order)),
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
