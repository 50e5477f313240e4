"""Live-preview latency: from saving the article to the browser showing it.

    .venv/bin/python bench/preview.py [--edits 8] [--starts 3] [--baseline REV]

Starts `publish.py preview` (a real server process) on a copy of the sample project
(five locales of one article, default edition), opens the English page in Debian's
Chromium, and saves the article on disk, each save adding one numbered sentence. Rows:
 - saves 4 s apart: save → new text in the page (reloaded by the preview itself), and
   save → printed proof of that build in the page;
 - saves 1 s apart (an author typing with autosave): save → its text in the page;
 - start: the server started, the page opened at its first response, the article saved
   0.6 s later: save → the edit in the page (and from the first response).
Each row is measured twice in the same run: with the preview of this tree, and with
the baseline — the preview of commit REV (default: the one before the preview built
in steps, which ran the whole pipeline four times per save: pages, leaflets, ebooks,
pages), taken from git into a scratch folder. Prints medians and maxima; nothing is
asserted.
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from checkers import launch_chromium  # noqa: E402

#: The preview before it was built in steps (four pipeline runs per save).
BASELINE = "d807d9c"
PAGE = "en/muscle-spasms.html"
#: How long a save may take to show before it counts as never shown (reported).
TIMEOUT = 300
HEADING = "# What are Muscle Spasms?\n"
#: The sentence numbers in the page, and the proof build its images show.
PROBE = """() => {
  const found = [...document.body.innerText.matchAll(/Benchmark sentence number (\\d+)\\./g)];
  const numbers = found.map(m => parseInt(m[1], 10));
  const proofs = [...document.querySelectorAll('.pp-pages img')].map(
      i => parseInt((i.getAttribute('src').match(/b=(\\d+)$/) || [0, 0])[1], 10));
  const panel = document.getElementById('pressroom-preview');
  return {shown: numbers.length ? Math.max(...numbers) : -1,
          build: panel ? parseInt(panel.dataset.build, 10) : 0,
          proof: proofs.length ? Math.min(...proofs) : 0};
}"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


#: The sample project's files, copied from the tree whose preview is measured (the
#: baseline's code with its own layouts and articles: today's need today's code).
PROJECT_FILES = ("source", "layouts", "styles", "translations", "editions.yaml",
                 "topics.yaml", "publish.py")


class Project:
    """A copy of the sample project, and the article's text with n benchmark sentences."""

    def __init__(self, scratch: Path, tree: Path = ROOT) -> None:
        self.root = scratch / "project"
        shutil.rmtree(self.root, ignore_errors=True)
        self.root.mkdir(parents=True)
        for name in PROJECT_FILES:
            if (tree / name).is_dir():
                shutil.copytree(tree / name, self.root / name)
            elif (tree / name).is_file():
                shutil.copy(tree / name, self.root / name)
        self.article = self.root / "source" / "en" / "muscle-spasms.md"
        self.original = self.article.read_text("utf-8")
        self.saves = 0

    def save(self) -> int:
        """Write the article with one more sentence; the sentence's number."""
        n = self.saves
        self.saves += 1
        text = " ".join(f"Benchmark sentence number {i}." for i in range(n + 1))
        self.article.write_text(self.original.replace(HEADING, f"{HEADING}\n{text}\n"), "utf-8")
        return n


