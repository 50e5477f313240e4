"""YAML as authors write it: values with their line numbers, and errors that say where.

Front matter and `editions.yaml` are both read here. YAML is composed into nodes (only
nodes know their line) and each value is built from its own node, so one unreadable
value (`!!float abc`) is reported at its key and the others are still checked. Dates
stay text: YAML's own date conversion raises a bare ValueError on 2019-02-30, where the
caller can say which key and line.

Text is read as the author wrote it: YAML 1.1 would turn `code: 021` into 17 (octal) and
`version: 1.10` into 1.1, and nobody writing a leaflet code means that. A caller names
the keys whose values are text, and their plain scalars are kept as written.

The mistakes authors make most in YAML get a message that says how to fix them, at the
line to fix (`hints.py`'s job in other projects, here because both files need it): a tab
in the indentation, `key:value` without a space, `: ` inside an unquoted value, and a
value starting with `#` that YAML silently reads as a comment (`accent: #e8a317`).
"""

from __future__ import annotations

import difflib
import json
import re
from collections.abc import Container, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from pressroom.core.errors import Problems

_TIMESTAMP = "tag:yaml.org,2002:timestamp"
_NULL = "tag:yaml.org,2002:null"


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
            index = mark.line if mark else 0
            problem = getattr(exc, "problem_mark", None)
            hint = syntax_hint(self.text, index, problem.line if problem else index)
            if hint is not None:
                index, reason = hint
            self.problems.error(self.path, self.first_line + index,
                                f"{what} is not valid YAML: {reason}")
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

    def value(self, node: yaml.Node, as_written: bool = False) -> Any:
        """Build one node's value; raises Unreadable with the reason.

        `as_written`: plain scalars stay the text the author wrote (`021`, `1.10`, `yes`),
        in lists and mappings too; an empty value is still None.
        """
        try:
            return self._written(node) if as_written else self._construct(node)
        except Exception as exc:
            # PyYAML's constructors fail on tagged values (`!!float abc`, `!!bool 0`) with
            # ValueError, KeyError, AttributeError…: the author's input, not a bug.
            reason = str(exc).splitlines()[0] if isinstance(exc, ValueError | TypeError) \
                else "a tagged value it cannot build (remove the !!tag)"
            raise Unreadable(reason) from exc

    def _construct(self, node: yaml.Node) -> Any:
        return self._loader.construct_object(node, deep=True)

    def _written(self, node: yaml.Node) -> Any:
        if isinstance(node, yaml.ScalarNode) and not node.style and self._implicit(node):
            return None if node.tag == _NULL else node.value
        if isinstance(node, yaml.SequenceNode):
            return [self._written(item) for item in node.value]
        if isinstance(node, yaml.MappingNode) and all(
                isinstance(key, yaml.ScalarNode) for key, _ in node.value):
            return {str(key.value): self._written(value) for key, value in node.value}
        return self._construct(node)

    def _implicit(self, node: yaml.ScalarNode) -> bool:
        """True unless the author gave the value a tag of its own (`!!float abc`)."""
        return self._loader.resolve(yaml.ScalarNode, node.value, (True, False)) == node.tag

    def values(self, entries: list[Entry], as_written: Container[str] = ()
               ) -> Iterator[tuple[Entry, Any]]:
        """(entry, value) for every entry whose value can be built; the rest are reported.

        The values of keys in `as_written` are text as the author wrote it (see value()).
        """
        for entry in entries:
            if comment := self.swallowed_comment(entry):
                self.problems.error(self.path, entry.line, comment_message(entry.key, comment))
                continue
            try:
                yield entry, self.value(entry.node, entry.key in as_written)
            except Unreadable as exc:
                self.problems.error(self.path, entry.line,
                                    f"'{entry.key}' has a value YAML cannot read: {exc}")

    def swallowed_comment(self, entry: Entry) -> str:
        """`#e8a317` when the author wrote `accent: #e8a317`: YAML reads a comment and an
        empty value. Only a `#` directly followed by text counts (`# TODO` is a comment)."""
        node = entry.node
        if not (isinstance(node, yaml.ScalarNode) and node.tag == _NULL and node.value == ""):
            return ""
        lines = self.text.splitlines()
        row = node.start_mark.line
        if row >= len(lines):
            return ""
        match = re.match(r"\s+(#\S.*?)\s*$", lines[row][node.start_mark.column:])
        return match.group(1) if match else ""


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


_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")


def comment_message(key: str, comment: str) -> str:
    what = "quote colours" if _COLOUR.match(comment) else "put the value in quotes"
    return (f"'{key}' is empty: YAML reads '{comment}' as a comment; {what}:"
            f" {key}: {_quoted(comment)}")


def _quoted(value: str) -> str:
    if "'" not in value:
        return f"'{value}'"
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


#: `key:value` at the start of a line: a key, its colon, no space.
_NO_SPACE = re.compile(r"^\s*(?:-\s+)?([A-Za-z_][\w-]*):(?![\s/])(\S.*)$")
#: `key: value` whose value holds another `: `.
_KEY_VALUE = re.compile(r"^\s*(?:-\s+)?([A-Za-z_][\w-]*):\s+(.*?)\s*$")


def syntax_hint(text: str, context: int, problem: int) -> tuple[int, str] | None:
    """(0-based line, message) for the syntax mistakes authors make most, or None.

    `context` and `problem` are the lines YAML's error names: the mistake is on one of
    them or just above (a key missing its space is reported on the line after).
    """
    lines = text.splitlines()
    first, last = max(0, min(context, problem) - 2), min(max(context, problem), len(lines) - 1)
    for row in range(first, last + 1):
        indent = lines[row][: len(lines[row]) - len(lines[row].lstrip())]
        if "\t" in indent:
            return row, "this line is indented with a tab: indent with spaces, not tabs"
    if 0 <= problem < len(lines):
        match = _KEY_VALUE.match(lines[problem])
        if match and (": " in match.group(2) or match.group(2).endswith(":")):
            key, value = match.groups()
            return problem, (f"the value of '{key}' contains ': ': put it in quotes:"
                             f" {key}: {_quoted(value)}")
    for row in range(last, first - 1, -1):
        match = _NO_SPACE.match(lines[row])
        if match:
            key, value = match.groups()
            return row, f"'{key}:' needs a space after the colon: {key}: {value}"
    return None
