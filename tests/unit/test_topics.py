"""Topics: topics.yaml read with its lines, an article's `topics` checked against it (an
unknown id is an error with a suggestion, a missing name a warning at its line), and
the A-Z's letters and order from each locale's CLDR collation (ICU)."""

from __future__ import annotations

from pathlib import Path

from helpers import run_cli as run

from pressroom.content.topics import load_topics
from pressroom.core.errors import Problems
from pressroom.render.web import collation

TOPICS = """\
muscles:
  en: Muscles, bones and joints
  es: Músculos, huesos y articulaciones
sleep:
  en: Sleep
pain:
  es: Dolor
"""


def article(topics: str, title: str = "Cramps") -> str:
    return (f"---\ntitle: {title}\ntopics: {topics}\n---\n\n# About\n\nText.\n")


def test_topics_yaml_is_read_with_names_per_locale(tmp_path: Path) -> None:
    (tmp_path / "topics.yaml").write_text(TOPICS, "utf-8")
    problems = Problems()
    topics = load_topics(tmp_path, problems)
    assert list(problems) == []
    assert topics.by_id["muscles"].name("es") == "Músculos, huesos y articulaciones"
    assert topics.by_id["sleep"].line == 4
    assert topics.named(["sleep", "muscles"], "en") == [
        ("sleep", "Sleep"), ("muscles", "Muscles, bones and joints")]


def test_bad_topics_yaml_entries_are_one_line_each(tmp_path: Path) -> None:
    (tmp_path / "topics.yaml").write_text(
        "Muscles:\n  en: Muscles\nsleep: Sleep\npain:\n  english: Pain\n  es: [Dolor]\n", "utf-8")
    problems = Problems()
    load_topics(tmp_path, problems)
    assert [f"{p.location.line}: {p.message}" for p in problems] == [
        "1: 'Muscles' is not a topic id: use lower-case letters, digits and hyphens (it"
        " names a page)",
        "3: topic 'sleep' must give its name per locale ('  en: …' on the lines below it)",
        "5: 'english' is not a locale: " + problems.items[2].message.split(": ", 1)[1],
        "6: the name of topic 'pain' in 'es' must be text",
    ]


def test_an_unknown_topic_is_an_error_with_a_suggestion(make_project, capsys) -> None:
    project = make_project({"en/cramps.md": article("[muscle, sleep]")})
    (project / "topics.yaml").write_text(TOPICS, "utf-8")
    assert run(project, "check") == 1
    err = capsys.readouterr().err.splitlines()
    assert any(line.endswith(
        f"{Path('source/en/cramps.md')}:3: error: unknown topic 'muscle' (did you mean"
        " 'muscles'?): the topics are defined in topics.yaml") for line in err), err
    assert run(project, "--format", "html") == 1
    assert not (project / "out/en/cramps.html").exists()


def test_a_topic_without_a_name_in_a_locale_is_a_warning_at_its_line(make_project,
                                                                     capsys) -> None:
    project = make_project({"en/cramps.md": article("[pain]")})
    (project / "topics.yaml").write_text(TOPICS, "utf-8")
    assert run(project, "check") == 0
    assert "topics.yaml:6: warning: topic 'pain' has no name in 'en' (its pages show" \
           " 'pain'): add '  en: …' below it" in capsys.readouterr().err


def test_a_topic_id_must_be_a_file_name(make_project, capsys) -> None:
    project = make_project({"en/cramps.md": article("[Sleep Well]")})
    assert run(project, "check") == 1
    assert "cramps.md:3: error: 'topics' item 'Sleep Well' is not a topic id: use" \
           " lower-case letters, digits and hyphens, as in topics.yaml" \
           in capsys.readouterr().err


def test_each_locale_files_titles_under_its_own_letters() -> None:
    # Spanish: "ñ" is a letter of its own, after "n"; German files "Ä" under "A".
    assert collation.letter("es", "Ñandú") == "Ñ" and collation.letter("es", "Nariz") == "N"
    assert collation.alphabet("es", latin=False).index("Ñ") == \
        collation.alphabet("es", latin=False).index("N") + 1
    assert collation.letter("de", "Übelkeit") == "U"
    assert "Ä" not in collation.alphabet("de")
    assert collation.letter("ar", "تشنجات العضلات") == "ت"
    assert collation.alphabet("ar", latin=False)[:3] == ["\u0627", "\u0628", "\u062a"]
    assert collation.letter("ar", "Zinc") == "Z"  # a Latin title in an Arabic library
    assert collation.letter("en", "3 things") == collation.OTHER


def test_each_locale_sorts_in_its_own_order() -> None:
    words = ["Ñandú", "Nube", "Oído", "nariz"]
    assert sorted(words, key=lambda w: collation.sort_key("es", w)) == [
        "nariz", "Nube", "Ñandú", "Oído"]
    german = ["Zähne", "Ärger", "Auge", "Ohr"]
    assert sorted(german, key=lambda w: collation.sort_key("de", w)) == [
        "Ärger", "Auge", "Ohr", "Zähne"]


def test_letters_become_file_names_any_host_serves() -> None:
    assert collation.letter_slug("M") == "m"
    assert collation.letter_slug("Ñ") == "u00d1"
    assert collation.letter_slug("ت") == "u062a"
    assert collation.letter_slug(collation.OTHER) == "other"
