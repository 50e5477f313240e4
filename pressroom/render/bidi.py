"""Left-to-right runs inside right-to-left text, each laid out as one unit.

The Unicode bidi algorithm gives a character without a direction of its own (™, a full
stop, a quotation mark) the direction around it. In an Arabic sentence that is right to
left, so "مثل Tic Tamer™ راحة" prints as "™Tic Tamer", and an English reference inside an
Arabic list has its title and its stops shuffled. Translators should not have to type
invisible marks to prevent it: the renderer finds each left-to-right run and isolates it
(`<span dir="ltr">`, which browsers isolate and WeasyPrint lays out as one box), the same
in every format, for every right-to-left locale.

A run starts at a letter written left to right (Latin, Greek, Cyrillic...) and goes on,
through spaces, digits and punctuation, up to the last such letter or digit before the
next right-to-left letter; then it takes

- what is attached to its end without a space: ™ ® ° %, closing quotation marks and
  brackets, and a stop or comma ("Healthline." in a reference) — but not the stop that
  ends the whole text, which belongs to the right-to-left sentence ("… مثل Tic Tamer."),
  unless the run is the whole text, nor Arabic punctuation (، ؛ ؟), which is the
  sentence's;
- what is attached to its start: opening quotation marks and brackets, and a number
  before a unit ("5 mg").

Digit groups separated by single spaces ("+44 1632 960 123") are a run too: the
algorithm would print the groups in reverse order.

A short run — a brand name, a number with its unit, a phone number — is also kept on one
line (`unit`; the layouts give it a class the styles set `nowrap`): "Tic Tamer™" split
over two lines of an Arabic checklist reads as two things. A longer one (a reference, a
web address) may wrap like any text, or it would overflow its column.

Runs never cross a hard line break. Inside inline markup, a run that crosses emphasis is
wrapped whole (the emphasis is split at the run's edges); a link is never split (that
would make two links): a run that enters or leaves a link is cut at the link's edge.
The content model is not changed: `isolate` returns a new tree for the layouts, with
`Isolate` nodes they render as `<span dir="ltr">`.
"""

from __future__ import annotations

import dataclasses
import itertools
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from typing import ClassVar

from markupsafe import Markup, escape

from pressroom.content import model as m
from pressroom.core.locales import content_direction


@dataclass(frozen=True, slots=True)
class Isolate:
    """Inline content laid out on its own in `direction`, whatever surrounds it."""

    kind: ClassVar[str] = "isolate"
    direction: str
    children: tuple[m.Inline | Isolate, ...]
    #: Short enough to be kept on one line (`is_unit`).
    unit: bool = False


#: The longest run kept on one line: "Tic Tamer™", "5 mg", "+44 1632 960 123".
UNIT_CHARACTERS = 20
UNIT_WORDS = 4


def is_unit(text: str) -> bool:
    """A run short enough to keep on one line: a few words, no web or mail address."""
    words = text.split()
    return (len(text.strip()) <= UNIT_CHARACTERS and len(words) <= UNIT_WORDS
            and not any(c in text for c in "/@"))


_CONTAINERS = (m.Emphasis, m.Strong, m.Link)
_OBJECT = "\ufffc"  # a note call or an image: neutral, never part of a run's edge
_BREAK = "\u2029"  # a hard line break: no run crosses it
_STRONG_L = "A"  # stands for inline code written left to right
_STRONG_R = "\u05d0"  # stands for inline code written right to left
#: Opening quotation marks and brackets (guillemets, curly and low quotes, ¿ ¡, ASCII).
_OPENERS = frozenset("\"'([{\u00ab\u2039\u201c\u2018\u201e\u201a\u00bf\u00a1")
_SENTENCE_END = frozenset(".,;:!?…")
_NUMBER_INSIDE = frozenset(".,:/-")


def _is_l(char: str) -> bool:
    return unicodedata.bidirectional(char) == "L"


def _is_r(char: str) -> bool:
    return unicodedata.bidirectional(char) in ("R", "AL") or char == _BREAK


def _is_digit(char: str) -> bool:
    return unicodedata.bidirectional(char) == "EN"


def _is_arabic_punctuation(char: str) -> bool:
    return "\u0600" <= char <= "\u06ff" or "\ufb50" <= char <= "\ufdff"


