"""The translators' workflow: export segments to PO files, import them back as articles,
mark a reviewed translation current, and the status of every translation.

    python publish.py translations export --locale es muscle-spasms
        → translations/es/muscle-spasms.po (open it in Poedit, Weblate, Crowdin, Phrase)
    python publish.py translations import --locale es muscle-spasms
        → source/es/muscle-spasms.md, with `translated_from` recorded
    python publish.py translations mark-current --locale es muscle-spasms
        → `translated_from` recorded for a translation edited by hand and reviewed
    python publish.py translations status

The Markdown translation in `source/` is the translation of record (it is what is
reviewed and built); the PO file is the translator's working copy. An export prefills
each entry from the translation where it is current; where the source changed, the
entry is fuzzy with the previous source text (`#| msgid`) — from the record of the
source as translated (pofiles.py) — and what the PO file already says for it is kept.
Nothing here prints: results and problems go back to the command line.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from babel import Locale
from babel.messages.catalog import Catalog, Message

from . import model as m
from . import pofiles
from .compose import Translated, set_revision, translated
from .currency import CURRENT, Currency, assess_all, kept_differences
from .errors import Problems, display_path
from .locales import check_locale
from .markup_text import DELIMITERS, inline_facts, note_call, retarget_links
from .project import Project
from .resolve import resolve
from .segments import Segment, Segmented, section_order, segmented, slot_of
from .session import Session
from .sources import Loaded, SourceFile
from .translations import DEFAULT_SOURCE, compare, is_translation, source_locale
from .writing import write_atomic


class Workspace:
    """Every article of the project, loaded and checked once, for the verbs below."""

    def __init__(self, project: Project) -> None:
        self.project = project
        self.session = Session(project)
        self.problems = Problems()
        sources = self.session.sources(self.problems)
        self.loaded, _ = self.session.select(sources)
        self._by_key = {(i.source.locale, i.source.slug): i for i in self.loaded}
        self._segmented: dict[Path, Segmented] = {}

    @cached_property
    def currency(self) -> dict[Path, Currency]:
        return assess_all(self.loaded, self.session.text, self.project)

    def get(self, locale: str, slug: str) -> Loaded | None:
        return self._by_key.get((locale, slug))

    def originals(self) -> dict[str, Loaded]:
        """Each slug's original (not a translation): English where there are several."""
        found: dict[str, Loaded] = {}
        for item in self.loaded:
            if item.article is None or is_translation(item.article):
                continue
            if item.source.slug not in found or item.source.locale == DEFAULT_SOURCE:
                found[item.source.slug] = item
        return found

    def source_of(self, locale: str, slug: str) -> Loaded | None:
        """What a translation into `locale` translates: the source its article names, or
        (for a new one) the slug's original."""
        existing = self.get(locale, slug)
        if existing is not None and existing.article is not None:
            return self.get(source_locale(existing.article), slug)
        return self.originals().get(slug)

    def segmented(self, item: Loaded) -> Segmented:
        assert item.article is not None
        path = item.article.path
        if path not in self._segmented:
            self._segmented[path] = segmented(item.article, self.session.text(path))
        return self._segmented[path]

    def locales(self) -> list[str]:
        """Locales with articles or with PO files in translations/."""
        found = {item.source.locale for item in self.loaded}
        folder = pofiles.folder(self.project)
        if folder.is_dir():
            found |= {p.name for p in folder.iterdir()
                      if p.is_dir() and any(p.glob("*.po")) and not check_locale(p.name)}
        return sorted(found)

    def usable_source(self, locale: str, slug: str, problems: Problems) -> Loaded | None:
        source = self.source_of(locale, slug)
        if source is None or source.article is None:
            problems.error(self.project.source_dir / locale / f"{slug}.md", None,
                           f"no source article '{slug}' to translate into '{locale}'")
            return None
        if source.source.locale == locale:
            problems.error(source.article.path, None, f"'{locale}' is the locale '{slug}' is"
                           " written in: it has nothing to translate from")
            return None
        if source.problems.errors:
            problems.extend(source.problems.errors)
            return None
        return source

    def relative(self, path: Path) -> str:
        return pofiles.relative(self.project, path)


