"""Hypothesis strategies for whole articles in the grammar the reader accepts.

A helper for tests (`from articles_strategy import libraries`), not a test file. Every
article drawn is meant to build without an error: headings (sections and subsections),
inline markup (emphasis, strong, code, links, images), nested lists (bulleted and
numbered), block quotes, tables, figures, code blocks, keyed notes whose definitions hold
several blocks (paragraphs, code, lists, quotes, tables, figures), inline notes, calls side
by side, a checklist, and text in English or in Arabic with left-to-right runs inside.

Each article comes with what its author meant, worked out from the text as it was drawn
(never by the code under test): the note numbers its calls must show, in reading order.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from hypothesis import strategies as st

LATIN = ("dose", "rest", "cramp", "muscle", "water", "sleep", "doctor", "calf", "night",
         "stretch", "pain", "magnesium", "days", "warm", "often", "the", "and", "may")
ARABIC = ("جرعة", "راحة", "تشنج", "العضلة", "ماء", "نوم", "الطبيب", "ساق", "ليلا",
          "تمدد", "ألم", "المغنيسيوم", "أيام", "دافئ", "غالبا", "في", "قد", "لا")
#: Left-to-right runs an Arabic text carries: a brand name, a dose, a reference.
RUNS = ("Tic Tamer™", "5 mg", "Kurz, Jennifer, M.D.", "NHS 111", "WHO 2019")
IMAGE = "blue.png"


@dataclass
class Draft:
    """An article being drawn: its locale, the note calls in reading order, the notes."""

    locale: str
    calls: list[str] = field(default_factory=list)  # keys in reading order ("" = inline)
    keyed: list[str] = field(default_factory=list)  # keys of the keyed notes, as cited first
    counter: int = 0

    def new_key(self) -> str:
        self.counter += 1
        return f"n{self.counter}"

    def expected_numbers(self) -> list[int]:
        """The number each call shows: keys numbered by first citation, a repeat reusing
        its number, every inline note a number of its own, in one sequence."""
        numbers: dict[str, int] = {}
        shown, count = [], 0
        for key in self.calls:
            if key and key in numbers:
                shown.append(numbers[key])
                continue
            count += 1
            if key:
                numbers[key] = count
            shown.append(count)
        return shown


@dataclass(frozen=True)
class GeneratedArticle:
    locale: str
    slug: str
    text: str
    #: The note number of every call, in reading order.
    calls: tuple[int, ...]

    @property
    def notes(self) -> int:
        return max(self.calls, default=0)


@st.composite
def word(draw, draft: Draft) -> str:
    if draft.locale == "ar":
        if draw(st.integers(0, 5)) == 0:
            return draw(st.sampled_from(RUNS))
        return draw(st.sampled_from(ARABIC))
    return draw(st.sampled_from(LATIN))


@st.composite
def words(draw, draft: Draft, low: int = 1, high: int = 5) -> str:
    return " ".join(draw(st.lists(word(draft), min_size=low, max_size=high)))


@st.composite
def inline_note(draw, draft: Draft) -> str:
    draft.calls.append("")
    return f"^[{draw(phrase(draft, notes=False))}]"


@st.composite
def call(draw, draft: Draft) -> str:
    """One note call: a new keyed note, a repeat of one already cited, or an inline note."""
    kind = draw(st.sampled_from(["new", "again", "inline"] if draft.keyed else ["new", "inline"]))
    if kind == "inline":
        return draw(inline_note(draft))
    if kind == "again":
        key = draw(st.sampled_from(sorted(draft.keyed)))
    else:
        key = draft.new_key()
        draft.keyed.append(key)  # defined after the body, so definitions cite no notes
    draft.calls.append(key)
    return f"[^{key}]"


@st.composite
def phrase(draw, draft: Draft, notes: bool = True) -> str:
    """Inline content: words, emphasis, strong, code, a link, an image, note calls
    (sometimes two or three side by side) after a word."""
    parts = []
    for _ in range(draw(st.integers(1, 4))):
        kind = draw(st.sampled_from(["words", "words", "em", "strong", "code", "link",
                                     "image", "calls" if notes else "words"]))
        text = draw(words(draft))
        if kind == "em":
            text = f"*{text}*"
        elif kind == "strong":
            text = f"**{text}**"
        elif kind == "code":
            text = f"`{draw(st.sampled_from(LATIN))} {draw(st.integers(1, 99))}`"
        elif kind == "link":
            text = f"[{text}](https://example.org/{draw(st.sampled_from(LATIN))})"
        elif kind == "image":
            text = f"{text} ![{draw(words(draft, 1, 2))}]({IMAGE})"
        elif kind == "calls":
            text += "".join(draw(call(draft)) for _ in range(draw(st.integers(1, 3))))
        parts.append(text)
    return " ".join(parts) + draw(st.sampled_from([".", "!", "?", ":"]))


@st.composite
def list_block(draw, draft: Draft, depth: int = 0, notes: bool = True) -> list[str]:
    ordered = draw(st.booleans())
    lines = []
    for index in range(draw(st.integers(1, 3))):
        marker = f"{index + 1}. " if ordered else "- "
        lines.append(marker + draw(phrase(draft, notes)))
        if depth < 1 and draw(st.integers(0, 3)) == 0:
            lines += [" " * len(marker) + line
                      for line in draw(list_block(draft, depth + 1, notes))]
    return lines


@st.composite
def table(draw, draft: Draft, notes: bool = True) -> list[str]:
    columns = draw(st.integers(1, 3))
    align = [draw(st.sampled_from(["---", ":--", "--:", ":-:"])) for _ in range(columns)]

    def row() -> str:
        return "| " + " | ".join(draw(phrase(draft, notes)) for _ in range(columns)) + " |"

    return [row(), "| " + " | ".join(align) + " |",
            *[row() for _ in range(draw(st.integers(1, 3)))]]


@st.composite
def block(draw, draft: Draft, notes: bool = True, quote_depth: int = 0) -> list[str]:
    """One block of a section or of a note (a note's blocks cite no notes)."""
    kind = draw(st.sampled_from(["paragraph", "paragraph", "list", "quote", "table",
                                 "figure", "code"]))
    if kind == "paragraph":
        return [draw(phrase(draft, notes))]
    if kind == "list":
        return draw(list_block(draft, notes=notes))
    if kind == "quote":
        inner = draw(block(draft, notes, quote_depth + 1)) if quote_depth < 1 else \
            [draw(phrase(draft, notes))]
        return ["> " + line if line else ">" for line in inner]
    if kind == "table":
        return draw(table(draft, notes))
    if kind == "figure":
        title = f' "{draw(words(draft, 1, 3))}"' if draw(st.booleans()) else ""
        return [f"![{draw(words(draft, 1, 3))}]({IMAGE}{title})"]
    code = [f"{draw(st.sampled_from(LATIN))} = {draw(st.integers(0, 999))}"
            for _ in range(draw(st.integers(1, 3)))]
    return ["```", *code, "```"]


@st.composite
def definition(draw, draft: Draft, key: str) -> list[str]:
    """A keyed note: one to three blocks, the later ones indented four spaces; the first
    may be a paragraph on the definition's line or any block on the next lines."""
    blocks = [draw(block(draft, notes=False)) for _ in range(draw(st.integers(1, 3)))]
    first = blocks[0]
    if len(first) == 1 and not first[0].startswith(("!", ">", "|", "`", "- ", "1. ")):
        lines = [f"[^{key}]: {first[0]}"]
    else:
        lines = [f"[^{key}]:", *("    " + line for line in first)]
    for more in blocks[1:]:
        lines += ["", *("    " + line if line else "" for line in more)]
    return lines


@st.composite
def articles(draw, locale: str | None = None, slug: str = "generated") -> GeneratedArticle:
    """A whole article: front matter (title, maybe a summary and a checklist), maybe an
    introduction, one to three sections with subsections, then the notes' definitions."""
    draft = Draft(locale or draw(st.sampled_from(["en", "ar"])))
    front = {"title": draw(words(draft, 1, 4)).capitalize()}
    if draft.locale == "ar":
        front["source_locale"] = "ar"
    if draw(st.booleans()):
        front["summary"] = draw(words(draft, 3, 8))
    if draw(st.booleans()):
        front["checklist"] = {
            group: [draw(words(draft, 1, 4)) for _ in range(draw(st.integers(1, 3)))]
            for group in draw(st.sampled_from([["symptoms"], ["remedies"],
                                               ["symptoms", "remedies"]]))}
    lines = ["---", *(f"{k}: {json.dumps(v, ensure_ascii=False)}" for k, v in front.items()),
             "---", ""]
    if draw(st.booleans()):
        lines += [draw(phrase(draft)), ""]
    for _ in range(draw(st.integers(1, 3))):
        lines += [f"# {draw(words(draft, 1, 4))}", ""]
        for _ in range(draw(st.integers(1, 3))):
            lines += [*draw(block(draft)), ""]
        for _ in range(draw(st.integers(0, 1))):
            lines += [f"## {draw(words(draft, 1, 4))}", "", draw(phrase(draft)), ""]
    for key in list(draft.keyed):
        lines += [*draw(definition(draft, key)), ""]
    return GeneratedArticle(draft.locale, slug, "\n".join(lines),
                            tuple(draft.expected_numbers()))


@st.composite
def libraries(draw, max_articles: int = 4) -> list[GeneratedArticle]:
    """A few articles built together (so the checkers run once over all of them)."""
    count = draw(st.integers(1, max_articles))
    return [draw(articles(slug=f"generated-{index + 1}")) for index in range(count)]
