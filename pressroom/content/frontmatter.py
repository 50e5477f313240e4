"""Front matter: split it off, parse the YAML keeping line numbers, validate every key.

YAML is composed into nodes first (not just loaded) because only nodes know their line;
an author told `muscle-spasms.md:4: error: 'reviewed' must be a date` fixes it in
seconds. The schema is a table of small validators, one per key, in the spirit of
mkdocs' config options; every problem is collected, none stops the others.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from pressroom.content import model as m
from pressroom.core.errors import Problems
from pressroom.core.locales import check_locale
from pressroom.core.yamlfile import Entry, Loader, YamlText, suggest

FENCE = "---"
REVISION_LENGTH = 16
REVISION = re.compile(rf"[0-9a-f]{{{REVISION_LENGTH}}}")


@dataclass(frozen=True)
class Split:
    yaml_text: str
    #: The Markdown body, preceded by blank lines so its line numbers are the file's.
    body: str


def split(text: str, path: Path, problems: Problems) -> Split | None:
    lines = text.splitlines(keepends=True)
    if not lines or lines[0].strip() != FENCE:
        problems.error(
            path, 1, "no front matter: start the file with '---', YAML with a 'title', then '---'"
        )
        return None
    for end in range(1, len(lines)):
        if lines[end].strip() in (FENCE, "..."):
            break
    else:
        problems.error(path, 1, "front matter is not closed: add a '---' line after the YAML")
        return None
    return Split("".join(lines[1:end]), "\n" * (end + 1) + "".join(lines[end + 1 :]))


# --- value validators: return (value, error message or "") --------------------------

Validator = Callable[[Any], tuple[Any, str]]


def _text(value: Any) -> tuple[Any, str]:
    if not isinstance(value, str):
        return None, f"must be text, not {_type_name(value)} (put it in quotes)"
    if not value.strip():
        return None, "is empty"
    return value.strip(), ""


def _text_list(value: Any) -> tuple[Any, str]:
    if not isinstance(value, list):
        return None, f"must be a list (one '- item' per line), not {_type_name(value)}"
    for index, item in enumerate(value, 1):
        if not isinstance(item, str) or not item.strip():
            return None, f"item {index} must be non-empty text"
    return tuple(item.strip() for item in value), ""


def _date(value: Any) -> tuple[Any, str]:
    if isinstance(value, dt.datetime):
        return value.date(), ""
    if isinstance(value, dt.date):
        return value, ""
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip()), ""
        except ValueError:
            pass
    return None, f"must be a date written YYYY-MM-DD, not {value!r}"


def _label(value: Any) -> tuple[Any, str]:
    """Short text that may be written as a number (`version: 3`)."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value), ""
    return _text(value)


def _revision(value: Any) -> tuple[Any, str]:
    """`translated_from`: the digest the translation tools record (see translation/segments.py)."""
    if isinstance(value, str) and REVISION.fullmatch(value.strip()):
        return value.strip(), ""
    written = value.strip() if isinstance(value, str) and value.strip() else repr(value)
    return None, (f"must be the {REVISION_LENGTH}-digit code the translation tools write, not"
                  f" {written} (run `python publish.py translations mark-current` to set it)")


def _grade(value: Any) -> tuple[Any, str]:
    """A school grade, the reading level an article aims at (`reading_target: 6`)."""
    written = value.strip() if isinstance(value, str) else value  # read as written: "6.5"
    try:
        grade = float(written) if isinstance(written, str) else written
    except ValueError:
        grade = None
    if isinstance(grade, int | float) and not isinstance(grade, bool) and 1 <= grade <= 18:
        return float(grade), ""
    return None, f"must be a school grade from 1 to 18 (e.g. 8), not {written!r}"


#: A topic id as `topics.yaml` names it: lower-case letters, digits and hyphens (it is a
#: file name: `out/<locale>/topics/<id>.html`).
TOPIC_ID = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


def _topic_ids(value: Any) -> tuple[Any, str]:
    """`topics: [muscles, sleep]`: ids of `topics.yaml`, checked against it by the build
    (content/topics.py), which knows the file."""
    if isinstance(value, str):
        value = [value]
    ids, message = _text_list(value)
    if message:
        return None, message
    for item in ids:
        if not TOPIC_ID.fullmatch(item):
            return None, (f"item '{item}' is not a topic id: use lower-case letters, digits"
                          " and hyphens, as in topics.yaml")
    return tuple(dict.fromkeys(ids)), ""


