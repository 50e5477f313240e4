"""The translation workflow's files, read and written by Babel's `pofile` (no PO syntax here).

- `translations/<locale>/<slug>.po` — what a translator works on, in Poedit, Weblate,
  Crowdin or Phrase: one entry per segment (`msgctxt` = the segment id).
- `translations/<source-locale>/<slug>.<digest>.pot` — the *record* of the source as a
  translation was made from it: the segment texts whose digest the translation keeps
  in `translated_from`. When the source changes, comparing it with this record tells
  which segments changed, and gives a PO file's `#| msgid` (the previous source text)
  that Poedit and Weblate show as a diff. Named by its digest, so it is written once,
  shared by every translation made from the same source, and cannot go stale.

Files are rewritten only when their content changed: a new creation date alone is no
change (no churn in version control).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from io import BytesIO
from pathlib import Path

from babel.messages.catalog import Catalog, Message
from babel.messages.pofile import PoFileError, read_po, write_po

from pressroom.core.errors import Problems, display_path
from pressroom.core.project import Project
from pressroom.core.writing import write_atomic
from pressroom.translation.segments import Segment

FOLDER = "translations"
#: Entries are written one line each (like `msgcat --no-wrap`): Babel wraps a long
#: `#| msgid` comment into lines that are not valid PO, and a one-line entry gives a
#: one-line diff when a translator changes it.
NO_WRAP = 1 << 20
#: Header lines that change on every write without anything else changing.
_DATES = re.compile(rb'^"(?:POT-Creation-Date|PO-Revision-Date): [^"\n]*\\n"\n', re.MULTILINE)
#: Formats Babel guesses from the text ("50% of" looks like Python's %-format): articles
#: are not format strings, and translators' tools would check them as if they were.
_GUESSED_FLAGS = ("python-format", "python-brace-format")


def folder(project: Project) -> Path:
    return project.root / FOLDER


def po_path(project: Project, locale: str, slug: str) -> Path:
    return folder(project) / locale / f"{slug}.po"


def record_path(project: Project, source_locale: str, slug: str, digest: str) -> Path:
    return folder(project) / source_locale / f"{slug}.{digest}.pot"


def catalog_locale(locale: str) -> str:
    return locale.replace("-", "_")


def add(catalog: Catalog, segment: Segment, string: str = "", *, location: str = "",
        comments: list[str] | None = None, fuzzy: bool = False, previous: str = "",
        user_comments: list[str] | None = None) -> Message:
    """One segment's entry: its id as msgctxt, its text as msgid."""
    message = catalog.add(
        segment.text, string, locations=[(location, segment.line)] if location else [],
        auto_comments=comments or [], user_comments=user_comments or [],
        previous_id=previous or (), context=segment.id,
        flags=("fuzzy",) if fuzzy else ())
    assert message is not None
    for flag in _GUESSED_FLAGS:
        message.flags.discard(flag)
    return message


def by_context(catalog: Catalog) -> dict[str, Message]:
    return {str(m.context): m for m in catalog if m.id and m.context}


def read(path: Path, problems: Problems) -> Catalog | None:
    """A PO file, or None with the problem reported at its line."""
    try:
        with path.open("rb") as handle:
            return read_po(handle, abort_invalid=True)
    except PoFileError as exc:
        reason = str(exc).rsplit(" on ", 1)[0]
        problems.error(path, exc.lineno + 1, f"not a valid PO file: {reason}")
    except UnicodeDecodeError:
        problems.error(path, None, "not a valid PO file: it is not UTF-8 text")
    except OSError as exc:
        problems.error(path, None, f"cannot read file: {exc.strerror}")
    return None


def serialize(catalog: Catalog) -> bytes:
    buffer = BytesIO()
    write_po(buffer, catalog, width=NO_WRAP, sort_output=False, include_previous=True)
    return buffer.getvalue()


def same_but_dates(old: bytes, new: bytes) -> bool:
    return _DATES.sub(b"", old) == _DATES.sub(b"", new)


def write(path: Path, data: bytes) -> bool:
    """Write unless the file already says the same; True when written."""
    try:
        if same_but_dates(path.read_bytes(), data):
            return False
    except OSError:
        pass
    write_atomic(path, data)
    return True


# --- the translation as exported ------------------------------------------------------

#: The header comment line that says what the Markdown translation said for each entry
#: when the PO file was exported (a short hash per segment id), so an import tells a
#: translator's change to an entry from a later edit of the Markdown and never
#: overwrites the second with the first.
BASE_TAG = "Markdown as exported (do not edit):"
_BASE_LINE = re.compile(rb"^# " + re.escape(BASE_TAG.encode()) + rb"[^\n]*$", re.MULTILINE)


def short_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:8]


def base_line(hashes: Mapping[str, str]) -> str:
    """`# Markdown as exported (do not edit): lead:p1=1a2b3c4d meta:title=…`"""
    pairs = " ".join(f"{key}={value}" for key, value in hashes.items())
    return f"# {BASE_TAG} {pairs}".rstrip()


def read_base(catalog: Catalog) -> dict[str, str] | None:
    """Each entry's hash of the Markdown's text at export; None for a PO file written
    without the line (by hand, or before it existed)."""
    for line in (catalog.header_comment or "").splitlines():
        if line.startswith(f"# {BASE_TAG}"):
            pairs = line.removeprefix(f"# {BASE_TAG}").split()
            return dict(pair.rpartition("=")[::2] for pair in pairs if "=" in pair)
    return None


def replace_base(path: Path, hashes: Mapping[str, str]) -> None:
    """After an import, the PO file's line says which Markdown text each entry agrees
    with now (only that line changes: the translator's file stays as their tool wrote
    it)."""
    data = path.read_bytes()
    line = base_line(hashes).encode("utf-8")
    new = _BASE_LINE.sub(lambda _: line, data, count=1)
    if new != data:
        write_atomic(path, new)


# --- the record of the source as translated -------------------------------------------


def relative(project: Project, path: Path) -> str:
    """A project file as PO comments name it: `source/en/muscle-spasms.md`."""
    try:
        return path.resolve().relative_to(project.root).as_posix()
    except ValueError:
        return display_path(path)


def write_record(path: Path, segments: list[Segment], source: str, digest: str) -> bool:
    """The source's segments as a template; written once (its name is its digest)."""
    if path.is_file():
        return False
    catalog = Catalog(project="Pressroom", fuzzy=False, header_comment=(
        f"# {source} as translated: the segments whose digest is {digest}.\n"
        "# Written by `python publish.py translations`; kept while a translation records\n"
        "# this digest in `translated_from`, to tell which segments changed since."))
    for segment in segments:
        add(catalog, segment, location=source)
    write_atomic(path, serialize(catalog))
    return True


def read_record(path: Path) -> list[Segment] | None:
    """The segments of a record, in order; None if it is missing or unreadable."""
    problems = Problems()
    catalog = read(path, problems) if path.is_file() else None
    if catalog is None:
        return None
    return [Segment(str(m.context), str(m.id), m.locations[0][1] if m.locations else 0)
            for m in catalog if m.id and m.context]


def translated_texts(catalog: Catalog, segments: list[Segment]) -> dict[str, str]:
    """The translations a PO file has finished for the source as it is now: not empty,
    not fuzzy, and made from the segment's current text."""
    done = by_context(catalog)
    return {s.id: str(done[s.id].string) for s in segments if is_done(done.get(s.id), s)}


def is_done(message: Message | None, segment: Segment) -> bool:
    return (message is not None and bool(message.string) and not message.fuzzy
            and message.id == segment.text)
