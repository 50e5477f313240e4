"""A synthetic library for batch benchmarks: N articles in several locales.

    .venv/bin/python bench/corpus.py DIR --articles 100 --locales en es fr de ar

writes DIR/<locale>/<slug>.md (use it as `publish.py build --source DIR`). Each article
is about the size of the sample one — an introduction, 3 to 5 sections with subsections,
paragraphs of generated words, bullet and numbered lists (one nested), a table now and
then, 3 to 6 notes and a checklist — and the same in every locale: the first locale is
the source, the others are translations with the same structure (sections, notes in the
same places, as many checklist items) and their own words, so they pass the translation
check. Deterministic: the same arguments write the same files.
"""

from __future__ import annotations

import argparse
import random
from pathlib import Path

#: Words to make sentences of, per language; the first is the title's opening.
WORDS = {
    "en": ("Guide to", "muscle", "pain", "rest", "doctor", "treatment", "symptom", "body",
           "exercise", "sleep", "water", "diet", "stress", "relief", "pressure", "joint",
           "often", "usually", "may", "helps", "causes", "reduces", "daily", "gentle",
           "stretching", "swelling", "recovery", "nerve", "blood", "heat", "cold", "week",
           "patients", "common", "severe", "mild", "check", "advice", "movement", "care"),
    "es": ("Guía de", "músculo", "dolor", "descanso", "médico", "tratamiento", "síntoma",
           "cuerpo", "ejercicio", "sueño", "agua", "dieta", "estrés", "alivio", "presión",
           "articulación", "a menudo", "suele", "puede", "ayuda", "causa", "reduce",
           "diario", "suave", "estiramiento", "hinchazón", "recuperación", "nervio",
           "sangre", "calor", "frío", "semana", "pacientes", "común", "grave", "leve"),
    "fr": ("Guide de", "muscle", "douleur", "repos", "médecin", "traitement", "symptôme",
           "corps", "exercice", "sommeil", "eau", "alimentation", "stress", "soulagement",
           "pression", "articulation", "souvent", "généralement", "peut", "aide", "cause",
           "réduit", "quotidien", "doux", "étirement", "gonflement", "récupération",
           "nerf", "sang", "chaleur", "froid", "semaine", "patients", "fréquent", "sévère"),
    "de": ("Ratgeber", "Muskel", "Schmerz", "Ruhe", "Ärztin", "Behandlung", "Symptom",
           "Körper", "Bewegung", "Schlaf", "Wasser", "Ernährung", "Stress", "Linderung",
           "Druck", "Gelenk", "oft", "meistens", "kann", "hilft", "verursacht", "lindert",
           "täglich", "sanft", "Dehnung", "Schwellung", "Erholung", "Nerv", "Blut",
           "Wärme", "Kälte", "Woche", "Patienten", "häufig", "schwer", "leicht"),
    "ar": ("دليل", "العضلة", "الألم", "الراحة", "الطبيب", "العلاج", "العرض", "الجسم",
           "التمرين", "النوم", "الماء", "الغذاء", "التوتر", "التخفيف", "الضغط", "المفصل",
           "غالبا", "عادة", "قد", "يساعد", "يسبب", "يقلل", "يوميا", "لطيف", "التمدد",
           "التورم", "التعافي", "العصب", "الدم", "الحرارة", "البرودة", "الأسبوع",
           "المرضى", "شائع", "شديد", "خفيف"),
}


def sentence(rng: random.Random, words: tuple[str, ...], low: int = 8, high: int = 16) -> str:
    chosen = [rng.choice(words[1:]) for _ in range(rng.randint(low, high))]
    text = " ".join(chosen)
    return text[0].upper() + text[1:] + "."


def paragraph(rng: random.Random, words: tuple[str, ...]) -> str:
    return " ".join(sentence(rng, words) for _ in range(rng.randint(3, 6)))


