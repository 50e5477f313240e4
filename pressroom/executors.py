"""Where render jobs run: any `concurrent.futures.Executor`.

The build submits self-contained jobs and writes each result as it arrives, so the
same code runs jobs in this process (a job or two: no pool to start), in a local
process pool (a batch), or on a cluster (Dask's `Client.get_executor()`).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from typing import Any

from .renderer import prepare


class InlineExecutor(Executor):
    """Runs each job when it is submitted, in the calling process."""

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future[Any]:
        future: Future[Any] = Future()
        try:
            future.set_result(fn(*args, **kwargs))
        except BaseException as exc:
            if isinstance(exc, KeyboardInterrupt | SystemExit):
                raise
            future.set_exception(exc)
        return future


def cpu_count() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (
        os.cpu_count() or 1)


def process_pool(workers: int, formats: Sequence[str]) -> ProcessPoolExecutor:
    """A local pool whose workers import the renderers' libraries as they start, while
    the main process is still loading articles."""
    pool = ProcessPoolExecutor(max_workers=workers, initializer=prepare,
                               initargs=(tuple(formats),))
    for _ in range(workers):  # start every worker now (the pool starts them on demand)
        pool.submit(int)
    return pool


def local_executor(jobs: int | None, planned: int, formats: Sequence[str]) -> Executor:
    """In-process for one job (or `--jobs 1`), else a pool of at most one worker per job."""
    workers = min(jobs or cpu_count(), planned)
    if workers <= 1:
        return InlineExecutor()
    return process_pool(workers, formats)
