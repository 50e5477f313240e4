"""The resolve stage: everything cross-cutting that renderers must not decide for themselves.

A `Publication` is an article made ready to render: notes numbered, checklist items
given stable form-field names, the language and writing direction settled. Renderers
take a Publication and nothing else from the content side.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Mapping
from dataclasses import dataclass, field

from . import model as m
from .errors import Problems
from .links import check_links
from .locales import text_direction
from .notes import Note, number_notes


@dataclass(frozen=True, slots=True)
class ChecklistEntry:
    text: str
    #: Stable, unique form-field name (`symptom-1`), the same in every format and build.
    field: str


@dataclass(frozen=True, slots=True)
class ChecklistGroup:
    #: "symptoms" or "remedies": layouts pick the group's heading from it.
    key: str
    entries: tuple[ChecklistEntry, ...]


@dataclass(frozen=True, slots=True)
class Publication:
    article: m.Article
    notes: tuple[Note, ...]
    checklist: tuple[ChecklistGroup, ...]
    #: BCP 47 tag for `lang` attributes and PDF /Lang.
    language: str
    #: "ltr" or "rtl", from CLDR's character order for the language.
    direction: str
    #: The date stamped into outputs (EPUB dcterms:modified, ZIP entries).
    modified: dt.datetime
    #: Translated UI strings for the layouts (msgid → text); empty means English.
    strings: Mapping[str, str] = field(default_factory=dict, compare=False)

    @property
    def meta(self) -> m.Meta:
        return self.article.meta


_FIELD_PREFIX = {"symptoms": "symptom", "remedies": "remedy"}


def checklist_groups(checklist: m.Checklist) -> tuple[ChecklistGroup, ...]:
    groups = []
    for key in ("symptoms", "remedies"):
        items = getattr(checklist, key)
        if items:
            entries = tuple(
                ChecklistEntry(item.text, f"{_FIELD_PREFIX[key]}-{index}")
                for index, item in enumerate(items, 1)
            )
            groups.append(ChecklistGroup(key, entries))
    return tuple(groups)


def publication_time(meta: m.Meta) -> dt.datetime:
    """SOURCE_DATE_EPOCH when set (reproducible builds), else the article's own review or
    publication date, and the clock only when the article has neither: rebuilding an
    unchanged article should not produce a different file."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.UTC)
    day = meta.reviewed or meta.published
    if day is not None:
        return dt.datetime.combine(day, dt.time(), dt.UTC)
    return dt.datetime.now(dt.UTC).replace(microsecond=0)


def resolve(
    article: m.Article, problems: Problems, strings: Mapping[str, str] | None = None
) -> Publication:
    numbered, notes = number_notes(article, problems)
    check_links(article, problems)
    return Publication(
        article=numbered,
        notes=notes,
        checklist=checklist_groups(article.checklist),
        language=article.locale,
        direction=text_direction(article.locale),
        modified=publication_time(article.meta),
        strings=strings or {},
    )
