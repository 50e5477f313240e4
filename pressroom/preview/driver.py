"""The preview's builder: a warm session building into a temporary folder, the page the
author waits for first.

One process keeps a build session open (articles, catalogs, templates stay loaded) and
builds into a temporary folder, never into `out/`. A watcher thread (watchfiles) hands
each burst of saves to the builder thread, which runs the same build as `publish.py
build`, in steps, most wanted first:

1. the saved article's leaflet is started in a worker process (worker.py), and
2. its page is built here meanwhile, and shown (the browser reloads);
3. the other pages, a few articles at a time;
4. the leaflet and ebook of the saved article, then its printed proof (proof.py);
5. the other articles' leaflets and proofs;
6. once the saves pause, the pages again (their downloads boxes list the new files) and
   the site around them (indexes, search), quietly.

On start, "the saved article" is the page a browser asked for (or the first chosen).
A save restarts the steps from the top: what was left of the older save is dropped, and
a leaflet still being laid out for it is not waited for (worker.py). Steps run one at a
time, so an older proof is never drawn over a newer one. Each step's files and every
problem (`path:line: …`, once per save) are told to the terminal (`say`, `complain`).
"""

from __future__ import annotations

import shutil
import tempfile
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

from pressroom.build.executors import InlineExecutor, JobExecutor
from pressroom.build.incremental import Manifest
from pressroom.build.plan import make_jobs
from pressroom.build.report import Report
from pressroom.build.request import BuildRequest
from pressroom.build.run import run
from pressroom.content.resolve import Publication
from pressroom.core.errors import Problem, Problems
from pressroom.core.project import Project
from pressroom.core.settings import Settings
from pressroom.editions.config import Edition, load_editions
from pressroom.preview.proof import SUFFIX as PROOF_SUFFIX
from pressroom.preview.proof import proof_pages
from pressroom.preview.worker import SUPERSEDED, LeafletWorker
from pressroom.render.protocol import renderer
from pressroom.render.web.renderer import site_files
from pressroom.session.caches import Session
from pressroom.session.selection import is_selected
from pressroom.translation.drafts import po_sources

#: Wait this long after the last change of a burst of saves before building: watchfiles'
#: own default, ample for an editor's write-then-rename or a formatter's rewrite (the
#: changes of one save come within a few milliseconds), and a third of what an author
#: waits for the page.
QUIET_MS = 50
HEARTBEAT_SECONDS = 15.0
#: Articles per build while the other pages and leaflets are made: a save waits for at
#: most one such build of pages (leaflets are not waited for).
BATCH = 4
#: The site around the pages (indexes, search) waits for a pause this long in the saves:
#: it cannot be cut short, and nobody looks at it while typing.
PAUSE_SECONDS = 1.5
#: The files told to the terminal as they are rebuilt (not covers, not the site's).
TOLD = (".html", ".pdf", ".epub")


@dataclass
class PreviewState:
    """What the last build left, shared by the builder thread and the server threads."""

    lock: threading.Condition = field(default_factory=threading.Condition)
    #: Builds shown (0: the first is running); the open page reloads when it grows.
    build: int = 0
    #: Increases when a proof is ready, so the page can swap its images.
    proof_build: int = 0
    #: Increases when the panel alone changed (the reading grades), so the page redraws it.
    panel: int = 0
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    #: Page path (`en/a.html`) → its proof images (name, width, height), in page order.
    proofs: dict[str, list[tuple[str, int, int]]] = field(default_factory=dict)
    #: Page path → its leaflet's path in the preview folder.
    leaflets: dict[str, str] = field(default_factory=dict)
    #: Page path → its reading grade and target (`grade 11.6, target 8`), for the panel.
    grades: dict[str, str] = field(default_factory=dict)
    #: The step the builder is on (`pages en/a`, `leaflets en/a`; empty: idle).
    working: str = ""
    #: Leaflet builds cut short by a newer save.
    superseded: int = 0
    closing: bool = False

    def publish(self, **changes: Any) -> None:
        with self.lock:
            for name, value in changes.items():
                setattr(self, name, value)
            self.lock.notify_all()


def _quiet(line: str) -> None:
    """Say nothing (a preview made without a terminal)."""


