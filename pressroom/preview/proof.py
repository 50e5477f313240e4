"""The printed proof: a leaflet's PDF pages as images, for the live preview.

An author wants to see the page breaks, the contents' page numbers and the checklist
page exactly as they will print, next to the text they are editing. PDFium (through
pypdfium2) draws each page of the PDF that was just built; the images are what the
printer gets, not a browser's approximation of it.
"""

from __future__ import annotations

from io import BytesIO

#: Pixels per inch of the proof images: a whole A4 page is about 920 px tall, sharp
#: enough to read at a glance and to see a line break.
RESOLUTION = 110
#: JPEG, not PNG: encoding a page as PNG took five times longer, and the proof is for
#: seeing the layout (at this quality the text edges stay clean).
QUALITY = 88
MEDIA_TYPE = "image/jpeg"
SUFFIX = ".jpg"


def proof_pages(pdf: bytes, resolution: int = RESOLUTION) -> list[tuple[bytes, int, int]]:
    """Each page of the PDF as an image, in order, with its width and height in pixels
    (the panel sizes each image before it loads: a lazy image without a size has none)."""
    import pypdfium2

    document = pypdfium2.PdfDocument(pdf)
    try:
        images = []
        for index in range(len(document)):
            page = document[index]
            try:
                bitmap = page.render(scale=resolution / 72, rev_byteorder=True)
                buffer = BytesIO()
                image = bitmap.to_pil()
                image.save(buffer, "JPEG", quality=QUALITY)
                images.append((buffer.getvalue(), image.width, image.height))
            finally:
                page.close()
        return images
    finally:
        document.close()
