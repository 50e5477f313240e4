"""The UI catalogs after the medical translator's second review (issue 24): valid for GNU
gettext, French typography, one word and one mood per concept."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

LOCALES = ("ar", "de", "es", "fr")
#: A non-breaking space (U+00A0) or a narrow one (U+202F), as French typography wants.
NBSP = "\u00a0\u202f"


def catalog(root: Path, locale: str) -> dict[str, str]:
    path = root / "layouts/locales" / locale / "LC_MESSAGES/messages.po"
    with path.open("rb") as handle:
        return {str(m.id): str(m.string) for m in read_po(handle) if m.id}


@pytest.mark.parametrize("locale", LOCALES)
def test_every_catalog_passes_msgfmt_check(root: Path, locale: str) -> None:
    path = root / "layouts/locales" / locale / "LC_MESSAGES/messages.po"
    done = subprocess.run(["msgfmt", "--check", "--statistics", "-o", "/dev/null", str(path)],
                          capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert "error" not in done.stderr


def test_french_strings_have_non_breaking_spaces(root: Path) -> None:
    """Before : ; ? ! and inside « »: a non-breaking space, so a colon never wraps onto a
    line of its own — in every French UI string."""
    wrong = []
    for msgid, text in catalog(root, "fr").items():
        for match in re.finditer(r"[:;?!](?=\s|$)", text):
            if match.start() == 0 or text[match.start() - 1] not in NBSP:
                wrong.append((msgid, text))
        for match in re.finditer("«", text):
            if text[match.end():match.end() + 1] not in tuple(NBSP):
                wrong.append((msgid, text))
        for match in re.finditer("»", text):
            if match.start() == 0 or text[match.start() - 1] not in NBSP:
                wrong.append((msgid, text))
    assert not wrong
    # The test can fail: ordinary spaces are caught.
    assert re.search(r"[^\u00a0\u202f][:;?!](?=\s|$)", "Pages : 3")


def test_french_says_fiche_and_one_mood_for_the_qr_captions(root: Path) -> None:
    strings = catalog(root, "fr")
    assert not [t for t in strings.values() if "brochure" in t.lower()]
    assert strings["Search the leaflets"] == "Rechercher dans les fiches"
    assert strings["All leaflets"] == "Toutes les fiches"
    captions = [strings[key] for key in ("Read this leaflet online:",
                                         "Download this leaflet as an ebook:",
                                         "Download this leaflet:")]
    # Infinitives ("Lire", "Télécharger"), no imperative ("Téléchargez").
    assert [c.split()[0] for c in captions] == ["Lire", "Télécharger", "Télécharger"]


def test_spanish_checklist_and_quotation_marks(root: Path) -> None:
    strings = catalog(root, "es")
    assert strings["Your checklist"] == "Su lista de comprobación"
    assert strings["Print this checklist"] == "Imprimir esta lista de comprobación"
    texts = " ".join(strings.values())
    assert "«" not in texts and "»" not in texts
    assert "“%(query)s”" in strings["Leaflets found for “%(query)s”: %(count)s"]


def test_arabic_labels(root: Path) -> None:
    strings = catalog(root, "ar")
    assert strings["%(brand)s ebook (EPUB)"] == "كتاب إلكتروني من %(brand)s (EPUB)"
    assert strings["Published by %(name)s"] == "الناشر: %(name)s"
    # The page's actions as verbal nouns, none as an imperative.
    actions = ["Search the leaflets", "Search", "Download or print this leaflet",
               "Download this leaflet", "Print this checklist", "Read online",
               "Back to text", "Skip to main content"]
    firsts = [strings[key].split()[0] for key in actions]
    assert firsts == ["البحث", "بحث", "تنزيل", "تنزيل", "طباعة", "القراءة", "العودة",
                      "الانتقال"]
