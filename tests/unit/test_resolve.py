"""The resolve stage's own checks: what depends on the build's date, and on the locale."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from conftest import load
from helpers import messages

from pressroom.build.check import check
from pressroom.content.resolve import resolve
from pressroom.core.project import Project
from pressroom.core.settings import Settings
from pressroom.session.caches import Session

ARTICLE = "---\ntitle: T\nreviewed: 2021-06-01\nreview_due: 2022-06-01\n---\n\n# S\n\nText.\n"


def epoch(day: str) -> Settings:
    moment = dt.datetime.fromisoformat(day).replace(tzinfo=dt.UTC)
    return Settings(source_date_epoch=int(moment.timestamp()))


def test_a_review_past_its_date_is_a_warning(tmp_path: Path) -> None:
    path = tmp_path / "a.md"
    path.write_text(ARTICLE, encoding="utf-8")
    article, problems = load(path)
    resolve(article, problems, settings=epoch("2022-06-02"))
    assert messages(problems) == ["a.md:4: warning: review overdue since 2022-06-01"]


def test_a_review_due_today_is_not_overdue(tmp_path: Path) -> None:
    path = tmp_path / "a.md"
    path.write_text(ARTICLE, encoding="utf-8")
    article, problems = load(path)
    resolve(article, problems, settings=epoch("2022-06-01"))
    assert not list(problems)


def test_today_is_the_reproducible_date_when_one_is_set() -> None:
    assert Settings.from_environ({"SOURCE_DATE_EPOCH": "1654041600"}).today == dt.date(
        2022, 6, 1)
    assert Settings.from_environ({}).today == dt.date.today()


def test_a_translated_references_heading_is_recognised(make_project) -> None:
    """The locale's own word for the generated list, from its UI catalog."""
    project = Project.at(make_project({
        # Originals, not translations: only the heading is compared with the catalog.
        "es/a.md": "---\ntitle: Uno\nsource_locale: es\n---\n\n# S\n\nCitado.[^a]\n\n"
                   "# Referencias\n\n[^a]: Una fuente.\n",
        "de/a.md": "---\ntitle: Eins\nsource_locale: de\n---\n\n# S\n\nZitiert.[^a]\n\n"
                   "## Quellen\n\n- Eine Liste von Hand.\n\n[^a]: Eine Quelle.\n",
    }))
    problems, _ = check(Session(project))
    assert messages(problems) == [
        "a.md:10: warning: the 'Quellen' list is generated from the notes: delete this"
        " heading, write each reference as a note ([^key]: …) and cite it in the text"
        " ([^key])",
        "a.md:10: error: the 'Referencias' list is generated from the notes: delete this"
        " heading, write each reference as a note ([^key]: …) and cite it in the text"
        " ([^key])",
    ]
