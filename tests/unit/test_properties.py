"""Property-based tests: any article builds, or fails with content errors only.

The normal run uses a modest number of examples; `HYPOTHESIS_PROFILE=thorough` runs
10,000 for the model-level properties (`make test-thorough`).
"""

from __future__ import annotations

import json
import os
import re
import shutil
from pathlib import Path

from conftest import ROOT
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from pressroom.content import model as m
from pressroom.content.notes import map_refs
from pressroom.content.resolve import resolve
from pressroom.content.sources import SourceFile, load_article
from pressroom.core.errors import Problems
from pressroom.core.project import Project

settings.register_profile("default", max_examples=60, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("thorough", max_examples=10_000, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))
THOROUGH = os.environ.get("HYPOTHESIS_PROFILE") == "thorough"

WORDS = st.text(
    alphabet=st.characters(codec="utf-8", categories=("L", "N"), exclude_characters="_"),
    min_size=1, max_size=12,
)
ANY_TEXT = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=80)
KEYS = st.sampled_from([f"k{i}" for i in range(8)])


def write(tmp: Path, text: str) -> Path:
    path = tmp / "source" / "en" / "prop.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def load_and_resolve(path: Path):
    problems = Problems()
    article = load_article(SourceFile(path, "en", "prop"), (path.parent,), problems)
    pub = resolve(article, problems) if article is not None else None
    return pub, problems


@st.composite
def paragraphs_with_calls(draw):
    """A paragraph: words with note calls sprinkled between them."""
    parts = []
    for _ in range(draw(st.integers(1, 6))):
        parts.append(" ".join(draw(st.lists(WORDS, min_size=1, max_size=5))))
        if draw(st.booleans()):
            parts.append(f"[^{draw(KEYS)}]")
    return " ".join(parts)


@st.composite
def valid_articles(draw):
    """Sections with paragraphs, nested lists and note calls; every cited key defined once."""
    title = draw(WORDS)
    lines = ["---", f"title: {json.dumps(title, ensure_ascii=False)}", "---", ""]
    for index in range(draw(st.integers(1, 4))):
        lines += [f"# Section {index} {draw(WORDS)}", ""]
        for _ in range(draw(st.integers(1, 3))):
            if draw(st.booleans()):
                lines += [draw(paragraphs_with_calls()), ""]
            else:
                for item in range(draw(st.integers(1, 3))):
                    lines.append(f"- {draw(paragraphs_with_calls())}")
                    if draw(st.booleans()):
                        lines.append(f"  {item + 1}. {draw(WORDS)}")
                lines.append("")
    body = "\n".join(lines)
    cited = list(dict.fromkeys(re.findall(r"\[\^(k\d)\]", body)))
    definitions = [f"[^{key}]: Note {draw(WORDS)}." for key in draw(st.permutations(cited))]
    return body + "\n" + "\n\n".join(definitions) + "\n", cited


@given(article=valid_articles())
def test_numbering_follows_first_citation(tmp_path_factory, article) -> None:
    text, cited = article
    pub, problems = load_and_resolve(write(tmp_path_factory.mktemp("p"), text))
    assert not problems.errors, [str(p) for p in problems]
    refs: list[m.NoteRef] = []
    map_refs((pub.article.lead, pub.article.sections), lambda r: refs.append(r) or r)
    numbers = {}
    for ref in refs:
        numbers.setdefault(ref.key, len(numbers) + 1)
        assert ref.number == numbers[ref.key]  # a key always gets the same number
    assert [k for k in numbers] == cited  # numbered in order of first citation, 1..n
    assert [n.number for n in pub.notes] == list(range(1, len(cited) + 1))
    assert [n.key for n in pub.notes] == cited


@st.composite
def any_articles(draw):
    """Anything: random front matter values, random Markdown-ish text, random notes."""
    value = draw(st.one_of(ANY_TEXT, st.integers(), st.lists(ANY_TEXT, max_size=3),
                           st.none(), st.booleans()))
    key = draw(st.sampled_from(["title", "subtitle", "summary", "authors", "keywords",
                                "published", "checklist", "titel"]))
    front = [f"title: {json.dumps(draw(ANY_TEXT), ensure_ascii=False)}",
             f"{key}: {json.dumps(value, ensure_ascii=False)}"]
    if draw(st.booleans()):  # YAML tags and plain scalars YAML may fail to build
        tag = draw(st.sampled_from(["!!float", "!!int", "!!timestamp", "!!binary", "!!bool",
                                    "!!python/name:os.system", ""]))
        front.append(f"summary: {tag} {draw(WORDS)}")
    body = []
    for _ in range(draw(st.integers(0, 8))):
        kind = draw(st.sampled_from(["#", "##", "###", "-", "1.", ">", "", "[^"]))
        text = draw(ANY_TEXT).replace("\n", " ")
        body.append(f"[^{draw(KEYS)}]: {text}" if kind == "[^" else f"{kind} {text}".strip())
        body.append("")
    if draw(st.booleans()):
        return "---\n" + "\n".join(front) + "\n---\n\n" + "\n".join(body)
    return "\n".join(body)  # no front matter at all


@given(text=any_articles())
def test_any_input_gives_an_article_or_content_errors(tmp_path_factory, text) -> None:
    pub, problems = load_and_resolve(write(tmp_path_factory.mktemp("p"), text))
    # No exception escaped; and every outcome is explained.
    if pub is None or problems.errors:
        assert problems.errors
        for problem in problems.errors:
            assert problem.message and problem.location.path.name == "prop.md"
    else:
        assert pub.meta.title


@settings(max_examples=40 if THOROUGH else 4)
@given(article=valid_articles())
def test_pdf_and_epub_agree_on_numbering(tmp_path_factory, article) -> None:
    import zipfile

    from helpers import build
    from pypdf import PdfReader

    text, cited = article
    assume(cited)
    project_dir = tmp_path_factory.mktemp("p")
    for folder in ("layouts", "styles"):
        shutil.copytree(ROOT / folder, project_dir / folder)
    write(project_dir, text)
    report = build(Project.at(project_dir), jobs=1)
    assert report.ok, [str(p) for p in report.problems]
    pdf = PdfReader(project_dir / "out" / "en" / "prop.pdf")
    pdf_calls = [a.get_object().get("/Dest") for page in pdf.pages
                 for a in page.get("/Annots") or []]
    pdf_numbers = [int(d.split("-")[1]) for d in pdf_calls if str(d).startswith("note-")]
    with zipfile.ZipFile(project_dir / "out" / "en" / "prop.epub") as book:
        epub_numbers = [
            int(n) for name in sorted(book.namelist()) if name.startswith("EPUB/section-")
            for n in re.findall(rb'epub:type="noteref" role="doc-noteref">(\d+)<',
                                book.read(name))
        ]
    # Sections are section-1.xhtml … in order; fewer than 10 here, so sorting keeps it.
    assert pdf_numbers == epub_numbers
    assert sorted(set(pdf_numbers)) == list(range(1, len(cited) + 1))
