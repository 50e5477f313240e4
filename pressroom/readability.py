"""Reading level of patient information, per language, by a formula validated for it.

Health-literacy guidance (NIH, AMA, the NHS and the PIF TICK) asks for patient
information at about school grade 6 to 8. This module measures plain text, already
stripped of markup by the caller, as a sequence of segments (text, first line, kind):

- "prose" (a paragraph, a table cell): split into sentences; the paragraph's end always
  ends a sentence, so a lead-in such as "Symptoms include:" is one.
- "item" (a list or checklist item): its sentences count like prose, but unpunctuated
  text ("Loss of function", "Massage") is a *fragment*: counted in `fragments` and left
  out of the formula. The formulas were calibrated on running prose; a checklist of
  one-word fragments would lower the average sentence length of the whole leaflet and
  hide its long sentences.
- "heading": skipped, as Flesch's instructions say ("test only the running text ...
  skip titles, headings, subheads").

The formula per language, with every constant's source, is in the docstrings below:

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

import functools
import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Literal, NamedTuple

from . import syllables as syl

Kind = Literal["prose", "item", "heading"]

DEFAULT_TARGET = 8.0
"""Grade 8 unless configured: the top of the grade 6 to 8 that health-literacy guidance asks."""

HARDEST = 5


class Segment(NamedTuple):
    """Plain text of one block; `line` is the source line of its first character.

    The text may keep the source's line breaks: a sentence that starts on a later line of
    a paragraph is reported at that line.
    """

    text: str
    line: int
    kind: Kind = "prose"


class Sentence(NamedTuple):
    text: str  # whitespace collapsed to single spaces
    line: int
    ended: bool  # closed by a full stop, question or exclamation mark or ellipsis


class Hard(NamedTuple):
    """One of the hardest sentences: its text, line, and its grade on its own."""

    sentence: str
    line: int
    score: float


@dataclass(frozen=True)
class Counts:
    """What the formulas read: totals over a text or one sentence."""

    sentences: int = 0
    words: int = 0
    syllables: int = 0
    monosyllables: int = 0  # words of one syllable
    polysyllables: int = 0  # words of three or more syllables
    long_words: int = 0  # words of more than six letters

    def __add__(self, other: Counts) -> Counts:
        return Counts(
            self.sentences + other.sentences,
            self.words + other.words,
            self.syllables + other.syllables,
            self.monosyllables + other.monosyllables,
            self.polysyllables + other.polysyllables,
            self.long_words + other.long_words,
        )

    @property
    def words_per_sentence(self) -> float:
        return self.words / self.sentences

    @property
    def syllables_per_word(self) -> float:
        return self.syllables / self.words


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


# --- Formulas -----------------------------------------------------------------------
# ASL: words per sentence; ASW: syllables per word.


def flesch_reading_ease(c: Counts) -> float:
    """206.835 - 1.015 ASL - 84.6 ASW: 0-100, higher is easier.

    Flesch, R. (1948). A new readability yardstick. Journal of Applied Psychology 32(3),
    221-233.
    """
    return 206.835 - 1.015 * c.words_per_sentence - 84.6 * c.syllables_per_word


def flesch_kincaid_grade(c: Counts) -> float:
    """0.39 ASL + 11.8 ASW - 15.59: a US school grade.

    Kincaid, J. P., Fishburne, R. P., Rogers, R. L., Chissom, B. S. (1975). Derivation
    of new readability formulas for Navy enlisted personnel. Research Branch Report 8-75,
    Naval Technical Training Command, Millington, TN.
    """
    return 0.39 * c.words_per_sentence + 11.8 * c.syllables_per_word - 15.59


def fernandez_huerta(c: Counts) -> float:
    """206.84 - 0.60 P - 1.02 F, P syllables per 100 words, F words per sentence: 0-100.

    Fernández Huerta, J. (1959). Medidas sencillas de lecturabilidad. Consigna 214,
    29-32. The coefficients are 0.60 and 1.02, as every source found that quotes the
    original gives them (none gives 1.2). What is wrong in the printed formula is F,
    defined there as *sentences* per 100 words, which would make shorter sentences
    harder to read: Fernández Huerta adapted Flesch's 206.835 - 0.846 wl - 1.015 sl term
    by term (206.84; 1.02 is 1.015 rounded), so F is Flesch's sl, words per sentence.
    Law, G. (2011). Error in the Fernandez Huerta readability formula. LINGUIST List
    22.2332; the corrected form is the one legible.es, INFLESZ and textstat compute.

    It is lenient: its word coefficient (0.60 for Flesch's 0.846, a ratio of 1.41)
    allows more for Spanish words than they are longer (on this project's parallel
    article 2.03 against 1.65 syllables per word, 1.23), so the Spanish article scores
    grade 8.5 where Flesch-Kincaid gives the English 11.7.
    """
    return 206.84 - 0.60 * 100 * c.syllables_per_word - 1.02 * c.words_per_sentence


def szigriszt_pazos(c: Counts) -> float:
    """Perspicuity 206.835 - 62.3 S/W - W/F (S syllables, W words, F sentences): 0-100.

    Szigriszt Pazos, F. (1993). Sistemas predictivos de legibilidad del mensaje escrito:
    fórmula de perspicuidad. Doctoral thesis, Universidad Complutense de Madrid. Read on
    the INFLESZ scale, validated on texts for patients: below 40 very difficult, 40-55
    somewhat difficult, 55-65 normal, 65-80 fairly easy, 80 and above very easy
    (Barrio-Cantalejo, I. M. et al. (2008). Validación de la Escala INFLESZ para evaluar
    la legibilidad de los textos dirigidos a pacientes. An Sist Sanit Navar 31(2),
    135-152). That scale names school stages, not grades, so Spanish grades come from
    Fernández-Huerta's table instead.
    """
    return 206.835 - 62.3 * c.syllables_per_word - c.words_per_sentence


def kandel_moles(c: Counts) -> float:
    """207 - 1.015 lp - 0.736 lm, lp words per sentence, lm syllables per 100 words.

    Kandel, L., Moles, A. (1958). Application de l'indice de Flesch à la langue
    française. Cahiers Études de Radio-Télévision 19, 253-274. Flesch's formula rescaled
    so that French texts score on Flesch's scale (the word term 0.736 for Flesch's
    0.846 absorbs the longer French words), hence read with Flesch's grade table.
    """
    return 207 - 1.015 * c.words_per_sentence - 0.736 * 100 * c.syllables_per_word


def amstad(c: Counts) -> float:
    """180 - ASL - 58.5 ASW: Flesch's reading ease recalibrated for German, 0-100.

    Amstad, T. (1978). Wie verständlich sind unsere Zeitungen? Doctoral thesis,
    Universität Zürich.
    """
    return 180 - c.words_per_sentence - 58.5 * c.syllables_per_word


def wiener_sachtextformel(c: Counts) -> float:
    """First Wiener Sachtextformel: 0.1935 MS + 0.1672 SL + 0.1297 IW - 0.0327 ES - 0.875.

    MS: percent of words of three or more syllables; SL: words per sentence; IW: percent
    of words of more than six letters; ES: percent of one-syllable words. The result is
    the Austrian school grade (Schulstufe, counted from the first school year like US
    grades) of a non-fiction text, 4 (easy) to 15. Bamberger, R., Vanecek, E. (1984).
    Lesen - Verstehen - Lernen - Schreiben: die Schwierigkeitsstufen von Texten in
    deutscher Sprache. Wien: Jugend und Volk.
    """
    percent = 100 / c.words
    return (
        0.1935 * c.polysyllables * percent
        + 0.1672 * c.words_per_sentence
        + 0.1297 * c.long_words * percent
        - 0.0327 * c.monosyllables * percent
        - 0.875
    )


# Flesch, R. (1949). The Art of Readable Writing, pp. 149-150 (tabulated in DuBay, W. H.
# (2004). The Principles of Readability, table 4), "pattern of reading ease scores": each
# band of the ease scale, with its "estimated school grade completed"
# (90-100: 4th grade, 80-90: 5th, 70-80: 6th, 60-70: 7th or 8th, 50-60: some high
# school, 30-50: high school or some college, 0-30: college). Fernández Huerta printed
# the same bands for his formula (4º, 5º, 6º, 7º u 8º grado, preuniversitario, cursos
# selectivos, universitario), and Kandel and Moles scaled theirs to Flesch's scale.
# Each grade is placed at its band's middle, which is also where Flesch's typical text
# of that band falls (its words per sentence and syllables per 100 words, given in the
# same table, score 94.7, 84.9, 75.0, 65.2, 54.4, 40.2, 15.0); ranges become their
# middle year (7th or 8th: 7.5; 9th to 11th: 10; 12th to 14th: 13; college: 16). Between
# and beyond these points the grade is linear in the ease.
_FLESCH_GRADES = ((95.0, 4.0), (85.0, 5.0), (75.0, 6.0), (65.0, 7.5), (55.0, 10.0),
                  (40.0, 13.0), (15.0, 16.0))  # fmt: skip


def flesch_grade(ease: float) -> float:
    """The school grade of a score on Flesch's 0-100 ease scale, by Flesch's table."""
    points = _FLESCH_GRADES
    index = next((i for i in range(1, len(points) - 1) if ease > points[i][0]), len(points) - 1)
    (x0, y0), (x1, y1) = points[index - 1], points[index]
    return y0 + (ease - x0) * (y1 - y0) / (x1 - x0)


class Formula(NamedTuple):
    name: str
    score: Callable[[Counts], float]
    grade: Callable[[float], float]


def _same(grade: float) -> float:
    return grade


FLESCH_KINCAID = Formula("Flesch-Kincaid grade level", flesch_kincaid_grade, _same)
FLESCH = Formula("Flesch reading ease", flesch_reading_ease, flesch_grade)
FERNANDEZ_HUERTA = Formula("Fernández-Huerta readability", fernandez_huerta, flesch_grade)
SZIGRISZT_PAZOS = Formula("Szigriszt-Pazos perspicuity (INFLESZ)", szigriszt_pazos, flesch_grade)
KANDEL_MOLES = Formula("Kandel-Moles readability", kandel_moles, flesch_grade)
AMSTAD = Formula("Amstad reading ease", amstad, flesch_grade)
WSTF = Formula("Wiener Sachtextformel", wiener_sachtextformel, _same)


class Rules(NamedTuple):
    """How to read one language: its formulas and where its sentences end."""

    formula: Formula | None
    others: tuple[Formula, ...] = ()
    # Abbreviations whose full stop never ends a sentence, separated by "|" (matched
    # case-insensitively; a space inside may be left out: z. B. or z.B.). Those that may
    # end one (etc., usw.) are not listed: their stop ends a sentence before a capital.
    abbreviations: str = ""
    cased: bool = True  # a lower-case letter after a stop means the sentence goes on
    ordinal_stop: bool = False  # German "am 3. Mai": a number's stop is an ordinal's


_COMMON = "e.g.|i.e.|cf.|vs.|Dr.|Prof.|approx.|ca.|fig.|St."

LANGUAGES: dict[str, Rules] = {
    "en": Rules(FLESCH_KINCAID, (FLESCH,), f"{_COMMON}|Mr.|Mrs.|Ms.|Jr.|Sr."),
    "es": Rules(
        FERNANDEZ_HUERTA,
        (SZIGRISZT_PAZOS,),
        f"{_COMMON}|p. ej.|Dra.|Sr.|Sra.|Srta.|Ud.|Uds.|núm.|pág.|aprox.",
    ),
    "fr": Rules(KANDEL_MOLES, (), f"{_COMMON}|p. ex.|M.|MM.|Mme.|env.|p."),
    "de": Rules(
        WSTF,
        (AMSTAD,),
        f"{_COMMON}|z. B.|d. h.|u. a.|u. U.|o. Ä.|bzw.|vgl.|evtl.|ggf.|Nr.|S.|inkl.|sog.|bspw.",
        ordinal_stop=True,
    ),
    "ar": Rules(None, (), "د.|أ.|ص.|م.", cased=False),
}

NO_FORMULA = {
    "ar": "no readability formula is validated for Arabic: sentence length only",
}


def language(lang: str) -> str:
    """The primary language of a BCP 47 tag: en-GB → en."""
    return lang.split("-")[0].split("_")[0].lower()


def rules_for(lang: str) -> Rules:
    return LANGUAGES.get(language(lang), Rules(None))


# --- Sentences ----------------------------------------------------------------------

_STOP = "\ue000"  # stands in for an abbreviation's full stop while sentences are split
_CLOSERS = "\"'\u201d\u2019\u00bb\u203a)]"  # quotation marks and brackets that close
_OPENERS = "\"'\u201c\u2018\u201e\u201a\u00ab\u2039([\u00bf\u00a1"
_END = re.compile(r"[.!?…؟‼⁇⁈⁉]+[" + re.escape(_CLOSERS) + r"]*(?=\s|$)")


@functools.cache
def _abbreviation_pattern(lang: str) -> re.Pattern[str] | None:
    listed = rules_for(lang).abbreviations.split("|")
    alternatives = sorted(
        (re.escape(a).replace(r"\ ", r"\s?") for a in listed if a), key=len, reverse=True
    )
    if not alternatives:
        return None
    return re.compile(r"(?<![\w.])(?:" + "|".join(alternatives) + ")", re.IGNORECASE)


def _protect(text: str, lang: str) -> str:
    """Hide the full stops of abbreviations that never end a sentence (same length)."""
    pattern = _abbreviation_pattern(language(lang))
    if pattern is None:
        return text
    return pattern.sub(lambda m: m.group(0).replace(".", _STOP), text)


def _ends_sentence(text: str, match: re.Match[str], rules: Rules) -> bool:
    """Whether the stop(s) of `match`, followed by white space, end a sentence."""
    rest = text[match.end() :].lstrip()
    if not rest:
        return True
    following = rest.lstrip(_OPENERS)[:1]
    if rules.cased and following.islower():
        return False  # etc. and, ... and then: the sentence goes on
    if match.group(0).rstrip(_CLOSERS) != ".":
        return True  # ! ? … end a sentence before anything but a lower-case word
    before = text[: match.start()].split()
    word = before[-1].lstrip(_OPENERS) if before else ""
    if len(word) == 1 and word.isalpha():
        # An initial (J. Smith) unless a lower-case word leads up to it (vitamin D.).
        previous = before[-2] if len(before) > 1 else ""
        return rules.cased and word.isupper() and previous[:1].islower()
    return not (rules.ordinal_stop and word.isdigit())


def split_sentences(text: str, lang: str, line: int = 1) -> list[Sentence]:
    """The sentences of a text; a text's end always ends its last one.

    Handles abbreviations (e.g., Dr., M.D., etc., z. B., p. ej.), decimal numbers,
    ellipses, Spanish ¿ ¡ and the Arabic question mark ؟.
    """
    rules = rules_for(lang)
    protected = _protect(text, lang)
    pieces: list[tuple[int, int, bool]] = []
    start = 0
    for match in _END.finditer(protected):
        if _ends_sentence(protected, match, rules):
            pieces.append((start, match.end(), True))
            start = match.end()
    if protected[start:].strip():
        pieces.append((start, len(protected), False))
    sentences = []
    for begin, end, ended in pieces:
        raw = text[begin:end]
        body = " ".join(raw.split())
        if not body:
            continue
        first = begin + (len(raw) - len(raw.lstrip()))
        sentences.append(Sentence(body, line + text.count("\n", 0, first), ended))
    return sentences


# --- Words --------------------------------------------------------------------------

_BETWEEN_WORDS = re.compile(r"[\s\u2012-\u2015\u2026]+")  # spaces, dashes, ellipsis


def _is_wordish(char: str) -> bool:
    return unicodedata.category(char)[0] in "LNM"


def words(text: str) -> list[str]:
    """The words of a text: runs between spaces and dashes, outer punctuation removed.

    Contractions, elisions and hyphenated compounds are one word (it's, l'eau,
    hand-in-hand, Vitamin-D-Mangel), as are numbers (10, 3.5, 1,000), as Flesch counted.
    """
    found = []
    for token in _BETWEEN_WORDS.split(text):
        start, end = 0, len(token)
        while start < end and not _is_wordish(token[start]):
            start += 1
        while end > start and not _is_wordish(token[end - 1]):
            end -= 1
        word = token[start:end]
        if any(c.isalnum() for c in word):
            found.append(word)
    return found


def counts(sentence: str, lang: str) -> Counts:
    """The counts of one sentence (syllables only where the language has a formula)."""
    key = language(lang)
    measured = key in syl.COUNTERS and rules_for(lang).formula is not None
    total = Counts(sentences=1)
    for word in words(sentence):
        n = syl.count(word, key) if measured else 0
        letters = sum(c.isalpha() for c in word)
        total += Counts(0, 1, n, int(n == 1), int(n >= 3), int(letters > 6))
    return total


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
    fragments = f" ({result.fragments} list fragments not measured)" if result.fragments else ""
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
