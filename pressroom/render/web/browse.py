"""Ways into a library of hundreds of leaflets, per locale: by letter, by topic, by what
is new (NHS "Health A to Z", MedlinePlus "Health Topics").

`<locale>/index.html` is the way in: the letter bar, the topics, the newest leaflets.
`<locale>/a-z/<letter>.html` lists the leaflets filed under one letter of the locale's
alphabet (collation.py), `<locale>/topics.html` the topics, `<locale>/topics/<id>.html`
one topic's leaflets, `<locale>/new.html` (and its Atom feed `new.xml`) the leaflets
published or reviewed most recently. Entries show title and summary and link to the
article's page, where the downloads are, so every page stays light: one letter's page
of a 500-leaflet library is a few kilobytes. From the locale index every leaflet is two
clicks away (its letter, then its page).

Each page is made only of what it shows (plain values, see `Listing`): a new leaflet
changes its letter's page, its topics' pages and, if it is among the newest, what's new
— the other pages' inputs are unchanged, so they are not written again. The letter bar
is on every letter page: a leaflet that opens a new letter changes them all.

Dates come from the front matter (the later of `published` and `reviewed`), never from
the clock: two builds of the same sources write the same bytes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from pressroom.content.resolve import Publication
from pressroom.content.topics import Topics
from pressroom.render.web.collation import OTHER, alphabet, letter, letter_slug, sort_key

#: How many leaflets "what's new" lists (and its feed), newest first.
NEWEST = 20
#: How many on the locale index's short list of what is new.
NEWEST_ON_INDEX = 5
#: How many related leaflets an article page lists.
RELATED = 5


@dataclass(frozen=True, slots=True)
class Listing:
    """One page to write: its path, layout, the root from it, and what it shows."""

    path: str
    template: str
    root: str
    context: dict[str, Any] = field(default_factory=dict)
    media_type: str = "text/html"


def dated(pub: Publication) -> tuple[dt.date | None, str]:
    """The date a leaflet was last published or reviewed, and which of the two."""
    published, reviewed = pub.meta.published, pub.meta.reviewed
    if reviewed and (not published or reviewed > published):
        return reviewed, "reviewed"
    return published, "published" if published else ""


def entry(pub: Publication) -> dict[str, Any]:
    """A leaflet as the lists show it: plain values only (a page's inputs)."""
    day, what = dated(pub)
    return {"slug": pub.article.slug, "title": pub.meta.title, "summary": pub.meta.summary,
            "date": day.isoformat() if day else "", "what": what}


def _ordered(locale: str, pubs: Sequence[Publication]) -> list[Publication]:
    return sorted(pubs, key=lambda p: (sort_key(locale, p.meta.title), p.article.slug))


def letters(locale: str, pubs: Sequence[Publication]) -> dict[str, list[Publication]]:
    """Letter → its leaflets, letters in the alphabet's order, leaflets in the locale's."""
    found: dict[str, list[Publication]] = {}
    for pub in _ordered(locale, pubs):
        found.setdefault(letter(locale, pub.meta.title), []).append(pub)
    return {label: found[label] for label in alphabet(locale) if label in found}


def letter_bar(locale: str, used: Sequence[str], up: str) -> list[dict[str, str]]:
    """Every letter of the alphabet; only those with leaflets link (`href` "" for the
    others), as NHS Health A to Z shows it."""
    own = set(alphabet(locale, latin=False)) - {OTHER}
    return [{"label": label,
             "href": f"{up}a-z/{letter_slug(label)}.html" if label in used else ""}
            for label in alphabet(locale) if label in used or label in own]


def newest(pubs: Sequence[Publication], locale: str, count: int) -> list[Publication]:
    """The leaflets last published or reviewed, newest first (undated ones never)."""
    dated_pubs = [p for p in pubs if dated(p)[0] is not None]
    by_title = _ordered(locale, dated_pubs)
    return sorted(by_title, key=lambda p: dated(p)[0], reverse=True)[:count]  # type: ignore[arg-type, return-value]


def topic_list(locale: str, pubs: Sequence[Publication], topics: Topics
               ) -> list[dict[str, Any]]:
    """The topics that have leaflets in this locale, by name in the locale's order."""
    used = {t for pub in pubs for t in pub.meta.topics if t in topics.by_id}
    named = [{"id": t, "name": topics.by_id[t].name(locale)} for t in used]
    return sorted(named, key=lambda t: (sort_key(locale, t["name"]), t["id"]))


def listings(locale: str, pubs: Sequence[Publication], topics: Topics,
             locales: Sequence[str]) -> list[Listing]:
    """Every browsing page of one locale."""
    by_letter = letters(locale, pubs)
    used = list(by_letter)
    topic_names = topic_list(locale, pubs, topics)
    new = newest(pubs, locale, NEWEST)
    common = {"locale": locale, "locales": list(locales)}
    pages = [Listing(f"{locale}/index.html", "web/index.html.j2", "../", {
        **common, "letters": letter_bar(locale, used, ""), "topics": topic_names,
        "newest": [entry(p) for p in new[:NEWEST_ON_INDEX]]})]
    for label, members in by_letter.items():
        pages.append(Listing(f"{locale}/a-z/{letter_slug(label)}.html", "web/letter.html.j2",
                             "../../", {**common, "letter": label,
                                        "letters": letter_bar(locale, used, "../"),
                                        "entries": [entry(p) for p in members]}))
    if topic_names:
        pages.append(Listing(f"{locale}/topics.html", "web/topics.html.j2", "../",
                             {**common, "topics": topic_names}))
    for topic in topic_names:
        members = _ordered(locale, [p for p in pubs if topic["id"] in p.meta.topics])
        pages.append(Listing(f"{locale}/topics/{topic['id']}.html", "web/topic.html.j2",
                             "../../", {**common, "topic": topic,
                                        "entries": [entry(p) for p in members]}))
    newest_entries = [entry(p) for p in new]
    pages.append(Listing(f"{locale}/new.html", "web/new.html.j2", "../",
                         {**common, "entries": newest_entries}))
    pages.append(Listing(f"{locale}/new.xml", "web/new.xml.j2", "../",
                         {**common, "entries": newest_entries,
                          "updated": newest_entries[0]["date"] if newest_entries else ""},
                         "application/atom+xml"))
    return pages


def related(pub: Publication, others: Sequence[Publication], count: int = RELATED
            ) -> tuple[tuple[str, str], ...]:
    """(slug, title) of a few leaflets of the same locale that share a topic with `pub`:
    most topics shared first, then in the locale's order — the same every build."""
    mine = set(pub.meta.topics)
    if not mine:
        return ()
    locale = pub.language
    scored = [(-len(mine & set(o.meta.topics)), sort_key(locale, o.meta.title),
               o.article.slug, o.meta.title) for o in others
              if o.language == locale and o.article.slug != pub.article.slug
              and mine & set(o.meta.topics)]
    return tuple((slug, title) for *_, slug, title in sorted(scored)[:count])
