"""UI strings: gettext catalogs for the words the layouts add ("References", "Page 1 of 4").

Translators work on `layouts/locales/<locale>/LC_MESSAGES/messages.po` (Poedit, Weblate);
`messages.pot` beside them is extracted from the layouts and the renderers by
`python publish.py catalogs`, which also merges new strings into every `.po`. Builds
compile the `.po` files themselves, in memory, every time: there is no compiled file to
forget to regenerate. A string a catalog does not translate falls back to English, with
a warning that names the catalog line.

The default catalogs ship with the layouts (core/defaults.py). A project's own
`layouts/locales/…/messages.po` replaces the default one of that locale, and
`publish.py catalogs` writes the project's own, starting from the default's translations.
"""

from __future__ import annotations

import gettext
from collections.abc import Iterable, Mapping
from io import BytesIO
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po, write_po

from pressroom.core.defaults import default_dir
from pressroom.core.errors import Problems, display_path
from pressroom.core.project import Project
from pressroom.translation.pofiles import write as write_unless_same

DOMAIN = "messages"
SOURCE_LANGUAGE = "en"
#: The package's root: its renderers' strings are extracted with the layouts'.
PACKAGE_DIR = Path(__file__).resolve().parent.parent
#: What to scan for translatable strings, relative to the folder scanned.
METHODS = [("**.j2", "jinja2"), ("**.py", "python")]
#: Inside the package: the layouts it ships (extracted as the default layouts) and the
#: templates of `publish.py new` (an author's files, not the UI's).
SKIPPED = [("defaults/**", "ignore"), ("cli/templates/**", "ignore")]
JINJA_OPTIONS = {"extensions": "jinja2.ext.i18n", "newstyle_gettext": "true"}
#: A comment starting with this just before a string (`{#- Translators: … -#}`) reaches
#: the translators, for strings too short to explain themselves.
COMMENT_TAGS = ("Translators:",)


def catalogs_dir(project: Project) -> Path:
    """The project's own catalogs: where `catalogs` writes."""
    return project.layouts_dir / "locales"


def _default(path: Path, project: Project) -> Path:
    """The default catalog of the same name as the project's `path`."""
    return default_dir("layouts") / path.relative_to(project.layouts_dir)


def _existing(path: Path, project: Project) -> Path:
    """The project's own catalog if it has one, else the default one."""
    return path if path.is_file() else _default(path, project)


def template_path(project: Project) -> Path:
    return catalogs_dir(project) / f"{DOMAIN}.pot"


def po_path(project: Project, locale: str) -> Path:
    """A locale's catalog: in a folder named as gettext names locales (`pt_BR`) or as
    BCP 47 and the rest of the project do (`pt-BR`); `pt_BR` for a new one."""
    paths = _spellings(project, locale)
    return next((p for p in paths if p.is_file()), paths[0])


def _spellings(project: Project, locale: str) -> list[Path]:
    names = dict.fromkeys([locale.replace("-", "_"), locale.replace("_", "-")])
    return [catalogs_dir(project) / name / "LC_MESSAGES" / f"{DOMAIN}.po" for name in names]


def check_folders(project: Project, locales: Iterable[str], problems: Problems) -> None:
    """A locale's catalog in two folders (`pt-BR` and `pt_BR`) is refused: which one a
    build reads would be a guess."""
    for locale in sorted(set(locales)):
        found = [p for p in _spellings(project, locale) if p.is_file()]
        if len(found) > 1:
            problems.error(found[1], None, f"a second UI catalog for '{locale}' (the other is"
                           f" {display_path(found[0])}): keep one of the two folders")


def extract(project: Project) -> Catalog:
    """Every `_()`/`gettext()` string in the layouts and in the package's renderers."""
    catalog = Catalog(project="Pressroom", domain=DOMAIN, charset="utf-8", fuzzy=False)
    for folder in (*project.folders("layouts"), PACKAGE_DIR):
        for filename, lineno, message, comments, context in extract_from_dir(
            folder, [*SKIPPED, *METHODS], options_map={"**.j2": JINJA_OPTIONS},
            strip_comment_tags=True, comment_tags=COMMENT_TAGS,
        ):
            location = (str(Path(folder.name) / filename), lineno)
            catalog.add(message, None, [location], auto_comments=comments, context=context)
    return catalog


def _read(path: Path, locale: str | None = None) -> Catalog:
    with path.open("rb") as handle:
        return read_po(handle, locale=locale, domain=DOMAIN)


