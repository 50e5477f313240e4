"""The reading grade wired in: what is measured, the target, `check` and `readability`.

The formulas themselves are tested in test_readability.py against published scores.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from conftest import DATA, load
from test_readability import markdown_segments

from pressroom.cli.main import main
from pressroom.content.resolve import resolve
from pressroom.content.sources import SourceFile, load_article
from pressroom.core.errors import Problems
from pressroom.readability import report as reading
from pressroom.readability.grade import Segment
from pressroom.readability.grade import report as grade_report

PLATYPUS = "The Australian platypus is seemingly a hybrid of a mammal and reptilian creature."


def publication(path: Path, locale: str = "en"):
    article, problems = load(path, locale)
    assert not problems.errors, [str(p) for p in problems]
    return resolve(article, problems)


@pytest.mark.parametrize("locale", ["en", "es", "fr", "de", "ar"])
def test_the_body_is_what_the_markdown_says(root: Path, locale: str) -> None:
    """From the content model, the same text and lines as an independent reading of the
    Markdown with markdown-it (test_readability.markdown_segments); then the checklist."""
    path = root / "source" / locale / "muscle-spasms.md"
    article, _ = load(path, locale)
    ours = reading.segments(article)
    theirs = [s for s in markdown_segments(path) if s.kind != "heading"]
    body = ours[:len(theirs)]
    assert [(" ".join(s.text.split()), s.line, s.kind) for s in body] == [
        (" ".join(s.text.split()), s.line, s.kind) for s in theirs]
    # Lines inside a paragraph are kept, so a sentence is reported where it starts.
    assert [s.text.count("\n") for s in body] == [s.text.count("\n") for s in theirs]
    checklist = [(i.text, i.line, "item") for g in article.checklist for i in g.items]
    assert [tuple(s) for s in ours[len(theirs):]] == checklist


def test_only_what_a_patient_reads(tmp_path: Path) -> None:
    path = tmp_path / "a.md"
    path.write_text(f"""---
title: A heading is not read
checklist:
  remedies: [Rest well.]
---

Lead paragraph.[^n]

# Section heading

> A quote.

- An item
- ![alt text is for those who cannot see](blue.png)

| Head |
|------|
| Cell |

```
code is not prose
```

{PLATYPUS}

