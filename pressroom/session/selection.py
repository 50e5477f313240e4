"""Which articles a command works on, as the command line names them.

Every command that reads articles (`build`, `check`, `readability`) takes the same
selection: article names and `--locale`, in any order. An article is named by its slug
(`muscle-spasms`: that article in every locale) or by its file
(`source/en/muscle-spasms.md`: that one file, so that one locale), which is what a shell's
tab completion or an editor hands over. Options that take several values (`--locale en
es`) would swallow an article named after them (`--locale en muscle-spasms`); a word an
option does not know but that names an article is taken as the article.

Parsing only: nothing here prints (cli.py does) or builds.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from pressroom.content.sources import SourceFile, discover
from pressroom.core.errors import Problems, display_path
from pressroom.core.locales import check_locale, split_tags
from pressroom.core.project import Project


@dataclass(frozen=True, slots=True)
class Selection:
    """Locales and articles to work on; empty means all."""

    locales: tuple[str, ...] = ()
    #: `slug` (every locale of the article) or `locale/slug` (one file).
    articles: tuple[str, ...] = ()


def add_arguments(parser: argparse.ArgumentParser, verb: str) -> None:
    """ARTICLE… and --locale (and --source, where the articles are), for `verb`."""
    parser.add_argument(
        "articles", nargs="*", metavar="ARTICLE",
        help=f"articles to {verb} (default: all), before or after the options: a slug"
        " (muscle-spasms: every locale) or a file (source/en/muscle-spasms.md: that locale)",
    )
    parser.add_argument("--source", type=Path, metavar="DIR",
                        help="article folder (default: source/)")
    parser.add_argument(
        "--locale", action="extend", nargs="+", default=[], metavar="L",
        help="only these locales, as BCP 47 tags (e.g. en es pt-BR, or en,es)",
    )


def is_locale(word: str) -> bool:
    return not check_locale(word)


def read(project: Project, args: argparse.Namespace,
         options: Mapping[str, Callable[[str], bool]] | None = None
         ) -> tuple[Selection, list[str]]:
    """The selection the command line asks for, and its usage errors (messages).

    `options`: the other list options of the command (`format`, `edition`), each with a
    test of whether a word is one of its values; with `locale`, a word that fails its
    option's test but names an article is moved to the articles (and removed from
    `args`). What stays is for the caller to check.
    """
    sources = discover(project.source_dir, Problems())
    if getattr(args, "draft", False):  # a translation begun in a PO file has a draft
        from pressroom.translation.drafts import po_sources

        sources += po_sources(project, sources)
    slugs = {source.slug for source in sources}
    words = list(args.articles)
    args.locale = split_tags(args.locale)
    for dest, valid in {"locale": is_locale, **(options or {})}.items():
        values = getattr(args, dest)
        stray = [w for w in values if not valid(w) and (w in slugs or _is_path(w))]
        setattr(args, dest, [w for w in values if w not in stray])
        words += stray
    messages = [reason for tag in args.locale if (reason := check_locale(tag))]
    if messages:
        return Selection(), messages
    where = display_path(project.source_dir)
    known_locales = {source.locale for source in sources}
    for tag in args.locale:
        if tag not in known_locales:
            messages.append(f"no articles for locale '{tag}' in {where}"
                            f"{_in_progress(project, tag)}")
    articles = []
    for word in words:
        name, message = _article(word, project, sources)
        if message:
            messages.append(message)
        else:
            articles.append(name)
    selection = Selection(tuple(dict.fromkeys(args.locale)), tuple(dict.fromkeys(articles)))
    if not messages and selection.locales and selection.articles and not any(
            is_selected(source, selection.locales, selection.articles) for source in sources):
        messages.append(f"no article {' or '.join(repr(a) for a in selection.articles)} in"
                        f" locale {' or '.join(selection.locales)}")
    return selection, messages


def _in_progress(project: Project, locale: str) -> str:
    """What to say of a locale begun in PO files: it has a draft, not a leaflet yet."""
    from pressroom.translation import pofiles

    folder = pofiles.folder(project) / locale
    files = sorted(p.name for p in folder.glob("*.po")) if folder.is_dir() else []
    if not files:
        return ""
    return (f"; its translation is in progress in {display_path(folder)} ({', '.join(files)}):"
            f" build a draft with `python publish.py build --draft --locale {locale}`; once every"
            f" entry is translated, `python publish.py translations import --locale {locale}`"
            " makes it an article")


def names_article(project: Project, word: str) -> bool:
    """Whether a word names an article of the project (by slug or by file)."""
    return not _article(word, project, discover(project.source_dir, Problems()))[1]


def is_selected(source: SourceFile, locales: Iterable[str], articles: Iterable[str]) -> bool:
    """Whether a file is chosen by locales and article names (empty: all)."""
    locales, articles = tuple(locales), tuple(articles)
    return ((not locales or source.locale in locales)
            and (not articles or source.slug in articles
                 or f"{source.locale}/{source.slug}" in articles))


def _is_path(word: str) -> bool:
    return "/" in word or "\\" in word or word.endswith(".md")


def _article(word: str, project: Project, sources: list[SourceFile]) -> tuple[str, str]:
    """(`slug` or `locale/slug`, "") for a word naming an article, else ("", why not)."""
    where = display_path(project.source_dir)
    path = Path(word).resolve()
    if "/" not in word and "\\" not in word and not path.is_file():
        word = word.removesuffix(".md")  # `muscle-spasms.md` typed for the slug
        if any(source.slug == word for source in sources):
            return word, ""
        if any(source.locale == word for source in sources):
            return "", f"no article '{word}' in {where} (for the locale, write --locale {word})"
        return "", f"no article '{word}' in {where}"
    match = next((source for source in sources if source.path.resolve() == path), None)
    if match is not None:
        return f"{match.locale}/{match.slug}", ""
    if not path.is_relative_to(project.source_dir):
        return "", f"'{word}' is not in the article folder {where}"
    return "", f"'{word}' is not an article (articles are {where}/<locale>/<slug>.md)"
