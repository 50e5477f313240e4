"""`publish.py new`: a project, or an article, that builds cleanly at once (`hugo new`).

What is written lives in `cli/templates/` as files, package data like the layouts: a
project folder is copied as it is (`gitignore` becomes `.gitignore`, which packaging
tools would leave out), an article is rendered from `article.md.j2`. Nothing is ever
overwritten: if one file of a project is there already, none is written.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import jinja2

from pressroom.core.errors import Problems
from pressroom.core.locales import check_locale
from pressroom.core.writing import write_atomic

TEMPLATES = Path(__file__).resolve().parent / "templates"
PROJECT = TEMPLATES / "project"
ARTICLE = "article.md.j2"
#: Files whose name in the package differs from the one they get in a project.
RENAMED = {"gitignore": ".gitignore"}
#: An article's `review_due` suggestion: three years after today, a common review cycle.
REVIEW_YEARS = 3


@dataclass
class Written:
    paths: list[Path] = field(default_factory=list)
    problems: Problems = field(default_factory=Problems)


def new_project(folder: Path) -> Written:
    """The example project copied into `folder` (created; it may exist if empty)."""
    result = Written()
    files = {folder / _renamed(path.relative_to(PROJECT)): path
             for path in sorted(PROJECT.rglob("*"))
             if path.is_file() and "__pycache__" not in path.parts}
    existing = [target for target in files if target.exists()]
    for target in existing:
        result.problems.error(target, None, "already exists: nothing written (choose an"
                              " empty or new folder)")
    if not existing:
        for target, path in files.items():
            target.parent.mkdir(parents=True, exist_ok=True)
            write_atomic(target, path.read_bytes())
            result.paths.append(target)
    return result


def _renamed(relative: Path) -> Path:
    return relative.with_name(RENAMED.get(relative.name, relative.name))


def new_article(source_dir: Path, title: str, locale: str, slug: str | None = None,
                today: dt.date | None = None) -> Written:
    """`source/<locale>/<slug>.md`: the title set, every other front-matter key written
    as a comment, an empty checklist and a section to start from. In another locale than
    `en` the article is an original there (`source_locale`), not a translation."""
    result = Written()
    title = " ".join(title.split())
    slug = slug or slug_of(title)
    target = source_dir / locale / f"{slug}.md"
    if not title:
        result.problems.error(target, None, "the title is empty")
    elif reason := check_locale(locale):
        result.problems.error(target, None, f"locale '{locale}' is not usable: {reason}")
    elif not re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", slug):
        result.problems.error(target.parent, None, "no file name can be made from this title:"
                              " give one with --slug (lowercase letters, digits, hyphens)")
    elif target.exists():
        result.problems.error(target, None, "already exists: nothing written")
    else:
        today = today or dt.date.today()
        env = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES),
                                 keep_trailing_newline=True, trim_blocks=True,
                                 undefined=jinja2.StrictUndefined, autoescape=False)
        env.filters["yaml"] = lambda text: json.dumps(text, ensure_ascii=False)
        text = env.get_template(ARTICLE).render(
            title=title, today=today.isoformat(),
            due=today.replace(year=today.year + REVIEW_YEARS, day=min(today.day, 28)).isoformat(),
            heading=title, locale=locale)
        target.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(target, text.encode("utf-8"))
        result.paths.append(target)
    return result


def slug_of(title: str) -> str:
    """`Night-time leg cramps` → `night-time-leg-cramps`: ASCII, accents dropped."""
    folded = unicodedata.normalize("NFKD", title.casefold())
    ascii_only = folded.encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_only).strip("-")
