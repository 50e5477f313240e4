"""A session: one project, kept loaded between builds, checks and previews.

The command line opens a session for one build; a preview server keeps one open and
builds again on every save. What a session keeps is what is slow to make and cheap to
check: the project's files by content, each article as loaded (reused while its text
and images are unchanged), and each locale's UI strings (while its catalogs are).
Render workers keep their own caches (templates, WeasyPrint's fonts); see render/protocol.py.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

from pressroom.content import model as m
from pressroom.content.elsewhere import Parse, check_images
from pressroom.content.markup import make_parser
from pressroom.content.outline import GENERATED_HEADINGS
from pressroom.content.resolve import Publication, resolve
from pressroom.content.sources import Loaded, SourceFile, discover, load_article
from pressroom.core.defaults import KINDS
from pressroom.core.digests import digest_parts, strings_digest
from pressroom.core.errors import Problems
from pressroom.core.files import Bundle, FileStore
from pressroom.core.project import Project
from pressroom.core.settings import Settings
from pressroom.session.selection import is_selected
from pressroom.session.stored import CachedLoad, Stamp, StoredLoads
from pressroom.translation.catalogs import catalog_files, ui_strings
from pressroom.translation.currency import assess_all
from pressroom.translation.drafts import PoSource
from pressroom.translation.drafts import make as make_drafts
from pressroom.translation.segments import Segmented, segmented
from pressroom.translation.status import LocaleSummary
from pressroom.translation.status import check_all as check_translations


def _stamp(path: Path) -> Stamp:
    try:
        stat = path.stat()
    except OSError:
        return None
    return (stat.st_size, stat.st_mtime_ns)


@dataclass(slots=True)
class Session:
    project: Project
    settings: Settings = field(default_factory=Settings.from_environ)
    files: FileStore = field(default_factory=FileStore)
    _articles: dict[Path, CachedLoad] = field(default_factory=dict)
    #: The articles as loaded by earlier runs (None: this session keeps none on disk).
    stored: StoredLoads | None = None
    #: Per locale: the catalogs' stamps, the strings, their problems and their digest.
    _strings: dict[str, tuple[tuple[Stamp, ...], Mapping[str, str], Problems, str]] = field(
        default_factory=dict)
    _segments: dict[Path, tuple[str, Segmented]] = field(default_factory=dict)

    # --- load ----------------------------------------------------------------------

    def sources(self, problems: Problems) -> list[SourceFile]:
        return discover(self.project.source_dir, problems)

    def load(self, sources: Iterable[SourceFile], parse: Parse | None = None) -> list[Loaded]:
        """Every article read and parsed, each with its own problems (a fresh copy: later
        stages add theirs). `parse`: where the articles no cache holds are parsed instead
        of here (a cluster's workers, `parse_articles`); None for those it could not."""
        md = None
        roots = self.project.allowed_roots

        def here(source: SourceFile, data: bytes | None, generated: tuple[str, ...]
                 ) -> tuple[m.Article | None, Problems]:
            nonlocal md
            md = md or make_parser()
            problems = Problems()
            return load_article(source, roots, problems, md, data, generated), problems

        loaded: list[Loaded | None] = []
        away: list[tuple[int, SourceFile, bytes, str, tuple[str, ...]]] = []
        for source in sources:
            try:
                digest, data = self.files.read(source.path)
            except OSError:
                digest, data = "", None  # load_article reports it
            generated = self.generated_headings(source.locale)
            digest = f"{digest}:{generated}"  # a new translation of "References" reloads
            cached = self._articles.get(source.path)
            if (cached is None or cached.digest != digest) and self.stored is not None:
                cached = self.stored.get(source.path, digest)
                if cached is not None:
                    self._articles[source.path] = cached
            if cached is not None and cached.digest == digest and all(
                    _stamp(path) == stamp for path, stamp in cached.images):
                loaded.append(cached.loaded)
            elif parse is not None and data is not None:
                away.append((len(loaded), source, data, digest, generated))
                loaded.append(None)
            else:
                loaded.append(self._kept(source, *here(source, data, generated), digest))
        if away:
            answers = parse([(source, data, generated, self.strings(source.locale, Problems()))
                             for _, source, data, _, generated in away], roots, self.settings)
            for (index, source, data, digest, generated), answer in zip(
                    away, answers or [None] * len(away), strict=True):
                article, problems, publication, found = answer or (None, None, None, [])
                if article is not None and problems is not None:
                    check_images(article, roots, problems)
                if article is None or problems is None or problems.items:
                    # Not parsed there, or with problems: parsed here, so that they are
                    # told exactly as a build without a cluster tells them.
                    article, problems = here(source, data, generated)
                    publication = None
                item = self._kept(source, article, problems, digest)
                kept = self._articles.get(source.path)
                if publication is not None and kept is not None and kept.loaded is item:
                    # Resolved there with this locale's strings and these settings: what
                    # `_resolve` would make of it here.
                    kept.resolved = (self._resolved_key(source.locale), publication, found)
                loaded[index] = item
        return [Loaded(item.source, item.article, Problems(list(item.problems.items)))
                for item in loaded if item is not None]

    def _kept(self, source: SourceFile, article: m.Article | None, problems: Problems,
              digest: str) -> Loaded:
        """The article as loaded, kept while its text and images are unchanged when it
        loaded cleanly."""
        item = Loaded(source, article, problems)
        if article is not None and not problems.items:
            images = m.image_paths((article.lead, article.sections, article.notes))
            kept = CachedLoad(digest, item, tuple((p, _stamp(p)) for p in images))
            self._articles[source.path] = kept
            if self.stored is not None:
                self.stored.put(source.path, kept)
        else:
            self._articles.pop(source.path, None)
        return item

    def generated_headings(self, locale: str) -> tuple[str, ...]:
        """The headings the layouts write ("References"), in English and in the locale's
        translation: an author who types one by hand is told it is generated."""
        strings = self.strings(locale, Problems())  # its problems are reported at resolve
        translated = [strings[title] for title in GENERATED_HEADINGS if strings.get(title)]
        return tuple(dict.fromkeys((*GENERATED_HEADINGS, *translated)))

    def text(self, path: Path) -> str:
        """An article's text (it loaded, so it is UTF-8)."""
        return self.files.read(path)[1].decode("utf-8-sig")

    def segmented(self, article: m.Article) -> Segmented:
        """An article's segments (translation/segments.py), worked out again only when its text
        changed: every check compares each translation's with its source's."""
        digest, data = self.files.read(article.path)
        cached = self._segments.get(article.path)
        if cached is None or cached[0] != digest or cached[1].article is not article:
            cached = (digest, segmented(article, data.decode("utf-8-sig")))
            self._segments[article.path] = cached
        return cached[1]

    # --- resolve ---------------------------------------------------------------------

    def strings(self, locale: str, problems: Problems) -> Mapping[str, str]:
        """The locale's UI strings, compiled again only when one of its catalogs changed."""
        stamps = tuple(_stamp(path) for path in catalog_files(self.project, locale))
        cached = self._strings.get(locale)
        if cached is None or cached[0] != stamps:
            found = Problems()
            strings = ui_strings(self.project, locale, found)
            cached = (stamps, strings, found, strings_digest(strings))
            self._strings[locale] = cached
        problems.extend(cached[2].items)
        return cached[1]

    def publications(self, loaded: list[Loaded], problems: Problems) -> list[Publication]:
        """Resolve the articles that loaded cleanly; report everyone's problems (a strict
        run counts its warnings as errors once, at its end). A locale whose UI strings
        are in error (two catalogs, either could be meant) publishes nothing: made with a
        guessed catalog, its files would be wrong; its last good ones stay."""
        strings = {
            locale: self.strings(locale, problems)
            for locale in sorted({item.source.locale for item in loaded})
        }
        broken = {locale for locale in strings if self._strings[locale][2].errors}
        publications = []
        for item in loaded:
            pub = None
            if item.article is not None:
                pub = self._resolve(item, strings[item.source.locale])
                if item.draft:
                    pub = replace(pub, draft=True, text_digest=item.text_digest)
            problems.extend(item.problems.items)
            if pub is not None and not item.problems.errors and item.source.locale not in broken:
                publications.append(pub)
        return publications

    def _resolve(self, item: Loaded, strings: Mapping[str, str]) -> Publication:
        """The article resolved, reused (with the problems resolving reported) while the
        article as loaded, its strings and the settings are the same: a build resolves
        the chosen articles, then its collection step the whole library, and the next
        run reads them back (stored.py). An article kept by neither cache (one that
        loaded with problems, a draft) is resolved each time."""
        assert item.article is not None
        kept = self._articles.get(item.article.path)
        if kept is None or kept.loaded.article is not item.article:
            return resolve(item.article, item.problems, strings, self.settings)
        key = self._resolved_key(item.source.locale)
        if kept.resolved is not None and kept.resolved[0] == key:
            _, pub, found = kept.resolved
            item.problems.extend(found)
            return pub
        before = len(item.problems.items)
        pub = resolve(item.article, item.problems, strings, self.settings)
        kept.resolved = (key, pub, list(item.problems.items[before:]))
        if self.stored is not None:
            self.stored.put(item.article.path, kept)
        return pub

    def _resolved_key(self, locale: str) -> str:
        """What an article of `locale` is resolved with: its UI strings and the settings."""
        strings_key = self._strings[locale][3]
        return digest_parts(strings_key, self.settings.fingerprint(),
                            self.settings.today.isoformat())

    def select(self, sources: list[SourceFile], locales: Iterable[str] = (),
               slugs: Iterable[str] = (), draft: bool = False, parse: Parse | None = None
               ) -> tuple[list[Loaded], list[LocaleSummary]]:
        """The chosen articles, loaded (with the rest of their slugs, so each translation
        is checked against its source) and checked, with a translation summary per locale
        chosen; `parse`: see `load`; `draft`: outdated translations, and those only begun
        in a PO file (drafts.PoSource), as drafts."""
        locales, slugs = tuple(locales), tuple(slugs)
        chosen = [s for s in sources if is_selected(s, locales, slugs)]
        wanted = {s.slug for s in chosen}
        loaded = self.load((s for s in sources if s.slug in wanted
                            and not isinstance(s, PoSource)), parse)
        currency = assess_all(loaded, self.segmented, self.project)
        chosen_locales = {s.locale for s in chosen}
        summaries = [s for s in check_translations(loaded, currency)
                     if s.locale in chosen_locales]
        if draft:
            loaded = make_drafts(loaded, chosen, currency, self.segmented, self.project)
        kept = set(chosen)  # a set: a list's `in` compares every article with every other
        return [item for item in loaded if item.source in kept], summaries

    def shared_bundle(self) -> Bundle:
        """What every job reads: the layouts (not their catalogs: the UI strings travel
        compiled, in the Publication) and the styles, each the project's own file if it
        has one, else the default (core/defaults.py)."""
        names: dict[str, str] = {}
        blobs: dict[str, bytes] = {}
        for kind in KINDS:  # the defaults, then the project's overrides of the same name
            for folder in self.project.folders(kind):
                tree = self.files.tree(folder, kind, skip=("locales/",))
                names.update(tree.names)
                blobs.update(tree.blobs)
        return Bundle(names, {key: blobs[key] for key in set(names.values())})
