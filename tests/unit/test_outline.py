"""Sections from headings: hierarchy, stable unique anchors, no empty sections."""

from __future__ import annotations

from pathlib import Path

from helpers import messages

from pressroom.content import model as m
from pressroom.content.images import AssetPolicy
from pressroom.content.markup import parse_body
from pressroom.content.outline import build_outline, slugify
from pressroom.core.errors import Problems


def outline(text: str):
    problems = Problems()
    body = parse_body(text, Path("a.md"), problems, AssetPolicy(Path("/x"), ()))
    lead, sections = build_outline(body.blocks, Path("a.md"), problems)
    return lead, sections, problems


def test_sections_and_subsections() -> None:
    lead, sections, problems = outline("intro\n\n# One\n\na\n\n## Sub\n\nb\n\n# Two\n\nc\n")
    assert not list(problems)
    assert len(lead) == 1
    one, two = sections
    assert (one.level, one.anchor, one.line) == (1, "one", 3)
    assert one.subsections[0].anchor == "sub" and one.subsections[0].level == 2
    assert two.blocks == (m.Paragraph((m.Text("c"),), 13),)


def test_anchors_are_unique_and_avoid_reserved_names() -> None:
    _, sections, _ = outline("# Same\n\na\n\n# Same\n\nb\n\n# References\n\nc\n\n# Note 1\n\nd\n")
    assert [s.anchor for s in sections] == ["same", "same-2", "references-2", "s-note-1"]


def test_slugify_keeps_unicode_letters_and_starts_with_a_letter() -> None:
    assert slugify("Qu'est-ce qu'un spasme ?") == "qu-est-ce-qu-un-spasme"
    assert slugify("ما هي التشنجات العضلية؟") == "ما-هي-التشنجات-العضلية"
    assert slugify("10 tips") == "s-10-tips"
    assert slugify("Conocer los síntomas") == "conocer-los-sintomas"
    assert slugify("Über Krämpfe") == "uber-krampfe"
    assert slugify("?!") == "section"


def test_section_with_only_subsections_is_not_empty() -> None:
    _, _, problems = outline("# Parent\n\n## Child\n\ntext\n")
    assert not list(problems)


def test_empty_subsection_is_an_error() -> None:
    _, _, problems = outline("# Parent\n\n## Child\n\n## Other\n\ntext\n")
    assert messages(problems) == ["a.md:3: error: subsection 'Child' is empty"]


def test_subsection_before_first_section() -> None:
    _, _, problems = outline("## Orphan\n\ntext\n")
    assert messages(problems) == ["a.md:1: error: '##' subsection before the first '#' section"]


def test_minor_headings_under_subsections() -> None:
    _, sections, problems = outline("# A\n\n## B\n\n### C\n\ntext\n\n#### D\n\nmore\n")
    assert not list(problems)
    minor = sections[0].subsections[0].blocks
    assert [(h.level, h.anchor) for h in minor if isinstance(h, m.Heading)] == [(3, "c"), (4, "d")]
