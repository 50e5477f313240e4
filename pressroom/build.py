"""The build as one straight line: find → load → resolve → plan → render → collect →
prune → write.

Every chosen article is loaded and resolved before anything is rendered (as mkdocs
does), so all content errors of a run are known up front. Each output is declared by
its renderer, planned as a self-contained job unless the manifest shows it fresh, run on
the executor, and written as soon as all outputs of its article and edition are in: an
article whose render failed writes nothing, the others are still built. Outputs that
span articles are collected last; outputs of articles, locales or editions that no
longer exist are removed.
"""

from __future__ import annotations

import contextlib
import itertools
from collections.abc import Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Executor, Future, as_completed, wait
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Protocol

from .drafts import DRAFTS, po_sources
from .editions import Edition, EditionsConfig, load_editions
from .errors import Location, Problem, Problems, display_path
from .executors import NotRun, local_executor
from .files import Bundle
from .incremental import Manifest
from .planning import finish, plan
from .project import Project
from .renderer import (
    FORMATS,
    Library,
    LibraryEntry,
    RenderJob,
    RenderResult,
    Written,
    formats,
    heavy_formats,
    renderer,
    run_job,
)
from .selection import is_selected
from .session import BuildRequest, Session
from .site import check_qr_targets
from .sources import SourceFile
from .writing import (
    deferred_interrupts,
    ignored_interrupts,
    remove_stale_temporaries,
    write_atomic,
)

ARTICLE = "article"


class Progress(Protocol):
    def start(self, total: int) -> None: ...

    def wrote(self, path: Path) -> None: ...

    def removed(self, path: Path) -> None: ...


@dataclass
class Report:
    written: list[Path] = field(default_factory=list)
    #: Outputs left as they were because none of their inputs changed.
    unchanged: list[Path] = field(default_factory=list)
    #: Outputs of articles, locales or editions that no longer exist.
    removed: list[Path] = field(default_factory=list)
    #: How many outputs needed rendering (known before the first is rendered).
    planned: int = 0
    problems: Problems = field(default_factory=Problems)
    #: Outputs not built because the executor could not run their jobs (a cluster's
    #: scheduler went away): not a content error; the next build builds them.
    not_built: list[Path] = field(default_factory=list)
    #: Why (the executor's `NotRun` message).
    not_run: str = ""
    #: Where the outputs go.
    out_dir: Path | None = None

    @property
    def ok(self) -> bool:
        return not self.problems.errors and not self.not_built


class Interrupted(KeyboardInterrupt):
    """Ctrl-C during a build, raised once what was written is recorded in the manifest:
    `report.written` are the files written before it, the rest of out/ is as it was."""

    def __init__(self, report: Report) -> None:
        super().__init__()
        self.report = report


class _Quiet:
    def start(self, total: int) -> None:
        pass

    def wrote(self, path: Path) -> None:
        pass

    def removed(self, path: Path) -> None:
        pass


def run(session: Session, request: BuildRequest, executor: Executor | None = None,
        progress: Progress | None = None) -> Report:
    """Build what the request names. Ctrl-C raises Interrupted: every output is written
    whole or not at all, and the manifest records those that were."""
    report = Report(out_dir=session.project.out_dir)
    try:
        _run(session, request, executor, progress or _Quiet(), report)
    except KeyboardInterrupt:
        raise Interrupted(report) from None
    return report