def _write(path: Path, catalog: Catalog) -> bool:
    """Write unless only the dates would change (no churn in version control)."""
    buffer = BytesIO()
    write_po(buffer, catalog, width=88, sort_output=False, omit_header=False)
    return write_unless_same(path, buffer.getvalue())


def update(project: Project, locales: Iterable[str]) -> tuple[list[Path], list[Path]]:
    """Re-extract the template and merge it into each locale's catalog (creating missing
    ones). Returns the catalogs written and those already up to date."""
    template = extract(project)
    paths = [template_path(project)]
    written = [paths[0]] if _write(paths[0], template) else []
    for locale in sorted(set(locales) - {SOURCE_LANGUAGE}):
        path = po_path(project, locale)
        before: list[tuple[object, ...]] = []
        if (found := _existing(path, project)).is_file():
            catalog = _read(found, locale.replace("-", "_"))
            if found == path:  # the project's own: left byte for byte if nothing is new
                before = _messages(catalog)
            catalog.update(template, update_header_comment=False)
        else:
            catalog = Catalog(locale=locale.replace("-", "_"), domain=DOMAIN, fuzzy=False)
            catalog.update(template)
        catalog.obsolete.clear()
        paths.append(path)
        # Nothing new to merge: the file stays as the translator's tool wrote it (its
        # wrapping, its order), byte for byte.
        if before != _messages(catalog) and _write(path, catalog):
            written.append(path)
    return written, [p for p in paths if p not in written]


def _messages(catalog: Catalog) -> list[tuple[object, ...]]:
    """What a catalog says, without how it is written (a tool may wrap a comment)."""
    return [(m.id, m.string, m.context, sorted(m.flags), " ".join(m.auto_comments).split(),
             " ".join(m.user_comments).split(), sorted(m.locations), m.previous_id)
            for m in catalog if m.id]


def _candidates(project: Project, locale: str) -> list[Path]:
    """`pt-BR` looks for pt_BR, then pt: a regional catalog may be missing or partial."""
    parts = locale.split("-")
    return [po_path(project, "-".join(parts[:n])) for n in range(len(parts), 0, -1)]


def catalog_files(project: Project, locale: str) -> list[Path]:
    """Every file a locale's UI strings may be read from, the project's and the defaults
    (some may not exist)."""
    paths = [template_path(project), *_candidates(project, locale)]
    return [*paths, *(_default(path, project) for path in paths)]


def ui_strings(project: Project, locale: str, problems: Problems) -> Mapping[str, str]:
    """The translated UI strings of a locale as a plain mapping (msgid → text)."""
    if locale.split("-")[0] == SOURCE_LANGUAGE:
        return {}
    check_folders(project, [locale], problems)
    template_file = _existing(template_path(project), project)
    wanted = [m.id for m in _read(template_file) if m.id] if template_file.is_file() else []
    strings: dict[str, str] = {}
    found: list[tuple[Path, Catalog]] = []
    for path in (_existing(path, project) for path in _candidates(project, locale)):
        if path.is_file():
            found.append((path, _read(path, path.parent.parent.name.replace("-", "_"))))
    if not found:
        problems.warning(po_path(project, locale), None,
                         f"no UI catalog for '{locale}': layout text stays in English"
                         " (run `python publish.py catalogs` to create it)")
        return {}
    for _path, catalog in reversed(found):  # the most specific catalog wins
        for message in catalog:
            if message.id and message.string and not message.fuzzy:
                strings[str(message.id)] = str(message.string)
    path, catalog = found[0]
    missing = [msgid for msgid in wanted if msgid not in strings]
    if missing:
        # One line per catalog, whatever the count: what to do is the same for all.
        entries = [catalog.get(msgid) for msgid in missing]
        first = next((e for e in entries if e is not None), None)
        fix = ("run `python publish.py catalogs` to add the new ones to this catalog, then"
               " translate them" if None in entries else "translate them in this catalog")
        problems.warning(path, first.lineno if first is not None else None,
                         f"{len(missing)} UI string(s) not translated, English used instead"
                         f" (the first: {missing[0]!r}): {fix}")
    return strings


class UIStrings(gettext.NullTranslations):
    """gettext over a plain mapping: picklable, so a Publication can go to a worker process."""

    def __init__(self, strings: Mapping[str, str]) -> None:
        super().__init__()
        self._strings = strings

    def gettext(self, message: str) -> str:
        return self._strings.get(message) or message

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return self.gettext(singular if n == 1 else plural)
