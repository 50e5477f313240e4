"""What about a machine decides the bytes it renders, beyond the job's own inputs.

A render job carries every file it reads (core/files.py), but not the code that reads them nor
the fonts WeasyPrint and the cover find through fontconfig. Two machines make the same
bytes from the same job only if they run the same Pressroom (version and code), the same
rendering libraries and the same fonts. A cluster build (cluster.py) compares these facts
of every worker with its own before it sends a job, and each worker checks them again
before its first job, since a worker may join in the middle of a build.

Only the standard library is imported here: the cluster client sends `facts` to the
workers *by value*, so that it runs even on a worker whose Pressroom is another version,
or missing, and can say so.
"""

from __future__ import annotations

import hashlib
import importlib
import pickle
import platform
import shutil
import subprocess
import zlib
from collections import deque
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from importlib import metadata
from pathlib import Path
from typing import Any

#: Python distributions whose version changes an output's bytes (layout, PDF writing,
#: hyphenation, fonts, images, the EPUB's XML and ZIP, page imposition, templates, QR).
LIBRARIES = ("weasyprint", "pydyf", "tinycss2", "cssselect2", "pyphen", "fonttools",
             "pillow", "ebooklib", "lxml", "pypdf", "jinja2", "segno")
#: The faces of each family a leaflet uses (body text, strong, emphasis, both).
STYLES = ("", ":bold", ":italic", ":bold:italic")
#: CSS generic families: fontconfig's answer for them is compared even when it names
#: another family.
GENERIC = frozenset({"serif", "sans-serif", "monospace", "cursive", "fantasy"})

#: (family, style, file name, digest of the file) as fontconfig answers a pattern.
Face = tuple[str, str, str, str]
Facts = dict[str, Any]


