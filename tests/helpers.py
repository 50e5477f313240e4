"""Small assertion helpers shared by test modules."""

from __future__ import annotations

from pressroom.errors import Problem, Problems


def short(problem: Problem) -> str:
    """`file.md:12: error: message`, with the file's name only (independent of the cwd)."""
    where = problem.location.path.name
    if problem.location.line is not None:
        where += f":{problem.location.line}"
    return f"{where}: {problem.severity}: {problem.message}"


def messages(problems: Problems) -> list[str]:
    return [short(p) for p in problems]