def _run(session: Session, request: BuildRequest, executor: Executor | None,
         progress: Progress, report: Report) -> None:
    project = session.project
    config = load_editions(project.root, report.problems)
    check_qr_targets(config, report.problems)
    editions = [e for name, e in config.editions.items()
                if not request.editions or name in request.editions]
    report.problems.extend(config.warnings_for(editions))
    if request.strict:
        report.problems.promote_warnings()
    if report.problems.errors:
        return  # a broken editions.yaml: nothing is built until it is fixed
    sources = session.sources(report.problems)
    complete = not report.problems.errors  # every article found: safe to prune
    if request.draft:
        sources += po_sources(project, sources)
    manifest = Manifest.load(project.out_dir)
    if not _same_kind(manifest, request, report):
        return
    with contextlib.ExitStack() as stack:
        if executor is None and (request.force or not manifest.entries):
            # A cold build renders everything it declares: start the workers now, so
            # their imports overlap the loading below.
            executor = stack.enter_context(_local(request, _declared_formats(
                sources, editions, request)))
        loaded, _ = session.select(sources, request.locales, request.slugs, request.draft)
        publications = session.publications(loaded, report.problems, request.strict)
        _remove_stale_temporaries(project.out_dir)
        shared = session.shared_bundle()
        planned = plan(session, publications, editions, request, shared, manifest, config)
        for article, message in planned.collisions:
            report.problems.error(article, None, message)
        report.unchanged.extend(planned.unchanged)
        report.planned = planned.planned
        progress.start(report.planned)
        try:
            def running(jobs: list[RenderJob]) -> Executor:
                """The executor, started for `jobs` when none runs yet (never on a no-op:
                no workers to start)."""
                nonlocal executor
                if executor is None:
                    executor = stack.enter_context(_local(request, [j.format for j in jobs]))
                return executor

            failed: set[tuple[Path, str]] = set()
            cut: set[tuple[Path, str]] = set()
            if planned.now:
                failed, cut = render_all(planned.now, running(planned.now + planned.later),
                                         project, manifest, report, progress, request.strict)
            if planned.later:
                # An article whose leaflet or ebook failed writes nothing this time, its
                # page included: the last good build's files stay together.
                later = [job for job in planned.later if _key(job) not in failed | cut]
                report.not_built.extend(manifest.file(o.path) for job in planned.later
                                        if _key(job) in cut for o in job.outputs)
                pages, fresh = finish(later, sources, config, manifest, request.force)
                report.unchanged.extend(fresh)
                if pages:
                    render_all(pages, running(pages), project, manifest, report, progress,
                               request.strict)
            library = _ProjectLibrary(session, config, shared, manifest)
            collect(library, request, manifest, report, progress, complete)
            if complete:
                prune(sources, config, manifest, report, progress)
        finally:
            if report.written or report.removed:
                # The outputs are written; without a manifest the next run merely
                # rebuilds them.
                with contextlib.suppress(OSError), deferred_interrupts():
                    manifest.save()


def nothing_to_build(source_dir: Path, sources: list[SourceFile], config: EditionsConfig,
                     request: BuildRequest) -> str:
    """Why the request declares no output at all; "" when it declares some.

    Told from what the renderers declare: `--edition letter --format epub` asks for an
    ebook of an edition whose renderers write none.
    """
    editions = [e for name, e in config.editions.items()
                if not request.editions or name in request.editions]
    if _declared_formats(sources, editions, request):
        return ""
    chosen = [s for s in sources if is_selected(s, request.locales, request.slugs)]
    if not chosen:
        where = display_path(source_dir)
        return f"there are no articles in {where} (write {where}/<locale>/<slug>.md)"
    locales = {s.locale for s in chosen}
    reasons = []
    for edition in editions:
        if edition.locales and not locales & set(edition.locales):
            reasons.append(f"edition '{edition.name}' is built only for"
                           f" {', '.join(edition.locales)}")
            continue
        writes = [o.path.removeprefix("<locale>/") for fmt in formats()
                  for o in renderer(fmt).outputs("<locale>", "<slug>", edition)]
        asked = " or ".join(request.formats)
        reasons.append(f"edition '{edition.name}' has no {asked} output (it writes"
                       f" {', '.join(writes) or 'nothing'})")
    return "; ".join(reasons)


