"""Small helpers shared by test modules: problem lines, builds for tests that keep no
session of their own, processes as Linux's /proc shows them, and code run by a fresh
interpreter."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterable
from concurrent.futures import Executor
from pathlib import Path

from pressroom.build.check import check as check_session
from pressroom.build.report import Progress, Report
from pressroom.build.request import BuildRequest
from pressroom.build.run import run
from pressroom.core.errors import Problem, Problems
from pressroom.core.project import Project
from pressroom.render.protocol import formats as all_formats
from pressroom.session.caches import Session

ROOT = Path(__file__).resolve().parent.parent


def short(problem: Problem) -> str:
    """`file.md:12: error: message`, with the file's name only (independent of the cwd)."""
    where = problem.location.path.name
    if problem.location.line is not None:
        where += f":{problem.location.line}"
    return f"{where}: {problem.severity}: {problem.message}"


def messages(problems: Problems) -> list[str]:
    return [short(p) for p in problems]


# --- builds and checks for tests that do not keep a session ---------------------------


def build(
    project: Project,
    formats: Iterable[str] = (),
    locales: Iterable[str] = (),
    slugs: Iterable[str] = (),
    *,
    force: bool = False,
    jobs: int | None = None,
    progress: Progress | None = None,
    editions: Iterable[str] = (),
    executor: Executor | None = None,
    draft: bool = False,
    strict: bool = False,
) -> Report:
    request = BuildRequest(tuple(dict.fromkeys(formats)) or all_formats(), tuple(locales),
                           tuple(slugs), tuple(editions), force, jobs, draft, strict)
    return run(Session(project), request, executor, progress)


def check(project: Project) -> tuple[Report, list]:
    report = Report()
    problems, summaries = check_session(Session(project))
    report.problems = problems
    return report, summaries


def run_cli(project: Path, *args: str) -> int:
    """The command line in this process, on `project` (its exit status; output to capsys)."""
    from pressroom.cli.main import main

    return main(list(args), project_root=project)


def process_state(pid: int) -> tuple[str, int] | None:
    """A process's state letter (`Z`: a zombie) and its parent's pid, from
    /proc/<pid>/stat; None when there is no such process."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return None
    return fields[0], int(fields[1])


def live_children(pid: int) -> list[int]:
    """The processes whose parent is `pid`, zombies left out."""
    found = []
    for entry in Path("/proc").glob("[0-9]*"):
        state = process_state(int(entry.name))
        if state is not None and state[1] == pid and state[0] != "Z":
            found.append(int(entry.name))
    return found



def fresh_interpreter(code: str, *args: str, cache: Path, **flags: bool
                      ) -> subprocess.CompletedProcess[str]:
    """`code` run by a new Python, as a build or a PDF worker is, with this checkout's
    Pressroom, `cache` as the user's cache folder (XDG_CACHE_HOME), and each flag that
    is true set in its environment (`PARSE_FAILS=1`)."""
    env = {**os.environ, "XDG_CACHE_HOME": str(cache), "PYTHONPATH": str(ROOT)}
    for name, on in flags.items():
        env.pop(name, None)
        if on:
            env[name] = "1"
    return subprocess.run([sys.executable, "-c", code, *args], env=env, capture_output=True,
                          text=True, timeout=120, check=False)
