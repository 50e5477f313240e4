"""The files a render job reads, carried with it: named, content-addressed, read once.

A job never opens the project folder: the session reads the layouts, styles, images
and logo it needs into a `Bundle` (name → digest, digest → bytes), and the renderer
reads them back by name. So a job can run in another process or on another machine,
what it may read is exactly what it was given, and the digest of its bundle is the
digest of everything it depends on.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

#: Where an edition's logo is in a bundle (its own extension appended).
LOGO = "brand/logo"


def digest_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def asset_name(digest: str, suffix: str) -> str:
    """An author's image by content, as the job and the site know it: `assets/1a2b….png`."""
    return f"assets/{digest[:20]}{suffix.lower()}"


@dataclass(frozen=True, slots=True, eq=False)
class Bundle:
    #: Name (`layouts/leaflet.html.j2`, `styles/leaflet.css`, `assets/….png`) → digest.
    names: Mapping[str, str] = field(default_factory=dict)
    #: Digest → contents.
    blobs: Mapping[str, bytes] = field(default_factory=dict)

    def read(self, name: str) -> bytes | None:
        key = self.names.get(name)
        return None if key is None else self.blobs[key]

    def text(self, name: str) -> str | None:
        data = self.read(name)
        return None if data is None else data.decode("utf-8")

    def under(self, prefix: str) -> Iterator[str]:
        return (name for name in sorted(self.names) if name.startswith(prefix))

    def __or__(self, other: Bundle) -> Bundle:
        return Bundle({**self.names, **other.names}, {**self.blobs, **other.blobs})

    def fingerprint(self) -> str:
        """One digest for every name and its content: equal bundles, equal inputs."""
        digest = hashlib.sha256()
        for name in sorted(self.names):
            digest.update(f"{name}\0{self.names[name]}\0".encode())
        return digest.hexdigest()


@dataclass(slots=True)
class FileStore:
    """Reads project files, once per change (keyed by size and modification time)."""

    _cache: dict[Path, tuple[tuple[int, int], str, bytes]] = field(default_factory=dict)

    def read(self, path: Path) -> tuple[str, bytes]:
        """(digest, contents); raises OSError like open() would."""
        stat = path.stat()
        stamp = (stat.st_size, stat.st_mtime_ns)
        cached = self._cache.get(path)
        if cached is not None and cached[0] == stamp:
            return cached[1], cached[2]
        data = path.read_bytes()
        key = digest_of(data)
        self._cache[path] = (stamp, key, data)
        return key, data

    def bundle(self, files: Mapping[str, Path]) -> Bundle:
        """The given files under the given names."""
        names, blobs = {}, {}
        for name, path in files.items():
            key, data = self.read(path)
            names[name], blobs[key] = key, data
        return Bundle(names, blobs)

    def tree(self, folder: Path, prefix: str, skip: Iterable[str] = ()) -> Bundle:
        """Every file under `folder` as `prefix/relative/path` (folders in `skip` left out)."""
        skipped = tuple(skip)
        files = {}
        for path in sorted(folder.rglob("*")) if folder.is_dir() else ():
            relative = path.relative_to(folder).as_posix()
            if not path.is_file() or relative.startswith(skipped) or "__pycache__" in relative:
                continue
            files[f"{prefix}/{relative}"] = path
        return self.bundle(files)

    def assets(self, paths: Iterable[Path]) -> tuple[Bundle, dict[Path, str]]:
        """Images by content (`assets/<digest>.png`), and each path's name in the bundle."""
        names, blobs, where = {}, {}, {}
        for path in paths:
            key, data = self.read(path)
            name = asset_name(key, path.suffix)
            names[name], blobs[key], where[path] = key, data, name
        return Bundle(names, blobs), where
