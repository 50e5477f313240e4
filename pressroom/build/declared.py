"""What a request, or the whole project, declares: the outputs the renderers name.

Read before anything is loaded — to start the right workers for a cold build, to tell
the user why a request would make nothing — and after, to know which recorded outputs
belong to no article any more (prune).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

from pressroom.build.request import BuildRequest
from pressroom.content.sources import SourceFile
from pressroom.core.errors import display_path
from pressroom.editions.config import Edition, EditionsConfig
from pressroom.render.protocol import declared
from pressroom.session.selection import is_selected


def declared_formats(sources: list[SourceFile], editions: list[Edition],
                     request: BuildRequest) -> list[str]:
    """The format of every job a cold build of the request will plan (one per format of
    each selected article and edition that declares outputs)."""
    return list(_declared_formats(sources, editions, request))


def _declared_formats(sources: list[SourceFile], editions: list[Edition],
                      request: BuildRequest) -> Iterator[str]:
    return (fmt for source in sources if is_selected(source, request.locales, request.slugs)
            for edition in editions if edition.covers(source.locale)
            for fmt in request.formats
            if declared(source.locale, source.slug, edition, (fmt,)))


def declared_outputs(sources: Iterable[SourceFile], config: EditionsConfig) -> set[str]:
    """Every output the whole project declares, whatever this build selected."""
    return {o.path for source in sources for edition in config.editions.values()
            if edition.covers(source.locale)
            for o in declared(source.locale, source.slug, edition)}


def chosen_editions(config: EditionsConfig, request: BuildRequest) -> list[Edition]:
    return [e for name, e in config.editions.items()
            if not request.editions or name in request.editions]


def nothing_to_build(source_dir: Path, sources: list[SourceFile], config: EditionsConfig,
                     request: BuildRequest) -> str:
    """Why the request declares no output at all; "" when it declares some.

    Told from what the renderers declare: `--edition letter --format epub` asks for an
    ebook of an edition whose renderers write none.
    """
    editions = chosen_editions(config, request)
    if next(_declared_formats(sources, editions, request), None) is not None:
        return ""  # (the first is enough: a large library's every article was 20 ms)
    chosen = [s for s in sources if is_selected(s, request.locales, request.slugs)]
    if not chosen:
        where = display_path(source_dir)
        return f"there are no articles in {where} (write {where}/<locale>/<slug>.md)"
    locales = {s.locale for s in chosen}
    reasons = []
    for edition in editions:
        if edition.locales and not locales & set(edition.locales):
            reasons.append(f"edition '{edition.name}' is built only for"
                           f" {', '.join(edition.locales)}")
            continue
        writes = [o.path.removeprefix("<locale>/")
                  for o in declared("<locale>", "<slug>", edition)]
        asked = " or ".join(request.formats)
        reasons.append(f"edition '{edition.name}' has no {asked} output (it writes"
                       f" {', '.join(writes) or 'nothing'})")
    return "; ".join(reasons)
