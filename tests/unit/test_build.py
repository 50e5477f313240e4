"""The build's straight line: executors, progress, the collection step and pruning."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from helpers import build

from pressroom.build.executors import InlineExecutor, LocalExecutor, local_executor
from pressroom.core.project import Project
from pressroom.render import protocol as renderer

ARTICLE = "---\ntitle: {title}\n---\n\n# Only\n\nText.\n"


def project_with(make_project, **articles: str) -> Project:
    """Articles given as locale__slug=title."""
    return Project.at(make_project({
        f"{key.replace('__', '/')}.md": ARTICLE.format(title=title)
        for key, title in articles.items()
    }))


def files(out: Path) -> list[str]:
    return sorted(p.relative_to(out).as_posix() for p in out.rglob("*")
                  if p.is_file() and not p.name.startswith("."))


@pytest.fixture
def with_index(monkeypatch):
    """Register the tests' collecting renderer (tests/index_renderer.py) as `index`."""
    monkeypatch.setitem(renderer.RENDERERS, "index", "index_renderer")


class Recorder:
    def __init__(self) -> None:
        self.events: list[tuple[str, object]] = []

    def start(self, total: int) -> None:
        self.events.append(("start", total))

    def wrote(self, path: Path) -> None:
        self.events.append(("wrote", path.name))

    def removed(self, path: Path) -> None:
        self.events.append(("removed", path.name))


def test_any_executor_runs_the_jobs_and_progress_knows_the_total_first(make_project) -> None:
    project = project_with(make_project, en__a="A", en__b="B")
    progress = Recorder()
    with ThreadPoolExecutor(2) as pool:
        report = build(project, formats=("epub",), executor=pool, progress=progress)
    assert report.ok and report.planned == 2
    assert progress.events[0] == ("start", 2)
    assert sorted(progress.events[1:]) == [("wrote", "a.epub"), ("wrote", "b.epub")]


def test_small_builds_run_in_process_and_ebooks_beside_the_leaflets() -> None:
    heavy = ("pdf",)
    assert isinstance(local_executor(None, ["pdf"], heavy), InlineExecutor)
    assert isinstance(local_executor(1, ["pdf", "epub"] * 20, heavy), InlineExecutor)
    for planned, workers, inline in [
        (["pdf", "epub"], 1, ("epub",)),  # one leaflet: one worker, the ebook here
        (["pdf"] * 40 + ["epub"] * 10, 2, ()),  # a batch: the workers take everything
        (["epub"] * 5, 2, ()),  # ebooks only: in the workers
    ]:
        pool = local_executor(2, planned, heavy)
        try:
            assert isinstance(pool, LocalExecutor)
            assert pool.pool._max_workers == workers and pool.inline == inline, planned
        finally:
            pool.shutdown()


def test_collection_step_sees_every_article_and_rebuilds_only_on_change(
        make_project, with_index) -> None:
    project = project_with(make_project, en__a="Alpha", en__b="Beta", es__a="Alfa")
    out = project.out_dir
    build(project, formats=("epub", "index"))
    assert (out / "en/index.txt").read_text() == (
        "Alpha: en/a.pdf en/a.epub en/a.html en/a.cover.png en/a.thumbnail.png\n"
        "Beta: en/b.pdf en/b.epub en/b.html en/b.cover.png en/b.thumbnail.png\n")
    assert (out / "es/index.txt").read_text() == (
        "Alfa: es/a.pdf es/a.epub es/a.html es/a.cover.png es/a.thumbnail.png\n")
    again = build(project, formats=("epub", "index"))
    assert again.written == []
    # A build of one locale still lists every article of the others: the library is whole.
    article = project.source_dir / "en" / "b.md"
    article.write_text(ARTICLE.format(title="Bravo"), "utf-8")
    report = build(project, formats=("epub", "index"), locales=["es"])
    assert sorted(p.name for p in report.written) == ["index.txt"]
    assert "Bravo" in (out / "en/index.txt").read_text()


