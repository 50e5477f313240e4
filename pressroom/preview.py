"""The live preview: save the Markdown, see the page — and the printed leaflet — update.

One process keeps a build session open (articles, catalogs, templates and WeasyPrint's
fonts stay loaded) and builds into a temporary folder, never into `out/`. A watcher
(watchfiles) rebuilds what changed after each burst of saves: first the web page, at
once, then the leaflet, whose pages are drawn as images (proof.py). A small HTTP server
serves that folder as the site is laid out, adding to each page a panel — the build's
problems, exactly as the terminal prints them, and the proof — and a script that
reloads the page (keeping its scroll position) when a new build is written, by
Server-Sent Events. Like mkdocs' live reload, without a browser extension.

The server answers only for files of the preview folder and its own assets: paths are
checked segment by segment, nothing outside is served, and there are no directory
listings.
"""

from __future__ import annotations

import contextlib
import json
import mimetypes
import shutil
import tempfile
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

import jinja2

from .errors import Problem, Problems
from .executors import InlineExecutor
from .project import Project
from .proof import MEDIA_TYPE as PROOF_TYPE
from .proof import SUFFIX as PROOF_SUFFIX
from .proof import proof_pages
from .renderer import renderer
from .selection import is_selected
from .session import BuildRequest, Session
from .settings import Settings

UI = Path(__file__).resolve().parent / "preview_ui"
PREFIX = "/__preview__/"
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
        #: Unfinished and outdated translations shown as drafts (drafts.py).
        self.draft = draft
        self.state = PreviewState()
        self.executor = InlineExecutor()

    def pages(self) -> list[str]:
        """The article pages this preview shows (`en/a.html`), from the sources found."""
        from .editions import Edition

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
        return self.session.build(request, executor=self.executor)

    def _grades(self) -> dict[str, str]:
        """The reading grade beside each page, as the author edits toward the target;
        measured on the articles the session has loaded (nothing is read again)."""
        from .reading import grade, target

        problems = Problems()
        loaded, _ = self.session.select(self.session.sources(problems), self.locales,
                                        self.slugs, self.draft)
        return {f"{pub.article.locale}/{pub.article.slug}.html":
                f"reading grade {value:.1f}, target {target(pub.article):g}"
                for pub in self.session.publications(loaded, problems)
                if (value := grade(pub)) is not None}

    def _proofs(self) -> tuple[dict[str, list[tuple[str, int, int]]], dict[str, str]]:
        from .editions import Edition, load_editions

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
        """The articles and their images, the layouts and catalogs, the styles, and the
        editions file."""
        project = self.project
        paths = [project.source_dir, project.layouts_dir, project.styles_dir]
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


# --- the server ---------------------------------------------------------------------------


def _environment() -> jinja2.Environment:
    return jinja2.Environment(loader=jinja2.FileSystemLoader(UI), autoescape=True,
                              trim_blocks=True, lstrip_blocks=True,
                              undefined=jinja2.StrictUndefined)


