"""The write stage: outputs appear whole or not at all.

Each file is written to a temporary sibling and renamed over the old one, so a reader
(or a build killed half-way) only ever sees the previous complete file or the new one.
Ctrl-C is held back while a file is written and recorded, so an interrupted build knows
exactly which files it wrote.
"""

from __future__ import annotations

import contextlib
import os
import re
import signal
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path

TEMP_SUFFIX = ".tmp"
_TEMP = re.compile(r"^\..+\.(\d+)\.[^.]+\.tmp$")


def remove_stale_temporaries(folder: Path) -> list[Path]:
    """Delete temporary files of builds that are no longer running (killed mid-write)."""
    removed = []
    for path in folder.glob(f".*{TEMP_SUFFIX}") if folder.is_dir() else ():
        match = _TEMP.match(path.name)
        if match and not _running(int(match.group(1))):
            with contextlib.suppress(OSError):
                path.unlink()
                removed.append(path)
    return removed


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # it exists, but belongs to someone else
        return True
    return True


def write_atomic(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    # The writer's pid is in the name, so a later build can tell a temporary file left by a
    # killed build from one that a running build is still writing.
    fd, tmp_name = tempfile.mkstemp(
        dir=path.parent, prefix=f".{path.name}.{os.getpid()}.", suffix=TEMP_SUFFIX
    )
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        tmp.chmod(0o644)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise


@contextlib.contextmanager
def deferred_interrupts() -> Iterator[None]:
    """Ctrl-C waits for the end of the block: a file is written and recorded, or neither.

    Signal handlers can only be changed in the main thread; elsewhere (a preview server's
    build thread) the block runs as it is.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    caught: list[int] = []
    previous = signal.signal(signal.SIGINT, lambda number, frame: caught.append(number))
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
    if caught:  # deliver it now, as it would have been
        if callable(previous):
            previous(signal.SIGINT, None)
        elif previous == signal.SIG_DFL:
            os.kill(os.getpid(), signal.SIGINT)


@contextlib.contextmanager
def ignored_interrupts() -> Iterator[None]:
    """Ctrl-C is ignored in the block (in the main thread): for shutting down after the
    first one, and for forking workers that must leave Ctrl-C to this process."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
