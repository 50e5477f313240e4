"""The load and resolve stages where the project's files are not: a cluster's worker.

A large batch on a cluster waits on the one machine that loads and resolves every
article, so the articles travel there as bytes and come back parsed and resolved. The
images are the one part of an article on disk: a worker checks only their addresses,
and this machine checks the files (`check_images`). Resolving is speculative: it uses
the UI strings and settings known before the translation checks, and is used only where
this machine would resolve the same article with the same ones (session/caches.py).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

from pressroom.content import model as m
from pressroom.content.markup import make_parser
from pressroom.content.resolve import Publication, resolve
from pressroom.content.sources import SourceFile, asset_policy, load_article
from pressroom.core.errors import Problem, Problems
from pressroom.core.settings import Settings

#: An article to load elsewhere: its source, its bytes, the headings its layouts write
#: (`load_article`'s `generated`), and its locale's UI strings.
ToParse = tuple[SourceFile, bytes, tuple[str, ...], Mapping[str, str]]
#: An article loaded (None when unusable) with its problems; when it loaded cleanly,
#: also resolved, with the problems resolving found.
Parsed = tuple[m.Article | None, Problems, Publication | None, list[Problem]]
#: Loads a batch elsewhere (a cluster: `parse_articles` on its workers): each article's
#: answer, or None for those (or the batch) it could not load.
Parse = Callable[[Sequence[ToParse], tuple[Path, ...], Settings],
                 Sequence[Parsed | None] | None]


def parse_articles(batch: Sequence[ToParse], allowed_roots: tuple[Path, ...],
                   settings: Settings) -> list[Parsed]:
    """Articles loaded from their bytes, with every check of `load_article` but the image
    files' (`check_images`), and resolved when they loaded cleanly."""
    md = make_parser()
    parsed: list[Parsed] = []
    for source, data, generated, strings in batch:
        problems = Problems()
        article = load_article(source, allowed_roots, problems, md, data, generated,
                               on_disk=False)
        publication, found = None, Problems()
        if article is not None and not problems.items:
            publication = resolve(article, found, strings, settings)
        parsed.append((article, problems, publication, found.items))
    return parsed


def check_images(article: m.Article, allowed_roots: tuple[Path, ...],
                 problems: Problems) -> None:
    """The checks `parse_articles` leaves to the machine with the files: each image
    inside the project, present and of a kind every output can carry."""
    policy = asset_policy(article.path, allowed_roots)
    for node in m.descendants((article.lead, article.sections, article.notes)):
        if isinstance(node, m.Image):
            _, reason = policy.check(node.path, node.src)
            if reason:
                problems.error(article.path, node.line, reason)
