"""The readability formulas, one per language, with every constant's source.

Each formula reads `Counts` (words, sentences, syllables, long words) and gives an ease
score or a school grade; `rules_for(lang)` picks the formula validated for a language
(grade.py's table) and how its sentences end.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import NamedTuple

DEFAULT_TARGET = 8.0
"""Grade 8 unless configured: the top of the grade 6 to 8 that health-literacy guidance asks."""


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


