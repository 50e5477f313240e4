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

import collections
import contextlib
import itertools
import queue
from collections.abc import Callable, Iterator
from concurrent.futures import Executor, Future
from pathlib import Path

from pressroom.build.collect import ProjectLibrary, begin, collect
from pressroom.build.declared import chosen_editions, declared_formats
from pressroom.build.executors import (
    JobExecutor,
    NotRun,
    job_executor,
    job_timeout,
    local_executor,
)
from pressroom.build.incremental import Manifest
from pressroom.build.plan import finish, plan
from pressroom.build.prune import prune
from pressroom.build.report import Interrupted, Progress, Quiet, Report
from pressroom.build.request import BuildRequest
from pressroom.build.write import write_group
from pressroom.content.sources import SourceFile
from pressroom.content.topics import check_topics, load_topics
from pressroom.core.errors import Location, Problem, display_path
from pressroom.core.project import Project
from pressroom.core.writing import (
    deferred_interrupts,
    remove_stale_temporaries,
)
from pressroom.editions.config import load_editions
from pressroom.render.protocol import RenderJob, RenderResult, heavy_formats
from pressroom.render.site import check_editions
from pressroom.session.caches import Session
from pressroom.translation.drafts import DRAFTS, po_sources


def run(session: Session, request: BuildRequest,
        executor: Executor | JobExecutor | None = None,
        progress: Progress | None = None) -> Report:
    """Build what the request names. Ctrl-C raises Interrupted: every output is written
    whole or not at all, and the manifest records those that were."""
    report = Report(out_dir=session.project.out_dir)
    given = None if executor is None else job_executor(executor)
    try:
        _run(session, request, given, progress or Quiet(), report)
        if session.stored is not None:
            with deferred_interrupts():
                session.stored.flush()
    except KeyboardInterrupt:
        raise Interrupted(report) from None
    if request.strict:  # once, at the end: every warning of the run, wherever raised
        report.problems.promote_warnings()
    return report


def _run(session: Session, request: BuildRequest, executor: JobExecutor | None,
         progress: Progress, report: Report) -> None:
    project = session.project
    config = load_editions(project.root, report.problems)
    check_editions(config, report.problems)
    editions = chosen_editions(config, request)
    report.problems.extend(config.warnings_for(editions))
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
            executor = stack.enter_context(_local(request, declared_formats(
                sources, editions, request)))
        elif executor is None and (edited := saved_since(manifest, project, sources)):
            # So do the articles saved since the last build wrote (an author's edit).
            executor = stack.enter_context(_local(request, declared_formats(
                edited, editions, request)))
        loaded, _ = session.select(sources, request.locales, request.slugs, request.draft,
                                   executor.parse if executor is not None else None)
        publications = session.publications(loaded, report.problems)
        topics = load_topics(project.root, report.problems)
        wrong = check_topics([pub.article for pub in publications], topics, report.problems)
        publications = [pub for pub in publications if pub.article.path not in wrong]
        _remove_stale_temporaries(project.out_dir)
        shared = session.shared_bundle()
        planned = plan(session, publications, editions, request, shared, manifest, config)
        for article, message in planned.collisions:
            report.problems.error(article, None, message)
        report.unchanged.extend(planned.unchanged)
        report.planned = planned.planned
        progress.start(report.planned)
        library: ProjectLibrary | None = None
        try:
            def running(jobs: list[RenderJob]) -> JobExecutor:
                """The executor, started for `jobs` when none runs yet (never on a no-op:
                no workers to start)."""
                nonlocal executor
                if executor is None:
                    executor = stack.enter_context(_local(request, [j.format for j in jobs]))
                return executor

            library = ProjectLibrary(session, config, shared, manifest, topics)
            failed: set[tuple[Path, str]] = set()
            cut: set[tuple[Path, str]] = set()
            if planned.now:
                def head_start() -> None:
                    """While the leaflets are laid out: the collection work that need
                    not wait for them (a search index of the pages as they will read)."""
                    if planned.later and request.collect:
                        begin(library, planned.later, sources, config, manifest, request)

                failed, cut = render_all(planned.now, running(planned.now + planned.later),
                                         project, manifest, report, progress, head_start)
            if planned.later:
                # An article whose leaflet or ebook failed writes nothing this time, its
                # page included: the last good build's files stay together.
                later = [job for job in planned.later if _key(job) not in failed | cut]
                report.not_built.extend(manifest.file(o.path) for job in planned.later
                                        if _key(job) in cut for o in job.outputs)
                pages, fresh = finish(later, sources, config, manifest, request.force,
                                      library.neighbours)
                report.unchanged.extend(fresh)
                if pages:
                    render_all(pages, running(pages), project, manifest, report, progress)
            if request.collect:
                collect(library, request, manifest, report, progress, complete)
                if complete:
                    prune(sources, config, manifest, report, progress)
        finally:
            if library is not None:
                library.cancel()  # begun work the build did not wait for
            if report.written or report.removed:
                # The outputs are written; without a manifest the next run merely
                # rebuilds them.
                with contextlib.suppress(OSError), deferred_interrupts():
                    manifest.save()


def saved_since(manifest: Manifest, project: Project, sources: list[SourceFile]
                ) -> list[SourceFile]:
    """The articles saved since the manifest was (every one when a layout, style or
    top-level file was): a guess from file times, only to start the workers early. What
    is rebuilt is still decided by the inputs' digests."""
    try:
        written = manifest.path.stat().st_mtime_ns
    except OSError:
        return []

    def newer(path: Path) -> bool:
        try:
            return path.stat().st_mtime_ns > written
        except OSError:
            return False

    shared = [p for folder in (project.layouts_dir, project.styles_dir)
              for p in folder.rglob("*")] + [p for p in project.root.glob("*.yaml")]
    if any(newer(path) for path in shared):
        return sources
    return [source for source in sources if newer(source.path)]


