"""Live-preview latency: from saving the article to the browser showing the new content.

    .venv/bin/python bench/preview.py [--edits 20]

Starts `publish.py preview` on a copy of the sample project (the English seed article,
default edition), opens the page in Debian's Chromium, and saves the article `--edits`
times, each time with a new sentence. Measured from the moment the file is written:
 - page: the new sentence is in the open page (reloaded by the preview itself);
 - proof: the printed proof's images of that build are in the page.
Prints medians and the spread. Nothing is asserted.
"""

from __future__ import annotations

import argparse
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from checkers import launch_chromium  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--edits", type=int, default=20)
    args = parser.parse_args()
    scratch = Path(tempfile.mkdtemp(prefix="pressroom-bench-preview-"))
    project = scratch / "project"
    for folder in ("source", "layouts", "styles"):
        shutil.copytree(ROOT / folder, project / folder)
    for name in ("editions.yaml", "publish.py"):
        shutil.copy(ROOT / name, project / name)
    article = project / "source" / "en" / "muscle-spasms.md"
    original = article.read_text("utf-8")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = subprocess.Popen([sys.executable, "publish.py", "preview", "muscle-spasms",
                               "--locale", "en", "--port", str(port)], cwd=project,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    page_times: list[float] = []
    proof_times: list[float] = []
    try:
        server.stdout.readline()
        from playwright.sync_api import sync_playwright

        with sync_playwright() as playwright:
            browser = launch_chromium(playwright)
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            page.goto(f"http://127.0.0.1:{port}/en/muscle-spasms.html")
            page.wait_for_selector(".pp-pages img", state="attached", timeout=120_000)
            for n in range(1, args.edits + 1):
                sentence = f"Benchmark sentence number {n}."
                build = int(page.locator("#pressroom-preview").get_attribute("data-build"))
                start = time.perf_counter()
                article.write_text(original.replace(
                    "# What are Muscle Spasms?\n", f"# What are Muscle Spasms?\n\n{sentence}\n"),
                    "utf-8")
                page.wait_for_function("s => document.body.innerText.includes(s)",
                                       arg=sentence, polling=5, timeout=60_000)
                page_times.append(time.perf_counter() - start)
                page.wait_for_selector(f".pp-pages img[src$='b={build + 1}']",
                                       state="attached", timeout=60_000)
                proof_times.append(time.perf_counter() - start)
                time.sleep(0.3)
            browser.close()
    finally:
        server.send_signal(signal.SIGINT)
        server.communicate(timeout=60)
        shutil.rmtree(scratch, ignore_errors=True)

    def row(name: str, values: list[float], target: float) -> None:
        print(f"{name:<38} median {statistics.median(values):6.3f} s   "
              f"min {min(values):6.3f}   max {max(values):6.3f}   target <= {target} s")

    print(f"Live preview — {len(page_times)} edits of the English seed article")
    row("save → new text in the page", page_times, 0.3)
    row("save → printed proof updated", proof_times, 1.0)
    return 0


if __name__ == "__main__":
    sys.exit(main())