def _same_kind(manifest: Manifest, request: BuildRequest, report: Report) -> bool:
    """Drafts and the outputs clinics hand out never share a folder (drafts.py)."""
    if manifest.entries and manifest.drafts != request.draft:
        where = display_path(manifest.out_dir)
        report.problems.error(manifest.out_dir, None, (
            f"holds drafts (`build --draft`): build into another folder than {where}"
            if manifest.drafts else
            f"holds the outputs of ordinary builds: write drafts to another folder than"
            f" {where} (by default {DRAFTS}/)"))
        return False
    manifest.drafts = request.draft
    return True


def _declared_formats(sources: list[SourceFile], editions: list[Edition],
                      request: BuildRequest) -> list[str]:
    """The format of every job a cold build of the request will plan (one per format of
    each selected article and edition that declares outputs)."""
    return [fmt for source in sources if is_selected(source, request.locales, request.slugs)
            for edition in editions
            if not edition.locales or source.locale in edition.locales
            for fmt in request.formats
            if renderer(fmt).outputs(source.locale, source.slug, edition)]


@contextlib.contextmanager
def _local(request: BuildRequest, planned: list[str]) -> Iterator[Executor]:
    executor = local_executor(request.jobs, planned, heavy_formats())
    try:
        yield executor
    finally:
        # After Ctrl-C too: the workers finish the job in hand (they ignore Ctrl-C) and
        # exit; a second Ctrl-C must not leave them behind.
        with ignored_interrupts():
            executor.shutdown(wait=True, cancel_futures=True)


def _remove_stale_temporaries(out_dir: Path) -> None:
    """Temporary files left by a build that was killed mid-write (the manifest's too)."""
    for folder in (out_dir, *(p for p in out_dir.glob("*") if p.is_dir())):
        remove_stale_temporaries(folder)


# --- render and write ------------------------------------------------------------------


def _key(job: RenderJob) -> tuple[Path, str]:
    return (job.publication.article.path, job.edition.name)


def render_all(jobs: list[RenderJob], executor: Executor, project: Project,
               manifest: Manifest, report: Report, progress: Progress, strict: bool = False
               ) -> tuple[set[tuple[Path, str]], set[tuple[Path, str]]]:
    """Submit every job; write each article-and-edition's outputs once all are in
    (`strict`: a job with a warning writes nothing, like one with an error). Returns the
    (article, edition) pairs that failed, and those the executor could not run (`NotRun`:
    counted in `report.not_built`)."""
    failed: set[tuple[Path, str]] = set()
    waiting: dict[tuple[Path, str], int] = {}
    for job in jobs:
        waiting[_key(job)] = waiting.get(_key(job), 0) + 1
    done: dict[tuple[Path, str], list[tuple[RenderJob, RenderResult]]] = {}
    cut: set[tuple[Path, str]] = set()
    for job, future in _completed(jobs, executor):
        key = _key(job)
        try:
            result = _result(future, job)
        except NotRun as exc:
            report.not_run = report.not_run or str(exc)
            result = RenderResult(None, [])
            cut.add(key)
        if strict and any(p.severity == "warning" for p in result.problems):
            strict_problems = Problems(list(result.problems))
            strict_problems.promote_warnings()
            result = RenderResult(None, strict_problems.items)
        report.problems.extend([_rebased(p, project.root) for p in result.problems])
        done.setdefault(key, []).append((job, result))
        complete = len(done[key]) == waiting[key]
        if not complete:
            continue
        group = done.pop(key)
        if key in cut:  # the group is written whole or not at all: none of it is built
            report.not_built.extend(manifest.file(o.path) for j, _ in group for o in j.outputs)
        elif not _write_group(group, manifest, report, progress):
            failed.add(key)
    return failed, cut


