"""The cold single article: Pressroom's English PDF + EPUB against pandoc and WeasyPrint.

    .venv/bin/python bench/cold.py [--runs 7]

Each run, as whole processes, into an empty folder:
- ours: `publish.py build --force --locale en --edition default --format pdf epub`;
- the baseline a user would pick instead: `pandoc → HTML`, the `weasyprint` command on
  it, and `pandoc → EPUB`, one after the other;
- the part both pay: a Python process that only imports WeasyPrint.
Printed: the median wall-clock and CPU seconds (the process and its children) of each,
and ours against the baseline. The runs alternate, so load on the machine falls on both.
One unmeasured run of each comes first: Python's compiled modules and, for ours, the
user's cache folder (compiled layouts, hyphenation patterns, the native libraries'
lookups: core/usercache.py) are then as after any earlier build on the machine; out/
is empty every time. Nothing is asserted.

Then where the time goes (`--parts`, on by default), each part measured alone:
- as whole processes: Python starting, Pressroom's imports (the build's, before it forks
  its PDF worker), WeasyPrint's import, the same imports followed by what the PDF worker
  does when it starts (WeasyPrint's import with the lookups Pressroom keeps in the
  user's cache folder), and each step of the baseline;
- in one warm process, after a run of each: our PDF job (the leaflet's HTML, laid out
  and written: what the worker does once WeasyPrint is imported), WeasyPrint laying out
  and writing only that HTML, WeasyPrint laying out and writing pandoc's HTML as the
  `weasyprint` command does, and our EPUB job (made in the build's own process while the
  worker lays out the leaflet).
The build's longest path is: Python, Pressroom's imports, the worker's WeasyPrint import,
the PDF job. The baseline's: its three programs one after the other.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
SCRIPTS = Path(PYTHON).parent
#: As a user runs it: compiled modules cached (bench/run.py's reason).
ENV = {**{k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"},
       "PYTHONPATH": str(ROOT)}
ARTICLE = ROOT / "source" / "en" / "muscle-spasms.md"
#: The build's command line (`--out` added).
OURS = ("build", "--force", "--locale", "en", "--edition", "default", "--format", "pdf", "epub")


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run(*command: str | Path) -> None:
    subprocess.run([str(c) for c in command], cwd=ROOT, env=ENV, check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def timed(action: Callable[[], None]) -> tuple[float, float]:
    cpu, start = children_cpu(), time.perf_counter()
    action()
    return time.perf_counter() - start, children_cpu() - cpu


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--no-parts", dest="parts", action="store_false",
                        help="only the whole builds, not where their time goes")
    args = parser.parse_args()
    if not shutil.which("pandoc"):
        print("pandoc is not installed (scripts/setup.sh --bench installs it)")
        return 1
    scratch = Path(tempfile.mkdtemp(prefix="pressroom-cold-"))
    try:
        out, base = scratch / "out", scratch / "pandoc"

        def ours() -> None:
            shutil.rmtree(out, ignore_errors=True)
            run(PYTHON, ROOT / "publish.py", *OURS, "--out", out)

        def baseline() -> None:
            shutil.rmtree(base, ignore_errors=True)
            base.mkdir()
            run("pandoc", ARTICLE, "-s", "-o", base / "a.html")
            run(SCRIPTS / "weasyprint", base / "a.html", base / "a.pdf")
            run("pandoc", ARTICLE, "-o", base / "a.epub")

        def weasyprint_import() -> None:
            run(PYTHON, "-c", "import weasyprint")

        figures: dict[str, list[tuple[float, float]]] = {
            "ours": [], "baseline": [], "import": []}
        ours(), baseline()  # warm the disk cache and compiled modules
        for _ in range(args.runs):
            figures["ours"].append(timed(ours))
            figures["baseline"].append(timed(baseline))
            figures["import"].append(timed(weasyprint_import))
        found = parts(args.runs, base / "a.html") if args.parts else []
    finally:
        shutil.rmtree(scratch, ignore_errors=True)

    def medians(name: str) -> tuple[float, float]:
        walls, cpus = zip(*figures[name], strict=True)
        return statistics.median(walls), statistics.median(cpus)

    (wall, cpu), (base_wall, base_cpu) = medians("ours"), medians("baseline")
    import_wall, import_cpu = medians("import")
    print(f"cold English PDF + EPUB, median of {args.runs} runs, {os.cpu_count()} cores"
          f" (load {' '.join(f'{x:.1f}' for x in os.getloadavg())})")
    print(f"  Pressroom build                       {wall:6.2f} s wall  {cpu:6.2f} s CPU")
    print(f"  pandoc → weasyprint, pandoc → EPUB    {base_wall:6.2f} s wall"
          f"  {base_cpu:6.2f} s CPU")
    print(f"  ratio                                 {wall / base_wall:6.2f}x wall"
          f"  {cpu / base_cpu:6.2f}x CPU   (target <= 1.0x wall)")
    print(f"  of which both pay: import weasyprint  {import_wall:6.2f} s wall"
          f"  {import_cpu:6.2f} s CPU")
    if found:
        print("where the time goes, each part alone (median wall):")
        for name, seconds in found:
            print(f"  {name:<62} {seconds:6.3f} s")
    return 0


def parts(runs: int, pandoc_html: Path) -> list[tuple[str, float]]:
    """Each part of both paths, measured alone (median wall seconds); see the module's
    docstring. pandoc_html: the baseline's HTML of the article, as its first step made it."""

    def process(*command: str | Path) -> float:
        return statistics.median(timed(lambda: run(*command))[0] for _ in range(runs))

    scratch = pandoc_html.parent
    found = [
        ("process: Python starts", process(PYTHON, "-c", "pass")),
        ("process: Python + Pressroom's imports", process(PYTHON, "-c",
                                                         "import pressroom.cli.main")),
        ("process: Python + WeasyPrint's import", process(PYTHON, "-c", "import weasyprint")),
        ("process: Python + Pressroom's imports + PDF worker's start-up",
         process(PYTHON, "-c", "from pressroom.render.protocol import prepare;"
                 " import pressroom.cli.main; prepare(('pdf',))")),
        ("baseline: pandoc → HTML", process("pandoc", ARTICLE, "-s", "-o", scratch / "b.html")),
        ("baseline: weasyprint command (HTML → PDF)",
         process(SCRIPTS / "weasyprint", pandoc_html, scratch / "b.pdf")),
        ("baseline: pandoc → EPUB", process("pandoc", ARTICLE, "-o", scratch / "b.epub")),
    ]
    return found + warm_parts(runs, pandoc_html)


