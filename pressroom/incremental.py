"""Incremental builds: an output is rebuilt only when something it is made from changed.

The manifest (`out/.pressroom-manifest.json`) records, for every output, a digest of its
inputs — the article, its images, every layout, style and catalog, Pressroom's own code
and version, the format and the reproducibility setting — and a digest of the file as
written. A missing, corrupt or foreign manifest only means everything is rebuilt; an
output that was deleted or changed since is rebuilt too. The manifest is written
atomically, like every output.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from . import __version__
from . import model as m
from .project import Project
from .resolve import Publication
from .writing import write_atomic

MANIFEST = ".pressroom-manifest.json"
SCHEMA = 1
PACKAGE_DIR = Path(__file__).resolve().parent


def _file_digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _tree_digest(folder: Path, patterns: tuple[str, ...] = ("**/*",)) -> str:
    digest = hashlib.sha256()
    for pattern in patterns:
        for path in sorted(p for p in folder.glob(pattern) if p.is_file()):
            if "__pycache__" in path.parts:
                continue
            digest.update(str(path.relative_to(folder)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


@lru_cache(maxsize=1)
def _code_digest() -> str:
    """Pressroom's own code: a change to the renderer must rebuild, version bump or not."""
    return _tree_digest(PACKAGE_DIR, ("*.py",))


def shared_digest(project: Project) -> str:
    """Everything every output depends on: layouts (and catalogs), styles, code, settings."""
    digest = hashlib.sha256()
    for part in (__version__, _code_digest(), _tree_digest(project.layouts_dir),
                 _tree_digest(project.styles_dir), os.environ.get("SOURCE_DATE_EPOCH", "")):
        digest.update(part.encode())
        digest.update(b"\0")
    return digest.hexdigest()


def inputs_digest(pub: Publication, fmt: str, shared: str) -> str:
    digest = hashlib.sha256()
    for part in (shared, fmt, _file_digest(pub.article.path)):
        digest.update(part.encode())
        digest.update(b"\0")
    images = {n.path for n in m.descendants((pub.article.lead, pub.article.sections, pub.notes))
              if isinstance(n, m.Image)}
    for image in sorted(images):
        digest.update(_file_digest(image).encode())
    return digest.hexdigest()


@dataclass
class Manifest:
    path: Path
    entries: dict[str, dict[str, str]] = field(default_factory=dict)

    @classmethod
    def load(cls, out_dir: Path) -> Manifest:
        path = out_dir / MANIFEST
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            if data.get("schema") != SCHEMA or not isinstance(data.get("outputs"), dict):
                raise ValueError("unknown manifest")
            return cls(path, {k: v for k, v in data["outputs"].items() if isinstance(v, dict)})
        except (OSError, ValueError, AttributeError):
            return cls(path)

    def _key(self, output: Path) -> str:
        return output.relative_to(self.path.parent).as_posix()

    def is_fresh(self, output: Path, inputs: str) -> bool:
        entry = self.entries.get(self._key(output))
        if entry is None or entry.get("inputs") != inputs:
            return False
        try:
            return _file_digest(output) == entry.get("output")
        except OSError:
            return False

    def record(self, output: Path, inputs: str, data: bytes) -> None:
        self.entries[self._key(output)] = {
            "inputs": inputs, "output": hashlib.sha256(data).hexdigest()
        }

    def save(self) -> None:
        payload = {"schema": SCHEMA, "outputs": dict(sorted(self.entries.items()))}
        write_atomic(self.path, json.dumps(payload, indent=1).encode("utf-8"))
