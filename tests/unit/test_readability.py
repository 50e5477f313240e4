"""Reading level: the formulas against published values, splitting, syllables, articles.

Published values are used where they exist (Flesch-Kincaid, Flesch reading ease and
Flesch's own grade table). For Fernández-Huerta, Szigriszt-Pazos, Kandel-Moles, Amstad
and the Wiener Sachtextformel no published passage with its score was found: those
tests use short passages whose words, sentences and syllables were counted by hand,
assert the module counts the same, and assert the formula's value for those counts,
worked out by hand from the published constants.
"""

from __future__ import annotations

import re
from pathlib import Path

import pyphen
import pytest
from markdown_it import MarkdownIt
from mdit_py_plugins.footnote import footnote_plugin

from pressroom.readability import formulas, syllables
from pressroom.readability import grade as r
from pressroom.readability import sentences as splitting

ROOT = Path(__file__).resolve().parents[2]
DATA = Path(__file__).resolve().parents[1] / "data" / "readability"


def curly(text: str) -> str:
    """The text with typographic apostrophes, as the articles are written."""
    return text.replace("'", "\u2019")


def markdown_segments(path: Path) -> list[r.Segment]:
    """Body text of an article as segments, markup stripped (a stand-in for the pipeline).

    Headings, paragraphs and list items keep their source lines (front matter counted);
    footnote definitions and HTML comments are left out, footnote calls dropped.
    """
    text = path.read_text(encoding="utf-8")
    front = re.match(r"---\n.*?\n---\n", text, re.DOTALL)
    if front:
        text = "\n" * front.group(0).count("\n") + text[front.end() :]
    md = MarkdownIt("commonmark", {"html": True}).use(footnote_plugin)
    segments = []
    item = note = 0
    heading = False
    for token in md.parse(text):
        if token.type.startswith("list_item_"):
            item += 1 if token.type.endswith("open") else -1
        elif token.type.startswith("footnote_block_"):
            note += 1 if token.type.endswith("open") else -1
        elif token.type.startswith("heading_"):
            heading = token.type.endswith("open")
        elif token.type == "inline" and not note and token.map:
            parts = []
            for child in token.children or []:
                if child.type in ("text", "code_inline"):
                    parts.append(child.content)
                elif child.type in ("softbreak", "hardbreak"):
                    parts.append("\n")
            kind = "heading" if heading else "item" if item else "prose"
            segments.append(r.Segment("".join(parts), token.map[0] + 1, kind))
    return segments


def seed(lang: str) -> r.Readability:
    return r.measure(markdown_segments(ROOT / "source" / lang / "muscle-spasms.md"), lang)


# --- Formulas against published values -----------------------------------------------


def test_flesch_kincaid_on_the_platypus_sentence():
    # Wikipedia, "Flesch-Kincaid readability tests": "The Australian platypus is seemingly
    # a hybrid of a mammal and reptilian creature" has 13 words and 24 syllables, a grade
    # of 11.3 and a reading ease of 37.5.
    c = formulas.Counts(sentences=1, words=13, syllables=24)
    assert formulas.flesch_kincaid_grade(c) == pytest.approx(11.3, abs=0.05)
    assert formulas.flesch_reading_ease(c) == pytest.approx(37.5, abs=0.05)


def test_flesch_kincaid_on_the_platypus_sentence_counted_by_the_module():
    text = "The Australian platypus is seemingly a hybrid of a mammal and reptilian creature."
    result = r.measure([(text, 1)], "en")
    assert (result.words, result.sentences, result.syllables) == (13, 1, 24)
    assert result.grade == pytest.approx(11.3, abs=0.5)
    assert dict(result.others)["Flesch reading ease"] == pytest.approx(37.5, abs=0.5)


def test_flesch_kincaid_published_extremes():
    # Wikipedia: Green Eggs and Ham averages 5.7 words per sentence and 1.02 syllables
    # per word, a grade of -1.3; the lowest possible grade is -3.40 and the highest
    # possible reading ease 121.22 (one one-syllable word per sentence).
    eggs = formulas.Counts(sentences=1000, words=5700, syllables=5814)
    assert formulas.flesch_kincaid_grade(eggs) == pytest.approx(-1.3, abs=0.05)
    one = formulas.Counts(sentences=1, words=1, syllables=1)
    assert formulas.flesch_kincaid_grade(one) == pytest.approx(-3.40, abs=0.005)
    assert formulas.flesch_reading_ease(one) == pytest.approx(121.22, abs=0.005)


