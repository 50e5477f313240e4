"""A build that would change nothing, known from file times alone: the no-op in milliseconds.

The ordinary build decides output by output (incremental.py), which means reading back
every article of the library (session/stored.py) and every output's digest: half a
second at 150 leaflets, for a build that writes nothing. So a build that ended without
an error records a stamp: the size, time and inode of every file it could have read
(the articles' folder with their images, the project's layouts, styles, translations
and top-level files, the default layouts and styles, Pressroom's own code, the
installed packages), and of every file in the output folder once it was done, with what
it was asked, the settings and the day. When the next build is asked the same and every
one of those files is as it was, nothing it would read has changed and nothing it wrote
was touched: it reports what that build left — its warnings, and how many files are up
to date — without loading an article. Anything else (a file touched, added or removed,
an output deleted, another day, other settings) takes the ordinary path. make and ninja
decide the same way.

The files a build reads are stated before it reads them, so an edit made while it runs
is seen by the next build. On a filesystem whose clock ticks coarsely, a file saved
twice within one tick keeps its time (and often its size). So for every file or folder
younger than `SETTLE` seconds when the build starts, the stamp also keeps what it holds
(a file's digest, a folder's names), hashed after it was stated and before the build
reads it, and the next build compares those too: git's answer to its "racily clean"
entries. A build right after a save is stamped like any other, and the build after it
is a no-op. Once such a file's time is older than `SETTLE`, the first no-op that finds
it unchanged drops its digest from the stamp: from then on its time is enough. Stamps
live in the cache folder (`out/.pressroom-cache/`), which can be deleted at any time.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import os
import stat
import sys
import sysconfig
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from pressroom.build.request import BuildRequest
from pressroom.core.defaults import KINDS, default_dir
from pressroom.core.digests import PACKAGE_DIR
from pressroom.core.errors import Location, Problem
from pressroom.core.project import CACHE_FOLDER, Project
from pressroom.core.settings import Settings
from pressroom.core.writing import write_atomic

FILE = "stamps.json"
#: Requests remembered at once (a library built by edition, or by locale, has a few).
KEPT = 8
#: Seconds within which a file's time may not tell a second save from the first (a
#: coarse filesystem clock): a stamp compares what younger files hold as well.
SETTLE = 2.0
#: Folders inside the project a build reads besides the articles, layouts and styles.
READ_FOLDERS = ("translations",)

Stats = list[tuple[str, int, int, int]]


@dataclass(frozen=True, slots=True)
class Replay:
    """What the build the stamp recorded reported: a no-op reports the same."""

    problems: list[Problem]
    unchanged: int


class Stamp:
    """The stamp of one request: made before the build reads anything, checked at once,
    recorded after the build (`record`)."""

    def __init__(self, project: Project, request: BuildRequest, settings: Settings) -> None:
        self.project = project
        self.folder = project.out_dir / CACHE_FOLDER
        self.key = hashlib.sha256(repr((
            request.formats, request.locales, request.slugs, request.editions, request.draft,
            request.strict, str(project.root), str(project.source_dir), str(project.out_dir),
            settings.fingerprint(), settings.today.isoformat(), sys.executable, sys.version,
        )).encode()).hexdigest()
        self.started = time.time()
        self.inputs = sorted([*_stats(self._read_from(), skip=project.out_dir),
                              *_stats(_libraries(), skip=project.out_dir, deep=False)])
        #: What the young inputs hold (see the module's docstring).
        self.young = {path: _content(path) for path, _, mtime, _ in self.inputs
                      if mtime / 1e9 > self.started - SETTLE}

    def _read_from(self) -> Iterator[Path]:
        """Every folder and file a build of this project may read."""
        root = self.project.root
        yield self.project.source_dir
        for kind in KINDS:
            yield default_dir(kind)
            yield root / kind
        yield from (root / name for name in READ_FOLDERS)
        yield PACKAGE_DIR
        if root.is_dir():
            yield from (entry for entry in root.iterdir() if entry.is_file())

    def _digest(self, outputs: Stats) -> str:
        return hashlib.sha256(json.dumps([self.inputs, outputs]).encode()).hexdigest()

    def _outputs(self) -> Stats:
        return sorted(_stats([self.project.out_dir], skip=self.folder))

    def _load(self) -> dict[str, dict]:
        try:
            found = json.loads((self.folder / FILE).read_text("utf-8"))
        except (OSError, ValueError):
            return {}
        return found if isinstance(found, dict) else {}

    def replay(self) -> Replay | None:
        """What the last build of this request reported, if nothing has changed since."""
        stamps = self._load()
        entry = stamps.get(self.key)
        if not isinstance(entry, dict) or entry.get("digest") != self._digest(self._outputs()):
            return None
        young = entry.get("young")
        if not isinstance(young, dict) or any(
                self._holds(path) != held for path, held in young.items()):
            return None  # saved again within its clock tick: the same time, not the same text
        try:
            problems = [Problem(Location(Path(path), line), message, severity)
                        for path, line, message, severity in entry["problems"]]
            replay = Replay(problems, int(entry["unchanged"]))
        except (KeyError, TypeError, ValueError):
            return None
        self._settle(stamps, entry, young)
        return replay

    def _holds(self, path: str) -> str | None:
        """What a file holds now (hashed once per build: it may be young now too)."""
        return self.young[path] if path in self.young else _content(path)

    def _settle(self, stamps: dict[str, dict], entry: dict, young: dict[str, str]) -> None:
        """The young files whose time is now older than SETTLE are compared by their times
        alone from now on: what they hold was just checked, and a later save gives them a
        later time. Else every no-op would hash them again (after a clone, every file)."""
        if not young:
            return  # the usual no-op: nothing to look up among the inputs
        settled = self.started - SETTLE
        times = {path: mtime for path, _, mtime, _ in self.inputs}
        still = {path: held for path, held in young.items()
                 if times.get(path, 0) / 1e9 > settled}
        if len(still) < len(young):
            entry["young"] = still
            self._save(stamps)

    def record(self, problems: list[Problem], unchanged: int) -> None:
        """Keep this build's stamp (called once it ended without an error). Never fails
        the build: without a stamp, the next build takes the ordinary path."""
        stamps = {k: v for k, v in self._load().items() if k != self.key}
        stamps = dict(list(stamps.items())[-(KEPT - 1):])
        stamps[self.key] = {
            "digest": self._digest(self._outputs()),
            "young": self.young,
            "problems": [[str(p.location.path), p.location.line, p.message, p.severity]
                         for p in problems],
            "unchanged": unchanged,
            "recorded": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        }
        self._save(stamps)

    def forget(self) -> None:
        """A build that failed leaves no stamp of this request behind."""
        stamps = self._load()
        if stamps.pop(self.key, None) is not None:
            self._save(stamps)

    def _save(self, stamps: dict[str, dict]) -> None:
        with contextlib.suppress(OSError):
            self.folder.mkdir(parents=True, exist_ok=True)
            write_atomic(self.folder / FILE, json.dumps(stamps).encode("utf-8"))


def _content(path: str) -> str | None:
    """What a file holds (its digest) or a folder (its entries' names); None if neither
    can be read."""
    try:
        if os.path.isdir(path):
            names = "\0".join(sorted(os.listdir(path)))
            return hashlib.sha256(names.encode("utf-8", "surrogateescape")).hexdigest()
        with open(path, "rb") as file:
            return hashlib.file_digest(file, "sha256").hexdigest()
    except OSError:
        return None


def _libraries() -> Iterator[Path]:
    """Where the installed packages are: a package installed, upgraded or removed adds or
    removes a folder there (its dist-info is named by its version), changing the
    folder's time; its files need not be read."""
    paths = sysconfig.get_paths()
    yield from dict.fromkeys(Path(paths[name]) for name in ("purelib", "platlib"))


def _stats(starts: list[Path] | Iterator[Path], skip: Path, deep: bool = True
           ) -> Iterator[tuple[str, int, int, int]]:
    """(path, size, mtime_ns, inode) of every file under `starts` (or the file itself), and
    of each folder (its time changes when an entry is added, removed or renamed); `skip`
    and `__pycache__` folders left out, a missing folder adds nothing. Not `deep`: the
    folders alone."""
    seen: set[str] = set()
    stack = [str(p) for p in starts]
    skipped = {str(skip), "__pycache__"}
    while stack:
        path = stack.pop()
        if path in seen:
            continue
        seen.add(path)
        try:
            info = os.stat(path)
        except OSError:
            continue
        if not stat.S_ISDIR(info.st_mode):
            yield path, info.st_size, info.st_mtime_ns, info.st_ino
            continue
        yield path, 0, info.st_mtime_ns, info.st_ino  # an entry added or removed
        if not deep:
            continue
        try:
            entries = list(os.scandir(path))
        except OSError:
            continue
        for entry in entries:
            if entry.name in skipped or entry.path in skipped:
                continue
            if entry.is_dir(follow_symlinks=True):
                stack.append(entry.path)
            else:
                try:
                    info = entry.stat()
                except OSError:
                    continue
                yield entry.path, info.st_size, info.st_mtime_ns, info.st_ino
