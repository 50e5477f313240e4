"""What a build reports: the files it wrote, left or removed, and every problem of the run.

Kept apart from the build's stages so the command line, the preview and the tests read
one record; a progress display is told of each file as it is written.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from pressroom.core.errors import Problems


class Progress(Protocol):
    def start(self, total: int) -> None: ...

    def wrote(self, path: Path) -> None: ...

    def removed(self, path: Path) -> None: ...


@dataclass
class Report:
    written: list[Path] = field(default_factory=list)
    #: Outputs left as they were because none of their inputs changed.
    unchanged: list[Path] = field(default_factory=list)
    #: Outputs of articles, locales or editions that no longer exist.
    removed: list[Path] = field(default_factory=list)
    #: How many outputs needed rendering (known before the first is rendered).
    planned: int = 0
    problems: Problems = field(default_factory=Problems)
    #: Outputs not built because the executor could not run their jobs (a cluster's
    #: scheduler went away): not a content error; the next build builds them.
    not_built: list[Path] = field(default_factory=list)
    #: Why (the executor's `NotRun` message).
    not_run: str = ""
    #: Where the outputs go.
    out_dir: Path | None = None

    @property
    def ok(self) -> bool:
        return not self.problems.errors and not self.not_built


class Interrupted(KeyboardInterrupt):
    """Ctrl-C during a build, raised once what was written is recorded in the manifest:
    `report.written` are the files written before it, the rest of out/ is as it was."""

    def __init__(self, report: Report) -> None:
        super().__init__()
        self.report = report


class Quiet:
    def start(self, total: int) -> None:
        pass

    def wrote(self, path: Path) -> None:
        pass

    def removed(self, path: Path) -> None:
        pass
