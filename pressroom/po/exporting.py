"""`translations export`: an article's segments as a PO file for translators.

One entry per segment of the source (`msgctxt` = segment id, `#:` its line, `#.` what to
keep: note calls with the note's text, links, code), prefilled from the translation in
source/ where it is current; where the source changed since, the entry is fuzzy with the
previous source text (`#| msgid`, from the record of the source as translated). What the
PO file already says for new and changed segments — a translator's work in progress, and
their comments — is kept: the Markdown translation is the one of record, the PO file the
working copy. Written only when its content changed.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from babel import Locale
from babel.messages.catalog import Catalog, Message

from pressroom.content import model as m
from pressroom.content.markup_text import inline_facts, note_call
from pressroom.content.sources import Loaded
from pressroom.core.errors import Problems
from pressroom.po.workspace import Workspace, align
from pressroom.translation import pofiles
from pressroom.translation.segments import Segment, Segmented


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
    base = {key: pofiles.short_hash(entry.string) for key, entry in entries.items()}
    path = pofiles.po_path(workspace.project, locale, slug)
    old = pofiles.read(path, problems) if path.is_file() else None
    if old is not None:
        _keep_working_copy(entries, src, pofiles.by_context(old), base,
                           pofiles.read_base(old))
    catalog = _catalog(workspace, locale, src, old, base)
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
    aligned = align(workspace, locale, slug, src)
    if aligned is None:
        return {}
    return {key: _Entry(c.text, c.changed, c.previous)
            for key, c in aligned.by_source.items()}


def _keep_working_copy(entries: dict[str, _Entry], src: Segmented,
                       old: dict[str, Message], base: dict[str, str],
                       old_base: dict[str, str] | None) -> None:
    """What the PO file already says wins, except where the translation in source/ is
    current (it is the reviewed text) and the entry was not changed since the last export
    or import: a translator's work on new and changed segments, and their edits not yet
    imported, are kept (fuzzy when the Markdown changed too), and so are their comments.
    `base` (the hashes written in the header) keeps the old hash for an entry kept so,
    so the next import still tells the two apart."""
    for segment in src.segments:
        message = old.get(segment.id)
        if message is None:
            continue
        entry = entries.setdefault(segment.id, _Entry())
        entry.user_comments = [c for c in message.user_comments if not c.startswith("|")]
        if not message.string:
            continue
        if entry.string and not entry.fuzzy:
            string = str(message.string)
            before = (old_base or {}).get(segment.id)
            if (string != entry.string and before is not None and message.id == segment.text
                    and pofiles.short_hash(string) != before):
                # Translated in the PO file since, not imported yet: kept for the import.
                entry.fuzzy = message.fuzzy or pofiles.short_hash(entry.string) != before
                entry.string = string
                base[segment.id] = before
            continue
        if message.id == segment.text:
            entry.string, entry.fuzzy = str(message.string), message.fuzzy
            entry.previous = entry.previous if message.fuzzy else ""
        else:
            entry.string, entry.fuzzy, entry.previous = str(message.string), True, str(
                message.id)


def _catalog(workspace: Workspace, locale: str, src: Segmented, old: Catalog | None,
             base: dict[str, str]) -> Catalog:
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
            f" {src.article.slug}\n"
            f"{pofiles.base_line(base)}"))
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
