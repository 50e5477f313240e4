"""The render stage's contract: one renderer per output format, behind one small protocol.

A renderer is a module with four functions (Sphinx's builder verbs, without the class
tree):

- `outputs(locale, slug, edition)` declares the files it writes for one article in one
  edition — the one place output names are decided; planning, the manifest, pruning,
  the command line and QR addresses all read it;
- `prepare()` imports what rendering needs, in a worker, before its first job (and
  `HEAVY` says whether rendering is slow enough to be worth a worker process; `AFTER`
  names formats whose outputs its pages list, so its jobs run once those are written);
- `render(job, problems)` turns one self-contained `RenderJob` into bytes per output,
  in whatever process or machine the executor chose;
- `collect(library)` declares the outputs that span articles (an index page, a
  sitemap), rendered in the main process after every article's jobs.

A new format is a module `pressroom/render_<format>.py` with those four functions, named
in `RENDERERS` below. Renderer modules import their heavy libraries (WeasyPrint,
ebooklib) inside `render`, so declaring outputs costs nothing and an EPUB-only build
never loads WeasyPrint.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Protocol

from pressroom.content.resolve import Publication
from pressroom.content.topics import Topics
from pressroom.core.errors import Problem, Problems
from pressroom.core.files import Bundle
from pressroom.core.settings import Settings
from pressroom.editions.config import Edition, Site

#: Output format (as `--format` names it) → the module that renders it.
RENDERERS: dict[str, str] = {
    "pdf": "pressroom.render.pdf.renderer",
    "epub": "pressroom.render.epub.renderer",
    "html": "pressroom.render.web.renderer",
}
def formats() -> tuple[str, ...]:
    """Every registered format, read when needed (tests register their own renderers)."""
    return tuple(RENDERERS)


@dataclass(frozen=True, slots=True)
class Output:
    """One file a build writes, declared before anything is rendered."""

    #: Relative to the output folder, with forward slashes: `en/muscle-spasms.clinic.pdf`.
    path: str
    #: The renderer that writes it (`pdf`).
    format: str
    #: What a reader gets ("leaflet", "print", "ebook", "page", "index"): download lists
    #: and QR codes choose by it.
    kind: str
    media_type: str
    #: Whose output it is; empty for outputs that span articles.
    locale: str = ""
    slug: str = ""
    edition: str = ""

    def url(self, base_url: str) -> str:
        """Its public address on a site whose root is `base_url`."""
        return f"{base_url.rstrip('/')}/{self.path}"

    def file(self, out_dir: Path) -> Path:
        return out_dir.joinpath(*PurePosixPath(self.path).parts)


@dataclass(frozen=True, slots=True)
class Written:
    """An output as last written: what a page offering it for download says about it."""

    output: Output
    edition: Edition
    size: int
    #: Pages (PDF), 0 where pages mean nothing (an ebook reflows).
    pages: int = 0
    #: SHA-256 of the file as written: what a search index of the pages is keyed on.
    digest: str = ""


@dataclass(frozen=True, slots=True)
class PageContext:
    """What a web page needs beyond its article: the site, its other languages, and the
    files it offers (as written: sizes and page counts), for renderers with `AFTER`."""

    site: Site
    #: Locales this article's page exists in (this one included), in order.
    languages: tuple[str, ...] = ()
    downloads: tuple[Written, ...] = ()
    #: The article's topics as (id, name in its language), and a few leaflets of its
    #: language that share one, as (slug, title): the page's ways on.
    topics: tuple[tuple[str, str], ...] = ()
    related: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True, slots=True, eq=False)
class RenderJob:
    """Everything one render reads, and nothing else: picklable, runs anywhere."""

    format: str
    publication: Publication
    edition: Edition
    #: What this job writes, as its renderer declared it.
    outputs: tuple[Output, ...]
    #: The layouts, styles, images and logo it may read (see core/files.py).
    bundle: Bundle
    #: Each image file of the article → its name in the bundle.
    assets: Mapping[Path, str]
    settings: Settings
    #: Public addresses the layouts print, by purpose (the QR code's: "qr").
    links: Mapping[str, str] = field(default_factory=dict)
    #: Digest of all of the above and of Pressroom's code: the manifest's key to freshness.
    inputs: str = ""
    #: For renderers whose outputs list other outputs (`AFTER`): filled in once those
    #: are written.
    page: PageContext | None = None

    def output(self, kind: str) -> Output:
        return next(o for o in self.outputs if o.kind == kind)


@dataclass(slots=True)
class RenderResult:
    #: Output path → contents; None when the job failed (its problems say why).
    files: dict[str, bytes] | None
    problems: list[Problem]
    #: Output path → page count, for the PDFs among the files.
    pages: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class LibraryEntry:
    """One article in one locale and edition, as a collection step sees it."""

    publication: Publication
    edition: Edition
    outputs: tuple[Output, ...]
    #: Those of its outputs that exist, as last written (sizes, pages).
    written: tuple[Written, ...] = ()


class Begun(Protocol):
    """Work begun before the collection step that asks for it (`Renderer.head_start`)."""

    def cancel(self) -> None:
        """Stop it if it still runs: the build ends without it."""
        ...


class Library(Protocol):
    """Every publication of the project with its declared outputs (built now or before).

    Loaded only when a collection step reads `entries`.
    """

    @property
    def entries(self) -> tuple[LibraryEntry, ...]: ...

    @property
    def complete(self) -> bool:
        """False when some article has errors (known once `entries` was read): a listing
        without it would drop it, so collected outputs are left as they were."""
        ...

    @property
    def bundle(self) -> Bundle: ...

    @property
    def settings(self) -> Settings: ...

    @property
    def site(self) -> Site: ...

    @property
    def topics(self) -> Topics:
        """The project's topics (topics.yaml): the web edition's topic pages."""
        ...

    @property
    def out_dir(self) -> Path:
        """Where the outputs are written: a step that reads the written pages (a search
        index) reads them there."""
        ...

    @property
    def begun(self) -> dict[str, Begun]:
        """Work a renderer's `head_start` began for its collection step, by the path of
        the output it is for (a search index begun while the leaflets are laid out)."""
        ...

    def entries_as_written(self) -> tuple[LibraryEntry, ...]:
        """`entries` as the manifest has them now (before this build writes its pages:
        what `head_start` sees), not kept."""
        ...


@dataclass(frozen=True, slots=True, eq=False)
class Collected:
    """An output that spans articles: rendered only when `inputs` changed.

    An output whose path ends in `/` is a folder of files named by the tool that makes
    them (a search index's chunks carry their content's hash): its `render` returns them
    by name relative to the folder, in the order to write them (the file that points at
    the others last); files of its last build that are not among them are removed.
    """

    output: Output
    inputs: str
    render: Callable[[Problems], bytes | Mapping[str, bytes] | None]
    #: Its render mostly waits on another program (Pagefind): the collection step starts
    #: it first, in a thread, while it renders the others.
    background: bool = False


class Renderer(Protocol):
    HEAVY: bool
    #: Formats whose outputs this renderer's pages list: its jobs run after theirs.
    AFTER: tuple[str, ...]

    def outputs(self, locale: str, slug: str, edition: Edition) -> tuple[Output, ...]: ...

    def prepare(self) -> None: ...

    def render(self, job: RenderJob, problems: Problems) -> dict[str, bytes] | Files | None: ...

    def collect(self, library: Library) -> Sequence[Collected]: ...

    def head_start(self, library: Library, jobs: Sequence[RenderJob]) -> None:
        """Begin collection work that need not wait for this build's pages, given the
        jobs (`AFTER` renderers', as planned) that will write them."""
        ...


def renderer(fmt: str) -> Renderer:
    return importlib.import_module(RENDERERS[fmt])  # type: ignore[return-value]


def declared(locale: str, slug: str, edition: Edition,
             fmts: Sequence[str] | None = None) -> tuple[Output, ...]:
    """Every output the renderers of `fmts` (default: all) declare for this article in
    this edition, in format order, whether or not the edition is made for the locale
    (`Edition.covers` tells), and only of the formats the edition makes (`formats:
    [pdf]`). The one place the loop over formats and `outputs()` is written."""
    return tuple(output for fmt in (formats() if fmts is None else fmts)
                 if edition.makes(fmt)
                 for output in renderer(fmt).outputs(locale, slug, edition))


def heavy_formats() -> tuple[str, ...]:
    return tuple(fmt for fmt in formats() if renderer(fmt).HEAVY)


class Files(dict[str, bytes]):
    """What a renderer may return instead of a plain dict: its files, and the page count
    of those it laid out itself (`pages`). Reading the count back from a finished PDF
    means parsing its compressed object streams: a tenth of a second per leaflet."""

    def __init__(self, files: dict[str, bytes], pages: dict[str, int]) -> None:
        super().__init__(files)
        self.pages = pages


def run_job(job: RenderJob) -> RenderResult:
    """What an executor runs: one job in, bytes, page counts and problems out."""
    problems = Problems()
    files = renderer(job.format).render(job, problems)
    if files is None or problems.errors:
        return RenderResult(None, problems.items)
    known = files.pages if isinstance(files, Files) else {}
    pages = {o.path: known.get(o.path) or page_count(files[o.path]) for o in job.outputs
             if o.media_type == "application/pdf" and o.path in files}
    return RenderResult(dict(files), problems.items, pages)


def run_jobs(jobs: Sequence[RenderJob]) -> list[RenderResult]:
    """Several jobs in one call: what a cluster runs for one article and edition."""
    return [run_job(job) for job in jobs]


def page_count(pdf: bytes) -> int:
    from io import BytesIO

    from pypdf import PdfReader

    return len(PdfReader(BytesIO(pdf)).pages)


def prepare(formats: Sequence[str]) -> None:
    """Worker initialiser: import the renderers' libraries while the main process loads."""
    for fmt in formats:
        renderer(fmt).prepare()
