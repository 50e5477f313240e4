"""The `check` verb: every validation a build does, without rendering.

Fast enough for every save (the preview runs it): editions, QR targets, every article
loaded, its translations checked and resolved, and its reading grade against its target.
"""

from __future__ import annotations

from collections.abc import Iterable

from pressroom.content.topics import check_topics, load_topics
from pressroom.core.errors import Problems
from pressroom.editions.config import load_editions
from pressroom.readability import report as reading
from pressroom.render.site import check_editions
from pressroom.session.caches import Session
from pressroom.translation.status import LocaleSummary


def check(session: Session, locales: Iterable[str] = (), slugs: Iterable[str] = (),
          strict: bool = False, editions: Iterable[str] = ()
          ) -> tuple[Problems, list[LocaleSummary]]:
    """Every problem a build of these articles would report, and a translation summary
    per locale (`strict`: every warning counted as an error, once, at the end;
    `editions`: only these editions' brands are warned about, as a build of them would)."""
    problems = Problems()
    config = load_editions(session.project.root, problems)
    check_editions(config, problems)
    chosen = tuple(editions) or tuple(config.editions)
    problems.extend(config.warnings_for(config.editions[name] for name in chosen
                                        if name in config.editions))
    loaded, summaries = session.select(session.sources(problems), locales, slugs)
    publications = session.publications(loaded, problems)
    for pub in publications:
        reading.check(pub, problems)  # a warning above the article's reading target
    check_topics([pub.article for pub in publications],
                 load_topics(session.project.root, problems), problems)
    if strict:
        problems.promote_warnings()
    return problems, summaries
