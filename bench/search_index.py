"""The size of each locale's search index in a built site: `python bench/search_index.py
[out]`. The index proper is what a search fetches (its metadata, word index and page
fragments, loaded as needed); Pagefind's code and WebAssembly are the same for every
site and cached after the first search."""

from __future__ import annotations

import sys
from pathlib import Path

INDEX = (".pf_meta", ".pf_index", ".pf_fragment", ".pf_filter")


def main(out: Path) -> None:
    for folder in sorted((out / "pagefind").iterdir()):
        files = [p for p in folder.rglob("*") if p.is_file()]
        index = sum(p.stat().st_size for p in files if p.suffix in INDEX)
        total = sum(p.stat().st_size for p in files)
        pages = len([p for p in files if p.suffix == ".pf_fragment"])
        print(f"{folder.name}: {pages} page(s), index {index} bytes,"
              f" with Pagefind's code {total} bytes")


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "out"))
