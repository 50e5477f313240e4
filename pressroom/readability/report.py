"""The reading grade of what a patient reads, per article and locale.

readability.py measures plain text; this module decides which text, from the content
model: the body's paragraphs, list items, block quotes and table cells (introduction
included) and the checklist's items — what a patient reads. Not the headings (the
formulas' own instructions skip them), the references, image descriptions, code, nor
the layout's words (the disclaimer, "Your checklist"), which are not the author's. Each
piece keeps the line it was written on, so the hardest sentences point into the file.

The target is grade 8 (readability.DEFAULT_TARGET) unless the article's front matter says
`reading_target:`. It belongs to the article, not to an edition: editions change the
look, never the content, and a leaflet for children aims lower than one for carers.

Used by `publish.py readability` (the report), `publish.py check` (a warning above the
target) and, through `grade`, by anything that shows the grade beside an article while
it is written.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from pressroom.content import model as m
from pressroom.content.resolve import Publication
from pressroom.core.errors import Problems, display_path
from pressroom.readability.grade import (
    DEFAULT_TARGET,
    Kind,
    Readability,
    Segment,
    above_target,
    measure,
    report,
)
from pressroom.session.caches import Session


def target(article: m.Article) -> float:
    """The grade the article should not read above."""
    meta = article.meta
    return meta.reading_target if meta.reading_target is not None else DEFAULT_TARGET


def segments(article: m.Article) -> list[Segment]:
    """What a patient reads, in reading order: body text, then the checklist."""
    found = list(_blocks(article.lead))
    for section in article.sections:
        found += _section(section)
    found += [Segment(item.text, item.line, "item")
              for group in article.checklist for item in group.items]
    return found


def _section(section: m.Section) -> Iterator[Segment]:
    yield from _blocks(section.blocks)
    for sub in section.subsections:
        yield from _section(sub)


def _blocks(blocks: Iterable[m.Block], kind: Kind = "prose") -> Iterator[Segment]:
    for block in blocks:
        if isinstance(block, m.Paragraph):
            if all(isinstance(n, m.Image) for n in block.children):
                continue  # a figure: its description is for those who cannot see it
            yield Segment(m.plain_text(block.children, lines=True), block.line, kind)
        elif isinstance(block, m.ListBlock):
            for item in block.items:
                yield from _blocks(item.blocks, "item")
        elif isinstance(block, m.Quote):
            yield from _blocks(block.blocks, kind)
        elif isinstance(block, m.Table):
            for row in (*block.head, *block.body):
                for cell in row:
                    # A cell ("Being overweight") is a fragment, as a list item is,
                    # unless its author wrote a sentence in it.
                    yield Segment(m.plain_text(cell.children), block.line, "item")


def measure_article(article: m.Article, language: str | None = None) -> Readability:
    return measure(segments(article), language or article.locale)


def grade(pub: Publication) -> float | None:
    """The publication's reading grade (None where no validated formula exists, as for
    Arabic): what a preview shows beside the article."""
    return measure_article(pub.article, pub.language).grade


def check(pub: Publication, problems: Problems) -> None:
    """A warning when the text reads above its target grade."""
    message = above_target(measure_article(pub.article, pub.language), target(pub.article))
    if message:
        problems.warning(pub.article.path, 1, message)


def lines(pub: Publication) -> list[str]:
    """The report of one article in one locale, as `publish.py readability` prints it."""
    result = measure_article(pub.article, pub.language)
    return report(display_path(pub.article.path), result, target(pub.article))


def readability_report(session: Session, locales: Iterable[str] = (),
                       slugs: Iterable[str] = ()) -> tuple[list[str], Problems]:
    """Every chosen article that loads cleanly, by slug then locale, a blank line between
    them; and the problems of those that do not."""
    problems = Problems()
    loaded, _ = session.select(session.sources(problems), locales, slugs)
    out: list[str] = []
    for pub in sorted(session.publications(loaded, problems),
                      key=lambda p: (p.article.slug, p.language)):
        out += [*([""] if out else []), *lines(pub)]
    return out, problems
