"""Problems found in authors' content, reported the way compilers do: `path:line: error: …`.

Every stage reports into a `Problems` collector instead of raising at the first mistake,
so that an author sees all of an article's errors in one run (as Sphinx and mkdocs do).
Content errors never raise: an exception that escapes a stage is a bug in Pressroom and
is allowed to show a traceback.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True, slots=True)
class Location:
    """Where in a source file something was written; `line` is 1-based, None for the file."""

    path: Path
    line: int | None = None


def display_path(path: Path) -> str:
    """Paths relative to the working directory when possible: shorter, and clickable in editors."""
    try:
        return os.path.relpath(path)
    except ValueError:  # another drive on Windows
        return str(path)


@dataclass(frozen=True, slots=True)
class Problem:
    location: Location
    message: str
    severity: Severity = "error"

    def __str__(self) -> str:
        where = display_path(self.location.path)
        if self.location.line is not None:
            where += f":{self.location.line}"
        return f"{where}: {self.severity}: {self.message}"

    def sort_key(self) -> tuple[str, int, str]:
        return (str(self.location.path), self.location.line or 0, self.message)


@dataclass
class Problems:
    """Collects problems across a stage: errors fail the article, warnings are shown."""

    items: list[Problem] = field(default_factory=list)

    def error(self, path: Path, line: int | None, message: str) -> None:
        self.items.append(Problem(Location(path, line), message))

    def warning(self, path: Path, line: int | None, message: str) -> None:
        self.items.append(Problem(Location(path, line), message, "warning"))

    def extend(self, problems: list[Problem]) -> None:
        self.items.extend(problems)

    def promote_warnings(self) -> None:
        """`--strict`: every warning, whatever reported it, counts as an error."""
        self.items = [replace(p, severity="error") if p.severity == "warning" else p
                      for p in self.items]

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.items if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.items if p.severity == "warning"]

    def __iter__(self) -> Iterator[Problem]:
        return iter(sorted(self.items, key=Problem.sort_key))