def _locale(value: Any) -> tuple[Any, str]:
    text, message = _text(value)
    if message:
        return None, message
    reason = check_locale(text)
    return (None, f"is not usable: {reason}") if reason else (text, "")


META_KEYS: dict[str, Validator] = {
    "title": _text,
    "subtitle": _text,
    "summary": _text,
    "authors": _text_list,
    "publisher": _text,
    "published": _date,
    "reviewed": _date,
    "review_due": _date,
    "keywords": _text_list,
    "source_locale": _locale,
    "code": _label,
    "version": _label,
    "translated_from": _revision,
    "reading_target": _grade,
    "topics": _topic_ids,
}
CHECKLIST_KEYS = ("symptoms", "remedies")
#: The longest title that fits the front page of the smallest leaflet (A5, large print
#: too) at the layout's smallest title size.
TITLE_MAX = 250
KNOWN_KEYS = (*META_KEYS, "checklist")


def _type_name(value: Any) -> str:
    return {
        str: "text", dict: "a mapping", list: "a list", bool: "true/false", int: "a number",
        float: "a number", dt.date: "a date", dt.datetime: "a date",
    }.get(type(value), type(value).__name__)


FIRST_LINE = 2  # the YAML starts on the line after the opening '---'


def parse(split_: Split, path: Path, problems: Problems) -> tuple[m.Meta, m.Checklist] | None:
    """Validate the front matter; None when it is too broken to describe the article."""
    text = YamlText(split_.yaml_text, path, problems, FIRST_LINE)
    root = text.root("front matter")
    if root is None:
        return None
    if not isinstance(root, yaml.MappingNode):
        problems.error(path, FIRST_LINE, "front matter must be 'key: value' lines (a mapping)")
        return None

    entries = text.entries(root)
    lines = {entry.key: entry.line for entry in entries}
    for entry in entries:
        if entry.key not in KNOWN_KEYS:
            problems.error(path, entry.line, f"unknown front-matter key '{entry.key}'"
                           f"{suggest(entry.key, KNOWN_KEYS)}")
    values: dict[str, Any] = {}
    checklist: m.Checklist = ()
    # Every value is text, a date or a list of them: read as written (`code: 021`).
    for entry, value in text.values([e for e in entries if e.key in KNOWN_KEYS], KNOWN_KEYS):
        if entry.key == "checklist":
            checklist = _checklist(text, entry, value)
            continue
        if value is None:
            if entry.key == "title":
                problems.error(path, entry.line, "'title' is empty")
            continue
        checked, message = META_KEYS[entry.key](value)
        if message:
            problems.error(path, entry.line, f"'{entry.key}' {message}")
        else:
            values[entry.key] = checked
    if "title" not in lines:
        problems.error(path, 1, "front matter has no 'title'")
    elif len(values.get("title", "")) > TITLE_MAX:
        problems.error(path, lines["title"], f"'title' is {len(values.pop('title'))} characters"
                       f" long: at most {TITLE_MAX} fit on the front page of an A5 leaflet;"
                       " move the rest to 'subtitle'")

    published, reviewed, due = (values.get(key) for key in ("published", "reviewed",
                                                             "review_due"))
    if reviewed and due and due < reviewed:
        problems.error(path, lines["review_due"], "'review_due' is before 'reviewed'")
    if published and reviewed and reviewed < published:
        problems.error(path, lines["reviewed"], "'reviewed' is before 'published'")

    _refuse_markup(split_, path, problems)
    if "title" not in values:
        return None
    return m.Meta(**values, lines=lines), checklist


#: Front-matter texts printed as they are written: the title page, the checklist's tick
#: boxes, the ebook's metadata. Markup there would be printed literally in front of a
#: patient, so it is refused where it is written, as raw HTML is in the body.
PLAIN_TEXT = ("title", "subtitle", "summary", "authors", "publisher", "keywords", "checklist")
_MARKUP = (
    ("an image", re.compile(r"!\[[^\]]*\]\((?:[^()]|\([^()]*\))*\)?")),
    ("a link", re.compile(r"\[[^\]]*\]\((?:[^()]|\([^()]*\))*\)?")),
    ("raw HTML", re.compile(r"<[A-Za-z/!?][^>]*>?")),
)


