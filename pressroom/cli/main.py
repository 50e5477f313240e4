"""Command line: the commands, the only place that prints or decides exit codes.

Exit codes: 0 built, 1 content errors (reported as `path:line: error: message`),
2 usage errors (bad options, unknown locale or article, a request with nothing to
build), 130 interrupted (Ctrl-C).
"""

from __future__ import annotations

import argparse
import contextlib
import os
import signal
import sys
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import NoReturn

from pressroom.build.declared import nothing_to_build
from pressroom.build.report import Interrupted
from pressroom.build.request import BuildRequest
from pressroom.build.stamp import Stamp
from pressroom.cli.output import progress_display, report_problems
from pressroom.cli.parser import (
    COMMANDS,
    EXIT_CONTENT,
    EXIT_INTERRUPTED,
    EXIT_OK,
    EXIT_USAGE,
    make_parser,
    with_default_command,
)
from pressroom.content.sources import discover
from pressroom.core.errors import Problems, display_path
from pressroom.core.project import Project
from pressroom.core.settings import Settings
from pressroom.core.writing import ignored_interrupts
from pressroom.core.yamlfile import suggest
from pressroom.editions.config import EditionsConfig, load_editions
from pressroom.render.protocol import declared, formats
from pressroom.render.site import check_editions
from pressroom.session import selection
from pressroom.translation.drafts import drafts_dir, po_sources


def main(argv: Sequence[str] | None = None, project_root: Path | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    try:
        return _main(argv, project_root)
    except KeyboardInterrupt as interrupt:
        with ignored_interrupts():  # a second Ctrl-C: no traceback either
            print(_interrupted(interrupt), file=sys.stderr, flush=True)
        return EXIT_INTERRUPTED


def run(argv: Sequence[str] | None = None, project_root: Path | None = None) -> NoReturn:
    """The command as a program (`publish.py`, the `pressroom` script): `main`, then exit
    with its code. Python's exit still joins the threads that watched the workers; a
    Ctrl-C then (a second press a moment after the first) would print a traceback from
    the interpreter's shutdown and lose the code, so from here on it ends the process at
    once with 130, everything already written and said."""
    code = main(argv, project_root)
    sys.stdout.flush()
    sys.stderr.flush()
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGINT, _exit_interrupted)
    sys.exit(code)


def _exit_interrupted(signum: int, frame: object) -> None:
    os._exit(EXIT_INTERRUPTED)


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
    if args.command == "new":
        return _new(project, args)
    if args.command == "catalogs":
        return _catalogs(project)
    if args.command == "editions":
        return _editions(project)
    if args.command == "translations":
        return _translations(parser, project, args)
    if args.command == "check":
        return _check(parser, project, args)
    if args.command in ("readability", "preview"):
        chosen, usage = selection.read(project, args)
        if usage:
            return _usage(parser, usage)
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
        "format": lambda word: word in formats(),
        "edition": lambda word: word in config.editions,
    })
    if first is not None and (command := suggest(first, COMMANDS)) and not \
            selection.names_article(project, first):
        # `publish.py biuld`: a command misspelt, not an article missing.
        return _usage(make_parser(), [f"unknown command '{first}'{command}"])
    usage += [f"unknown format '{name}' (choose from {', '.join(formats())})"
              for name in args.format if name not in formats()]
    usage += _unknown_editions(args.edition, config)
    if usage:
        return _usage(parser, usage)
    request = BuildRequest(
        formats=tuple(dict.fromkeys(args.format)) or formats(), locales=chosen.locales,
        slugs=chosen.articles, editions=tuple(dict.fromkeys(args.edition)),
        force=args.force, jobs=args.jobs, draft=args.draft, strict=args.strict)
    settings = Settings.from_environ()
    # Nothing changed since the last build of this request: say what it said (stamp.py).
    stamp = None if args.scheduler or args.force else Stamp(project, request, settings)
    if stamp is not None and (replay := stamp.replay()) is not None:
        report_problems(Problems(replay.problems))
        print(f"{replay.unchanged} file(s) up to date")
        return EXIT_OK
    sources = discover(project.source_dir, Problems())
    if args.draft:  # a translation begun in a PO file has a draft
        sources += po_sources(project, sources)
    if project.source_dir.is_dir() and (
            why := nothing_to_build(project.source_dir, sources, config, request)):
        return _usage(parser, [f"nothing to build: {why}"], usage=False)
    from pressroom.build.run import run  # after the no-op's check: it needs none of this
    from pressroom.session.caches import Session
    from pressroom.session.stored import StoredLoads

    # Articles parsed by the last build are read back, not parsed again (session/stored.py).
    session = Session(project, settings, stored=StoredLoads(project.out_dir))
    with contextlib.ExitStack() as stack:
        executor = None
        if args.scheduler:
            from pressroom.build.cluster import ClusterError, cluster_executor

            try:
                executor = stack.enter_context(
                    cluster_executor(args.scheduler, session.shared_bundle()))
            except ClusterError as exc:
                for line in exc.lines:
                    print(f"publish.py: error: {line}", file=sys.stderr)
                return EXIT_USAGE
        with progress_display() as progress:
            report = run(session, request, executor, progress)
    report_problems(report.problems)
    if report.unchanged:
        print(f"{len(report.unchanged)} file(s) up to date")
    if report.not_built:
        print(f"publish.py: error: {report.not_run}: {len(report.not_built)} output(s) not"
              " built; run the build again to build them", file=sys.stderr)
    errors, warnings = len(report.problems.errors), len(report.problems.warnings)
    if stamp is not None:
        if report.ok:
            stamp.record(report.problems.items, len(report.unchanged) + len(report.written))
        else:
            stamp.forget()
    if errors or report.not_built:
        print(
            f"failed: {errors} error(s), {warnings} warning(s); {len(report.written)} file(s)"
            " written", file=sys.stderr,
        )
        return EXIT_CONTENT
    return EXIT_OK


