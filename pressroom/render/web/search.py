"""Site search without a server: a Pagefind index of the written pages, one per locale.

Pagefind (the `pagefind[bin]` package: a Rust program driven from Python) reads each
article page as written in out/, with its language's stemming, and writes a folder of
small chunks the browser fetches as the reader types: `pagefind/<locale>/`. Each locale
gets its own index (its own folder), so Spanish readers search Spanish leaflets with
Spanish stemming, and a change to one locale's pages rebuilds only that locale's index.

An index is a folder output of the web renderer's collection step (renderer.Collected):
its inputs are the digests of the pages it indexes, so it is rebuilt only when one of
them was written differently — never on a build that changed nothing. What a page
contributes is chosen in its layout (`data-pagefind-body` on the article,
`data-pagefind-meta="summary"`, `data-pagefind-ignore` on navigation and downloads).

An author's edit waits on its leaflet, then its page (which gives the leaflet's size),
then the index. So when a build rewrites a few pages, their locale's index is begun as
soon as the leaflets are submitted (`head_start`, `HeadStart`), from each rewritten page's
search view (the page without the parts that wait for other outputs, all marked
`data-pagefind-ignore`), and used only if the pages then written are those it was begun
from.

The site shows results with its own small script (styles/search.js) on Pagefind's
browser API (`pagefind.js`, from the same folder): Pagefind's ready-made interfaces are
not written out.
"""

from __future__ import annotations

import hashlib
import re
import subprocess
import tempfile
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

from pressroom.core import processes
from pressroom.core.digests import code_digest, digest_parts
from pressroom.core.errors import Problems
from pressroom.render.protocol import Collected, Library, LibraryEntry, Output, RenderJob

FOLDER = "pagefind"
#: What Pagefind writes that the site does not use: its ready-made interfaces.
_UNUSED = ("pagefind-ui.", "pagefind-modular-ui.", "pagefind-component-ui.",
           "pagefind-highlight.")
#: Written last: the file that names the others (a reader mid-build sees the old index).
_ENTRY = "pagefind-entry.json"


def folder(locale: str) -> str:
    """`pagefind/es/`: the index of one locale's pages (its search page loads it)."""
    return f"{FOLDER}/{locale}/"


def collect(library: Library, pages: Sequence[LibraryEntry]) -> list[Collected]:
    """One index per locale, of that locale's article pages as last written."""
    return [_index(library.out_dir, locale, found, library.begun.get(folder(locale)))
            for locale, found in sorted(_pages(pages).items())]


def _pages(entries: Sequence[LibraryEntry]) -> dict[str, list[tuple[str, str]]]:
    """Each locale's article pages as (path, digest of the file as written), sorted."""
    by_locale: dict[str, list[tuple[str, str]]] = {}
    for entry in entries:
        for written in entry.written:
            if written.output.kind == "page":
                by_locale.setdefault(entry.publication.language, []).append(
                    (written.output.path, written.digest))
    return {locale: sorted(found) for locale, found in by_locale.items()}


@dataclass(frozen=True)
class HeadStart:
    """A locale's index begun before the build wrote its pages: Pagefind runs while the
    leaflets are laid out, and the collection step takes its files only if they are the
    index of the pages as then written.

    A page the build rewrites is given to Pagefind as `search_view` makes it from the
    job (its text, without the parts that wait for other outputs, all ignored by the
    index); every other page as it was written. They hold when the same pages are there
    and each is as given: unchanged since (same digest), or rewritten by this build
    (digest changed: from that same job). Otherwise the index is made again from the
    pages as written.
    """

    given: dict[str, bytes]
    #: The pages given as their search view, with their digest before this build.
    rewritten: dict[str, str]
    files: Future[dict[str, bytes]]
    #: Pagefind, while it runs.
    running: list[subprocess.Popen[bytes]] = field(default_factory=list)

    def cancel(self) -> None:
        """Stop Pagefind if it still runs (a build that ends before its collection step,
        or is interrupted: it is not waited for)."""
        for process in list(self.running):
            processes.stop(process)

    def holds(self, pages: list[tuple[str, str]], out_dir: Path) -> bool:
        return set(self.given) == {path for path, _ in pages} and all(
            self._rewritten_alike(path, digest, out_dir) if path in self.rewritten
            else hashlib.sha256(self.given[path]).hexdigest() == digest
            for path, digest in pages)

    def _rewritten_alike(self, path: str, digest: str, out_dir: Path) -> bool:
        """Rewritten by this build (its digest changed), and what Pagefind reads of it is
        what it read of the view: a layout of the project's own may show a leaflet's size
        outside the ignored parts."""
        if digest == self.rewritten[path]:
            return False  # its job failed: the page is the last build's
        try:
            written = (out_dir / path).read_bytes()
        except OSError:
            return False
        return as_indexed(written) == as_indexed(self.given[path])


