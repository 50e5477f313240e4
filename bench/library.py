"""A library of many leaflets, where people wait: medians beside baselines of the same run.

    .venv/bin/python bench/library.py [--articles 150] [--big 500] [--runs 3]

Writes synthetic libraries with bench/corpus.py (one locale), then measures, each as a
whole `publish.py build` process (what a user waits for):

 1. the --big library (default 500 leaflets), `--format html`, cold: the whole site;
    baseline: Pagefind's own program indexing the same pages (the search step's floor);
 2. the --articles library (default 150), default edition: one article edited, then
    rebuilt; baseline: the same rebuild in a library of one leaflet (what the build
    costs that no library size should add);
 3. the same library, a no-op rebuild; baseline: `python -c "import pressroom.cli.main"`
    (the interpreter and the imports every run pays).

Prints medians of --runs runs and the files each build wrote. Nothing is asserted: the
tests never time anything.
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
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

import corpus  # noqa: E402

PYTHON = sys.executable
#: As a user runs it: Python caches compiled modules.
ENV = {**{k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"},
       "PYTHONPATH": str(ROOT)}


def timed(command: list[str], cwd: Path) -> tuple[float, str]:
    start = time.perf_counter()
    done = subprocess.run(command, cwd=cwd, env=ENV, capture_output=True, text=True,
                          timeout=1800, check=False)
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"failed ({done.returncode}): {' '.join(command)}\n{done.stderr}")
    return elapsed, done.stdout


def median(runs: int, action: Callable[[], float]) -> float:
    return statistics.median(action() for _ in range(runs))


def project(folder: Path, articles: int) -> Path:
    """A project folder with the real layouts and styles and a synthetic library."""
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    for name in ("layouts", "styles"):
        shutil.copytree(ROOT / name, folder / name)
    shutil.copy(ROOT / "publish.py", folder / "publish.py")
    corpus.write(folder / "source", articles, ["en"], topics=True)
    return folder


def build(folder: Path, *args: str) -> tuple[float, str]:
    return timed([PYTHON, "publish.py", "build", *args], folder)


def edit(folder: Path, number: int) -> None:
    """A new first paragraph in one article (a real edit, different every time)."""
    article = sorted((folder / "source" / "en").glob("*.md"))[0]
    front, end, body = article.read_text("utf-8")[4:].partition("\n---\n")
    article.write_text(f"---\n{front}{end}\nEdit number {number}.\n{body}", "utf-8")


def pagefind_floor(site: Path) -> float:
    """Pagefind's own program on the pages the site has (its index to a scratch folder)."""
    from pagefind.service import get_executable

    program = get_executable()
    with tempfile.TemporaryDirectory() as scratch:
        start = time.perf_counter()
        subprocess.run([str(program), "--site", str(site / "en"), "--output-path", scratch,
                        "--glob", "*.html", "--silent"], check=True, timeout=600)
        return time.perf_counter() - start


def largest_listing(site: Path) -> str:
    """The heaviest page that lists leaflets (a locale's index, a letter, a topic, the
    topics, what's new): the issue's bound is 150 KB at 500 leaflets."""
    pages = [p for locale in site.iterdir() if (locale / "index.html").is_file()
             for p in (locale / "index.html", locale / "topics.html", locale / "new.html",
                       *(locale / "a-z").glob("*.html"), *(locale / "topics").glob("*.html"))
             if p.is_file()]
    top = max(pages, key=lambda p: p.stat().st_size)
    return f"{top.relative_to(site)} {top.stat().st_size / 1024:.1f} KB (of {len(pages)})"


def row(name: str, value: float, baseline: float, label: str, note: str = "") -> None:
    print(f"{name:<52} {value:7.2f} s   {label} {baseline:6.2f} s{note}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=150)
    parser.add_argument("--big", type=int, default=500)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--scratch", type=Path, default=Path(tempfile.gettempdir()) /
                        "pressroom-bench-library")
    args = parser.parse_args()
    runs = args.runs
    print(f"{os.cpu_count()} cores; medians of {runs} runs\n")

    big = project(args.scratch / f"library-{args.big}", args.big)

    def cold_site() -> float:
        shutil.rmtree(big / "out", ignore_errors=True)
        return build(big, "--format", "html")[0]

    site = median(runs, cold_site)
    files = len([p for p in (big / "out").rglob("*") if p.is_file()])
    row(f"{args.big} leaflets, --format html, cold ({files} files)", site,
        median(runs, lambda: pagefind_floor(big / "out")), "pagefind alone")
    print(f"  largest index page: {largest_listing(big / 'out')};"
          f" OPDS feed files: {len(list((big / 'out' / 'opds').glob('**/*.xml')))}")

    small = project(args.scratch / f"library-{args.articles}", args.articles)
    one = project(args.scratch / "library-1", 1)
    for folder in (small, one):
        build(folder, "--edition", "default")
    counter = iter(range(10**6))
    written: dict[Path, int] = {}

    def edited(folder: Path) -> Callable[[], float]:
        def action() -> float:
            edit(folder, next(counter))
            elapsed, out = build(folder, "--edition", "default")
            written[folder] = len([ln for ln in out.splitlines() if ln.startswith("wrote ")])
            return elapsed
        return action

    one_edit = median(runs, edited(one))
    many_edit = median(runs, edited(small))
    row(f"{args.articles} leaflets, one article edited, rebuild ({written[small]} files)",
        many_edit, one_edit, "1 leaflet")

    imports = median(runs, lambda: timed([PYTHON, "-c", "import pressroom.cli.main"],
                                          ROOT)[0])
    noop = median(runs, lambda: build(small, "--edition", "default")[0])
    row(f"{args.articles} leaflets, no-op rebuild", noop, imports, "imports alone")
    return 0


if __name__ == "__main__":
    sys.exit(main())