def _same_kind(manifest: Manifest, request: BuildRequest, report: Report) -> bool:
    """Drafts and the outputs clinics hand out never share a folder (translation/drafts.py)."""
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


@contextlib.contextmanager
def _local(request: BuildRequest, planned: list[str]) -> Iterator[JobExecutor]:
    executor = local_executor(request.jobs, planned, heavy_formats())
    try:
        yield executor
    finally:
        # After Ctrl-C too: the workers finish the job in hand (they ignore Ctrl-C) and
        # exit, within the job bound; at a second Ctrl-C they are killed, never left behind.
        executor.stop(job_timeout())


def _remove_stale_temporaries(out_dir: Path) -> None:
    """Temporary files left by a build that was killed mid-write (the manifest's too)."""
    for folder in (out_dir, *(p for p in out_dir.glob("*") if p.is_dir())):
        remove_stale_temporaries(folder)


# --- render and write ------------------------------------------------------------------


def _key(job: RenderJob) -> tuple[Path, str]:
    return (job.publication.article.path, job.edition.name)


def render_all(jobs: list[RenderJob], executor: JobExecutor, project: Project,
               manifest: Manifest, report: Report, progress: Progress,
               submitted: Callable[[], None] | None = None
               ) -> tuple[set[tuple[Path, str]], set[tuple[Path, str]]]:
    """Submit every job (then call `submitted`); write each article-and-edition's
    outputs once all are in. Returns the (article, edition) pairs that failed, and those
    the executor could not run (`NotRun`: counted in `report.not_built`)."""
    failed: set[tuple[Path, str]] = set()
    waiting: dict[tuple[Path, str], int] = {}
    for job in jobs:
        waiting[_key(job)] = waiting.get(_key(job), 0) + 1
    done: dict[tuple[Path, str], list[tuple[RenderJob, RenderResult]]] = {}
    cut: set[tuple[Path, str]] = set()
    for job, future in _completed(jobs, executor, submitted):
        key = _key(job)
        try:
            result = _result(future, job)
        except NotRun as exc:
            report.not_run = report.not_run or str(exc)
            result = RenderResult(None, [])
            cut.add(key)
        report.problems.extend([_rebased(p, project.root) for p in result.problems])
        done.setdefault(key, []).append((job, result))
        complete = len(done[key]) == waiting[key]
        if not complete:
            continue
        group = done.pop(key)
        if key in cut:  # the group is written whole or not at all: none of it is built
            report.not_built.extend(manifest.file(o.path) for j, _ in group for o in j.outputs)
        elif not write_group(group, manifest, report, progress):
            failed.add(key)
    return failed, cut


def _completed(jobs: list[RenderJob], executor: JobExecutor,
               submitted: Callable[[], None] | None = None
               ) -> Iterator[tuple[RenderJob, Future[RenderResult]]]:
    """Each job with its future, as they complete.

    An executor with a `window` (a cluster's: each job in flight is a pickled copy, in
    this process and in the scheduler) is given about that many jobs at a time, the
    jobs of one article and edition together (`submit_jobs`), so that each group is
    written, and its bytes let go, soon after it started. Others are given every job at
    once. When no job finishes within `job_timeout()`, the executor abandons the jobs in
    flight and they, and those not yet given, fail with `NotRun`: their outputs are not
    built, what was written stays, and the build ends instead of waiting for ever.
    """
    window = executor.window
    groups = collections.deque(
        list(group) for _, group in itertools.groupby(sorted(jobs, key=_key), key=_key)
    ) if window else collections.deque([list(jobs)])  # unwindowed: all, in plan order
    pending: dict[Future[RenderResult], RenderJob] = {}
    finished: queue.SimpleQueue[Future[RenderResult]] = queue.SimpleQueue()
    per_call = executor.groups_per_call(len(groups)) if window else 1

    def fits(size: int) -> bool:
        """The window bounds the copies of layouts and styles in flight: a call of
        several articles' jobs carries one, so it widens with `per_call`."""
        return window is None or len(pending) + size <= window * per_call

    def submit() -> None:
        """Whole groups while they fit in the window (one at least, however large),
        `per_call` of them to a call."""
        while groups and (not pending or fits(len(groups[0]))):
            given, taken = groups.popleft(), 1
            while groups and taken < per_call and fits(len(given) + len(groups[0])):
                given, taken = given + groups.popleft(), taken + 1
            try:
                futures = executor.submit_jobs(given) if window else [
                    executor.submit_job(job) for job in given]
            except Exception as exc:  # an executor that takes no more (its workers gone)
                futures = [_failed(NotRun(f"could not run: {type(exc).__name__}: {exc}"))
                           for _ in given]
            pending.update(zip(futures, given, strict=True))
            for future in futures:  # in the order they finish, each as it does
                future.add_done_callback(finished.put)

    submit()
    if submitted is not None:
        submitted()
    bound = job_timeout()
    while pending:
        try:
            future = finished.get(timeout=bound)
        except queue.Empty:
            executor.abandon()
            stalled = NotRun(f"no render job finished in {bound:g} s, the bound"
                             " (PRESSROOM_JOB_TIMEOUT): stopped waiting")
            for job in [*pending.values(), *(job for group in groups for job in group)]:
                yield job, _failed(stalled)
            return
        job = pending.pop(future)
        submit()
        yield job, future


def _failed(exc: BaseException) -> Future[RenderResult]:
    future: Future[RenderResult] = Future()
    future.set_exception(exc)
    return future


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
