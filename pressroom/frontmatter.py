"""Front matter: split it off, parse the YAML keeping line numbers, validate every key.

YAML is composed into nodes first (not just loaded) because only nodes know their line;
an author told `muscle-spasms.md:4: error: 'reviewed' must be a date` fixes it in
seconds. The schema is a table of small validators, one per key, in the spirit of
mkdocs' config options; every problem is collected, none stops the others.
"""

from __future__ import annotations

import datetime as dt
import difflib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from . import model as m
from .errors import Problems
from .locales import check_locale

FENCE = "---"


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
}
CHECKLIST_KEYS = ("symptoms", "remedies")
KNOWN_KEYS = (*META_KEYS, "checklist")


def _type_name(value: Any) -> str:
    return {
        str: "text", dict: "a mapping", list: "a list", bool: "true/false", int: "a number",
        float: "a number", dt.date: "a date", dt.datetime: "a date",
    }.get(type(value), type(value).__name__)


def _suggest(key: str, known: tuple[str, ...]) -> str:
    close = difflib.get_close_matches(key, known, n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""


class _Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """libyaml's safe loader when PyYAML has it (its wheels do): the same, much faster.

    Dates are left as text: YAML's own date conversion raises a bare ValueError on an
    impossible date (2019-02-30), where `_date` reports it at the key's line.
    """


_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _compose_and_load(text: str) -> tuple[yaml.Node | None, Any]:
    """Parse once: the node tree (for line numbers) and the values built from it."""
    loader = _Loader(text)
    try:
        root = loader.get_single_node()
        return root, (loader.construct_document(root) if root is not None else None)
    finally:
        loader.dispose()


def parse(split_: Split, path: Path, problems: Problems) -> tuple[m.Meta, m.Checklist] | None:
    """Validate the front matter; None when it is too broken to describe the article."""
    first_line = 2  # the YAML starts on the line after the opening '---'
    try:
        root, data = _compose_and_load(split_.yaml_text)
    except yaml.YAMLError as exc:
        # An unclosed bracket or quote fails at the end of the text; where it was opened
        # (the context) is the line the author needs to look at.
        mark = getattr(exc, "context_mark", None) or getattr(exc, "problem_mark", None)
        line = first_line + mark.line if mark else 1
        reason = ", ".join(
            part for part in (getattr(exc, "context", None), getattr(exc, "problem", None)) if part
        ) or str(exc).splitlines()[0]
        problems.error(path, line, f"front matter is not valid YAML: {reason}")
        return None
    except Exception as exc:
        # PyYAML's constructors fail on tagged values (`!!float abc`, `!!bool 0`) with
        # ValueError, KeyError, AttributeError…: the author's input, not a bug.
        reason = str(exc) if isinstance(exc, ValueError | TypeError) else (
            "a tagged value it cannot build (remove the !!tag)")
        problems.error(path, first_line, f"front matter has a value YAML cannot read: {reason}")
        return None
    if not isinstance(root, yaml.MappingNode) or not isinstance(data, dict):
        problems.error(path, first_line, "front matter must be 'key: value' lines (a mapping)")
        return None

    lines: dict[str, int] = {}
    nodes: dict[str, yaml.Node] = {}
    for key_node, value_node in root.value:
        key, line = str(key_node.value), first_line + key_node.start_mark.line
        if key in lines:
            problems.error(path, line, f"'{key}' is given twice (first on line {lines[key]})")
        elif key not in KNOWN_KEYS:
            problems.error(
                path, line, f"unknown front-matter key '{key}'{_suggest(key, KNOWN_KEYS)}"
            )
        lines[key], nodes[key] = line, value_node

    values: dict[str, Any] = {}
    for key, validator in META_KEYS.items():
        if data.get(key) is None:
            continue
        value, message = validator(data[key])
        if message:
            problems.error(path, lines[key], f"'{key}' {message}")
        else:
            values[key] = value
    if "title" not in lines:
        problems.error(path, 1, "front matter has no 'title'")
    elif data.get("title") is None:
        problems.error(path, lines["title"], "'title' is empty")

    reviewed, due = values.get("reviewed"), values.get("review_due")
    if reviewed and due and due < reviewed:
        problems.error(path, lines["review_due"], "'review_due' is before 'reviewed'")

    checklist = _checklist(data.get("checklist"), nodes.get("checklist"), lines, path, problems)
    if "title" not in values:
        return None
    return m.Meta(**values, lines=lines), checklist


def _checklist(
    data: Any, node: yaml.Node | None, lines: dict[str, int], path: Path, problems: Problems
) -> m.Checklist:
    if data is None or node is None:
        return m.Checklist()
    if not isinstance(data, dict) or not isinstance(node, yaml.MappingNode):
        problems.error(
            path, lines["checklist"], "'checklist' must have 'symptoms:' and/or 'remedies:' lists"
        )
        return m.Checklist()
    groups: dict[str, tuple[m.ChecklistItem, ...]] = {}
    for key_node, value_node in node.value:
        key, line = str(key_node.value), 2 + key_node.start_mark.line
        if key not in CHECKLIST_KEYS:
            problems.error(
                path, line, f"unknown checklist key '{key}'{_suggest(key, CHECKLIST_KEYS)}"
                f" (expected {' or '.join(CHECKLIST_KEYS)})",
            )
            continue
        value = data.get(key)
        if value is None:
            continue
        if not isinstance(value, list) or not isinstance(value_node, yaml.SequenceNode):
            problems.error(path, line, f"'checklist.{key}' must be a list of items")
            continue
        items = []
        for item, item_node in zip(value, value_node.value, strict=True):
            item_line = 2 + item_node.start_mark.line
            if not isinstance(item, str) or not item.strip():
                problems.error(path, item_line, f"'checklist.{key}' item must be non-empty text")
            else:
                items.append(m.ChecklistItem(item.strip(), item_line))
        groups[key] = tuple(items)
    return m.Checklist(**groups)
