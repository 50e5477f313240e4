"""`publish.py translations …`: its arguments, and each action as a result to print.

cli.py registers these and prints what they return (it is the only module that prints);
the work is translate.py's.
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from pressroom.core.errors import Problems, display_path
from pressroom.core.locales import check_locale, split_tags
from pressroom.core.project import Project

if TYPE_CHECKING:
    from pressroom.po import workspace as translate

ACTIONS = ("status", "export", "import", "mark-current")


@dataclass
class Result:
    #: Mistakes on the command line (exit status 2).
    usage: list[str] = field(default_factory=list)
    #: What to print, one line each.
    lines: list[str] = field(default_factory=list)
    problems: Problems = field(default_factory=Problems)


def add_parsers(commands: argparse._SubParsersAction, epilog: str) -> None:
    t = commands.add_parser(
        "translations", help="translation status, and PO files for translators",
        description="Which translations are complete, outdated or missing, and the PO\n"
        "workflow: export an article's segments for translators (Poedit, Weblate, Crowdin,\n"
        "Phrase) and import their work back as a translated article.",
        epilog=epilog, formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    actions = t.add_subparsers(dest="action", metavar="ACTION", required=True)
    status = actions.add_parser(
        "status", help="every article in every locale: complete, outdated (N segments),"
        " incomplete (N missing) or missing")
    status.add_argument("--source", type=Path, metavar="DIR",
                        help="article folder (default: source/)")
    status.add_argument("--locale", metavar="L",
                        help="only this locale (a BCP 47 tag, e.g. pt-BR)")
    for name, text in (
        ("export", "write translations/<locale>/<slug>.po: one entry per segment, prefilled"
                   " from the translation where there is one; fuzzy where the source changed"),
        ("import", "write source/<locale>/<slug>.md from translations/<locale>/<slug>.po and"
                   " record which version of the source it translates"),
        ("mark-current", "record that a translation edited by hand matches its source as it"
                         " is now (after a review)"),
    ):
        action = actions.add_parser(name, help=text, description=text[0].upper() + text[1:]
                                    + ".")
        action.add_argument("slugs", nargs="*", metavar="SLUG",
                            help="articles (default: every article)")
        action.add_argument("--locale", required=True, metavar="L",
                            help="the locale translated into, as a BCP 47 tag (e.g. es,"
                            " pt-BR), or several separated by commas (es,pt-BR)")
        action.add_argument("--source", type=Path, metavar="DIR",
                            help="article folder (default: source/)")


def run(project: Project, args: argparse.Namespace) -> Result:
    # Imported here, not above: every build parses the command line, few translate.
    from pressroom.po import workspace as translate

    result = Result()
    workspace = translate.Workspace(project)
    result.problems.extend(workspace.problems.items)
    if args.action == "status":
        if args.locale:
            reason = check_locale(args.locale)
            if reason:
                result.usage.append(reason)
                return result
            if args.locale not in workspace.locales():
                result.usage.append(f"no articles or PO files for locale '{args.locale}'")
                return result
        result.lines = [line for line in translate.status(workspace)
                        if not args.locale or line.startswith(f"{args.locale}/")]
        return result
    locales = list(dict.fromkeys(split_tags(args.locale)))
    result.usage += [reason for tag in locales if (reason := check_locale(tag))]
    known = workspace.originals()
    result.usage += [f"no article '{slug}' in {display_path(project.source_dir)}"
                     for slug in dict.fromkeys(args.slugs) if slug not in known]
    if result.usage:
        return result
    for locale in locales:
        _run_locale(workspace, project, args, locale, result)
    return result


def _run_locale(workspace: translate.Workspace, project: Project, args: argparse.Namespace,
                locale: str, result: Result) -> None:
    """One locale's action; its lines and problems are added to `result`."""
    from pressroom.po import exporting as po_export
    from pressroom.po import importing as po_import
    from pressroom.po import workspace as translate

    slugs = _slugs(workspace, project, args, locale, result)
    originals = workspace.originals()
    written_in = [s for s in slugs if s in originals and originals[s].source.locale == locale]
    if args.slugs:
        result.usage += [f"'{locale}' is the locale '{slug}' is written in: name the locale"
                         " to translate into" for slug in written_in]
    slugs = [s for s in slugs if s not in written_in]
    if not slugs and not result.usage:
        result.usage.append(f"no articles to {args.action} for locale '{locale}'")
    if result.usage:
        return
    problems = result.problems
    if args.action == "export":
        for done in po_export.export(workspace, locale, slugs, problems):
            counts = f"{done.total} segments, {done.fuzzy} fuzzy, {done.untranslated}" \
                " untranslated"
            verb = "wrote" if done.written else "unchanged"
            result.lines.append(f"{verb} {display_path(done.path)} ({counts})")
    elif args.action == "import":
        result.lines += [f"{'wrote' if done.written else 'unchanged'} {display_path(done.path)}"
                         for done in po_import.import_(workspace, locale, slugs, problems)]
    else:
        result.lines += [f"marked {display_path(p)} current"
                         for p in translate.mark_current(workspace, locale, slugs, problems)]


def _slugs(workspace: translate.Workspace, project: Project, args: argparse.Namespace,
           locale: str, result: Result) -> list[str]:
    known = sorted(workspace.originals())
    if args.slugs:
        return list(dict.fromkeys(args.slugs))
    if args.action == "import":
        from pressroom.translation import pofiles

        folder = pofiles.folder(project) / locale
        slugs = sorted(p.stem for p in folder.glob("*.po")) if folder.is_dir() else []
        if not slugs:
            result.usage.append(f"no PO files to import in {display_path(folder)}")
        return slugs
    if args.action == "mark-current":
        return [s for s in known if workspace.get(locale, s) is not None]
    return known
