"""The live preview, as an author uses it: the real server in its own process, the page
in Chromium, the article edited on disk."""

from __future__ import annotations

import glob
import http.client
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import DATA, ROOT, copy_project
from PIL import Image

ARTICLE = (DATA / "articles" / "complete.md").read_text("utf-8")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    def __init__(self, project: Path, port: int, process: subprocess.Popen[str]) -> None:
        self.project, self.port, self.process = project, port, process
        self.base = f"http://127.0.0.1:{port}"
        self.article = project / "source" / "en" / "complete.md"

    def status(self) -> dict:
        with urllib.request.urlopen(f"{self.base}/__preview__/status", timeout=5) as r:
            return json.load(r)

    def wait(self, condition, timeout: float = 60) -> dict:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            status = self.status()
            if condition(status):
                return status
            time.sleep(0.05)
        raise AssertionError(f"timed out; last status {status}")

    def stop(self) -> tuple[int, str, str]:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
        out, err = self.process.communicate(timeout=60)
        return self.process.returncode, out, err


def start(project: Path, *args: str, env: dict[str, str] | None = None) -> Server:
    port = free_port()
    process = subprocess.Popen([sys.executable, "publish.py", "preview", "--port", str(port),
                                *args], cwd=project, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True, env=env)
    line = process.stdout.readline()
    assert line == f"previewing at http://127.0.0.1:{port}/ (Ctrl-C to stop)\n", (
        line, process.stderr.read() if process.poll() is not None else "")
    return Server(project, port, process)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return preview_project(tmp_path / "project")


def preview_project(dest: Path) -> Path:
    """A project with the article that uses every construct, its image and publish.py."""
    project = copy_project(dest, {"en/complete.md": ARTICLE,
                                  "en/blue.png": DATA / "articles/blue.png"})
    shutil.copy(ROOT / "publish.py", project / "publish.py")
    return project


@pytest.fixture
def server(project: Path) -> Iterator[Server]:
    server = start(project)
    yield server
    server.stop()


@pytest.fixture(scope="module")
def reading_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """One preview for the tests that only read from it (a start costs a build)."""
    server = start(preview_project(tmp_path_factory.mktemp("reading") / "project"))
    yield server
    server.stop()


@pytest.fixture
def page(server: Server, chromium) -> Iterator:
    """A page of the session's browser (one Playwright per test process: a second one
    started beside it refuses to run inside the first one's event loop)."""
    context = chromium.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    server.wait(lambda s: s["proof_build"] >= 1)
    page.goto(f"{server.base}/en/complete.html")
    yield page
    context.close()


def test_a_save_updates_the_open_page_and_its_proof(server: Server, page) -> None:
    pdf = urllib.request.urlopen(f"{server.base}/en/complete.pdf").read()
    info = subprocess.run(["pdfinfo", "-"], input=pdf, capture_output=True, check=True)
    pages = int(re.search(rb"Pages:\s+(\d+)", info.stdout).group(1))
    assert page.locator(".pp-pages img").count() == pages
    # The author reads the subsection, its heading 120 px from the top of the window.
    page.evaluate("window.scrollBy(0, document.getElementById('a-subsection')"
                  ".getBoundingClientRect().top - 120)")
    before = server.status()["build"]
    server.article.write_text(ARTICLE.replace("An introduction before the first section.",
                                              "A brand-new sentence."), "utf-8")
    page.wait_for_selector("text=A brand-new sentence.", timeout=30_000)
    assert server.status()["build"] == before + 1
    # The author stays where they were reading, whatever changed above.
    top = page.evaluate("document.getElementById('a-subsection').getBoundingClientRect().top")
    assert abs(top - 120) < 2, top
    server.wait(lambda s: s["proof_build"] == before + 1)
    page.wait_for_selector(f".pp-pages img[src$='b={before + 1}']", timeout=90_000)


def test_the_panel_shows_the_reading_grade_the_command_reports(server: Server, page) -> None:
    """Beside the page, the grade the author writes toward, as `publish.py readability`
    measures it."""
    report = subprocess.run([sys.executable, "publish.py", "readability"], cwd=server.project,
                            capture_output=True, text=True, check=True).stdout
    grade, target = re.search(r"^  grade (\d+\.\d) \(.*\), target (\d+)", report, re.M).groups()
    status = " ".join(page.locator(".pp-status").inner_text().split())
    assert f"reading grade {grade}, target {target}" in status, status


def test_errors_are_shown_on_the_page_and_go_away(server: Server, page, project: Path) -> None:
    broken = ARTICLE.replace("title: Everything an Author Can Write", "title: [unclosed")
    server.article.write_text(broken, "utf-8")
    overlay = page.locator(".pp-overlay")
    overlay.wait_for(timeout=30_000)
    check = subprocess.run([sys.executable, "publish.py", "check"], cwd=project,
                           capture_output=True, text=True)
    expected = [line for line in check.stderr.splitlines() if ": error: " in line]
    assert expected and page.locator(".pp-messages").first.inner_text().splitlines() == expected
    server.article.write_text(ARTICLE, "utf-8")
    overlay.wait_for(state="detached", timeout=30_000)


