"""YAML as authors write it: values with their line numbers, and errors that say where.

Front matter and `editions.yaml` are both read here. YAML is composed into nodes (only
nodes know their line) and each value is built from its own node, so one unreadable
value (`!!float abc`) is reported at its key and the others are still checked. Dates
stay text: YAML's own date conversion raises a bare ValueError on 2019-02-30, where the
caller can say which key and line.
"""

from __future__ import annotations

import difflib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from .errors import Problems

_TIMESTAMP = "tag:yaml.org,2002:timestamp"


class Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """libyaml's safe loader when PyYAML has it (its wheels do): the same, much faster."""


Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != _TIMESTAMP]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


class Unreadable(Exception):
    """A node YAML cannot build into a value (a bad tag, an impossible number)."""


@dataclass(frozen=True, slots=True)
class Entry:
    key: str
    #: 1-based line of the key in the file.
    line: int
    node: yaml.Node


def suggest(word: str, known: tuple[str, ...] | list[str]) -> str:
    """" (did you mean 'summary'?)" for a near miss, "" otherwise."""
    close = difflib.get_close_matches(word, list(known), n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""


class YamlText:
    """One YAML text of a file; `first_line` is the file line the text starts on."""

    def __init__(self, text: str, path: Path, problems: Problems, first_line: int = 1) -> None:
        self.text = text
        self.path = path
        self.problems = problems
        self.first_line = first_line
        self._loader = Loader(text)

    def line(self, node: yaml.Node) -> int:
        return self.first_line + node.start_mark.line

    def root(self, what: str) -> yaml.Node | None:
        """The document's top node; None (reported) when the text is not valid YAML."""
        try:
            return self._loader.get_single_node()
        except yaml.YAMLError as exc:
            # An unclosed bracket or quote fails at the end of the text; where it was
            # opened (the context) is the line the author needs to look at.
            mark = getattr(exc, "context_mark", None) or getattr(exc, "problem_mark", None)
            reason = ", ".join(
                part for part in (getattr(exc, "context", None), getattr(exc, "problem", None))
                if part
            ) or str(exc).splitlines()[0]
            line = self.first_line + mark.line if mark else self.first_line
            self.problems.error(self.path, line, f"{what} is not valid YAML: {reason}")
            return None

    def entries(self, node: yaml.Node, within: str = "") -> list[Entry]:
        """The keys of a mapping node in order; a key given twice is reported and skipped.

        `within` names the mapping in that message (" in 'editions'"), "" for the top.
        """
        entries: list[Entry] = []
        seen: dict[str, int] = {}
        for key_node, value_node in node.value:
            key, line = str(key_node.value), self.line(key_node)
            if key in seen:
                self.problems.error(self.path, line, f"'{key}' is given twice{within} (first on"
                                    f" line {seen[key]})")
                continue
            seen[key] = line
            entries.append(Entry(key, line, value_node))
        return entries

    def value(self, node: yaml.Node) -> Any:
        """Build one node's value; raises Unreadable with the reason."""
        try:
            return self._loader.construct_object(node, deep=True)
        except Exception as exc:
            # PyYAML's constructors fail on tagged values (`!!float abc`, `!!bool 0`) with
            # ValueError, KeyError, AttributeError…: the author's input, not a bug.
            reason = str(exc).splitlines()[0] if isinstance(exc, ValueError | TypeError) \
                else "a tagged value it cannot build (remove the !!tag)"
            raise Unreadable(reason) from exc

    def values(self, entries: list[Entry]) -> Iterator[tuple[Entry, Any]]:
        """(entry, value) for every entry whose value can be built; the rest are reported."""
        for entry in entries:
            try:
                yield entry, self.value(entry.node)
            except Unreadable as exc:
                self.problems.error(self.path, entry.line,
                                    f"'{entry.key}' has a value YAML cannot read: {exc}")


def scalar_text(value: str, flow: bool = False) -> str:
    """`value` written as a YAML scalar that reads back as exactly that text: plain where
    it can be (`title: Espasmos musculares`), double-quoted otherwise (`"a: b"`).
    `flow`: inside `[a, b]`, where commas and brackets need quotes."""
    one_line = "\n" not in value and value == value.strip()
    if one_line and value and not (flow and any(c in value for c in ",[]{}")):
        wrapped = f"k: [{value}]" if flow else f"k: {value}"
        try:
            read = yaml.load(wrapped, Loader=Loader)
        except yaml.YAMLError:
            read = None
        if read == {"k": [value] if flow else value}:
            return value
    for ascii_only in (False, True):
        quoted = json.dumps(value, ensure_ascii=ascii_only)
        if yaml.load(f"k: {quoted}", Loader=Loader) == {"k": value}:
            return quoted
    raise ValueError(f"cannot write {value!r} as YAML")  # pragma: no cover (JSON is YAML)