def target_path(project: Project, locale: str, slug: str) -> Path:
    return project.source_dir / locale / f"{slug}.md"


# --- export ------------------------------------------------------------------------


@dataclass
class Exported:
    path: Path
    written: bool
    total: int = 0
    fuzzy: int = 0
    untranslated: int = 0


@dataclass
class _Entry:
    string: str = ""
    fuzzy: bool = False
    previous: str = ""
    user_comments: list[str] = field(default_factory=list)


def export(workspace: Workspace, locale: str, slugs: Iterable[str], problems: Problems
           ) -> list[Exported]:
    results = []
    for slug in slugs:
        source = workspace.usable_source(locale, slug, problems)
        if source is None:
            continue
        results.append(_export(workspace, locale, slug, source, problems))
    return results


def _export(workspace: Workspace, locale: str, slug: str, source: Loaded, problems: Problems
            ) -> Exported:
    src = workspace.segmented(source)
    entries = _from_translation(workspace, locale, slug, src)
    path = pofiles.po_path(workspace.project, locale, slug)
    old = pofiles.read(path, problems) if path.is_file() else None
    if old is not None:
        _keep_working_copy(entries, src, pofiles.by_context(old))
    catalog = _catalog(workspace, locale, src, old)
    notes = _note_texts(src.article)
    where = workspace.relative(src.article.path)
    result = Exported(path, False, total=len(src.segments))
    for segment in src.segments:
        entry = entries.get(segment.id, _Entry())
        pofiles.add(catalog, segment, entry.string, location=where, fuzzy=entry.fuzzy,
                    comments=comments(segment, notes), previous=entry.previous,
                    user_comments=entry.user_comments)
        result.fuzzy += bool(entry.string and entry.fuzzy)
        result.untranslated += not entry.string
    result.written = pofiles.write(path, pofiles.serialize(catalog))
    return result


def _from_translation(workspace: Workspace, locale: str, slug: str, src: Segmented
                      ) -> dict[str, _Entry]:
    """What the translation in source/ says for each current segment: current ones as
    they are, outdated ones fuzzy with the previous source text."""
    item = workspace.get(locale, slug)
    if item is None or item.article is None:
        return {}
    mine = workspace.segmented(item)
    theirs = mine.slots
    back = _anchor_map(mine.anchors(), src.anchors())
    state = workspace.currency.get(item.article.path)
    entries: dict[str, _Entry] = {}
    if state is not None and state.comparison is not None and state.record is not None:
        order = section_order(state.record)
        for segment in src.segments:
            old = state.comparison.counterpart.get(segment.id)
            found = theirs.get(slot_of(old, order)) if old is not None else None
            if found is not None:
                changed = segment.id in state.comparison.changed
                entries[segment.id] = _Entry(retarget_links(found.text, back), changed,
                                             old.text if changed and old else "")
        return entries
    current = state is not None and state.state == CURRENT
    for slot, segment in src.slots.items():
        found = theirs.get(slot)
        if found is not None:
            entries[segment.id] = _Entry(retarget_links(found.text, back), not current)
    return entries


def _keep_working_copy(entries: dict[str, _Entry], src: Segmented,
                       old: dict[str, Message]) -> None:
    """What the PO file already says wins, except where the translation in source/ is
    current (it is the reviewed text): a translator's work on new and changed segments
    is kept, and so are their comments."""
    for segment in src.segments:
        message = old.get(segment.id)
        if message is None:
            continue
        entry = entries.setdefault(segment.id, _Entry())
        entry.user_comments = [c for c in message.user_comments if not c.startswith("|")]
        if not message.string or (entry.string and not entry.fuzzy):
            continue
        if message.id == segment.text:
            entry.string, entry.fuzzy = str(message.string), message.fuzzy
            entry.previous = entry.previous if message.fuzzy else ""
        else:
            entry.string, entry.fuzzy, entry.previous = str(message.string), True, str(
                message.id)


