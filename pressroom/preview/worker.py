"""The preview's leaflet worker: one process that lays out leaflets in the background,
started early, and whose waits a newer save cuts short.

A leaflet takes most of a second to lay out; the page the author is looking at, a
tenth. So the leaflet of a saved article is started in a worker process at once
(`start`), while this process builds the page; the leaflet build that follows finds the
job already running (the same inputs: the same job) and only waits for it. When the
author saves again meanwhile, `supersede` ends every wait with `NotRun`: that build
writes nothing, and the builder goes on with the newer save instead of waiting behind
the older one. The job in hand finishes in the worker and its result is dropped (a
worker stopped mid-job would have to load WeasyPrint and its fonts again).
"""

from __future__ import annotations

import threading
from concurrent.futures import Future
from concurrent.futures.process import BrokenProcessPool

from pressroom.build.executors import JobExecutor, LocalExecutor, NotRun
from pressroom.render.protocol import RenderJob, RenderResult

SUPERSEDED = "superseded by a newer save"


class LeafletWorker(JobExecutor):
    """A JobExecutor: leaflets in one worker process, everything else in this one."""

    window: int | None = None

    def __init__(self, heavy: tuple[str, ...] = ("pdf",),
                 inline: tuple[str, ...] = ("epub", "html")) -> None:
        self.heavy, self.inline = heavy, inline
        self._lock = threading.Lock()
        self._pool = LocalExecutor(1, heavy, inline)
        #: The jobs started ahead of their build, by their inputs' digest.
        self._started: dict[str, Future[RenderResult]] = {}
        #: What builds wait on; `supersede` ends these waits.
        self._waiting: set[Future[RenderResult]] = set()
        self._cut = False

    def start(self, job: RenderJob) -> None:
        """Start a job now, before the build that will ask for it."""
        with self._lock:
            if not self._cut and job.inputs not in self._started:
                self._started[job.inputs] = self._submit(job)

    def submit_job(self, job: RenderJob) -> Future[RenderResult]:
        if job.format not in self.heavy:
            return self._pool.submit_job(job)
        proxy: Future[RenderResult] = Future()
        with self._lock:
            if self._cut:
                proxy.set_exception(NotRun(SUPERSEDED))
                return proxy
            inner = self._started.pop(job.inputs, None) or self._submit(job)
            self._waiting.add(proxy)
        inner.add_done_callback(lambda done: self._relay(done, proxy))
        return proxy

    def supersede(self) -> None:
        """A newer save: end every wait, start nothing more until `resume`."""
        with self._lock:
            self._cut = True
            self._started.clear()
            for proxy in self._waiting:
                if not proxy.done():
                    proxy.set_exception(NotRun(SUPERSEDED))
            self._waiting.clear()

    def resume(self) -> None:
        with self._lock:
            self._cut = False

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        self._pool.shutdown(wait=wait, cancel_futures=cancel_futures)

    def abandon(self) -> None:
        """A leaflet that hung (the build's bound): its worker is killed, and a new one
        started for the next save (`LocalExecutor.abandon`) — the preview keeps serving."""
        with self._lock:
            self._pool.abandon()
            self._started.clear()

    def _submit(self, job: RenderJob) -> Future[RenderResult]:
        """The pool's future; a pool whose worker died (killed, out of memory) is made
        again, once."""
        try:
            return self._pool.submit_job(job)
        except BrokenProcessPool:
            self._pool.shutdown(wait=False)
            self._pool = LocalExecutor(1, self.heavy, self.inline)
            return self._pool.submit_job(job)

    def _relay(self, inner: Future[RenderResult], proxy: Future[RenderResult]) -> None:
        with self._lock:
            self._waiting.discard(proxy)
            if proxy.done():
                return
            if inner.cancelled():
                proxy.set_exception(NotRun(SUPERSEDED))
            elif (error := inner.exception()) is not None:
                proxy.set_exception(error)
            else:
                proxy.set_result(inner.result())
