"""Command line: the only module that prints or decides exit codes.

Exit codes: 0 built, 1 content errors (reported as `path:line: error: message`),
2 usage errors (bad options, unknown locale or article, a request with nothing to
build), 130 interrupted (Ctrl-C).
"""

from __future__ import annotations

import argparse
import contextlib
import sys
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

from . import __version__, selection, translation_commands
from .build import Interrupted, nothing_to_build
from .drafts import drafts_dir, po_sources
from .editions import load_editions
from .errors import Problems, display_path
from .project import Project
from .renderer import FORMATS, renderer
from .session import BuildRequest, Session
from .settings import Settings
from .sources import discover
from .writing import deferred_interrupts, ignored_interrupts
from .yamlfile import suggest

COMMANDS = ("build", "check", "editions", "catalogs", "preview", "translations",
            "readability")
EXIT_OK, EXIT_CONTENT, EXIT_USAGE, EXIT_INTERRUPTED = 0, 1, 2, 130
STRICT = "--strict"
STRICT_HELP = "treat every warning as an error (exit status 1): for CI"

DESCRIPTION = """\
Publish health articles written in Markdown as printable PDF patient leaflets and
EPUB 3 ebooks, in every language they are translated into.

Articles live in SOURCE/<locale>/<slug>.md (YAML front matter, then Markdown);
outputs are written to OUT/<locale>/<slug>.<format>. With no command, `build` is
assumed, so `python publish.py` builds every article of every locale, in parallel,
rebuilding only what changed.
"""

EPILOG = """\
exit status: 0 success, 1 content errors (printed as path:line: error: message),
2 usage errors (or nothing to build), 130 interrupted. See README.md for the article
format.
"""


