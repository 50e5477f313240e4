"""Batch throughput: one process, the local pool, and Dask with two local workers.

    .venv/bin/python bench/batch.py [--articles 100] [--locales en es fr de ar]
                                    [--format pdf epub] [--modes serial pool dask]

Writes a synthetic corpus (bench/corpus.py), then builds its default edition from
scratch in each mode, as a whole `publish.py build` process, and prints for each: outputs
written, wall-clock seconds, outputs per second, CPU-seconds (every process involved:
the build, its pool workers, or the Dask scheduler and workers) and CPU-seconds per
output, and the peak resident memory of each worker process (sampled every 0.2 s). The
Dask mode starts `dask scheduler` and two `dask worker --nthreads 1` processes on
127.0.0.1 (workers in an empty folder) and stops them after. The machine's load average
is printed before and after each mode: other work on the machine inflates wall-clock
figures, much less the CPU-seconds. Nothing is asserted.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT / "tests"))

import corpus  # noqa: E402
from dask_cluster import dask_cluster as tests_cluster  # noqa: E402

PYTHON = sys.executable
ENV = {**os.environ, "PYTHONPATH": str(ROOT), "SOURCE_DATE_EPOCH": "1700000000"}


@dataclass
class Figures:
    mode: str
    outputs: int = 0
    wall: float = 0.0
    cpu: float = 0.0
    #: Peak resident memory of each worker process, MB.
    workers: list[float] = field(default_factory=list)
    build_rss: float = 0.0
    #: CPU-seconds of the build process alone (Dask mode: the client's share).
    client_cpu: float = 0.0
    load: tuple[str, str] = ("", "")

    def line(self) -> str:
        rate = self.outputs / self.wall if self.wall else 0.0
        per = self.cpu / self.outputs if self.outputs else 0.0
        peak = max(self.workers, default=0.0)
        client = (f", of which the client {self.client_cpu:.1f} s ="
                  f" {1000 * self.client_cpu / self.outputs:.0f} ms/output"
                  if self.client_cpu and self.outputs else "")
        return (f"{self.mode:7} {self.outputs:5d} outputs {self.wall:7.1f} s {rate:6.2f}/s"
                f"  CPU {self.cpu:7.1f} s = {per:5.2f} s/output{client}; worker processes"
                f" {len(self.workers)}, peak RSS {peak:4.0f} MB (the largest); build process"
                f" {self.build_rss:4.0f} MB  (load {self.load[0]} → {self.load[1]})")


def load_average() -> str:
    return " ".join(f"{x:.1f}" for x in os.getloadavg())


def cpu_of(processes: list[psutil.Process]) -> float:
    total = 0.0
    for process in processes:
        with contextlib.suppress(psutil.Error):
            times = process.cpu_times()
            total += times.user + times.system
    return total


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run_build(args: list[str], figures: Figures, workers: list[psutil.Process] | None = None
              ) -> None:
    """Run one build, sampling the memory of its worker processes (its children, or the
    given ones)."""
    # Its output goes to files: a pipe nobody reads until the end would fill and stop it.
    with tempfile.TemporaryFile("w+") as log, tempfile.TemporaryFile("w+") as errors:
        peaks: dict[int, float] = {}
        before_children = children_cpu()
        before_workers = cpu_of(workers or [])
        start = time.perf_counter()
        build = subprocess.Popen([PYTHON, str(ROOT / "publish.py"), "build", *args],
                                 cwd=ROOT, env=ENV, stdout=log, stderr=errors, text=True)
        main = psutil.Process(build.pid)
        build_peak = 0.0
        while build.poll() is None:
            with contextlib.suppress(psutil.Error):
                build_peak = max(build_peak, main.memory_info().rss / 2**20)
                for process in workers if workers is not None else _python_children(main):
                    rss = process.memory_info().rss / 2**20
                    peaks[process.pid] = max(peaks.get(process.pid, 0.0), rss)
            time.sleep(0.2)
        figures.wall = time.perf_counter() - start
        log.seek(0)
        errors.seek(0)
        if build.returncode != 0:
            raise SystemExit(f"{figures.mode}: build failed ({build.returncode}):\n"
                             f"{errors.read()}")
        figures.outputs = sum(line.startswith("wrote ") for line in log)
    figures.cpu = children_cpu() - before_children + cpu_of(workers or []) - before_workers
    if workers is not None:
        figures.client_cpu = children_cpu() - before_children
    figures.workers = sorted(peaks.values())
    figures.build_rss = build_peak


def _python_children(process: psutil.Process) -> list[psutil.Process]:
    """The pool's worker processes (not the fc-match runs of the cover)."""
    found = []
    for child in process.children(recursive=True):
        with contextlib.suppress(psutil.Error):
            if child.name().startswith("python"):
                found.append(child)
    return found


