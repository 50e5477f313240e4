"""Layouts compiled once and loaded compiled from the user's cache folder after that
(render/templating.py): each check runs in a fresh interpreter, as a build, a preview or
a PDF worker is, with Jinja's compiler made to fail where the cache must spare it."""

from __future__ import annotations

import subprocess
from pathlib import Path

from helpers import fresh_interpreter

#: Run in a fresh interpreter: render `page.j2` of the layouts in argv[1], with Jinja's
#: compiler refusing to run when COMPILE_FAILS is set, and no platformdirs to find the
#: cache folder with when NO_PLATFORMDIRS is.
PROBE = """
import os, sys, jinja2
if os.environ.get("NO_PLATFORMDIRS"):
    sys.modules["platformdirs"] = None  # its import fails, as where it is not installed
from pathlib import Path
from pressroom.core.files import FileStore
from pressroom.render.templating import make_environment
if os.environ.get("COMPILE_FAILS"):
    def refuse(self, source, name=None, filename=None, raw=False, defer_init=False):
        raise AssertionError(f"compiled {name}")
    jinja2.Environment.compile = refuse
env = make_environment(FileStore().tree(Path(sys.argv[1]), "layouts"), "en")
sys.stdout.write(env.get_template("page.j2").render(title="Cramps"))
"""


def layouts(folder: Path, text: str) -> Path:
    (folder / "layouts").mkdir(parents=True, exist_ok=True)
    (folder / "layouts" / "page.j2").write_text(text, "utf-8")
    return folder / "layouts"


def probe(cache: Path, layouts_dir: Path, compile_fails: bool = False
          ) -> subprocess.CompletedProcess[str]:
    return fresh_interpreter(PROBE, str(layouts_dir), cache=cache,
                             COMPILE_FAILS=compile_fails)


def rendered(cache: Path, layouts_dir: Path, compile_fails: bool = False) -> str:
    done = probe(cache, layouts_dir, compile_fails)
    assert done.returncode == 0, done.stderr
    return done.stdout


def kept(cache: Path) -> list[Path]:
    return sorted((cache / "pressroom" / "templates").glob("*.jinja"))


TEMPLATE = "<h1>{{ title | upper }}</h1>{% for i in range(2) %}<p>{{ _('Print') }}</p>{% endfor %}"
EXPECTED = "<h1>CRAMPS</h1><p>Print</p><p>Print</p>"


def test_a_second_process_renders_the_layout_without_compiling_it(tmp_path: Path) -> None:
    folder = layouts(tmp_path / "project", TEMPLATE)
    assert rendered(tmp_path / "cache", folder) == EXPECTED  # compiled, and kept
    assert len(kept(tmp_path / "cache")) == 1
    assert rendered(tmp_path / "cache", folder, compile_fails=True) == EXPECTED


def test_without_the_cache_the_compiler_runs(tmp_path: Path) -> None:
    """The probe's refusal is real: with nothing kept, the compile it refuses is needed."""
    done = probe(tmp_path / "cache", layouts(tmp_path / "project", TEMPLATE), True)
    assert done.returncode != 0 and "AssertionError: compiled page.j2" in done.stderr


def test_an_edited_layout_is_compiled_again(tmp_path: Path) -> None:
    folder = layouts(tmp_path / "project", TEMPLATE)
    rendered(tmp_path / "cache", folder)
    layouts(tmp_path / "project", TEMPLATE.replace("<h1>", "<h2>"))
    done = probe(tmp_path / "cache", folder, compile_fails=True)
    assert "AssertionError: compiled page.j2" in done.stderr  # not the old code
    assert rendered(tmp_path / "cache", folder) == EXPECTED.replace("<h1>", "<h2>")
    assert rendered(tmp_path / "cache", folder, compile_fails=True) == EXPECTED.replace(
        "<h1>", "<h2>")


def test_a_damaged_cache_file_is_compiled_again_and_replaced(tmp_path: Path) -> None:
    folder = layouts(tmp_path / "project", TEMPLATE)
    rendered(tmp_path / "cache", folder)
    for path in kept(tmp_path / "cache"):
        path.write_bytes(path.read_bytes()[:40])  # cut short, as by a full disk
    assert rendered(tmp_path / "cache", folder) == EXPECTED
    assert rendered(tmp_path / "cache", folder, compile_fails=True) == EXPECTED


def test_a_cache_path_that_is_a_file_is_left_alone(tmp_path: Path) -> None:
    (tmp_path / "cache").mkdir()
    (tmp_path / "cache" / "pressroom").write_text("not a folder", "utf-8")
    folder = layouts(tmp_path / "project", TEMPLATE)
    assert rendered(tmp_path / "cache", folder) == EXPECTED
    assert (tmp_path / "cache" / "pressroom").read_text("utf-8") == "not a folder"


def test_without_a_cache_folder_the_layout_is_compiled_and_nothing_kept(tmp_path: Path
                                                                       ) -> None:
    """A worker without platformdirs (core/usercache.py finds no folder) renders alike."""
    folder = layouts(tmp_path / "project", TEMPLATE)
    done = fresh_interpreter(PROBE, str(folder), cache=tmp_path / "cache",
                             NO_PLATFORMDIRS=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout == EXPECTED
    assert not (tmp_path / "cache").exists()
