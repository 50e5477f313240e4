"""UI string catalogs: extracted from the layouts, complete per locale, English fallback."""

from __future__ import annotations

import shutil
from pathlib import Path

from babel.messages.pofile import read_po
from helpers import messages

from pressroom import catalogs
from pressroom.errors import Problems
from pressroom.project import Project


def ids(catalog) -> set[str]:
    return {str(m.id) for m in catalog if m.id}


def test_template_is_in_sync_with_the_layouts(root: Path) -> None:
    """Run `python publish.py catalogs` after changing a layout's wording."""
    project = Project.at(root)
    with catalogs.template_path(project).open("rb") as handle:
        shipped = read_po(handle)
    assert ids(catalogs.extract(project)) == ids(shipped)


def test_every_shipped_locale_translates_every_string(root: Path) -> None:
    project = Project.at(root)
    for locale in ("ar", "de", "es", "fr"):
        problems = Problems()
        strings = catalogs.ui_strings(project, locale, problems)
        assert not list(problems), messages(problems)
        for msgid, text in strings.items():
            for placeholder in ("%(date)s", "%(names)s", "%(n)s", "%(title)s", "{page}",
                                "{pages}"):
                assert (placeholder in msgid) == (placeholder in text), (locale, msgid)


def test_english_needs_no_catalog(root: Path) -> None:
    problems = Problems()
    assert catalogs.ui_strings(Project.at(root), "en", problems) == {}
    assert not list(problems)


def copy_layouts(tmp_path: Path, root: Path) -> Project:
    shutil.copytree(root / "layouts", tmp_path / "layouts")
    (tmp_path / "styles").mkdir()
    return Project.at(tmp_path)


def test_untranslated_string_falls_back_to_english_with_a_warning(tmp_path, root) -> None:
    project = copy_layouts(tmp_path, root)
    po = catalogs.po_path(project, "de")
    text = po.read_text("utf-8")
    po.write_text(text.replace('msgstr "Quellen"', 'msgstr ""'), "utf-8")
    problems = Problems()
    strings = catalogs.ui_strings(project, "de", problems)
    assert "References" not in strings
    assert catalogs.UIStrings(strings).gettext("References") == "References"
    (warning,) = messages(problems)
    line = text.splitlines().index('msgstr "Quellen"')  # the msgid is the line before
    assert warning == f"messages.po:{line}: warning: UI string not translated, English used:" \
        " 'References'"


def test_missing_catalog_is_one_warning(tmp_path, root) -> None:
    project = copy_layouts(tmp_path, root)
    problems = Problems()
    assert catalogs.ui_strings(project, "it", problems) == {}
    (warning,) = messages(problems)
    assert "no UI catalog for 'it'" in warning


def test_regional_locale_uses_the_language_catalog(tmp_path, root) -> None:
    project = copy_layouts(tmp_path, root)
    problems = Problems()
    strings = catalogs.ui_strings(project, "de-AT", problems)
    assert strings["References"] == "Quellen"
    assert not list(problems)


def test_update_merges_new_strings_and_creates_catalogs(tmp_path, root) -> None:
    project = copy_layouts(tmp_path, root)
    layout = project.layouts_dir / "leaflet.html.j2"
    layout.write_text(layout.read_text("utf-8") + '{{ _("A brand new string") }}\n', "utf-8")
    written = catalogs.update(project, ["de", "it"])
    assert catalogs.po_path(project, "it") in written
    with catalogs.po_path(project, "de").open("rb") as handle:
        german = read_po(handle)
    assert german.get("A brand new string") is not None
    assert german.get("References").string == "Quellen"  # existing work is kept
