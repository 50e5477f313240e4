"""Pressroom benchmark: prints figures and ratios, measured in one run on one machine.

    make bench                       # or: .venv/bin/python bench/run.py [--runs N]

Every figure is the median of --runs runs (wall-clock). Measured:
 1. cold build of every edition, as a whole process (parallel, one worker per core);
 2. the same with one worker (--jobs 1): the parallel speedup is 2 / 1;
 3. the floor, in one warm process: WeasyPrint laying out and writing the already
    generated HTML of every PDF, plus ebooklib writing every already assembled book;
    against it, Pressroom's whole pipeline for the same outputs in the same warm process,
    serially: our overhead over the floor;
 4. the baseline a user would pick instead (when pandoc is installed): for the English
    article, pandoc to HTML then the weasyprint command line for the PDF, and pandoc to
    EPUB, as whole processes; against it, Pressroom's English PDF+EPUB cold build;
 5. a no-op rebuild (nothing changed), as a whole process.
Nothing here is asserted: the tests never time anything.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from io import BytesIO
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pressroom.build.request import BuildRequest  # noqa: E402
from pressroom.build.run import run  # noqa: E402
from pressroom.core.errors import Problems  # noqa: E402
from pressroom.core.project import Project  # noqa: E402
from pressroom.render.protocol import RenderJob  # noqa: E402
from pressroom.session.caches import Session  # noqa: E402

PYTHON = sys.executable
SCRIPTS = Path(PYTHON).parent


def median_time(runs: int, action: Callable[[], None], before: Callable[[], None] | None = None
                ) -> tuple[float, list[float]]:
    times = []
    for _ in range(runs):
        if before is not None:
            before()
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times), times


#: As a user runs it: Python caches compiled modules (an environment that turns the
#: cache off would measure compilation, not Pressroom).
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def process(*command: str | Path, cwd: Path = ROOT) -> Callable[[], None]:
    def run() -> None:
        subprocess.run([str(c) for c in command], cwd=cwd, check=True, env=ENV,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return run


def fresh(folder: Path) -> Callable[[], None]:
    return lambda: shutil.rmtree(folder, ignore_errors=True)


def default_jobs(out_dir: Path, locales: tuple[str, ...] = ()) -> list[RenderJob]:
    """The PDF and EPUB jobs of the sample project's default edition, as a build makes
    them: of `locales`, or of every locale."""
    from pressroom.build.plan import make_jobs
    from pressroom.editions.config import Edition

    session = Session(Project.at(ROOT, out_dir=out_dir))
    problems = Problems()
    loaded, _ = session.select(session.sources(problems), locales=locales)
    pubs = [pub for pub in session.publications(loaded, problems)
            if not locales or pub.language in locales]
    assert not problems.errors, [str(p) for p in problems.errors]
    shared = session.shared_bundle()
    return [job for pub in pubs
            for job in make_jobs(session, pub, Edition(), ("pdf", "epub"), shared)]


def leaflet_htmls(jobs: list[RenderJob]) -> list[tuple[str, RenderJob]]:
    """The leaflet HTML of each PDF job, as its renderer generates it."""
    from pressroom.render.pdf import weasy
    from pressroom.render.pdf.leaflet import leaflet_html

    problems = Problems()
    htmls = [(leaflet_html(job, problems, weasy.url_of), job) for job in jobs
             if job.format == "pdf"]
    assert not problems.errors, [str(p) for p in problems.errors]
    return [(html, job) for html, job in htmls if html is not None]


def write_leaflet(html: str, job: RenderJob) -> bytes:
    """WeasyPrint alone laying out and writing an already generated leaflet: the
    stylesheet and images come from the job's bundle, read through the same fetcher
    (the least a renderer of these pages must do)."""
    from weasyprint import HTML

    from pressroom.render.pdf import weasy

    return HTML(string=html, base_url=weasy.ORIGIN,
                url_fetcher=weasy.BundleFetcher(job.bundle)).write_pdf(**weasy.PDF_OPTIONS)


def floor_and_pipeline(runs: int, scratch: Path) -> tuple[float, float, int]:
    """(floor, our serial pipeline) in one warm process, for the default edition."""
    from ebooklib import epub

    from pressroom.render.epub.renderer import assemble

    project = Project.at(ROOT, out_dir=scratch / "warm")
    jobs = default_jobs(project.out_dir)
    htmls = leaflet_htmls(jobs)
    problems = Problems()
    books = [(assemble(job, problems), job) for job in jobs if job.format == "epub"]
    assert not problems.errors, [str(p) for p in problems.errors]

    def floor() -> None:
        for html, job in htmls:
            write_leaflet(html, job)
        for book, job in books:
            epub.write_epub(BytesIO(), book, {"mtime": job.publication.modified,
                                              "epub3_pages": False})

    def ours() -> None:  # the same outputs as the floor: the default edition
        request = BuildRequest(("pdf", "epub"), editions=("default",), force=True, jobs=1)
        report = run(Session(project), request)
        assert report.ok

    floor(), ours()  # warm up: imports, fonts, caches
    floor_time, _ = median_time(runs, floor)
    ours_time, _ = median_time(runs, ours)
    return floor_time, ours_time, len(jobs)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=5, help="runs per measure (median)")
    args = parser.parse_args()
    runs = args.runs
    publish = ROOT / "publish.py"
    scratch = Path(tempfile.mkdtemp(prefix="pressroom-bench-"))
    rows: list[tuple[str, float, str, str]] = []
    try:
        cold_dir = scratch / "cold"
        # The leaflets and ebooks (the batch the targets were set for), then the whole
        # default build: with the web edition, its search indexes and catalogue.
        books = ("--format", "pdf", "epub")
        cold, _ = median_time(
            runs, process(PYTHON, publish, "--force", *books, "--out", cold_dir),
            fresh(cold_dir))
        outputs = len(list(cold_dir.glob("*/*.*")))
        serial, _ = median_time(
            runs, process(PYTHON, publish, "--force", *books, "--jobs", "1", "--out", cold_dir),
            fresh(cold_dir))
        rows.append((f"1. cold build, every edition, PDF + EPUB: {outputs} files,"
                     f" {os.cpu_count()} workers", cold, "", ""))
        rows.append(("2. same, one worker", serial, f"speedup {serial / cold:.2f}x",
                     "speedup >= 1.8x"))
        site, _ = median_time(runs, process(PYTHON, publish, "--force", "--out", cold_dir),
                              fresh(cold_dir))
        files = sum(1 for p in cold_dir.rglob("*") if p.is_file())
        rows.append((f"1c. cold default build, web edition included: {files} files", site,
                     f"{site / cold:.2f}x row 1", ""))

        floor, ours, count = floor_and_pipeline(runs, scratch)
        rows.append((f"3a. floor: WeasyPrint + ebooklib writing, {count} outputs, warm", floor,
                     "", ""))
        rows.append(("3b. Pressroom pipeline, same outputs, warm, serial", ours,
                     f"overhead {100 * (ours / floor - 1):+.1f}%", "overhead <= 15%"))

        en_dir = scratch / "en"
        ours_en, _ = median_time(
            runs, process(PYTHON, publish, "--force", "--locale", "en", "--edition", "default",
                          "--format", "pdf", "epub", "--out", en_dir),
            fresh(en_dir))
        if shutil.which("pandoc"):
            article = ROOT / "source" / "en" / "muscle-spasms.md"
            base = scratch / "pandoc"
            base.mkdir()

            def baseline() -> None:
                process("pandoc", article, "-s", "-o", base / "a.html")()
                process(SCRIPTS / "weasyprint", base / "a.html", base / "a.pdf")()
                process("pandoc", article, "-o", base / "a.epub")()

            pandoc, _ = median_time(runs, baseline)
            rows.append(("4a. baseline: pandoc+weasyprint PDF, pandoc EPUB (en)", pandoc, "",
                         ""))
            rows.append(("4b. Pressroom PDF+EPUB cold build (en)", ours_en,
                         f"{pandoc / ours_en:.2f}x faster" if ours_en < pandoc
                         else f"{ours_en / pandoc:.2f}x slower", "faster than 4a"))
        else:
            rows.append(("4. baseline skipped: pandoc is not installed", 0.0, "", ""))
            rows.append(("4b. Pressroom PDF+EPUB cold build (en)", ours_en, "", ""))

        noop_dir = scratch / "noop"
        process(PYTHON, publish, "--out", noop_dir)()
        noop, _ = median_time(runs, process(PYTHON, publish, "--out", noop_dir))
        rows.append(("5. no-op rebuild (nothing changed)", noop, "", "< 0.3 s"))
    finally:
        shutil.rmtree(scratch, ignore_errors=True)

    print(f"Pressroom benchmark — median of {runs} runs, {os.cpu_count()} cores, "
          f"Python {sys.version.split()[0]}")
    width = max(len(r[0]) for r in rows)
    print(f"{'measure':<{width}}  {'seconds':>8}  {'ratio':<20}  target")
    for name, seconds, ratio, target in rows:
        print(f"{name:<{width}}  {seconds:8.3f}  {ratio:<20}  {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