# Flesch (1949), pp. 149-150: per band of the ease scale, the typical words per sentence
# and syllables per 100 words, and the estimated school grade completed.
FLESCH_TABLE = [
    # (band, words per sentence, syllables per 100 words, grade)
    ((90, 100), 8, 123, 4.0),
    ((80, 90), 11, 131, 5.0),
    ((70, 80), 14, 139, 6.0),
    ((60, 70), 17, 147, 7.5),  # 7th or 8th grade
    ((50, 60), 21, 155, 10.0),  # some high school
    ((30, 50), 25, 167, 13.0),  # high school or some college
    ((0, 30), 29, 192, 16.0),  # college
]


@pytest.mark.parametrize(("band", "asl", "per_100_words", "grade"), FLESCH_TABLE)
def test_flesch_table(band, asl, per_100_words, grade):
    c = formulas.Counts(sentences=100, words=100 * asl, syllables=asl * per_100_words)
    ease = formulas.flesch_reading_ease(c)
    assert band[0] <= ease <= band[1]
    assert formulas.flesch_grade(ease) == pytest.approx(grade, abs=0.5)


def test_flesch_grade_is_the_table_between_and_linear_beyond():
    assert formulas.flesch_grade(95) == 4.0
    assert formulas.flesch_grade(65) == 7.5
    assert formulas.flesch_grade(60) == pytest.approx(8.75)
    assert formulas.flesch_grade(100) == pytest.approx(3.5)
    assert formulas.flesch_grade(0) == pytest.approx(17.8)
    eases = [x / 2 for x in range(-40, 260)]
    grades = [formulas.flesch_grade(e) for e in eases]
    assert grades == sorted(grades, reverse=True)


def test_flesch_kincaid_and_flesch_grade_agree_on_flesch_typical_texts():
    # The ease-to-grade table stands in for a grade formula in es and fr: on Flesch's
    # typical texts of grades 6 to 13 it is within a grade of Flesch-Kincaid.
    for _, asl, per_100_words, _ in FLESCH_TABLE[2:6]:
        c = formulas.Counts(sentences=100, words=100 * asl, syllables=asl * per_100_words)
        assert formulas.flesch_grade(formulas.flesch_reading_ease(c)) == pytest.approx(
            formulas.flesch_kincaid_grade(c), abs=1.0
        )


# --- Formulas on hand-counted passages ----------------------------------------------
# Each passage: three short sentences and one long one about cramps, counted by hand
# (words, sentences, syllables; for German also the words of one syllable, of three or
# more, and of more than six letters). The expected values are the published formulas
# worked out on those counts.

PASSAGES = {
    "en": (
        "Drink water during the day. Cramps often last a few minutes. If the pain does "
        "not go away, see your doctor. Dehydration and a lack of potassium or magnesium "
        "can cause involuntary, painful contractions of the leg muscles."
    ),
    "es": (
        "Beba agua durante el día. Los calambres suelen durar pocos minutos. Si el dolor "
        "no se va, consulte a su médico. La deshidratación y la falta de potasio o de "
        "magnesio pueden provocar contracciones involuntarias y dolorosas de los músculos "
        "de las piernas."
    ),
    "fr": curly(
        "Buvez de l'eau pendant la journée. Les crampes durent souvent quelques minutes. "
        "Si la douleur persiste, consultez votre médecin. La déshydratation et le manque "
        "de potassium ou de magnésium peuvent provoquer des contractions involontaires et "
        "douloureuses des muscles des jambes."
    ),
    "de": (
        "Trinken Sie tagsüber genug Wasser. Krämpfe dauern meist nur wenige Minuten. Wenn "
        "der Schmerz bleibt, gehen Sie zum Arzt. Flüssigkeitsmangel und ein Mangel an "
        "Kalium oder Magnesium können unwillkürliche, schmerzhafte Kontraktionen der "
        "Beinmuskulatur auslösen."
    ),
}