def _catalog(workspace: Workspace, locale: str, src: Segmented, old: Catalog | None
             ) -> Catalog:
    try:
        language = Locale.parse(locale, sep="-").get_display_name("en") or locale
    except (ValueError, LookupError):
        language = locale
    source = workspace.relative(src.article.path)
    catalog = Catalog(
        locale=pofiles.catalog_locale(locale), project=f"Pressroom {src.article.slug}",
        version=src.digest, fuzzy=False,
        header_comment=(
            f"# {language} translation of {source}.\n"
            f"# Translate each entry; keep note calls [^key], link targets and Markdown.\n"
            f"# Then: python publish.py translations import --locale {locale}"
            f" {src.article.slug}"))
    if old is not None:
        catalog.last_translator = old.last_translator
        catalog.language_team = old.language_team
        catalog.revision_date = old.revision_date
    return catalog


def _note_texts(article: m.Article) -> dict[str, str]:
    return {note.key: " ".join(m.plain_text(b.children) for b in note.blocks
                               if hasattr(b, "children"))
            for note in article.notes}


_META_HINTS = {
    "title": "The leaflet's title.",
    "subtitle": "The subtitle, under the title.",
    "summary": "The summary: one or two sentences under the title.",
    "author": "An author. Keep people's names; translate a team's description.",
    "publisher": "The publisher. Keep a name; translate a description.",
    "keyword": "A search keyword (PDF and ebook metadata).",
    "checklist item": "A tick-box item of the checklist page: a short phrase a patient"
                      " ticks.",
    "image description": "Alt text: describe the image for readers who cannot see it.",
    "image caption": "The caption printed under the image.",
}


def comments(segment: Segment, notes: dict[str, str]) -> list[str]:
    """What the translator must keep in this segment, as `#.` comments."""
    found = []
    hint = _META_HINTS.get(segment.role)
    if hint:
        found.append(hint)
    if segment.unit is None or segment.role == "image caption":
        return found
    facts = inline_facts(segment.text)
    for key in dict.fromkeys(facts.notes):
        found.append(f"Keep the note call {note_call(key)} where it is; the note says:"
                     f" {notes.get(key, '')}")
    for href in dict.fromkeys(facts.links):
        if href.startswith("#"):
            found.append(f"Keep the link to {href} as it is: it is pointed at the"
                         " translated heading on import.")
        else:
            found.append(f"Keep the link to {href}.")
    for src in dict.fromkeys(facts.images):
        found.append(f"Keep the image {src}; translate the text in its brackets.")
    if "`" in segment.text:
        found.append("Keep text in `backticks` as it is: it is code.")
    return found


def _anchor_map(theirs: list[str], ours: list[str]) -> dict[str, str]:
    return dict(zip(theirs, ours, strict=True)) if len(theirs) == len(ours) else {}


# --- import ------------------------------------------------------------------------


def import_(workspace: Workspace, locale: str, slugs: Iterable[str], problems: Problems
            ) -> list[Path]:
    written = []
    for slug in slugs:
        path = pofiles.po_path(workspace.project, locale, slug)
        if not path.is_file():
            problems.error(path, None, "no PO file to import: write one with `python"
                           f" publish.py translations export --locale {locale} {slug}`")
            continue
        source = workspace.usable_source(locale, slug, problems)
        if source is None:
            continue
        done = _import(workspace, locale, slug, source, path, problems)
        if done is not None:
            written.append(done)
    return written