def _unknown_editions(names: list[str], config: EditionsConfig) -> list[str]:
    return [f"no edition '{name}' in editions.yaml{suggest(name, list(config.editions))}"
            " (see `publish.py editions`)" for name in names if name not in config.editions]


def _editions(project: Project) -> int:
    problems = Problems()
    config = load_editions(project.root, problems)
    check_editions(config, problems)
    problems.extend(config.warnings_for(config.editions.values()))
    report_problems(problems)
    if problems.errors:  # a list beside the errors would show editions that are not so
        return EXIT_CONTENT
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
        if edition.formats:
            traits.append(f"formats: {' '.join(edition.formats)}")
        outputs = [output.path.removeprefix("<locale>/")
                   for output in declared("<locale>", "<slug>", edition)]
        print(f"{edition.name}: {', '.join(traits)} → {', '.join(outputs)}")
    return EXIT_OK


def _check(parser: argparse.ArgumentParser, project: Project, args: argparse.Namespace) -> int:
    from pressroom.build.check import check  # the `check` command's alone

    config = load_editions(project.root, Problems())
    chosen, usage = selection.read(project, args, {
        "edition": lambda word: word in config.editions})
    usage += _unknown_editions(args.edition, config)
    if usage:
        return _usage(parser, usage)
    from pressroom.session.caches import Session

    session = Session(project, Settings.from_environ())
    problems, summaries = check(session, chosen.locales, chosen.articles, args.strict,
                                tuple(dict.fromkeys(args.edition)))
    report_problems(problems)
    for summary in summaries:
        print(summary.line())
    errors, warnings = len(problems.errors), len(problems.warnings)
    print(f"checked: {errors} error(s), {warnings} warning(s)")
    return EXIT_CONTENT if errors else EXIT_OK


def _new(project: Project, args: argparse.Namespace) -> int:
    from pressroom.cli import scaffold

    if args.kind == "project":
        result = scaffold.new_project(args.dir.resolve())
    else:
        result = scaffold.new_article(project.source_dir, args.title, args.locale, args.slug)
    report_problems(result.problems)
    for path in result.paths:
        print(f"wrote {display_path(path)}")
    return EXIT_CONTENT if result.problems.errors else EXIT_OK


def _catalogs(project: Project) -> int:
    problems = Problems()
    locales = {s.locale for s in discover(project.source_dir, problems)}
    from pressroom.translation import catalogs  # Babel's extraction: only for this command
    from pressroom.translation.drafts import po_locales

    # A locale begun in a PO file gets its layout text too, before its first import.
    locales |= set(po_locales(project))
    catalogs.check_folders(project, locales, problems)
    report_problems(problems)
    if problems.errors:
        return EXIT_CONTENT

    written, unchanged = catalogs.update(project, locales)
    for path in written:
        print(f"wrote {display_path(path)}")
    if unchanged:
        print(f"{len(unchanged)} catalog(s) up to date")
    return EXIT_CONTENT if problems.errors else EXIT_OK


def _translations(parser: argparse.ArgumentParser, project: Project,
                  args: argparse.Namespace) -> int:
    from pressroom.po import commands as translation_commands

    result = translation_commands.run(project, args)
    if result.usage:
        return _usage(parser, result.usage)
    report_problems(result.problems)
    for line in result.lines:
        print(line)
    return EXIT_CONTENT if result.problems.errors else EXIT_OK


def _readability(project: Project, chosen: selection.Selection) -> int:
    from pressroom.readability.report import readability_report
    from pressroom.session.caches import Session

    lines, problems = readability_report(Session(project, Settings.from_environ()),
                                         chosen.locales, chosen.articles)
    report_problems(problems)
    for line in lines:
        print(line)
    return EXIT_CONTENT if problems.errors else EXIT_OK


def _preview(parser: argparse.ArgumentParser, project: Project, args: argparse.Namespace,
             chosen: selection.Selection) -> int:
    import traceback

    from pressroom.preview.server import Preview, running

    if args.edition not in load_editions(project.root, Problems()).editions:
        return _usage(parser, [f"no edition '{args.edition}' in editions.yaml (see"
                               " `publish.py editions`)"])
    preview = Preview(project, chosen.locales, chosen.articles, args.edition,
                      Settings.from_environ(), draft=args.draft,
                      say=lambda line: print(line, flush=True),
                      complain=lambda line: print(line, file=sys.stderr, flush=True))
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
