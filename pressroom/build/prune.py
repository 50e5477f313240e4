"""Removing what an earlier build wrote for an article, locale or edition that is gone.

Only files the manifest recorded are ever removed: nothing an author put in out/ by
hand is touched.
"""

from __future__ import annotations

from pressroom.build.declared import declared_outputs
from pressroom.build.incremental import Manifest
from pressroom.build.report import Progress, Report
from pressroom.build.write import ARTICLE
from pressroom.content.sources import SourceFile
from pressroom.core.writing import deferred_interrupts
from pressroom.editions.config import EditionsConfig


def prune(sources: list[SourceFile], config: EditionsConfig, manifest: Manifest,
          report: Report, progress: Progress) -> None:
    """Remove what an earlier build wrote for an article, locale or edition that is gone.
    Only files the manifest recorded are ever removed."""
    declared = declared_outputs(sources, config)
    remove_outputs([o for o in manifest.recorded(ARTICLE) if o not in declared], manifest,
                   report, progress)


def remove_outputs(outputs: list[str], manifest: Manifest, report: Report,
                   progress: Progress) -> None:
    for output in outputs:
        path = manifest.file(output)
        with deferred_interrupts():
            try:
                path.unlink(missing_ok=True)
            except OSError as exc:
                report.problems.warning(path, None, f"cannot remove old output: {exc.strerror}")
                continue
            manifest.forget([output])
            report.removed.append(path)
            progress.removed(path)
