"""Is a translation current? Its source now, against the source as it was translated.

A translation records in `translated_from` the digest of its source's segments when it
was imported or marked current (segments.py), and the tools keep the segments of that
version as a record (pofiles.py). When the source's digest differs, the translation is
*outdated*: it still builds (a clinic may prefer yesterday's leaflet to none), with a
warning in the translation for the whole file and one per changed segment — located at
the translation's matching line, naming the source's line — so a translator knows what
to update and `--strict` can fail a CI run. Values a translation keeps as the source
has them (dates, code, version) are compared directly, every time.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from pressroom.content import model as m
from pressroom.content.sources import Loaded
from pressroom.core.errors import Problem, Problems, display_path
from pressroom.core.project import Project
from pressroom.translation.origin import is_translation, source_locale
from pressroom.translation.pofiles import read_record, record_path
from pressroom.translation.segments import (
    KEPT,
    Comparison,
    Segment,
    Segmented,
    compare,
    section_order,
    slot_of,
)

CURRENT, OUTDATED, UNRECORDED = "current", "outdated", "unrecorded"


@dataclass
class Currency:
    """How a translation stands against its source now."""

    #: "current", "outdated" (the source changed since it was recorded) or "unrecorded".
    state: str
    translation: Segmented
    source: Segmented
    #: Warnings: the whole file, then one per changed segment or kept value.
    problems: list[Problem] = field(default_factory=list)
    #: Segments and kept values out of date; None when it cannot be told (no record).
    count: int | None = 0
    #: The source as translated against the source now (None without a record).
    comparison: Comparison | None = None
    #: The source as translated.
    record: list[Segment] | None = None

    @property
    def outdated(self) -> bool:
        return self.state != CURRENT or bool(self.count)

    @property
    def changed_since_record(self) -> bool:
        """Recorded, and the source changed since: differences are the source's doing."""
        return self.state == OUTDATED


def mark_current_hint(translation: m.Article) -> str:
    return (f"`python publish.py translations mark-current --locale {translation.locale}"
            f" {translation.slug}`")


def assess(translation: Segmented, source: Segmented, project: Project) -> Currency:
    article = translation.article
    where = display_path(source.article.path)
    problems = Problems()
    fallback = article.meta.lines.get("translated_from", 1)
    recorded = article.meta.translated_from
    if not recorded:
        problems.warning(article.path, 1, f"outdated: nothing records which version of {where}"
                         " this translation was made from: once it is checked against the"
                         f" source, run {mark_current_hint(article)}")
        currency = Currency(UNRECORDED, translation, source, count=None)
    elif recorded == source.digest:
        currency = Currency(CURRENT, translation, source)
    else:
        problems.warning(article.path, 1, f"outdated: {where} changed since this translation"
                         " was made")
        path = record_path(project, source.article.locale, source.article.slug, recorded)
        record = read_record(path)
        if record is None:
            problems.warning(article.path, fallback, "outdated: the source as translated is"
                             f" not on record ({display_path(path)}): compare the whole"
                             f" translation with {where}, then run {mark_current_hint(article)}")
            currency = Currency(OUTDATED, translation, source, count=None)
        else:
            comparison = compare(record, source.segments)
            currency = Currency(OUTDATED, translation, source, count=len(comparison.changes),
                                comparison=comparison, record=record)
            _changes(currency, where, fallback, problems)
    kept = kept_differences(article, source.article, where, problems)
    if currency.count is not None:
        currency.count += kept
    currency.problems = problems.items
    return currency


def _changes(currency: Currency, where: str, fallback: int, problems: Problems) -> None:
    """One warning per changed, added or removed segment, at the translation's line."""
    assert currency.comparison is not None and currency.record is not None
    article = currency.translation.article
    theirs = currency.translation.slots
    order = section_order(currency.record)

    def match(old: Segment | None) -> Segment | None:
        return theirs.get(slot_of(old, order)) if old is not None else None

    current = currency.source.segments
    index = {s.id: i for i, s in enumerate(current)}
    for change in currency.comparison.changes:
        old, new = change.old, change.new
        if change.kind == "changed" and new is not None:
            mine = match(old)
            if mine is not None:
                problems.warning(article.path, mine.line, f"outdated: this {mine.role} changed"
                                 f" in the source ({where}:{new.line})")
            else:
                problems.warning(article.path, fallback, f"outdated: a {new.role} changed in"
                                 f" the source ({where}:{new.line}); this translation has"
                                 " none to match")
        elif change.kind == "added" and new is not None:
            before = next((match(currency.comparison.counterpart.get(s.id))
                           for s in reversed(current[:index[new.id]])
                           if match(currency.comparison.counterpart.get(s.id))), None)
            if before is not None:
                problems.warning(article.path, before.line, f"outdated: a {new.role} was"
                                 f" added after this {before.role} in the source"
                                 f" ({where}:{new.line})")
            else:
                problems.warning(article.path, fallback, f"outdated: a {new.role} was added"
                                 f" to the source ({where}:{new.line})")
        elif old is not None:
            mine = match(old)
            if mine is not None:
                problems.warning(article.path, mine.line, f"outdated: this {mine.role} was"
                                 " removed from the source")
            else:
                problems.warning(article.path, fallback, f"outdated: a {old.role} was removed"
                                 f" from the source: “{_excerpt(old.text)}”")


def _excerpt(text: str, length: int = 60) -> str:
    """The start of a text, cut between words."""
    return text if len(text) <= length else text[:length].rsplit(" ", 1)[0].rstrip(",;:") + "…"


def kept_differences(translation: m.Article, source: m.Article, where: str,
                     problems: Problems) -> int:
    """Dates, code and version: a translation has them as its source does."""
    count = 0
    for key in KEPT:
        ours, theirs = getattr(translation.meta, key), getattr(source.meta, key)
        if ours == theirs:
            continue
        count += 1
        line = translation.meta.lines.get(key, translation.meta.lines.get("translated_from", 1))
        source_line = source.meta.lines.get(key)
        at = f" ({where}:{source_line})" if source_line else f" ({where})"
        problems.warning(translation.path, line, f"outdated: '{key}' is {_value(ours)} here;"
                         f" the source has {_value(theirs)}{at}")
    return count


def _value(value: object) -> str:
    if value in (None, ""):
        return "not set"
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def assess_all(loaded: Iterable[Loaded], segmented_of: Callable[[m.Article], Segmented],
               project: Project) -> dict[Path, Currency]:
    """Every translation whose source loaded cleanly, by the translation's path."""
    loaded = list(loaded)
    by_key = {(i.source.locale, i.source.slug): i for i in loaded if i.article is not None}
    found: dict[Path, Currency] = {}
    for item in loaded:
        article = item.article
        if article is None or not is_translation(article):
            continue
        source = by_key.get((source_locale(article), article.slug))
        if source is None or source.article is None or source.problems.errors:
            continue
        found[article.path] = assess(segmented_of(article), segmented_of(source.article),
                                     project)
    return found
