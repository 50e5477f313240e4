"""External programs run with a bound: nothing a build starts may wait for ever.

A program that hangs (a stuck indexer, a font lookup on a broken fontconfig cache) must
end the step with one clear line, not hold the build. `subprocess.run(timeout=…)` alone
is not enough: it kills only the program it started, and a child that program left
behind keeps the output pipes open, so reading them waits for the child instead. Each
program here runs in a session of its own and the whole group is killed at the bound.
"""

from __future__ import annotations

import math
import os
import signal
import subprocess
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass


class TimedOut(Exception):
    """The program did not finish within its bound (it and its children were killed)."""

    def __init__(self, program: str, seconds: float) -> None:
        super().__init__(f"{program} did not finish within {seconds:g} s")
        self.program = program
        self.seconds = seconds


@dataclass(frozen=True, slots=True)
class Finished:
    returncode: int
    stdout: bytes
    stderr: bytes

    def last_line(self) -> str:
        """What the program said last (its error, usually), or its exit status."""
        said = (self.stderr or self.stdout).decode("utf-8", "replace").strip()
        return said.splitlines()[-1] if said else f"exit status {self.returncode}"


def run(command: Sequence[str], seconds: float, *, name: str | None = None,
        started: Callable[[subprocess.Popen[bytes]], None] | None = None) -> Finished:
    """Run `command` to its end or for at most `seconds`; raises TimedOut past that, and
    OSError (FileNotFoundError for a missing program) as `subprocess` does. `started` is
    given the process (to stop it from another thread: `stop`)."""
    with subprocess.Popen(list(command), stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, start_new_session=True) as process:
        if started is not None:
            started(process)
        try:
            stdout, stderr = process.communicate(timeout=seconds)
        except subprocess.TimeoutExpired:
            _kill_group(process)
            process.communicate()
            raise TimedOut(name or os.path.basename(command[0]), seconds) from None
        except BaseException:  # Ctrl-C: the program goes with the build
            _kill_group(process)
            raise
    return Finished(process.returncode, stdout, stderr)


def stop(process: subprocess.Popen[bytes]) -> None:
    """Kill a process `run` started, with its group (from any thread)."""
    if process.poll() is None:
        _kill_group(process)


def _kill_group(process: subprocess.Popen[bytes]) -> None:
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        process.kill()


def seconds_from_environ(name: str, default: float) -> float:
    """A bound in seconds from the environment variable `name` (a positive number), else
    `default`: where a user whose library is slow to index or render raises it. Never
    none: `inf` is not taken (nothing waits for ever), and a huge number is cut to the
    longest wait the platform can time."""
    value = os.environ.get(name, "").strip()
    try:
        seconds = float(value) if value else default
    except ValueError:
        return default
    if not math.isfinite(seconds) or seconds <= 0:
        return default
    return min(seconds, threading.TIMEOUT_MAX)
