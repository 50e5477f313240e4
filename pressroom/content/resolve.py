"""The resolve stage: everything cross-cutting that renderers must not decide for themselves.

A `Publication` is an article made ready to render: notes numbered, links checked, the
language, writing direction and UI strings settled, the date to stamp decided.
Renderers take a Publication and nothing else from the content side.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from pressroom.content import model as m
from pressroom.content.links import check_links
from pressroom.content.notes import Note, number_notes
from pressroom.core.errors import Problems
from pressroom.core.locales import text_direction
from pressroom.core.settings import Settings


@dataclass(frozen=True, slots=True)
class Publication:
    article: m.Article
    notes: tuple[Note, ...]
    #: BCP 47 tag for `lang` attributes and PDF /Lang.
    language: str
    #: "ltr" or "rtl", from CLDR's character order for the language.
    direction: str
    #: The date stamped into outputs (EPUB dcterms:modified, ZIP entries, PDF dates).
    modified: dt.datetime
    #: Translated UI strings for the layouts (msgid → text); empty means English.
    strings: Mapping[str, str] = field(default_factory=dict, compare=False)
    #: An unfinished or outdated translation built for review (translation/drafts.py): every page
    #: says "Draft — not for distribution".
    draft: bool = False
    #: Digest of the text the article was read from, when it is not the file's (drafts).
    text_digest: str = ""
    #: Every image file the article shows (text and notes), once each, sorted: the files
    #: its jobs read beside the layouts, and the site's assets.
    images: tuple[Path, ...] = field(default=(), compare=False)

    @property
    def meta(self) -> m.Meta:
        return self.article.meta

    @property
    def checklist(self) -> m.Checklist:
        return self.article.checklist


def publication_time(meta: m.Meta, settings: Settings) -> dt.datetime:
    """SOURCE_DATE_EPOCH when set (reproducible builds), else the article's own review or
    publication date, and the clock only when the article has neither: rebuilding an
    unchanged article should not produce a different file."""
    if settings.fixed_time is not None:
        return settings.fixed_time
    day = meta.reviewed or meta.published
    if day is not None:
        return dt.datetime.combine(day, dt.time(), dt.UTC)
    return settings.now()


def check_review(article: m.Article, problems: Problems, today: dt.date) -> None:
    """A leaflet past its review date must not be handed out unnoticed."""
    due = article.meta.review_due
    if due is not None and due < today:
        problems.warning(article.path, article.meta.lines.get("review_due"),
                         f"review overdue since {due.isoformat()}")


def resolve(
    article: m.Article, problems: Problems, strings: Mapping[str, str] | None = None,
    settings: Settings | None = None,
) -> Publication:
    settings = settings or Settings()
    numbered, notes = number_notes(article, problems)
    check_links(article, problems)
    check_review(article, problems, settings.today)
    return Publication(
        article=numbered,
        notes=notes,
        language=article.locale,
        direction=text_direction(article.locale),
        modified=publication_time(article.meta, settings),
        strings=strings or {},
        images=m.image_paths((numbered.lead, numbered.sections, notes)),
    )
