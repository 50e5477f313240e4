"""Digests that decide what a build must redo: of files, of Pressroom's own code, of parts.

An output is rebuilt when the digest of its inputs changes. Pressroom's code is one of
those inputs — a fixed renderer must rebuild what it renders — so its digest covers every
module of the package at any depth (a module moved into a subpackage still counts), and
every file that ships with it (the preview's page, the default layouts, styles and
catalogs, wherever they are read from: core/defaults.py). A worker of a cluster build
computes the same digest, so a worker running other code is refused (build/machine.py).
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path

from pressroom import __version__
from pressroom.core.defaults import KINDS, default_dir

#: The package's root folder: the code whose change rebuilds everything.
PACKAGE_DIR = Path(__file__).resolve().parent.parent
#: What counts as code: Python modules and the templates the package itself ships.
CODE_SUFFIXES = (".py", ".j2", ".css", ".js")
#: Where the default layouts and styles are inside an installed package.
DEFAULTS = "defaults/"


def file_digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@lru_cache(maxsize=1)
def code_digest() -> str:
    """Pressroom's own code and version, every module at any depth (named by its path
    inside the package, so a module that moved counts as a change)."""
    digest = hashlib.sha256(__version__.encode())
    files = [(path.relative_to(PACKAGE_DIR).as_posix(), path)
             for path in PACKAGE_DIR.rglob("*") if path.suffix in CODE_SUFFIXES]
    files = [(name, path) for name, path in files if not name.startswith(DEFAULTS)]
    for kind in KINDS:  # every default file, named alike from a checkout or a wheel
        folder = default_dir(kind)
        files += [(f"{DEFAULTS}{kind}/{path.relative_to(folder).as_posix()}", path)
                  for path in folder.rglob("*") if path.is_file()]
    for name, path in sorted(files):
        if "__pycache__" in name:
            continue
        digest.update(name.encode())
        digest.update(b"\0")
        digest.update(path.read_bytes())
    return digest.hexdigest()


def strings_digest(strings: Mapping[str, str]) -> str:
    """A locale's UI strings as one digest: what a job and a resolved article read of them."""
    return hashlib.sha256(repr(sorted(strings.items())).encode()).hexdigest()


def digest_parts(*parts: str) -> str:
    digest = hashlib.sha256()
    for part in parts:
        digest.update(part.encode())
        digest.update(b"\0")
    return digest.hexdigest()
