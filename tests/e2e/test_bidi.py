"""Left-to-right runs in right-to-left pages: found in the text, isolated in the HTML, and
laid out in order on the rendered page (the PDF through poppler, the EPUB in Chromium)."""

from __future__ import annotations

import html
import re
import subprocess
import zipfile
from pathlib import Path

import pytest
from markupsafe import Markup
from pypdf import PdfReader

from pressroom.content import model as m
from pressroom.core.project import Project
from pressroom.render.bidi import Isolate, isolate, isolate_text, ltr_runs


def runs(text: str) -> list[str]:
    return [text[a:b] for a, b in ltr_runs(text)]


@pytest.mark.parametrize(("text", "expected"), [
    # A brand name keeps its ™ (the reviewer's "™Tic Tamer"), in a sentence or at its end.
    ("قد توفر المستحضرات الطبيعية مثل Tic Tamer™ راحة مؤقتة", ["Tic Tamer™"]),
    ("مستحضر طبيعي مثل Tic Tamer™", ["Tic Tamer™"]),
    # The stop that ends the text is the Arabic sentence's; a stop inside is the run's.
    ("مستحضر مثل Tic Tamer.", ["Tic Tamer"]),
    ("Kurz, Jennifer, M.D. “Conditions.” Muscle Spasms. مايو 2016. تاريخ الاطلاع: 31 مارس"
     " 2019.", ["Kurz, Jennifer, M.D. “Conditions.” Muscle Spasms."]),
    ("“What You Need to Know About Muscle Twitching.” Healthline. تاريخ",
     ["“What You Need to Know About Muscle Twitching.” Healthline."]),
    # A text that is all left to right keeps everything.
    ("An English reference only.", ["An English reference only."]),
    # Numbers with units, brackets, web addresses, phone numbers.
    ("خذ 5 mg يوميًا", ["5 mg"]),
    ("خذ 2.5mg يوميًا", ["2.5mg"]),
    ("استخدم (Tic Tamer) ثم", ["(Tic Tamer)"]),
    ("زر https://example.org/a?b=1 الآن", ["https://example.org/a?b=1"]),
    ("اتصل +44 1632 960 123 الآن", ["+44 1632 960 123"]),
    # Arabic punctuation belongs to the Arabic sentence; numbers alone need no help.
    ("استخدم Tic Tamer، ثم", ["Tic Tamer"]),
    ("قد يستمر حتى 10 دقائق في 31 مارس 2019.", []),
    ("لا شيء لاتيني هنا", []),
])
def test_left_to_right_runs(text: str, expected: list[str]) -> None:
    assert runs(text) == expected


def test_plain_text_is_escaped_and_isolated() -> None:
    assert isolate_text("مثل Tic <&> Tamer™ راحة", "rtl") == Markup(
        'مثل <span dir="ltr" class="ltr-unit">Tic &lt;&amp;&gt; Tamer™</span> راحة')
    # A long run (a reference, an address) may wrap: no class.
    assert isolate_text("انظر What You Need to Know About Muscle Twitching هنا", "rtl") == Markup(
        'انظر <span dir="ltr">What You Need to Know About Muscle Twitching</span> هنا')
    # A left-to-right page is left as it is.
    assert isolate_text("Tic Tamer™ & co", "ltr") == Markup("Tic Tamer™ &amp; co")


def test_a_run_across_emphasis_is_wrapped_whole() -> None:
    nodes = (m.Text("Kurz, “Conditions.” "), m.Emphasis((m.Text("Muscle Spasms"),)),
             m.Text(". مايو 2016."))
    assert isolate(nodes, "rtl") == (
        Isolate("ltr", (m.Text("Kurz, “Conditions.” "),
                        m.Emphasis((m.Text("Muscle Spasms"),)), m.Text("."))),
        m.Text(" مايو 2016."),
    )
    assert isolate(nodes, "ltr") == nodes


def test_emphasis_is_split_at_a_run_edge() -> None:
    nodes = (m.Emphasis((m.Text("مثل Tic"),)), m.Text(" Tamer™ راحة"))
    assert isolate(nodes, "rtl") == (
        m.Emphasis((m.Text("مثل "),)),
        Isolate("ltr", (m.Emphasis((m.Text("Tic"),)), m.Text(" Tamer™")), unit=True),
        m.Text(" راحة"),
    )


