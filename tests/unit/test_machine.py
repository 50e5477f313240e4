"""What a cluster compares between machines (machine.py), and how it reads the fonts the
stylesheets name (cluster.py), without a cluster."""

from __future__ import annotations

import copy
import hashlib
import platform
import subprocess
from pathlib import Path

import pytest
from conftest import ROOT

from pressroom import __version__
from pressroom.build import machine
from pressroom.build.cluster import check_answers, css_families, named_fonts
from pressroom.core.files import FileStore

NOTO = ("Noto Sans", "Regular", "NotoSans-Regular.ttf", "a" * 64)
NOTO_BOLD = ("Noto Sans", "Bold", "NotoSans-Bold.ttf", "b" * 64)
HERE: machine.Facts = {
    "pressroom": "1.2.0", "code": "c0de" * 16,
    "libraries": {"python": "3.11.7", "weasyprint": "66.0", "pillow": "11.0.0"},
    "fonts": {"Noto Sans": NOTO, "Noto Sans:bold": NOTO_BOLD,
              "Noto Sans:italic": NOTO, "Noto Sans:bold:italic": NOTO_BOLD,
              "sans-serif": NOTO, "sans-serif:bold": NOTO_BOLD,
              "sans-serif:italic": NOTO, "sans-serif:bold:italic": NOTO_BOLD,
              # Not installed here: fontconfig falls back to another family.
              "Segoe UI": NOTO, "Segoe UI:bold": NOTO_BOLD,
              "Segoe UI:italic": NOTO, "Segoe UI:bold:italic": NOTO_BOLD},
}
FAMILIES = {"Noto Sans": "styles/leaflet.css", "sans-serif": "styles/leaflet.css",
            "Segoe UI": "styles/site.css"}
W = "tcp://render-7.example:8788"


def there(**changes: object) -> machine.Facts:
    facts = copy.deepcopy(HERE)
    facts.update(changes)
    return facts


def test_the_same_machine_has_no_differences() -> None:
    assert machine.differences(HERE, there(), W, FAMILIES) == []


def test_another_version_is_named_with_this_one() -> None:
    assert machine.differences(HERE, there(pressroom="1.1.0", code="x"), W, FAMILIES) == [
        "worker tcp://render-7.example:8788 runs Pressroom 1.1.0, this machine 1.2.0: install"
        " Pressroom 1.2.0 on every worker"]
    assert machine.differences(HERE, there(pressroom=None), W, FAMILIES) == [
        "worker tcp://render-7.example:8788 has no Pressroom installed: install Pressroom"
        " 1.2.0 there"]


def test_other_code_under_the_same_version() -> None:
    assert machine.differences(HERE, there(code="0123456789abcdef"), W, FAMILIES) == [
        "worker tcp://render-7.example:8788 runs other code than this machine under the same"
        " version 1.2.0 (code 0123456789ab there, c0dec0dec0de here): install the same"
        " release on every worker"]


def test_other_library_versions() -> None:
    libraries = {"python": "3.11.7", "weasyprint": "65.1", "pillow": None}
    assert machine.differences(HERE, there(libraries=libraries), W, FAMILIES) == [
        "worker tcp://render-7.example:8788 has pillow (none), this machine 11.0.0: outputs would"
        " differ; install the same versions on every worker",
        "worker tcp://render-7.example:8788 has weasyprint 65.1, this machine 66.0: outputs would"
        " differ; install the same versions on every worker",
    ]


def test_fonts_missing_other_or_unknown() -> None:
    dejavu = ("DejaVu Sans", "Book", "DejaVuSans.ttf", "d" * 64)
    fonts = {**HERE["fonts"], "Noto Sans": dejavu, "sans-serif": dejavu,
             "Segoe UI": dejavu}  # Segoe UI: not installed here, so not compared
    assert machine.differences(HERE, there(fonts=fonts), W, FAMILIES) == [
        "worker tcp://render-7.example:8788 lacks the font 'Noto Sans' named in styles/leaflet.css"
        " (it would use DejaVu Sans): install the fonts scripts/setup.sh installs",
        "worker tcp://render-7.example:8788 gives DejaVu Sans for 'sans-serif' named in"
        " styles/leaflet.css, this machine Noto Sans: install the same fonts on every worker"
        " (the packages scripts/setup.sh installs)",
    ]
    other_bold = ("Noto Sans", "Bold", "NotoSans-Bold.ttf", "e" * 64)
    fonts = {**HERE["fonts"], "Noto Sans:bold": other_bold}
    assert machine.differences(HERE, there(fonts=fonts), W, FAMILIES) == [
        "worker tcp://render-7.example:8788 has another version of the font 'Noto Sans' named in"
        " styles/leaflet.css (NotoSans-Bold.ttf differs from this machine's): install the"
        " same font packages on every worker"]
    assert machine.differences(HERE, there(fonts=None), W, FAMILIES) == [
        "worker tcp://render-7.example:8788 has no fontconfig (fc-match): install the fonts and"
        " fontconfig that scripts/setup.sh installs"]