def measured(lang: str) -> r.Readability:
    return r.measure([(PASSAGES[lang], 1)], lang)


def test_english_passage():
    # 38 words, 4 sentences, 61 syllables (7 + 8 + 12 + 34).
    result = measured("en")
    assert (result.words, result.sentences, result.syllables) == (38, 4, 61)
    # 0.39 * 9.5 + 11.8 * 1.6053 - 15.59 = 7.06; 206.835 - 9.643 - 135.805 = 61.39
    assert result.formula == "Flesch-Kincaid grade level"
    assert result.grade == pytest.approx(7.06, abs=0.01)
    assert dict(result.others)["Flesch reading ease"] == pytest.approx(61.39, abs=0.01)


def test_spanish_passage_fernandez_huerta_and_szigriszt_pazos():
    # 43 words, 4 sentences, 85 syllables (10 + 13 + 15 + 47).
    result = measured("es")
    assert (result.words, result.sentences, result.syllables) == (43, 4, 85)
    # Fernández-Huerta: 206.84 - 0.60 * 197.67 - 1.02 * 10.75 = 77.27; in the band 70-80
    # ("6º grado") near its lower end: grade 5.8 on the table.
    assert result.score == pytest.approx(77.27, abs=0.01)
    assert result.grade == pytest.approx(5.77, abs=0.01)
    # Szigriszt-Pazos: 206.835 - 62.3 * 1.9767 - 10.75 = 72.93 ("bastante fácil").
    assert dict(result.others)["Szigriszt-Pazos perspicuity (INFLESZ)"] == pytest.approx(
        72.93, abs=0.01
    )


def test_fernandez_huerta_reads_f_as_words_per_sentence():
    # Law (2011): with F as sentences per 100 words, longer sentences would score easier.
    short = formulas.Counts(sentences=10, words=100, syllables=200)
    long = formulas.Counts(sentences=4, words=100, syllables=200)
    assert formulas.fernandez_huerta(short) > formulas.fernandez_huerta(long)
    assert formulas.fernandez_huerta(short) == pytest.approx(206.84 - 120 - 10.2)


def test_french_passage_kandel_moles():
    # 40 words, 4 sentences, 80 written syllables (9 + 12 + 15 + 44).
    result = measured("fr")
    assert (result.words, result.sentences, result.syllables) == (40, 4, 80)
    # 207 - 1.015 * 10 - 0.736 * 200 = 49.65: band 30-50, grade 11.1 on Flesch's table.
    assert result.score == pytest.approx(49.65, abs=0.01)
    assert result.grade == pytest.approx(11.07, abs=0.01)


def test_german_passage_wiener_sachtextformel_and_amstad():
    # 34 words, 4 sentences, 74 syllables; 11 words of 3+ syllables, 14 of one, 12 of
    # more than six letters.
    result = measured("de")
    assert (result.words, result.sentences, result.syllables) == (34, 4, 74)
    c = formulas.Counts()
    for sentence in splitting.split_sentences(PASSAGES["de"], "de"):
        c += splitting.counts(sentence.text, "de")
    assert (c.polysyllables, c.monosyllables, c.long_words) == (11, 14, 12)
    # 0.1935 * 32.35 + 0.1672 * 8.5 + 0.1297 * 35.29 - 0.0327 * 41.18 - 0.875 = 10.04
    assert result.grade == result.score == pytest.approx(10.04, abs=0.01)
    # Amstad: 180 - 8.5 - 58.5 * 2.1765 = 44.18
    assert dict(result.others)["Amstad reading ease"] == pytest.approx(44.18, abs=0.01)


