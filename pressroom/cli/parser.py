"""The command line's grammar: commands, options and their help, in one parser.

Kept apart from what the commands do, so `--help` and the README read from one place.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from pressroom import __version__
from pressroom.po import commands as translation_commands
from pressroom.render.protocol import formats
from pressroom.session import selection

COMMANDS = ("build", "check", "editions", "catalogs", "preview", "translations",
            "readability", "new")
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
        prog=program(), description=DESCRIPTION, epilog=EPILOG,
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
        help=f"only these formats ({', '.join(formats())}; default: all)",
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
    k.add_argument(
        "--edition", action="extend", nargs="+", default=[], metavar="NAME",
        help="only these editions from editions.yaml: their brands' warnings (default: all)",
    )
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
    _add_new(commands)
    return parser


def _add_new(commands: argparse._SubParsersAction) -> None:
    n = commands.add_parser(
        "new", help="start a project, or an article, that builds cleanly at once",
        description="Write a new project folder (an example article, editions.yaml, a"
        " .gitignore for out/) or a new article with every front-matter key explained."
        " Nothing is overwritten.",
    )
    kinds = n.add_subparsers(dest="kind", metavar="KIND", required=True)
    p = kinds.add_parser(
        "project", help="a project folder: source/, editions.yaml, .gitignore",
        description="Write a minimal project into DIR (created if missing; refused if"
        " it already has one of the files). Its layouts and styles are Pressroom's: add"
        " layouts/ or styles/ there to override a default file of the same name.")
    p.add_argument("dir", type=Path, metavar="DIR")
    a = kinds.add_parser(
        "article", help="source/<locale>/<slug>.md from a title",
        description="Write source/<locale>/<slug>.md, the slug made from the title"
        " ('Night-time leg cramps' → night-time-leg-cramps), with every front-matter key"
        " commented and an empty checklist. Refused if the file exists.")
    a.add_argument("title", metavar="TITLE")
    a.add_argument("--locale", default="en", help="the article's locale (default: en)")
    a.add_argument("--slug", help="the file name without .md (default: made from TITLE)")
    a.add_argument("--source", type=Path, metavar="DIR",
                   help="article folder (default: source/)")


def program() -> str:
    """`pressroom` when run as the console script, else `publish.py`."""
    return "pressroom" if Path(sys.argv[0]).name == "pressroom" else "publish.py"


def with_default_command(argv: list[str]) -> list[str]:
    if argv and (argv[0] in COMMANDS or argv[0] in ("-h", "--help", "--version")):
        return argv
    return ["build", *argv]
