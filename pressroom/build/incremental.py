"""Incremental builds: an output is rebuilt only when something it is made from changed.

The manifest (`out/.pressroom-manifest.json`) records, for every output a build wrote,
a digest of its inputs (see `RenderJob.inputs`: the article, its bundle of layouts,
styles, images and logo, its UI strings, the edition, the settings and Pressroom's own
code), a digest of the file as written, and whose output it is — so a later build knows
what is fresh, and which files to remove when their article, locale or edition is gone.
A missing, corrupt or foreign manifest only means everything is rebuilt; an output that
was deleted or changed since is rebuilt too. The manifest is written atomically, like
every output.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from pressroom.core.digests import file_digest
from pressroom.core.writing import write_atomic

MANIFEST = ".pressroom-manifest.json"
SCHEMA = 3


@dataclass
class Manifest:
    path: Path
    #: Output path (relative to the output folder, `/`-separated) → its record.
    entries: dict[str, dict[str, Any]] = field(default_factory=dict)
    #: A folder of draft builds (`build --draft`), which an ordinary build must not mix
    #: with its outputs (nor a draft build with theirs).
    drafts: bool = False

    @classmethod
    def load(cls, out_dir: Path) -> Manifest:
        path = out_dir / MANIFEST
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            if data.get("schema") != SCHEMA or not isinstance(data.get("outputs"), dict):
                raise ValueError("unknown manifest")
            return cls(path, {k: v for k, v in data["outputs"].items() if isinstance(v, dict)},
                       data.get("drafts") is True)
        except (OSError, ValueError, AttributeError):
            return cls(path)

    @property
    def out_dir(self) -> Path:
        return self.path.parent

    def file(self, output: str) -> Path:
        return self.out_dir.joinpath(*PurePosixPath(output).parts)

    def is_fresh(self, output: str, inputs: str) -> bool:
        """For a folder output (`pagefind/en/`): every file recorded in it."""
        if output.endswith("/"):
            files = self.files_of(output)
            return bool(files) and all(self.is_fresh(name, inputs) for name in files)
        entry = self.entries.get(output)
        if entry is None or entry.get("inputs") != inputs:
            return False
        try:
            return file_digest(self.file(output)) == entry.get("output")
        except OSError:
            return False

    def holds(self, output: str, data: bytes) -> bool:
        """The file is there, as recorded, with these bytes."""
        entry = self.entries.get(output)
        if entry is None or entry.get("output") != hashlib.sha256(data).hexdigest():
            return False
        try:
            return file_digest(self.file(output)) == entry.get("output")
        except OSError:
            return False

    def record(self, output: str, inputs: str, data: bytes, owner: str, pages: int = 0,
               folder: str = "") -> None:
        """`owner` says who declares the output: `article` or `collection:<format>`;
        `folder`, the folder output the file belongs to (its files are named by the tool
        that makes them, like a search index's)."""
        self.entries[output] = {
            "inputs": inputs, "output": hashlib.sha256(data).hexdigest(), "owner": owner,
            "size": len(data), "pages": pages,
        }
        if folder:
            self.entries[output]["folder"] = folder

    def files_of(self, folder: str) -> list[str]:
        """The files last written for a folder output."""
        return sorted(k for k, v in self.entries.items() if v.get("folder") == folder)

    def facts(self, output: str) -> tuple[int, int, str] | None:
        """(size, pages, digest) of an output as last written, if it is there."""
        entry = self.entries.get(output)
        if entry is None or not self.file(output).is_file():
            return None
        return int(entry.get("size", 0)), int(entry.get("pages", 0)), str(entry.get("output"))

    def recorded(self, owner: str) -> list[str]:
        return sorted(k for k, v in self.entries.items() if v.get("owner") == owner)

    def forget(self, outputs: Iterable[str]) -> None:
        for output in outputs:
            self.entries.pop(output, None)

    def save(self) -> None:
        payload: dict[str, object] = {"schema": SCHEMA}
        if self.drafts:
            payload["drafts"] = True
        payload["outputs"] = dict(sorted(self.entries.items()))
        write_atomic(self.path, json.dumps(payload, indent=1).encode("utf-8"))
