"""Render jobs on a Dask cluster: `publish.py build --scheduler tcp://HOST:PORT`.

The build already takes any `concurrent.futures.Executor` and its jobs carry their
inputs and return bytes (render/protocol.py, core/files.py); this module supplies the executor for a
Dask scheduler (the `distributed` package, an optional extra, imported only here). It
connects, checks that every worker would make this machine's bytes (build/machine.py: the same
Pressroom version and code, rendering libraries and fonts), sends each job there, and
turns the loss of the scheduler into `NotRun`, so the build writes what finished and
counts the rest as not built. Dask itself retries a job whose worker died.
"""

from __future__ import annotations

import contextlib
import logging
import pickle
import re
import socket
import sys
import uuid
import warnings
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import Executor, Future
from pathlib import Path
from threading import Lock
from typing import Any

import yaml

from pressroom.build import machine
from pressroom.build.executors import JobExecutor, NotRun, job_timeout
from pressroom.content.elsewhere import Parsed, ToParse, parse_articles
from pressroom.core.files import Bundle
from pressroom.core.settings import Settings
from pressroom.render.protocol import RenderJob, RenderResult, run_jobs

#: Seconds to wait for the scheduler to answer (the whole refusal comes within 10 s).
CONNECT_TIMEOUT = 5
#: Seconds to wait for a scheduler with no workers to get one.
WORKER_TIMEOUT = 10


class ClusterError(Exception):
    """The cluster cannot be used: one line per reason, nothing was sent or written."""

    def __init__(self, lines: list[str]) -> None:
        super().__init__("\n".join(lines))
        self.lines = lines


@contextlib.contextmanager
def cluster_executor(address: str, shared: Bundle) -> Iterator[Executor]:
    """An executor on the Dask scheduler at `address`, whose workers have been checked
    against this machine (for the fonts the stylesheets in `shared` name); the client is
    closed on leaving. Raises ClusterError."""
    try:
        import distributed
    except ImportError:
        raise ClusterError(["--scheduler needs Dask: pip install 'pressroom[dask]'"]) from None
    _quiet()
    try:
        _reachable(address)
        client = _client(distributed, address)
    except (OSError, TimeoutError, ValueError, TypeError) as exc:
        raise ClusterError([f"cannot reach the Dask scheduler at {address}: {_reason(exc)}"]
                           ) from None
    try:
        families = named_fonts(shared)
        here = machine.facts(list(families))
        _check_workers(client, address, here, families)
        executor = ClusterExecutor(client, address, here, families)
        yield executor
    finally:
        with contextlib.suppress(Exception):
            client.close(timeout=CONNECT_TIMEOUT)


def _reachable(address: str) -> None:
    """Fail at once, with the system's reason, when nothing listens at a TCP address
    (Dask would retry until its timeout and then only say it timed out)."""
    from distributed.comm import parse_address
    from distributed.comm.addressing import parse_host_port

    scheme, location = parse_address(address)
    if scheme in ("tcp", "tls"):
        host, port = parse_host_port(location)
        socket.create_connection((host, port), timeout=CONNECT_TIMEOUT).close()


def _client(distributed: Any, address: str) -> Any:
    """A connected client; one that fails to connect is closed at once (left to the
    garbage collector, it would hold the interpreter's exit for seconds)."""

    class Client(distributed.Client):  # type: ignore[misc,name-defined]
        def start(self, **kwargs: Any) -> None:
            try:
                super().start(**kwargs)
            except BaseException:
                with contextlib.suppress(Exception):
                    self.close(timeout=1)
                raise

    return Client(address, timeout=CONNECT_TIMEOUT, set_as_default=False, name="pressroom")


