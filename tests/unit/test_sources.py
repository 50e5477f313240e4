"""Load stage: every kind of broken article gets an exact `path:line` error."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from conftest import DATA, ROOT, load
from helpers import messages

from pressroom.content import model as m
from pressroom.content.elsewhere import check_images, parse_articles
from pressroom.content.outline import GENERATED_HEADINGS
from pressroom.content.resolve import resolve
from pressroom.content.sources import SourceFile, discover, load_article
from pressroom.core.errors import Problems
from pressroom.core.locales import check_locale
from pressroom.core.settings import Settings

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
        "images.md:9: error: image file 'nowhere.png' not found: looked for nowhere.png, and"
        f" there is none in the article's folder images{os.sep} either",
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
    "yaml-tab.md": [
        "yaml-tab.md:4: error: front matter is not valid YAML: this line is indented with a"
        " tab: indent with spaces, not tabs"
    ],
    "yaml-colon.md": [
        "yaml-colon.md:3: error: front matter is not valid YAML: the value of 'subtitle'"
        " contains ': ': put it in quotes: subtitle: 'Heartburn: why it happens'"
    ],
    # Reported on the line after the mistake by YAML itself.
    "yaml-no-space.md": [
        "yaml-no-space.md:2: error: front matter is not valid YAML: 'title:' needs a space"
        " after the colon: title: Muscle Spasms"
    ],
    # `code: #014` is a comment to YAML; `subtitle:   # to do` really is one.
    "yaml-comment.md": [
        "yaml-comment.md:3: error: 'code' is empty: YAML reads '#014' as a comment; put the"
        " value in quotes: code: '#014'"
    ],
    # `#1 cause…`, an escaped `\#Hashtag` and a #hashtag inside a sentence are text.
    "heading-no-space.md": [
        "heading-no-space.md:9: warning: '#What Helps' is a paragraph, not a heading: did you"
        " mean '# What Helps'?",
        "heading-no-space.md:17: warning: '##Subsection too' is a paragraph, not a heading:"
        " did you mean '## Subsection too'?",
    ],
    # One error, not "cited but never defined" at each citation (see test_notes.py).
    "broken-definition.md": [
        "broken-definition.md:9: error: this line looks like a broken note definition:"
        " write '[^kurz]: …' (with a colon after the key)"
    ],
    "references-heading.md": [
        "references-heading.md:9: error: the 'References' list is generated from the notes:"
        " delete this heading, write each reference as a note ([^key]: …) and cite it in"
        " the text ([^key])"
    ],
    "review-dates.md": ["review-dates.md:4: error: 'reviewed' is before 'published'"],
    "long-title.md": [
        "long-title.md:2: error: 'title' is 259 characters long: at most 250 fit on the"
        " front page of an A5 leaflet; move the rest to 'subtitle'"
    ],
    "links.md": [
        "links.md:9: error: image 'corrupt.png' is not a readable image file",
    ],
}


@pytest.mark.parametrize("name", sorted(LOAD_ERRORS))
def test_load_errors_are_exact(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ERRORS)  # paths inside messages are shown relative to it
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
        " digits and hyphens (rename it 'bad-name.md')",
        "dots.in.name.md: error: 'dots.in.name.md' is not a valid article name: use lowercase"
        " letters, digits and hyphens (rename it 'dots-in-name.md')",
        "en_GB: error: 'en_GB' is not a BCP 47 locale tag (write 'en-GB')",
    ]


def test_files_that_look_like_articles_are_named(tmp_path: Path, monkeypatch) -> None:
    """Not read, so not silently: each gets one warning saying what to rename it."""
    for name in ("en/good.md", "en/heartburn.markdown", "en/notes.txt", "en/Muscle.MD",
                 "en/figure.png", "en/.hidden.md", "stray.md", "assets/readme.md"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("---\ntitle: x\n---\n\ntext\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    problems = Problems()
    assert [s.slug for s in discover(tmp_path, problems)] == ["good"]
    assert messages(problems) == [
        "Muscle.MD: warning: 'Muscle.MD' is not read: only .md files are articles (rename it"
        " 'muscle.md')",
        "heartburn.markdown: warning: 'heartburn.markdown' is not read: only .md files are"
        " articles (rename it 'heartburn.md')",
        "notes.txt: warning: 'notes.txt' is not read: only .md files are articles (rename it"
        " 'notes.md')",
        f"stray.md: warning: 'stray.md' is not read: move it into a locale folder, e.g."
        f" {Path('en/stray.md')}",
    ]


def test_text_is_read_as_written(tmp_path: Path) -> None:
    """YAML 1.1 reads 021 as octal 17 and 1.10 as 1.1: an author means neither."""
    path = tmp_path / "a.md"
    path.write_text(
        "---\ntitle: yes\ncode: 021\nversion: 1.10\nkeywords: [2019, covid]\n"
        "checklist:\n  symptoms:\n    - 10\n    - null\n---\n\n# S\n\nText.\n",
        encoding="utf-8")
    article, problems = load(path)
    assert messages(problems) == [
        "a.md:9: error: 'checklist.symptoms' item must be non-empty text"]
    meta = article.meta
    assert (meta.title, meta.code, meta.version) == ("yes", "021", "1.10")
    assert meta.keywords == ("2019", "covid")
    assert [item.text for item in article.checklist[0].items] == ["10"]
    path.write_text("---\ntitle: T\nversion: 3\n---\n\n# S\n\nText.\n", "utf-8")
    article, problems = load(path)
    assert article.meta.version == "3" and not list(problems)


def test_an_image_in_the_article_folder_is_pointed_to(tmp_path: Path, monkeypatch) -> None:
    folder = tmp_path / "source" / "en" / "cramps"
    folder.mkdir(parents=True)
    shutil.copy(DATA / "articles" / "blue.png", folder / "figure.png")
    path = tmp_path / "source" / "en" / "cramps.md"
    path.write_text("---\ntitle: T\n---\n\n# S\n\n![A figure](figure.png)\n", "utf-8")
    monkeypatch.chdir(tmp_path)
    problems = Problems()
    load_article(SourceFile(path, "en", "cramps"), (tmp_path / "source",), problems)
    assert messages(problems) == [
        f"cramps.md:7: error: image file 'figure.png' not found: looked for"
        f" {Path('source/en/figure.png')}; the article's folder has one: write"
        " 'cramps/figure.png'"]


def test_an_article_parsed_away_from_its_files_is_the_same_once_its_images_are_checked(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """A cluster's worker loads and resolves without the project (`parse_articles`); the
    images are then checked here (`check_images`): the same article and publication, the
    same exact messages."""
    monkeypatch.chdir(ERRORS)
    roots, settings, strings = (DATA, ROOT), Settings(), {"References": "Quellen"}
    batch = [(SourceFile(path, "en", path.stem), path.read_bytes(), GENERATED_HEADINGS,
              strings) for path in (DATA / "articles" / "complete.md", ERRORS / "images.md")]
    (complete, clean, pub, found), (broken, problems, none, _) = parse_articles(
        batch, roots, settings)
    here = load(DATA / "articles" / "complete.md")[0]
    assert here is not None
    assert complete == here and not list(clean)
    assert any(isinstance(node, m.Image) for node in m.descendants(complete.sections))
    assert pub == resolve(here, Problems(), strings, settings) and not found
    assert broken is not None and none is None  # an article with problems is not resolved
    assert not any("not found" in message for message in messages(problems))
    check_images(broken, roots, problems)
    assert messages(problems) == LOAD_ERRORS["images.md"]
