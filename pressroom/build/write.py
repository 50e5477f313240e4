"""The last stage: outputs written atomically, recorded in the manifest, shown as written.

Every file is written whole or not at all (core/writing.py), and an article's outputs in
one edition are written together or not at all: a failed render leaves the last good
set in place.
"""

from __future__ import annotations

from pressroom.build.incremental import Manifest
from pressroom.build.report import Progress, Report
from pressroom.core.writing import deferred_interrupts, write_atomic
from pressroom.render.protocol import RenderJob, RenderResult, formats

#: The manifest's owner of outputs made from one article (collection steps own theirs).
ARTICLE = "article"


def write_group(results: list[tuple[RenderJob, RenderResult]], manifest: Manifest,
                 report: Report, progress: Progress) -> bool:
    """All outputs of one article in one edition, or none (the last good ones stay)."""
    if any(result.files is None for _, result in results):
        return False
    for job, result in sorted(results, key=lambda item: formats().index(item[0].format)):
        for output, data in (result.files or {}).items():
            write_output(manifest, output, data, job.inputs, ARTICLE, report, progress,
                   result.pages.get(output, 0))
    return True




def write_output(manifest: Manifest, output: str, data: bytes, inputs: str, owner: str,
           report: Report, progress: Progress, pages: int = 0, folder: str = "") -> None:
    path = manifest.file(output)
    with deferred_interrupts():  # written, recorded, counted and shown, or none of these
        try:
            write_atomic(path, data)
        except OSError as exc:
            report.problems.error(path, None, f"cannot write output: {exc.strerror or exc}")
            return
        manifest.record(output, inputs, data, owner, pages, folder)
        report.written.append(path)
        progress.wrote(path)