def _import(workspace: Workspace, locale: str, slug: str, source: Loaded, path: Path,
            problems: Problems) -> Path | None:
    catalog = pofiles.read(path, problems)
    if catalog is None:
        return None
    src = workspace.segmented(source)
    where = display_path(src.article.path)
    found = Problems()
    texts = _translations(src, pofiles.by_context(catalog), path, where, locale, slug, found)
    if found.items:
        problems.extend(found.items)
        return None
    target = SourceFile(target_path(workspace.project, locale, slug), locale, slug)
    result = translated(src, texts, target, workspace.project.allowed_roots, src.digest)
    entries = pofiles.by_context(catalog)
    if not _check_result(result, src, source.article, entries, path, found):
        problems.extend(found.items)
        return None
    write_atomic(target.path, result.text.encode("utf-8"))
    record = pofiles.record_path(workspace.project, src.article.locale, slug, src.digest)
    pofiles.write_record(record, src.segments, workspace.relative(src.article.path),
                         src.digest)
    return target.path


def _translations(src: Segmented, entries: dict[str, Message], path: Path, where: str,
                  locale: str, slug: str, problems: Problems) -> dict[str, str]:
    """Each segment's translation from the PO file; every problem at the entry's line."""
    missing = [s for s in src.segments if s.id not in entries]
    if missing:
        first = missing[0]
        problems.error(path, None, f"{len(missing)} segment(s) of the source are not in this"
                       f" file (the first: {first.id}, {where}:{first.line}): the source"
                       " changed since it was exported; export it again (translations are"
                       " kept)")
        return {}
    texts: dict[str, str] = {}
    untranslated: list[Message] = []
    for segment in src.segments:
        entry = entries[segment.id]
        if entry.id != segment.text:
            problems.error(path, entry.lineno, "the source text of this segment changed since"
                           f" it was exported ({where}:{segment.line}): export it again to"
                           " see the change (the translation is kept, marked fuzzy)")
            continue
        if not entry.string or entry.fuzzy:
            untranslated.append(entry)
            continue
        text = str(entry.string)
        _check_entry(segment, text, path, entry.lineno, problems)
        texts[segment.id] = text
    if untranslated:
        problems.error(path, untranslated[0].lineno, f"{len(untranslated)} of"
                       f" {len(src.segments)} segments are not translated yet (empty or fuzzy;"
                       " the first is on this line): nothing is written until every segment"
                       " is; to read it in context, build a draft: `python publish.py build"
                       f" --draft --locale {locale} {slug}`")
    return texts


def _check_entry(segment: Segment, text: str, path: Path, line: int | None,
                 problems: Problems) -> None:
    """A translated run of Markdown keeps the source's note calls and links, and closes
    what it opens."""
    if segment.unit is None or segment.role == "image caption":
        return
    theirs, ours = inline_facts(segment.text), inline_facts(text)
    for key in Counter(theirs.notes) - Counter(ours.notes):
        problems.error(path, line, f"the translation drops the note call {note_call(key)}:"
                       " keep it where the source cites it")
    for key in Counter(ours.notes) - Counter(theirs.notes):
        problems.error(path, line, f"the translation adds a note call {note_call(key)} that"
                       " the source text does not have")
    broken = list((Counter(theirs.links) - Counter(ours.links)).elements())
    for href in broken:
        problems.error(path, line, f"the link to {href} is missing or broken in the"
                       f" translation: keep it as [text]({href})")
    if broken:
        return
    for char in DELIMITERS:
        if ours.literals[char] > theirs.literals[char]:
            problems.error(path, line, f"unbalanced Markdown: a '{char}' without its pair"
                           f" (close it, or write \\{char} for the character itself)")
            return