def test_links_are_never_split() -> None:
    link = m.Link("https://e.org", (m.Text("link"),))
    # The whole link inside a run: one isolate around it.
    assert isolate((m.Text("Beta note with a "), link, m.Text(". تاريخ")), "rtl") == (
        Isolate("ltr", (m.Text("Beta note with a "), link, m.Text("."))), m.Text(" تاريخ"))
    # A run inside a link's text: isolated inside the link.
    arabic = m.Link("https://e.org", (m.Text("موقع Healthline الطبي"),))
    inside = (m.Text("موقع "), Isolate("ltr", (m.Text("Healthline"),), unit=True),
              m.Text(" الطبي"))
    assert isolate((m.Text("زر "), arabic), "rtl") == (
        m.Text("زر "), m.Link("https://e.org", inside))
    # A run entering a link: cut at the link's edge, so there is still one link.
    mixed = m.Link("https://e.org", (m.Text("Tamer موقع"),))
    assert isolate((m.Text("مثل Tic "), mixed), "rtl") == (
        m.Text("مثل "), Isolate("ltr", (m.Text("Tic"),), unit=True), m.Text(" "),
        m.Link("https://e.org", (Isolate("ltr", (m.Text("Tamer"),), unit=True),
                                 m.Text(" موقع"))))


def test_note_calls_and_line_breaks_end_runs() -> None:
    call = m.NoteRef("a", 1, 1, "cite-1-1")
    assert isolate((m.Text("مثل Tic Tamer."), call), "rtl") == (
        m.Text("مثل "), Isolate("ltr", (m.Text("Tic Tamer"),), unit=True), m.Text("."), call)
    assert isolate((m.Text("Tic"), m.LineBreak(), m.Text("Tamer مثل")), "rtl") == (
        Isolate("ltr", (m.Text("Tic"),), unit=True), m.LineBreak(),
        Isolate("ltr", (m.Text("Tamer"),), unit=True), m.Text(" مثل"))


# --- on the rendered page -----------------------------------------------------------------

#: The leaflet's left and right page margins (styles/leaflet.css, layouts/leaflet.html.j2).
MARGIN_MM = {"A4": 22, "letter": 22, "A5": 15}
PAPER_WIDTHS = {"A4": 595.276, "letter": 612.0, "A5": 419.528}  # points
MM = 72 / 25.4
TOLERANCE = 0.5  # points
Word = tuple[str, float, float, float, float]  # text, xMin, yMin, xMax, yMax


def words(pdf: Path) -> list[list[Word]]:
    """Per page, (text, xMin, yMin, xMax, yMax) of every word, as poppler lays it out."""
    out = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True,
                         text=True, check=True).stdout
    pattern = (r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">'
               r"([^<]*)</word>")
    return [[(html.unescape(w), float(a), float(b), float(c), float(d))
             for a, b, c, d, w in re.findall(pattern, page)]
            for page in out.split("<page ")[1:]]


def same_line(a: Word, b: Word) -> bool:
    """Boxes that overlap by half their height (Arabic and Latin glyphs differ in height,
    so their tops do not line up)."""
    overlap = min(a[4], b[4]) - max(a[2], b[2])
    return overlap > 0.5 * min(a[4] - a[2], b[4] - b[2])


def brand_names(page: list[Word]) -> list[str]:
    """How each "Tic Tamer™" of a page is laid out: "one line" when "Tic" stands just left
    of "Tamer™" on one line; "wrapped" when the run breaks between them, as an isolated
    run does in right-to-left text: "Tic" ends a line (on its left), "Tamer™" starts the
    next one (on its right)."""
    found = []
    for tamer in (w for w in page if "Tamer" in w[0]):
        line = sorted((w for w in page if same_line(w, tamer)), key=lambda w: w[1])
        left = [w for w in line if w[3] <= tamer[1]]
        if left and left[-1][0] == "Tic":
            found.append(f"one line: {left[-1][0]} {tamer[0]}")
            continue
        above = [w for w in page if w[0] == "Tic" and w[4] <= tamer[2] + 1
                 and tamer[2] - w[2] < 2.5 * (tamer[4] - tamer[2]) and w[1] < tamer[1]]
        found.append(f"wrapped: {above[0][0]} / {tamer[0]}" if above else f"lost: {tamer[0]}")
    return found


