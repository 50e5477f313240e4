"""The load stage: find `source/<locale>/<slug>.md` files and read each into an Article.

Each file is read on its own (as Pelican's readers do) so that one broken article
reports its errors without hiding the others' output.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from markdown_it import MarkdownIt

from pressroom.content import frontmatter
from pressroom.content import model as m
from pressroom.content.images import AssetPolicy
from pressroom.content.markup import make_parser, parse_body
from pressroom.content.outline import GENERATED_HEADINGS, build_outline
from pressroom.core.errors import Problems, display_path
from pressroom.core.locales import check_locale

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


#: Endings of files that look like articles but are not read (only `.md` is).
NEAR_MISSES = (".markdown", ".mdown", ".mkd", ".mkdn", ".txt", ".text")


def discover(source_dir: Path, problems: Problems) -> list[SourceFile]:
    """Every article under source_dir; badly named folders and files are reported, not read.

    Files that look like articles but would be skipped (`heartburn.markdown`, `Notes.MD`,
    an article outside a locale folder) get a warning each, so none is left out silently.
    """
    if not source_dir.is_dir():
        problems.error(source_dir, None, "source folder not found")
        return []
    found = []
    for path in sorted(p for p in source_dir.iterdir() if p.is_file()):
        if _looks_like_article(path):
            problems.warning(path, None, f"'{path.name}' is not read: move it into a locale"
                             f" folder, e.g. {display_path(source_dir / 'en' / _renamed(path))}")
    for folder in sorted(p for p in source_dir.iterdir() if p.is_dir()):
        if folder.name in SHARED_FOLDERS or folder.name.startswith((".", "_")):
            continue
        reason = check_locale(folder.name)
        if reason:
            problems.error(folder, None, reason)
            continue
        # Hidden files are editors' (`.#a.md` locks, swap files): not articles.
        for path in sorted(p for p in folder.iterdir()
                           if p.is_file() and not p.name.startswith(".")):
            if path.suffix != ".md":
                if _looks_like_article(path):
                    problems.warning(path, None, f"'{path.name}' is not read: only .md files"
                                     f" are articles (rename it '{_renamed(path)}')")
                continue
            if not SLUG.match(path.stem):
                problems.error(
                    path, None,
                    f"'{path.name}' is not a valid article name: use lowercase letters, digits"
                    f" and hyphens (rename it '{_renamed(path)}')",
                )
                continue
            found.append(SourceFile(path, folder.name, path.stem))
    return found


def _looks_like_article(path: Path) -> bool:
    return not path.name.startswith(".") and path.suffix.lower() in (".md", *NEAR_MISSES)


def _renamed(path: Path) -> str:
    """The name the file should have: `Muscle Spasms.MD` → `muscle-spasms.md`."""
    stem = re.sub(r"[^a-z0-9]+", "-", path.stem.lower()).strip("-") or "article"
    return f"{stem}.md"


@dataclass(slots=True)
class Loaded:
    """One source file after the load stage: its article (None if unusable) and problems."""

    source: SourceFile
    article: m.Article | None
    problems: Problems
    #: A draft (translation/drafts.py): made from its source with the translation where it is done.
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
    generated: Iterable[str] = GENERATED_HEADINGS,
    on_disk: bool = True,
) -> m.Article | None:
    """Read one article; every problem goes to `problems`, None if the article is unusable.

    `generated`: the headings the layouts write themselves, in the article's language
    (see outline.build_outline). `on_disk`: False where the project's files are not (a
    cluster's worker, given `data`): its images are then checked where they are
    (content/elsewhere.py)."""
    path = source.path
    text = read_text(path, problems, data)
    if text is None:
        return None
    split = frontmatter.split(text, path, problems)
    if split is None:
        return None
    parsed_meta = frontmatter.parse(split, path, problems)
    assets = asset_policy(path, allowed_roots, on_disk)
    body = parse_body(split.body, path, problems, assets, md or make_parser())
    lead, sections = build_outline(body.blocks, path, problems, generated)
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


def asset_policy(path: Path, allowed_roots: tuple[Path, ...], on_disk: bool = True
                 ) -> AssetPolicy:
    """Where the images of the article at `path` may come from (content/images.py)."""
    return AssetPolicy(path.parent.resolve(), allowed_roots,
                       (path.parent / path.stem).resolve(), on_disk)
