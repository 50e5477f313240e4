"""The user's cache folder: what a process keeps for the next one, so it starts faster.

A PDF worker, the preview and an author's rebuild are fresh processes each time; what
they would otherwise redo on the way to the first output (parsing hyphenation patterns,
compiling the layouts) is kept here, under the user's cache folder (platformdirs:
`~/.cache/pressroom/` on Linux, XDG_CACHE_HOME honoured), one folder per kind.

Nothing kept here is ever needed: a file that is missing, unreadable, damaged or from
other code is made again as if there were no cache, and a folder that cannot be written
is left alone. Readers check what they load (a key that names its inputs, a type).
"""

from __future__ import annotations

import contextlib
from pathlib import Path

from pressroom.core.writing import remove_stale_temporaries, write_atomic


def cache_folder(kind: str) -> Path | None:
    """The folder of one kind of kept file (platformdirs honours XDG_CACHE_HOME); None
    where there is none to ask for (a worker without platformdirs): nothing is kept."""
    try:
        import platformdirs

        return Path(platformdirs.user_cache_dir("pressroom", appauthor=False)) / kind
    except (ImportError, OSError):
        return None


def read_kept(path: Path) -> bytes | None:
    """The file's bytes, or None when it cannot be read."""
    try:
        return path.read_bytes()
    except OSError:
        return None


def keep(path: Path, data: bytes) -> None:
    """Write `path` whole (or not at all) for later processes; any failure is ignored."""
    with contextlib.suppress(Exception):  # only a cache: whatever fails, the work stands
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        remove_stale_temporaries(path.parent)  # a process killed mid-write left them
        write_atomic(path, data)