def test_a_page_shown_before_the_site_step_has_its_stylesheet_and_pictures(
        server: Server, project: Path, chromium) -> None:
    """The site step (which writes the stylesheet, scripts and images) waits for a pause
    in the saves; the page the author opens meanwhile is styled and has its pictures."""
    before = server.wait(lambda s: s["proof_build"] >= 1 and not s["working"])["build"]
    stylesheet = project / "styles" / "site.css"
    stylesheet.write_text(stylesheet.read_text("utf-8")
                          + "\nmain { border-top: 7px solid rgb(1, 2, 3); }\n", "utf-8")
    Image.new("RGB", (12, 9), "#c03000").save(project / "source" / "en" / "blue.png")
    server.wait(lambda s: s["build"] > before)
    context = chromium.new_context(viewport={"width": 1280, "height": 800})
    try:
        page = context.new_page()
        failed: list[str] = []
        page.on("response", lambda r: r.status >= 400 and failed.append(f"{r.status} {r.url}"))
        page.goto(f"{server.base}/en/complete.html")
        border = page.evaluate("getComputedStyle(document.querySelector('main')).borderTop")
        assert border == "7px solid rgb(1, 2, 3)", border
        sizes = page.evaluate("[...document.querySelectorAll('main img')]"
                              ".map(i => [i.naturalWidth, i.naturalHeight])")
        assert sizes and [12, 9] in sizes, sizes
        assert failed == []
    finally:
        context.close()


@pytest.mark.parametrize("path", [
    "/../pyproject.toml", "/%2e%2e/pyproject.toml", "/%2E%2E%2Fpublish.py", "/..%2fpublish.py",
    "//etc/passwd", "/etc/passwd", "/assets/", "/en", "/source/en/complete.md", "/en/%00.html",
    "/__preview__/../publish.py", "/__preview__/proof/../../site/en/complete.html",
    "/en\\..\\..\\publish.py",
])
def test_only_the_preview_files_are_served(reading_server: Server, path: str) -> None:
    server = reading_server
    server.wait(lambda s: s["build"] >= 1)
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
    connection.putrequest("GET", path, skip_host=False, skip_accept_encoding=True)
    connection.endheaders()
    response = connection.getresponse()
    assert response.status == 404, (path, response.read()[:200])
    connection.close()


def test_a_burst_of_saves_builds_once(server: Server) -> None:
    start_build = server.wait(lambda s: s["proof_build"] >= 1)["build"]
    for n in range(10):  # an editor saving in steps, or a formatter rewriting the file
        server.article.write_text(ARTICLE + f"\nEdit {n}.\n", "utf-8")
    server.wait(lambda s: s["build"] > start_build)
    time.sleep(1.5)  # anything still to come would have started by now
    assert server.status()["build"] == start_build + 1


def test_port_in_use_is_a_one_line_error(project: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = subprocess.run([sys.executable, "publish.py", "preview", "--port", str(port)],
                                cwd=project, capture_output=True, text=True, timeout=60)
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        f"publish.py: error: cannot listen on 127.0.0.1:{port}: Address already in use"
        " (choose another port with --port)"]


def test_ctrl_c_stops_cleanly(project: Path, tmp_path: Path) -> None:
    scratch = tmp_path / "tmp"  # this preview's own temporary folder (tests run side by side)
    scratch.mkdir()
    server = start(project, env={**os.environ, "TMPDIR": str(scratch)})
    server.wait(lambda s: s["build"] >= 1)
    created = set(glob.glob(f"{scratch}/pressroom-preview-*"))
    assert len(created) == 1
    code, out, err = server.stop()
    assert code == 0 and out.endswith("stopped\n"), (out, err)
    assert "Traceback" not in err and err == ""
    assert not any(Path(p).exists() for p in created)
    assert not (project / "out").exists()  # the preview never writes into out/


def served(server: Server, page: str = "en/complete.html") -> str:
    with urllib.request.urlopen(f"{server.base}/{page}", timeout=10) as response:
        return response.read().decode("utf-8")


def pdf_text(data: bytes) -> str:
    return " ".join(subprocess.run(["pdftotext", "-", "-"], input=data, capture_output=True,
                                   check=True).stdout.decode("utf-8").split())


def test_a_save_during_the_first_build_is_shown_before_it_ends(make_project, root: Path
                                                                ) -> None:
    """The first build of a project with several articles takes a while (every page,
    leaflet and ebook); an edit saved meanwhile is shown without waiting for its end:
    the page with the edit is served while no proof is drawn yet."""
    files: dict[str, Path | str] = {"en/blue.png": DATA / "articles/blue.png"}
    for slug in ("complete", "second", "third"):
        files[f"en/{slug}.md"] = ARTICLE.replace("Everything an Author Can Write",
                                                 f"Everything about {slug}")
    project = make_project(files)
    (project / "publish.py").write_text((root / "publish.py").read_text("utf-8"), "utf-8")
    server = start(project)
    try:
        served(server)  # the author opens the page: it is built first
        assert server.status()["proof_build"] == 0  # the first build is still running
        server.article.write_text(files["en/complete.md"].replace(
            "An introduction before the first section.", "Saved during the first build."),
            "utf-8")
        deadline = time.monotonic() + 120
        while "Saved during the first build." not in (html := served(server)):
            assert time.monotonic() < deadline, server.status()
            time.sleep(0.05)
        # The panel is drawn as the page is served: no proof yet, the leaflets to come.
        assert 'data-proof="0"' in html
        server.wait(lambda s: s["proof_build"] >= 1 and not s["working"], timeout=180)
        pdf = urllib.request.urlopen(f"{server.base}/en/complete.pdf").read()
        assert "Saved during the first build." in pdf_text(pdf)
    finally:
        server.stop()


