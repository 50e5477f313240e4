"""`translations import`: a PO file back into a translated article in source/.

The article is written from the source's own text (compose.py) with each segment's
translation, only when every segment is translated and nothing is wrong; then its
`translated_from` is recorded, with the record of the source as translated. Every
problem is reported at the PO file's line of the entry that causes it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from pathlib import Path

from babel.messages.catalog import Message

from . import model as m
from . import pofiles
from .compose import Translated, translated
from .errors import Problems, display_path
from .markup_text import DELIMITERS, inline_facts, note_call
from .resolve import resolve
from .segments import Segment, Segmented, segmented
from .sources import Loaded, SourceFile
from .translate import Workspace, keep_record, target_path
from .translations import compare
from .writing import write_atomic


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
    keep_record(workspace, src)
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


