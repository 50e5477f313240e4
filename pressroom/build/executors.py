"""Where render jobs run: this process, local worker processes, or a cluster.

The build submits self-contained jobs and writes each result as it arrives, so the
same code runs jobs in this process, in local worker processes, or on a cluster (Dask's
`Client.get_executor()`). Without one given, the build uses `LocalExecutor`. Every
executor the build uses is a `JobExecutor`, the protocol below; any other
`concurrent.futures.Executor` (a thread pool in a test) is adapted by `job_executor`.
"""

from __future__ import annotations

import contextlib
import gc
import multiprocessing
import multiprocessing.connection
import os
import signal
import time
from collections.abc import Callable, Sequence
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

from pressroom.content.elsewhere import Parsed, ToParse
from pressroom.core.processes import seconds_from_environ
from pressroom.core.settings import Settings
from pressroom.core.writing import deferred_interrupts, ignored_interrupts
from pressroom.render.protocol import RenderJob, RenderResult, run_job


class NotRun(Exception):
    """The executor could not run a job — its machine or its scheduler went away — through
    no fault of the job: the build counts its outputs as not built, to be built next time."""


@runtime_checkable
class JobExecutor(Protocol):
    """What the build submits render jobs to."""

    #: How many jobs to keep in flight at once (None: submit them all). A cluster's
    #: jobs are pickled copies held until done, so it takes them a window at a time, and
    #: one article and edition's jobs together (`submit_jobs`).
    window: int | None

    def submit_job(self, job: RenderJob) -> Future[RenderResult]: ...

    def submit_jobs(self, jobs: Sequence[RenderJob]) -> list[Future[RenderResult]]:
        """The jobs of one article and edition, which share its publication and bundle
        (of several, `groups_per_call`). Here, one by one; an executor that sends jobs to
        another machine sends them as one (a cluster: one task, one copy of what they
        share, one answer)."""
        return [self.submit_job(job) for job in jobs]

    def groups_per_call(self, groups: int) -> int:
        """How many articles' jobs (of `groups` still to run) a windowed build gives
        `submit_jobs` in one call. Here, one."""
        return 1

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None: ...

    def abandon(self) -> None:
        """Give up the jobs in flight, waiting for none: one has hung (the build's bound,
        `job_timeout`). Here, those not started are cancelled."""
        self.shutdown(wait=False, cancel_futures=True)

    def stop(self, bound: float) -> None:
        """The end of a local build, Ctrl-C's included, waiting at most `bound` seconds
        for the jobs in hand. Here, a plain shutdown: the jobs ran in this process."""
        self.shutdown(wait=True)

    def parse(self, batch: Sequence[ToParse], allowed_roots: tuple[Path, ...],
              settings: Settings) -> Sequence[Parsed | None] | None:
        """The load stage (and resolving) of articles no cache holds, done where the jobs
        run (content/elsewhere.py); None: in this process. Here, None: a local worker
        is busy importing its renderer then, and an article parses faster than it
        travels there and back."""
        return None


#: The longest a build waits for the next render job to finish (any of those in flight):
#: a leaflet takes about a second, a megabyte article half a minute, so a build with no
#: job done in this long has a worker that hangs. `PRESSROOM_JOB_TIMEOUT` (seconds)
#: changes it.
JOB_TIMEOUT_SECONDS = 600.0


def job_timeout() -> float:
    return seconds_from_environ("PRESSROOM_JOB_TIMEOUT", JOB_TIMEOUT_SECONDS)


class PlainExecutor(JobExecutor):
    """Any `concurrent.futures.Executor` as a JobExecutor: every job at once."""

    window: int | None = None

    def __init__(self, executor: Executor) -> None:
        self.executor = executor

    def submit_job(self, job: RenderJob) -> Future[RenderResult]:
        return self.executor.submit(run_job, job)

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        self.executor.shutdown(wait=wait, cancel_futures=cancel_futures)


def job_executor(executor: Executor | JobExecutor) -> JobExecutor:
    """The executor itself when it is a JobExecutor, else adapted."""
    if isinstance(executor, JobExecutor):
        return executor
    return PlainExecutor(executor)


class InlineExecutor(Executor, JobExecutor):
    """Runs each job when it is submitted, in the calling process."""

    window: int | None = None

    def submit_job(self, job: RenderJob) -> Future[RenderResult]:
        return self.submit(run_job, job)

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


def _prepare(formats: tuple[str, ...]) -> None:
    # Ctrl-C in a terminal reaches every process of the group: the build (this worker's
    # parent) stops cleanly, a worker just finishes its job instead of printing a
    # traceback. (Forked workers inherit this already; see LocalExecutor.)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    from pressroom.render.protocol import prepare

    prepare(formats)


