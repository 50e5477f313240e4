"""What one build is asked to make: formats, locales, articles, editions and how.

A plain value, so the command line, the preview and the tests describe a build the
same way, and a run can be repeated from it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from pressroom.render.protocol import formats


@dataclass(frozen=True, slots=True)
class BuildRequest:
    formats: tuple[str, ...] = field(default_factory=formats)
    locales: tuple[str, ...] = ()
    #: Articles: a slug (every locale) or `locale/slug` (one file); empty: all.
    slugs: tuple[str, ...] = ()
    #: Edition names (empty: every edition).
    editions: tuple[str, ...] = ()
    #: Rebuild every output, fresh or not.
    force: bool = False
    #: Worker processes for the local pool (None: one per core); ignored when an
    #: executor is given.
    jobs: int | None = None
    #: Build outdated and unfinished translations as drafts (translation/drafts.py): into
    #: a folder of drafts only, never the ordinary outputs' (a preview passes it too).
    draft: bool = False
    #: Every warning counts as an error (an article with one is not built).
    strict: bool = False
    #: Run the collection step (indexes, search, feeds) and remove what is gone. A preview
    #: builds an article's page alone first (the author waits for it), the rest later.
    collect: bool = True
