"""Renderers declare their outputs (tests/e2e/test_portable_jobs.py runs their jobs elsewhere)."""

from __future__ import annotations

from pressroom.editions.config import Brand, Edition
from pressroom.render.protocol import renderer


def paths(fmt: str, edition: Edition) -> list[tuple[str, str]]:
    return [(o.path, o.kind) for o in renderer(fmt).outputs("en", "a", edition)]


def test_each_renderer_declares_its_outputs() -> None:
    assert paths("pdf", Edition()) == [("en/a.pdf", "leaflet")]
    assert paths("pdf", Edition("booklet", paper="A5", booklet=True)) == [
        ("en/a.booklet.pdf", "leaflet"), ("en/a.booklet.print.pdf", "print")]
    assert paths("epub", Edition()) == [("en/a.epub", "ebook")]
    assert paths("epub", Edition("clinic", brand=Brand("c", "Clinic"))) == [
        ("en/a.clinic.epub", "ebook")]
    # An edition that only changes print settings has no ebook of its own.
    assert paths("epub", Edition("letter", paper="letter")) == []
    leaflet = renderer("pdf").outputs("en", "a", Edition())[0]
    assert leaflet.url("https://example.org/leaflets/") == "https://example.org/leaflets/en/a.pdf"