def test_outputs_of_a_removed_article_locale_or_edition_are_pruned(
        make_project, with_index) -> None:
    project = project_with(make_project, en__a="Alpha", en__gone="Gone", es__a="Alfa")
    out = project.out_dir
    build(project, formats=("epub", "index"))
    keep = out / "en" / "notes-of-mine.txt"  # never recorded by a build: never removed
    keep.write_text("mine", "utf-8")
    (project.source_dir / "en" / "gone.md").unlink()
    for path in (project.source_dir / "es").iterdir():
        path.unlink()
    (project.source_dir / "es").rmdir()
    progress = Recorder()
    report = build(project, formats=("epub", "index"), progress=progress)
    assert sorted(p.relative_to(out).as_posix() for p in report.removed) == [
        "en/gone.epub", "es/a.epub", "es/index.txt"]
    assert ("removed", "gone.epub") in progress.events
    assert files(out) == ["en/a.epub", "en/index.txt", "en/notes-of-mine.txt"]


def test_an_edition_removed_from_editions_yaml_is_pruned(make_project) -> None:
    project = project_with(make_project, en__a="Alpha")
    (project.root / "editions.yaml").write_text(
        "editions:\n  letter:\n    paper: letter\n", "utf-8")
    build(project, formats=("pdf",))
    assert files(project.out_dir) == ["en/a.letter.pdf", "en/a.pdf"]
    (project.root / "editions.yaml").write_text("editions: {}\n", "utf-8")
    report = build(project, formats=("pdf",))
    assert [p.name for p in report.removed] == ["a.letter.pdf"]
    assert files(project.out_dir) == ["en/a.pdf"]


def test_nothing_is_pruned_when_articles_could_not_all_be_found(make_project) -> None:
    project = project_with(make_project, en__a="Alpha", es__a="Alfa")
    build(project, formats=("epub",))
    (project.source_dir / "es").rename(project.source_dir / "es_ES")  # not a locale tag
    report = build(project, formats=("epub",))
    assert not report.ok and report.removed == []
    assert files(project.out_dir) == ["en/a.epub", "es/a.epub"]


def test_a_selective_build_keeps_the_others(make_project) -> None:
    project = project_with(make_project, en__a="Alpha", es__a="Alfa")
    build(project, formats=("epub",))
    report = build(project, formats=("pdf",), locales=["en"])
    assert report.removed == []
    assert files(project.out_dir) == ["en/a.epub", "en/a.pdf", "es/a.epub"]


@pytest.mark.parametrize(("window", "hung", "written"), [
    (None, "es", ["de", "en"]),
    # One article at a time: the first hangs, the others are never given; none is built.
    (1, "de", []),
])
def test_a_job_that_never_finishes_is_given_up_at_the_bound(
        make_project, monkeypatch: pytest.MonkeyPatch, window: int | None, hung: str,
        written: list[str]) -> None:
    """Nothing waits for ever: with no job finished within PRESSROOM_JOB_TIMEOUT, the
    executor abandons the jobs in flight, their outputs and those of the jobs not yet
    given are not built (said in one line), and every other output is written."""
    from concurrent.futures import Future

    from pressroom.build.executors import JobExecutor
    from pressroom.render.protocol import RenderJob, RenderResult, run_job

    class Hanging(InlineExecutor):
        """Runs each job here, but one article's never finishes."""

        abandoned = False

        def submit_job(self, job: RenderJob) -> Future[RenderResult]:
            if job.publication.language == hung:
                return Future()  # never set: a worker that hangs
            return self.submit(run_job, job)

        def abandon(self) -> None:
            self.abandoned = True

    monkeypatch.setenv("PRESSROOM_JOB_TIMEOUT", "0.5")
    executor = Hanging()
    executor.window = window
    assert isinstance(executor, JobExecutor)
    project = Project.at(make_project())
    report = build(project, ["epub"], ["de", "en", "es"], executor=executor)
    assert executor.abandoned
    assert report.not_run == ("no render job finished in 0.5 s, the bound"
                              " (PRESSROOM_JOB_TIMEOUT): stopped waiting")
    assert sorted(p.relative_to(project.out_dir).as_posix() for p in report.not_built) == [
        f"{locale}/muscle-spasms.epub" for locale in ("de", "en", "es")
        if locale not in written]
    assert sorted(p.relative_to(project.out_dir).as_posix() for p in report.written) == [
        f"{locale}/muscle-spasms.epub" for locale in written]
    assert not (project.out_dir / hung).exists()


