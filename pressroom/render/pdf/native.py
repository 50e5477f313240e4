"""WeasyPrint imported with its native libraries looked up in the linker's cache only.

WeasyPrint opens Pango, HarfBuzz, fontconfig and GObject by trying each under its
Windows, macOS and Linux names in turn (`weasyprint/text/ffi.py`). For each name cffi
asks `ctypes.util.find_library`, which on Linux reads `ldconfig -p` and, for a name the
cache does not list, runs `gcc` and `ld` to search again. The Windows and macOS names are
never listed, so the import made 22 lookups and started some 40 programs: 0.2 s of its
0.7 s, measured, on the way to every leaflet a fresh worker lays out (a cold build, an
author's edit, the preview's proof).

So during WeasyPrint's import only, a name is looked up in the linker's cache alone, as
ctypes does first; WeasyPrint's Linux names (`libpango-1.0.so.0`) the dynamic linker
opens without any lookup. Should a library still fail to open (one that only `gcc`'s or
`ld`'s search finds), the import is run again with the full lookup, as if this module
did not exist. The libraries opened are the same (tests/unit/test_render_pdf.py reads
them from /proc).
"""

from __future__ import annotations

import contextlib
import ctypes.util
import io
import sys
import threading
from collections.abc import Callable, Iterator

#: Held while one thread imports (and patches ctypes): a second waits, then finds it done.
_IMPORTING = threading.Lock()


def import_weasyprint(cache_only: Callable[[str], str | None] | None = None) -> None:
    """Import WeasyPrint (once per process) the quick way when the platform allows.

    `cache_only` looks a name up in the linker's cache: by default ctypes' own first
    step on glibc (`None` where there is none; then the import is WeasyPrint's own).
    """
    if "weasyprint" in sys.modules:
        return
    with _IMPORTING:  # one thread patches and restores; the others find it imported
        if "weasyprint" in sys.modules:
            return
        cache_only = cache_only or getattr(ctypes.util, "_findSoname_ldconfig", None)
        if cache_only is None or not sys.platform.startswith("linux"):
            import weasyprint
            return
        try:
            # The quick attempt prints nothing: WeasyPrint's "could not import some
            # external libraries" belongs to the full attempt, if that fails too.
            with _find_library(cache_only), contextlib.redirect_stdout(io.StringIO()):
                import weasyprint
        except OSError:
            for name in [n for n in sys.modules if n.partition(".")[0] == "weasyprint"]:
                del sys.modules[name]  # what the failed attempt left: imported afresh
            import weasyprint  # noqa: F401  (the full lookup)


@contextlib.contextmanager
def _find_library(lookup: Callable[[str], str | None]) -> Iterator[None]:
    original = ctypes.util.find_library
    ctypes.util.find_library = lookup
    try:
        yield
    finally:
        ctypes.util.find_library = original
