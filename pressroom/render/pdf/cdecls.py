"""WeasyPrint's C type names parsed with only the typedefs they name.

WeasyPrint calls Pango and HarfBuzz through cffi, and asks cffi for C types by name as
it lays out and writes a PDF: `ffi.new("PangoRectangle *")`, `"hb_codepoint_t[54]"`
(one name per glyph count of each subset font). cffi parses each new name once per
process with pycparser, first declaring every typedef the library declared (64 for
WeasyPrint) so that the parser knows which words are types: 4 to 5 ms a name, 14 names
and 70 ms, measured, on the way to a fresh worker's first leaflet (a cold build, an
author's edit, the preview's proof).

A word the name does not contain cannot change how it parses, nor what it resolves to;
so while cffi parses a type name, its parser sees only the typedefs the name contains
(0.5 ms a name). The types are the same objects cffi would make (tests/unit/
test_render_pdf.py compares them, and a PDF made both ways, byte for byte). Only
WeasyPrint's own parser is changed, and only for type names, never for declarations.
"""

from __future__ import annotations

import re
from typing import Any

_WORD = re.compile(r"[A-Za-z_]\w*")
TYPEDEF = "typedef "


def parse_types_quickly() -> None:
    """Give WeasyPrint's cffi parser the quick parse of type names (once per process).
    A cffi whose parser is not as this module knows it is left alone."""
    from weasyprint.text.ffi import ffi

    parser = getattr(ffi, "_parser", None)
    original = getattr(parser, "parse_type_and_quals", None)
    if (original is None or getattr(original, "quick", False)
            or not isinstance(getattr(parser, "_declarations", None), dict)):
        return

    def parse_type_and_quals(cdecl: str) -> Any:
        """cffi's own, with the typedefs narrowed to those `cdecl` names; called by
        cffi with its lock held, as every use of the declarations is."""
        everything = parser._declarations
        words = set(_WORD.findall(cdecl))
        named = {key: value for key, value in everything.items()
                 if not key.startswith(TYPEDEF) or key[len(TYPEDEF):] in words}
        parser._declarations = named
        try:
            return original(cdecl)
        finally:
            parser._declarations = everything
            everything.update(named)  # anything the parse declared (an anonymous struct)

    parse_type_and_quals.quick = True  # type: ignore[attr-defined]
    parser.parse_type_and_quals = parse_type_and_quals