def _check_workers(client: Any, address: str, here: machine.Facts,
                   families: Mapping[str, str]) -> None:
    try:
        client.wait_for_workers(1, timeout=WORKER_TIMEOUT)
    except TimeoutError:
        raise ClusterError([f"the Dask scheduler at {address} has no workers (waited"
                            f" {WORKER_TIMEOUT} s): start them with `dask worker"
                            f" {address} --nthreads 1`"]) from None
    answers = _run_by_value(client, machine.facts, list(families))
    lines = check_answers(answers, here, families)
    if lines:
        raise ClusterError(lines)


def check_answers(answers: Mapping[str, machine.Facts | BaseException], here: machine.Facts,
                  families: Mapping[str, str]) -> list[str]:
    """Every reason any worker would not make this machine's bytes, one line each."""
    lines = []
    for worker, there in sorted(answers.items()):
        if isinstance(there, BaseException):
            lines.append(f"worker {worker} could not run Pressroom's check:"
                         f" {type(there).__name__}: {there}")
        else:
            lines.extend(machine.differences(here, there, worker, families))
    return lines


def _run_by_value(client: Any, fn: Callable[..., Any], *args: Any) -> dict[str, Any]:
    """`fn(*args)` on every worker, sent as code rather than as a name to import, so it
    runs whatever Pressroom the worker has (or none)."""
    import cloudpickle

    module = fn.__module__
    cloudpickle.register_pickle_by_value(sys.modules[module])
    try:
        return dict(client.run(fn, *args, on_error="return"))
    finally:
        cloudpickle.unregister_pickle_by_value(sys.modules[module])


# --- fonts the stylesheets name --------------------------------------------------------

_COMMENT = re.compile(r"/\*.*?\*/", re.S)
_DECLARATION = re.compile(r"(?<![\w-])(font-family|font)\s*:\s*([^;{}]+)")
#: The size (and line height) in the `font` shorthand: the families follow it.
_SIZE = re.compile(r"(?:^|\s)[\d.]+[a-z%]*(?:\s*/\s*[\d.]+[a-z%]*)?\s+(?=\S)", re.I)
_KEYWORDS = frozenset({"inherit", "initial", "unset", "revert", "revert-layer"})


def named_fonts(bundle: Bundle) -> dict[str, str]:
    """Each font family the stylesheets and the cover design name → the file naming it
    first (`styles/leaflet.css`)."""
    families: dict[str, str] = {}
    for name in bundle.under("styles/"):
        if name.endswith(".css"):
            for family in css_families(bundle.text(name) or ""):
                families.setdefault(family, name)
    with contextlib.suppress(yaml.YAMLError, AttributeError, TypeError):
        cover = yaml.safe_load(bundle.text("styles/cover.yaml") or "") or {}
        for pattern in (cover.get("fonts") or {}).values():
            families.setdefault(str(pattern).split(":")[0].strip(), "styles/cover.yaml")
    return families


def css_families(css: str) -> list[str]:
    """The font families of every `font-family` and `font` declaration, in order."""
    found = []
    for prop, value in _DECLARATION.findall(_COMMENT.sub("", css)):
        value = value.replace("!important", "").strip()
        if prop == "font":
            size = _SIZE.search(value)
            if size is None:
                continue  # `font: inherit`, a system font: no family named
            value = value[size.end():]
        for item in value.split(","):
            family = " ".join(item.strip().strip("\"'").split())
            if family and family.casefold() not in _KEYWORDS:
                found.append(family)
    return list(dict.fromkeys(found))


# --- the executor ----------------------------------------------------------------------


class _Call:
    """A call made when it is unpickled: `pickle.loads(payload)` on a worker runs
    `fn(*args)`. So a task is the standard library's `pickle.loads` and bytes: Dask's
    scheduler, which unpickles every task it is given and pickles it again for a worker,
    needs no Pressroom and never touches a job; results come back as bytes too."""

    __slots__ = ("args", "fn")

    def __init__(self, fn: Callable[..., Any], *args: Any) -> None:
        self.fn = fn
        self.args = args

    def __reduce__(self) -> tuple[Callable[..., Any], tuple[Any, ...]]:
        return self.fn, self.args



