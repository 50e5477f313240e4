"""The whole build as one straight line: find → load → resolve → render → write.

Every article is loaded and resolved before anything is rendered (as mkdocs does), so all
content errors of a run are known up front. An article with errors writes nothing; the
others are still built, and the run as a whole reports failure.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from .catalogs import ui_strings
from .errors import Problems
from .markup import make_parser
from .project import Project
from .resolve import Publication, resolve
from .sources import SourceFile, discover, load_article
from .writing import write_atomic

#: Output format → module with `render(pub, project, problems) -> bytes | None`.
#: Modules are imported on demand so that, say, an EPUB-only build never loads WeasyPrint.
RENDERERS = {"pdf": "pressroom.render_pdf", "epub": "pressroom.render_epub"}
FORMATS = tuple(RENDERERS)

Renderer = Callable[[Publication, Project, Problems], bytes | None]


@dataclass
class Report:
    written: list[Path] = field(default_factory=list)
    problems: Problems = field(default_factory=Problems)

    @property
    def ok(self) -> bool:
        return not self.problems.errors


def renderer(fmt: str) -> Renderer:
    return importlib.import_module(RENDERERS[fmt]).render  # type: ignore[no-any-return]


def output_path(out_dir: Path, pub: Publication, fmt: str) -> Path:
    return out_dir / pub.language / f"{pub.article.slug}.{fmt}"


def select(
    sources: list[SourceFile], locales: Iterable[str] = (), slugs: Iterable[str] = ()
) -> list[SourceFile]:
    locales, slugs = set(locales), set(slugs)
    return [
        s for s in sources
        if (not locales or s.locale in locales) and (not slugs or s.slug in slugs)
    ]


def load_all(
    project: Project, sources: list[SourceFile], problems: Problems
) -> list[Publication]:
    """Load and resolve every article; those with errors are reported and left out."""
    md = make_parser()
    strings = {
        locale: ui_strings(project, locale, problems)
        for locale in sorted({s.locale for s in sources})
    }
    publications = []
    for source in sources:
        article_problems = Problems()
        article = load_article(source, project.allowed_roots, article_problems, md)
        pub = (
            resolve(article, article_problems, strings[source.locale])
            if article is not None else None
        )
        problems.extend(article_problems.items)
        if pub is not None and not article_problems.errors:
            publications.append(pub)
    return publications


def build(
    project: Project,
    formats: Iterable[str] = FORMATS,
    locales: Iterable[str] = (),
    slugs: Iterable[str] = (),
) -> Report:
    report = Report()
    sources = select(discover(project.source_dir, report.problems), locales, slugs)
    publications = load_all(project, sources, report.problems)
    for pub in publications:
        report.written.extend(publish(pub, project, tuple(formats), report.problems))
    return report


def publish(
    pub: Publication, project: Project, formats: tuple[str, ...], problems: Problems
) -> list[Path]:
    """Render every format of one article; write them only if all of them succeeded."""
    article_problems = Problems()
    outputs: list[tuple[Path, bytes]] = []
    for fmt in formats:
        data = renderer(fmt)(pub, project, article_problems)
        if data is None:
            break
        outputs.append((output_path(project.out_dir, pub, fmt), data))
    problems.extend(article_problems.items)
    if article_problems.errors or len(outputs) != len(formats):
        return []
    written = []
    for path, data in outputs:
        try:
            write_atomic(path, data)
        except OSError as exc:
            problems.error(path, None, f"cannot write output: {exc.strerror or exc}")
            continue
        written.append(path)
    return written
