"""The PDF renderer: the leaflet of every edition, and a booklet edition's print file.

Declares `<slug><edition>.pdf` (and `<slug><edition>.print.pdf`, the booklet imposed for
printing); renders through the layout (leaflet.py) and WeasyPrint (weasy.py), both
imported only when a PDF is rendered.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from pressroom.core.errors import Problems
from pressroom.editions.config import Edition
from pressroom.render.protocol import Collected, Files, Library, Output, RenderJob

if TYPE_CHECKING:
    from weasyprint.document import Page

    from pressroom.render.pdf.weasy import Layout

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
    from pressroom.render.pdf import weasy  # noqa: F401  (WeasyPrint's import is most of a PDF job's start-up)


def render(job: RenderJob, problems: Problems) -> dict[str, bytes] | None:
    from pressroom.render.pdf.weasy import write_pdf

    layout = _lay_out(job, problems)
    if layout is None:
        return None
    pdf = write_pdf(layout, job.publication, problems)
    if pdf is None:
        return None
    leaflet = job.output("leaflet").path
    files = Files({leaflet: pdf}, {leaflet: len(layout.pages)})
    if job.edition.booklet:
        from pressroom.render.pdf.imposition import impose_booklet
        from pressroom.render.templating import labels, make_environment

        pub = job.publication
        env = make_environment(job.bundle, pub.language, pub.strings)
        words = labels(env, {"meta": pub.meta}, pub.article.path, problems)
        if words is None:
            return None
        files[job.output("print").path] = impose_booklet(
            pdf, rtl=pub.direction == "rtl", title=str(words.print_title))
    return files


#: The layout's variants for the end of the leaflet, in order of preference: the small
#: print after the references; at the foot of the back page (the checklist's); there,
#: with fewer lines for the doctor's notes.
VARIANTS: tuple[dict[str, bool], ...] = (
    {}, {"small_print_last": True}, {"small_print_last": True, "fewer_lines": True})


def _lay_out(job: RenderJob, problems: Problems) -> Layout | None:
    """The leaflet laid out, without a page that holds only its end matter.

    When the references and small print spill onto a page of their own before the
    checklist, the next variants are laid out too, and the first that saves that page is
    kept. Only such leaflets cost the extra layouts.
    """
    from pressroom.render.pdf.leaflet import leaflet_html
    from pressroom.render.pdf.weasy import lay_out, url_of

    first: Layout | None = None
    for variant in VARIANTS:
        html = leaflet_html(job, problems if first is None else Problems(), url_of, variant)
        if html is None:
            return first
        layout = lay_out(html, job.bundle, job.publication,
                         print_file=job.edition.bleed_mm > 0 or job.edition.crop_marks)
        if first is None:
            if not end_matter_alone(layout.pages):
                return layout
            first = layout
        elif len(layout.pages) < len(first.pages):
            return layout
    return first


#: How far below the checklist's top (CSS px) a page's first end matter may start and
#: still count as starting the page (both sit at the top margin).
_AT_TOP = 2.0


def end_matter_alone(pages: Sequence[Page]) -> bool:
    """True when the page before the checklist starts with the references or the small
    print: it holds nothing of the article itself."""
    found = {name: (number, position[1]) for number, page in enumerate(pages)
             for name, position in page.anchors.items()
             if name in ("references", "about", "checklist")}
    if "checklist" not in found:
        return False
    checklist_page, top = found["checklist"]
    return any(number == checklist_page - 1 and y <= top + _AT_TOP
               for name, (number, y) in found.items() if name != "checklist")


def collect(library: Library) -> Sequence[Collected]:
    return ()
