"""The translation check: every difference from the source, located in the translation."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from helpers import check, messages

from pressroom.cli.main import main
from pressroom.core.project import Project

SOURCE = """---
title: Cramps
subtitle: What helps
summary: About cramps.
keywords: [cramps, muscles]
checklist:
  symptoms: [Pain, Stiffness]
  remedies: [Rest]
---

# One

Text.[^a]

## One A

More.

# Two

Other.[^b]

[^a]: Note A.

[^b]: Note B.
"""

GOOD = """---
title: Calambres
subtitle: Lo que ayuda
summary: Sobre los calambres.
keywords: [calambres, músculos]
checklist:
  symptoms: [Dolor, Rigidez]
  remedies: [Reposo]
---

# Uno

Texto.[^a]

## Uno A

Más.

# Dos

Otro.[^b]

[^a]: Nota A.

[^b]: Nota B.
"""


def project_with(make_project, translation: str) -> Project:
    """SOURCE and `translation`, marked current (as GOOD is) with the translation tools."""
    root = make_project({"en/cramps.md": SOURCE, "es/cramps.md": GOOD})
    assert main(["translations", "mark-current", "--locale", "es"], project_root=root) == 0
    es = root / "source/es/cramps.md"
    record = next(line for line in es.read_text("utf-8").splitlines()
                  if line.startswith("translated_from:"))
    es.write_text(translation.replace("\n---\n", f"\n{record}\n---\n", 1), "utf-8")
    return Project.at(root)


def test_a_faithful_translation_passes(make_project) -> None:
    report, summaries = check(project_with(make_project, GOOD))
    assert not report.problems.errors, messages(report.problems)
    assert [s.line() for s in summaries] == [
        "es: complete — 1 of 1 translation(s) match their source"
    ]


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (("# Dos\n\nOtro.[^b]\n", ""),
         ["cramps.md: error: note [^b] of the source is never cited in this translation",
          "cramps.md: error: the translation has 1 '#' section(s); the source"
          " (source/en/cramps.md) has 2",
          "cramps.md:23: error: note [^b] is defined but never cited"]),
        (("## Uno A\n\nMás.\n", ""),
         ["cramps.md:12: error: section 1 'Uno' has 0 '##' subsection(s); the source section"
          " (source/en/cramps.md:11) has 1"]),
        (("Texto.[^a]", "Texto."), None),
        (("symptoms: [Dolor, Rigidez]", "symptoms: [Dolor]"),
         ["cramps.md:6: error: 'checklist.symptoms' has 1 item(s); the source has 2"]),
        (("title: Calambres", "title: Cramps"),
         ["cramps.md:2: error: 'title' is not translated (it is the same as the source)"]),
        (("subtitle: Lo que ayuda\n", ""),
         ["cramps.md:1: error: 'subtitle' is missing; the source has one"
          " (source/en/cramps.md:3)"]),
    ],
)
def test_each_difference_is_reported(make_project, change, expected) -> None:
    old, new = change
    assert old in GOOD
    report, summaries = check(project_with(make_project, GOOD.replace(old, new)))
    # The source is named by its path relative to the working directory: keep its tail.
    found = [re.sub(r"[^\s(]*source/en/cramps\.md", "source/en/cramps.md", m)
             for m in messages(report.problems)]
    if expected is None:  # a moved or dropped call: reported at the section, and as unused
        assert any("section 'Uno' cites no note; the source section" in m for m in found)
        assert any("note [^a] is defined but never cited" in m for m in found)
    else:
        assert [m.split(": error: ")[0].split(":")[0] for m in found] == ["cramps.md"] * len(
            expected)
        assert found == expected
    assert summaries[0].line().startswith("es: incomplete — 0 of 1")


def test_build_runs_the_check_and_skips_the_broken_translation(make_project, capsys) -> None:
    project = project_with(make_project, GOOD.replace("title: Calambres", "title: Cramps"))
    assert main(["build", "--format", "epub"], project_root=project.root) == 1
    assert (project.out_dir / "en" / "cramps.epub").is_file()
    assert not (project.out_dir / "es").exists()
    assert "'title' is not translated" in capsys.readouterr().err


def test_check_command_prints_a_summary_per_locale(make_project, capsys) -> None:
    project = project_with(make_project, GOOD)
    capsys.readouterr()
    assert main(["check"], project_root=project.root) == 0
    out = capsys.readouterr().out.splitlines()
    assert out == ["es: complete — 1 of 1 translation(s) match their source",
                   "checked: 0 error(s), 0 warning(s)"]
    assert not project.out_dir.exists()  # check never renders


def test_the_shipped_translations_are_complete(root: Path) -> None:
    report, summaries = check(Project.at(root))
    # The reading grade is the text's, not the translation's (see test_reading.py).
    found = [m for m in messages(report.problems) if ": warning: reading grade " not in m]
    assert found == []
    assert [s.line().split(" — ")[0] for s in summaries] == [
        "ar: complete", "de: complete", "es: complete", "fr: complete"
    ]


def test_source_locale_names_another_source(make_project) -> None:
    project = Project.at(make_project({
        # An original written in Spanish says so; the Portuguese translation names it.
        "es/cramps.md": GOOD.replace("title: Calambres", "title: Calambres\nsource_locale: es"),
        "pt/cramps.md": GOOD.replace("title: Calambres", "title: Cãibras\nsource_locale: es"),
    }))
    report, summaries = check(project)
    errors = [m for m in messages(report.problems) if ": error: " in m]
    # Only the title was changed in this test's Portuguese: the rest is reported.
    assert errors == [
        "cramps.md:4: error: 'subtitle' is not translated (it is the same as the source)",
        "cramps.md:5: error: 'summary' is not translated (it is the same as the source)",
        "cramps.md:6: error: 'keywords' is not translated (it is the same as the source)",
    ]
    assert [s.line().split(" — ")[0] for s in summaries] == ["pt: incomplete"]


def test_translation_without_its_source(make_project) -> None:
    project = Project.at(make_project({"es/cramps.md": GOOD}))
    report, _ = check(project)
    assert [m for m in messages(report.problems) if ": error: " in m] == [
        "cramps.md: error: no source article 'cramps' in locale 'en' to compare this"
        " translation with"
    ]


INLINE_SOURCE = SOURCE.replace("More.", "More.^[An inline note.]").replace(
    "---\n\n# One", "---\n\nIntro.^[Another.]\n\n# One")


@pytest.mark.parametrize(
    ("translation", "expected"),
    [
        # As many inline notes in each part as the source: complete, whatever their text.
        (GOOD.replace("Más.", "Más.^[Una nota.]").replace(
            "---\n\n# Uno", "---\n\nIntro.^[Otra.]\n\n# Uno"), []),
        # Dropped from the subsection, and moved from the introduction into it.
        (GOOD.replace("Más.", "Más.^[Una nota.]^[Otra.]"),
         ["cramps.md: error: the introduction has 0 inline note(s) ^[…]; the source's"
          " (source/en/cramps.md) has 1",
          "cramps.md:15: error: subsection 'Uno A' has 2 inline note(s) ^[…]; the source"
          " section (source/en/cramps.md:17) has 1"]),
        # Made into a keyed note: cited in a section where the source cites none.
        (GOOD.replace("Más.", "Más.[^c]").replace(
            "---\n\n# Uno", "---\n\nIntro.^[Otra.]\n\n# Uno") + "\n[^c]: Una nota.\n",
         ["cramps.md:17: error: subsection 'Uno A' cites [^c]; the source section"
          " (source/en/cramps.md:17) cites no note",
          "cramps.md:17: error: subsection 'Uno A' has 0 inline note(s) ^[…]; the source"
          " section (source/en/cramps.md:17) has 1"]),
    ],
)
def test_inline_notes_are_counted_per_section(make_project, translation, expected) -> None:
    project = Project.at(make_project({"en/cramps.md": INLINE_SOURCE,
                                       "es/cramps.md": translation}))
    report, _ = check(project)
    found = [re.sub(r"[^\s(]*source/en/cramps\.md", "source/en/cramps.md", m)
             for m in messages(report.problems) if ": error: " in m]
    assert found == expected