def facts(families: Sequence[str]) -> Facts:
    """This machine's Pressroom version and code digest, library versions, and the font
    fontconfig gives for each face of each family."""
    try:
        pressroom = importlib.import_module("pressroom")
        version = getattr(pressroom, "__version__", "unknown")
    except ImportError:
        return {"pressroom": None, "code": None, "libraries": {}, "fonts": None}
    try:
        code = importlib.import_module("pressroom.core.digests").code_digest()
    except (ImportError, AttributeError):
        code = None
    libraries = {"python": platform.python_version(), "zlib": zlib.ZLIB_RUNTIME_VERSION}
    for name in LIBRARIES:
        try:
            libraries[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            libraries[name] = None
    return {"pressroom": version, "code": code, "libraries": libraries,
            "fonts": fonts([family + style for family in families for style in STYLES])}


def fonts(patterns: Sequence[str]) -> dict[str, Face | None] | None:
    """fontconfig's first answer for each pattern; None without fontconfig's `fc-match`."""
    if shutil.which("fc-match") is None:
        return None
    with ThreadPoolExecutor(8) as pool:  # one fc-match process each: run them side by side
        return dict(zip(patterns, pool.map(_match, patterns), strict=True))


def _match(pattern: str) -> Face | None:
    try:  # fontconfig answers in milliseconds: a lookup this slow is stuck
        result = subprocess.run(
            ["fc-match", "--format=%{family[0]}\t%{style[0]}\t%{file}", "--", pattern],
            capture_output=True, text=True, check=False, timeout=30)
    except subprocess.TimeoutExpired:
        return None
    parts = result.stdout.split("\t")
    if result.returncode != 0 or len(parts) != 3:
        return None
    family, style, file = parts
    try:
        digest = hashlib.sha256(Path(file).read_bytes()).hexdigest()
    except OSError:
        digest = ""
    return family, style, Path(file).name, digest


def differences(here: Facts, there: Facts, worker: str, families: Mapping[str, str]
                ) -> list[str]:
    """Why `worker` would not make this machine's bytes, one line per reason (none: it
    would). `families` maps each font family to the file that names it."""
    ours, theirs = here["pressroom"], there["pressroom"]
    if theirs is None:
        return [f"worker {worker} has no Pressroom installed: install Pressroom {ours} there"]
    if theirs != ours:
        return [f"worker {worker} runs Pressroom {theirs}, this machine {ours}:"
                f" install Pressroom {ours} on every worker"]
    if there["code"] != here["code"]:
        return [f"worker {worker} runs other code than this machine under the same version"
                f" {ours} (code {str(there['code'])[:12]} there, {str(here['code'])[:12]}"
                " here): install the same release on every worker"]
    lines = []
    for name in sorted(here["libraries"].keys() | there["libraries"].keys()):
        mine, yours = here["libraries"].get(name), there["libraries"].get(name)
        if mine != yours:
            lines.append(f"worker {worker} has {name} {yours or '(none)'}, this machine"
                         f" {mine or '(none)'}: outputs would differ; install the same"
                         " versions on every worker")
    return lines + _font_differences(here["fonts"], there["fonts"], worker, families)


def _font_differences(here: dict[str, Face | None] | None, there: dict[str, Face | None] | None,
                      worker: str, families: Mapping[str, str]) -> list[str]:
    if here is None:
        return []  # this machine cannot tell either: nothing to compare with
    if there is None:
        return [f"worker {worker} has no fontconfig (fc-match): install the fonts and"
                " fontconfig that scripts/setup.sh installs"]
    lines = []
    for family, where in families.items():
        for style in STYLES:
            mine, yours = here.get(family + style), there.get(family + style)
            if mine is None or (family not in GENERIC
                                and mine[0].casefold() != family.casefold()):
                continue  # not installed here either: no output of this machine uses it
            if yours is None or yours[0] != mine[0]:
                lines.append(_other_family(worker, family, where, mine[0],
                                           yours[0] if yours else "no font"))
                break
            if yours[1:] != mine[1:]:
                lines.append(f"worker {worker} has another version of the font '{family}'"
                             f" named in {where} ({yours[2]} differs from this machine's):"
                             " install the same font packages on every worker")
                break
    return lines


def _other_family(worker: str, family: str, where: str, mine: str, yours: str) -> str:
    if family in GENERIC:
        return (f"worker {worker} gives {yours} for '{family}' named in {where}, this"
                f" machine {mine}: install the same fonts on every worker (the packages"
                " scripts/setup.sh installs)")
    return (f"worker {worker} lacks the font '{family}' named in {where} (it would use"
            f" {yours}): install the fonts scripts/setup.sh installs")


# --- on a worker -----------------------------------------------------------------------

#: Expected facts (their digest) → this worker's first difference, or "" if none.
_verdicts: dict[str, str] = {}


def checked(expected: Facts, families: Mapping[str, str], fn: Callable[..., Any],
            *args: Any) -> Any:
    """Run `fn(*args)` if this machine makes the bytes `expected` describes; otherwise
    refuse (once checked, a worker's answer is kept for the rest of its life)."""
    key = hashlib.sha256(repr((expected, sorted(families.items()))).encode()).hexdigest()
    if key not in _verdicts:
        found = differences(expected, facts(list(families)), _worker_address(), families)
        _verdicts[key] = found[0] if found else ""
    if _verdicts[key]:
        raise RuntimeError(_verdicts[key])
    return fn(*args)


def remote(expected: Facts, families: Mapping[str, str], fn: Callable[..., Any],
           *args: Any) -> bytes:
    """`checked`, with the result pickled: what a cluster task runs (see cluster._Call)."""
    bound_profile()
    return pickle.dumps(checked(expected, families, fn, *args),
                        protocol=pickle.HIGHEST_PROTOCOL)


#: Seconds of its own statistical profile a Dask worker keeps while it renders for
#: Pressroom (the dashboard's "Profile" page shows the last minute).
PROFILE_SECONDS = 60


def bound_profile() -> None:
    """Keep the worker's profile history to the last `PROFILE_SECONDS`.

    A Dask worker samples the stack of the task it runs every 10 ms and keeps one
    profile tree per second for `distributed.admin.low-level-log-length` (1,000) cycles,
    twice (all tasks; per task name). A leaflet's layout runs through thousands of
    distinct stacks in WeasyPrint, so each busy second's trees are large: measured,
    that history was most of a worker's growth, up to ~80 MB per 50 jobs, until 1,000 busy
    seconds had passed. Nothing else of the worker changes.
    """
    try:
        from distributed import get_worker

        worker = get_worker()
    except (ImportError, ValueError):
        return  # not on a Dask worker (a test calling it directly)
    if any(_unbounded(getattr(worker, name, None)) for name in _HISTORIES):
        # In the worker's event loop, which appends to them (a copy made here, in the
        # task's thread, could meet an append).
        worker.loop.add_callback(_bound, worker)


_HISTORIES = ("profile_history", "profile_keys_history")


def _unbounded(history: object) -> bool:
    return isinstance(history, deque) and (history.maxlen or PROFILE_SECONDS + 1
                                           ) > PROFILE_SECONDS


def _bound(worker: Any) -> None:
    for name in _HISTORIES:
        history = getattr(worker, name, None)
        if _unbounded(history):
            setattr(worker, name, deque(history, maxlen=PROFILE_SECONDS))  # type: ignore[arg-type]


def _worker_address() -> str:
    try:
        from distributed import get_worker

        return str(get_worker().address)
    except (ImportError, ValueError):
        return platform.node() or "this machine"
