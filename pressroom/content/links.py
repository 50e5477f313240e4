"""Links an author writes must lead somewhere in every output.

A `#fragment` must name a heading of the article (or the references or checklist the
layouts add); a bare file path has no meaning in a printed leaflet or inside an ebook;
only web, mail and phone addresses go out. Checked once, in the resolve stage, so the PDF
and the EPUB never disagree about a link.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from pressroom.content import model as m
from pressroom.core.errors import Problems

SCHEMES = frozenset({"http", "https", "mailto", "tel"})
#: A host name at the start of a link target: `www.nhs.uk`, `nhs.uk/conditions`.
_HOST = re.compile(r"^(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+([a-z]{2,})(?:[/:?#]|$)", re.I)
#: Top-level domains a health leaflet links to that are not also file extensions.
_WEB_TLDS = frozenset({
    "com", "org", "net", "gov", "edu", "int", "info", "health", "uk", "ie", "eu", "us",
    "ca", "au", "nz", "de", "fr", "es", "it", "nl", "be", "ch", "at", "pt", "br", "mx",
    "ar", "in", "za", "nhs", "scot", "wales",
})


def looks_like_web_address(href: str) -> bool:
    """`www.nhs.uk` or `nhs.uk/page`: an address written without its `https://` (a file
    such as `leaflet.pdf` or `figure.png` is not one)."""
    match = _HOST.match(href)
    return bool(match) and (href.lower().startswith("www.")
                            or match.group(1).lower() in _WEB_TLDS)


def anchors_of(article: m.Article) -> set[str]:
    found = set()
    for node in m.descendants((article.lead, article.sections)):
        if isinstance(node, m.Section | m.Heading) and node.anchor:
            found.add(node.anchor)
    if article.notes:
        found.add("references")
    if article.checklist:
        found.add("checklist")
    return found


def check_links(article: m.Article, problems: Problems) -> None:
    anchors = anchors_of(article)
    for node in m.descendants((article.lead, article.sections, article.notes)):
        if not isinstance(node, m.Link):
            continue
        href = node.href
        parts = urlsplit(href)
        if href.startswith("#"):
            if href[1:] not in anchors:
                problems.error(article.path, node.line,
                               f"link to '{href}': no heading of this article has that id"
                               f" (ids: {', '.join(sorted(anchors)) or 'none'})")
        elif not parts.scheme and looks_like_web_address(href):
            problems.error(article.path, node.line, f"link to '{href}': add https:// in"
                           f" front (https://{href})")
        elif not parts.scheme:
            problems.error(article.path, node.line,
                           f"link to '{href}' is a file path: link to a web address"
                           " (https://…) or to a heading (#id)")
        elif parts.scheme.lower() not in SCHEMES:
            problems.error(article.path, node.line,
                           f"link to '{href}': only https, http, mailto and tel links are"
                           " allowed")