@pytest.mark.parametrize(("name", "expected"), [
    ("muscle-spasms.pdf", ["one line: Tic Tamer™", "one line: Tic Tamer™"]),
    # The booklet's narrow checklist column once broke it: a short run stays on one line.
    ("muscle-spasms.booklet.pdf", ["one line: Tic Tamer™", "one line: Tic Tamer™"]),
])
def test_brand_name_reads_in_order_in_the_arabic_leaflet(
        editions_project: Project, name: str, expected: list[str]) -> None:
    """The body text, then the checklist page: "Tic" then "Tamer™", never "™Tic Tamer"."""
    pages = words(editions_project.out_dir / "ar" / name)
    assert [found for page in pages for found in brand_names(page)] == expected
    assert not [w for page in pages for w in page if w[0].startswith("™")]


def arabic_reading_pdfs(project: Project) -> list[Path]:
    return sorted(p for p in (project.out_dir / "ar").glob("*.pdf")
                  if not p.name.endswith(".print.pdf"))


def test_every_arabic_line_stays_inside_the_column(editions_project: Project) -> None:
    """Every word of every page of every Arabic reading PDF (the seed and the fixture using
    every construct, every edition) lies between the page's side margins."""
    pdfs = arabic_reading_pdfs(editions_project)
    assert {p.name for p in pdfs} >= {"muscle-spasms.pdf", "muscle-spasms.booklet.pdf",
                                      "complete.pdf", "complete.print-ready.pdf"}
    outside = []
    for pdf in pdfs:
        reader = PdfReader(pdf)
        for number, (page, page_words) in enumerate(zip(reader.pages, words(pdf),
                                                        strict=True), 1):
            media_left = float(page.mediabox.left)
            trim = page.trimbox  # the page as cut: the media box less any bleed
            paper = next(p for p, width in PAPER_WIDTHS.items()
                         if abs(width - float(trim.width)) < 1)
            left = float(trim.left) - media_left + MARGIN_MM[paper] * MM
            right = float(trim.right) - media_left - MARGIN_MM[paper] * MM
            outside += [(pdf.name, number, w[0], round(w[1], 1), round(w[3], 1))
                        for w in page_words
                        if w[1] < left - TOLERANCE or w[3] > right + TOLERANCE]
    assert outside == []


def test_the_fixture_keeps_its_runs_in_order(editions_project: Project) -> None:
    """The fixture's Latin runs: an English reference with an italic title, and a
    reference that is a link inside a sentence, each read left to right."""
    pages = words(editions_project.out_dir / "ar" / "complete.pdf")
    text = [" ".join(w[0] for w in sorted(line, key=lambda w: w[1]))
            for page in pages for line in _lines(page)]
    assert any("Kurz, Jennifer, M.D. “Conditions.” Muscle Spasms." in t for t in text), text
    assert any("Beta note with a link." in t for t in text), text
    assert any("“What You Need to Know About Muscle Twitching.” Healthline." in t
               for t in text), text


def _lines(page: list[Word]) -> list[list[Word]]:
    lines: list[list[Word]] = []
    for word in sorted(page, key=lambda w: w[2]):
        if lines and same_line(lines[-1][0], word):
            lines[-1].append(word)
        else:
            lines.append([word])
    return lines


# --- the ebook, in a browser ------------------------------------------------------------------

POSITIONS = """([needle, marks]) => {
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  let node;
  while ((node = walker.nextNode())) {
    const at = node.data.indexOf(needle);
    if (at < 0) continue;
    return marks.map((offset) => {
      const range = document.createRange();
      range.setStart(node, at + offset);
      range.setEnd(node, at + offset + 1);
      const box = range.getBoundingClientRect();
      return [box.left, box.top];
    });
  }
  return null;
}"""


