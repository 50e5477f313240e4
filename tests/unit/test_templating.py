"""Template helpers and template mistakes reported as located errors."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from helpers import messages

from pressroom.core.errors import Problems
from pressroom.core.files import FileStore
from pressroom.render.templating import css_counters, css_string, make_environment, render_template


def environment(folder: Path, language: str = "en"):
    """An environment over the layouts in `folder`, as a job's bundle carries them."""
    return make_environment(FileStore().tree(folder, "layouts"), language)


def test_css_counters_keeps_translated_word_order() -> None:
    assert css_counters("Page {page} of {pages}") == (
        '"Page " counter(page) " of " counter(pages)'
    )
    assert css_counters("{page}/{pages}") == 'counter(page) "/" counter(pages)'


def test_css_string_cannot_break_out_of_a_style_element() -> None:
    assert css_string('a "b" </style>\\') == '"a \\"b\\" \\3C /style>\\\\"'


def test_dates_are_formatted_for_the_locale(tmp_path: Path) -> None:
    (tmp_path / "d.j2").write_text("{{ day | date }}", encoding="utf-8")
    day = dt.date(2026, 11, 20)
    for language, expected in [("en", "November 20, 2026"), ("de", "20. November 2026"),
                               ("es", "20 de noviembre de 2026")]:
        env = environment(tmp_path, language)
        # Dates never break across lines: their spaces are no-break spaces.
        assert env.get_template("d.j2").render(day=day) == expected.replace(" ", "\u00a0")


def test_template_syntax_error_is_located(tmp_path: Path) -> None:
    (tmp_path / "bad.j2").write_text("line one\n{% if %}\n", encoding="utf-8")
    problems = Problems()
    assert render_template(environment(tmp_path), "bad.j2", {},
                           Path("a.md"), problems) is None
    (message,) = messages(problems)
    assert message.startswith("bad.j2:2: error: template syntax error:")
    assert problems.items[0].location.path == Path("layouts/bad.j2")


def test_undefined_variable_is_located(tmp_path: Path) -> None:
    (tmp_path / "undef.j2").write_text("ok\n\n{{ nothing.here }}\n", encoding="utf-8")
    problems = Problems()
    render_template(environment(tmp_path), "undef.j2", {}, Path("a.md"), problems)
    assert messages(problems) == ["undef.j2:3: error: template error: 'nothing' is undefined"]


def test_missing_layout(tmp_path: Path) -> None:
    problems = Problems()
    render_template(environment(tmp_path), "nope.j2", {}, Path("a.md"), problems)
    assert messages(problems) == ["a.md: error: layout 'nope.j2' not found in layouts/"]
