"""A locale's own alphabetical order and letters (CLDR collation, through ICU).

Why ICU (PyICU) and not pyuca: pyuca implements the Unicode Collation Algorithm with the
root (DUCET) order only, so Spanish "ñ" sorts and groups as an "n" with an accent; ICU
applies each locale's CLDR tailoring and knows each locale's index letters
(`AlphabeticIndex`): Spanish gets its own "Ñ", German files "Ä" under "A" (as German
dictionaries do), Arabic gets its 28 letters. Latin letters are added to every index, so
a title in Latin script in an Arabic library (a brand name) still has its letter.
Titles that fit no letter (digits, other scripts) go under "…" (`OTHER`).
"""

from __future__ import annotations

import unicodedata
from functools import cache
from typing import Any

#: The label ICU gives titles before the first or after the last letter.
OTHER = "…"


@cache
def _collator(locale: str) -> Any:
    import icu

    return icu.Collator.createInstance(icu.Locale(locale.replace("-", "_")))


@cache
def _index(locale: str, latin: bool = True) -> Any:
    import icu

    index = icu.AlphabeticIndex(icu.Locale(locale.replace("-", "_")))
    if latin:
        index.addLabels(icu.Locale.getEnglish())
    return index.buildImmutableIndex()


def sort_key(locale: str, text: str) -> bytes:
    """What to sort by so that `text` falls where a reader of `locale` looks for it."""
    return bytes(_collator(locale).getSortKey(text))


def letter(locale: str, text: str) -> str:
    """The letter of the locale's alphabet `text` is filed under ("Ñ", "ت", or OTHER)."""
    index = _index(locale)
    label, _kind = index.getBucket(index.getBucketIndex(text))
    return str(label) or OTHER


def alphabet(locale: str, latin: bool = True) -> list[str]:
    """The locale's index letters in order, OTHER once, at the end; `latin=False`: the
    locale's own letters only (an Arabic letter bar shows the Latin letters only when a
    title starts with one)."""
    index = _index(locale, latin)
    labels = [str(index.getBucket(i)[0]) for i in range(index.bucketCount)]
    return [label for label in labels if label != OTHER] + [OTHER]


def letter_slug(label: str) -> str:
    """A letter as a file name that any host serves: `a`, `u00d1` (Ñ), `u062a` (ت),
    `other` (…)."""
    if label == OTHER:
        return "other"
    if label.isascii() and label.isalnum():
        return label.lower()
    return "u" + "-".join(f"{ord(c):04x}" for c in unicodedata.normalize("NFC", label))
