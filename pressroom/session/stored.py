"""Articles as loaded, kept on disk between runs: a new process need not parse them again.

Parsing is most of what a build that changed nothing, or one article, costs in a library
of hundreds of leaflets. Each article that loaded without a problem is kept as a pickle
in a folder beside the manifest (`out/.pressroom-cache/`), one file per article (named by
its path, so the folder never holds more files than the library has articles), with
what it was made from: the digest of its text and of the generated headings, Pressroom's
code digest, and the size and time of each image it shows. A file that does not match,
cannot be read or was written by other code is simply ignored and the article parsed:
the cache can be deleted at any time.
"""

from __future__ import annotations

import contextlib
import hashlib
import pickle
from dataclasses import dataclass
from pathlib import Path

from pressroom.content.resolve import Publication
from pressroom.content.sources import Loaded
from pressroom.core.digests import code_digest
from pressroom.core.errors import Problem
from pressroom.core.project import CACHE_FOLDER
from pressroom.core.writing import write_atomic

FOLDER = CACHE_FOLDER
Stamp = tuple[int, int] | None


@dataclass(slots=True)
class CachedLoad:
    digest: str
    loaded: Loaded
    images: tuple[tuple[Path, Stamp], ...]
    #: The article resolved: (what it was resolved with, the publication, the problems
    #: resolving reported), kept while the strings and settings are the same.
    resolved: tuple[str, Publication, list[Problem]] | None = None


class StoredLoads:
    """The on-disk half of the session's article cache. What is put is written by
    `flush`, which the build calls once its run has ended normally: a build stopped
    before it wrote anything leaves the output folder exactly as it was."""

    def __init__(self, out_dir: Path) -> None:
        self.folder = out_dir / FOLDER
        self._pending: dict[Path, CachedLoad] = {}

    def _file(self, source: Path) -> Path:
        return self.folder / f"{hashlib.sha256(str(source).encode()).hexdigest()[:32]}.pickle"

    def get(self, source: Path, digest: str) -> CachedLoad | None:
        """The article as loaded from this text before, or None."""
        try:
            data = self._file(source).read_bytes()
        except OSError:
            return None
        try:
            code, found = pickle.loads(data)
        except Exception:  # written by other code, or cut short: parse instead
            return None
        if code != code_digest() or not isinstance(found, CachedLoad) or found.digest != digest:
            return None
        return found

    def put(self, source: Path, cached: CachedLoad) -> None:
        """Keep it for the next run (written by `flush`)."""
        self._pending[source] = cached

    def flush(self) -> None:
        """Write what was put; a cache that cannot be written is no error."""
        pending, self._pending = self._pending, {}
        for source, cached in pending.items():
            with contextlib.suppress(OSError, pickle.PicklingError):
                self.folder.mkdir(parents=True, exist_ok=True)
                write_atomic(self._file(source), pickle.dumps(
                    (code_digest(), cached), protocol=pickle.HIGHEST_PROTOCOL))
