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
    args = parser.parse_args()
    if not shutil.which("pandoc"):
        print("pandoc is not installed (scripts/setup.sh --bench installs it)")
        return 1
    scratch = Path(tempfile.mkdtemp(prefix="pressroom-cold-"))
    try:
        out, base = scratch / "out", scratch / "pandoc"

        def ours() -> None:
            shutil.rmtree(out, ignore_errors=True)
            run(PYTHON, ROOT / "publish.py", "build", "--force", "--locale", "en",
                "--edition", "default", "--format", "pdf", "epub", "--out", out)

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
    return 0


if __name__ == "__main__":
    sys.exit(main())