def _attachable(char: str) -> bool:
    """May stick to the end of a run: not a space, a note call, or the sentence's own
    (right-to-left) punctuation."""
    return not (char.isspace() or char == _OBJECT or _is_r(char)
                or _is_arabic_punctuation(char))


def ltr_runs(text: str) -> list[tuple[int, int]]:
    """The left-to-right runs of a right-to-left text, as (start, end) offsets."""
    runs: list[tuple[int, int]] = []
    size = len(text)
    i = 0
    while i < size:
        start = next((k for k in range(i, size) if _is_l(text[k])), None)
        if start is None:
            break
        stop, end = start, start
        while stop < size and not _is_r(text[stop]):
            if _is_l(text[stop]) or _is_digit(text[stop]):
                end = stop + 1
            stop += 1
        while end < stop and _attachable(text[end]):
            end += 1
        begin = _extend_back(text, start, runs[-1][1] if runs else 0)
        ends_text = stop == size or text[stop] == _BREAK
        if ends_text and (begin, end) != _trimmed(text):
            while end > start + 1 and text[end - 1] in _SENTENCE_END:
                end -= 1
        runs.append((begin, end))
        i = max(stop, end)
    return sorted(runs + _digit_groups(text, runs))


def _extend_back(text: str, start: int, floor: int) -> int:
    """Take in an opening quote or bracket, and a number before a unit ("5 mg")."""
    begin = start
    while begin > floor and text[begin - 1] in _OPENERS:
        begin -= 1
    k = begin - 1 if begin > floor and text[begin - 1] == " " else begin
    digits = k
    while digits > floor and (_is_digit(text[digits - 1]) or (
            text[digits - 1] in _NUMBER_INSIDE and digits - 1 > floor
            and _is_digit(text[digits - 2]))):
        digits -= 1
    if digits < k and _is_digit(text[digits]):
        return digits
    return begin


def _trimmed(text: str) -> tuple[int, int]:
    start = len(text) - len(text.lstrip())
    return start, len(text.rstrip())