class PreviewHandler(BaseHTTPRequestHandler):
    server_version = "PressroomPreview"
    preview: Preview
    templates: jinja2.Environment

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: the terminal is for the build's own messages."""

    def do_GET(self) -> None:
        path = _safe_path(self.path)
        if path is None:
            return self._not_found()
        if path.startswith(PREFIX.lstrip("/")):
            return self._own(path.removeprefix(PREFIX.lstrip("/")))
        if path == "" or path.endswith("/"):
            path += "index.html"
        file = self.preview.out / path
        if file.is_file():
            data = file.read_bytes()
            if file.suffix == ".html":
                data = self._with_panel(data, path)
            return self._send(data, _media_type(file))
        if path in self.preview.pages() or path == "index.html":
            return self._placeholder(path)
        return self._not_found()

    def _own(self, name: str) -> None:
        state = self.preview.state
        if name == "events":
            return self._events()
        if name == "panel":
            page = parse_qs(urlsplit(self.path).query).get("page", [""])[0].lstrip("/")
            return self._send(self._panel(page).encode(), "text/html; charset=utf-8")
        if name == "status":
            with state.lock:
                body = {"build": state.build, "proof_build": state.proof_build,
                        "errors": state.errors, "warnings": state.warnings}
            return self._send(json.dumps(body).encode(), "application/json")
        if name in ("preview.js", "preview.css"):
            return self._send((UI / name).read_bytes(), _media_type(UI / name))
        if name.startswith("proof/"):
            file = self.preview.proof_dir / name.removeprefix("proof/")
            if file.is_file() and file.resolve().is_relative_to(self.preview.proof_dir):
                return self._send(file.read_bytes(), PROOF_TYPE)
        return self._not_found()

    def _panel(self, page: str) -> str:
        state = self.preview.state
        with state.lock:
            proof = [{"src": f"{PREFIX}proof/{name}", "width": width, "height": height}
                     for name, width, height in state.proofs.get(page, [])]
            leaflet = state.leaflets.get(page, "")
            return self.templates.get_template("panel.html.j2").render(
                build=state.build, proof_build=state.proof_build, problems=state.errors,
                warnings=state.warnings,
                proof=proof, pdf=f"/{leaflet}" if leaflet else "",
                edition=self.preview.edition, waiting=state.build == 0,
                grade=state.grades.get(page, ""))

    def _with_panel(self, data: bytes, page: str) -> bytes:
        text = data.decode("utf-8")
        head = (f'<link rel="stylesheet" href="{PREFIX}preview.css">'
                f'<script src="{PREFIX}preview.js" defer></script>')
        text = text.replace("</head>", head + "</head>", 1)
        text = text.replace("</body>", self._panel(page) + "</body>", 1)
        return text.encode("utf-8")

    def _placeholder(self, page: str) -> None:
        state = self.preview.state
        html = self.templates.get_template("placeholder.html.j2").render(
            waiting=state.build == 0, pages=self.preview.pages())
        self._send(self._with_panel(html.encode(), page), "text/html; charset=utf-8")

    def _events(self) -> None:
        """Server-Sent Events: `page` when a build is written, `proof` when its proof is."""
        state = self.preview.state
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        # What the page already shows (it says in the query): a build that finished
        # while the page was loading is announced at once.
        query = parse_qs(urlsplit(self.path).query)
        with state.lock:
            seen = (_number(query, "build", state.build), _number(query, "proof",
                                                                  state.proof_build))
        try:
            while True:
                with state.lock:
                    state.lock.wait_for(
                        lambda seen=seen: state.closing
                        or (state.build, state.proof_build) != seen,
                        timeout=HEARTBEAT_SECONDS)
                    now, closing = (state.build, state.proof_build), state.closing
                if closing:
                    return
                if now == seen:
                    self.wfile.write(b": still here\n\n")
                else:
                    if now[0] != seen[0]:
                        self.wfile.write(f"event: page\ndata: {{\"build\": {now[0]}}}\n\n"
                                         .encode())
                    if now[1] != seen[1]:
                        self.wfile.write(f"event: proof\ndata: {{\"build\": {now[1]}}}\n\n"
                                         .encode())
                    seen = now
                self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError):
            return

    def _send(self, data: bytes, media_type: str) -> None:
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", media_type)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(data)

    def _not_found(self) -> None:
        body = b"Not found\n"
        self.send_response(HTTPStatus.NOT_FOUND)
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


def _number(query: dict[str, list[str]], name: str, default: int) -> int:
    value = query.get(name, [""])[0]
    return int(value) if value.isdigit() else default


def _safe_path(raw: str) -> str | None:
    """The request's path as a relative posix path, or None for anything that could step
    outside the folder: `..`, encoded or not, backslashes, absolute or empty segments."""
    parts = urlsplit(raw)
    if not parts.path.startswith("/") or parts.netloc:
        return None
    path = unquote(parts.path)
    if "\\" in path or "\0" in path:
        return None
    relative = path[1:]
    if relative.startswith("/"):
        return None
    segments = relative.split("/")
    if any(s in ("..", ".") for s in segments) or any(s == "" for s in segments[:-1]):
        return None
    if PurePosixPath(relative).is_absolute():
        return None
    return relative


def _media_type(path: Path) -> str:
    kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    return f"{kind}; charset=utf-8" if kind.startswith("text/") or kind.endswith(
        ("javascript", "json", "xml")) else kind


@contextlib.contextmanager
def running(preview: Preview, host: str, port: int,
            on_error: Callable[[BaseException], None]) -> Iterator[ThreadingHTTPServer]:
    """The server, bound (OSError if the port is taken), and the builder thread; on
    leaving, the builder is stopped and every event stream closed."""
    handler = type("Handler", (PreviewHandler,), {"preview": preview,
                                                  "templates": _environment()})
    server = ThreadingHTTPServer((host, port), handler)
    server.daemon_threads = True
    stop = threading.Event()
    builder = threading.Thread(target=watch_and_build, args=(preview, stop, on_error),
                               name="pressroom-preview-builder", daemon=True)
    builder.start()
    try:
        yield server
    finally:
        stop.set()
        preview.state.publish(closing=True)
        server.server_close()
        builder.join(timeout=30)
