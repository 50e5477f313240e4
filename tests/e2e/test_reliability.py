"""Nothing lost, nothing leaked, the same bytes every time."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import DATA
from helpers import build, live_children
from pypdf import PdfReader

from pressroom.cli.main import main
from pressroom.core.project import Project
from pressroom.core.writing import remove_stale_temporaries, write_atomic


def outputs(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file() and not p.name.startswith(".")}


def test_source_date_epoch_gives_byte_identical_outputs(make_project, monkeypatch,
                                                         tmp_path) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    project_dir = make_project()
    (project_dir / "source" / "en" / "undated.md").write_text(
        "---\ntitle: Undated\n---\n\n# Only\n\nText.\n", encoding="utf-8")
    first = build(Project.at(project_dir, out_dir=tmp_path / "a"))
    time.sleep(1.1)  # a clock-based date would now differ
    second = build(Project.at(project_dir, out_dir=tmp_path / "b"))
    assert first.ok and second.ok
    a, b = outputs(tmp_path / "a"), outputs(tmp_path / "b")
    # 5 locales + the undated article: PDF, EPUB, page, cover image and its thumbnail
    # each; the site's indexes (6), 404 page, stylesheet, two scripts and icon; a search
    # page and an OPDS feed per locale, and the catalogue's navigation feed; the search
    # indexes (Pagefind names their files), the feeds and all, byte-identical too. The
    # browsing pages: a letter page per locale (two in English: "M", "U"), the topics
    # overview, the sample's two topics, what's new and its Atom feed per locale; the
    # OPDS feeds of the newest, of each topic and the navigation feed per locale.
    site = [name for name in a if not name.startswith("pagefind/")]
    browsing = (5 + 1) + 5 + 2 * 5 + 5 + 5 + (1 + 2 + 1) * 5
    assert len(site) == 6 * 5 + 6 + 5 + 5 + 6 + browsing, sorted(site)
    assert {name.split("/")[1] for name in a if name.startswith("pagefind/")} == {
        "ar", "de", "en", "es", "fr"}
    assert a == b
    pdf = PdfReader(tmp_path / "a" / "en" / "undated.pdf")
    assert pdf.metadata["/ModDate"].startswith("D:20260101")  # the epoch, not the clock
    assert pdf.trailer["/ID"]


def test_killed_batch_leaves_old_or_new_complete_files(make_project, root) -> None:
    project_dir = make_project()
    (project_dir / "publish.py").write_text((root / "publish.py").read_text("utf-8"), "utf-8")
    command = [sys.executable, "publish.py", "--force"]
    subprocess.run(command, cwd=project_dir, check=True, capture_output=True)
    out = project_dir / "out"
    for delay in (0.3, 0.9, 1.5, 2.1, 2.7):
        process = subprocess.Popen(command, cwd=project_dir, stdout=subprocess.DEVNULL,
                                   stderr=subprocess.DEVNULL, start_new_session=True)
        time.sleep(delay)
        os.killpg(process.pid, signal.SIGKILL)  # the build and its workers, mid-flight
        process.wait()
        for path in out.rglob("*"):
            if not path.is_file() or path.name.startswith("."):
                continue  # temporaries and the manifest: never read as outputs
            if path.suffix == ".pdf":
                data = path.read_bytes()
                assert data.startswith(b"%PDF-") and data.rstrip().endswith(b"%%EOF"), path
                assert len(PdfReader(path).pages) >= 4, path
            elif path.suffix == ".epub":
                with zipfile.ZipFile(path) as book:
                    assert book.testzip() is None, path
    result = subprocess.run([sys.executable, "publish.py"], cwd=project_dir,
                            capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    assert not [p for p in out.rglob(".*.tmp")], "stale temporary files were not cleaned up"
    assert len(list(out.glob("*/*.pdf"))) == 5 and len(list(out.glob("*/*.epub"))) == 5


def test_stale_temporaries_of_dead_writers_are_removed(tmp_path: Path) -> None:
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True).stdout.strip()
    stale = tmp_path / f".a.pdf.{dead}.x1y2.tmp"
    live = tmp_path / f".a.pdf.{os.getpid()}.z3w4.tmp"
    stale.write_bytes(b"partial")
    live.write_bytes(b"being written")
    assert remove_stale_temporaries(tmp_path) == [stale]
    assert live.exists()


def test_corrupt_manifest_only_causes_a_rebuild(make_project) -> None:
    project = Project.at(make_project({"en/a.md": "---\ntitle: A\n---\n\n# S\n\nText.\n"}))
    build(project, formats=("epub",))
    (project.out_dir / ".pressroom-manifest.json").write_bytes(b"\x00\xff garbage")
    report = build(project, formats=("epub",))
    assert report.ok and [p.name for p in report.written] == ["a.epub"]


def test_output_folder_that_cannot_be_created(make_project, capsys) -> None:
    project_dir = make_project({"en/a.md": "---\ntitle: A\n---\n\n# S\n\nText.\n"})
    blocker = project_dir / "out"
    blocker.write_text("a file where the output folder should be", encoding="utf-8")
    assert main(["build", "--format", "epub"], project_root=project_dir) == 1
    err = capsys.readouterr().err
    assert "a.epub: error: cannot write output" in err
    assert "Traceback" not in err
    assert blocker.read_text("utf-8").startswith("a file")


def test_write_failure_leaves_the_previous_file(tmp_path: Path, monkeypatch) -> None:
    target = tmp_path / "a.pdf"
    write_atomic(target, b"%PDF-old")

    def full_disk(*args: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("pressroom.core.writing.os.replace", full_disk)
    with pytest.raises(OSError):
        write_atomic(target, b"%PDF-new")
    assert target.read_bytes() == b"%PDF-old"
    assert [p.name for p in tmp_path.iterdir()] == ["a.pdf"]


def test_nothing_outside_the_project_is_read(make_project, tmp_path: Path) -> None:
    """Hostile input everywhere an author can put it; a sentinel file must never leak."""
    sentinel = tmp_path / "secret.txt"
    sentinel.write_text("SENTINEL-c0ffee", encoding="utf-8")
    svg = (f'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink">'
           f'<image xlink:href="{sentinel.as_uri()}" width="9" height="9"/></svg>')
    hostile = (
        "---\ntitle: Hostile\n---\n\n# Body\n\n"
        f"![Secret]({sentinel.as_uri()})\n\n![Up](../../../secret.txt)\n\n"
        "![Drawing](drawing.svg)\n\n<script>x</script>\n\n"
        f"[link]({sentinel.as_uri()})\n"
    )
    project_dir = make_project({"en/hostile.md": hostile, "en/drawing.svg": svg,
                                "en/good.md": (DATA / "articles/complete.md").read_text("utf-8"),
                                "en/blue.png": DATA / "articles/blue.png"})
    fetched: list[str] = []
    import pressroom.render.pdf.weasy as weasy

    original = weasy.BundleFetcher.fetch

    def recording(self, url, headers=None):  # type: ignore[no-untyped-def]
        fetched.append(url)
        return original(self, url, headers)

    weasy.BundleFetcher.fetch = recording  # type: ignore[method-assign]
    try:
        report = build(Project.at(project_dir), jobs=1)
    finally:
        weasy.BundleFetcher.fetch = original  # type: ignore[method-assign]
    errors = [str(p) for p in report.problems.errors]
    assert all("hostile.md" in e for e in errors) and len(errors) >= 4
    # The good article is built; the site's indexes wait until every article is good.
    assert sorted(p.name for p in report.written) == [
        "good.cover.png", "good.epub", "good.html", "good.pdf", "good.thumbnail.png"]
    assert fetched and all(url.startswith((weasy.ORIGIN, "data:")) for url in fetched)
    for path in (project_dir / "out").rglob("*"):
        if path.is_file():
            assert b"SENTINEL-c0ffee" not in path.read_bytes()
            if path.suffix == ".epub":
                with zipfile.ZipFile(path) as book:
                    for name in book.namelist():
                        assert b"SENTINEL-c0ffee" not in book.read(name)


#: Two PDF jobs, so two workers, each a second or more from a finished leaflet.
PDF_BUILD = [sys.executable, "publish.py", "build", "--format", "pdf", "--locale", "de", "en"]


@contextlib.contextmanager
def stopped_workers(project_dir: Path, root: Path, bound: str
                    ) -> Iterator[tuple[subprocess.Popen[str], list[int]]]:
    """`PDF_BUILD` started with PRESSROOM_JOB_TIMEOUT=`bound`, its two workers stopped
    (SIGSTOP: as workers stuck in a layout would be); at the end, should the build hang,
    it and its workers are killed with the test."""
    (project_dir / "publish.py").write_text((root / "publish.py").read_text("utf-8"), "utf-8")
    build = subprocess.Popen(PDF_BUILD, cwd=project_dir, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True,
                             env={**os.environ, "PRESSROOM_JOB_TIMEOUT": bound})
    workers: list[int] = []
    try:
        deadline = time.monotonic() + 60
        while len(workers := live_children(build.pid)) < 2 and time.monotonic() < deadline:
            assert build.poll() is None, build.communicate()
            time.sleep(0.01)
        for worker in workers:
            os.kill(worker, signal.SIGSTOP)
        yield build, workers
    finally:  # none of them left stopped on the machine, whatever the test found
        for pid in [*workers, *([build.pid] if build.poll() is None else [])]:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        build.wait()


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads Linux's /proc")
def test_a_hung_worker_ends_the_build_with_one_line(make_project, root) -> None:
    """The build's workers stop (SIGSTOP: as a worker stuck in a layout would): with no
    job finished within PRESSROOM_JOB_TIMEOUT the build kills them, says so in one line,
    writes nothing half-done and exits 1; the next build builds everything."""
    project_dir = make_project()
    with stopped_workers(project_dir, root, "3") as (build, workers):
        _, stderr = build.communicate(timeout=120)
    assert build.returncode == 1, stderr
    assert stderr.splitlines() == [
        "publish.py: error: no render job finished in 3 s, the bound"
        " (PRESSROOM_JOB_TIMEOUT): stopped waiting: 2 output(s) not built; run the build"
        " again to build them",
        "failed: 0 error(s), 0 warning(s); 0 file(s) written"]
    assert not [pid for pid in workers if Path(f"/proc/{pid}").exists()]
    out = project_dir / "out"
    assert not list(out.glob("*/*.pdf")) and not list(out.rglob(".*.tmp"))
    again = subprocess.run(PDF_BUILD, cwd=project_dir, capture_output=True, text=True,
                           check=False, timeout=300)
    assert again.returncode == 0, again.stderr
    assert len(list(out.glob("*/*.pdf"))) == 2


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads Linux's /proc")
@pytest.mark.parametrize(("presses", "bound"), [(1, "4"), (2, "600")])
def test_ctrl_c_with_hung_workers_ends_the_build(make_project, root, presses: int,
                                                 bound: str) -> None:
    """Ctrl-C while the workers are stopped (SIGSTOP: a layout stuck for ever). Once: the
    build waits for the jobs in hand no longer than PRESSROOM_JOB_TIMEOUT, then kills
    them; twice: it kills them at once (the bound here is 600 s). Either way it exits 130
    with its one line, leaving no worker, no PDF and no temporary file."""
    project_dir = make_project()
    with stopped_workers(project_dir, root, bound) as (build, workers):
        for _ in range(presses):
            time.sleep(0.5)  # the build is waiting on its jobs (or on its workers)
            os.kill(build.pid, signal.SIGINT)
        _, stderr = build.communicate(timeout=120)
    assert build.returncode == 130, stderr
    assert stderr.splitlines() == ["interrupted; out/ unchanged"]
    assert not [pid for pid in workers if Path(f"/proc/{pid}").exists()]
    out = project_dir / "out"
    assert not list(out.glob("*/*.pdf")) and not list(out.rglob(".*.tmp"))
