"""The preview's builder: a warm session building into a temporary folder on every save.

One process keeps a build session open (articles, catalogs, templates and WeasyPrint's
fonts stay loaded) and builds into a temporary folder, never into `out/`. A watcher
(watchfiles) rebuilds what changed after each burst of saves: first the web page, at
once, then the leaflet, whose pages are drawn as images (proof.py). What it built is
published to the state the server's event streams wait on (server.py).
"""

from __future__ import annotations

import shutil
import tempfile
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pressroom.build.executors import InlineExecutor
from pressroom.build.request import BuildRequest
from pressroom.build.run import run
from pressroom.core.errors import Problem, Problems
from pressroom.core.project import Project
from pressroom.core.settings import Settings
from pressroom.preview.proof import SUFFIX as PROOF_SUFFIX
from pressroom.preview.proof import proof_pages
from pressroom.render.protocol import renderer
from pressroom.session.caches import Session
from pressroom.session.selection import is_selected

#: Wait this long after the last change of a burst of saves before building.
QUIET_MS = 80
HEARTBEAT_SECONDS = 15.0


@dataclass
class PreviewState:
    """What the last build left, shared by the builder thread and the server threads."""

    lock: threading.Condition = field(default_factory=threading.Condition)
    #: Builds finished (0: the first is running).
    build: int = 0
    #: Increases when a proof is ready, so the page can swap its images.
    proof_build: int = 0
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    #: Page path (`en/a.html`) → its proof images (name, width, height), in page order.
    proofs: dict[str, list[tuple[str, int, int]]] = field(default_factory=dict)
    #: Page path → its leaflet's path in the preview folder.
    leaflets: dict[str, str] = field(default_factory=dict)
    #: Page path → its reading grade and target (`grade 11.6, target 8`), for the panel.
    grades: dict[str, str] = field(default_factory=dict)
    closing: bool = False

    def publish(self, **changes: Any) -> None:
        with self.lock:
            for name, value in changes.items():
                setattr(self, name, value)
            self.lock.notify_all()


class Preview:
    """A session building into a temporary folder, and what the server needs of it."""

    def __init__(self, project: Project, locales: tuple[str, ...] = (),
                 slugs: tuple[str, ...] = (), edition: str = "default",
                 settings: Settings | None = None, draft: bool = False) -> None:
        self.folder = Path(tempfile.mkdtemp(prefix="pressroom-preview-"))
        self.out = self.folder / "site"
        self.proof_dir = self.folder / "proof"
        self.project = Project(project.root, project.source_dir, self.out)
        self.session = Session(self.project, settings or Settings.from_environ())
        self.locales, self.slugs, self.edition = locales, slugs, edition
        #: Unfinished and outdated translations shown as drafts (translation/drafts.py).
        self.draft = draft
        self.state = PreviewState()
        self.executor = InlineExecutor()

    def pages(self) -> list[str]:
        """The article pages this preview shows (`en/a.html`), from the sources found."""
        from pressroom.editions.config import Edition

        found = []
        for source in self.session.sources(Problems()):
            if not is_selected(source, self.locales, self.slugs):
                continue
            for output in renderer("html").outputs(source.locale, source.slug, Edition()):
                if output.kind == "page":
                    found.append(output.path)
        return found

    def rebuild(self) -> None:
        """The page first (quick), then the leaflet and its proof, then the ebook."""
        page = self._build("html")
        problems = list(page.problems)
        self.state.publish(build=self.state.build + 1, errors=_lines(problems, "error"),
                           warnings=_lines(problems, "warning"),
                           grades=self._grades() if not page.problems.errors else {})
        if page.problems.errors:
            return
        leaflet = self._build("pdf", self.edition)
        problems += list(leaflet.problems)
        proofs, leaflets = self._proofs()
        self.state.publish(proof_build=self.state.build, proofs=proofs, leaflets=leaflets,
                           errors=_lines(problems, "error"),
                           warnings=_lines(problems, "warning"))
        # The ebook to download, and the page again: its downloads box now knows the new
        # files (quietly: the next reload shows it).
        self._build("epub", self.edition)
        self._build("html")

    def _build(self, fmt: str, edition: str | None = None) -> Any:
        request = BuildRequest(formats=(fmt,), locales=self.locales, slugs=self.slugs,
                               editions=(edition,) if edition else (), draft=self.draft)
        return run(self.session, request, executor=self.executor)

    def _grades(self) -> dict[str, str]:
        """The reading grade beside each page, as the author edits toward the target;
        measured on the articles the session has loaded (nothing is read again)."""
        from pressroom.readability.report import grade, target

        problems = Problems()
        loaded, _ = self.session.select(self.session.sources(problems), self.locales,
                                        self.slugs, self.draft)
        return {f"{pub.article.locale}/{pub.article.slug}.html":
                f"reading grade {value:.1f}, target {target(pub.article):g}"
                for pub in self.session.publications(loaded, problems)
                if (value := grade(pub)) is not None}

    def _proofs(self) -> tuple[dict[str, list[tuple[str, int, int]]], dict[str, str]]:
        from pressroom.editions.config import Edition, load_editions

        config = load_editions(self.project.root, Problems())  # the build reported them
        edition = config.editions.get(self.edition, Edition())
        proofs, leaflets = {}, {}
        build = self.state.build
        for page in self.pages():
            locale, name = page.split("/", 1)
            slug = name.removesuffix(".html")
            (leaflet, *_) = renderer("pdf").outputs(locale, slug, edition)
            pdf = self.out / leaflet.path
            if not pdf.is_file():
                continue
            target = self.proof_dir / locale / slug
            shutil.rmtree(target, ignore_errors=True)
            target.mkdir(parents=True)
            names = []
            for number, (image, width, height) in enumerate(proof_pages(pdf.read_bytes()), 1):
                (target / f"{number}{PROOF_SUFFIX}").write_bytes(image)
                names.append((f"{locale}/{slug}/{number}{PROOF_SUFFIX}?b={build}", width,
                              height))
            proofs[page], leaflets[page] = names, leaflet.path
        return proofs, leaflets

    def watched(self) -> list[Path]:
        """The articles and their images, the layouts and catalogs, the styles (the
        project's and the defaults), and the editions file."""
        project = self.project
        paths = [project.source_dir, *project.folders("layouts"), *project.folders("styles")]
        editions = project.root / "editions.yaml"
        return [p for p in paths if p.exists()] + ([editions] if editions.is_file() else [])

    def close(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)


def _lines(problems: list[Problem], severity: str) -> list[str]:
    return [str(p) for p in sorted(problems, key=Problem.sort_key) if p.severity == severity]


def watch_and_build(preview: Preview, stop: threading.Event,
                    on_error: Callable[[BaseException], None]) -> None:
    """The builder thread: build once, then again after every burst of changes.

    The watcher starts before the first build (its first, empty, wake-up triggers it),
    so a save made while a build runs is seen and builds again.
    """
    import watchfiles

    first = True
    try:
        for changes in watchfiles.watch(*preview.watched(), stop_event=stop, step=QUIET_MS,
                                        debounce=2000, raise_interrupt=False,
                                        rust_timeout=200, yield_on_timeout=True):
            if stop.is_set():
                break
            if first or changes:
                first = False
                preview.rebuild()
    except BaseException as exc:  # a bug: say so on the terminal, keep serving the last
        on_error(exc)
