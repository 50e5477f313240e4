"""The live preview: save the Markdown, see the page — and the printed leaflet — update.

The builder (driver.py) keeps a session open and builds into a temporary folder after
each burst of saves, the page a browser asked for last first. This small HTTP server
serves that folder as the site is laid out, adding to each page a panel — the build's
problems, exactly as the terminal prints them, and the proof — and a script that reloads
the page (keeping its scroll position) when a new build is written, by Server-Sent
Events. Like mkdocs' live reload, without a browser extension.

The server answers only for files of the preview folder and its own assets: paths are
checked segment by segment, nothing outside is served, and there are no directory
listings.
"""

from __future__ import annotations

import contextlib
import json
import mimetypes
import threading
from collections.abc import Callable, Iterator
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

import jinja2

from pressroom.preview.driver import HEARTBEAT_SECONDS, Preview, build, watch
from pressroom.preview.proof import MEDIA_TYPE as PROOF_TYPE

UI = Path(__file__).resolve().parent / "ui"
PREFIX = "/__preview__/"


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
        if path.endswith(".html"):
            self.preview.want(path)  # this page first, from now on
        if file.is_file():
            data = file.read_bytes()
            if file.suffix == ".html":
                data = self._with_panel(data, path)
            return self._send(data, _media_type(file))
        if path in self.preview.pages() or path == "index.html":
            return self._placeholder(path)
        early = self.preview.linked_file(path)
        if early is not None:
            return self._send(early, _media_type(file))
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
                        "panel": state.panel,
                        "errors": state.errors, "warnings": state.warnings,
                        "working": state.working, "superseded": state.superseded}
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
                build=state.build, proof_build=state.proof_build, panel=state.panel,
                problems=state.errors,
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
        """Server-Sent Events: `page` when a build is written, `proof` when its proof is,
        `panel` when only the panel changed (the reading grades)."""
        state = self.preview.state
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        # What the page already shows (it says in the query): a build that finished
        # while the page was loading is announced at once.
        query = parse_qs(urlsplit(self.path).query)
        names = ("page", "proof", "panel")
        with state.lock:
            seen = (_number(query, "build", state.build),
                    _number(query, "proof", state.proof_build),
                    _number(query, "panel", state.panel))
        try:
            while True:
                with state.lock:
                    state.lock.wait_for(
                        lambda seen=seen: state.closing
                        or (state.build, state.proof_build, state.panel) != seen,
                        timeout=HEARTBEAT_SECONDS)
                    now, closing = (state.build, state.proof_build, state.panel), state.closing
                if closing:
                    return
                if now == seen:
                    self.wfile.write(b": still here\n\n")
                else:
                    for name, number, before in zip(names, now, seen, strict=True):
                        if number != before:
                            self.wfile.write(f"event: {name}\ndata: {{\"build\": {number}}}"
                                             "\n\n".encode())
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
    stop, armed = threading.Event(), threading.Event()
    threads = [threading.Thread(target=target, args=(preview, stop, armed, on_error),
                                name=f"pressroom-preview-{target.__name__}", daemon=True)
               for target in (watch, build)]
    for thread in threads:
        thread.start()
    try:
        yield server
    finally:
        stop.set()
        preview.stop()
        preview.state.publish(closing=True)
        server.server_close()
        for thread in threads:
            thread.join(timeout=30)