def test_a_worker_that_could_not_answer() -> None:
    answers = {W: ModuleNotFoundError("No module named 'cloudpickle'"), "tcp://a:1": there()}
    assert check_answers(answers, HERE, FAMILIES) == [
        "worker tcp://render-7.example:8788 could not run Pressroom's check: ModuleNotFoundError:"
        " No module named 'cloudpickle'"]


def test_this_machine_as_fontconfig_and_pip_describe_it() -> None:
    facts = machine.facts(["Noto Sans"])
    assert facts["pressroom"] == __version__
    assert facts["libraries"]["python"] == platform.python_version()
    file = subprocess.run(["fc-match", "--format=%{file}", "Noto Sans:bold"],
                          capture_output=True, text=True, check=True).stdout
    assert facts["fonts"]["Noto Sans:bold"] == (
        "Noto Sans", "Bold", Path(file).name, hashlib.sha256(Path(file).read_bytes()).hexdigest())


def test_a_worker_checks_itself_before_its_first_job() -> None:
    """A worker that joins mid-build was never asked: its first job checks it."""
    families = {"Noto Sans": "styles/leaflet.css"}
    expected = machine.facts(list(families))
    assert machine.checked(expected, families, divmod, 7, 2) == (3, 1)
    newer = {**expected, "pressroom": "99.0"}
    with pytest.raises(RuntimeError) as refused:
        machine.checked(newer, families, divmod, 7, 2)
    assert str(refused.value) == (
        f"worker {platform.node()} runs Pressroom {__version__}, this machine 99.0: install"
        " Pressroom 99.0 on every worker")


def test_the_families_a_stylesheet_names() -> None:
    css = """
    /* font-family: "Commented Out"; */
    body { font: italic bold 8.5pt/1.3 "Noto Sans", 'Noto Sans Arabic', sans-serif; }
    code { font-family: DejaVu   Sans Mono, monospace !important; }
    button { font: inherit; font-size: 2em; }
    h1 { font-family: inherit }
    """
    assert css_families(css) == ["Noto Sans", "Noto Sans Arabic", "sans-serif",
                                 "DejaVu Sans Mono", "monospace"]


def test_the_families_the_project_names() -> None:
    store = FileStore()
    fonts = named_fonts(store.tree(ROOT / "styles", "styles"))
    assert fonts["Noto Sans"] == fonts["Noto Sans Arabic"] == "styles/leaflet.css"
    assert fonts["DejaVu Sans Mono"] == "styles/leaflet.css"


def test_a_workers_profile_history_is_bounded_to_its_last_minute() -> None:
    """What a worker keeps of Dask's statistical profile (one tree per second, 1,000 by
    default, the history that grew with jobs): the newest PROFILE_SECONDS entries."""
    from collections import deque
    from types import SimpleNamespace

    worker = SimpleNamespace(profile_history=deque(range(1000), maxlen=1000),
                             profile_keys_history=deque(range(5)))
    machine._bound(worker)
    assert worker.profile_history.maxlen == machine.PROFILE_SECONDS
    assert list(worker.profile_history) == list(range(1000 - machine.PROFILE_SECONDS, 1000))
    assert worker.profile_keys_history.maxlen == machine.PROFILE_SECONDS
    assert list(worker.profile_keys_history) == list(range(5))
    kept = worker.profile_history
    machine._bound(worker)  # already bounded: left as it is
    assert worker.profile_history is kept
    machine.bound_profile()  # outside a Dask worker: nothing to do, no error
