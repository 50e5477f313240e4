"""Topics: how a library is browsed by body system or condition (MedlinePlus's "Health
Topics"), named once per project in `topics.yaml` and chosen per article by id.

    muscles:
      en: Muscles, bones and joints
      es: Músculos, huesos y articulaciones
    sleep:
      en: Sleep

An article names its topics by id (`topics: [muscles, sleep]` in its front matter); an
id that `topics.yaml` does not define is an error at the article's `topics` line, with
a suggestion, as for every other key. A topic used in a locale it has no name for is a
warning at the topic's line in `topics.yaml`: its pages show the id until it is named.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from pressroom.content import model as m
from pressroom.content.frontmatter import TOPIC_ID
from pressroom.core.errors import Problems
from pressroom.core.locales import check_locale
from pressroom.core.yamlfile import YamlText, suggest

FILE = "topics.yaml"


@dataclass(frozen=True, slots=True)
class Topic:
    id: str
    #: Locale → the topic's name in that language.
    names: Mapping[str, str]
    #: 1-based line of the id in topics.yaml.
    line: int = 0

    def name(self, locale: str) -> str:
        return self.names.get(locale, self.id)


@dataclass(frozen=True, slots=True)
class Topics:
    path: Path | None = None
    by_id: Mapping[str, Topic] = field(default_factory=dict)

    def named(self, ids: Iterable[str], locale: str) -> list[tuple[str, str]]:
        """(id, name in `locale`) of each known id, in the order given."""
        return [(i, self.by_id[i].name(locale)) for i in ids if i in self.by_id]


def load_topics(root: Path, problems: Problems) -> Topics:
    """`topics.yaml` of the project at `root`; empty (no error) when there is none."""
    path = root / FILE
    if not path.is_file():
        return Topics()
    try:
        source = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        problems.error(path, None, f"cannot read: {exc}")
        return Topics(path)
    text = YamlText(source, path, problems)
    document = text.root(FILE)
    if document is None or (isinstance(document, yaml.ScalarNode) and not document.value):
        return Topics(path)
    if not isinstance(document, yaml.MappingNode):
        problems.error(path, 1, "topics.yaml must list topic ids, each with its name per"
                       " locale ('muscles:' then '  en: Muscles, bones and joints')")
        return Topics(path)
    topics: dict[str, Topic] = {}
    for entry in text.entries(document):
        if not TOPIC_ID.fullmatch(entry.key):
            problems.error(path, entry.line, f"'{entry.key}' is not a topic id: use"
                           " lower-case letters, digits and hyphens (it names a page)")
            continue
        if not isinstance(entry.node, yaml.MappingNode):
            problems.error(path, entry.line, f"topic '{entry.key}' must give its name per"
                           " locale ('  en: …' on the lines below it)")
            continue
        names: dict[str, str] = {}
        for name in text.entries(entry.node, f" in '{entry.key}'"):
            reason = check_locale(name.key)
            value = name.node.value if isinstance(name.node, yaml.ScalarNode) else None
            if reason:
                problems.error(path, name.line, f"'{name.key}' is not a locale: {reason}")
            elif not isinstance(value, str) or not value.strip():
                problems.error(path, name.line, f"the name of topic '{entry.key}' in"
                               f" '{name.key}' must be text")
            else:
                names[name.key] = value.strip()
        topics[entry.key] = Topic(entry.key, names, entry.line)
    return Topics(path, topics)


def check_topics(articles: Iterable[m.Article], topics: Topics, problems: Problems
                 ) -> set[Path]:
    """Report unknown ids (errors, at the article) and topics without a name in a
    locale that uses them (warnings, at topics.yaml); the articles in error."""
    wrong: set[Path] = set()
    unnamed: dict[str, set[str]] = {}
    known = sorted(topics.by_id)
    for article in articles:
        for topic_id in article.meta.topics:
            topic = topics.by_id.get(topic_id)
            if topic is None:
                where = "topics.yaml" if topics.path else "topics.yaml (there is none yet)"
                problems.error(article.path, article.meta.lines.get("topics"),
                               f"unknown topic '{topic_id}'{suggest(topic_id, known)}: the"
                               f" topics are defined in {where}")
                wrong.add(article.path)
            elif article.locale not in topic.names:
                unnamed.setdefault(topic_id, set()).add(article.locale)
    for topic_id, locales in sorted(unnamed.items()):
        topic = topics.by_id[topic_id]
        for locale in sorted(locales):
            problems.warning(topics.path or Path(FILE), topic.line,
                             f"topic '{topic_id}' has no name in '{locale}' (its pages show"
                             f" '{topic_id}'): add '  {locale}: …' below it")
    return wrong
