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


def test_a_job_that_never_finishes_is_given_up_at_the_bound(
        make_project, monkeypatch: pytest.MonkeyPatch) -> None:
    """Nothing waits for ever: with no job finished within PRESSROOM_JOB_TIMEOUT, the
    executor abandons the jobs in flight, their outputs are not built (said in one
    line), and every other output is written."""
    from concurrent.futures import Future

    from pressroom.build.executors import JobExecutor
    from pressroom.render.protocol import RenderJob, RenderResult, run_job

    class Hanging(InlineExecutor):
        """Runs each job here, but the Spanish one never finishes."""

        abandoned = False

        def submit_job(self, job: RenderJob) -> Future[RenderResult]:
            if job.publication.language == "es":
                return Future()  # never set: a worker that hangs
            return self.submit(run_job, job)

        def abandon(self) -> None:
            self.abandoned = True

    monkeypatch.setenv("PRESSROOM_JOB_TIMEOUT", "0.5")
    executor = Hanging()
    assert isinstance(executor, JobExecutor)
    project = Project.at(make_project())
    report = build(project, ["epub"], ["de", "en", "es"], executor=executor)
    assert executor.abandoned
    assert report.not_run == ("no render job finished in 0.5 s, the bound"
                              " (PRESSROOM_JOB_TIMEOUT): stopped waiting")
    assert [p.relative_to(project.out_dir).as_posix() for p in report.not_built] == [
        "es/muscle-spasms.epub"]
    assert sorted(p.relative_to(project.out_dir).as_posix() for p in report.written) == [
        "de/muscle-spasms.epub", "en/muscle-spasms.epub"]
    assert not (project.out_dir / "es").exists()


def test_the_previews_worker_abandoned_is_killed_and_replaced(root: Path) -> None:
    """The preview's leaflet worker, given up by a build (a job that hung): the stuck
    process is gone and the next leaflet is laid out by a new one."""
    import os
    import signal

    from conftest import DATA, load, render_job

    from pressroom.content.resolve import resolve
    from pressroom.core.errors import Problems
    from pressroom.preview.worker import LeafletWorker

    article, _ = load(DATA / "articles" / "complete.md")
    job = render_job(resolve(article, Problems()), root)
    worker = LeafletWorker()
    try:
        first = worker.submit_job(job)
        stuck = next(iter(worker._pool.pool._processes))  # the pool's one worker
        os.kill(stuck, signal.SIGSTOP)
        worker.abandon()
        with pytest.raises(Exception):  # noqa: B017  (the pool says it broke)
            first.result(timeout=30)
        again = worker.submit_job(job).result(timeout=120)
        assert again.files and again.files[job.outputs[0].path].startswith(b"%PDF-")
        assert not os.path.exists(f"/proc/{stuck}") or _zombie(stuck)
    finally:
        worker.shutdown(wait=True)


def _zombie(pid: int) -> bool:
    with open(f"/proc/{pid}/stat") as stat:
        return stat.read().rsplit(")", 1)[1].split()[0] == "Z"
