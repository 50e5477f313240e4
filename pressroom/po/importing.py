"""`translations import`: a PO file back into a translated article in source/.

The article is written from the source's own text (compose.py) with each segment's
translation, only when every segment is translated and nothing is wrong; then its
`translated_from` is recorded, with the record of the source as translated. Every
problem is reported at the PO file's line of the entry that causes it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from babel.messages.catalog import Message

from pressroom.content import model as m
from pressroom.content.markup_text import (
    TextUnit,
    retarget_links,
)
from pressroom.content.resolve import resolve
from pressroom.content.sources import Loaded, SourceFile
from pressroom.core.errors import Problems, display_path
from pressroom.core.writing import write_atomic
from pressroom.po.workspace import Aligned, Workspace, align, keep_record, target_path
from pressroom.translation import pofiles
from pressroom.translation.compose import Translated, translated
from pressroom.translation.entries import check_entry, segment_at, units
from pressroom.translation.segments import Segment, Segmented
from pressroom.translation.status import compare


@dataclass(frozen=True)
class Imported:
    path: Path
    #: False when the article already said everything the PO file says.
    written: bool


def import_(workspace: Workspace, locale: str, slugs: Iterable[str], problems: Problems
            ) -> list[Imported]:
    done = []
    for slug in slugs:
        path = pofiles.po_path(workspace.project, locale, slug)
        if not path.is_file():
            problems.error(path, None, "no PO file to import: write one with `python"
                           f" publish.py translations export --locale {locale} {slug}`")
            continue
        source = workspace.usable_source(locale, slug, problems)
        if source is None:
            continue
        result = _import(workspace, locale, slug, source, path, problems)
        if result is not None:
            done.append(result)
    return done


def _import(workspace: Workspace, locale: str, slug: str, source: Loaded, path: Path,
            problems: Problems) -> Imported | None:
    catalog = pofiles.read(path, problems)
    if catalog is None:
        return None
    src = workspace.segmented(source)
    where = display_path(src.article.path)
    found = Problems()
    entries = pofiles.by_context(catalog)
    texts = _translations(src, entries, path, where, locale, slug, found)
    if found.items:
        problems.extend(found.items)
        return None
    target = SourceFile(target_path(workspace.project, locale, slug), locale, slug)
    roots = workspace.project.allowed_roots
    aligned = align(workspace, locale, slug, src)
    if aligned is not None and aligned.complete:
        # The Markdown is the file of record: only what the PO file changes is rewritten.
        edits, final = _merge(src, aligned, texts, pofiles.read_base(catalog), entries, path,
                              found)
        if found.items:
            problems.extend(found.items)
            return None
        forward = _forward(src.anchors(), aligned.translation.anchors())
        edits = {key: retarget_links(text, forward) for key, text in edits.items()}
        result = translated(aligned.translation, edits, target, roots, src.digest,
                            only_given=True)
    else:
        if target.path.is_file():
            why = "the source gained or lost segments since this translation was made" \
                if aligned is not None else "the translation in source/ does not load"
            problems.warning(target.path, None, f"written anew from the source's text ({why}):"
                             " comments in the translation and the wrapping of its lines are"
                             " not kept; compare with `git diff`")
        final = {key: pofiles.short_hash(text) for key, text in texts.items()}
        result = translated(src, texts, target, roots, src.digest)
    if not _check_result(result, src, source.article, entries, path, found):
        problems.extend(found.items)
        return None
    data = result.text.encode("utf-8")
    written = not target.path.is_file() or target.path.read_bytes() != data
    if written:
        write_atomic(target.path, data)
    keep_record(workspace, src)
    pofiles.replace_base(path, final)
    return Imported(target.path, written)


def _merge(src: Segmented, aligned: Aligned, texts: dict[str, str],
           base: dict[str, str] | None, entries: dict[str, Message], path: Path,
           problems: Problems) -> tuple[dict[str, str], dict[str, str]]:
    """A three-way merge, segment by segment, of the Markdown now (ours), the PO file
    (theirs) and the Markdown as exported (the PO file's hashes): the PO file's text
    where only it changed, the Markdown's where only it changed, one error per segment
    where both did. Returns the edits (by the translation's segment ids) and, for the PO
    file's next import, the hash of the Markdown text each entry now agrees with (an
    entry whose Markdown edit stands keeps its old one: it still disagrees)."""
    md = display_path(aligned.translation.article.path)
    edits: dict[str, str] = {}
    final: dict[str, str] = {}
    for segment in src.segments:
        theirs, counterpart = texts[segment.id], aligned.by_source[segment.id]
        ours = counterpart.text
        final[segment.id] = pofiles.short_hash(ours)
        if theirs == ours:
            continue
        exported = base.get(segment.id, "") if base is not None else pofiles.short_hash(ours)
        if pofiles.short_hash(theirs) == exported:
            final[segment.id] = exported  # changed in the Markdown only: that edit stands
            continue
        if pofiles.short_hash(ours) == exported:
            edits[counterpart.segment.id] = theirs
            final[segment.id] = pofiles.short_hash(theirs)
            continue
        problems.error(path, entries[segment.id].lineno, f"conflict: this entry and"
                       f" {md}:{counterpart.segment.line} both changed since the export:"
                       " make them say the same (edit one of the two), then import again")
    return edits, final


def _forward(source: list[str], translation: list[str]) -> dict[str, str]:
    """Links to the source's headings, as a PO file has them, pointed at the
    translation's headings as they are before the import."""
    return dict(zip(source, translation, strict=True)) if len(source) == len(translation) \
        else {}


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
        if not str(entry.string).strip() or entry.fuzzy:
            untranslated.append(entry)
            continue
        text = str(entry.string)
        check_entry(segment, text, path, entry.lineno, problems)
        texts[segment.id] = text
    if untranslated:
        problems.error(path, untranslated[0].lineno, f"{len(untranslated)} of"
                       f" {len(src.segments)} segments are not translated yet (empty or fuzzy;"
                       " the first is on this line): nothing is written until every segment"
                       " is; to read it in context, build a draft: `python publish.py build"
                       f" --draft --locale {locale} {slug}`")
    return texts


def _check_result(result: Translated, src: Segmented, source: m.Article,
                  entries: dict[str, Message], path: Path, problems: Problems) -> bool:
    """The article written from the PO file has the source's structure and passes every
    check of a build; each problem is reported at the entry that caused it."""
    ours, theirs = units(result.text), units(src.text)
    body = [s for s in src.segments if s.unit is not None]
    if [_shape(u) for u in ours] != [_shape(u) for u in theirs]:
        index = next((i for i, (a, b) in enumerate(zip(ours, theirs, strict=False))
                      if _shape(a) != _shape(b)), min(len(ours), len(theirs)))
        segment = body[min(index, len(body) - 1)]
        problems.error(path, _line(entries, segment), "the translation changes the Markdown"
                       " structure (it starts a list, heading, quote or table, or ends one):"
                       " write it as running text")
        return False
    found = Problems(list(result.problems.errors))
    if result.article is not None and not found.items:
        resolve(result.article, found)
        compare(result.article, source, found)
    for problem in found.errors:
        segment = segment_at(result.text, src, problem.location.line)
        where = _line(entries, segment) if segment is not None else None
        problems.error(path, where, f"the translation makes an error in the article:"
                       f" {problem.message}")
    return not found.errors


def _shape(unit: TextUnit) -> tuple[object, ...]:
    return (unit.block_type, unit.role, unit.note, unit.level, unit.cell)


def _line(entries: dict[str, Message], segment: Segment) -> int | None:
    entry = entries.get(segment.id)
    return entry.lineno if entry is not None else None