class Preview:
    """A session building into a temporary folder, and what the server needs of it."""

    def __init__(self, project: Project, locales: tuple[str, ...] = (),
                 slugs: tuple[str, ...] = (), edition: str = "default",
                 settings: Settings | None = None, draft: bool = False,
                 say: Callable[[str], None] = _quiet,
                 complain: Callable[[str], None] = _quiet) -> None:
        self.folder = Path(tempfile.mkdtemp(prefix="pressroom-preview-"))
        self.out = self.folder / "site"
        self.proof_dir = self.folder / "proof"
        self.project = Project(project.root, project.source_dir, self.out)
        self.session = Session(self.project, settings or Settings.from_environ())
        self.locales, self.slugs, self.edition = locales, slugs, edition
        #: Unfinished and outdated translations shown as drafts (translation/drafts.py).
        self.draft = draft
        self.state = PreviewState()
        #: Made now, before the server's threads: the worker is forked from this process.
        self.worker = LeafletWorker()
        self.say, self.complain = say, complain
        self._changes = threading.Condition()
        #: Saved files not built yet; None: nothing to build. Starts with everything.
        self._pending: set[Path] | None = set()
        self._everything = True
        #: When the last save was seen (time.monotonic()).
        self._saved = 0.0
        self._stopping = False
        #: The article a browser asked for last (`en/a`): built first.
        self._wanted = ""
        #: The problems of the current save, each told to the terminal once.
        self._found: dict[str, Problem] = {}
        #: What the pages built so far link to, by path (`linked_file`); replaced whole,
        #: never changed in place: the server's threads read it.
        self._linked: dict[str, bytes] = {}

    # --- what the server asks ----------------------------------------------------------

    def pages(self) -> list[str]:
        """The article pages this preview shows (`en/a.html`), from the sources found."""
        found = []
        for source in self.session.sources(Problems()):
            if not is_selected(source, self.locales, self.slugs):
                continue
            for output in renderer("html").outputs(source.locale, source.slug, Edition()):
                if output.kind == "page":
                    found.append(output.path)
        return found

    def linked_file(self, path: str) -> bytes | None:
        """A file the shown pages link to (stylesheet, scripts, icon, an article's
        image) that the site step has not written yet: it waits for a pause in the
        saves, and a page shown before it must not be unstyled or lack its pictures.
        None when `path` is none of them (the pages step keeps them, `_link`)."""
        return self._linked.get(path)

    def want(self, page: str) -> None:
        """A browser asked for this page (`en/a.html`): it is built first from now on."""
        self._wanted = page.removesuffix(".html")

    def watched(self) -> list[Path]:
        """The articles and their images, the layouts and catalogs, the styles (the
        project's and the defaults), and the editions file."""
        project = self.project
        paths = [project.source_dir, *project.folders("layouts"), *project.folders("styles")]
        editions = project.root / "editions.yaml"
        return [p for p in paths if p.exists()] + ([editions] if editions.is_file() else [])

    def changed(self, paths: Iterable[Path]) -> None:
        """Files were saved (the watcher's thread): whatever the builder waits on for an
        older save is cut short, and it starts again from the top."""
        with self._changes:
            self._pending = (self._pending or set()) | set(paths)
            self._saved = time.monotonic()
            self.worker.supersede()
            self._changes.notify_all()

    def stop(self) -> None:
        with self._changes:
            self._stopping = True
            self.worker.supersede()
            self._changes.notify_all()

    def close(self) -> None:
        self.worker.shutdown(wait=True, cancel_futures=True)
        shutil.rmtree(self.folder, ignore_errors=True)

    # --- the builder thread --------------------------------------------------------------

    def build_loop(self, stop: threading.Event) -> None:
        """Run the steps of the latest save one at a time; a newer save starts them
        again. Returns when `stop` is set (and `stop()` called)."""
        steps: deque[Callable[[], None]] = deque()
        while True:
            with self._changes:
                if not steps:
                    self._changes.wait_for(
                        lambda: stop.is_set() or self._pending is not None, timeout=1.0)
                if stop.is_set() or self._stopping:
                    return
                if self._pending is not None:
                    changed, everything = self._pending, self._everything
                    self._pending, self._everything = None, False
                    self.worker.resume()
                    steps = deque(self._steps(changed, everything))
                    self._found = {}
            if steps:
                steps.popleft()()
            if not steps:
                self.state.publish(working="")

    def _steps(self, changed: set[Path], everything: bool) -> list[Callable[[], None]]:
        keys = [page.removesuffix(".html") for page in self.pages()]
        touched = None if everything else self._articles(changed)
        first = [key for key in keys if touched and key in touched]
        if not first:
            first = [self._wanted] if self._wanted in keys else keys[:1]
        rest = [key for key in keys if key not in first]
        batches = [rest[i:i + BATCH] for i in range(0, len(rest), BATCH)]
        return [partial(self._start_leaflets, first), partial(self._pages, first, True),
                *(partial(self._pages, batch, False) for batch in batches),
                partial(self._leaflets, first),
                *(partial(self._leaflets, batch) for batch in batches),
                self._site]

    def _articles(self, changed: set[Path]) -> set[str] | None:
        """The articles (`en/a`) the saved files belong to: the article's file or an
        image in its folder. None when anything else changed (a layout, a catalog)."""
        source = self.project.source_dir.resolve()
        found = set()
        for path in changed:
            try:
                parts = path.resolve().relative_to(source).parts
            except ValueError:
                return None
            if len(parts) == 2 and parts[1].endswith(".md"):
                found.add(f"{parts[0]}/{parts[1].removesuffix('.md')}")
            elif len(parts) >= 3:
                found.add(f"{parts[0]}/{parts[1]}")
            else:
                return None
        return found

    # --- the steps -----------------------------------------------------------------------

    def _start_leaflets(self, keys: list[str]) -> None:
        """Start laying out these articles' leaflets in the worker, before their pages
        are built: the leaflet build then finds them under way."""
        config = load_editions(self.project.root, Problems())  # the build reports them
        edition = config.editions.get(self.edition, Edition())
        manifest = Manifest.load(self.out)
        shared = self.session.shared_bundle()
        for pub in self._publications(keys):
            if not edition.covers(pub.language):
                continue
            for job in make_jobs(self.session, pub, edition, ("pdf",), shared, config=config):
                if not all(manifest.is_fresh(o.path, job.inputs) for o in job.outputs):
                    self.worker.start(job)

    def _pages(self, keys: list[str], show: bool) -> None:
        """These articles' pages. `show`: the open page reloads (the saved article's);
        else only a page a browser is waiting for."""
        report = self._build(f"pages {' '.join(keys)}", ("html",), keys, collect=False)
        pubs = self._publications(keys)
        self._link(pubs)  # before the page is shown: its browser asks for them at once
        show = show or self._wanted in keys
        self.state.publish(**self._problems(report),
                           **({"build": self.state.build + 1} if show else {}))
        # The grades after the page is shown: measuring takes as long as building it.
        self.state.publish(grades={**self.state.grades, **self._grades(pubs)},
                           panel=self.state.panel + 1)

    def _link(self, pubs: list[Publication]) -> None:
        """Keep what these pages link to for the server until the site step writes it."""
        found = site_files(self.session.shared_bundle(), pubs)
        self._linked = {**self._linked, **{item.output.path: data for item in found
                                           if (data := item.render(Problems())) is not None}}

    def _leaflets(self, keys: list[str]) -> None:
        """These articles' leaflets and ebooks, then the proofs of the leaflets written."""
        report = self._build(f"leaflets {' '.join(keys)}", ("pdf", "epub"), keys,
                             editions=(self.edition,), executor=self.worker)
        written = {path.relative_to(self.out).as_posix() for path in report.written}
        proofs, leaflets = self._proofs(keys, written)
        changes: dict[str, Any] = {**self._problems(report)}
        if report.not_run == SUPERSEDED:
            changes["superseded"] = self.state.superseded + 1
        if proofs:
            changes.update(proof_build=self.state.build, proofs={**self.state.proofs, **proofs},
                           leaflets={**self.state.leaflets, **leaflets})
        self.state.publish(**changes)

    def _site(self) -> None:
        """Every page again (their downloads boxes now list the new files) and the site
        around them; quietly: the next reload shows it. After a pause in the saves (a
        newer save starts the steps again instead)."""
        self.state.publish(working="site")
        with self._changes:
            if self._changes.wait_for(lambda: self._pending is not None or self._stopping,
                                      timeout=self._saved + PAUSE_SECONDS - time.monotonic()):
                return
        report = self._build("site", ("html",), [], tell=False)
        if report.ok:
            self._linked = {}  # written now, where the server looks first
        self.state.publish(**self._problems(report))

    def _build(self, what: str, formats: tuple[str, ...], keys: list[str],
               editions: tuple[str, ...] = (), executor: JobExecutor | None = None,
               collect: bool = True, tell: bool = True) -> Report:
        self.state.publish(working=what)
        request = BuildRequest(formats=formats, locales=self.locales, slugs=self._chosen(keys),
                               editions=editions, draft=self.draft, collect=collect)
        report = run(self.session, request, executor=executor or InlineExecutor())
        if tell:
            for path in report.written:
                if path.suffix in TOLD:
                    self.say(f"rebuilt {path.relative_to(self.out).as_posix()}")
        return report

    def _chosen(self, keys: list[str]) -> tuple[str, ...]:
        """The articles of a step (`en/a`), or the preview's own choice for none."""
        return tuple(keys) or self.slugs

    def _problems(self, report: Report) -> dict[str, list[str]]:
        """This save's problems so far, as the panel lists them; the new ones are told to
        the terminal."""
        for problem in sorted(report.problems, key=Problem.sort_key):
            line = str(problem)
            if line not in self._found:
                self._found[line] = problem
                self.complain(line)
        found = sorted(self._found.values(), key=Problem.sort_key)
        return {"errors": [str(p) for p in found if p.severity == "error"],
                "warnings": [str(p) for p in found if p.severity == "warning"]}

    def _grades(self, pubs: list[Publication]) -> dict[str, str]:
        """The reading grade beside each page, as the author edits toward the target;
        measured on the articles the session has loaded (nothing is read again)."""
        from pressroom.readability.report import grade, target

        return {f"{pub.article.locale}/{pub.article.slug}.html":
                f"reading grade {value:.1f}, target {target(pub.article):g}"
                for pub in pubs if (value := grade(pub)) is not None}

    def _publications(self, keys: list[str]) -> list[Publication]:
        """These articles as the session has them loaded and resolved (the build that
        reports their problems made them), without checking their translations again."""
        problems = Problems()  # the builds report them
        sources = self.session.sources(problems)
        chosen = self._chosen(keys)
        if self.draft:  # drafts are made by the translation check
            sources += po_sources(self.project, sources)
            loaded, _ = self.session.select(sources, self.locales, chosen, draft=True)
        else:
            loaded = self.session.load(s for s in sources
                                       if is_selected(s, self.locales, chosen))
        return self.session.publications(loaded, problems)

    def _proofs(self, keys: list[str], written: set[str]
                ) -> tuple[dict[str, list[tuple[str, int, int]]], dict[str, str]]:
        """The proof of each of these articles whose leaflet was just written."""
        config = load_editions(self.project.root, Problems())  # the build reported them
        edition = config.editions.get(self.edition, Edition())
        proofs, leaflets = {}, {}
        build = self.state.build
        for key in keys:
            locale, slug = key.split("/", 1)
            outputs = renderer("pdf").outputs(locale, slug, edition)
            if not outputs or outputs[0].path not in written:
                continue
            leaflet = outputs[0]
            target = self.proof_dir / locale / slug
            shutil.rmtree(target, ignore_errors=True)
            target.mkdir(parents=True)
            names = []
            pdf = (self.out / leaflet.path).read_bytes()
            for number, (image, width, height) in enumerate(proof_pages(pdf), 1):
                (target / f"{number}{PROOF_SUFFIX}").write_bytes(image)
                names.append((f"{locale}/{slug}/{number}{PROOF_SUFFIX}?b={build}", width,
                              height))
            proofs[f"{key}.html"], leaflets[f"{key}.html"] = names, leaflet.path
        return proofs, leaflets


def watch(preview: Preview, stop: threading.Event, armed: threading.Event,
          on_error: Callable[[BaseException], None]) -> None:
    """The watcher thread: hand each burst of saves to the builder. `armed` is set once
    it watches (the first build waits for it, so no save is missed)."""
    import watchfiles

    try:
        for changes in watchfiles.watch(*preview.watched(), stop_event=stop, step=QUIET_MS,
                                        debounce=2000, raise_interrupt=False,
                                        rust_timeout=100, yield_on_timeout=True):
            armed.set()
            if stop.is_set():
                break
            if changes:
                preview.changed(Path(path) for _, path in changes)
    except BaseException as exc:  # a bug: say so on the terminal, keep serving the last
        armed.set()
        on_error(exc)


def build(preview: Preview, stop: threading.Event, armed: threading.Event,
          on_error: Callable[[BaseException], None]) -> None:
    """The builder thread: once the watcher watches, the first build, then each save's."""
    armed.wait(timeout=10)
    try:
        preview.build_loop(stop)
    except BaseException as exc:  # a bug: say so on the terminal, keep serving the last
        on_error(exc)
