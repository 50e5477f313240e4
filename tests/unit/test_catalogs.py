"""UI string catalogs: extracted from the layouts, complete per locale, English fallback."""

from __future__ import annotations

import shutil
from pathlib import Path

from babel.messages.pofile import read_po
from helpers import messages

from pressroom.core.errors import Problems
from pressroom.core.project import Project
from pressroom.translation import catalogs


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
    assert warning == f"messages.po:{line}: warning: 1 UI string(s) not translated, English" \
        " used instead (the first: 'References'): translate them in this catalog"


def test_a_catalog_missing_strings_is_one_warning_with_the_count(tmp_path, root) -> None:
    project = copy_layouts(tmp_path, root)
    po = catalogs.po_path(project, "de")
    text = po.read_text("utf-8")
    for msgstr in ('msgstr "Quellen"\n', 'msgstr "Titelbild"\n', 'msgstr "Inhalt"\n'):
        assert msgstr in text
        text = text.replace(msgstr, 'msgstr ""\n')
    po.write_text(text, "utf-8")
    layout = project.layouts_dir / "leaflet.html.j2"
    layout.write_text(layout.read_text("utf-8") + '{{ _("A brand new string") }}\n', "utf-8")
    template = catalogs.extract(project)
    with catalogs.template_path(project).open("wb") as handle:
        from babel.messages.pofile import write_po

        write_po(handle, template)
    problems = Problems()
    catalogs.ui_strings(project, "de", problems)
    (warning,) = messages(problems)
    assert warning.endswith(": warning: 4 UI string(s) not translated, English used instead"
                            " (the first: 'Cover'): run `python publish.py catalogs` to add the"
                            " new ones to this catalog, then translate them")


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
    written, unchanged = catalogs.update(project, ["de", "it"])
    assert catalogs.po_path(project, "it") in written
    assert not unchanged
    with catalogs.po_path(project, "de").open("rb") as handle:
        german = read_po(handle)
    assert german.get("A brand new string") is not None
    assert german.get("References").string == "Quellen"  # existing work is kept


def test_catalogs_are_rewritten_only_when_their_content_changes(tmp_path, root) -> None:
    """No churn: a new creation date alone does not rewrite a catalog."""
    project = copy_layouts(tmp_path, root)
    files = [catalogs.template_path(project),
             *(catalogs.po_path(project, loc) for loc in ("ar", "de", "es", "fr"))]
    before = [path.read_bytes() for path in files]
    written, unchanged = catalogs.update(project, ["en", "ar", "de", "es", "fr"])
    assert (written, unchanged) == ([], files)
    assert [path.read_bytes() for path in files] == before
    layout = project.layouts_dir / "leaflet.html.j2"
    layout.write_text(layout.read_text("utf-8") + '{{ _("A brand new string") }}\n', "utf-8")
    written, unchanged = catalogs.update(project, ["en", "ar", "de", "es", "fr"])
    assert (written, unchanged) == (files, [])
