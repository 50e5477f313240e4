"""Author links must lead somewhere in every output; images must be real images."""

from __future__ import annotations

from pathlib import Path

from conftest import DATA, load
from helpers import messages
from PIL import Image

from pressroom.content.images import image_problem
from pressroom.content.links import check_links
from pressroom.core.errors import Problems


def test_broken_fragment_and_file_links_are_errors() -> None:
    article, _ = load(DATA / "errors" / "links.md")
    later = Problems()
    check_links(article, later)
    assert messages(later) == [
        "links.md:7: error: link to '#nowhere': no heading of this article has that id"
        " (ids: body)",
        "links.md:7: error: link to 'other.md' is a file path: link to a web address"
        " (https://…) or to a heading (#id)",
    ]


def test_layout_parts_and_web_links_are_fine(tmp_path: Path) -> None:
    article = tmp_path / "ok.md"
    article.write_text(
        "---\ntitle: T\nchecklist:\n  symptoms: [Pain]\n---\n\n# Sec\n\n"
        "[refs](#references), [list](#checklist), [sec](#sec), [web](https://example.org),"
        " [mail](mailto:a@b.org), [phone](tel:+441234).[^n]\n\n[^n]: A note.\n",
        encoding="utf-8",
    )
    loaded, problems = load(article)
    check_links(loaded, problems)
    assert not list(problems)


def test_image_checks(tmp_path: Path) -> None:
    Image.new("RGB", (2, 2)).save(tmp_path / "ok.png")
    Image.new("RGB", (2, 2)).save(tmp_path / "bitmap.bmp")
    (tmp_path / "fake.png").write_text("nope", encoding="utf-8")
    (tmp_path / "ok.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg"/>', "utf-8")
    (tmp_path / "bad.svg").write_text("<svg", encoding="utf-8")
    assert image_problem(tmp_path / "ok.png") == ""
    assert image_problem(tmp_path / "ok.svg") == ""
    assert image_problem(tmp_path / "bitmap.bmp") == (
        "is a BMP image: use PNG, JPEG, GIF, WebP or SVG"
    )
    assert image_problem(tmp_path / "fake.png") == "is not a readable image file"
    assert image_problem(tmp_path / "bad.svg") == "is not a readable SVG file"


def test_a_web_address_without_https_says_to_add_it(tmp_path: Path) -> None:
    article = tmp_path / "www.md"
    article.write_text(
        "---\ntitle: T\n---\n\n# Sec\n\n[NHS](www.nhs.uk), [page](nhs.uk/conditions/cramps)"
        " and [a file](leaflet.pdf).\n", encoding="utf-8")
    loaded, problems = load(article)
    check_links(loaded, problems)
    assert messages(problems) == [
        "www.md:7: error: link to 'leaflet.pdf' is a file path: link to a web address"
        " (https://…) or to a heading (#id)",
        "www.md:7: error: link to 'nhs.uk/conditions/cramps': add https:// in front"
        " (https://nhs.uk/conditions/cramps)",
        "www.md:7: error: link to 'www.nhs.uk': add https:// in front (https://www.nhs.uk)",
    ]