def _refuse_markup(split_: Split, path: Path, problems: Problems) -> None:
    for value in scalars(split_):
        if value.path[0] not in PLAIN_TEXT:
            continue
        for kind, pattern in _MARKUP:
            found = pattern.search(value.value)
            if found:
                name = ".".join(str(p) for p in value.path[:2]) if value.path[0] == "checklist" \
                    else str(value.path[0])
                what = f"'{name}' item" if len(value.path) > 1 else f"'{name}'"
                problems.error(path, value.line, f"{what} is plain text: {kind}"
                               f" ({found.group(0)!r}) is not allowed there; write the words"
                               " only")
                break


#: Form-field name prefix of each checklist group's items ("symptom-1").
_FIELD_PREFIX = {"symptoms": "symptom", "remedies": "remedy"}


def _checklist(text: YamlText, entry: Entry, value: Any) -> m.Checklist:
    path, problems = text.path, text.problems
    if value is None:
        return ()
    if not isinstance(value, dict) or not isinstance(entry.node, yaml.MappingNode):
        problems.error(path, entry.line,
                       "'checklist' must have 'symptoms:' and/or 'remedies:' lists")
        return ()
    groups: dict[str, m.ChecklistGroup] = {}
    for group in text.entries(entry.node, " in 'checklist'"):
        key, line = group.key, group.line
        if key not in CHECKLIST_KEYS:
            problems.error(
                path, line, f"unknown checklist key '{key}'{suggest(key, CHECKLIST_KEYS)}"
                f" (expected {' or '.join(CHECKLIST_KEYS)})",
            )
            continue
        items = value.get(key)
        if items is None:
            continue
        if not isinstance(items, list) or not isinstance(group.node, yaml.SequenceNode):
            problems.error(path, line, f"'checklist.{key}' must be a list of items")
            continue
        checked = []
        for item, item_node in zip(items, group.node.value, strict=True):
            item_line = text.line(item_node)
            if not isinstance(item, str) or not item.strip():
                problems.error(path, item_line, f"'checklist.{key}' item must be non-empty text")
            else:
                field = f"{_FIELD_PREFIX[key]}-{len(checked) + 1}"
                checked.append(m.ChecklistItem(item.strip(), item_line, field))
        if checked:
            groups[key] = m.ChecklistGroup(key, tuple(checked), line)
    # The page's order is fixed (symptoms, then what was tried), whatever the YAML's order.
    return tuple(groups[key] for key in CHECKLIST_KEYS if key in groups)


# --- values where they are written (for the translation tools) -----------------------


@dataclass(frozen=True, slots=True)
class Scalar:
    """A text value of the front matter and where it is written, so a translation can
    replace it in place and keep every other line (dates, codes, comments) as it is."""

    #: ("title",), ("keywords", 2), ("checklist", "symptoms", 1): keys, 1-based positions.
    path: tuple[str | int, ...]
    value: str
    #: 1-based line.
    line: int
    #: 0-based (line, column) in the file where the value's text starts and ends.
    start: tuple[int, int]
    end: tuple[int, int]
    #: Inside `[a, b]`: plain text there may not contain commas or brackets.
    flow: bool = False


def scalars(split_: Split) -> list[Scalar]:
    """Every text value of an already validated front matter, in file order: top-level
    values, list items, and the checklist's items."""
    try:
        root = yaml.compose(split_.yaml_text, Loader=Loader)
    except yaml.YAMLError:
        return []
    if not isinstance(root, yaml.MappingNode):
        return []
    found: list[Scalar] = []

    def add(path: tuple[str | int, ...], node: yaml.Node, flow: bool) -> None:
        if isinstance(node, yaml.ScalarNode) and node.tag == "tag:yaml.org,2002:str":
            found.append(Scalar(path, str(node.value), FIRST_LINE + node.start_mark.line,
                                (node.start_mark.line + 1, node.start_mark.column),
                                (node.end_mark.line + 1, node.end_mark.column), flow))
        elif isinstance(node, yaml.SequenceNode):
            for index, item in enumerate(node.value, 1):
                add((*path, index), item, bool(node.flow_style))
        elif isinstance(node, yaml.MappingNode) and path == ("checklist",):
            for key, value in node.value:
                add((*path, str(key.value)), value, False)

    for key, value in root.value:
        add((str(key.value),), value, False)
    return found
