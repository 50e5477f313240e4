"""A renderer for the tests: no per-article output, one collected index per locale.

It stands in for the web edition's index pages, to test the collection step on its own:
the library it is given, freshness by inputs, and pruning of indexes no longer declared.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

from pressroom.core.errors import Problems
from pressroom.editions.config import Edition
from pressroom.render.protocol import Collected, Library, Output, RenderJob

HEAVY = False
AFTER: tuple[str, ...] = ()


def outputs(locale: str, slug: str, edition: Edition) -> tuple[Output, ...]:
    return ()


def prepare() -> None:
    pass


def render(job: RenderJob, problems: Problems) -> dict[str, bytes] | None:
    raise AssertionError("declares no per-article output")


def collect(library: Library) -> Sequence[Collected]:
    lines: dict[str, list[str]] = {}
    for entry in library.entries:
        if entry.edition.is_default:
            files = " ".join(o.path for o in entry.outputs)
            lines.setdefault(entry.publication.language, []).append(
                f"{entry.publication.meta.title}: {files}")
    collected = []
    for locale, entries in sorted(lines.items()):
        text = "\n".join(sorted(entries)) + "\n"
        output = Output(f"{locale}/index.txt", "index", "index", "text/plain", locale)
        collected.append(Collected(output, hashlib.sha256(text.encode()).hexdigest(),
                                   lambda problems, text=text: text.encode()))
    return collected


def head_start(library: Library, jobs: Sequence[RenderJob]) -> None:
    return None