def _check_result(result: Translated, src: Segmented, source: m.Article,
                  entries: dict[str, Message], path: Path, problems: Problems) -> bool:
    """The article written from the PO file has the source's structure and passes the
    translation check; anything else is reported at the entry that caused it."""
    if result.article is None or result.problems.errors:
        for problem in result.problems.errors:
            problems.error(path, None, "the article written from this file would have an"
                           f" error: {problem.message} (line {problem.location.line})")
        return False
    mine = segmented(result.article, result.text)
    ours, theirs = mine.slots, src.slots
    for slot, segment in theirs.items():
        other = ours.get(slot)
        if other is None or other.role != segment.role:
            entry = entries.get(segment.id)
            problems.error(path, entry.lineno if entry else None, "the translation changes the"
                           " Markdown structure (it starts a list, heading, quote or table,"
                           " or ends one): write it as running text")
            return False
    checked = Problems()
    resolve(result.article, checked)
    compare(result.article, source, checked)
    for problem in checked.errors:
        problems.error(path, None, "the article written from this file would have an error:"
                       f" {problem.message}")
    return not checked.errors


# --- mark current ------------------------------------------------------------------


def mark_current(workspace: Workspace, locale: str, slugs: Iterable[str],
                 problems: Problems) -> list[Path]:
    """Record that each translation, reviewed by hand, matches its source as it is now."""
    marked = []
    for slug in slugs:
        item = workspace.get(locale, slug)
        if item is None or item.article is None or not is_translation(item.article):
            problems.error(target_path(workspace.project, locale, slug), None,
                           "no translation to mark current")
            continue
        source = workspace.usable_source(locale, slug, problems)
        if source is None or source.article is None:
            continue
        found = Problems()
        found.extend(item.problems.errors)
        compare(item.article, source.article, found)
        kept = Problems()
        kept_differences(item.article, source.article, display_path(source.article.path), kept)
        for problem in kept.items:
            found.error(problem.location.path, problem.location.line,
                        problem.message.removeprefix("outdated: "))
        if found.items:
            problems.extend(found.items)
            problems.error(item.article.path, None, "not marked current: it does not match"
                           " its source yet (see above)")
            continue
        src = workspace.segmented(source)
        text = set_revision(workspace.session.text(item.article.path), src.digest,
                            item.article.path)
        write_atomic(item.article.path, text.encode("utf-8"))
        pofiles.write_record(
            pofiles.record_path(workspace.project, src.article.locale, slug, src.digest),
            src.segments, workspace.relative(src.article.path), src.digest)
        marked.append(item.article.path)
    return marked


# --- status ------------------------------------------------------------------------


def status(workspace: Workspace) -> list[str]:
    """`es/muscle-spasms: complete`, one line per original article and other locale."""
    lines = []
    locales = workspace.locales()
    for slug, original in sorted(workspace.originals().items()):
        for locale in locales:
            item = workspace.get(locale, slug)
            if locale == original.source.locale or (
                    item is not None and item.article is not None
                    and not is_translation(item.article)):
                continue
            lines.append(f"{locale}/{slug}: {_state(workspace, locale, slug, item)}")
    return lines


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def _state(workspace: Workspace, locale: str, slug: str, item: Loaded | None) -> str:
    source = workspace.source_of(locale, slug)
    if item is not None:
        if item.article is None:
            return "incomplete (it does not load: see `publish.py check`)"
        if item.problems.errors:
            if source is None or source.article is None:
                return "incomplete (see `publish.py check`)"
            gone = set(workspace.segmented(source).slots) - set(
                workspace.segmented(item).slots)
            if gone:
                return f"incomplete ({len(gone)} missing)"
            return f"incomplete ({_plural(len(item.problems.errors), 'problem')}: see" \
                " `publish.py check`)"
        state = workspace.currency.get(item.article.path)
        if state is None or not state.outdated:
            return "complete"
        if state.count is None:
            return "outdated (not recorded)"
        return f"outdated ({_plural(state.count, 'segment')})"
    path = pofiles.po_path(workspace.project, locale, slug)
    if path.is_file() and source is not None and source.article is not None:
        catalog = pofiles.read(path, Problems())
        done = pofiles.by_context(catalog) if catalog is not None else {}
        segments = workspace.segmented(source).segments
        missing = [s for s in segments if not pofiles.is_done(done.get(s.id), s)]
        return f"incomplete ({len(missing)} missing)"
    return "missing"