def make_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="publish.py", description=DESCRIPTION, epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"Pressroom {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    b = commands.add_parser(
        "build", help="build PDFs and EPUBs for the chosen articles (the default command)",
        description="Build every article of every locale, or the ones named, as PDF and"
        " EPUB. Every translation is checked against its source first. Outputs whose inputs"
        " have not changed since the last build are left as they are (see --force).",
        epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    selection.add_arguments(b, "build")
    b.add_argument("--out", type=Path, metavar="DIR", help="output folder (default: out/)")
    b.add_argument(
        "--format", action="extend", nargs="+", default=[], metavar="F",
        help=f"only these formats ({', '.join(FORMATS)}; default: all)",
    )
    b.add_argument(
        "--edition", action="extend", nargs="+", default=[], metavar="NAME",
        help="only these editions from editions.yaml (default: all; see `editions`)",
    )
    b.add_argument(
        "--force", action="store_true",
        help="rebuild every output, even those whose inputs have not changed",
    )
    b.add_argument(
        "--jobs", "-j", type=int, metavar="N",
        help="worker processes for rendering (default: one per CPU core)",
    )
    b.add_argument(
        "--scheduler", metavar="ADDRESS",
        help="render on the Dask cluster whose scheduler is at ADDRESS (tcp://HOST:PORT;"
        " needs pressroom[dask]); outputs are still written here",
    )
    b.add_argument(
        "--draft", action="store_true",
        help="also build outdated and unfinished translations, untranslated segments in the"
        " source language, marked 'Draft — not for distribution', into drafts/ (or --out)",
    )
    b.add_argument(STRICT, action="store_true", help=STRICT_HELP)
    k = commands.add_parser(
        "check", help="validate every article and translation without rendering",
        description="Run every validation of a build without rendering anything: front"
        " matter, Markdown, notes, and each translation against its source article (same"
        " sections, notes and checklist, no untranslated front matter). Prints a summary"
        " line per locale. Fast enough for an editor or a pre-commit hook.",
        epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    selection.add_arguments(k, "check")
    k.add_argument(STRICT, action="store_true", help=STRICT_HELP)
    commands.add_parser(
        "editions", help="list the editions declared in editions.yaml",
        description="List every edition (paper, layout, brand, QR code, locales) declared in"
        " editions.yaml, and what each writes.",
    )
    c = commands.add_parser(
        "catalogs", help="extract UI strings to layouts/locales/messages.pot and update the"
        " .po catalog of every locale",
        description="Re-extract the translatable strings of the layouts and merge them into"
        " each locale's catalog (layouts/locales/<locale>/LC_MESSAGES/messages.po), creating"
        " catalogs for locales that have articles but no catalog yet.",
    )
    c.add_argument("--source", type=Path, metavar="DIR", help="article folder (default: source/)")
    translation_commands.add_parsers(commands, EPILOG)
    r = commands.add_parser(
        "readability", help="report the reading grade of each article in each locale",
        description="Measure what a patient reads (body text and checklist; not headings,"
        " references or the disclaimer) with a formula validated for the language:"
        " words, sentences, words per sentence, the grade against the article's target"
        " (8 unless its front matter sets reading_target), and the five hardest sentences"
        " with their lines.",
    )
    selection.add_arguments(r, "measure")
    v = commands.add_parser(
        "preview", help="a live preview for authors: the page and the printed leaflet,"
        " updated on every save",
        description="Build the chosen articles into a temporary folder (never out/) and"
        " serve them at http://HOST:PORT/, as the site is laid out: each article's page"
        " with the printed proof of its leaflet beside it. Every save of an article, its"
        " images, the layouts, styles, catalogs or editions.yaml rebuilds what changed"
        " and updates the open page; errors are shown on the page. Ctrl-C stops it.",
        epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    selection.add_arguments(v, "preview")
    v.add_argument("--edition", default="default", metavar="NAME",
                   help="the edition whose leaflet the proof shows (default: default)")
    v.add_argument("--draft", action="store_true",
                   help="show unfinished and outdated translations as drafts, untranslated"
                   " segments in the source language")
    v.add_argument("--port", type=int, default=8000, metavar="N",
                   help="port to listen on (default: 8000)")
    v.add_argument("--host", default="127.0.0.1", metavar="H",
                   help="address to listen on (default: 127.0.0.1, this machine only)")
    return parser


def with_default_command(argv: list[str]) -> list[str]:
    if argv and (argv[0] in COMMANDS or argv[0] in ("-h", "--help", "--version")):
        return argv
    return ["build", *argv]


def main(argv: Sequence[str] | None = None, project_root: Path | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    try:
        return _main(argv, project_root)
    except KeyboardInterrupt as interrupt:
        with ignored_interrupts():  # a second Ctrl-C: no traceback either
            print(_interrupted(interrupt), file=sys.stderr, flush=True)
        return EXIT_INTERRUPTED


def _main(argv: list[str], project_root: Path | None) -> int:
    parser = make_parser()
    full = with_default_command(argv)
    #: The first word, when it was taken for an article: it may be a mistyped command.
    first = argv[0] if full is not argv and argv and not argv[0].startswith("-") else None
    args = parser.parse_args(full)
    root = project_root or Path.cwd()
    out = getattr(args, "out", None) or (
        drafts_dir(root) if getattr(args, "draft", False) and args.command == "build" else None)
    project = Project.at(root, getattr(args, "source", None), out)
    if args.command == "catalogs":
        return _catalogs(project)
    if args.command == "editions":
        return _editions(project)
    if args.command == "translations":
        return _translations(parser, project, args)
    if args.command in ("check", "readability", "preview"):
        chosen, usage = selection.read(project, args)
        if usage:
            return _usage(parser, usage)
        if args.command == "check":
            return _check(project, chosen, args.strict)
        if args.command == "readability":
            return _readability(project, chosen)
        return _preview(parser, project, args, chosen)
    return _build(parser, project, args, first)


def _usage(parser: argparse.ArgumentParser, messages: list[str], usage: bool = True) -> int:
    if usage:
        parser.print_usage(sys.stderr)
    for message in messages:
        print(f"publish.py: error: {message}", file=sys.stderr)
    return EXIT_USAGE


def _interrupted(interrupt: KeyboardInterrupt) -> str:
    """What an interrupted build left: only whole files, recorded in the manifest."""
    report = interrupt.report if isinstance(interrupt, Interrupted) else None
    out = f"{display_path(report.out_dir)}/" if report and report.out_dir else "out/"
    if report is None or not (report.written or report.removed):
        return f"interrupted; {out} unchanged"
    done = [f"{len(report.written)} file(s) written"] if report.written else []
    done += [f"{len(report.removed)} removed"] if report.removed else []
    return f"interrupted; {', '.join(done)} before the interrupt, the rest of {out} unchanged"


def _build(parser: argparse.ArgumentParser, project: Project, args: argparse.Namespace,
           first: str | None) -> int:
    config = load_editions(project.root, Problems())
    chosen, usage = selection.read(project, args, {
        "format": lambda word: word in FORMATS,
        "edition": lambda word: word in config.editions,
    })
    if first is not None and (command := suggest(first, COMMANDS)) and not \
            selection.names_article(project, first):
        # `publish.py biuld`: a command misspelt, not an article missing.
        return _usage(make_parser(), [f"unknown command '{first}'{command}"])
    usage += [f"unknown format '{name}' (choose from {', '.join(FORMATS)})"
              for name in args.format if name not in FORMATS]
    usage += [f"no edition '{name}' in editions.yaml (see `publish.py editions`)"
              for name in args.edition if name not in config.editions]
    if usage:
        return _usage(parser, usage)
    request = BuildRequest(
        formats=tuple(dict.fromkeys(args.format)) or FORMATS, locales=chosen.locales,
        slugs=chosen.articles, editions=tuple(dict.fromkeys(args.edition)),
        force=args.force, jobs=args.jobs, draft=args.draft, strict=args.strict)
    sources = discover(project.source_dir, Problems())
    if args.draft:  # a translation begun in a PO file has a draft
        sources += po_sources(project, sources)
    if project.source_dir.is_dir() and (
            why := nothing_to_build(project.source_dir, sources, config, request)):
        return _usage(parser, [f"nothing to build: {why}"], usage=False)
    session = Session(project, Settings.from_environ())
    with contextlib.ExitStack() as stack:
        executor = None
        if args.scheduler:
            from .cluster import ClusterError, cluster_executor

            try:
                executor = stack.enter_context(
                    cluster_executor(args.scheduler, session.shared_bundle()))
            except ClusterError as exc:
                for line in exc.lines:
                    print(f"publish.py: error: {line}", file=sys.stderr)
                return EXIT_USAGE
        with progress_display() as progress:
            report = session.build(request, executor, progress)
    _report(report.problems)
    if report.unchanged:
        print(f"{len(report.unchanged)} file(s) up to date")
    if report.not_built:
        print(f"publish.py: error: {report.not_run}: {len(report.not_built)} output(s) not"
              " built; run the build again to build them", file=sys.stderr)
    errors, warnings = len(report.problems.errors), len(report.problems.warnings)
    if errors or report.not_built:
        print(
            f"failed: {errors} error(s), {warnings} warning(s); {len(report.written)} file(s)"
            " written", file=sys.stderr,
        )
        return EXIT_CONTENT
    return EXIT_OK


def _editions(project: Project) -> int:
    problems = Problems()
    config = load_editions(project.root, problems)
    problems.extend(config.warnings_for(config.editions.values()))
    _report(problems)
    for edition in config.editions.values():
        traits = [edition.paper]
        traits += [t for t, on in (("large print", edition.large_print),
                                   ("booklet", edition.booklet),
                                   ("crop marks", edition.crop_marks)) if on]
        if edition.bleed_mm:
            traits.append(f"{edition.bleed_mm:g} mm bleed")
        if edition.brand:
            traits.append(f"brand: {edition.brand.name}")
        if edition.qr:
            traits.append(f"QR: {edition.qr}")
        if edition.locales:
            traits.append(f"locales: {' '.join(edition.locales)}")
        outputs = [output.path.removeprefix("<locale>/") for fmt in FORMATS
                   for output in renderer(fmt).outputs("<locale>", "<slug>", edition)]
        print(f"{edition.name}: {', '.join(traits)} → {', '.join(outputs)}")
    return EXIT_CONTENT if problems.errors else EXIT_OK


def _check(project: Project, chosen: selection.Selection, strict: bool = False) -> int:
    session = Session(project, Settings.from_environ())
    problems, summaries = session.check(chosen.locales, chosen.articles, strict)
    _report(problems)
    for summary in summaries:
        print(summary.line())
    errors, warnings = len(problems.errors), len(problems.warnings)
    print(f"checked: {errors} error(s), {warnings} warning(s)")
    return EXIT_CONTENT if errors else EXIT_OK


def _catalogs(project: Project) -> int:
    problems = Problems()
    locales = {s.locale for s in discover(project.source_dir, problems)}
    _report(problems)
    from . import catalogs  # Babel's extraction: only for this command

    written, unchanged = catalogs.update(project, locales)
    for path in written:
        print(f"wrote {display_path(path)}")
    if unchanged:
        print(f"{len(unchanged)} catalog(s) up to date")
    return EXIT_CONTENT if problems.errors else EXIT_OK


def _translations(parser: argparse.ArgumentParser, project: Project,
                  args: argparse.Namespace) -> int:
    result = translation_commands.run(project, args)
    if result.usage:
        return _usage(parser, result.usage)
    _report(result.problems)
    for line in result.lines:
        print(line)
    return EXIT_CONTENT if result.problems.errors else EXIT_OK


def _readability(project: Project, chosen: selection.Selection) -> int:
    from .reading import readability_report

    lines, problems = readability_report(Session(project, Settings.from_environ()),
                                         chosen.locales, chosen.articles)
    _report(problems)
    for line in lines:
        print(line)
    return EXIT_CONTENT if problems.errors else EXIT_OK


def _preview(parser: argparse.ArgumentParser, project: Project, args: argparse.Namespace,
             chosen: selection.Selection) -> int:
    import traceback

    from .preview import Preview, running

    if args.edition not in load_editions(project.root, Problems()).editions:
        return _usage(parser, [f"no edition '{args.edition}' in editions.yaml (see"
                               " `publish.py editions`)"])
    preview = Preview(project, chosen.locales, chosen.articles, args.edition,
                      Settings.from_environ(), draft=args.draft)
    try:
        with running(preview, args.host, args.port,
                     on_error=lambda exc: traceback.print_exception(exc)) as server:
            host, port = server.server_address[:2]
            print(f"previewing at http://{host}:{port}/ (Ctrl-C to stop)", flush=True)
            server.serve_forever(poll_interval=0.2)
    except OSError as exc:
        print(f"publish.py: error: cannot listen on {args.host}:{args.port}:"
              f" {exc.strerror or exc} (choose another port with --port)", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        pass
    finally:
        preview.close()
    print("stopped", flush=True)
    return EXIT_OK


class _Lines:
    """Plain `wrote …` lines: logs, CI, pipes."""

    def start(self, total: int) -> None:
        pass

    def wrote(self, path: Path) -> None:
        print(f"wrote {display_path(path)}", flush=True)

    def removed(self, path: Path) -> None:
        print(f"removed {display_path(path)}", flush=True)


class _Bar(_Lines):
    """A progress bar, shown once the total is known (so it shows it from the start),
    with the same lines above it."""

    def __init__(self, make: Callable[[int], Any]) -> None:
        self._make = make
        self.bar: Any = None

    def start(self, total: int) -> None:
        with deferred_interrupts():  # so that close() always has the bar to clear
            self.bar = self._make(total)

    def wrote(self, path: Path) -> None:
        self.bar.write(f"wrote {display_path(path)}")
        self.bar.update()

    def removed(self, path: Path) -> None:
        self.bar.write(f"removed {display_path(path)}")

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


@contextlib.contextmanager
def progress_display() -> Iterator[_Lines]:
    """A progress bar on a terminal; plain lines otherwise."""
    if not sys.stderr.isatty():
        yield _Lines()
        return
    from tqdm import tqdm

    bar = _Bar(lambda total: tqdm(total=total, unit="file", desc="building", leave=False,
                                  dynamic_ncols=True))
    try:
        yield bar
    finally:
        bar.close()


def _report(problems: Problems | list) -> None:
    for problem in problems:
        print(problem, file=sys.stderr)
