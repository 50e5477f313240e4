"""Sentences and words of plain text, per language, without data files or downloads.

A sentence ends at a full stop, question or exclamation mark or ellipsis (and their
Arabic forms), but not at a language's common abbreviations; a word is a run of letters
or digits. Syllables are counted by syllables.py.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from typing import NamedTuple

from pressroom.readability import syllables as syl
from pressroom.readability.formulas import Counts, Rules, language, rules_for


class Sentence(NamedTuple):
    text: str  # whitespace collapsed to single spaces
    line: int
    ended: bool  # closed by a full stop, question or exclamation mark or ellipsis




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