def test_a_superseded_leaflet_is_not_drawn_over_a_newer_one(server: Server) -> None:
    """A save while the last save's leaflet is being laid out: that leaflet is neither
    waited for nor written; the newer one is, and its proof is the one shown."""
    first = server.wait(lambda s: s["proof_build"] >= 1 and not s["working"])
    server.article.write_text(ARTICLE.replace("An introduction before the first section.",
                                              "The older save."), "utf-8")
    older = server.wait(lambda s: s["build"] > first["build"]
                        and s["working"] == "leaflets en/complete", timeout=60)
    server.article.write_text(ARTICLE.replace("An introduction before the first section.",
                                              "The newer save."), "utf-8")
    newer = server.wait(lambda s: s["build"] > older["build"] and s["proof_build"] == s["build"]
                        and not s["working"], timeout=90)
    assert newer["superseded"] >= 1  # the older leaflet's build was cut short
    text = pdf_text(urllib.request.urlopen(f"{server.base}/en/complete.pdf").read())
    assert "The newer save." in text and "The older save." not in text
    html = served(server)
    assert "The newer save." in html
    proof = re.findall(r'src="/__preview__/proof/en/complete/\d+\.jpg\?b=(\d+)"', html)
    assert proof and set(proof) == {str(newer["build"])}
    _, out, _ = server.stop()
    # The older leaflet was never written: one leaflet for the first build, one for the newer.
    assert out.splitlines().count("rebuilt en/complete.pdf") == 2, out


def test_the_terminal_tells_each_rebuild_and_each_problem(project: Path) -> None:
    """As `publish.py build` does: the files rebuilt on stdout, every problem as
    `path:line: severity: message` on stderr, once per save."""
    server = start(project)
    article = server.article
    first = server.wait(lambda s: s["proof_build"] >= 1 and not s["working"])
    broken = ARTICLE.replace("title: Everything an Author Can Write", "title: [unclosed")
    article.write_text(broken, "utf-8")
    failed = server.wait(lambda s: s["build"] > first["build"] and s["errors"]
                         and not s["working"])
    check = subprocess.run([sys.executable, "publish.py", "check"], cwd=project,
                           capture_output=True, text=True)
    article.write_text(ARTICLE.replace("An introduction before the first section.",
                                       "Fixed."), "utf-8")
    server.wait(lambda s: s["build"] > failed["build"] and s["proof_build"] == s["build"]
                and not s["working"])
    code, out, err = server.stop()
    assert code == 0
    assert out.splitlines() == [  # the broken save rebuilt nothing
        "rebuilt en/complete.html", "rebuilt en/complete.pdf", "rebuilt en/complete.epub",
        "rebuilt en/complete.html", "rebuilt en/complete.pdf", "rebuilt en/complete.epub",
        "stopped"], out
    expected = [line for line in check.stderr.splitlines() if line.startswith("source/")]
    assert expected and all(": error: " in line for line in expected)
    assert err.splitlines() == expected, err


def test_the_previews_worker_abandoned_is_killed_and_replaced(root: Path) -> None:
    """The preview's leaflet worker, given up by a build (a job that hung): the stuck
    process is gone and the next leaflet is laid out by a new one, the only one."""
    from conftest import load, render_job
    from helpers import live_children, process_state

    from pressroom.content.resolve import resolve
    from pressroom.core.errors import Problems
    from pressroom.preview.worker import LeafletWorker

    article, _ = load(DATA / "articles" / "complete.md")
    job = render_job(resolve(article, Problems()), root)
    worker = LeafletWorker()
    try:
        first = worker.submit_job(job)
        stuck = next(iter(worker._pool.pool._processes))  # the pool's one worker
        os.kill(stuck, signal.SIGSTOP)
        worker.abandon()
        with pytest.raises(Exception):  # noqa: B017  (the pool says it broke)
            first.result(timeout=30)
        again = worker.submit_job(job).result(timeout=120)
        assert again.files and again.files[job.outputs[0].path].startswith(b"%PDF-")
        assert process_state(stuck) in (None, ("Z", os.getpid()))
        ours = Path(f"/proc/{os.getpid()}/cmdline").read_bytes()
        workers = [pid for pid in live_children(os.getpid())
                   if Path(f"/proc/{pid}/cmdline").read_bytes() == ours]  # forked from us
        assert workers == list(worker._pool.pool._processes)
    finally:
        worker.shutdown(wait=True)