# --- Sentences ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("lang", "text", "expected"),
    [
        ("en", "Take 2.5 mg a day. Stop after 3 days.", 2),
        ("en", "Eat fruit, e.g. apples. Rest, etc. Then walk.", 3),
        ("en", "It aches, etc. and it swells.", 1),
        ("en", "Dr. Jones will see you. Mr. Smith will not.", 2),
        ("en", "Ask Jane Doe, M.D. She knows.", 2),
        ("en", "Jane Doe, M.D., knows.", 1),
        ("en", "J. R. Smith wrote it.", 1),
        ("en", "Eat more foods with vitamin D. Fish has it.", 2),
        ("en", "Wait... then rest.", 1),
        ("en", "Wait… Then rest.", 2),
        ("en", "Why? Because it hurts! Rest now.", 3),
        ("en", "He said “stop.” Then he left.", 2),
        ("en", "Call 911 (or your doctor.) Then wait.", 2),
        ("es", "¿Le duele? ¡Descanse! Beba agua.", 3),
        ("es", "Si le duele, ¿qué puede hacer? Descanse.", 2),
        ("es", "Coma fruta, p. ej. manzanas. El Dr. Pérez lo sabe.", 2),
        ("fr", curly("Buvez de l'eau, p. ex. deux litres. M. Dupont est là."), 2),
        ("de", "Trinken Sie z. B. Wasser. Am 3. Mai beginnt es.", 2),
        ("de", "Essen Sie Obst, d.h. Äpfel, usw. Dann ruhen Sie.", 2),
        ("ar", "هل تشعر بألم؟ اشرب الماء. استرح.", 3),
        ("ar", "د. أحمد طبيب ماهر.", 1),
    ],
)
def test_sentence_splitting(lang, text, expected):
    sentences = splitting.split_sentences(text, lang)
    assert len(sentences) == expected, [s.text for s in sentences]
    assert " ".join(s.text for s in sentences) == text


def test_sentences_report_the_line_they_start_on():
    text = "First line ends.\nSecond one\nruns on. Third\none."
    sentences = splitting.split_sentences(text, "en", line=10)
    assert [(s.text, s.line, s.ended) for s in sentences] == [
        ("First line ends.", 10, True),
        ("Second one runs on.", 11, True),
        ("Third one.", 12, True),
    ]


def test_a_text_without_a_stop_is_one_unended_sentence():
    assert splitting.split_sentences("Symptoms include:", "en") == [
        splitting.Sentence("Symptoms include:", 1, False)
    ]
    assert splitting.split_sentences("  \n ", "en") == []


# --- Words --------------------------------------------------------------------------


def test_words_keep_contractions_elisions_compounds_and_numbers_whole():
    text = curly("It's a build-up (also “jumping”) of 10 to 3.5 or 1,000 cells — rare.")
    assert splitting.words(text) == [
        curly("It's"), "a", "build-up", "also", "jumping", "of", "10", "to", "3.5", "or",
        "1,000", "cells", "rare",
    ]  # fmt: skip
    assert splitting.words(curly("l'eau, jusqu'à aujourd'hui")) == [
        curly("l'eau"),
        curly("jusqu'à"),
        curly("aujourd'hui"),
    ]
    assert splitting.words("l'eau, it's") == ["l'eau", "it's"]
    assert splitting.words("¿Qué? ¡Vitamin-D-Mangel!") == ["Qué", "Vitamin-D-Mangel"]
    assert splitting.words("Tic Tamer™ … etc.") == ["Tic", "Tamer", "etc"]
    assert splitting.words("تشنجات العضلات، والألم؟") == ["تشنجات", "العضلات", "والألم"]


def test_syllables_of_numbers_abbreviations_and_compounds():
    assert syllables.count("10", "en") == 1  # Flesch: figures are one syllable
    assert syllables.count("1,000", "en") == 1
    assert syllables.count("NHS", "en") == 1  # and abbreviations
    assert syllables.count("B12", "en") == 1
    assert syllables.count("hand-in-hand", "en") == 3
    assert syllables.count("Vitamin-D-Mangel", "de") == 6
    assert syllables.count(curly("l'eau"), "fr") == syllables.count("l'eau", "fr") == 1
    assert syllables.count(curly("jusqu'à"), "fr") == 2
    assert syllables.count(curly("it's"), "en") == syllables.count("it's", "en") == 1


# --- Syllable counters against word lists with known counts --------------------------


def word_list(lang: str) -> dict[str, int]:
    rows = (DATA / f"syllables-{lang}.tsv").read_text(encoding="utf-8").splitlines()
    return {w: int(n) for w, n in (row.split("\t") for row in rows if row and row[0] != "#")}


def accuracy(counter, known: dict[str, int]) -> tuple[float, float]:
    """Share of words counted right, and total counted / total known - 1."""
    right = sum(counter(w) == n for w, n in known.items())
    total = sum(counter(w) for w in known)
    return right / len(known), total / sum(known.values()) - 1


