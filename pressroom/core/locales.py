"""Locale tags: what counts as one, and which way its script runs."""

from __future__ import annotations

import functools
import unicodedata

from babel import Locale, UnknownLocaleError
from babel.core import get_global


def check_locale(tag: str) -> str:
    """Return "" for a BCP 47 tag Babel knows (`en`, `pt-BR`), else why it is not one."""
    if "_" in tag:
        return f"'{tag}' is not a BCP 47 locale tag (write '{tag.replace('_', '-')}')"
    try:
        locale = Locale.parse(tag, sep="-")
    except (UnknownLocaleError, ValueError):
        return f"'{tag}' is not a known BCP 47 locale tag (e.g. en, es, pt-BR, ar)"
    canonical = canonical_tag(locale)
    if tag != canonical:
        # One spelling per locale: out/pt-br and out/pt-BR would be the same folder on
        # case-insensitive disks, and two folders for one language otherwise.
        return f"'{tag}' is not written the canonical way: write '{canonical}'"
    return ""


def split_tags(values: list[str] | str) -> list[str]:
    """Locale tags as a command line gives them: `--locale en es` and `--locale en,es`
    (commas, as in other tools) are the same request."""
    words = [values] if isinstance(values, str) else values
    return [tag for word in words for tag in word.replace(",", " ").split()]


def canonical_tag(locale: Locale) -> str:
    parts = [locale.language, locale.script, locale.territory, locale.variant]
    return "-".join(p for p in parts if p)


#: ISO 15924 scripts written right to left (CLDR's "right-to-left" character order).
RTL_SCRIPTS = frozenset({
    "Adlm", "Arab", "Aran", "Hebr", "Mand", "Mend", "Nkoo", "Rohg", "Samr", "Syrc",
    "Thaa", "Yezi",
})


@functools.cache
def text_direction(tag: str) -> str:
    """"rtl" or "ltr": the direction of the tag's script, or of the script CLDR's likely
    subtags give its language (`ar` → Arab, `pa-Arab` → Arab, `az` → Latn).

    Direction is a property of the script; reading it from the small likely-subtags
    table keeps a whole locale's CLDR data from being loaded just to ask.
    """
    locale = Locale.parse(tag, sep="-")
    script = locale.script
    if not script:
        likely = get_global("likely_subtags")
        full = (likely.get(f"{locale.language}_{locale.territory}") if locale.territory
                else None) or likely.get(locale.language, "")
        parts = full.split("_")
        script = parts[1] if len(parts) > 1 and len(parts[1]) == 4 else ""
    return "rtl" if script in RTL_SCRIPTS else "ltr"


def content_direction(text: str, default: str = "ltr") -> str:
    """The direction of a text's first strong character (the Unicode "auto" rule).

    Used where a run's direction is its content's, not the page's: a reference written
    in English inside an Arabic leaflet reads left to right.
    """
    for char in text:
        kind = unicodedata.bidirectional(char)
        if kind == "L":
            return "ltr"
        if kind in ("R", "AL"):
            return "rtl"
    return default
