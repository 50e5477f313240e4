"""The keys an edition and a brand take: one table that the loader and the README share.

The README's table of keys is generated from these rows (`key_table()`; a unit test
compares the two), so what a coordinator reads and what `editions.yaml` accepts cannot
drift apart. Only names, whether a key is required, and what it takes live here; the
checks of each value are in `config.py`.
"""

from __future__ import annotations

from dataclasses import dataclass

#: Paper names as `paper:` accepts them, in any case (`letter`, `Letter`, `LETTER`).
PAPER_NAMES = ("A4", "letter", "A5")
#: Formats an edition can name under `formats`; the renderers' registry
#: (render/protocol.RENDERERS) has the same names (a unit test compares them).
FORMAT_NAMES = ("pdf", "epub", "html")


@dataclass(frozen=True, slots=True)
class Key:
    name: str
    required: bool
    #: What the key takes, with an example, as the README table shows it.
    takes: str


EDITION = (
    Key("description", False, "text shown by `publish.py editions`"),
    Key("paper", False, "`A4` (default), `letter` or `A5`, in any case (`Letter`)"),
    Key("brand", False, "the name of a brand under `brands:`"),
    Key("large_print", False, "`true`: RNIB clear print (16 pt body and footer)"),
    Key("booklet", False, "`true`: also an A5 booklet imposed 2-up on A4 (needs"
        " `paper: A5`)"),
    Key("bleed", False, "a length in mm, at most 10: `3mm`"),
    Key("crop_marks", False, "`true`: crop marks outside the trim"),
    Key("qr", False, "a web address for a QR code: `\"{base_url}/{locale}/{slug}.html\"`"),
    Key("code", False, "leaflet code for the footer when the article gives none"),
    Key("locales", False, "only these locales: `[en, es]` (default: every locale)"),
    Key("formats", False, "only these formats: `[pdf]` (default: every format the"
        " edition has: see the table above)"),
)

BRAND = (
    Key("name", True, "the clinic's name, printed on the front and the final panel"),
    Key("address", False, "text, or a list of lines"),
    Key("phone", False, "text: `\"+44 1632 960 123\"`"),
    Key("email", False, "an e-mail address: `reception@clinic.example`"),
    Key("website", False, "a web address: `https://clinic.example`"),
    Key("logo", False, "an SVG or PNG file in the project: `styles/brands/<brand>/logo.svg`"),
    Key("accent", False, "a colour, quoted: `\"#1f6f4a\"` (contrast with white of 4.5:1 or"
        " more, or a warning names the nearest shade that has it)"),
)

EDITION_KEYS = tuple(key.name for key in EDITION)
BRAND_KEYS = tuple(key.name for key in BRAND)

#: Words a coordinator may write for a key, and the key they mean (`colour` → `accent`):
#: difflib finds typos, not synonyms.
SYNONYMS = {
    "colour": "accent", "color": "accent", "accent_colour": "accent",
    "accent_color": "accent", "e-mail": "email", "mail": "email", "telephone": "phone",
    "tel": "phone", "url": "website", "site": "website",
    "image": "logo", "title": "name", "size": "paper", "paper_size": "paper",
    "format": "formats", "locale": "locales", "language": "locales",
    "languages": "locales", "ebook": "epub", "epub3": "epub", "leaflet": "pdf",
    "page": "html", "web": "html",
}

#: Where the generated table sits in README.md.
BEGIN = "<!-- edition keys: generated from pressroom/editions/schema.py -->"
END = "<!-- end of edition keys -->"


def key_table() -> str:
    """The README's table of edition and brand keys, in Markdown."""
    rows = ["| where | key | required | takes |", "|---|---|---|---|"]
    for where, keys in (("edition", EDITION), ("brand", BRAND)):
        rows += [f"| {where} | `{key.name}` | {'yes' if key.required else 'no'} | {key.takes} |"
                 for key in keys]
    return "\n".join(rows)