def start_server(project: Project, code: Path, *args: str
                 ) -> tuple[subprocess.Popen[str], int]:
    port = free_port()
    env = {**os.environ, "PYTHONPATH": str(code)}
    server = subprocess.Popen([sys.executable, "publish.py", "preview", *args, "--port",
                               str(port)], cwd=project.root, env=env, text=True,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return server, port


def stop_server(server: subprocess.Popen[str]) -> None:
    server.send_signal(signal.SIGINT)
    try:
        server.wait(timeout=60)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()


def probe(page: Any) -> dict[str, int] | None:
    try:
        return page.evaluate(PROBE)
    except Exception:  # the page is reloading
        return None


def rhythm(page: Any, project: Project, interval: float, count: int, proof: bool
           ) -> tuple[list[float], list[float]]:
    """Save `count` times, `interval` apart; (save → its text shown, save → the proof of
    the build that showed it) for each save."""
    saved: dict[int, float] = {}
    shown: dict[int, float] = {}
    shown_in: dict[int, int] = {}
    proofs: dict[int, float] = {}
    first = project.saves
    wanted = set(range(first, first + count))
    next_save = time.perf_counter()
    deadline = next_save + interval * count + TIMEOUT
    while time.perf_counter() < deadline:
        now = time.perf_counter()
        if len(saved) < count and now >= next_save:
            saved[project.save()] = time.perf_counter()
            next_save += interval
        state = probe(page)
        now = time.perf_counter()
        if state is not None:
            for n in saved:
                if n <= state["shown"] and n not in shown:
                    shown[n], shown_in[n] = now - saved[n], state["build"]
                if n in shown_in and n not in proofs and state["proof"] >= shown_in[n]:
                    proofs[n] = now - saved[n]
        if len(saved) == count and set(shown) >= wanted and (not proof or set(proofs) >= wanted):
            break
        time.sleep(0.005)
    if set(shown) < wanted or (proof and set(proofs) < wanted):
        print(f"saves {interval} s apart: {len(wanted - set(shown))} save(s) not shown,"
              f" {len(wanted - set(proofs)) if proof else 0} proof(s) not drawn within"
              f" {TIMEOUT} s", file=sys.stderr)
    return [shown[n] for n in sorted(shown)], [proofs[n] for n in sorted(proofs)]


def saves_at(rhythm_s: float, count: int, proof: bool
             ) -> Callable[[Project, Path, Any], tuple[list[float], list[float]]]:
    def measure(project: Project, code: Path, browser: Any) -> tuple[list[float], list[float]]:
        server, port = start_server(project, code, "muscle-spasms", "--locale", "en")
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            wait_for_server(port)
            page.goto(f"http://127.0.0.1:{port}/{PAGE}")
            page.wait_for_selector(".pp-pages img", state="attached", timeout=180_000)
            time.sleep(2)  # the first build's last steps
            result = rhythm(page, project, rhythm_s, count, proof)
            page.close()
            return result
        finally:
            stop_server(server)
    return measure


def wait_for_server(port: int) -> None:
    import urllib.request

    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/__preview__/status", timeout=1)
            return
        except OSError:
            time.sleep(0.01)
    raise RuntimeError("the preview did not answer")


def start_then_save(project: Project, code: Path, browser: Any
                    ) -> tuple[list[float], list[float]]:
    """The server started on the whole project, the page opened at its first response,
    the article saved 0.6 s after: (save → shown, first response → shown)."""
    server, port = start_server(project, code)
    try:
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        wait_for_server(port)
        page.goto(f"http://127.0.0.1:{port}/{PAGE}")
        responded = time.perf_counter()
        time.sleep(max(0.0, responded + 0.6 - time.perf_counter()))
        n = project.save()
        saved = time.perf_counter()
        deadline = saved + TIMEOUT
        while time.perf_counter() < deadline:
            state = probe(page)
            if state is not None and state["shown"] >= n:
                now = time.perf_counter()
                page.close()
                return [now - saved], [now - responded]
            time.sleep(0.005)
        page.close()
        print(f"start: the edit was not shown within {TIMEOUT} s", file=sys.stderr)
        return [], []
    finally:
        stop_server(server)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--edits", type=int, default=8, help="saves per rhythm (default 8)")
    parser.add_argument("--starts", type=int, default=3, help="preview starts (default 3)")
    parser.add_argument("--baseline", default=BASELINE, metavar="REV",
                        help=f"the commit to compare with (default {BASELINE})")
    args = parser.parse_args()
    scratch = Path(tempfile.mkdtemp(prefix="pressroom-bench-preview-"))
    base = scratch / "baseline"
    base.mkdir()
    listed = subprocess.run(["git", "ls-tree", "--name-only", args.baseline], cwd=ROOT,
                            check=True, capture_output=True, text=True).stdout.split()
    archive = subprocess.run(["git", "archive", args.baseline, "pressroom",
                              *[name for name in PROJECT_FILES if name in listed]],
                             cwd=ROOT, check=True, capture_output=True).stdout
    subprocess.run(["tar", "-x", "-C", str(base)], input=archive, check=True)
    codes = {"now": ROOT, "baseline": base}
    rows: dict[str, dict[str, list[float]]] = {}

    def add(row: str, which: str, values: list[float]) -> None:
        rows.setdefault(row, {}).setdefault(which, []).extend(values)

    from playwright.sync_api import sync_playwright

    try:
        with sync_playwright() as playwright:
            browser = launch_chromium(playwright)
            for which, code in codes.items():
                project = Project(scratch, code)
                page, proof = saves_at(4.0, args.edits, True)(project, code, browser)
                add("save → page, saves 4 s apart", which, page)
                add("save → printed proof, saves 4 s apart", which, proof)
                project = Project(scratch, code)
                page, _ = saves_at(1.0, args.edits * 2, False)(project, code, browser)
                add("save → page, saves 1 s apart", which, page)
                for _ in range(args.starts):
                    project = Project(scratch, code)
                    shown, from_response = start_then_save(project, code, browser)
                    add("start, save at +0.6 s → edit shown", which, shown)
                    add("  (from the first response)", which, from_response)
            browser.close()
    finally:
        shutil.rmtree(scratch, ignore_errors=True)

    targets = {"save → page, saves 4 s apart": 0.3, "save → printed proof, saves 4 s apart": 1.0,
               "save → page, saves 1 s apart": 0.3, "start, save at +0.6 s → edit shown": 1.0}
    print(f"Live preview, sample project — now vs baseline {args.baseline} (seconds)")
    print(f"{'':40} {'now: median':>12} {'max':>6} {'n':>3}   {'baseline: median':>16} "
          f"{'max':>6}   target")
    for row, found in rows.items():
        now, then = found.get("now", []), found.get("baseline", [])
        cells = [f"{statistics.median(v):12.3f} {max(v):6.3f} {len(v):3d}" if v else
                 f"{'—':>12} {'':6} {0:3d}" for v in (now, then)]
        target = f"<= {targets[row]}" if row in targets else ""
        print(f"{row:40} {cells[0]}   {cells[1][:-4]:>23}   {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