def article(slug: str, index: int, locale: str, source: str, topics: bool = False) -> str:
    """One article; its structure depends on the slug only, its words on the locale."""
    shape = random.Random(slug)  # the same in every locale
    rng = random.Random(f"{slug}/{locale}")
    words = WORDS[locale]
    notes = [f"n{i}" for i in range(1, shape.randint(3, 6) + 1)]
    sections = shape.randint(3, 5)
    cited = {n: shape.randrange(sections) for n in notes}  # the section citing each note
    symptoms, remedies = shape.randint(3, 6), shape.randint(4, 9)
    opening = shape.randrange(1, len(words))  # titles spread over the alphabet
    subject = " ".join([words[min(opening, len(words) - 1)],
                        *(rng.choice(words[1:]) for _ in range(2))])
    lines = [
        "---",
        f"title: {subject[:1].upper()}{subject[1:]} {index}",
        f"subtitle: {sentence(rng, words, 5, 8)}",
        f"summary: {sentence(rng, words, 12, 20)}",
        "authors: [Pressroom Bench]",
        "published: 2024-01-15",
        "reviewed: 2026-01-15",
        "review_due: 2028-01-15",
        f"code: SYN-{index:04d}",
        "version: 1",
        f"keywords: [{', '.join(f'{rng.choice(words[1:])} {i}' for i in range(3))}]",
    ]
    chosen = sorted(shape.sample(TOPIC_IDS, shape.randint(1, 3)))
    if topics:
        lines.append(f"topics: [{', '.join(chosen)}]")
    if locale != source:
        lines.append(f"source_locale: {source}")
    lines += ["checklist:", "  symptoms:"]
    lines += [f"    - {sentence(rng, words, 2, 5)}" for _ in range(symptoms)]
    lines += ["  remedies:"]
    lines += [f"    - {sentence(rng, words, 2, 5)}" for _ in range(remedies)]
    lines += ["---", "", paragraph(rng, words), ""]
    for number in range(sections):
        lines += [f"# {sentence(rng, words, 2, 4).rstrip('.')}", "", paragraph(rng, words)]
        for note in (n for n in notes if cited[n] == number):
            lines[-1] += f"[^{note}]"
        lines.append("")
        for _ in range(shape.randint(1, 2)):
            lines += [f"## {sentence(rng, words, 2, 4).rstrip('.')}", "",
                      paragraph(rng, words), ""]
            kind = shape.choice(("bullets", "numbers", "nested", "table", "none"))
            if kind == "bullets":
                lines += [f"- {sentence(rng, words, 3, 8)}" for _ in range(4)] + [""]
            elif kind == "numbers":
                lines += [f"{i}. {sentence(rng, words, 3, 8)}" for i in range(1, 5)] + [""]
            elif kind == "nested":
                lines += [f"- {sentence(rng, words, 3, 6)}", f"  - {sentence(rng, words, 3, 6)}",
                          f"  - {sentence(rng, words, 3, 6)}", f"- {sentence(rng, words, 3, 6)}",
                          ""]
            elif kind == "table":
                cells = [[rng.choice(words[1:]) for _ in range(3)] for _ in range(4)]
                lines += [f"| {' | '.join(row)} |" for row in cells[:1]]
                lines += ["|---|---|---|"]
                lines += [f"| {' | '.join(row)} |" for row in cells[1:]] + [""]
            lines += [paragraph(rng, words), ""]
    for note in notes:
        lines += [f"[^{note}]: {sentence(rng, words, 4, 9)} *Bench Journal* {2000 + index % 25}."
                  " <https://example.org/bench>", ""]
    return "\n".join(lines)


#: The corpus's topics (`topics.yaml`): each article has one to three of them.
TOPIC_IDS = [f"topic-{n}" for n in range(1, 13)]


def topics_yaml(locales: list[str]) -> str:
    """topics.yaml for the corpus: each topic named in every locale by one of its words."""
    lines = []
    for n, topic in enumerate(TOPIC_IDS, 1):
        lines.append(f"{topic}:")
        for locale in locales:
            word = WORDS[locale][n % (len(WORDS[locale]) - 1) + 1]
            lines.append(f"  {locale}: {word[:1].upper()}{word[1:]}")
    return "\n".join(lines) + "\n"


def write(folder: Path, articles: int, locales: list[str], topics: bool = False) -> int:
    """Write the corpus; returns how many files. `topics`: each article names one to
    three topics, and topics.yaml is written beside `folder` (the project's root)."""
    if topics:
        (folder.parent / "topics.yaml").write_text(topics_yaml(locales), encoding="utf-8")
    count = 0
    for index in range(1, articles + 1):
        slug = f"topic-{index:04d}"
        for locale in locales:
            path = folder / locale / f"{slug}.md"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(article(slug, index, locale, locales[0], topics), encoding="utf-8")
            count += 1
    return count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folder", type=Path, help="where to write <locale>/<slug>.md")
    parser.add_argument("--articles", type=int, default=100)
    parser.add_argument("--locales", nargs="+", default=["en", "es", "fr", "de", "ar"],
                        choices=sorted(WORDS))
    args = parser.parse_args()
    count = write(args.folder, args.articles, args.locales)
    print(f"wrote {count} article(s) to {args.folder}")


if __name__ == "__main__":
    main()