#: Elements without an end tag.
_VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link",
                   "meta", "source", "track", "wbr"})
_IGNORE = "data-pagefind-ignore"


class _Reading(HTMLParser):
    """A page as Pagefind may read it, to compare two pages (conservatively: pages that
    differ here may still index alike, never the other way round). Outside the parts
    marked `data-pagefind-ignore`: every tag with its attributes, and the text between
    tags with whitespace collapsed (an ignored part between words keeps them apart).
    Inside them, only the `data-pagefind-*` attributes: Pagefind still reads an ignored
    part's metadata, filters and sort keys."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.read: list[tuple[str, ...]] = []
        self.within: list[tuple[str, ...]] = []
        self._open: list[tuple[str, bool]] = []
        self._text: list[str] = []
        self._apart = False

    def _ignored(self) -> bool:
        return any(ignore for _, ignore in self._open)

    def _flush(self) -> None:
        if self._text:
            self.read.append(("text", re.sub(r"\s+", " ", "".join(self._text))))
        self._text, self._apart = [], False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self._ignored() or any(name == _IGNORE for name, _ in attrs):
            if not self._ignored() and self._text:
                self._apart = True  # words either side of an ignored part stay apart
            self.within += [("attr", tag, name, value or "") for name, value in attrs
                            if name.startswith("data-pagefind-") and name != _IGNORE]
            if tag not in _VOID:
                self._open.append((tag, True))
            return
        self._flush()
        self.read.append(("start", tag, *sorted(f"{n}={v}" for n, v in attrs)))
        if tag not in _VOID:
            self._open.append((tag, False))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in _VOID and self._open and self._open[-1][0] == tag:
            self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        if not any(name == tag for name, _ in self._open):
            return  # an end tag without its start: nothing to close
        ignored = self._ignored()
        while self._open:
            name, _ = self._open.pop()
            if name == tag:
                break
        if not ignored:
            self._flush()
            self.read.append(("end", tag))

    def close(self) -> None:
        super().close()
        self._flush()  # the text after the last tag

    def handle_data(self, data: str) -> None:
        if not self._ignored():
            if self._apart and data and not data[0].isspace():
                self._text.append(" ")
            self._apart = False
            self._text.append(data)


def as_indexed(html: bytes) -> tuple[tuple[tuple[str, ...], ...], tuple[tuple[str, ...], ...]]:
    """What Pagefind may read of the page `html` (see `_Reading`)."""
    reading = _Reading()
    reading.feed(html.decode("utf-8", "replace"))
    reading.close()
    return tuple(reading.read), tuple(reading.within)


#: Pages a build may rewrite and still begin the index early: each is made twice (its
#: search view here, the page in its job), so only a few, as when an author edits.
HEAD_START_PAGES = 8


def head_start(library: Library, jobs: Sequence[RenderJob],
               view: Callable[[RenderJob], bytes | None]) -> None:
    """Begin the index of each locale whose pages `jobs` (this build's page jobs) change,
    in a thread (recorded in `library.begun`)."""
    if not jobs or len(jobs) > HEAD_START_PAGES:
        return
    written = _pages(library.entries_as_written())
    for locale in sorted({job.publication.language for job in jobs}):
        before = dict(written.get(locale, ()))
        try:
            given = _written(library.out_dir, list(before))
        except OSError:
            continue  # a page gone from out/: the collection step makes the index
        rewritten = {}
        for job in (j for j in jobs if j.publication.language == locale):
            page = job.output("page").path
            data = view(job)
            if data is None:
                break
            given[page], rewritten[page] = data, before.get(page, "")
        else:
            # Its own thread, let go at once: it ends when Pagefind does (within its bound).
            pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="pressroom-search")
            running: list[subprocess.Popen[bytes]] = []
            files = pool.submit(_index_given, locale, given, running.append)
            library.begun[folder(locale)] = HeadStart(given, rewritten, files, running)
            pool.shutdown(wait=False)


def _index_given(locale: str, given: dict[str, bytes],
                 started: Callable[[subprocess.Popen[bytes]], None] | None = None
                 ) -> dict[str, bytes]:
    """Pagefind's index of `given` (page path → its HTML), staged by name (`es/x.html`
    as `x.html`: results link from the locale's search page, beside the pages)."""
    with tempfile.TemporaryDirectory(prefix="pressroom-pagefind-") as scratch:
        site = Path(scratch) / "site"
        site.mkdir()
        for path, data in given.items():
            (site / Path(path).name).write_bytes(data)
        return _run_pagefind(locale, site, Path(scratch) / "index", started)


def _version() -> str:
    from importlib import metadata  # 20 ms of imports, before a cold build's workers start

    try:
        return metadata.version("pagefind")
    except metadata.PackageNotFoundError:
        return ""


def _index(out_dir: Path, locale: str, pages: list[tuple[str, str]],
           begun: HeadStart | None = None) -> Collected:
    path = folder(locale)
    inputs = digest_parts(path, _version(), code_digest(), *(f"{p} {d}" for p, d in pages))

    def render(problems: Problems) -> dict[str, bytes] | None:
        where = out_dir / path
        if begun is not None and begun.holds(pages, out_dir):
            return _indexed(begun.files.result, where, problems)
        try:
            written = _written(out_dir, [p for p, _ in pages])
        except OSError as exc:
            problems.error(where, None, f"cannot build the search index: cannot read"
                           f" {exc.filename}: {exc.strerror}")
            return None
        return _indexed(lambda: _index_given(locale, written), where, problems)

    output = Output(path, "html", "search-index", "application/octet-stream", locale)
    return Collected(output, inputs, render, background=True)


def _written(out_dir: Path, pages: Sequence[str]) -> dict[str, bytes]:
    """The pages as written in out/, by path (OSError for one that cannot be read)."""
    return {page: (out_dir / page).read_bytes() for page in pages}


def _indexed(index: Callable[[], dict[str, bytes]], where: Path, problems: Problems
             ) -> dict[str, bytes] | None:
    """The index's files (`index()`: Pagefind's run) in the order to write them, or
    None with the one-line reason."""
    try:
        files = index()
    except FileNotFoundError:
        problems.error(where, None, "cannot build the search index: the pagefind program"
                       " is missing (install the Python package 'pagefind[bin]')")
        return None
    except processes.TimedOut as exc:
        problems.error(where, None, f"cannot build the search index: {exc};"
                       " the last index stays")
        return None
    except (OSError, RuntimeError) as exc:  # Pagefind's own failure, as one line
        problems.error(where, None, f"cannot build the search index: pagefind failed:"
                       f" {type(exc).__name__}: {exc}")
        return None
    return _ordered(files)


#: The bound on one locale's indexing: Pagefind indexes hundreds of pages a second, so a
#: run that takes longer than this is stuck, not busy. `PRESSROOM_PAGEFIND_TIMEOUT`
#: (seconds) changes it.
TIMEOUT_SECONDS = 120.0


def _timeout() -> float:
    return processes.seconds_from_environ("PRESSROOM_PAGEFIND_TIMEOUT", TIMEOUT_SECONDS)


def _run_pagefind(locale: str, site: Path, bundle: Path,
                  started: Callable[[subprocess.Popen[bytes]], None] | None = None
                  ) -> dict[str, bytes]:
    """Index the staged pages in `site` with Pagefind's own program, in one run, into
    `bundle`; the files it wrote, by name.

    The program, not Pagefind's Python service: the service costs a fixed ~0.1 s per page
    (its reader polls every tenth of a second) and hangs for ever once one answer passes
    its stream limit (a large library's index does), while the program indexes the same
    pages in a fraction of a second and can be given a bound. The index is written into
    a scratch folder; the build writes what this returns, atomically, so nothing in out/
    is touched if Pagefind fails.
    """
    from pagefind.service import get_executable

    program = get_executable()
    if program is None or not program.is_file():
        raise FileNotFoundError(str(program))
    command = [str(program), "--site", str(site), "--output-path", str(bundle),
               "--force-language", locale.lower(), "--silent"]
    done = processes.run(command, _timeout(), name="pagefind", started=started)
    if done.returncode != 0:
        raise RuntimeError(done.last_line())
    return {p.relative_to(bundle).as_posix(): p.read_bytes()
            for p in sorted(bundle.rglob("*")) if p.is_file()}


def _ordered(files: dict[str, bytes]) -> dict[str, bytes]:
    """Chunks first, the entry file last; Pagefind's unused interfaces left out."""
    kept = {n: d for n, d in files.items() if not n.startswith(_UNUSED)}
    return dict(sorted(kept.items(), key=lambda item: (item[0] == _ENTRY, item[0])))
