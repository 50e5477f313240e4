"""Is a translation complete? Compare it with the article it was translated from.

A translated leaflet must say everything the source says: the same `#`/`##` sections,
the same notes cited in the same sections (inline notes `^[…]`, which have no key: as
many in each section), as many checklist items, and no front-matter text left in the
source language. Every difference is reported in the translation
(where the translator has to act), naming the source line for reference.

A translation that was complete when it was made, and whose source changed since
(currency.py), still differs only because the source moved on: its differences are
warnings, prefixed "outdated:", and it is still built.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from pressroom.content import model as m
from pressroom.content.sources import Loaded
from pressroom.core.errors import Problems, display_path
from pressroom.translation.origin import DEFAULT_SOURCE, is_translation, source_locale

if TYPE_CHECKING:
    from pressroom.translation.currency import Currency

#: Front-matter text that must not be left as in the source. Names (authors, publisher)
#: may legitimately stay the same, and a single list item may too ("Massage").
TRANSLATED_TEXT = ("title", "subtitle", "summary")
TRANSLATED_LISTS = ("keywords",)


@dataclass(frozen=True, slots=True)
class _Heading:
    level: int
    title: str
    line: int
    notes: tuple[str, ...]  # keys cited in this part, in order of first citation
    #: Inline notes `^[…]` written in this part. They have no key to match: a translation
    #: has as many in each section as its source (their text is translated, so only
    #: their number can be compared).
    inline_notes: int = 0


def _outline(article: m.Article) -> list[_Heading]:
    """Sections and subsections in order, each with the notes cited directly in it."""
    out = []

    def visit(section: m.Section) -> None:
        refs = [n for n in m.descendants((section.title, section.blocks))
                if isinstance(n, m.NoteRef)]
        keys = [n.key for n in refs if not n.inline]
        out.append(_Heading(section.level, m.plain_text(section.title), section.line,
                            tuple(dict.fromkeys(keys)), sum(n.inline for n in refs)))
        for sub in section.subsections:
            visit(sub)

    for section in article.sections:
        visit(section)
    return out


def _keys(article: m.Article) -> tuple[str, ...]:
    refs = m.descendants((article.lead, article.sections))
    return tuple(dict.fromkeys(n.key for n in refs if isinstance(n, m.NoteRef)
                               and not n.inline))


def _inline_notes(blocks: tuple[m.Block, ...]) -> int:
    return sum(1 for n in m.descendants(blocks) if isinstance(n, m.NoteRef) and n.inline)


def compare(translation: m.Article, source: m.Article, problems: Problems) -> None:
    path, where = translation.path, display_path(source.path)

    def error(line: int | None, message: str) -> None:
        problems.error(path, line, message)

    ours, theirs = _outline(translation), _outline(source)
    shape = [h.level for h in ours]
    if shape != [h.level for h in theirs]:
        _report_structure(ours, theirs, where, error)
    else:
        for mine, original in zip(ours, theirs, strict=True):
            kind = "section" if mine.level == 1 else "subsection"
            if mine.notes != original.notes:
                error(mine.line, f"{kind} '{mine.title}' cites {_notes(mine.notes)}; the source"
                      f" section ({where}:{original.line}) cites {_notes(original.notes)}")
            if mine.inline_notes != original.inline_notes:
                error(mine.line, f"{kind} '{mine.title}' has {mine.inline_notes} inline"
                      f" note(s) ^[…]; the source section ({where}:{original.line}) has"
                      f" {original.inline_notes}")
    lead = _inline_notes(translation.lead), _inline_notes(source.lead)
    if lead[0] != lead[1]:
        error(None, f"the introduction has {lead[0]} inline note(s) ^[…]; the source's"
              f" ({where}) has {lead[1]}")

    cited = set(_keys(translation))  # walked once, not once per key of the source
    missing = [k for k in _keys(source) if k not in cited]
    for key in missing:
        error(None, f"note [^{key}] of the source is never cited in this translation")
    defined = {d.key for d in translation.notes}
    for definition in source.notes:
        if definition.inline:
            continue  # compared by number, section by section, above
        if definition.key not in defined and definition.key not in missing:
            error(None, f"note [^{definition.key}] of the source ({where}:{definition.line}) is"
                  " not defined in this translation")

    for group in ("symptoms", "remedies"):
        mine, original = (_items(a.checklist_group(group)) for a in (translation, source))
        if len(mine) != len(original):
            line = translation.meta.lines.get("checklist", 1)
            error(line, f"'checklist.{group}' has {len(mine)} item(s); the source has"
                  f" {len(original)}")

    _compare_meta(translation.meta, source.meta, where, error)


def _items(group: m.ChecklistGroup | None) -> tuple[m.ChecklistItem, ...]:
    return group.items if group else ()


def _notes(keys: tuple[str, ...]) -> str:
    return ", ".join(f"[^{k}]" for k in keys) if keys else "no note"


def _report_structure(ours: list[_Heading], theirs: list[_Heading], where: str, error) -> None:
    sections = sum(1 for h in ours if h.level == 1), sum(1 for h in theirs if h.level == 1)
    if sections[0] != sections[1]:
        error(None, f"the translation has {sections[0]} '#' section(s); the source ({where})"
              f" has {sections[1]}")
    mine_sections = [i for i, h in enumerate(ours) if h.level == 1]
    their_sections = [i for i, h in enumerate(theirs) if h.level == 1]
    for number, (a, b) in enumerate(zip(mine_sections, their_sections, strict=False), 1):
        subs_a = _subsection_count(ours, a)
        subs_b = _subsection_count(theirs, b)
        if subs_a != subs_b:
            error(ours[a].line, f"section {number} '{ours[a].title}' has {subs_a} '##'"
                  f" subsection(s); the source section ({where}:{theirs[b].line}) has {subs_b}")


def _subsection_count(outline: list[_Heading], start: int) -> int:
    count = 0
    for heading in outline[start + 1:]:
        if heading.level == 1:
            break
        count += 1
    return count


def _compare_meta(mine: m.Meta, original: m.Meta, where: str, error) -> None:
    for key in TRANSLATED_TEXT + TRANSLATED_LISTS:
        theirs, ours = getattr(original, key), getattr(mine, key)
        if not theirs:
            continue
        if not ours:
            error(mine.lines.get(key, 1),
                  f"'{key}' is missing; the source has one ({where}:{original.lines[key]})")
        elif ours == theirs:
            error(mine.lines[key], f"'{key}' is not translated (it is the same as the source)")


@dataclass
class LocaleSummary:
    locale: str
    articles: int = 0
    complete: int = 0
    missing: list[str] | None = None
    #: Slugs whose translation is outdated (currency.py).
    outdated: list[str] = field(default_factory=list)

    def line(self) -> str:
        missing = f"; not yet translated: {', '.join(self.missing)}" if self.missing else ""
        outdated = f"; outdated: {', '.join(sorted(self.outdated))}" if self.outdated else ""
        if self.complete + len(self.outdated) < self.articles or missing:
            state = "incomplete"
        else:
            state = "outdated" if self.outdated else "complete"
        return (f"{self.locale}: {state} — {self.complete} of {self.articles} translation(s)"
                f" match their source{missing}{outdated}")


def _outdated_differences(translation: m.Article, source: m.Article, problems: Problems
                          ) -> int:
    """The check's differences, as warnings: the source changed, not the translation."""
    found = Problems()
    compare(translation, source, found)
    for problem in found.items:
        problems.warning(problem.location.path, problem.location.line,
                         f"outdated: {problem.message}")
    return len(found.items)