def test_after_a_hung_worker_new_workers_build_the_pages(
        make_project, monkeypatch: pytest.MonkeyPatch) -> None:
    """Local workers given up at the bound are killed and new ones started: the pages,
    rendered after the ebooks, are built by them (but not the hung article's page)."""
    import time

    import pressroom.render.epub.renderer as epub

    real = epub.render

    def render(job, problems):  # what the workers, forked below, run
        if job.publication.language == "es":
            time.sleep(3600)  # a worker that hangs
        return real(job, problems)

    monkeypatch.setattr(epub, "render", render)
    monkeypatch.setenv("PRESSROOM_JOB_TIMEOUT", "2")
    project = Project.at(make_project())
    executor = LocalExecutor(2, ["epub", "html"])  # every job in a worker
    try:
        report = build(project, ["epub", "html"], ["de", "en", "es"], executor=executor)
    finally:
        executor.shutdown(wait=True)
    assert report.not_run.startswith("no render job finished in 2 s")
    written = sorted(p.relative_to(project.out_dir).as_posix() for p in report.written)
    assert [name for name in written if "/muscle-spasms." in name] == [
        f"{locale}/muscle-spasms.{ext}" for locale in ("de", "en")
        for ext in ("cover.png", "epub", "html", "thumbnail.png")]
    assert "es/muscle-spasms.epub" in [
        p.relative_to(project.out_dir).as_posix() for p in report.not_built]


@pytest.mark.parametrize(("value", "seconds"), [
    ("", 600.0), ("30", 30.0), ("inf", 600.0), ("nan", 600.0), ("-1", 600.0),
    ("soon", 600.0), ("1e30", None)])
def test_the_job_bound_is_always_one_a_wait_can_use(
        monkeypatch: pytest.MonkeyPatch, value: str, seconds: float | None) -> None:
    """`inf` is no bound (nothing waits for ever): the default; a huge one is cut to the
    longest a wait can be (else the wait itself fails with OverflowError)."""
    import queue
    import threading

    from pressroom.build.executors import job_timeout

    monkeypatch.setenv("PRESSROOM_JOB_TIMEOUT", value)
    assert job_timeout() == (threading.TIMEOUT_MAX if seconds is None else seconds)
    waiting: queue.SimpleQueue[int] = queue.SimpleQueue()
    waiting.put(1)
    assert waiting.get(timeout=job_timeout()) == 1


@pytest.mark.parametrize("stopped", [False, True])
def test_a_stopped_executor_leaves_no_thread_for_pythons_exit(stopped: bool) -> None:
    """When `stop` returns, the pool's manager thread has closed its pipes and ended,
    whether the workers exited or had to be killed (here: SIGSTOPped, as hung ones are).
    Python 3.11's exit would otherwise wake it through a pipe it may be closing, and
    print a traceback after the build's last line."""
    import os
    import signal

    executor = LocalExecutor(2, ["epub"])
    workers = executor._processes()
    manager = executor.pool._executor_manager_thread
    assert len(workers) == 2 and manager is not None and manager.is_alive()
    if stopped:
        for worker in workers:
            os.kill(worker.pid, signal.SIGSTOP)
    executor.stop(0.5 if stopped else 30)
    assert not manager.is_alive()
    assert not [worker for worker in workers if worker.is_alive()]


def test_a_ctrl_c_during_a_submit_is_raised_after_it() -> None:
    """A Ctrl-C pressed just as the pool took a lock of its queues (seen: the lock was
    left held, the pool's thread waited on it for ever, and the build's end waited the
    whole job bound for workers never told to stop). It is raised once the submit is
    done: the lock is free and the workers stop."""
    import os
    import signal
    import threading

    previous = signal.signal(signal.SIGINT, signal.default_int_handler)  # as in a build
    executor = LocalExecutor(1, ["epub"])
    workers = executor._processes()
    queue = executor.pool._work_ids

    class Interrupted(threading.Condition):
        def __enter__(self) -> bool:
            entered = super().__enter__()
            os.kill(os.getpid(), signal.SIGINT)  # pressed now, the lock just taken
            for _ in range(1000):  # Python runs the signal's handler here, at the latest
                pass
            return entered

    queue.not_full = Interrupted(queue.mutex)
    try:
        with pytest.raises(KeyboardInterrupt):
            executor.submit(int)
        assert queue.mutex.acquire(timeout=5)
        queue.mutex.release()
    finally:
        signal.signal(signal.SIGINT, previous)
        executor.stop(30)
    assert not [worker for worker in workers if worker.is_alive()]
