"""Pressroom installed as a tool: the wheel carries the defaults, a new project builds,
and a project's own template overrides the default of the same name, and only it.

The wheel is built from this checkout and installed (without its dependencies, which
the test environment has) into a folder of its own; the commands then run from an empty
folder outside the repository with only that folder on the path, so every layout and
style they use comes from the installed package, not from the checkout.
"""

from __future__ import annotations

import hashlib
import os
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
#: A change a designer might make: the front page's kicker, worded by the clinic.
KICKER = '<p class="kicker">{{ _("Patient information") }}</p>'
OURS = '<p class="kicker">Sunnyside Clinic leaflet</p>'


def _run(args: list[str], cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True,
                          timeout=600, check=False)


def _digests(out: Path) -> dict[str, str]:
    return {path.relative_to(out).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
            for path in out.rglob("*") if path.is_file()
            and not path.name.startswith(".pressroom") and ".pressroom-cache" not in path.parts}


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """(the wheel, the folder it is installed into)."""
    tmp = tmp_path_factory.mktemp("install")
    env = {**os.environ, "PIP_DISABLE_PIP_VERSION_CHECK": "1"}
    env.pop("PYTHONPATH", None)
    made = _run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp / "dist"),
                 str(ROOT)], tmp, env)
    assert made.returncode == 0, made.stderr
    (wheel,) = (tmp / "dist").glob("pressroom-*.whl")
    site = tmp / "site"
    done = _run([sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target",
                 str(site), str(wheel)], tmp, env)
    assert done.returncode == 0, done.stderr
    return wheel, site


def test_the_wheel_carries_every_default_and_the_project_templates(installed):
    wheel, _ = installed
    names = set(zipfile.ZipFile(wheel).namelist())
    for kind in ("layouts", "styles"):
        shipped = {f"pressroom/defaults/{kind}/{p.relative_to(ROOT / kind).as_posix()}"
                   for p in (ROOT / kind).rglob("*") if p.is_file()}
        assert shipped and shipped <= names, sorted(shipped - names)
    assert "pressroom/defaults/layouts/locales/de/LC_MESSAGES/messages.po" in names
    assert {"pressroom/cli/templates/article.md.j2", "pressroom/cli/templates/project/gitignore",
            "pressroom/cli/templates/project/editions.yaml"} <= names
    assert not any("__pycache__" in name for name in names)


def test_a_new_project_builds_and_an_override_changes_the_leaflet_only(installed, tmp_path):
    _, site = installed
    env = {**os.environ, "PYTHONPATH": str(site)}
    pressroom = str(site / "bin" / "pressroom")
    where = _run([sys.executable, "-c", "import pressroom; print(pressroom.__file__)"],
                 tmp_path, env)
    assert Path(where.stdout.strip()).is_relative_to(site)  # not the checkout's

    made = _run([pressroom, "new", "project", "mylib"], tmp_path, env)
    assert made.returncode == 0, made.stderr
    project = tmp_path / "mylib"
    assert sorted(p.name for p in project.iterdir()) == [".gitignore", "editions.yaml",
                                                         "source"]
    built = _run([pressroom, "build"], project, env)
    assert built.returncode == 0, built.stdout + built.stderr
    assert "warning" not in built.stdout + built.stderr
    out = project / "out"
    for name in ("en/sunburn.pdf", "en/sunburn.epub", "en/sunburn.html", "index.html",
                 "en/index.html"):
        assert (out / name).is_file(), name
    before = _digests(out)
    feed = (out / "opds/en.xml").read_text("utf-8")

    default = site / "pressroom" / "defaults" / "layouts" / "leaflet.html.j2"
    text = default.read_text("utf-8")
    assert KICKER in text
    (project / "layouts").mkdir()
    (project / "layouts" / "leaflet.html.j2").write_text(text.replace(KICKER, OURS), "utf-8")
    rebuilt = _run([pressroom, "build"], project, env)
    assert rebuilt.returncode == 0, rebuilt.stdout + rebuilt.stderr
    after = _digests(out)
    assert after.keys() == before.keys()
    changed = {name for name in after if after[name] != before[name]}
    # The leaflet of each edition (default and large print), and nothing else but the
    # reading apps' feeds, which give each file's length.
    assert {name for name in changed if not name.startswith("opds/")} == {
        "en/sunburn.pdf", "en/sunburn.large-print.pdf"}
    lengths = re.compile(r' length="\d+"')
    assert lengths.sub("", (out / "opds/en.xml").read_text("utf-8")) == lengths.sub("", feed)
    words = subprocess.run(["pdftotext", "-l", "1", str(out / "en/sunburn.pdf"), "-"],
                           capture_output=True, text=True, timeout=60, check=True).stdout
    assert "SUNNYSIDE CLINIC LEAFLET" in words
    assert "PATIENT INFORMATION" not in words
