"""Hyphenation patterns kept parsed between processes, in the user's cache folder.

WeasyPrint hyphenates with pyphen, which parses a language's `hyph_*.dic` the first time
a process lays out a line in that language: 0.05 to 0.15 s for English, Spanish or French
and over half a second for German, measured. A PDF worker is a fresh process on every
build (a cold build, an author's edit, the preview's first proof), so that parse sat on
the way to every leaflet. The parsed patterns are pickled once into the user's cache
folder (platformdirs: `~/.cache/pressroom/` on Linux) and loaded from there in a few
milliseconds: the same patterns, so the same leaflet to the byte.

The cache is only an optimisation: a file that is missing, unreadable, from another
pyphen or another dictionary is parsed as pyphen would, and a folder that cannot be
written is left alone.
"""

from __future__ import annotations

import hashlib
import pickle
from pathlib import Path

from pressroom.core.usercache import cache_folder, keep, read_kept

#: Under the user's cache folder: one file per dictionary, pyphen version and file state.
FOLDER = "hyphenation"


def preload(language: str) -> None:
    """Have pyphen's dictionary for `language` parsed before the layout asks for it:
    from the cache when it holds this dictionary, else parsed now and cached."""
    import pyphen

    name = pyphen.language_fallback(language) if language else None
    path = pyphen.LANGUAGES.get(name) if name else None
    cache = getattr(pyphen, "hdcache", None)
    if path is None or not isinstance(cache, dict) or path in cache:
        return  # no dictionary (Arabic), or this process has it already
    folder = cache_folder(FOLDER)
    if folder is None:
        return  # no cache folder: pyphen's own way, when the layout asks
    try:
        stored = folder / f"{_key(path, pyphen.VERSION)}.pickle"
    except (OSError, AttributeError):  # no file to key on: pyphen's own way too
        return
    cache[path] = _load(stored, pyphen.HyphDict) or _parsed(path, stored, pyphen.HyphDict)


def _key(path: Path, version: str) -> str:
    """The dictionary file, its size and time, and pyphen's version: any change, a new
    file (the pickled object is pyphen's own class)."""
    state = Path(path).stat()
    return hashlib.sha256(repr((str(path), state.st_size, state.st_mtime_ns, version)
                               ).encode()).hexdigest()[:24]


def _load(stored: Path, kind: type) -> object | None:
    data = read_kept(stored)
    try:
        found = None if data is None else pickle.loads(data)  # the user's own cache folder
    except Exception:  # truncated, or pickled by an incompatible pyphen
        return None
    return found if isinstance(found, kind) else None


def _parsed(path: Path, stored: Path, kind: type) -> object:
    parsed = kind(path)
    try:
        data = pickle.dumps(parsed, protocol=pickle.HIGHEST_PROTOCOL)
    except Exception:  # only a cache: the parse stands
        return parsed
    keep(stored, data)
    return parsed
