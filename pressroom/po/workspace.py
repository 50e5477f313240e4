"""The translation workflow's shared ground, and its two small verbs.

`Workspace` loads and checks every article of the project once for the verbs
(po_export.py, po_import.py and below); `mark_current` records that a translation edited
by hand and reviewed matches its source as it is now; `status` says, per article and
locale, complete / outdated (N segments) / incomplete (N missing) / missing.

    python publish.py translations status
    python publish.py translations export --locale es muscle-spasms   (po_export.py)
    python publish.py translations import --locale es muscle-spasms   (po_import.py)
    python publish.py translations mark-current --locale es muscle-spasms

Nothing here prints: results and problems go back to the command line.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from pressroom.content import frontmatter
from pressroom.content.frontmatter import REVISION
from pressroom.content.markup_text import retarget_links
from pressroom.content.sources import Loaded
from pressroom.core.errors import Problems, display_path
from pressroom.core.project import Project
from pressroom.core.writing import write_atomic
from pressroom.session.caches import Session
from pressroom.translation import pofiles
from pressroom.translation.compose import set_revision
from pressroom.translation.currency import CURRENT, Currency, assess_all, kept_differences
from pressroom.translation.drafts import po_locales
from pressroom.translation.origin import DEFAULT_SOURCE, is_translation, source_locale
from pressroom.translation.segments import Segment, Segmented, section_order, slot_of
from pressroom.translation.status import compare


class Workspace:
    """Every article of the project, loaded and checked once, for the verbs below."""

    def __init__(self, project: Project) -> None:
        self.project = project
        self.session = Session(project)
        self.problems = Problems()
        sources = self.session.sources(self.problems)
        self.loaded, _ = self.session.select(sources)
        self._by_key = {(i.source.locale, i.source.slug): i for i in self.loaded}

    @cached_property
    def currency(self) -> dict[Path, Currency]:
        return assess_all(self.loaded, self.session.segmented, self.project)

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
        return self.session.segmented(item.article)

    def locales(self) -> list[str]:
        """Locales with articles or with PO files in translations/."""
        return sorted({item.source.locale for item in self.loaded}
                      | set(po_locales(self.project)))

    def usable_source(self, locale: str, slug: str, problems: Problems) -> Loaded | None:
        source = self.source_of(locale, slug)
        if source is None or source.article is None:
            problems.error(self.project.source_dir / locale / f"{slug}.md", None,
                           f"no source article '{slug}' to translate into '{locale}'")
            return None
        if source.problems.errors:
            problems.extend(source.problems.errors)
            return None
        return source

    def relative(self, path: Path) -> str:
        return pofiles.relative(self.project, path)


@dataclass(frozen=True)
class Counterpart:
    """A source segment's translation as the Markdown in source/ has it now."""

    segment: Segment
    #: Its text as the PO file shows it: links to headings point at the source's ids.
    text: str
    #: The source segment changed since this translation was made.
    changed: bool
    #: The source text it translates, when that changed.
    previous: str = ""


@dataclass(frozen=True)
class Aligned:
    """A translation in source/ and, for each segment of its source now, its own."""

    translation: Segmented
    by_source: dict[str, Counterpart]
    source: Segmented

    @property
    def complete(self) -> bool:
        """Every segment of the source has one of the translation's, and every one of the
        translation's is used: the two have the same structure, so a segment can be
        changed in place."""
        used = {c.segment.id for c in self.by_source.values()}
        return (set(self.by_source) == {s.id for s in self.source.segments}
                and used == {s.id for s in self.translation.segments})


def align(workspace: Workspace, locale: str, slug: str, src: Segmented) -> Aligned | None:
    """Pair each segment of the source now with the translation's segment that translates
    it: through the record of the source as translated where there is one (so a changed
    source segment finds its old translation), else by slot."""
    item = workspace.get(locale, slug)
    if item is None or item.article is None or item.problems.errors:
        return None
    mine = workspace.segmented(item)
    theirs = mine.slots
    anchors_mine, anchors_src = mine.anchors(), src.anchors()
    back = dict(zip(anchors_mine, anchors_src, strict=True)) \
        if len(anchors_mine) == len(anchors_src) else {}
    state = workspace.currency.get(item.article.path)
    found: dict[str, Counterpart] = {}
    if state is not None and state.comparison is not None and state.record is not None:
        order = section_order(state.record)
        for segment in src.segments:
            old = state.comparison.counterpart.get(segment.id)
            own = theirs.get(slot_of(old, order)) if old is not None else None
            if own is not None:
                changed = segment.id in state.comparison.changed
                found[segment.id] = Counterpart(own, retarget_links(own.text, back), changed,
                                                old.text if changed and old else "")
        return Aligned(mine, found, src)
    current = state is not None and state.state == CURRENT
    for slot, segment in src.slots.items():
        own = theirs.get(slot)
        if own is not None:
            found[segment.id] = Counterpart(own, retarget_links(own.text, back), not current)
    return Aligned(mine, found, src)


def target_path(project: Project, locale: str, slug: str) -> Path:
    return project.source_dir / locale / f"{slug}.md"


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
            problems.extend(list(dict.fromkeys(found.items)))
            problems.error(item.article.path, None, "not marked current: it does not match"
                           " its source yet (see above)")
            continue
        src = workspace.segmented(source)
        text = set_revision(workspace.session.text(item.article.path), src.digest,
                            item.article.path)
        write_atomic(item.article.path, text.encode("utf-8"))
        keep_record(workspace, src)
        marked.append(item.article.path)
    return marked


def keep_record(workspace: Workspace, src: Segmented) -> None:
    """Write the record of the source as translated now, and remove the records of its
    earlier versions that no translation refers to any more."""
    project, article = workspace.project, src.article
    pofiles.write_record(pofiles.record_path(project, article.locale, article.slug, src.digest),
                         src.segments, workspace.relative(article.path), src.digest)
    referenced = {_recorded(path) for path in project.source_dir.glob(f"*/{article.slug}.md")}
    for record in (pofiles.folder(project) / article.locale).glob(f"{article.slug}.*.pot"):
        digest = record.name.removeprefix(f"{article.slug}.").removesuffix(".pot")
        if REVISION.fullmatch(digest) and digest not in referenced:
            record.unlink()


def _recorded(path: Path) -> str:
    """The `translated_from` an article's file says now."""
    try:
        text = path.read_text("utf-8-sig")
    except (OSError, UnicodeDecodeError):
        return ""
    split = frontmatter.split(text, path, Problems())
    values = frontmatter.scalars(split) if split is not None else []
    return next((v.value for v in values if v.path == ("translated_from",)), "")


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
        if state is None:
            return "not checked (its source has errors: see `publish.py check`)"
        if not state.outdated:
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