def _completed(jobs: list[RenderJob], executor: Executor
               ) -> Iterator[tuple[RenderJob, Future[RenderResult]]]:
    """Each job with its future, as they complete.

    An executor with a `window` (a cluster's: each job in flight is a pickled copy, in
    this process and in the scheduler) is given that many jobs at a time, the outputs of
    one article and edition one after the other, so that each group is written, and its
    bytes let go, soon after it started. Others are given every job at once.
    """
    window = getattr(executor, "window", None)
    if not window:
        futures = {executor.submit(run_job, job): job for job in jobs}
        for future in as_completed(futures):
            yield futures[future], future
        return
    queue = iter(sorted(jobs, key=_key))
    pending: dict[Future[RenderResult], RenderJob] = {}

    def submit(count: int) -> None:
        for job in itertools.islice(queue, count):
            pending[executor.submit(run_job, job)] = job

    submit(window)
    while pending:
        finished, _ = wait(pending, return_when=FIRST_COMPLETED)
        submit(len(finished))
        for future in finished:
            yield pending.pop(future), future


def _result(future: Future[RenderResult], job: RenderJob) -> RenderResult:
    """The job's result; NotRun passes through (the executor never ran it)."""
    try:
        return future.result()
    except NotRun:
        raise
    except Exception as exc:  # a worker that died, or a bug: this output is not built
        where = Location(job.publication.article.path)
        message = f"could not render {job.outputs[0].path}: {type(exc).__name__}: {exc}"
        return RenderResult(None, [Problem(where, message)])


def _rebased(problem: Problem, root: Path) -> Problem:
    """Workers name project files (layouts, styles) relative to the project."""
    path = problem.location.path
    if path.is_absolute():
        return problem
    return Problem(Location(root / path, problem.location.line), problem.message,
                   problem.severity)


def _write_group(results: list[tuple[RenderJob, RenderResult]], manifest: Manifest,
                 report: Report, progress: Progress) -> bool:
    """All outputs of one article in one edition, or none (the last good ones stay)."""
    if any(result.files is None for _, result in results):
        return False
    for job, result in sorted(results, key=lambda item: formats().index(item[0].format)):
        for output, data in (result.files or {}).items():
            _write(manifest, output, data, job.inputs, ARTICLE, report, progress,
                   result.pages.get(output, 0))
    return True


def _write(manifest: Manifest, output: str, data: bytes, inputs: str, owner: str,
           report: Report, progress: Progress, pages: int = 0, folder: str = "") -> None:
    path = manifest.file(output)
    with deferred_interrupts():  # written, recorded, counted and shown, or none of these
        try:
            write_atomic(path, data)
        except OSError as exc:
            report.problems.error(path, None, f"cannot write output: {exc.strerror or exc}")
            return
        manifest.record(output, inputs, data, owner, pages, folder)
        report.written.append(path)
        progress.wrote(path)


# --- collect ---------------------------------------------------------------------------


class _ProjectLibrary:
    """The library, loaded only if a renderer's collection step asks for it: every
    article of the project, in every edition, whatever this build selected (an index
    lists them all). `complete` is false when some article has errors: an index without
    it would drop it, so the collection is left as it was until the article is fixed."""

    def __init__(self, session: Session, config: EditionsConfig, bundle: Bundle,
                 manifest: Manifest) -> None:
        self._session = session
        self._config = config
        self._manifest = manifest
        self.bundle = bundle
        self.settings = session.settings
        self.site = config.site
        self.out_dir = manifest.out_dir
        self.complete = True

    @cached_property
    def entries(self) -> tuple[LibraryEntry, ...]:
        problems = Problems()
        loaded, _ = self._session.select(self._session.sources(problems))
        publications = self._session.publications(loaded, problems)
        self.complete = not problems.errors
        entries = []
        for pub in publications:
            for edition in self._config.editions.values():
                if edition.locales and pub.language not in edition.locales:
                    continue
                outputs = tuple(o for fmt in formats() for o in
                                renderer(fmt).outputs(pub.language, pub.article.slug, edition))
                found = tuple(Written(o, edition, *facts) for o in outputs
                              if (facts := self._manifest.facts(o.path)) is not None)
                entries.append(LibraryEntry(pub, edition, outputs, found))
        return tuple(entries)