class ClusterExecutor(Executor, JobExecutor):
    """Sends each job to the cluster, checked on its worker (machine.checked); a job
    cut off by the loss of the scheduler fails with `NotRun`."""

    #: Jobs in flight at a time (the build reads it), times the articles a task carries
    #: (`groups_per_call`): each task is a pickled copy of its layouts and styles (~70 kB)
    #: held here and in the scheduler until it is done, so a library of 400,000 outputs
    #: is not sent at once; enough to keep ~250 workers busy.
    window: int | None = 1000

    def __init__(self, client: Any, address: str, here: machine.Facts,
                 families: Mapping[str, str]) -> None:
        self.client = client
        self.address = address
        self.here = here
        self.families = dict(families)
        self._lost = ""
        self._pending: set[Any] = set()
        #: Tasks given up (`abandon`): their cancellation is not the scheduler's loss.
        self._abandoned: set[Any] = set()
        self._lock = Lock()

    def submit_job(self, job: RenderJob) -> Future[RenderResult]:
        return self.submit_jobs([job])[0]

    def submit_jobs(self, jobs: Sequence[RenderJob]) -> list[Future[RenderResult]]:
        """One task for the jobs of one article and edition (or several), named on the
        cluster by the first output (its dashboard shows it). Pickled together, they carry
        one copy of the publication and the bundle they share, and come back in one
        answer: on 150 leaflets as PDF and EPUB (bench/cluster.py, medians of 3 rounds),
        the client's CPU per output went from 14.8 to 11.5 ms and the scheduler's from
        7.7 to 5.4 s."""
        results: list[Future[RenderResult]] = [Future() for _ in jobs]

        def settle(answer: Any) -> None:
            for result, one in zip(results, answer, strict=True):
                result.set_result(one)

        self._submit(jobs[0].outputs[0].path, results, settle, run_jobs, tuple(jobs))
        return results

    #: At most this many articles' jobs to a task, and at least this many tasks for each
    #: worker: fewer tasks cost this process and the scheduler less (Dask's cost per
    #: task, one copy of the layouts and styles), while enough of them remain for Dask to
    #: share out among the workers, so none waits long at the end of the build. On 150
    #: leaflets as PDF and EPUB with two workers (bench/cluster.py, medians of 3 rounds,
    #: 4 articles to a task): the client's CPU per output beyond its fixed cost went from
    #: 6.9 to 4.3 ms and the scheduler's from 9.8 to 8.1 s; a round's wall was unchanged.
    GROUPS_PER_TASK = 4
    TASKS_PER_WORKER = 16

    def groups_per_call(self, groups: int) -> int:
        if self._lost:
            return 1
        try:  # every worker (`scheduler_info()` lists at most five in some Dask versions)
            workers = len(self.client.nthreads()) or 1
        except Exception:  # the scheduler gone: the jobs will say so
            return 1
        return max(1, min(self.GROUPS_PER_TASK, groups // (self.TASKS_PER_WORKER * workers)))

    #: Articles per task when the load stage's parsing is sent: enough that Dask's own
    #: cost per task (~3 ms of this process's CPU) is small beside a parse's.
    PARSE_BATCH = 16

    def parse(self, batch: Sequence[ToParse], allowed_roots: tuple[Path, ...],
              settings: Settings) -> list[Parsed | None] | None:
        """The articles loaded and resolved on the workers, `PARSE_BATCH` to a task: this
        process, on which a large batch waits, then only checks their images (150
        leaflets as PDF and EPUB, bench/cluster.py and py-spy: its CPU per output 11.5 →
        about 10 ms; loading's share of its busy time 24% → 6%, resolving's 10% → none).
        A batch that could not be loaded there (the scheduler lost) is loaded here; one
        article is loaded here at once."""
        if len(batch) < 2:
            return None
        tasks = []
        for start in range(0, len(batch), self.PARSE_BATCH):
            part = list(batch[start:start + self.PARSE_BATCH])
            answer: Future[list[Parsed]] = Future()
            self._submit(f"parse {part[0][0].path.name}", [answer], answer.set_result,
                         parse_articles, part, allowed_roots, settings)
            tasks.append((len(part), answer))
        parsed: list[Parsed | None] = []
        bound = job_timeout()  # once: after one wait ran out, the rest are not waited for
        for count, answer in tasks:
            try:
                parsed.extend(answer.result(timeout=bound))
            except TimeoutError:
                bound = 0
                parsed.extend([None] * count)
            except Exception:  # parsed here instead, as without a cluster
                parsed.extend([None] * count)
        return parsed

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future[Any]:
        result: Future[Any] = Future()
        self._submit(getattr(fn, "__name__", "job"), [result], result.set_result, fn, *args,
                     **kwargs)
        return result

    def _submit(self, label: str, results: Sequence[Future[Any]],
                settle: Callable[[Any], None], fn: Callable[..., Any], /, *args: Any,
                **kwargs: Any) -> None:
        """`fn(*args)` as one task; `settle` hands its answer to `results`, or all of
        them fail alike."""
        if self._lost or self.client.status != "running":
            _fail(results, NotRun(self._lost_message()))
            return
        payload = pickle.dumps(_Call(machine.remote, self.here, self.families, fn, *args),
                               protocol=pickle.HIGHEST_PROTOCOL)
        remote = self.client.submit(pickle.loads, payload, pure=False, **kwargs,
                                    key=f"pressroom {label} {uuid.uuid4().hex[:8]}")
        with self._lock:
            self._pending.add(remote)
        remote.add_done_callback(lambda done: self._settle(done, results, settle))

    def _settle(self, remote: Any, results: Sequence[Future[Any]],
                settle: Callable[[Any], None]) -> None:
        with self._lock:
            self._pending.discard(remote)
            abandoned = remote in self._abandoned
            self._abandoned.discard(remote)
        if abandoned:  # the build has counted these jobs as not built already
            _fail(results, NotRun("given up"))
        elif remote.status == "finished":
            try:
                data = remote.result()
            except Exception as exc:  # the result could not be fetched: the scheduler went
                self._lost = self._lost or _reason(exc)
                _fail(results, NotRun(self._lost_message()))
            else:
                settle(pickle.loads(data))
        elif remote.status == "cancelled":
            self._lost = self._lost or "connection lost"
            _fail(results, NotRun(self._lost_message()))
        else:
            _fail(results, remote.exception())

    def _lost_message(self) -> str:
        return f"lost the Dask scheduler at {self.address}"

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        with self._lock:
            pending = list(self._pending)
        if cancel_futures and pending:
            with contextlib.suppress(Exception):
                self.client.cancel(pending)

    def abandon(self) -> None:
        """The tasks in flight are cancelled and their jobs given up, the scheduler kept:
        the build's next jobs (its pages) are still sent. (A worker that hangs stays
        hung: Dask has no way to stop a task that runs.)"""
        with self._lock:
            pending, self._pending = list(self._pending), set()
            self._abandoned.update(pending)
        with contextlib.suppress(Exception):
            self.client.cancel(pending)


def _fail(results: Sequence[Future[Any]], exc: BaseException) -> None:
    for result in results:
        result.set_exception(exc)


def _reason(exc: BaseException) -> str:
    """What went wrong, in a few words: the system's (`Connection refused`) when there is
    one, else the last line of Dask's."""
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror
    text = str(exc).strip().splitlines()[-1:] or [type(exc).__name__]
    return text[0].rstrip(".:")


def _quiet() -> None:
    """Dask logs to stderr from its own threads; the command line prints one line per
    problem instead."""
    warnings.filterwarnings("ignore", module="distributed")
    for name in ("distributed", "distributed.client", "distributed.core",
                 "distributed.comm", "distributed.batched", "tornado"):
        logging.getLogger(name).setLevel(logging.CRITICAL + 1)
