"""The whole build as one straight line: find → load → resolve → render → write.

Every article is loaded and resolved before anything is rendered (as mkdocs does), so all
content errors of a run are known up front. An article with errors writes nothing; the
others are still built, and the run as a whole reports failure.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib
import os
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path

from .catalogs import ui_strings
from .editions import Edition, load_editions
from .errors import Problem, Problems, display_path
from .incremental import Manifest, inputs_digest, shared_digest
from .markup import make_parser
from .project import Project
from .resolve import Publication, resolve
from .sources import Loaded, SourceFile, discover, load_article
from .translations import LocaleSummary
from .translations import check_all as check_translations
from .writing import remove_stale_temporaries, write_atomic

#: Output format → module with `render(pub, project, problems) -> bytes | None`.
#: Modules are imported on demand so that, say, an EPUB-only build never loads WeasyPrint.
RENDERERS = {"pdf": "pressroom.render_pdf", "epub": "pressroom.render_epub"}
FORMATS = tuple(RENDERERS)

Renderer = Callable[[Publication, Project, Problems, Edition], bytes | None]


@dataclass
class Report:
    written: list[Path] = field(default_factory=list)
    #: Outputs left as they were because none of their inputs changed.
    unchanged: list[Path] = field(default_factory=list)
    #: How many outputs needed rendering (for progress displays).
    planned: int = 0
    problems: Problems = field(default_factory=Problems)

    @property
    def ok(self) -> bool:
        return not self.problems.errors


def renderer(fmt: str) -> Renderer:
    return importlib.import_module(RENDERERS[fmt]).render  # type: ignore[no-any-return]


def output_path(out_dir: Path, pub: Publication, fmt: str, edition: Edition | None = None
                ) -> Path:
    suffix = edition.suffix if edition else ""
    return out_dir / pub.language / f"{pub.article.slug}{suffix}.{fmt}"


def print_path(path: Path) -> Path:
    """The imposed booklet beside its reading PDF; the name says it is for printing."""
    return path.with_name(path.name.removesuffix(".pdf") + ".print.pdf")


def select(
    sources: list[SourceFile], locales: Iterable[str] = (), slugs: Iterable[str] = ()
) -> list[SourceFile]:
    locales, slugs = set(locales), set(slugs)
    return [
        s for s in sources
        if (not locales or s.locale in locales) and (not slugs or s.slug in slugs)
    ]


def load_all(project: Project, sources: list[SourceFile]) -> list[Loaded]:
    """Load every article (translations are checked separately, see `check`)."""
    md = make_parser()
    loaded = []
    for source in sources:
        article_problems = Problems()
        article = load_article(source, project.allowed_roots, article_problems, md)
        loaded.append(Loaded(source, article, article_problems))
    return loaded


def check(project: Project) -> tuple[Report, list[LocaleSummary]]:
    """Every validation a build does, without rendering: fast enough to run on every save."""
    report = Report()
    load_editions(project.root, report.problems)
    loaded = load_all(project, discover(project.source_dir, report.problems))
    summaries = check_translations(loaded)
    resolve_all(project, loaded, report.problems)
    return report, summaries


def resolve_all(
    project: Project, loaded: list[Loaded], problems: Problems
) -> list[Publication]:
    """Resolve the articles that loaded cleanly; report everyone's problems."""
    strings = {
        locale: ui_strings(project, locale, problems)
        for locale in sorted({item.source.locale for item in loaded})
    }
    publications = []
    for item in loaded:
        pub = None
        if item.article is not None:
            pub = resolve(item.article, item.problems, strings[item.source.locale])
        problems.extend(item.problems.items)
        if pub is not None and not item.problems.errors:
            publications.append(pub)
    return publications


Progress = Callable[[Path], None]


@dataclass(frozen=True, slots=True)
class Job:
    """One output to render (two for a booklet): picklable, for a worker process."""

    pub: Publication
    fmt: str
    edition: Edition
    path: Path
    inputs: str

    @property
    def paths(self) -> tuple[Path, ...]:
        if self.fmt == "pdf" and self.edition.booklet:
            return (self.path, print_path(self.path))
        return (self.path,)


Result = tuple[dict[Path, bytes] | None, list[Problem]]


def render_job(job: Job, project: Project) -> Result:
    """Runs in a worker: render one output. WeasyPrint is imported only by PDF jobs."""
    problems = Problems()
    data = renderer(job.fmt)(job.pub, project, problems, job.edition)
    if data is None or problems.errors:
        return None, problems.items
    outputs = {job.path: data}
    if len(job.paths) == 2:
        from .imposition import impose_booklet

        outputs[job.paths[1]] = impose_booklet(data, rtl=job.pub.direction == "rtl")
    return outputs, problems.items


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
) -> Report:
    """find → load → check translations → resolve → plan → render (in parallel) → write."""
    formats = tuple(dict.fromkeys(formats))
    report = Report()
    config = load_editions(project.root, report.problems)
    if report.problems.errors:
        return report  # a broken editions.yaml: nothing is built until it is fixed
    chosen_editions = [e for name, e in config.editions.items() if not editions or name in
                       set(editions)]
    manifest = Manifest.load(project.out_dir)
    with _workers(jobs, formats, early=force or not manifest.entries) as pool:
        sources = discover(project.source_dir, report.problems)
        selected = select(sources, locales, slugs)
        loaded = load_all(project, with_their_sources(selected, sources))
        check_translations(loaded)
        chosen = {id(s) for s in selected}
        loaded = [item for item in loaded if id(item.source) in chosen]
        publications = resolve_all(project, loaded, report.problems)
        todo = plan(publications, chosen_editions, formats, project, manifest, force, report)
        results = run_jobs(todo, project, pool)
    write_results(todo, results, manifest, report, progress)
    return report