def check_all(loaded: Iterable[Loaded], currency: Mapping[Path, Currency] | None = None
              ) -> list[LocaleSummary]:
    """Compare every translation with its source, reporting into each article's problems,
    with its currency's warnings (`currency`, by translation path).

    Returns one summary per translated locale, for the `check` command.
    """
    currency = currency or {}
    loaded = list(loaded)
    known = {(item.source.locale, item.source.slug) for item in loaded}
    by_key = {(i.source.locale, i.source.slug): i.article for i in loaded if i.article}
    summaries: dict[str, LocaleSummary] = {}
    for item in loaded:
        article = item.article
        if article is None or not is_translation(article):
            continue
        summary = summaries.setdefault(article.locale, LocaleSummary(article.locale))
        summary.articles += 1
        key = (source_locale(article), article.slug)
        source = by_key.get(key)
        if source is None:
            if key not in known:
                item.problems.error(
                    article.path, article.meta.lines.get("source_locale"),
                    f"no source article '{article.slug}' in locale '{key[0]}' to compare this"
                    " translation with",
                )
            continue  # a source that failed to load reports its own errors
        state = currency.get(article.path)
        before = len(item.problems.errors)
        if state is not None and state.changed_since_record:
            _outdated_differences(article, source, item.problems)
        else:
            compare(article, source, item.problems)
        if state is not None:
            item.problems.extend(state.problems)
        if len(item.problems.errors) > before:
            continue
        if state is not None and state.outdated:
            summary.outdated.append(article.slug)
        else:
            summary.complete += 1
    sources = {key for key, a in by_key.items() if not is_translation(a)}
    for summary in summaries.values():
        have = {slug for locale, slug in known if locale == summary.locale}
        summary.missing = sorted(slug for locale, slug in sources
                                 if locale == DEFAULT_SOURCE and slug not in have)
    return [summaries[k] for k in sorted(summaries)]
