"""The sitemap (sitemaps.org): every page of the site with its versions in the other
languages, as search engines read them — in one file while the site is small, and as a
sitemap index with child sitemaps once it passes the protocol's limits (50,000 URLs or
50 MB a file): `sitemap.xml` then lists `sitemap-1.xml`, `sitemap-2.xml`…, each at the
site's root (a sitemap may only list addresses below its own folder).

The byte limit is kept by counting each URL's entry generously (`_ENTRY_BYTES` per
address written, its own and its alternates'), so a file never needs to be rendered to
be split.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

#: sitemaps.org: at most 50,000 URLs and 50 MB (52,428,800 bytes) per sitemap file.
MAX_URLS = 50_000
MAX_BYTES = 52_428_800
#: What one address costs in the file beyond its own characters (tags, indentation,
#: `hreflang`), counted high.
_ENTRY_BYTES = 120
INDEX = "sitemap.xml"


@dataclass(frozen=True, slots=True)
class SitemapFile:
    path: str
    template: str
    context: dict[str, Any] = field(default_factory=dict)


def pages(by_locale: Mapping[str, Iterable[str]]) -> list[dict[str, Any]]:
    """Each page (`<locale>/<name>`, names relative to the locale's folder), with its
    alternates: the same name in every locale that has it — except a letter's page,
    whose letter lists other leaflets in each language (`a-z/m.html`)."""
    names: dict[str, list[str]] = {}
    for locale in sorted(by_locale):
        for name in by_locale[locale]:
            names.setdefault(name, []).append(locale)
    result = []
    for locale in sorted(by_locale):
        for name in sorted(by_locale[locale]):
            result.append({"path": f"{locale}/{name}",
                           "alternates": [(other, f"{other}/{name}") for other in names[name]]
                           if len(names[name]) > 1 and not name.startswith("a-z/") else []})
    return result


def _cost(page: dict[str, Any], base_url: str) -> int:
    addresses = [page["path"], *(other for _, other in page["alternates"])]
    return sum(len(base_url) + len(a.encode("utf-8")) + _ENTRY_BYTES for a in addresses)


def files(all_pages: list[dict[str, Any]], base_url: str, max_urls: int | None = None,
          max_bytes: int | None = None) -> list[SitemapFile]:
    """One sitemap, or an index and its children when one file would pass a limit."""
    max_urls = max_urls or MAX_URLS
    max_bytes = max_bytes or MAX_BYTES
    chunks: list[list[dict[str, Any]]] = [[]]
    size = 0
    for page in all_pages:
        cost = _cost(page, base_url)
        if chunks[-1] and (len(chunks[-1]) >= max_urls or size + cost > max_bytes):
            chunks.append([])
            size = 0
        chunks[-1].append(page)
        size += cost
    if len(chunks) == 1:
        return [SitemapFile(INDEX, "web/sitemap.xml.j2", {"pages": chunks[0]})]
    children = [SitemapFile(f"sitemap-{n}.xml", "web/sitemap.xml.j2", {"pages": chunk})
                for n, chunk in enumerate(chunks, 1)]
    return [*children, SitemapFile(INDEX, "web/sitemap-index.xml.j2",
                                   {"sitemaps": [c.path for c in children]})]
