"""Which article is a translation, and of which locale: read by every translation check.

Kept alone so the checks that compare structure (status.py) and those that tell an
outdated translation (currency.py) can both ask without importing each other.
"""

from __future__ import annotations

from pressroom.content import model as m

#: The locale an article is written in when its front matter names no `source_locale`.
DEFAULT_SOURCE = "en"


def source_locale(article: m.Article) -> str:
    return article.meta.source_locale or DEFAULT_SOURCE


def is_translation(article: m.Article) -> bool:
    return article.locale != source_locale(article)
