"""The plan stage: which outputs to render, each as a self-contained job.

Every renderer declares its outputs; a job is planned for each declared output whose
inputs changed since the manifest recorded it (or for all, with --force). Renderers
whose pages list other outputs (`AFTER`, the web pages' downloads) are planned too, but
their jobs are finished — told the sizes and page counts of what they list — only once
those outputs are written.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from pressroom.build.incremental import Manifest
from pressroom.build.request import BuildRequest
from pressroom.content.resolve import Publication
from pressroom.content.sources import SourceFile
from pressroom.core.digests import code_digest, digest_parts, strings_digest
from pressroom.core.errors import display_path
from pressroom.core.files import LOGO, Bundle
from pressroom.editions.config import Edition, EditionsConfig
from pressroom.render.protocol import PageContext, RenderJob, Written, declared, renderer
from pressroom.render.site import links
from pressroom.session.caches import Session


@dataclass(frozen=True, slots=True)
class _ArticleInputs:
    """What every edition of one article reads: worked out once per article."""

    assets: Bundle
    where: dict[Path, str]
    digest: str


def _article_inputs(session: Session, pub: Publication) -> _ArticleInputs:
    assets, where = session.files.assets(pub.images)
    # A draft is read from a text made in memory, not from its file (translation/drafts.py).
    article = pub.text_digest or session.files.read(pub.article.path)[0]
    return _ArticleInputs(assets, where, digest_parts(article, strings_digest(pub.strings),
                                                      "draft" if pub.draft else ""))


def make_jobs(session: Session, pub: Publication, edition: Edition, formats: Iterable[str],
              shared: Bundle, article: _ArticleInputs | None = None,
              config: EditionsConfig | None = None) -> list[RenderJob]:
    """The jobs of one article in one edition: one per format that declares outputs."""
    article = article or _article_inputs(session, pub)
    bundle = shared | article.assets | _logo(session, edition)
    addresses = links(config or EditionsConfig(), edition, pub.language, pub.article.slug)
    fingerprint = bundle.fingerprint()
    jobs = []
    for fmt in formats:
        outputs = declared(pub.language, pub.article.slug, edition, (fmt,))
        if not outputs:
            continue
        inputs = digest_parts(
            code_digest(), fmt, repr(edition), article.digest, fingerprint,
            repr(sorted(addresses.items())), session.settings.fingerprint())
        jobs.append(RenderJob(fmt, pub, edition, outputs, bundle, article.where,
                              session.settings, addresses, inputs))
    return jobs


@dataclass
class Plan:
    #: Jobs to run now (those whose outputs are stale), slowest format first.
    now: list[RenderJob] = dataclasses.field(default_factory=list)
    #: Jobs that list other outputs: finished (`finish`) once this build wrote those.
    later: list[RenderJob] = dataclasses.field(default_factory=list)
    #: Outputs left as they are.
    unchanged: list[Path] = dataclasses.field(default_factory=list)
    #: Two articles or editions that would write one file: (article, message).
    collisions: list[tuple[Path, str]] = dataclasses.field(default_factory=list)

    @property
    def planned(self) -> int:
        return sum(len(job.outputs) for job in self.now + self.later)


def plan(session: Session, publications: list[Publication], editions: list[Edition],
         request: BuildRequest, shared: Bundle, manifest: Manifest,
         config: EditionsConfig) -> Plan:
    """A job for every declared output whose inputs changed since it was written (or all)."""
    result = Plan()
    claimed: dict[str, tuple[Path, str]] = {}
    out_dir = session.project.out_dir
    for pub in publications:
        article = _article_inputs(session, pub)
        for edition in editions:
            if not edition.covers(pub.language):
                continue
            jobs = make_jobs(session, pub, edition, request.formats, shared, article, config)
            if not _claim(jobs, claimed, pub, edition, result):
                continue
            for job in jobs:
                if renderer(job.format).AFTER:
                    result.later.append(job)
                elif request.force or not all(manifest.is_fresh(o.path, job.inputs)
                                              for o in job.outputs):
                    result.now.append(job)
                else:
                    result.unchanged.extend(o.file(out_dir) for o in job.outputs)
    # Slow formats first, so the workers stay busy to the end.
    result.now.sort(key=lambda job: not renderer(job.format).HEAVY)
    return result


def written(manifest: Manifest, config: EditionsConfig, formats: Iterable[str], locale: str,
            slug: str) -> tuple[Written, ...]:
    """The files of one article and locale that the site offers and that exist."""
    found = []
    for edition in config.offered():
        for output in declared(locale, slug, edition, tuple(formats)):
            facts = manifest.facts(output.path)
            if facts is not None:
                found.append(Written(output, edition, *facts))
    return tuple(found)


Neighbours = Callable[[Publication], tuple[tuple[tuple[str, str], ...],
                                          tuple[tuple[str, str], ...]]]


def finish(jobs: list[RenderJob], sources: list[SourceFile], config: EditionsConfig,
           manifest: Manifest, force: bool, neighbours: Neighbours | None = None
           ) -> tuple[list[RenderJob], list[Path]]:
    """Tell each waiting job what it lists, now that it is written; (stale jobs, fresh
    outputs). `neighbours`: an article's topics and related leaflets (read from the
    whole library, so only asked for when there are pages to finish)."""
    built = {(job.publication.language, job.publication.article.slug) for job in jobs}
    todo, fresh = [], []
    for job in jobs:
        locale, slug = job.publication.language, job.publication.article.slug
        languages = tuple(
            s.locale for s in sources if s.slug == slug and (
                (s.locale, slug) in built or all(
                    manifest.facts(o.path) is not None
                    for o in declared(s.locale, slug, job.edition, (job.format,)))))
        topics, related = neighbours(job.publication) if neighbours else ((), ())
        page = PageContext(config.site, languages,
                           written(manifest, config, renderer(job.format).AFTER, locale, slug),
                           topics, related)
        job = dataclasses.replace(job, page=page,
                                  inputs=digest_parts(job.inputs, repr(page)))
        if force or not all(manifest.is_fresh(o.path, job.inputs) for o in job.outputs):
            todo.append(job)
        else:
            fresh.extend(manifest.file(o.path) for o in job.outputs)
    return todo, fresh


def _logo(session: Session, edition: Edition) -> Bundle:
    logo = edition.brand.logo if edition.brand else None
    if logo is None:
        return Bundle()
    return session.files.bundle({f"{LOGO}{logo.suffix.lower()}": logo})


def _claim(jobs: list[RenderJob], claimed: dict[str, tuple[Path, str]], pub: Publication,
           edition: Edition, result: Plan) -> bool:
    """No two articles or editions may write the same file (case-folded: one file on some
    disks)."""
    owner = (pub.article.path, edition.name)
    for job in jobs:
        for output in job.outputs:
            other = claimed.setdefault(output.path.casefold(), owner)
            if other != owner:
                result.collisions.append((pub.article.path, (
                    f"edition '{edition.name}' writes the same output as edition"
                    f" '{other[1]}' of {display_path(other[0])} ({output.path})")))
                return False
    return True


