"""Command line: the only module that prints or decides exit codes.

Exit codes: 0 built, 1 content errors (reported as `path:line: error: message`),
2 usage errors (bad options, unknown locale or article).
"""

from __future__ import annotations

import argparse
import contextlib
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from . import __version__, catalogs
from .editions import load_editions
from .errors import Problems, display_path
from .locales import check_locale
from .project import Project
from .renderer import FORMATS, renderer
from .session import BuildRequest, Session
from .settings import Settings
from .sources import discover

COMMANDS = ("build", "check", "editions", "catalogs")
EXIT_OK, EXIT_CONTENT, EXIT_USAGE = 0, 1, 2

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
2 usage errors. See README.md for the article format.
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
    b.add_argument(
        "slugs", nargs="*", metavar="SLUG",
        help="articles to build (default: all); name them before --locale/--format",
    )
    b.add_argument("--source", type=Path, metavar="DIR", help="article folder (default: source/)")
    b.add_argument("--out", type=Path, metavar="DIR", help="output folder (default: out/)")
    b.add_argument(
        "--locale", action="extend", nargs="+", default=[], metavar="L",
        help="only these locales, as BCP 47 tags (e.g. en es pt-BR)",
    )
    b.add_argument(
        "--format", action="extend", nargs="+", default=[], metavar="F", choices=FORMATS,
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
    k = commands.add_parser(
        "check", help="validate every article and translation without rendering",
        description="Run every validation of a build without rendering anything: front"
        " matter, Markdown, notes, and each translation against its source article (same"
        " sections, notes and checklist, no untranslated front matter). Prints a summary"
        " line per locale. Fast enough for an editor or a pre-commit hook.",
        epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    k.add_argument("--source", type=Path, metavar="DIR", help="article folder (default: source/)")
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
    return parser


def with_default_command(argv: list[str]) -> list[str]:
    if argv and (argv[0] in COMMANDS or argv[0] in ("-h", "--help", "--version")):
        return argv
    return ["build", *argv]


def main(argv: Sequence[str] | None = None, project_root: Path | None = None) -> int:
    parser = make_parser()
    args = parser.parse_args(with_default_command(list(sys.argv[1:] if argv is None else argv)))
    project = Project.at(
        project_root or Path.cwd(), getattr(args, "source", None), getattr(args, "out", None)
    )
    if args.command == "catalogs":
        return _catalogs(project)
    if args.command == "check":
        return _check(project)
    if args.command == "editions":
        return _editions(project)
    return _build(parser, project, args)


def _build(parser: argparse.ArgumentParser, project: Project, args: argparse.Namespace) -> int:
    usage = _usage_errors(project, args.locale, args.slugs)
    if args.edition:
        known = load_editions(project.root, Problems()).editions
        usage += [f"no edition '{name}' in editions.yaml (see `publish.py editions`)"
                  for name in args.edition if name not in known]
    if usage:
        parser.print_usage(sys.stderr)
        for message in usage:
            print(f"publish.py: error: {message}", file=sys.stderr)
        return EXIT_USAGE
    request = BuildRequest(
        formats=tuple(dict.fromkeys(args.format)) or FORMATS, locales=tuple(args.locale),
        slugs=tuple(args.slugs), editions=tuple(args.edition), force=args.force,
        jobs=args.jobs)
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


def _check(project: Project) -> int:
    problems, summaries = Session(project, Settings.from_environ()).check()
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
    for path in catalogs.update(project, locales):
        print(f"wrote {display_path(path)}")
    return EXIT_CONTENT if problems.errors else EXIT_OK


class _Lines:
    """Plain `wrote …` lines: logs, CI, pipes."""

    def start(self, total: int) -> None:
        pass

    def wrote(self, path: Path) -> None:
        print(f"wrote {display_path(path)}", flush=True)

    def removed(self, path: Path) -> None:
        print(f"removed {display_path(path)}", flush=True)


class _Bar(_Lines):
    """A progress bar with the total from the start, the same lines above it."""

    def __init__(self, bar: Any) -> None:
        self.bar = bar

    def start(self, total: int) -> None:
        self.bar.reset(total=total)

    def wrote(self, path: Path) -> None:
        self.bar.write(f"wrote {display_path(path)}")
        self.bar.update()

    def removed(self, path: Path) -> None:
        self.bar.write(f"removed {display_path(path)}")


@contextlib.contextmanager
def progress_display() -> Iterator[_Lines]:
    """A progress bar on a terminal; plain lines otherwise."""
    if not sys.stderr.isatty():
        yield _Lines()
        return
    from tqdm import tqdm

    with tqdm(unit="file", desc="building", leave=False, dynamic_ncols=True) as bar:
        yield _Bar(bar)


def _usage_errors(project: Project, locales: list[str], slugs: list[str]) -> list[str]:
    """Locales and slugs the user asked for that do not exist: a typo, not a content error."""
    messages = [reason for tag in locales if (reason := check_locale(tag))]
    if messages or not (locales or slugs):
        return messages
    sources = discover(project.source_dir, Problems())
    known_locales = {s.locale for s in sources}
    known_slugs = {s.slug for s in sources}
    for tag in locales:
        if tag not in known_locales:
            messages.append(f"no articles for locale '{tag}' in {display_path(project.source_dir)}")
    for slug in slugs:
        if slug not in known_slugs:
            messages.append(f"no article '{slug}' in {display_path(project.source_dir)}")
    return messages


def _report(problems: Problems | list) -> None:
    for problem in problems:
        print(problem, file=sys.stderr)
