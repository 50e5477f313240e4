"""What the command line prints while it works: `wrote …` lines or a progress bar, and
problems as `path:line: error: message`.
"""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from pressroom.core.errors import Problems, display_path
from pressroom.core.writing import deferred_interrupts


class _Lines:
    """Plain `wrote …` lines: logs, CI, pipes."""

    def start(self, total: int) -> None:
        pass

    def wrote(self, path: Path) -> None:
        print(f"wrote {display_path(path)}", flush=True)

    def removed(self, path: Path) -> None:
        print(f"removed {display_path(path)}", flush=True)


class _Bar(_Lines):
    """A progress bar, shown once the total is known (so it shows it from the start),
    with the same lines above it."""

    def __init__(self, make: Callable[[int], Any]) -> None:
        self._make = make
        self.bar: Any = None

    def start(self, total: int) -> None:
        with deferred_interrupts():  # so that close() always has the bar to clear
            self.bar = self._make(total)

    def wrote(self, path: Path) -> None:
        self.bar.write(f"wrote {display_path(path)}")
        self.bar.update()

    def removed(self, path: Path) -> None:
        self.bar.write(f"removed {display_path(path)}")

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


@contextlib.contextmanager
def progress_display() -> Iterator[_Lines]:
    """A progress bar on a terminal; plain lines otherwise."""
    if not sys.stderr.isatty():
        yield _Lines()
        return
    from tqdm import tqdm

    bar = _Bar(lambda total: tqdm(total=total, unit="file", desc="building", leave=False,
                                  dynamic_ncols=True))
    try:
        yield bar
    finally:
        bar.close()


def report_problems(problems: Problems | list) -> None:
    for problem in problems:
        print(problem, file=sys.stderr)