def test_arabic_ebook_isolates_and_orders_its_runs(editions_project: Project,
                                                   tmp_path: Path, chromium) -> None:
    with zipfile.ZipFile(editions_project.out_dir / "ar" / "muscle-spasms.epub") as book:
        book.extractall(tmp_path)
    documents = tmp_path / "EPUB"
    checklist = (documents / "checklist.xhtml").read_text(encoding="utf-8")
    assert ('<label for="remedy-1">مستحضر طبيعي مثل <span dir="ltr" class="ltr-unit">Tic'
            ' Tamer™</span></label>') in checklist
    section = (documents / "section-4.xhtml").read_text(encoding="utf-8")
    assert 'مثل <span dir="ltr" class="ltr-unit">Tic Tamer™</span> راحة' in section
    references = (documents / "references.xhtml").read_text(encoding="utf-8")
    assert ('<span dir="ltr">Kurz, Jennifer, M.D. “Conditions.” <em>Muscle Spasms</em>.</span>'
            in references)

    context = chromium.new_context()
    try:
        page = context.new_page()
        found = {}
        for name, needle, marks in (
            ("checklist.xhtml", "Tic Tamer™", [0, 4, 9]),  # T(ic), T(amer), ™
            ("section-4.xhtml", "Tic Tamer™", [0, 4, 9]),
            ("references.xhtml", "Kurz", [0]),
            ("references.xhtml", "Muscle Spasms", [0]),
        ):
            page.goto((documents / name).as_uri())
            found[(name, needle)] = page.evaluate(POSITIONS, [needle, marks])
    finally:
        context.close()
    for name in ("checklist.xhtml", "section-4.xhtml"):
        (tic, tic_top), (tamer, tamer_top), (mark, mark_top) = found[(name, "Tic Tamer™")]
        assert tic_top == tamer_top == mark_top, name  # on one line
        assert tic < tamer < mark, (name, tic, tamer, mark)
    ((kurz, kurz_top),) = found[("references.xhtml", "Kurz")]
    ((muscle, muscle_top),) = found[("references.xhtml", "Muscle Spasms")]
    assert kurz_top == muscle_top and kurz < muscle


def test_a_run_broken_across_lines_stays_inside_the_margin(tmp_path: Path) -> None:
    """WeasyPrint 70 left an Arabic line a space too far right when it broke inside an
    isolated left-to-right run, between two of its boxes (before its italic title):
    pressroom.weasy corrects it. Several lengths of Arabic before the run, so that some
    lines break there."""
    from weasyprint import HTML

    import pressroom.render.pdf.weasy  # noqa: F401  (the correction applies to WeasyPrint's layout)

    run = ("An English reference only, with a title long enough to wrap onto a second line"
           " in an Arabic leaflet. <em>Journal of Long Titles</em>, 2019;12(3):45\u201367.")
    paragraphs = "".join(f'<p>{"عربي " * n}<span dir="ltr">{run}</span></p>' for n in range(1, 9))
    pdf = tmp_path / "lines.pdf"
    HTML(string=f'<html lang="ar" dir="rtl"><style>@page {{ size: 612pt 792pt; margin: 22mm }}'
         ' body { margin: 0; font: 10pt/1.4 "Noto Sans", "Noto Sans Arabic" }</style>'
         f"<body>{paragraphs}</body></html>").write_pdf(pdf)
    (page,) = words(pdf)
    assert max(w[3] for w in page) <= 612 - 22 * MM + TOLERANCE
    assert min(w[1] for w in page) >= 22 * MM - TOLERANCE


def test_the_arabic_booklet_keeps_the_brand_name_on_one_line(editions_project: Project) -> None:
    """Read back with pdfplumber (another reader than poppler): on every page of the Arabic
    booklet, each "Tamer™" has "Tic" just left of it on the same line — the checklist's
    narrow column included, where the short run used to break."""
    import pdfplumber

    found = []
    with pdfplumber.open(editions_project.out_dir / "ar" / "muscle-spasms.booklet.pdf") as pdf:
        for number, page in enumerate(pdf.pages, 1):
            page_words = page.extract_words()
            for tamer in (w for w in page_words if w["text"].startswith("Tamer")):
                left = [w for w in page_words if abs(w["top"] - tamer["top"]) < 2
                        and w["x1"] <= tamer["x0"] + 0.5]
                nearest = max(left, key=lambda w: w["x1"]) if left else None
                found.append((number, nearest["text"] if nearest else None, tamer["text"],
                              round(tamer["x0"] - nearest["x1"], 1) if nearest else None))
    assert [(f[1], f[2]) for f in found] == [("Tic", "Tamer™"), ("Tic", "Tamer™")], found
    assert all(0 <= f[3] < 6 for f in found), found  # one space apart, not a line apart
