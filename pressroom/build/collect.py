"""The collection step: outputs that span articles (indexes, feeds, search indexes).

Each renderer declares its collected outputs with the digest of what they read; only
those whose digest changed are rendered. The library of every article is loaded only
when a step asks for its entries.
"""

from __future__ import annotations

from collections.abc import Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from functools import cached_property

from pressroom.build.incremental import Manifest
from pressroom.build.plan import finish
from pressroom.build.prune import remove_outputs
from pressroom.build.report import Progress, Report
from pressroom.build.request import BuildRequest
from pressroom.build.write import write_output
from pressroom.content.resolve import Publication
from pressroom.content.sources import SourceFile
from pressroom.content.topics import Topics, check_topics
from pressroom.core.errors import Problems
from pressroom.core.files import Bundle
from pressroom.editions.config import EditionsConfig
from pressroom.render.protocol import (
    Begun,
    Collected,
    Library,
    LibraryEntry,
    RenderJob,
    Written,
    declared,
    renderer,
)
from pressroom.render.web.browse import related
from pressroom.session.caches import Session


class ProjectLibrary:
    """The library, loaded only if a renderer's collection step asks for it: every
    article of the project, in every edition, whatever this build selected (an index
    lists them all). `complete` is false when some article has errors: an index without
    it would drop it, so the collection is left as it was until the article is fixed."""

    def __init__(self, session: Session, config: EditionsConfig, bundle: Bundle,
                 manifest: Manifest, topics: Topics | None = None) -> None:
        self._session = session
        self._config = config
        self._manifest = manifest
        self.bundle = bundle
        self.settings = session.settings
        self.site = config.site
        self.out_dir = manifest.out_dir
        self.topics = topics or Topics()
        self.complete = True
        self.begun: dict[str, Begun] = {}
        self._by_language: dict[str, list[Publication]] = {}

    @cached_property
    def publications(self) -> tuple[Publication, ...]:
        """Every article of the project, loaded (and resolved) once."""
        problems = Problems()
        loaded, _ = self._session.select(self._session.sources(problems))
        publications = self._session.publications(loaded, problems)
        check_topics([pub.article for pub in publications], self.topics, problems)
        self.complete = not problems.errors
        return tuple(publications)

    @cached_property
    def entries(self) -> tuple[LibraryEntry, ...]:
        """Every article in every edition with its outputs as written: read by the
        collection step, once every page of this build is written."""
        return self.entries_as_written()

    def cancel(self) -> None:
        """Stop what a `head_start` began that still runs (the build ends)."""
        for begun in self.begun.values():
            begun.cancel()

    def entries_as_written(self) -> tuple[LibraryEntry, ...]:
        entries = []
        for pub in self.publications:
            for edition in self._config.editions.values():
                if not edition.covers(pub.language):
                    continue
                outputs = declared(pub.language, pub.article.slug, edition)
                found = tuple(Written(o, edition, *facts) for o in outputs
                              if (facts := self._manifest.facts(o.path)) is not None)
                entries.append(LibraryEntry(pub, edition, outputs, found))
        return tuple(entries)

    def neighbours(self, pub: Publication) -> tuple[tuple[tuple[str, str], ...],
                                                    tuple[tuple[str, str], ...]]:
        """An article's topics (id, name) and related leaflets (slug, title), from every
        article of its language in the library (asked before the pages are written, so
        from the publications, not from `entries`)."""
        if not pub.meta.topics:
            return (), ()
        if pub.language not in self._by_language:
            self._by_language[pub.language] = [
                p for p in self.publications if p.language == pub.language]
        return (tuple(self.topics.named(pub.meta.topics, pub.language)),
                related(pub, self._by_language[pub.language]))


def begin(library: ProjectLibrary, later: list[RenderJob], sources: list[SourceFile],
          config: EditionsConfig, manifest: Manifest, request: BuildRequest) -> None:
    """Each renderer's `head_start`, given the jobs of `later` (those that wait for this
    build's other outputs) that will write something: those stale now (an edited
    article's page), as `finish` makes them from the outputs written so far."""
    stale, _ = finish(later, sources, config, manifest, request.force, library.neighbours)
    for fmt in request.formats:
        renderer(fmt).head_start(library, [job for job in stale if job.format == fmt])


def collect(library: Library, request: BuildRequest, manifest: Manifest, report: Report,
            progress: Progress, complete: bool) -> None:
    """Render the outputs that span articles, where their inputs changed; remove the
    ones a renderer no longer declares. Outputs made by another program (`background`)
    are started first, in a thread, and written in their turn."""
    for fmt in request.formats:
        owner = f"collection:{fmt}"
        declared = set()
        collected = renderer(fmt).collect(library)
        if not library.complete:
            return  # an article has errors: its last good listing stays, as its files do
        stale = {id(item): item for item in collected
                 if request.force or not manifest.is_fresh(item.output.path, item.inputs)}
        with ThreadPoolExecutor(max_workers=1) as pool:
            started = {key: _start(pool, item) for key, item in stale.items() if item.background}
            for item in collected:
                path = item.output.path
                # A folder's files (a search index) are named when it is made: until then,
                # the last build's are the declared ones.
                last = manifest.files_of(path) if path.endswith("/") else [path]
                if id(item) not in stale:
                    declared.update(last)
                    report.unchanged.extend(manifest.file(name) for name in last)
                    continue
                if id(item) in started:
                    future, problems = started[id(item)]
                    data = future.result()
                else:
                    problems = Problems()
                    data = item.render(problems)
                report.problems.extend(problems.items)
                if data is None or problems.errors:
                    declared.update(last)  # the last good ones stay
                    continue
                _write(item, data, declared, manifest, owner, report, progress)
        if complete:
            remove_outputs([o for o in manifest.recorded(owner) if o not in declared], manifest,
                    report, progress)


Rendered = bytes | Mapping[str, bytes] | None


def _start(pool: ThreadPoolExecutor, item: Collected) -> tuple[Future[Rendered], Problems]:
    """The item's render, begun in `pool`."""
    problems = Problems()
    return pool.submit(item.render, problems), problems


def _write(item: Collected, data: bytes | Mapping[str, bytes], declared: set[str],
           manifest: Manifest, owner: str, report: Report, progress: Progress) -> None:
    path = item.output.path
    files = {path: data} if isinstance(data, bytes) else {
        path + name: content for name, content in data.items()}
    folder = path if path.endswith("/") else ""
    for name, content in files.items():
        declared.add(name)
        if manifest.holds(name, content):  # the same bytes: left as they are
            manifest.record(name, item.inputs, content, owner, folder=folder)
            report.unchanged.append(manifest.file(name))
            continue
        write_output(manifest, name, content, item.inputs, owner, report, progress,
                     folder=folder)