def with_their_sources(selected: list[SourceFile], sources: list[SourceFile]) -> list[SourceFile]:
    """The selected articles, plus every other article of the same slugs.

    A translation is checked against its source, which may not be selected (`--locale
    es`); loading the slug's other locales is cheap and covers any `source_locale`.
    """
    slugs = {s.slug for s in selected}
    chosen = {id(s) for s in selected}
    return [s for s in sources if id(s) in chosen or s.slug in slugs]


def plan(
    publications: list[Publication], editions: list[Edition], formats: tuple[str, ...],
    project: Project, manifest: Manifest, force: bool, report: Report,
) -> list[Job]:
    """Outputs to render: those whose inputs changed since they were written (or all)."""
    shared = shared_digest(project)
    todo: list[Job] = []
    claimed: dict[str, tuple[Path, str]] = {}
    for pub in publications:
        for edition in editions:
            if edition.locales and pub.language not in edition.locales:
                continue
            setting = repr(edition) + _logo_digest(edition)
            jobs = [
                Job(pub, fmt, edition, output_path(project.out_dir, pub, fmt, edition),
                    inputs_digest(pub, fmt, shared + setting))
                for fmt in edition.formats(formats)
            ]
            if not _claim(jobs, claimed, report):
                continue
            if force or not all(manifest.is_fresh(p, j.inputs) for j in jobs for p in j.paths):
                todo.extend(jobs)
            else:
                report.unchanged.extend(p for j in jobs for p in j.paths)
    report.planned = len(todo)
    return todo


def _logo_digest(edition: Edition) -> str:
    """A logo may live anywhere in the project: its bytes are an input of the edition."""
    logo = edition.brand.logo if edition.brand else None
    return hashlib.sha256(logo.read_bytes()).hexdigest() if logo and logo.is_file() else ""


def _claim(jobs: list[Job], claimed: dict[str, tuple[Path, str]], report: Report) -> bool:
    """No two articles or editions may write the same file (case-folded: one file on some
    disks)."""
    for job in jobs:
        owner = (job.pub.article.path, job.edition.name)
        for path in job.paths:
            other = claimed.setdefault(str(path).casefold(), owner)
            if other != owner:
                report.problems.error(
                    job.pub.article.path, None, f"edition '{job.edition.name}' writes the same"
                    f" output as edition '{other[1]}' of {display_path(other[0])}"
                    f" ({display_path(path)})",
                )
                return False
    return True


def write_results(
    todo: list[Job], results: list[Result], manifest: Manifest, report: Report,
    progress: Progress | None,
) -> None:
    """Write each article's outputs, all of them or none, and record them in the manifest."""
    # Temporary files left by a build that was killed mid-write (the manifest's included).
    out_dir = manifest.path.parent
    for folder in (out_dir, *(p for p in out_dir.glob("*") if p.is_dir())):
        remove_stale_temporaries(folder)
    by_article: dict[tuple[Path, str], list[tuple[Job, dict[Path, bytes] | None]]] = {}
    for job, (outputs, problems) in zip(todo, results, strict=True):
        report.problems.extend(problems)
        by_article.setdefault((job.pub.article.path, job.edition.name), []).append(
            (job, outputs))
    for article_jobs in by_article.values():
        if any(outputs is None for _, outputs in article_jobs):
            continue
        for job, outputs in article_jobs:
            for path, data in (outputs or {}).items():
                try:
                    write_atomic(path, data)
                except OSError as exc:
                    report.problems.error(path, None,
                                          f"cannot write output: {exc.strerror or exc}")
                    continue
                manifest.record(path, job.inputs, data)
                report.written.append(path)
                if progress is not None:
                    progress(path)
    if report.written:
        # The outputs are written; without a manifest the next run merely rebuilds them.
        with contextlib.suppress(OSError):
            manifest.save()


def _prepare_worker(formats: tuple[str, ...]) -> None:
    """Import the renderers a worker will need while the main process is still loading."""
    for fmt in formats:
        importlib.import_module(RENDERERS[fmt])


class _Workers:
    """A process pool started on demand, or early so its imports overlap the load stage."""

    def __init__(self, jobs: int | None, formats: tuple[str, ...], early: bool) -> None:
        self.size = jobs or os.cpu_count() or 1
        self.formats = formats
        self.pool: ProcessPoolExecutor | None = None
        if early and self.size > 1:
            self.start(self.size)

    def start(self, size: int) -> ProcessPoolExecutor:
        if self.pool is None:
            self.pool = ProcessPoolExecutor(
                max_workers=size, initializer=_prepare_worker, initargs=(self.formats,)
            )
            for _ in range(size):  # spawn the workers now (the pool spawns on demand)
                self.pool.submit(int)
        return self.pool

    def close(self) -> None:
        if self.pool is not None:
            self.pool.shutdown(cancel_futures=True)


@contextlib.contextmanager
def _workers(jobs: int | None, formats: tuple[str, ...], early: bool) -> Iterator[_Workers]:
    workers = _Workers(jobs, formats, early)
    try:
        yield workers
    finally:
        workers.close()


def run_jobs(todo: list[Job], project: Project, workers: _Workers) -> list[Result]:
    """Render every job, in parallel across processes when there is more than one."""
    if workers.pool is None and (workers.size <= 1 or len(todo) <= 1):
        return [render_job(job, project) for job in todo]
    pool = workers.start(min(workers.size, len(todo)))
    # PDFs take longest: start them first so the pool stays busy to the end.
    order = sorted(range(len(todo)), key=lambda i: todo[i].fmt != "pdf")
    results: list[Result] = [(None, [])] * len(todo)
    futures = {pool.submit(render_job, todo[i], project): i for i in order}
    for future in as_completed(futures):
        results[futures[future]] = future.result()
    return results