@contextlib.contextmanager
def dask_cluster(folder: Path, workers: int) -> Iterator[tuple[str, list[psutil.Process]]]:
    """The tests' cluster (tests/dask_cluster.py: `dask scheduler` and `workers`
    one-thread workers on 127.0.0.1, stopped after) with the bench's environment: its
    address, and its processes, the scheduler first."""
    with tests_cluster(folder, workers, worker_env=[ENV] * workers,
                       scheduler_env=ENV) as cluster:
        yield cluster.address, [psutil.Process(p.pid)
                                for p in (cluster.scheduler, *cluster.workers)]


def check_time(source: Path) -> None:
    """What the client does alone before it sends a job: load, check and resolve every
    article (`publish.py check`)."""
    before = children_cpu()
    start = time.perf_counter()
    subprocess.run([PYTHON, str(ROOT / "publish.py"), "check", "--source", str(source)],
                   cwd=ROOT, env=ENV, check=True, stdout=subprocess.DEVNULL)
    wall, cpu = time.perf_counter() - start, children_cpu() - before
    count = len(list(source.glob("*/*.md")))
    print(f"check   {count:5d} articles {wall:7.1f} s  CPU {cpu:7.1f} s ="
          f" {1000 * cpu / count:.0f} ms/article  (load {load_average()})", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=100)
    parser.add_argument("--locales", nargs="+", default=["en", "es", "fr", "de", "ar"])
    parser.add_argument("--format", nargs="+", default=["pdf", "epub"])
    parser.add_argument("--edition", nargs="+", default=["default"],
                        help="editions to build; 'all' for every edition in editions.yaml")
    parser.add_argument("--modes", nargs="+", default=["serial", "pool", "dask"],
                        choices=["serial", "pool", "dask"])
    args = parser.parse_args()
    scratch = Path(tempfile.mkdtemp(prefix="pressroom-batch-"))
    try:
        source = scratch / "source"
        count = corpus.write(source, args.articles, args.locales)
        editions = [] if args.edition == ["all"] else ["--edition", *args.edition]
        print(f"corpus: {args.articles} articles x {len(args.locales)} locales = {count}"
              f" article files; edition {' '.join(args.edition)}, {' + '.join(args.format)};"
              f" cores: {os.cpu_count()}", flush=True)
        check_time(source)
        common = ["--source", str(source), *editions, "--format", *args.format]
        for mode in args.modes:
            out = scratch / f"out-{mode}"
            figures = Figures(mode)
            before = load_average()
            if mode == "serial":
                run_build([*common, "--out", str(out), "--jobs", "1"], figures)
            elif mode == "pool":
                run_build([*common, "--out", str(out)], figures)
            else:
                folder = scratch / "dask"
                folder.mkdir()
                with dask_cluster(folder, 2) as (address, processes):
                    scheduler, workers = processes[0], processes[1:]
                    before_scheduler = cpu_of([scheduler])
                    run_build([*common, "--out", str(out), "--scheduler", address], figures,
                              workers)
                    figures.cpu += cpu_of([scheduler]) - before_scheduler
            figures.load = (before, load_average())
            print(figures.line(), flush=True)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()
