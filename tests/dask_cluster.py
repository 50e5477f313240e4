"""A real Dask cluster on 127.0.0.1 for the tests: `dask scheduler` and `dask worker`
from the virtual environment, as separate processes, each worker started in an empty
working directory; every process is stopped on leaving."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

DASK = Path(sys.executable).parent / "dask"
ROOT = Path(__file__).resolve().parent.parent
START_TIMEOUT = 90


@dataclass
class Cluster:
    address: str
    scheduler: subprocess.Popen[bytes]
    workers: list[subprocess.Popen[bytes]] = field(default_factory=list)
    #: Each worker's working directory (empty when it starts).
    folders: list[Path] = field(default_factory=list)
    #: Worker process id → its address, as the scheduler knows it.
    addresses: dict[int, str] = field(default_factory=dict)


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(10)


def _address(scheduler_file: Path, scheduler: subprocess.Popen[bytes], log: Path) -> str:
    """The scheduler's address, from the file it writes once it listens. Dask creates the
    file, then writes into it, so an empty or half-written file means "not yet" (read
    empty once in a full run: the cluster tests failed at their set-up)."""
    deadline = time.monotonic() + START_TIMEOUT
    while True:
        with contextlib.suppress(OSError, ValueError, KeyError):
            return json.loads(scheduler_file.read_text())["address"]
        assert scheduler.poll() is None, log.read_text()
        assert time.monotonic() < deadline, "the scheduler did not start"
        time.sleep(0.1)


@contextlib.contextmanager
def dask_cluster(folder: Path, workers: int = 2,
                 worker_env: Sequence[Mapping[str, str]] = (),
                 scheduler_env: Mapping[str, str] | None = None) -> Iterator[Cluster]:
    """A scheduler and `workers` workers (one thread each, no nanny: a killed worker
    stays dead). `worker_env[i]` adds to the environment of worker i, `scheduler_env` to
    the scheduler's."""
    from distributed import Client

    folder.mkdir(parents=True, exist_ok=True)
    scheduler_file = folder / "scheduler.json"
    logs = folder / "logs"
    logs.mkdir(exist_ok=True)
    processes: list[subprocess.Popen[bytes]] = []
    try:
        scheduler = subprocess.Popen(
            [str(DASK), "scheduler", "--host", "127.0.0.1", "--port", "0", "--no-dashboard",
             "--scheduler-file", str(scheduler_file)],
            stdout=subprocess.DEVNULL, stderr=(logs / "scheduler.log").open("wb"),
            cwd=folder, env={**os.environ, **(scheduler_env or {})})
        processes.append(scheduler)
        address = _address(scheduler_file, scheduler, logs / "scheduler.log")
        cluster = Cluster(address, scheduler)
        for index in range(workers):
            empty = folder / f"worker-{index}"
            empty.mkdir()
            env = {**os.environ, "PYTHONPATH": str(ROOT),  # this checkout's Pressroom
                   **(worker_env[index] if index < len(worker_env) else {})}
            worker = subprocess.Popen(
                [str(DASK), "worker", address, "--host", "127.0.0.1", "--nthreads", "1",
                 "--no-nanny", "--no-dashboard", "--name", f"worker-{index}"],
                stdout=subprocess.DEVNULL, stderr=(logs / f"worker-{index}.log").open("wb"),
                cwd=empty, env=env)
            processes.append(worker)
            cluster.workers.append(worker)
            cluster.folders.append(empty)
        with Client(address, timeout=30, set_as_default=False) as client:
            if workers:
                client.wait_for_workers(workers, timeout=START_TIMEOUT)
            for worker_address, pid in client.run(os.getpid).items():
                cluster.addresses[pid] = worker_address
        yield cluster
    finally:
        for process in reversed(processes):
            _stop(process)