def pyphen_counter(lang: str):
    dictionary = pyphen.Pyphen(lang={"en": "en_US"}.get(lang, lang))
    return lambda word: len(dictionary.positions(word)) + 1


# Measured on the lists (each: a random sample of the seed article's words plus 20 hard
# cases), as the docstring of syllables.py reports them. pyphen's hyphenation points (+1)
# did worse on every list: words right, total syllables: en 83 %, -8 %; es 80 %, -8 %;
# de 90 %, -4 %; fr 59 %, -19 %.
MEASURED = {  # lang: (words right, total counted / total known - 1)
    "en": (0.924, -0.011),
    "es": (0.993, -0.003),
    "de": (0.980, -0.008),
    "fr": (0.993, -0.003),
}


@pytest.mark.parametrize("lang", sorted(MEASURED))
def test_syllable_counter_accuracy_and_why_not_pyphen(lang):
    known = word_list(lang)
    assert len(known) >= 140
    right, bias = accuracy(syllables.COUNTERS[lang], known)
    assert (right, bias) == pytest.approx(MEASURED[lang], abs=0.001)
    pyphen_right, pyphen_bias = accuracy(pyphen_counter(lang), known)
    assert right > pyphen_right + 0.05
    assert abs(bias) < abs(pyphen_bias) / 3


@pytest.mark.parametrize(
    ("lang", "word", "expected"),
    [
        ("en", "muscles", 2), ("en", "causes", 2), ("en", "involved", 2), ("en", "needed", 2),
        ("en", "movement", 2), ("en", "lifestyle", 2), ("en", "sodium", 3), ("en", "diet", 2),
        ("en", "spasm", 2), ("en", "being", 2), ("en", "quiet", 2), ("en", "special", 2),
        ("es", "día", 2), ("es", "ciudad", 2), ("es", "aéreo", 4), ("es", "que", 1),
        ("es", "hoy", 1), ("es", "pingüino", 3), ("es", "reacción", 3), ("es", "búho", 2),
        ("de", "Abend", 2), ("de", "Feuer", 2), ("de", "Therapien", 4), ("de", "Quelle", 2),
        ("de", "Patient", 3), ("de", "Diät", 2),
        ("fr", "journée", 2), ("fr", "créer", 2), ("fr", "poésie", 3), ("fr", "maïs", 2),
        ("fr", "guérir", 2), ("fr", "payer", 2), ("fr", "table", 2),
    ],
)  # fmt: skip
def test_syllable_rules(lang, word, expected):
    assert syllables.count(word, lang) == expected


# --- Measuring ----------------------------------------------------------------------


def test_headings_are_skipped_and_unpunctuated_items_are_fragments():
    segments = [
        r.Segment("What causes cramps?", 1, "heading"),
        r.Segment("Signs include:", 3, "prose"),
        r.Segment("Loss of function", 5, "item"),
        r.Segment("Pain in the leg. It may last long", 6, "item"),
        ("Rest.", 8),
    ]
    result = r.measure(segments, "en")
    assert result.sentences == 3  # the lead-in, the item's one sentence, Rest.
    assert result.fragments == 2  # Loss of function; It may last long
    assert result.words == 2 + 4 + 1
    assert sorted(h.line for h in result.hardest) == [3, 6, 8]


def test_the_hardest_sentences_are_the_five_of_highest_grade_in_text_order_on_ties():
    text = (
        "Rest.\nRest now.\nAlternatively, physiotherapy stimulates circulation considerably.\n"
        "Walk.\nAnxiety, dehydration and inflammation aggravate the contractions.\n"
        "Drink.\nSleep.\nEat."
    )
    result = r.measure([(text, 20)], "en")
    assert len(result.hardest) == 5
    assert [h.line for h in result.hardest[:2]] == [22, 24]
    scores = [h.score for h in result.hardest]
    assert scores == sorted(scores, reverse=True)
    for hard in result.hardest:
        alone = r.measure([(hard.sentence, 1)], "en")
        assert hard.score == pytest.approx(alone.grade)
    assert result.hardest[2].sentence == "Rest now."  # ties: the earlier first


