"""A 1 MB article builds: the EPUB in seconds, the PDF in under a minute here, and the
whole build stays far below 2 GB of memory. Times are not asserted (see bench/);
memory is, as a limit the issue sets."""

from __future__ import annotations

import random
import subprocess
import sys
import zipfile
from pathlib import Path

from pypdf import PdfReader

WORDS = [
    "muscle", "spasm", "twitch", "pain", "rest", "stretch", "nerve", "doctor", "relief",
    "posture", "water", "calf", "neck", "back", "shoulder",
]


def big_article(size: int = 1_000_000) -> str:
    rng = random.Random(7)
    parts = ["---", "title: A very long article", "---", ""]
    total, n, keys = 0, 0, set()
    while total < size:
        if n % 40 == 0:
            parts += [f"# Section {n // 40 + 1}", ""]
        elif n % 10 == 0:
            parts += [f"## Part {n}", ""]
        paragraph = " ".join(rng.choice(WORDS) for _ in range(120)) + "."
        if n % 25 == 0:
            keys.add(f"n{n % 50}")
            paragraph += f"[^n{n % 50}]"
        parts += [paragraph, ""]
        total += len(paragraph) + 2
        n += 1
    parts += [f"[^{key}]: Reference {key}." for key in sorted(keys)]
    return "\n".join(parts) + "\n"


def test_a_one_megabyte_article_builds(make_project, root: Path) -> None:
    text = big_article()
    assert len(text.encode()) >= 1_000_000
    project = make_project({"en/big.md": text})
    (project / "publish.py").write_text((root / "publish.py").read_text("utf-8"), "utf-8")
    probe = (
        "import resource, subprocess, sys;"
        "r = subprocess.run([sys.executable, 'publish.py'], capture_output=True, text=True);"
        "print(r.returncode); print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss);"
        "print(r.stderr[-2000:])"
    )
    result = subprocess.run([sys.executable, "-c", probe], cwd=project, capture_output=True,
                            text=True, check=True)
    code, max_rss_kb, stderr = result.stdout.split("\n", 2)
    assert code == "0", stderr
    assert int(max_rss_kb) < 2 * 1024 * 1024, f"{int(max_rss_kb) // 1024} MB"
    assert len(PdfReader(project / "out/en/big.pdf").pages) > 200
    with zipfile.ZipFile(project / "out/en/big.epub") as book:
        assert book.testzip() is None
        assert sum(1 for n in book.namelist() if n.startswith("EPUB/section-")) > 30
