"""The load stage: find `source/<locale>/<slug>.md` files and read each into an Article.

Each file is read on its own (as Pelican's readers do) so that one broken article
reports its errors without hiding the others' output.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from markdown_it import MarkdownIt

from . import frontmatter
from . import model as m
from .errors import Problems
from .images import AssetPolicy
from .locales import check_locale
from .markup import make_parser, parse_body
from .outline import build_outline

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
#: C0 controls other than tab, newline and carriage return, DEL, and C1 controls.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
#: Folders under source/ that hold shared files rather than a locale's articles.
SHARED_FOLDERS = frozenset({"assets"})


@dataclass(frozen=True, slots=True)
class SourceFile:
    path: Path
    locale: str
    slug: str


def discover(source_dir: Path, problems: Problems) -> list[SourceFile]:
    """Every article under source_dir; badly named folders and files are reported, not read."""
    if not source_dir.is_dir():
        problems.error(source_dir, None, "source folder not found")
        return []
    found = []
    for folder in sorted(p for p in source_dir.iterdir() if p.is_dir()):
        if folder.name in SHARED_FOLDERS or folder.name.startswith((".", "_")):
            continue
        reason = check_locale(folder.name)
        if reason:
            problems.error(folder, None, reason)
            continue
        for path in sorted(folder.glob("*.md")):
            if not SLUG.match(path.stem):
                problems.error(
                    path, None,
                    f"'{path.name}' is not a valid article name: use lowercase letters, digits"
                    " and hyphens (e.g. muscle-spasms.md)",
                )
                continue
            found.append(SourceFile(path, folder.name, path.stem))
    return found


@dataclass(slots=True)
class Loaded:
    """One source file after the load stage: its article (None if unusable) and problems."""

    source: SourceFile
    article: m.Article | None
    problems: Problems
    #: A draft (drafts.py): made from its source with the translation where it is done.
    draft: bool = False
    #: Digest of the text it was read from when that is not its file's (a draft's).
    text_digest: str = ""


def read_text(path: Path, problems: Problems, data: bytes | None = None) -> str | None:
    """The article's text (`data`: its bytes, when the caller has read them already)."""
    if data is None:
        try:
            data = path.read_bytes()
        except OSError as exc:
            problems.error(path, None, f"cannot read file: {exc.strerror}")
            return None
    if not data.strip():
        problems.error(path, None, "file is empty")
        return None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        problems.error(path, line, "file is not UTF-8 text (save it as UTF-8)")
        return None
    control = _CONTROL.search(text)
    if control:
        # Invisible, and not allowed in XML: an EPUB could not carry the text.
        line = text.count("\n", 0, control.start()) + 1
        problems.error(path, line, f"control character U+{ord(control.group()):04X} in the"
                       " text (delete it; it is invisible in most editors)")
        return None
    return text


def load_article(
    source: SourceFile,
    allowed_roots: tuple[Path, ...],
    problems: Problems,
    md: MarkdownIt | None = None,
    data: bytes | None = None,
) -> m.Article | None:
    """Read one article; every problem goes to `problems`, None if the article is unusable."""
    path = source.path
    text = read_text(path, problems, data)
    if text is None:
        return None
    split = frontmatter.split(text, path, problems)
    if split is None:
        return None
    parsed_meta = frontmatter.parse(split, path, problems)
    assets = AssetPolicy(path.parent.resolve(), allowed_roots)
    body = parse_body(split.body, path, problems, assets, md or make_parser())
    lead, sections = build_outline(body.blocks, path, problems)
    if not lead and not sections:
        problems.error(path, None, "the article has no body text after the front matter")
    if parsed_meta is None:
        return None
    meta, checklist = parsed_meta
    return m.Article(
        path=path,
        locale=source.locale,
        slug=source.slug,
        meta=meta,
        lead=lead,
        sections=sections,
        notes=tuple(body.notes),
        checklist=checklist,
    )