def _digit_groups(text: str, runs: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Numbers in groups separated by single spaces, outside the letter runs."""
    found = []
    size = len(text)
    i = 0
    while i < size:
        if not (_is_digit(text[i]) or (text[i] == "+" and i + 1 < size
                                       and _is_digit(text[i + 1]))):
            i += 1
            continue
        start, end, groups = i, i, 0
        k = i + (text[i] == "+")
        while k < size and _is_digit(text[k]):
            while k < size and (_is_digit(text[k]) or (
                    text[k] in _NUMBER_INSIDE and k + 1 < size and _is_digit(text[k + 1]))):
                k += 1
            groups, end = groups + 1, k
            if k + 1 < size and text[k] == " " and _is_digit(text[k + 1]):
                k += 1
            else:
                break
        if groups > 1 and not any(a < end and start < b for a, b in runs):
            found.append((start, end))
        i = max(end, i + 1)
    return found


# --- inline content -------------------------------------------------------------------


def _size(node: object) -> int:
    if isinstance(node, m.Text):
        return len(node.text)
    if isinstance(node, _CONTAINERS):
        return sum(_size(child) for child in node.children)
    return 1


def _flat(nodes: Sequence[object]) -> str:
    """The text the runs are found in: one character for a note call, an image or a code
    span (of the code's direction), soft line breaks as spaces."""
    parts = []
    for node in nodes:
        if isinstance(node, m.Text):
            parts.append(node.text.replace("\n", " "))
        elif isinstance(node, _CONTAINERS):
            parts.append(_flat(node.children))
        elif isinstance(node, m.LineBreak):
            parts.append(_BREAK)
        elif isinstance(node, m.Code):
            direction = content_direction(node.text, "")
            parts.append({"ltr": _STRONG_L, "rtl": _STRONG_R}.get(direction, _OBJECT))
        else:
            parts.append(_OBJECT)
    return "".join(parts)


def _links(nodes: Sequence[object], offset: int = 0) -> list[tuple[int, int]]:
    found = []
    for node in nodes:
        size = _size(node)
        if isinstance(node, m.Link):
            found.append((offset, offset + size))
        elif isinstance(node, _CONTAINERS):
            found += _links(node.children, offset)
        offset += size
    return found


def _clip(runs: list[tuple[int, int]], links: list[tuple[int, int]], text: str
          ) -> list[tuple[int, int]]:
    """Cut runs at the edges of links they cross, so that no link is ever split."""
    pieces = list(runs)
    for a, b in links:
        cut = []
        for start, end in pieces:
            if (start <= a and b <= end) or (a <= start and end <= b):
                cut.append((start, end))  # the whole link in the run, or the run in it
                continue
            edges = [start, *(x for x in (a, b) if start < x < end), end]
            cut += list(itertools.pairwise(edges))
        pieces = cut
    out = []
    for start, end in pieces:
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if any(_is_l(c) or _is_digit(c) for c in text[start:end]):
            out.append((start, end))
    return out


def _cut(node: object, at: int) -> tuple[object, object]:
    """Split a text or an emphasis `at` characters from its start."""
    if isinstance(node, m.Text):
        return m.Text(node.text[:at]), m.Text(node.text[at:])
    assert isinstance(node, m.Emphasis | m.Strong), node  # links and atoms are never cut
    left, right, offset = [], [], 0
    for child in node.children:
        size = _size(child)
        if offset + size <= at:
            left.append(child)
        elif offset >= at:
            right.append(child)
        else:
            first, second = _cut(child, at - offset)
            left.append(first)
            right.append(second)
        offset += size
    return (dataclasses.replace(node, children=tuple(left)),
            dataclasses.replace(node, children=tuple(right)))


def _wrap(nodes: Sequence[object], start: int, runs: list[tuple[int, int]], text: str
          ) -> list[object]:
    """Wrap each run in an Isolate; `nodes` cover the offsets from `start` of `text`."""
    items: list[tuple[object, int, int]] = []
    offset = start
    for node in nodes:
        items.append((node, offset, offset + _size(node)))
        offset += _size(node)

    def within_one(run: tuple[int, int]) -> bool:
        return any(isinstance(n, _CONTAINERS) and a <= run[0] and run[1] <= b
                   and (a, b) != run for n, a, b in items)

    here = [run for run in runs if not within_one(run)]
    for boundary in sorted({x for run in here for x in run}):
        for index, (node, a, b) in enumerate(items):
            if a < boundary < b:
                first, second = _cut(node, boundary - a)
                items[index:index + 1] = [(first, a, boundary), (second, boundary, b)]
                break
    out: list[object] = []
    for node, a, b in items:
        run = next((r for r in here if r[0] <= a and b <= r[1]), None)
        if run is not None:
            if out and isinstance(out[-1], _Open) and out[-1].run == run:
                out[-1].children.append(node)
            else:
                out.append(_Open(run, [node]))
            continue
        inner = [r for r in runs if r not in here and a <= r[0] and r[1] <= b]
        if inner and isinstance(node, _CONTAINERS):
            node = dataclasses.replace(node, children=tuple(_wrap(node.children, a, inner,
                                                                   text)))
        out.append(node)
    return [Isolate("ltr", tuple(n.children), is_unit(text[n.run[0]:n.run[1]]))
            if isinstance(n, _Open) else n for n in out]


@dataclass
class _Open:
    run: tuple[int, int]
    children: list[object]


def isolate(nodes: Sequence[m.Inline], direction: str) -> tuple[object, ...]:
    """Inline content with its left-to-right runs wrapped in `Isolate` nodes, when the
    text around them runs right to left (`direction`); unchanged otherwise."""
    nodes = tuple(nodes)
    if direction != "rtl" or not nodes:
        return nodes
    text = _flat(nodes)
    runs = _clip(ltr_runs(text), _links(nodes), text)
    return tuple(_wrap(nodes, 0, runs, text)) if runs else nodes


def isolate_text(text: str, direction: str) -> Markup:
    """Plain text (a checklist item, a title) as HTML, its left-to-right runs isolated."""
    text = str(text)
    if direction != "rtl":
        return escape(text)
    out, last = [], 0
    for start, end in ltr_runs(text):
        out.append(escape(text[last:start]))
        run = text[start:end]
        tag = '<span dir="ltr" class="ltr-unit">%s</span>' if is_unit(run) else \
            '<span dir="ltr">%s</span>'
        out.append(Markup(tag) % run)
        last = end
    out.append(escape(text[last:]))
    return Markup("").join(out)
