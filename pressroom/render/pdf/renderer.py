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
    from pressroom.render.pdf.native import import_weasyprint

    import_weasyprint()  # most of a PDF job's start-up
    from pressroom.render.pdf import weasy  # noqa: F401
    from pressroom.render.pdf.cdecls import parse_types_quickly

    parse_types_quickly()


def render(job: RenderJob, problems: Problems) -> dict[str, bytes] | None:
    prepare()  # once per process; a worker has done it already
    from pressroom.render.pdf.hyphenation import preload
    from pressroom.render.pdf.weasy import write_pdf

    preload(job.publication.language)  # once per process and language

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


#: The layout's variants for the end of the leaflet, in order of preference: the
#: references free to begin on the last page of the text; kept whole; the article's last
#: block carried over to their page (when the text fills its last page to the foot and
#: the end matter alone would fill a quarter of the next); the small print at the foot of
#: the back page (the checklist's); there, with fewer lines for the doctor's notes.
VARIANTS: tuple[dict[str, bool | int], ...] = (
    {}, {"keep_references": True}, {"carry_last": True}, {"small_print_last": True},
    {"keep_references": True, "small_print_last": True},
    {"small_print_last": True, "fewer_lines": 3})
#: Lines for the doctor's notes left out, in turn, while the notes are not on the
#: checklist's page (large print, A5): the page patients bring is one page.
FEWER_LINES = (2, 3, 5, 6)
#: The least share of its content area a page other than the last may fill: a quarter,
#: and a little more, as boxes are measured here (a line's box reaches below its glyphs).
LEAST_FILLED = 0.27


def _lay_out(job: RenderJob, problems: Problems) -> Layout | None:
    """The leaflet laid out with no page but the last under a quarter full and the
    checklist, its notes for the doctor included, on one page.

    The first layout is kept when it has both; otherwise the variants are laid out in
    turn, and the first with no sparse page (else the one with fewest such pages, then
    fewest pages) is kept; then, while the notes for the doctor stand on a page of their
    own, layouts with fewer lines for notes are tried. Only such leaflets cost the extra
    layouts.
    """
    from pressroom.render.pdf.leaflet import leaflet_html
    from pressroom.render.pdf.weasy import lay_out, url_of

    def layout_of(variant: dict[str, bool | int], report: Problems) -> Layout | None:
        html = leaflet_html(job, report, url_of, variant)
        return None if html is None else lay_out(
            html, job.bundle, job.publication,
            print_file=job.edition.bleed_mm > 0 or job.edition.crop_marks)

    best: tuple[tuple[int, int], Layout, dict[str, bool | int]] | None = None
    for variant in VARIANTS:
        layout = layout_of(variant, problems if best is None else Problems())
        if layout is None:
            break
        score = (sparse_pages(layout.pages), len(layout.pages))
        if best is None or score < best[0]:
            best = score, layout, variant
        if score[0] == 0:
            break
    if best is None:
        return None
    _, chosen, variant = best
    if notes_apart(chosen.pages):
        done = int(variant.get("fewer_lines", 0))
        for fewer in (n for n in FEWER_LINES if n > done):
            shorter = layout_of({**variant, "fewer_lines": fewer}, Problems())
            if shorter is None:
                break
            if not notes_apart(shorter.pages):
                return shorter
    return chosen


def filled(page: Page) -> float:
    """How far down its content area a page's content reaches, as a share of it."""
    from weasyprint.formatting_structure import boxes

    page_box = page._page_box
    top, height = page_box.content_box_y(), page_box.height
    root = page_box.children[0]
    lowest = top
    for box in root.descendants():
        if isinstance(box, (boxes.TextBox, boxes.ReplacedBox)) or (
                isinstance(box, boxes.BlockBox) and box.border_bottom_width):
            lowest = max(lowest, box.position_y + box.margin_height() - box.margin_bottom)
    return (lowest - top) / height if height else 1.0


def sparse_pages(pages: Sequence[Page]) -> int:
    """Pages other than the last filled less than `LEAST_FILLED`."""
    return sum(filled(page) < LEAST_FILLED for page in pages[:-1])


def _anchor_pages(pages: Sequence[Page], names: tuple[str, ...]) -> dict[str, tuple[int, float]]:
    return {name: (number, position[1]) for number, page in enumerate(pages)
            for name, position in page.anchors.items() if name in names}


def notes_apart(pages: Sequence[Page]) -> bool:
    """True when the notes for the doctor are not on the checklist's page."""
    found = _anchor_pages(pages, ("checklist", "doctor-notes"))
    return len(found) == 2 and found["checklist"][0] != found["doctor-notes"][0]


def collect(library: Library) -> Sequence[Collected]:
    return ()


def head_start(library: Library, jobs: Sequence[RenderJob]) -> None:
    return None
