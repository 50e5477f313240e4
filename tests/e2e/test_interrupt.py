"""The real command in a real process: Ctrl-C, and the progress bar on a terminal.

Ctrl-C in a terminal sends SIGINT to the whole process group (the build and its
workers), so the build runs in a session of its own and the signal goes to the group.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
import pty
import re
import select
import signal
import struct
import subprocess
import sys
import termios
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from conftest import ROOT

ARTICLE = "---\ntitle: {title}\n---\n\n# One\n\n{text}\n\n# Two\n\nMore text.\n"


@pytest.fixture
def project(make_project, root: Path) -> Path:
    """Eight short articles: enough PDFs that a build is still running after the first."""
    project = make_project({f"en/a{n}.md": ARTICLE.format(title=f"Article {n}",
                                                           text="Some text. " * 80)
                            for n in range(8)})
    (project / "publish.py").write_text((root / "publish.py").read_text("utf-8"), "utf-8")
    return project


#: This checkout's Pressroom, whatever the working directory of the build.
ENV = {**os.environ, "PYTHONPATH": str(ROOT)}


@pytest.fixture
def start() -> Iterator[Callable[..., subprocess.Popen]]:
    """Start `publish.py` in the project, in a process group of its own (Ctrl-C goes to
    the group, as a terminal sends it). Whatever is still running when the test ends (a
    build that hung, and its workers) is killed with its group."""
    started: list[subprocess.Popen] = []

    def run(project: Path, *args: str, **options) -> subprocess.Popen:
        process = subprocess.Popen([sys.executable, "publish.py", *args], cwd=project,
                                   env=ENV, start_new_session=True, **options)
        started.append(process)
        return process

    yield run
    for process in started:
        if process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def files_in(out: Path) -> dict[str, str]:
    """Every file under out/ (the manifest and temporary files included) → its digest."""
    return {p.relative_to(out).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(out.rglob("*")) if p.is_file()} if out.is_dir() else {}


FORMATS = ("--format", "pdf", "epub")


def test_ctrl_c_after_some_files_are_written(project: Path, start) -> None:
    # The leaflets and ebooks only: 16 files (the web edition would add pages after them).
    build = start(project, "build", *FORMATS, "--jobs", "2", stdout=subprocess.PIPE,
                  stderr=subprocess.PIPE, text=True)
    first = build.stdout.readline()
    assert first.startswith("wrote ")
    os.killpg(build.pid, signal.SIGINT)
    rest = build.stdout.read()  # through the same buffer as the first line
    err = build.stderr.read()
    assert build.wait(timeout=120) == 130
    assert "Traceback" not in err  # neither the build's nor its workers'
    wrote = [line.removeprefix("wrote ") for line in [first.strip(), *rest.splitlines()]
             if line.startswith("wrote ")]
    assert err.splitlines() == [f"interrupted; {len(wrote)} file(s) written before the"
                                " interrupt, the rest of out/ unchanged"]
    out = project / "out"
    on_disk = files_in(out)
    outputs = {name: digest for name, digest in on_disk.items() if not name.startswith(".")}
    assert sorted(outputs) == sorted(str(Path(p).relative_to("out").as_posix())
                                     for p in wrote)
    assert len(outputs) < 16  # it was interrupted
    assert set(on_disk) - set(outputs) == {".pressroom-manifest.json"}  # no temporary files
    # The manifest records exactly what was written, as written.
    manifest = json.loads((out / ".pressroom-manifest.json").read_text("utf-8"))["outputs"]
    assert {name: entry["output"] for name, entry in manifest.items()} == outputs
    # So the next build writes only the rest.
    done = subprocess.run([sys.executable, "publish.py", "build", *FORMATS], cwd=project,
                          env=ENV, capture_output=True, text=True, check=False)
    assert done.returncode == 0
    assert f"{len(outputs)} file(s) up to date" in done.stdout
    assert done.stdout.count("wrote ") == 16 - len(outputs)


def _pty(columns: int = 100) -> tuple[int, int]:
    """A terminal of a real size (tqdm draws nothing on one 0 columns wide)."""
    primary, secondary = pty.openpty()
    fcntl.ioctl(secondary, termios.TIOCSWINSZ, struct.pack("HHHH", 24, columns, 0, 0))
    return primary, secondary


def _read_until(fd: int, pattern: str, seen: bytearray, timeout: float = 120) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        ready, _, _ = select.select([fd], [], [], 0.05)
        if ready:
            try:
                chunk = os.read(fd, 65536)
            except OSError:
                return False
            if not chunk:
                return False
            seen.extend(chunk)
            if re.search(pattern, seen.decode("utf-8", "replace")):
                return True
    return False


def _read_rest(fd: int, seen: bytearray) -> str:
    _read_until(fd, r"(?!)", seen, timeout=120)  # to the end of the output
    return seen.decode("utf-8", "replace")


def test_ctrl_c_before_anything_is_written(project: Path, start) -> None:
    """Once the progress bar is up the build is running; nothing is written yet."""
    primary, secondary = _pty()
    build = start(project, "build", "--format", "pdf", stdin=secondary, stdout=secondary,
                  stderr=secondary)
    os.close(secondary)
    seen = bytearray()
    assert _read_until(primary, r"building:\s+0%", seen)
    os.killpg(build.pid, signal.SIGINT)
    output = _read_rest(primary, seen)
    build.wait(timeout=120)
    os.close(primary)
    assert build.returncode == 130
    assert "Traceback" not in output and "wrote " not in output
    assert output.rstrip().splitlines()[-1].strip("\r\x1b[A ") == "interrupted; out/ unchanged"
    assert files_in(project / "out") == {}


def test_the_progress_bar_shows_the_total_from_the_start(project: Path, start) -> None:
    primary, secondary = _pty()
    build = start(project, "build", "--format", "epub", stdin=secondary, stdout=secondary,
                  stderr=secondary)
    os.close(secondary)
    output = _read_rest(primary, bytearray())
    build.wait(timeout=120)
    os.close(primary)
    assert build.returncode == 0
    bars = re.findall(r"building:\s+\d+%[^\r\n]*", output)
    assert bars, output
    assert re.search(r"\b0/8\b", bars[0]), bars[0]  # the first drawing has the total
    assert all(re.search(r"\b\d/8\b", bar) for bar in bars), bars
    assert output.count("wrote ") == 8


#: A command that is done and a thread Python's exit waits for: the interpreter's shutdown,
#: where a Ctrl-C used to print "Exception ignored in: <module 'threading'>".
SLOW_EXIT = """
import sys, threading, time
from pressroom.cli import main as cli
def done(argv, project_root):
    threading.Thread(target=time.sleep, args=(60,)).start()  # not a daemon: joined at exit
    print("done", flush=True)
    return 0
cli.main = done
cli.run([])
"""


def test_ctrl_c_while_python_exits_ends_it_quietly() -> None:
    """The command has returned; Python's exit waits on a thread (as it joins the
    threads that watched the workers). Ctrl-C then: exit 130 at once, nothing printed."""
    process = subprocess.Popen([sys.executable, "-c", SLOW_EXIT], env=ENV,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert process.stdout.readline() == "done\n"
        time.sleep(0.5)  # past `run`'s last lines: in the interpreter's shutdown
        process.send_signal(signal.SIGINT)
        _, err = process.communicate(timeout=30)  # not the thread's 60 s
    finally:
        process.kill()
    assert err == ""
    assert process.returncode == 130
