"""Load stage: every kind of broken article gets an exact `path:line` error."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import DATA, load
from helpers import messages

from pressroom import model as m
from pressroom.errors import Problems
from pressroom.locales import check_locale
from pressroom.sources import discover

ERRORS = DATA / "errors"

# file → exact messages the loader reports (undefined/unused notes are the resolve stage's).
LOAD_ERRORS = {
    "no-front-matter.md": [
        "no-front-matter.md:1: error: no front matter: start the file with '---', YAML with"
        " a 'title', then '---'"
    ],
    "unterminated.md": [
        "unterminated.md:1: error: front matter is not closed: add a '---' line after the YAML"
    ],
    "yaml-syntax.md": [
        "yaml-syntax.md:3: error: front matter is not valid YAML: while parsing a flow"
        " sequence, did not find expected ',' or ']'"
    ],
    "not-mapping.md": [
        "not-mapping.md:2: error: front matter must be 'key: value' lines (a mapping)"
    ],
    "missing-title.md": ["missing-title.md:1: error: front matter has no 'title'"],
    "unknown-key.md": [
        "unknown-key.md:3: error: unknown front-matter key 'sumary' (did you mean 'summary'?)"
    ],
    "wrong-types.md": [
        "wrong-types.md:3: error: 'authors' must be a list (one '- item' per line), not text",
        "wrong-types.md:4: error: 'reviewed' must be a date written YYYY-MM-DD, not"
        " 'last tuesday'",
        "wrong-types.md:5: error: 'reading_target' must be a school grade from 1 to 18"
        " (e.g. 8), not 'twelve'",
    ],
    "bad-checklist.md": [
        "bad-checklist.md:4: error: 'checklist.symptoms' must be a list of items",
        "bad-checklist.md:7: error: 'checklist.remedies' item must be non-empty text",
        "bad-checklist.md:8: error: unknown checklist key 'sideeffects' (expected symptoms or"
        " remedies)",
    ],
    "duplicate-note.md": [
        "duplicate-note.md:11: error: duplicate definition of note [^a] (first defined on line 9)"
    ],
    "empty-note.md": ["empty-note.md:9: error: note [^a] is empty"],
    "empty-section.md": ["empty-section.md:9: error: section 'Empty' is empty"],
    "heading-skip.md": ["heading-skip.md:7: error: heading level skips from # to ###"],
    "images.md": [
        "images.md:7: error: image '../articles/blue.png' has no alt text (write"
        " ![what it shows](../articles/blue.png))",
        "images.md:9: error: image file 'nowhere.png' not found",
        "images.md:11: error: image 'https://example.org/x.png' is not a local file (nothing is"
        " fetched at build time)",
        "images.md:13: error: image '../../../../../../etc/hostname' is outside the project",
    ],
    "raw-html.md": [
        "raw-html.md:7: error: raw HTML is not allowed in articles ('<script>alert(1)</script>');"
        " write Markdown instead",
        "raw-html.md:9: error: raw HTML is not allowed in articles ('<iframe"
        " src=\"https://example.org\">'); write Markdown instead",
    ],
    "empty-body.md": ["empty-body.md: error: the article has no body text after the front matter"],
    "zero-byte.md": ["zero-byte.md: error: file is empty"],
    "not-utf8.md": ["not-utf8.md:7: error: file is not UTF-8 text (save it as UTF-8)"],
    "impossible-date.md": [
        "impossible-date.md:3: error: 'published' must be a date written YYYY-MM-DD, not"
        " '2019-02-30'"
    ],
    "raw-html-hostile.md": [
        "raw-html-hostile.md:7: error: raw HTML is not allowed in articles"
        " ('<script>alert(1)</script>'); write Markdown instead",
        "raw-html-hostile.md:9: error: raw HTML is not allowed in articles"
        " ('<img src=x onerror=\"alert(1)\">'); write Markdown instead",
        "raw-html-hostile.md:11: error: raw HTML is not allowed in articles"
        " ('<link rel=\"attachment\" href=\"file:///etc'); write Markdown instead",
        "raw-html-hostile.md:13: error: raw HTML is not allowed in articles"
        " ('<iframe src=\"https://example.org\"></ifra'); write Markdown instead",
    ],
    "empty-title.md": ["empty-title.md:2: error: 'title' is empty"],
    "yaml-tag.md": [
        "yaml-tag.md:2: error: 'title' has a value YAML cannot read: could not convert"
        " string to float: 'abc'"
    ],
    "duplicate-key.md": ["duplicate-key.md:4: error: 'summary' is given twice (first on line 3)"],
    "control-char.md": [
        "control-char.md:7: error: control character U+0007 in the text (delete it; it is"
        " invisible in most editors)"
    ],
    "svg.md": [
        "svg.md:7: error: image '../svg/external.svg' refers to another file"
        " ('file:///etc/hostname'): SVG images must be self-contained",
        "svg.md:9: error: image '../svg/script.svg' contains <script>: only self-contained"
        " drawings are allowed",
    ],
    # Its links are checked later, when the article is resolved (test_links.py).
    "links.md": [
        "links.md:9: error: image 'corrupt.png' is not a readable image file",
    ],
}


@pytest.mark.parametrize("name", sorted(LOAD_ERRORS))
def test_load_errors_are_exact(name: str) -> None:
    _, problems = load(ERRORS / name)
    assert messages(problems) == LOAD_ERRORS[name]


def test_every_error_fixture_is_covered() -> None:
    resolve_stage = {"undefined-note.md", "unused-note.md"}
    assert {p.name for p in ERRORS.glob("*.md")} == set(LOAD_ERRORS) | resolve_stage


def test_complete_article_loads_without_problems() -> None:
    article, problems = load(DATA / "articles" / "complete.md")
    assert not list(problems)
    assert article is not None
    meta = article.meta
    assert meta.title == "Everything an Author Can Write"
    assert meta.authors == ("Ada Author", "Bea Writer")
    assert meta.reviewed.isoformat() == "2025-02-01"
    assert meta.keywords == ("testing", "markdown")
    symptoms, remedies = article.checklist
    assert symptoms.key == "symptoms" and remedies.key == "remedies"
    assert [(i.text, i.field) for i in symptoms.items] == [
        ("Headache", "symptom-1"), ("Dizziness", "symptom-2")]
    assert [(i.text, i.field) for i in remedies.items] == [("Rest", "remedy-1")]
    assert isinstance(article.lead[0], m.Paragraph)
    assert [s.anchor for s in article.sections] == ["first-section", "second-section"]
    assert [s.anchor for s in article.sections[0].subsections] == ["a-subsection"]
    assert {d.key for d in article.notes} == {
        "alpha", "beta", "gamma", "delta", "epsilon", "^[1]", "zeta", "eta"}
    assert [d.key for d in article.notes if d.inline] == ["^[1]"]


def test_seed_article_loads_cleanly(root: Path) -> None:
    article, problems = load(root / "source" / "en" / "muscle-spasms.md")
    assert not list(problems)
    titles = [m.plain_text(s.title) for s in article.sections]
    assert titles == [
        "What are Muscle Spasms?",
        "Diagnosing Muscle Spasms",
        "What Causes Muscle Spasms?",
        "Help for Muscle Spasms and Twitching",
    ]
    assert len(article.checklist_group("symptoms").items) == 4
    assert article.checklist_group("remedies").items


def test_seed_has_no_scraped_css(root: Path) -> None:
    text = (root / "source" / "en" / "muscle-spasms.md").read_text(encoding="utf-8")
    assert "tinymce" not in text and "{" not in text


@pytest.mark.parametrize(
    ("tag", "ok"),
    [("en", True), ("pt-BR", True), ("ar", True), ("zh-Hant-TW", True), ("pt_BR", False),
     ("xx", False), ("english", False), ("pt-br", False), ("EN", False)],
)
def test_check_locale(tag: str, ok: bool) -> None:
    assert (check_locale(tag) == "") is ok


def test_discover_reports_bad_folders_and_names(tmp_path: Path) -> None:
    for name in ("en/good-one.md", "en/Bad Name.md", "en/dots.in.name.md", "en_GB/x.md",
                 "assets/readme.md", "es/otro.md"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("---\ntitle: x\n---\n\ntext\n", encoding="utf-8")
    problems = Problems()
    found = discover(tmp_path, problems)
    assert [(s.locale, s.slug) for s in found] == [("en", "good-one"), ("es", "otro")]
    assert messages(problems) == [
        "Bad Name.md: error: 'Bad Name.md' is not a valid article name: use lowercase letters,"
        " digits and hyphens (e.g. muscle-spasms.md)",
        "dots.in.name.md: error: 'dots.in.name.md' is not a valid article name: use lowercase"
        " letters, digits and hyphens (e.g. muscle-spasms.md)",
        "en_GB: error: 'en_GB' is not a BCP 47 locale tag (write 'en-GB')",
    ]