class LocalExecutor(Executor, JobExecutor):
    """Worker processes for the slow formats, this process for the quick ones.

    A leaflet takes most of a second to lay out and WeasyPrint most of a second to
    import; an ebook takes a tenth. So the workers render the slow formats (`heavy`),
    and while they do, the quick ones run here, as they are submitted. When nothing slow
    is wanted, the workers take everything. The workers start when the executor is made
    — the build makes it before loading the articles when it can tell that slow jobs
    are coming — so their imports overlap the loading. They are forked from this
    process, which has already imported Pressroom.
    """

    def __init__(self, workers: int, heavy: Sequence[str], inline: Sequence[str] = ()) -> None:
        self.heavy = tuple(heavy)
        self.inline = tuple(inline)
        self.workers = workers
        self.pool = self._start()
        self._here = InlineExecutor()

    def _start(self) -> ProcessPoolExecutor:
        context = multiprocessing.get_context("fork" if hasattr(os, "fork") else "spawn")
        gc.freeze()  # the workers' collector never walks (and copies) what they inherit
        # Forked with Ctrl-C ignored, so not even a worker still starting up prints a
        # traceback when it is pressed.
        with ignored_interrupts():
            pool = ProcessPoolExecutor(max_workers=self.workers, mp_context=context,
                                       initializer=_prepare, initargs=(self.heavy,))
            for _ in range(self.workers):  # start every worker now (else on demand)
                pool.submit(int)
        return pool

    window: int | None = None

    def submit_job(self, job: RenderJob) -> Future[RenderResult]:
        if job.format in self.inline:
            return self._here.submit(run_job, job)
        return self.submit(run_job, job)

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future[Any]:
        # Ctrl-C is raised after the pool's own bookkeeping, never inside it: raised just
        # as a lock of its queues was taken (`with` had not begun), it left the lock held,
        # the pool's manager thread waited on it for ever, so the workers were never told
        # to stop and the build waited the whole job bound for them (seen: 1 Ctrl-C in 45).
        with deferred_interrupts():
            return self.pool.submit(fn, *args, **kwargs)

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        if wait:  # mostly the wait for the jobs in hand, where Ctrl-C must still stop it
            self.pool.shutdown(wait=True, cancel_futures=cancel_futures)
            return
        with deferred_interrupts():  # (as in `submit`: microseconds, under the pool's lock)
            self.pool.shutdown(wait=False, cancel_futures=cancel_futures)

    def abandon(self) -> None:
        """The workers are killed, a hung one with the rest (shutting down waits for the
        jobs in hand, so it would wait for ever), and new ones started for the build's
        next jobs (its pages)."""
        _kill(self._processes())
        self.shutdown(wait=False, cancel_futures=True)
        self.pool = self._start()

    def stop(self, bound: float) -> None:
        """The end of the build, Ctrl-C's included: jobs not begun are dropped, each
        worker finishes the job in hand (workers ignore Ctrl-C) and exits. Waited for at
        most `bound` seconds: past it, or at a second Ctrl-C, the workers are killed, so
        a hung one is neither waited for for ever nor left running."""
        processes = self._processes()
        running = [process.sentinel for process in processes]  # readable once it exits
        # (The pool forgets its manager thread when it is shut down.)
        manager = getattr(self.pool, "_executor_manager_thread", None)
        try:
            self.shutdown(wait=False, cancel_futures=True)
            deadline = time.monotonic() + bound
            while running and (left := deadline - time.monotonic()) > 0:
                exited = multiprocessing.connection.wait(running, left)
                running = [sentinel for sentinel in running if sentinel not in exited]
        except KeyboardInterrupt:
            pass  # a second Ctrl-C: no more waiting
        finally:
            with ignored_interrupts():
                _kill([p for p in processes if p.sentinel in running])
                if manager is not None:
                    # Ends in milliseconds once the workers are gone; bounded all the
                    # same. Python 3.11's exit wakes this thread through a pipe without
                    # its lock, so a thread still closing the pipe then printed
                    # "Exception ignored in: <module 'threading'>" and a traceback
                    # after the build's last line (seen under load; gh-109047).
                    manager.join(min(bound, 10.0))

    def _processes(self) -> list[multiprocessing.process.BaseProcess]:
        """The pool's workers (`_processes`: its own record of them; Python 3.14 adds
        `ProcessPoolExecutor.kill_workers()`)."""
        return list((getattr(self.pool, "_processes", None) or {}).values())


def _kill(processes: Sequence[multiprocessing.process.BaseProcess]) -> None:
    """Kill and reap them (a stopped one too: SIGKILL ends it)."""
    for process in processes:
        with contextlib.suppress(OSError):
            process.kill()
    for process in processes:
        with contextlib.suppress(OSError, AssertionError):
            process.join(5)


def local_executor(jobs: int | None, planned: Sequence[str], heavy: Sequence[str]
                   ) -> InlineExecutor | LocalExecutor:
    """The executor for `planned` jobs (their formats); `jobs` caps the worker processes.

    One job, or `--jobs 1`: this process. Otherwise workers for the heavy jobs (the
    quick ones run here), or for every job when none is heavy.
    """
    limit = jobs or cpu_count()
    slow = [fmt for fmt in planned if fmt in heavy]
    if limit <= 1 or len(planned) <= 1:
        return InlineExecutor()
    if slow and len(slow) < limit * 4:
        quick = sorted(set(planned) - set(heavy))
        return LocalExecutor(min(limit, len(slow)), sorted(set(slow)), quick)
    return LocalExecutor(min(limit, len(planned)), sorted(set(planned)))
