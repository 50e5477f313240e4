"""WeasyPrint may read only the job's bundle; everything else fails the article."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import DATA
from helpers import build, fresh_interpreter, messages

from pressroom.core.files import FileStore
from pressroom.core.project import Project
from pressroom.render.pdf.weasy import ORIGIN, BundleFetcher
from pressroom.session.caches import Session


def test_fetcher_serves_the_bundle_only(tmp_path: Path) -> None:
    inside = tmp_path / "project"
    inside.mkdir()
    (inside / "ok.css").write_text("p {}", encoding="utf-8")
    secret = tmp_path / "secret.txt"
    secret.write_text("SENTINEL", encoding="utf-8")
    fetcher = BundleFetcher(FileStore().bundle({"styles/ok.css": inside / "ok.css"}))
    response = fetcher.fetch(f"{ORIGIN}styles/ok.css")
    assert response.read() == b"p {}" and response.content_type == "text/css"
    for url in (secret.as_uri(), (inside / "ok.css").as_uri(), f"{ORIGIN}styles/../secret.txt",
                f"{ORIGIN}secret.txt", "http://127.0.0.1:9/x.png", "https://example.org/x.css",
                "ftp://x/y", "file:///dev/zero"):
        with pytest.raises(ValueError, match="refused"):
            fetcher.fetch(url)
    assert len(fetcher.refused) == 8


def test_layout_reaching_outside_fails_the_article(make_project, tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("SENTINEL-7f3a", encoding="utf-8")
    project_dir = make_project({"en/complete.md": DATA / "articles/complete.md",
                                "en/blue.png": DATA / "articles/blue.png"})
    layout = project_dir / "layouts" / "leaflet.html.j2"
    hostile = (
        f'<img src="{secret.as_uri()}" alt="x"/>'
        '<img src="https://example.org/t.png" alt="y"/></main>'
    )
    layout.write_text(layout.read_text("utf-8").replace("</main>", hostile), encoding="utf-8")
    report = build(Project.at(project_dir))
    assert report.written == []
    errors = [m for m in messages(report.problems) if ": error: " in m]
    assert errors == [
        f"complete.md: error: the leaflet refers to '{secret.as_uri()}', which is not one of"
        " the project's files it may use: refused",
        "complete.md: error: the leaflet refers to 'https://example.org/t.png', which is not"
        " one of the project's files it may use: refused",
    ]
    assert not (project_dir / "out").exists()


def test_bundle_holds_layouts_and_styles_not_the_rest_of_the_project(make_project) -> None:
    """Only layouts and styles travel with every job: not .git, out/, the catalogs or the
    articles' own text (a job gets its article resolved, not as a file)."""
    project = Project.at(make_project({"en/a.md": "---\ntitle: A\n---\n\n# S\n\nText.\n"}))
    secret = project.root / ".git" / "config"
    secret.parent.mkdir()
    secret.write_text("[core]", encoding="utf-8")
    names = set(Session(project).shared_bundle().names)
    assert "styles/leaflet.css" in names and "layouts/leaflet.html.j2" in names
    assert all(n.startswith(("layouts/", "styles/")) for n in names)
    assert not any(n.startswith("layouts/locales/") for n in names)


# WeasyPrint imported in a fresh interpreter each time (render/pdf/native.py): what it
# opened is read from the kernel's map of the process, and `ctypes.util`'s slow step
# (running gcc) is counted.
_IMPORT = """
import ctypes.util, json, sys
searched = []
slow = ctypes.util._findLib_gcc
ctypes.util._findLib_gcc = lambda name: searched.append(name) or slow(name)
{how}
import weasyprint.text.ffi
opened = sorted({{line.split()[-1].rsplit("/", 1)[-1] for line in open("/proc/self/maps")
                 if ".so" in line}})
sys.stderr.write(json.dumps({{"opened": opened, "searched": searched}}))
"""


def _import_weasyprint(how: str, cache: Path) -> tuple[dict[str, list[str]], str]:
    import json

    done = fresh_interpreter(_IMPORT.format(how=how), cache=cache)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stderr.splitlines()[-1]), done.stdout


@pytest.mark.skipif(not Path("/proc/self/maps").exists(), reason="reads Linux's /proc")
def test_weasyprint_imported_the_quick_way_opens_the_same_libraries_without_gcc(
        tmp_path: Path) -> None:
    plain, _ = _import_weasyprint("import weasyprint", tmp_path)
    quick, printed = _import_weasyprint(
        "from pressroom.render.pdf.native import import_weasyprint; import_weasyprint()",
        tmp_path)
    assert plain["searched"], "WeasyPrint's own import no longer runs gcc: drop native.py"
    assert quick["searched"] == [] and printed == ""
    assert quick["opened"] == plain["opened"]
    assert any(name.startswith("libpango-1.0.so") for name in quick["opened"])


