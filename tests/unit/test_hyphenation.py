"""Hyphenation patterns parsed once and loaded from the user's cache folder after that
(render/pdf/hyphenation.py): each check runs in a fresh interpreter, as a PDF worker is,
and compares with pyphen's own parse in this one."""

from __future__ import annotations

import json
from pathlib import Path

import pyphen
from helpers import fresh_interpreter

#: Two languages (German, the slowest to parse, is built in tests/e2e/test_hyphenated_leaflet.py).
WORDS = {"en": ["hyphenation", "physiotherapist", "inflammation", "magnesium"],
         "es": ["calambres", "musculares", "hidratación"]}

#: Run in a fresh interpreter: preload the languages, with pyphen's parser made to fail
#: when PARSE_FAILS is set, then hyphenate the words as WeasyPrint asks pyphen to.
PROBE = """
import json, os, sys, pyphen
from pressroom.render.pdf import hyphenation
if os.environ.get("PARSE_FAILS"):
    def refuse(self, path):
        raise AssertionError(f"parsed {path}")
    pyphen.HyphDict.__init__ = refuse
words = json.loads(sys.argv[1])
for language in words:
    hyphenation.preload(language)
print(json.dumps({language: [[int(p) for p in pyphen.Pyphen(lang=language).positions(w)]
                             for w in ws] for language, ws in words.items()}))
"""


def probe(cache: Path, parse_fails: bool = False) -> dict[str, list[list[int]]]:
    done = fresh_interpreter(PROBE, json.dumps(WORDS), cache=cache, PARSE_FAILS=parse_fails)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def pyphens_own() -> dict[str, list[list[int]]]:
    found = {}
    for language, words in WORDS.items():
        path = pyphen.LANGUAGES[pyphen.language_fallback(language)]
        parsed = pyphen.Pyphen(filename=path, cache=False)  # parsed here, now
        found[language] = [[int(p) for p in parsed.positions(w)] for w in words]
    return found


def stored(cache: Path) -> list[Path]:
    return sorted((cache / "pressroom" / "hyphenation").glob("*.pickle"))


def test_a_second_process_hyphenates_as_pyphen_does_without_parsing(tmp_path: Path) -> None:
    expected = pyphens_own()
    assert probe(tmp_path) == expected  # parsed, and stored: one file per dictionary
    assert len(stored(tmp_path)) == len(WORDS)
    assert probe(tmp_path, parse_fails=True) == expected  # loaded: the parser never ran


def test_without_the_cache_the_parser_runs(tmp_path: Path) -> None:
    """The probe's refusal is real: with nothing stored, the parse it refuses is needed."""
    done = fresh_interpreter(PROBE, json.dumps({"en": ["word"]}), cache=tmp_path,
                             PARSE_FAILS=True)
    assert done.returncode != 0 and "AssertionError: parsed" in done.stderr


def test_a_damaged_cache_file_is_parsed_again_and_replaced(tmp_path: Path) -> None:
    probe(tmp_path)
    for path in stored(tmp_path):
        path.write_bytes(path.read_bytes()[:100])  # cut short, as by a full disk
    assert probe(tmp_path) == pyphens_own()
    assert probe(tmp_path, parse_fails=True) == pyphens_own()  # rewritten whole


def test_a_cache_path_that_is_a_file_is_left_alone(tmp_path: Path) -> None:
    """Where the folder cannot be made (a file in its place), the patterns are parsed."""
    (tmp_path / "pressroom").write_text("not a folder", "utf-8")
    assert probe(tmp_path) == pyphens_own()
    assert (tmp_path / "pressroom").read_text("utf-8") == "not a folder"