def test_arabic_has_no_formula_and_reports_sentence_length():
    text = "هل تشعر بألم في العضلات؟ اشرب الكثير من الماء. استرح."
    result = r.measure([(text, 4)], "ar")
    assert (result.words, result.sentences) == (10, 3)
    assert result.avg_sentence_length == pytest.approx(10 / 3)
    assert (result.formula, result.score, result.grade, result.syllables) == (
        None, None, None, 0
    )  # fmt: skip
    assert result.hardest[0] == r.Hard("هل تشعر بألم في العضلات؟", 4, 5.0)
    assert r.above_target(result) is None


def test_unknown_language_and_empty_text():
    result = r.measure([("Hyvää päivää. Kiitos.", 1)], "fi")
    assert (result.words, result.sentences, result.grade) == (3, 2, None)
    empty = r.measure([], "en-GB")
    assert (empty.words, empty.sentences, empty.avg_sentence_length) == (0, 0, 0.0)
    assert (empty.score, empty.grade, empty.hardest, empty.others) == (None, None, (), ())


def test_regional_tags_use_their_language():
    assert r.measure([(PASSAGES["es"], 1)], "es-MX").grade == measured("es").grade
    assert formulas.rules_for("de-AT").formula is formulas.WSTF


def test_readability_is_frozen():
    result = measured("en")
    with pytest.raises(AttributeError):
        result.grade = 1.0  # type: ignore[misc]


# --- Target and report --------------------------------------------------------------


def test_above_target_warning():
    result = measured("de")  # grade 10.04
    assert r.above_target(result) == "reading grade 10.0 is above the target 8"
    assert r.above_target(result, target=10) is None  # 10.0 as shown is not above 10
    assert r.above_target(result, target=9.5) == "reading grade 10.0 is above the target 9.5"
    assert r.above_target(measured("en")) is None  # 7.06


def test_report_lines():
    lines = r.report("source/es/x.md", measured("es"), target=6)
    assert lines[0] == "source/es/x.md: 43 words, 4 sentences, 10.8 words per sentence"
    assert lines[1] == "  grade 5.8 (Fernández-Huerta readability 77.3), target 6: within"
    assert lines[2] == "  Szigriszt-Pazos perspicuity (INFLESZ): 72.9"
    assert lines[3] == "  hardest sentences (grade):"
    # The long sentence alone: 206.84 - 0.60 * 213.6 - 1.02 * 22 = 56.2, grade 9.7.
    assert lines[4].startswith("    source/es/x.md:1: 9.7: La deshidratación y la falta")
    assert len(lines) == 4 + 4
    arabic = r.report("source/ar/x.md", r.measure([("مرحبا بكم. شكرا.", 7)], "ar"))
    assert arabic[1] == "  no readability formula is validated for Arabic: sentence length only"
    assert arabic[3] == "    source/ar/x.md:7: 2: مرحبا بكم."


# --- The seed article ---------------------------------------------------------------


def test_english_seed_article_body():
    # The issue expected "around grade 10-11". With syllables counted as the CMU
    # dictionary does (the module's count of this text is within 0.2 % of it) the body
    # scores 11.7; counting syllables by pyphen's hyphenation points instead, 6 % fewer,
    # gives 10.5, which is probably where the figure came from.
    result = seed("en")
    assert result.grade == pytest.approx(11.7, abs=1.0)
    assert r.above_target(result) is not None
    assert result.fragments == 3  # the list of symptoms, but for "... back, etc."


@pytest.mark.parametrize(
    ("lang", "grade"),
    [("en", 11.7), ("es", 8.5), ("fr", 12.6), ("de", 11.2), ("ar", None)],
)
def test_seed_articles(lang, grade):
    # What the five seed locales score today, with room for editing.
    path = ROOT / "source" / lang / "muscle-spasms.md"
    result = seed(lang)
    assert result.sentences > 40
    if grade is None:
        assert result.grade is None
        assert 15 < result.avg_sentence_length < 25
    else:
        assert result.grade == pytest.approx(grade, abs=1.0)
    # The hardest sentences point at the file's lines (front matter counted).
    lines = path.read_text(encoding="utf-8").splitlines()
    assert len(result.hardest) == 5
    for hard in result.hardest:
        assert hard.sentence.split()[0] in lines[hard.line - 1]
