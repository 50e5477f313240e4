"""The PDF renderer: the leaflet of every edition, and a booklet edition's print file.

Declares `<slug><edition>.pdf` (and `<slug><edition>.print.pdf`, the booklet imposed for
printing); renders through the layout (leaflet.py) and WeasyPrint (weasy.py), both
imported only when a PDF is rendered.
"""

from __future__ import annotations

from collections.abc import Sequence

from .editions import Edition
from .errors import Problems
from .renderer import Collected, Library, Output, RenderJob

MEDIA_TYPE = "application/pdf"
#: Slow to import and to lay out: worth a worker process of its own.
HEAVY = True
AFTER: tuple[str, ...] = ()


def outputs(locale: str, slug: str, edition: Edition) -> tuple[Output, ...]:
    base = f"{locale}/{slug}{edition.suffix}"
    leaflet = Output(f"{base}.pdf", "pdf", "leaflet", MEDIA_TYPE, locale, slug, edition.name)
    if not edition.booklet:
        return (leaflet,)
    # The imposed booklet beside its reading PDF; the name says it is for printing.
    imposed = Output(f"{base}.print.pdf", "pdf", "print", MEDIA_TYPE, locale, slug,
                     edition.name)
    return (leaflet, imposed)


def prepare() -> None:
    from . import weasy  # noqa: F401  (WeasyPrint's import is most of a PDF job's start-up)


def render(job: RenderJob, problems: Problems) -> dict[str, bytes] | None:
    from .leaflet import leaflet_html
    from .weasy import html_to_pdf, url_of

    html = leaflet_html(job, problems, url_of)
    if html is None:
        return None
    pdf = html_to_pdf(html, job.bundle, job.publication, problems)
    if pdf is None:
        return None
    files = {job.output("leaflet").path: pdf}
    if job.edition.booklet:
        from .imposition import impose_booklet
        from .templating import labels, make_environment

        pub = job.publication
        env = make_environment(job.bundle, pub.language, pub.strings)
        words = labels(env, {"meta": pub.meta}, pub.article.path, problems)
        if words is None:
            return None
        files[job.output("print").path] = impose_booklet(
            pdf, rtl=pub.direction == "rtl", title=str(words.print_title))
    return files


def collect(library: Library) -> Sequence[Collected]:
    return ()