def warm_parts(runs: int, pandoc_html: Path) -> list[tuple[str, float]]:
    """The rendering parts in this process, warm (each run once before it is timed)."""
    # bench/run.py's: the jobs a build makes, their leaflets' HTML, WeasyPrint alone.
    from run import default_jobs, leaflet_htmls, median_time, write_leaflet
    from weasyprint import HTML

    from pressroom.render.protocol import run_job

    jobs = {job.format: job for job in default_jobs(pandoc_html.parent / "warm", ("en",))}
    ((html, _),) = leaflet_htmls([jobs["pdf"]])

    def warm(action: Callable[[], object]) -> float:
        action()
        return median_time(runs, action)[0]

    return [
        ("warm: our PDF job (leaflet HTML, layout, PDF/UA, form)",
         warm(lambda: run_job(jobs["pdf"]))),
        ("warm: WeasyPrint laying out + writing our leaflet's HTML",
         warm(lambda: write_leaflet(html, jobs["pdf"]))),
        ("warm: WeasyPrint laying out + writing pandoc's HTML",
         warm(lambda: HTML(filename=pandoc_html).write_pdf())),
        ("warm: our EPUB job", warm(lambda: run_job(jobs["epub"]))),
    ]


if __name__ == "__main__":
    sys.exit(main())
