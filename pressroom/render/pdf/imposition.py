"""Folded booklets: A5 pages imposed 2-up on A4 landscape sheets in saddle-stitch order.

Printed double-sided (flip on the short edge) and folded, the sheets read in order.
Blank pages make the count a multiple of four; they go just before the last page, so the
leaflet's final panel (checklist, clinic details) stays on the back cover. For a
right-to-left leaflet the booklet opens the other way: each sheet's halves swap.
The print file is a separate output, for the printer: untagged (PDF/UA does not apply
to imposed sheets), with the language and title of the reading PDF, which stays tagged
and accessible.
"""

from __future__ import annotations

from io import BytesIO

from pypdf import PageObject, PdfReader, PdfWriter, Transformation
from pypdf.generic import NameObject, TextStringObject

A4_LANDSCAPE = (841.89, 595.276)


def saddle_stitch_order(
    pages: int, blanks_before: int | None = None
) -> list[tuple[int | None, int | None]]:
    """(left, right) page indexes for each sheet side, None for a blank; LTR reading.

    The blank pages go before page index `blanks_before` (by default the last page), so
    the pages from there on — the checklist and the back panel — stay together at the end.
    """
    total = -(-pages // 4) * 4
    blanks = total - pages
    at = pages - 1 if blanks_before is None else max(1, min(blanks_before, pages))
    sequence: list[int | None] = [*range(at), *([None] * blanks), *range(at, pages)]
    sides = []
    for i in range(total // 2):
        if i % 2 == 0:  # front of a sheet: outer page on the left
            sides.append((sequence[total - 1 - i], sequence[i]))
        else:
            sides.append((sequence[i], sequence[total - 1 - i]))
    return sides


def _page_of(reader: PdfReader, destination: str) -> int | None:
    """The page a named destination (an element id, like "checklist") is on."""
    target = reader.named_destinations.get(destination)
    return reader.get_destination_page_number(target) if target is not None else None


def impose_booklet(pdf: bytes, rtl: bool = False, title: str = "") -> bytes:
    """The print file; `title` is its document title (the layouts word it)."""
    reader = PdfReader(BytesIO(pdf))
    pages = list(reader.pages)
    # Blank pages go before the checklist, which may take two pages, so its notes never
    # end up on the back cover with blank pages in between.
    checklist = _page_of(reader, "checklist")
    width = float(pages[0].mediabox.width)
    height = float(pages[0].mediabox.height)
    # A5 is 148 mm wide, A4 297 mm long: the pair is centred on a true A4 sheet.
    sheet_width, sheet_height = max(2 * width, A4_LANDSCAPE[0]), max(height, A4_LANDSCAPE[1])
    x0, y0 = (sheet_width - 2 * width) / 2, (sheet_height - height) / 2
    writer = PdfWriter()
    for left, right in saddle_stitch_order(len(pages), checklist):
        if rtl:
            left, right = right, left
        side = PageObject.create_blank_page(width=sheet_width, height=sheet_height)
        for index, offset in ((left, x0), (right, x0 + width)):
            if index is not None:
                side.merge_transformed_page(pages[index],
                                            Transformation().translate(offset, y0))
        writer.add_page(side)
    writer.add_metadata({"/Title": title or str(reader.metadata.get("/Title", ""))})
    # A file for the printer, not for reading: its sheets carry two pages each, so it is
    # not tagged (the reading PDF beside it is). What costs nothing is kept: the
    # language, and the title shown instead of the file name.
    lang = reader.root_object.get("/Lang")
    if lang is not None:
        writer.root_object[NameObject("/Lang")] = TextStringObject(str(lang))
    writer.create_viewer_preferences().display_doctitle = True
    out = BytesIO()
    writer.write(out)
    return out.getvalue()