def collect(library: Library, request: BuildRequest, manifest: Manifest, report: Report,
            progress: Progress, complete: bool) -> None:
    """Render the outputs that span articles, where their inputs changed; remove the
    ones a renderer no longer declares."""
    for fmt in request.formats:
        owner = f"collection:{fmt}"
        declared = set()
        collected = renderer(fmt).collect(library)
        if not getattr(library, "complete", True):
            return  # an article has errors: its last good listing stays, as its files do
        for item in collected:
            path = item.output.path
            # A folder's files (a search index) are named when it is made: until then,
            # the last build's are the declared ones.
            last = manifest.files_of(path) if path.endswith("/") else [path]
            if not request.force and manifest.is_fresh(path, item.inputs):
                declared.update(last)
                report.unchanged.extend(manifest.file(name) for name in last)
                continue
            problems = Problems()
            data = item.render(problems)
            if request.strict:
                problems.promote_warnings()
            report.problems.extend(problems.items)
            if data is None or problems.errors:
                declared.update(last)  # the last good ones stay
                continue
            files = {path: data} if isinstance(data, bytes) else {
                path + name: content for name, content in data.items()}
            folder = path if path.endswith("/") else ""
            for name, content in files.items():
                declared.add(name)
                if manifest.holds(name, content):  # the same bytes: left as they are
                    manifest.record(name, item.inputs, content, owner, folder=folder)
                    report.unchanged.append(manifest.file(name))
                    continue
                _write(manifest, name, content, item.inputs, owner, report, progress,
                       folder=folder)
        if complete:
            _remove([o for o in manifest.recorded(owner) if o not in declared], manifest,
                    report, progress)


# --- prune -----------------------------------------------------------------------------


def declared_outputs(sources: Iterable[SourceFile], config: EditionsConfig) -> set[str]:
    """Every output the whole project declares, whatever this build selected."""
    declared = set()
    for source in sources:
        for edition in config.editions.values():
            if edition.locales and source.locale not in edition.locales:
                continue
            for fmt in formats():
                declared.update(o.path for o in
                                renderer(fmt).outputs(source.locale, source.slug, edition))
    return declared


def prune(sources: list[SourceFile], config: EditionsConfig, manifest: Manifest,
          report: Report, progress: Progress) -> None:
    """Remove what an earlier build wrote for an article, locale or edition that is gone.
    Only files the manifest recorded are ever removed."""
    declared = declared_outputs(sources, config)
    _remove([o for o in manifest.recorded(ARTICLE) if o not in declared], manifest, report,
            progress)


def _remove(outputs: list[str], manifest: Manifest, report: Report, progress: Progress) -> None:
    for output in outputs:
        path = manifest.file(output)
        with deferred_interrupts():
            try:
                path.unlink(missing_ok=True)
            except OSError as exc:
                report.problems.warning(path, None, f"cannot remove old output: {exc.strerror}")
                continue
            manifest.forget([output])
            report.removed.append(path)
            progress.removed(path)


# --- the same, for callers that do not keep a session ----------------------------------


def build(
    project: Project,
    formats: Iterable[str] = FORMATS,
    locales: Iterable[str] = (),
    slugs: Iterable[str] = (),
    *,
    force: bool = False,
    jobs: int | None = None,
    progress: Progress | None = None,
    editions: Iterable[str] = (),
    executor: Executor | None = None,
    draft: bool = False,
    strict: bool = False,
) -> Report:
    request = BuildRequest(tuple(dict.fromkeys(formats)), tuple(locales), tuple(slugs),
                           tuple(editions), force, jobs, draft, strict)
    return run(Session(project), request, executor, progress)


def check(project: Project) -> tuple[Report, list]:
    report = Report()
    problems, summaries = Session(project).check()
    report.problems = problems
    return report, summaries
