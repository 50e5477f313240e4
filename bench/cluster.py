"""The cluster rows: a Dask worker's memory as outputs accumulate, and the client's CPU.

    .venv/bin/python bench/cluster.py [--articles 150] [--locales en] [--rounds 4]
                                      [--format pdf epub] [--workers 2]

Writes a synthetic corpus (bench/corpus.py), starts `dask scheduler` and `--workers`
one-thread workers on 127.0.0.1 (bench/batch.py's), and runs `publish.py build --force
--scheduler` `--rounds` times, each into an empty folder (cold: every article loaded, checked and
resolved by the client, as on a first build), against the same workers. After each
round it prints, for the worker processes: the outputs they have made so far and the
resident memory of each (flat across rounds, or growing with jobs); and for the client
(the `publish.py build` process): its CPU per output and per article, beside the workers'
CPU per output (the jobs themselves: the baseline the client's share is a fraction of).
First, a build of one article on the same cluster gives the client's fixed cost (start,
imports, the workers' check): the rest, divided by the outputs, is its cost per output.
Medians are over the rounds. Nothing is asserted.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

import batch  # noqa: E402
import corpus  # noqa: E402


def rss(processes: list[batch.psutil.Process]) -> list[float]:
    return [process.memory_info().rss / 2**20 for process in processes]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=150)
    parser.add_argument("--locales", nargs="+", default=["en"])
    parser.add_argument("--format", nargs="+", default=["pdf", "epub"])
    parser.add_argument("--rounds", type=int, default=4)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    scratch = Path(tempfile.mkdtemp(prefix="pressroom-cluster-"))
    try:
        source = scratch / "source"
        count = corpus.write(source, args.articles, args.locales)
        print(f"corpus: {count} article files ({' '.join(args.locales)}),"
              f" {' + '.join(args.format)}; {args.workers} workers, {os.cpu_count()} cores",
              flush=True)
        folder = scratch / "dask"
        folder.mkdir()
        with batch.dask_cluster(folder, args.workers) as (address, processes):
            scheduler, workers = processes[0], processes[1:]
            start = rss(workers)
            print(f"workers started: RSS {' '.join(f'{m:.0f}' for m in start)} MB", flush=True)
            one = scratch / "one"
            corpus.write(one, 1, args.locales[:1])
            fixed = batch.Figures("one article")
            batch.run_build(["--source", str(one), "--out", str(scratch / "one-out"),
                             "--edition", "default", "--format", *args.format,
                             "--scheduler", address], fixed, workers)
            print(f"one article ({fixed.outputs} outputs): client CPU {fixed.client_cpu:.2f} s"
                  " (its fixed cost: start, imports, the workers' check)", flush=True)
            made = fixed.outputs
            marginal = []
            client_out, client_article, worker_out = [], [], []
            for round_ in range(1, args.rounds + 1):
                figures = batch.Figures(f"round {round_}")
                before = batch.cpu_of(workers)
                shutil.rmtree(scratch / "out", ignore_errors=True)
                batch.run_build(["--source", str(source), "--out",
                                 str(scratch / "out"), "--edition", "default", "--format",
                                 *args.format, "--scheduler", address], figures, workers)
                made += figures.outputs
                jobs = batch.cpu_of(workers) - before
                client_out.append(1000 * figures.client_cpu / figures.outputs)
                client_article.append(1000 * figures.client_cpu / count)
                worker_out.append(1000 * jobs / figures.outputs)
                marginal.append(1000 * (figures.client_cpu - fixed.client_cpu)
                                / (figures.outputs - fixed.outputs))
                print(f"after {made:5d} outputs: worker RSS"
                      f" {' '.join(f'{m:.0f}' for m in rss(workers))} MB (peak during the round"
                      f" {max(figures.workers):.0f}); client CPU {client_out[-1]:.1f} ms/output"
                      f" = {client_article[-1]:.1f} ms/article (beyond the fixed cost"
                      f" {marginal[-1]:.1f} ms/output); workers"
                      f" {worker_out[-1]:.0f} ms/output; wall {figures.wall:.1f} s"
                      f" (load {batch.load_average()})", flush=True)
            print(f"median over {args.rounds} rounds: client CPU"
                  f" {statistics.median(client_out):.1f} ms/output,"
                  f" {statistics.median(client_article):.1f} ms/article, beyond the fixed cost"
                  f" {statistics.median(marginal):.1f} ms/output; the jobs (workers)"
                  f" {statistics.median(worker_out):.0f} ms/output;"
                  f" scheduler CPU {batch.cpu_of([scheduler]):.1f} s in all")
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()
