"""Draft builds: an outdated or unfinished translation, readable in context.

`build --draft` builds the chosen articles as usual, except translations that are not
current: an outdated translation (its source changed since it was made) and one begun in
a PO file but not imported yet. Those are made from their source segment by segment
(compose.py): the translation where it is done and current, the source's own text where
it is not — untranslated segments fall back to the source language, as gettext does
with fuzzy and empty entries. A draft is drafted from the translation's PO file when it
has one (the work in progress), otherwise from its Markdown; it says "Draft — not for
distribution" on every page and in the ebook's metadata.

Drafts go to a folder of their own (`drafts/`, or `--out`), never into `out/`: what a
clinic hands out, or a web edition publishes, can then never be a draft, and pruning and
the manifest of `out/` never see one. A drafts folder's manifest says it holds drafts,
and each kind of build refuses the other's folder (build/run.py).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from pressroom.content import model as m
from pressroom.content.markup_text import retarget_links
from pressroom.content.sources import Loaded, SourceFile
from pressroom.core.errors import Problems
from pressroom.core.locales import check_locale
from pressroom.core.project import Project
from pressroom.translation import pofiles
from pressroom.translation.compose import Translated, translated
from pressroom.translation.currency import CURRENT, Currency
from pressroom.translation.entries import check_entry, segment_at
from pressroom.translation.origin import DEFAULT_SOURCE, is_translation
from pressroom.translation.segments import Segmented, section_order, slot_of

DRAFTS = "drafts"


def drafts_dir(root: Path) -> Path:
    """Where `build --draft` writes unless told otherwise."""
    return root / DRAFTS


@dataclass(frozen=True, slots=True)
class PoSource(SourceFile):
    """A translation begun in a PO file that has no article in source/ yet."""

    po: Path = Path()


def po_sources(project: Project, sources: list[SourceFile]) -> list[SourceFile]:
    """A source per PO file of translations/ whose article is not in source/ yet."""
    have = {(s.locale, s.slug) for s in sources}
    slugs = {s.slug for s in sources}
    folder = pofiles.folder(project)
    found: list[SourceFile] = []
    for locale_dir in sorted(folder.iterdir()) if folder.is_dir() else ():
        if not locale_dir.is_dir() or check_locale(locale_dir.name):
            continue
        for po in sorted(locale_dir.glob("*.po")):
            if po.stem in slugs and (locale_dir.name, po.stem) not in have:
                path = project.source_dir / locale_dir.name / f"{po.stem}.md"
                found.append(PoSource(path, locale_dir.name, po.stem, po))
    return found


def po_locales(project: Project) -> list[str]:
    """Locales with a PO file in translations/ (a translation begun or in progress)."""
    folder = pofiles.folder(project)
    return sorted(p.name for p in folder.iterdir() if p.is_dir() and not check_locale(p.name)
                  and any(p.glob("*.po"))) if folder.is_dir() else []


def make(loaded: list[Loaded], chosen: list[SourceFile], currency: dict[Path, Currency],
         segmented_of: Callable[[m.Article], Segmented], project: Project) -> list[Loaded]:
    """`loaded` with each chosen outdated translation replaced by its draft, and a draft
    for each chosen translation only begun in a PO file (a `PoSource`)."""
    drafter = _Drafter(loaded, segmented_of, project)
    wanted = set(chosen)
    begun = [s for s in chosen if isinstance(s, PoSource)]
    out = []
    for item in loaded:
        state = currency.get(item.article.path) if item.article is not None else None
        if (item.source not in wanted or state is None or not state.outdated
                or item.problems.errors):
            out.append(item)
            continue
        po = pofiles.po_path(project, item.source.locale, item.source.slug)
        if po.is_file():
            out.append(drafter.from_po(item.source, po, state.source, item.problems))
        else:
            out.append(drafter.draft(item.source, state.source, _from_article(state),
                                     item.problems))
    for source in begun:
        original = drafter.original(source.slug)
        if original is None:
            continue
        out.append(drafter.from_po(source, source.po, drafter.segmented(original), Problems()))
    return out


class _Drafter:
    def __init__(self, loaded: list[Loaded], segmented_of: Callable[[m.Article], Segmented],
                 project: Project) -> None:
        self.loaded = loaded
        self.segmented_of = segmented_of
        self.project = project

    def original(self, slug: str) -> Loaded | None:
        found = [i for i in self.loaded if i.source.slug == slug and i.article is not None
                 and not is_translation(i.article) and not i.problems.errors]
        return next((i for i in found if i.source.locale == DEFAULT_SOURCE),
                    found[0] if found else None)

    def segmented(self, item: Loaded) -> Segmented:
        assert item.article is not None
        return self.segmented_of(item.article)

    def from_po(self, source: SourceFile, po: Path, src: Segmented, problems: Problems
                ) -> Loaded:
        """A draft from a PO file's finished entries. An entry that breaks what it must
        keep (a note call, a link) is reported at its line in the PO file — the place to
        fix it — and the source's text stands in for it; so is every problem of the
        article drafted, since its file does not exist yet."""
        found = Problems(list(problems.items))
        catalog = pofiles.read(po, found)
        if catalog is None:
            return Loaded(source, None, found, draft=True)
        entries = pofiles.by_context(catalog)
        texts = {}
        for segment in src.segments:
            message = entries.get(segment.id)
            if not pofiles.is_done(message, segment):
                continue
            assert message is not None
            wrong = Problems()
            check_entry(segment, str(message.string), po, message.lineno, wrong)
            for problem in wrong.items:
                found.warning(po, message.lineno, f"{problem.message} (the draft shows the"
                              " source's text here)")
            if not wrong.items:
                texts[segment.id] = str(message.string)
        result = translated(src, texts, SourceFile(source.path, source.locale, source.slug),
                            self.project.allowed_roots)
        for problem in result.problems.items:
            segment = segment_at(result.text, src, problem.location.line)
            message = entries.get(segment.id) if segment is not None else None
            line = message.lineno if message is not None and segment.id in texts else None
            report = found.error if problem.severity == "error" else found.warning
            report(po, line, problem.message)
        return self._loaded(source, result, found)

    def draft(self, source: SourceFile, src: Segmented, texts: dict[str, str],
              problems: Problems) -> Loaded:
        result = translated(src, texts, SourceFile(source.path, source.locale, source.slug),
                            self.project.allowed_roots)
        found = Problems(list(problems.items))
        found.extend(result.problems.items)
        return self._loaded(source, result, found)

    @staticmethod
    def _loaded(source: SourceFile, result: Translated, found: Problems) -> Loaded:
        digest = hashlib.sha256(result.text.encode("utf-8")).hexdigest()
        return Loaded(source, result.article, found, draft=True, text_digest=digest)


def _from_article(state: Currency) -> dict[str, str]:
    """The translation's text of each segment that is still current."""
    mine = state.translation.slots
    back = dict(zip(state.translation.anchors(), state.source.anchors(), strict=False))
    pairs = {}
    if state.state == CURRENT or state.comparison is None or state.record is None:
        order = section_order(state.source.segments)
        pairs = {s.id: mine.get(slot_of(s, order)) for s in state.source.segments}
    else:
        order = section_order(state.record)
        for segment in state.source.segments:
            old = state.comparison.counterpart.get(segment.id)
            if old is not None and segment.id not in state.comparison.changed:
                pairs[segment.id] = mine.get(slot_of(old, order))
    return {key: retarget_links(found.text, back) for key, found in pairs.items()
            if found is not None}