[^n]: References are not read.
""", encoding="utf-8")
    (tmp_path / "blue.png").write_bytes((DATA / "articles" / "blue.png").read_bytes())
    problems = Problems()
    article = load_article(SourceFile(path, "en", "a"), (tmp_path,), problems)
    assert not list(problems)
    assert reading.segments(article) == [
        Segment("Lead paragraph.", 7, "prose"),
        Segment("A quote.", 11, "prose"),
        Segment("An item", 13, "item"),
        Segment("Head", 16, "item"),
        Segment("Cell", 16, "item"),
        Segment(PLATYPUS, 24, "prose"),
        Segment("Rest well.", 4, "item"),
    ]


def platypus_article(tmp_path: Path, front: str = "") -> Path:
    path = tmp_path / "source" / "en" / "platypus.md"
    path.parent.mkdir(parents=True)
    path.write_text(f"---\ntitle: Platypus\n{front}---\n\n# Animals\n\n{PLATYPUS}\n",
                    encoding="utf-8")
    return path


def test_grade_of_a_publication(tmp_path: Path, root: Path) -> None:
    # Wikipedia's platypus sentence: 13 words, 24 syllables, Flesch-Kincaid grade 11.3.
    assert reading.grade(publication(platypus_article(tmp_path))) == pytest.approx(11.3, abs=0.05)
    # No validated formula for Arabic: no grade.
    assert reading.grade(publication(root / "source/ar/muscle-spasms.md", "ar")) is None


def test_target_is_eight_unless_the_front_matter_says(tmp_path: Path) -> None:
    default = load(platypus_article(tmp_path / "a"))[0]
    assert reading.target(default) == 8
    lower = load(platypus_article(tmp_path / "b", "reading_target: 6.5\n"))[0]
    assert reading.target(lower) == 6.5


def test_check_warns_above_the_target(tmp_path: Path) -> None:
    problems = Problems()
    reading.check(publication(platypus_article(tmp_path / "a")), problems)
    assert [str(p).split("/source/")[-1] for p in problems] == [
        "en/platypus.md:1: warning: reading grade 11.3 is above the target 8"]
    problems = Problems()
    reading.check(publication(platypus_article(tmp_path / "b", "reading_target: 12\n")),
                  problems)
    assert list(problems) == []


def test_check_command_prints_the_warning(tmp_path: Path, capsys) -> None:
    path = platypus_article(tmp_path)
    assert main(["check"], project_root=tmp_path) == 0  # a warning, not an error
    captured = capsys.readouterr()
    (line,) = captured.err.splitlines()
    assert Path(line.split(":")[0]).resolve() == path.resolve()
    assert line.endswith("platypus.md:1: warning: reading grade 11.3 is above the target 8")
    assert captured.out.splitlines()[-1] == "checked: 0 error(s), 1 warning(s)"


def test_readability_command(tmp_path: Path, root: Path) -> None:
    """The real command line: every article in each locale asked for, by slug."""
    platypus_article(tmp_path)
    arabic = tmp_path / "source" / "ar" / "platypus.md"
    arabic.parent.mkdir()
    arabic.write_text("---\ntitle: خلد الماء\n---\n\n# الحيوانات\n\nخلد الماء حيوان غريب."
                      " يعيش في أستراليا.\n", encoding="utf-8")
    (tmp_path / "publish.py").write_text((root / "publish.py").read_text("utf-8"), "utf-8")

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "publish.py", "readability", *args],
                              cwd=tmp_path, capture_output=True, text=True, check=False)

    result = run()
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        "source/ar/platypus.md: 7 words, 2 sentences, 3.5 words per sentence",
        "  no readability formula is validated for Arabic: sentence length only",
        "  hardest sentences (words):",
        "    source/ar/platypus.md:7: 4: خلد الماء حيوان غريب.",
        "    source/ar/platypus.md:7: 3: يعيش في أستراليا.",
        "",
        "source/en/platypus.md: 13 words, 1 sentences, 13.0 words per sentence",
        "  grade 11.3 (Flesch-Kincaid grade level), target 8: above",
        "  Flesch reading ease: 37.5",
        "  hardest sentences (grade):",
        f"    source/en/platypus.md:7: 11.3: {PLATYPUS}",
    ]
    assert run("platypus", "--locale", "en").stdout.splitlines()[0].startswith(
        "source/en/platypus.md: 13 words")
    unknown = run("--locale", "xx-nope")
    assert unknown.returncode == 2 and "publish.py: error:" in unknown.stderr
    missing = run("nothing")
    assert missing.returncode == 2
    assert "publish.py: error: no article 'nothing' in source" in missing.stderr


def test_table_cells_are_fragments_not_sentences(tmp_path: Path) -> None:
    """A cell ("Being overweight") is no sentence, as a list item is none: counted as a
    fragment, and left out of the grade; a cell with a whole sentence still counts."""
    path = tmp_path / "a.md"
    path.write_text(f"""---
title: Risks
---

# Risks

{PLATYPUS}

| Risk | How common |
|------|------------|
| Being overweight | Common |
| Smoking | Very common |
| You may feel dizzy after the first dose. | Rare |
""", encoding="utf-8")
    problems = Problems()
    article = load_article(SourceFile(path, "en", "a"), (tmp_path,), problems)
    result = reading.measure_article(article)
    assert (result.sentences, result.fragments) == (2, 7)
    assert sorted(h.sentence for h in result.hardest) == sorted([
        PLATYPUS, "You may feel dizzy after the first dose."])
    assert grade_report("a.md", result)[0].endswith(
        " words per sentence (7 list and table fragments not measured)")
