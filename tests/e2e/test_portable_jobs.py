"""A render job carries everything it reads: planned here, it runs in fresh processes
started in an empty folder, the project gone, and makes the same bytes (what a cluster's
workers rely on). End-to-end: real layouts in spawned processes."""

from __future__ import annotations

import multiprocessing
import os
import shutil
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from conftest import copy_project

from pressroom.build.plan import make_jobs
from pressroom.core.errors import Problems
from pressroom.core.project import Project
from pressroom.core.settings import Settings
from pressroom.editions.config import Edition
from pressroom.render.protocol import run_job
from pressroom.session.caches import Session


def test_jobs_run_elsewhere_without_the_project(tmp_path: Path, root: Path) -> None:
    """Plan the jobs, take the project away, run them in fresh processes started in an
    empty folder: the outputs are byte for byte those of a local build."""
    settings = Settings(source_date_epoch=1_700_000_000)
    project_dir = copy_project(tmp_path / "project")
    shutil.copy(root / "editions.yaml", project_dir / "editions.yaml")
    session = Session(Project.at(project_dir), settings)
    problems = Problems()
    loaded, _ = session.select(session.sources(problems), ["ar"])
    (pub,) = session.publications(loaded, problems)
    shared = session.shared_bundle()
    editions = [Edition(), Edition("booklet", paper="A5", booklet=True)]
    jobs = [job for e in editions for job in make_jobs(session, pub, e, ("pdf", "epub"), shared)]
    expected = {}
    for job in jobs:
        result = run_job(job)
        assert result.files is not None, [str(p) for p in result.problems]
        expected.update(result.files)

    project_dir.rename(tmp_path / "moved-away")
    empty = tmp_path / "empty"
    empty.mkdir()
    cwd = Path.cwd()
    os.chdir(empty)
    try:
        context = multiprocessing.get_context("spawn")
        with ProcessPoolExecutor(2, mp_context=context) as pool:
            results = list(pool.map(run_job, jobs))
    finally:
        os.chdir(cwd)
    elsewhere = {}
    for result in results:
        assert result.files is not None, [str(p) for p in result.problems]
        elsewhere.update(result.files)
    assert sorted(elsewhere) == sorted(expected) == [
        "ar/muscle-spasms.booklet.pdf", "ar/muscle-spasms.booklet.print.pdf",
        "ar/muscle-spasms.epub", "ar/muscle-spasms.pdf"]
    for name, data in expected.items():
        assert elsewhere[name] == data, name
