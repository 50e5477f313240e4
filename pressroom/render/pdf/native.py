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

Even that first step runs `ldconfig -p` once per name: 22 programs; without them the
import took 0.43 s against 0.52 s (medians of 6, alternating). The answers depend only
on the linker's cache file, so they are kept in the user's cache folder (core/
usercache.py) under the state of that file (its size, time and inode: any `ldconfig`
run, a new key), and a later process asks ldconfig nothing.
"""

from __future__ import annotations

import contextlib
import ctypes.util
import hashlib
import io
import json
import os
import struct
import sys
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

from pressroom.core.usercache import cache_folder, keep, read_kept

#: Held while one thread imports (and patches ctypes): a second waits, then finds it done.
_IMPORTING = threading.Lock()
#: What `ldconfig -p` prints (glibc's cache of the libraries the linker knows).
LINKER_CACHE = Path("/etc/ld.so.cache")
#: Under the user's cache folder: the answers for one state of the linker's cache.
FOLDER = "libraries"


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
        remembered = None
        if cache_only is None:
            cache_only = getattr(ctypes.util, "_findSoname_ldconfig", None)
            remembered = None if cache_only is None else _Remembered.of(cache_only)
            cache_only = remembered or cache_only
        if cache_only is None or not sys.platform.startswith("linux"):
            import weasyprint
            return
        try:
            # The quick attempt prints nothing: WeasyPrint's "could not import some
            # external libraries" belongs to the full attempt, if that fails too.
            with _find_library(cache_only), contextlib.redirect_stdout(io.StringIO()):
                import weasyprint
            if remembered is not None:
                remembered.keep()
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


class _Remembered:
    """A lookup whose answers are kept for later processes, for one linker cache."""

    def __init__(self, lookup: Callable[[str], str | None], path: Path) -> None:
        self.lookup = lookup
        self.path = path
        self.known = self._read(path)
        self.asked: dict[str, str | None] = {}

    @classmethod
    def of(cls, lookup: Callable[[str], str | None]) -> _Remembered | None:
        """None without a linker cache file to key on (not glibc) or a cache folder."""
        folder = cache_folder(FOLDER)
        if folder is None:
            return None
        try:
            state = LINKER_CACHE.stat()
        except OSError:
            return None
        key = hashlib.sha256(repr((
            state.st_size, state.st_mtime_ns, state.st_ino, os.uname().machine,
            struct.calcsize("l"), sys.version_info[:2])).encode()).hexdigest()[:24]
        return cls(lookup, folder / f"{key}.json")

    @staticmethod
    def _read(path: Path) -> dict[str, str | None]:
        data = read_kept(path)
        try:
            found = json.loads(data) if data is not None else {}
        except ValueError:  # damaged: asked again, and replaced
            return {}
        if not isinstance(found, dict) or not all(
                isinstance(k, str) and (v is None or isinstance(v, str))
                for k, v in found.items()):
            return {}
        return found

    def __call__(self, name: str) -> str | None:
        if name in self.known:
            return self.known[name]
        found = self.asked[name] = self.lookup(name)
        return found

    def keep(self) -> None:
        """Once the import has succeeded with these answers; the answers kept for
        earlier states of the linker's cache are removed (one file stays)."""
        if self.asked:
            keep(self.path, json.dumps({**self.known, **self.asked}, sort_keys=True).encode())
            for older in self.path.parent.glob("*.json"):
                if older != self.path:
                    with contextlib.suppress(OSError):
                        older.unlink()