@pytest.mark.skipif(not Path("/proc/self/maps").exists(), reason="reads Linux's /proc")
def test_a_library_the_quick_way_cannot_open_is_opened_the_full_way(tmp_path: Path
                                                                     ) -> None:
    # Every library fails to open while the quick lookup is in place (as one installed
    # where only gcc's search finds it would): that attempt fails silently, the full one
    # runs and opens what WeasyPrint's own import does.
    quick, printed = _import_weasyprint("""
import cffi
from pressroom.render.pdf.native import import_weasyprint
def cache_only(name):
    return None
dlopen = cffi.FFI.dlopen
def failing(ffi, name, flags=0):
    if ctypes.util.find_library is cache_only:
        raise OSError(f"cannot load library {name!r}")
    return dlopen(ffi, name, flags)
cffi.FFI.dlopen = failing
import_weasyprint(cache_only)
""", tmp_path)
    plain, _ = _import_weasyprint("import weasyprint", tmp_path)
    assert printed == "" and quick["searched"]
    assert quick["opened"] == plain["opened"]


#: Counts the programs ctypes starts (ldconfig) while WeasyPrint is imported the quick way.
_COUNTED = """
import subprocess
started = []
popen = subprocess.Popen.__init__
def counting(self, args, *rest, **options):
    started.append(args[0])
    popen(self, args, *rest, **options)
subprocess.Popen.__init__ = counting
from pressroom.render.pdf.native import import_weasyprint
import_weasyprint()
searched.extend(started)
"""


@pytest.mark.skipif(not Path("/etc/ld.so.cache").exists(), reason="glibc's linker cache")
def test_a_second_process_imports_weasyprint_without_asking_ldconfig(
        tmp_path: Path) -> None:
    """The lookups' answers are kept in the user's cache folder for the linker's cache as
    it is: a later import starts no program and opens the same libraries."""
    older = tmp_path / "pressroom" / "libraries" / "0123.json"  # another linker cache's
    older.parent.mkdir(parents=True)
    older.write_text('{"gobject-2.0": "libnothing.so"}', "utf-8")
    first, _ = _import_weasyprint(_COUNTED, tmp_path)
    assert not older.exists()
    assert "/sbin/ldconfig" in first["searched"]
    assert len(list((tmp_path / "pressroom" / "libraries").glob("*.json"))) == 1
    second, printed = _import_weasyprint(_COUNTED, tmp_path)
    assert second["searched"] == [] and printed == ""
    assert second["opened"] == first["opened"]
    plain, _ = _import_weasyprint("import weasyprint", tmp_path)
    assert second["opened"] == plain["opened"]


# WeasyPrint's C type names parsed the quick way (render/pdf/cdecls.py) against cffi's
# own parse, each in a fresh interpreter: the types, and a PDF made with them.
_TYPES = """
import json, sys
{how}
from weasyprint import HTML
from weasyprint.text.ffi import ffi
seen = []
parse = ffi._parser._parse
def counting(csource):
    seen.append(sum(1 for key in ffi._parser._declarations if key.startswith("typedef ")))
    return parse(csource)
ffi._parser._parse = counting
found = {{}}
for name in json.loads(sys.argv[1]):
    try:
        kind = ffi.typeof(name)
        found[name] = [ffi.getctype(kind), kind.kind, ffi.sizeof(kind) if kind.kind != "array"
                       or kind.length is not None else None]
    except Exception as error:
        found[name] = [type(error).__name__, str(error)]
html = ('<p>Muscle spasms <b>cramps</b> ' + 'stretch '.join(map(str, range(60))) + '</p>'
        '<p dir="rtl" lang="ar">تشنجات العضلات</p><input type="checkbox" name="a">')
pdf = HTML(string=html).write_pdf(pdf_identifier=b"fixed", pdf_forms=True)
print(pdf.hex())
sys.stderr.write(json.dumps({{"types": found, "typedefs_seen": seen}}))
"""

TYPE_NAMES = ["PangoFcFontMap *", "PangoRectangle *", "unsigned int *", "hb_tag_t[100]",
              "char[4]", "hb_codepoint_t[54]", "PangoLayout *", "double", "char *[2]",
              "PangoRectangle[3]", "struct _PangoRectangle", "hb_position_t *",
              "PangoRectangle", "int(*)(int)"]


def _types(how: str, cache: Path) -> tuple[dict, bytes]:
    import json

    done = fresh_interpreter(_TYPES.format(how=how), json.dumps(TYPE_NAMES), cache=cache)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stderr.splitlines()[-1]), bytes.fromhex(done.stdout)


def test_type_names_parsed_the_quick_way_are_cffis_own_and_make_the_same_pdf(
        tmp_path: Path) -> None:
    quick, quick_pdf = _types("from pressroom.render.pdf.renderer import prepare; prepare()",
                              tmp_path)
    plain, plain_pdf = _types("import weasyprint", tmp_path)
    assert quick["types"] == plain["types"]
    assert "PangoRectangle *" in quick["types"]["PangoRectangle *"][0]
    assert quick["types"]["hb_position_t *"][0] == "CDefError"  # unknown here, both ways
    assert quick_pdf == plain_pdf and quick_pdf.startswith(b"%PDF")
    # The quick parse was in place: each name parsed with only the typedefs it names,
    # where cffi's own declared every one (64 for WeasyPrint 70).
    assert max(quick["typedefs_seen"]) <= 1 < min(plain["typedefs_seen"])
