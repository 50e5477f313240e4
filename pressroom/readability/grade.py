"""Reading level of patient information, per language, by a formula validated for it.

Health-literacy guidance (NIH, AMA, the NHS and the PIF TICK) asks for patient
information at about school grade 6 to 8. This module measures plain text, already
stripped of markup by the caller, as a sequence of segments (text, first line, kind):

- "prose" (a paragraph): split into sentences; the paragraph's end always
  ends a sentence, so a lead-in such as "Symptoms include:" is one.
- "item" (a list or checklist item, a table cell): its sentences count like prose, but unpunctuated
  text ("Loss of function", "Massage") is a *fragment*: counted in `fragments` and left
  out of the formula. The formulas were calibrated on running prose; a checklist of
  one-word fragments would lower the average sentence length of the whole leaflet and
  hide its long sentences.
- "heading": skipped, as Flesch's instructions say ("test only the running text ...
  skip titles, headings, subheads").

The formula per language, with every constant's source, is in formulas.py:

=========  ====================================  ==========================================
language   grade from                            also reported
=========  ====================================  ==========================================
en         Flesch-Kincaid grade level            Flesch reading ease
es         Fernández-Huerta + his grade table    Szigriszt-Pazos perspicuity (INFLESZ)
fr         Kandel-Moles + Flesch's grade table   -
de         Wiener Sachtextformel (1st)           Amstad reading ease
ar         none (no validated formula)           -
=========  ====================================  ==========================================

Other languages get counts of words and sentences only. Sentences, words and syllables
are counted without any data files or downloads (syllables.py).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal, NamedTuple

from pressroom.readability.formulas import (
    AMSTAD,
    DEFAULT_TARGET,
    FERNANDEZ_HUERTA,
    FLESCH,
    KANDEL_MOLES,
    NO_FORMULA,
    SZIGRISZT_PAZOS,
    Counts,
    language,
    rules_for,
)
from pressroom.readability.sentences import counts, split_sentences

Kind = Literal["prose", "item", "heading"]

HARDEST = 5


class Segment(NamedTuple):
    """Plain text of one block; `line` is the source line of its first character.

    The text may keep the source's line breaks: a sentence that starts on a later line of
    a paragraph is reported at that line.
    """

    text: str
    line: int
    kind: Kind = "prose"




class Hard(NamedTuple):
    """One of the hardest sentences: its text, line, and its grade on its own."""

    sentence: str
    line: int
    score: float


@dataclass(frozen=True)
class Readability:
    """The reading level of one text (an article in one locale).

    `score` is the formula's own value (an ease of 0-100, higher is easier, or a grade);
    `grade` is the school grade it stands for: None where the language has no validated
    formula (Arabic, unknown languages) or there is no sentence to measure. `syllables`
    is 0 where there is no formula to use them.
    """

    lang: str
    words: int
    sentences: int
    syllables: int
    fragments: int
    avg_sentence_length: float
    formula: str | None
    score: float | None
    grade: float | None
    hardest: tuple[Hard, ...]
    others: tuple[tuple[str, float], ...] = ()  # more formulas: (name, value)


# --- Measuring ----------------------------------------------------------------------


def measure(
    segments: Iterable[Segment | tuple[str, int] | tuple[str, int, Kind]],
    lang: str,
    hardest: int = HARDEST,
) -> Readability:
    """Measure a text given as segments (see the module docstring for the kinds)."""
    rules = rules_for(lang)
    formula = rules.formula
    total = Counts()
    fragments = 0
    scored: list[Hard] = []
    for segment in segments:
        text, line, kind = Segment(*segment)
        if kind == "heading":
            continue
        for sentence in split_sentences(text, lang, line):
            if kind == "item" and not sentence.ended:
                fragments += 1
                continue
            c = counts(sentence.text, lang)
            if not c.words:
                continue
            total += c
            score = formula.grade(formula.score(c)) if formula else float(c.words)
            scored.append(Hard(sentence.text, sentence.line, score))
    scored.sort(key=lambda h: -h.score)  # stable: ties keep their order in the text
    measured = bool(formula and total.words)
    score = formula.score(total) if formula and measured else None
    return Readability(
        lang=lang,
        words=total.words,
        sentences=total.sentences,
        syllables=total.syllables,
        fragments=fragments,
        avg_sentence_length=total.words_per_sentence if total.sentences else 0.0,
        formula=formula.name if formula else None,
        score=score,
        grade=formula.grade(score) if formula and score is not None else None,
        hardest=tuple(scored[:hardest]),
        others=tuple((f.name, f.score(total)) for f in rules.others) if measured else (),
    )


def above_target(result: Readability, target: float = DEFAULT_TARGET) -> str | None:
    """The warning for a text above the target grade, else None (as `check` prints it).

    The grade is compared as shown, to one decimal: 8.04 shows as 8.0 and passes 8.
    """
    if result.grade is None or round(result.grade, 1) <= target:
        return None
    return f"reading grade {result.grade:.1f} is above the target {target:g}"


_EASE_FORMULAS = {f.name for f in (FLESCH, FERNANDEZ_HUERTA, SZIGRISZT_PAZOS, KANDEL_MOLES, AMSTAD)}


def report(path: str, result: Readability, target: float = DEFAULT_TARGET) -> list[str]:
    """The lines `publish.py readability` prints for one article in one locale."""
    fragments = (f" ({result.fragments} list and table fragments not measured)"
                 if result.fragments else "")
    lines = [
        f"{path}: {result.words} words, {result.sentences} sentences, "
        f"{result.avg_sentence_length:.1f} words per sentence{fragments}"
    ]
    if result.grade is not None and result.score is not None:
        by = result.formula
        if by in _EASE_FORMULAS:
            by = f"{by} {result.score:.1f}"
        verdict = "above" if above_target(result, target) else "within"
        lines.append(f"  grade {result.grade:.1f} ({by}), target {target:g}: {verdict}")
        lines += [f"  {name}: {value:.1f}" for name, value in result.others]
    else:
        default = f"no readability formula for '{result.lang}': sentence length only"
        lines.append(f"  {NO_FORMULA.get(language(result.lang), default)}")
    if result.hardest:
        graded = result.grade is not None
        lines.append(f"  hardest sentences ({'grade' if graded else 'words'}):")
        for hard in result.hardest:
            value = f"{hard.score:.1f}" if graded else f"{hard.score:.0f}"
            lines.append(f"    {path}:{hard.line}: {value}: {hard.sentence}")
    return lines
