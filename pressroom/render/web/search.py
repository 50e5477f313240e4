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
import shutil
import tempfile
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from importlib import metadata
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
    begun = library.begun.get(FOLDER, {})
    return [_index(library.out_dir, locale, found, begun.get(locale))
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

    def holds(self, pages: list[tuple[str, str]]) -> bool:
        return set(self.given) == {path for path, _ in pages} and all(
            digest != self.rewritten[path] if path in self.rewritten
            else hashlib.sha256(self.given[path]).hexdigest() == digest
            for path, digest in pages)


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
    begun: dict[str, HeadStart] = {}
    for locale in sorted({job.publication.language for job in jobs}):
        given: dict[str, bytes] = {}
        before = dict(written.get(locale, ()))
        try:
            for path in before:
                given[path] = (library.out_dir / path).read_bytes()
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
            begun[locale] = HeadStart(given, rewritten, pool.submit(_index_given, locale, given))
            pool.shutdown(wait=False)
    library.begun[FOLDER] = begun


def _index_given(locale: str, given: dict[str, bytes]) -> dict[str, bytes]:
    with tempfile.TemporaryDirectory(prefix="pressroom-pagefind-") as scratch:
        site = Path(scratch) / "site"
        site.mkdir()
        for path, data in given.items():
            (site / Path(path).name).write_bytes(data)
        return _run_pagefind(locale, site, Path(scratch) / "index")


def _version() -> str:
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
        if begun is not None and begun.holds(pages):
            return _indexed(begun.files.result, where, problems)
        with tempfile.TemporaryDirectory(prefix="pressroom-pagefind-") as scratch:
            site = Path(scratch) / "site"
            try:
                _stage(out_dir, [p for p, _ in pages], site)
            except OSError as exc:
                problems.error(where, None, f"cannot build the search index: cannot read"
                               f" {exc.filename}: {exc.strerror}")
                return None
            return _indexed(lambda: _run_pagefind(locale, site, Path(scratch) / "index"),
                            where, problems)

    output = Output(path, "html", "search-index", "application/octet-stream", locale)
    return Collected(output, inputs, render, background=True)


def _stage(out_dir: Path, pages: list[str], site: Path) -> None:
    """The pages as written, copied by name (`es/x.html` as `x.html`: results link from
    the locale's search page, beside the pages)."""
    site.mkdir()
    for page in pages:
        shutil.copyfile(out_dir / page, site / Path(page).name)


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


def _run_pagefind(locale: str, site: Path, bundle: Path) -> dict[str, bytes]:
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
    done = processes.run(command, _timeout(), name="pagefind")
    if done.returncode != 0:
        raise RuntimeError(done.last_line())
    return {p.relative_to(bundle).as_posix(): p.read_bytes()
            for p in sorted(bundle.rglob("*")) if p.is_file()}


def _ordered(files: dict[str, bytes]) -> dict[str, bytes]:
    """Chunks first, the entry file last; Pagefind's unused interfaces left out."""
    kept = {n: d for n, d in files.items() if not n.startswith(_UNUSED)}
    return dict(sorted(kept.items(), key=lambda item: (item[0] == _ENTRY, item[0])))
