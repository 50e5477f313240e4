"""The keys an edition and a brand take: the README's table is the schema's, and the
schema agrees with the loader, the renderers and the paper sizes."""

from __future__ import annotations

from pathlib import Path

from pressroom.editions import config, schema
from pressroom.render.protocol import RENDERERS

ROOT = Path(__file__).resolve().parents[2]


def test_the_readme_table_is_the_schema() -> None:
    readme = (ROOT / "README.md").read_text("utf-8")
    assert schema.BEGIN in readme and schema.END in readme
    table = readme.split(schema.BEGIN, 1)[1].split(schema.END, 1)[0].strip()
    assert table == schema.key_table(), (
        "README.md's table of edition keys differs from pressroom/editions/schema.py: paste"
        " the output of `python -c 'from pressroom.editions.schema import key_table;"
        " print(key_table())'` between its markers")


def test_every_key_of_the_table_is_one_the_loader_reads() -> None:
    edition = set(config.Edition.__dataclass_fields__) - {"name", "bleed_mm"} | {"bleed"}
    assert set(schema.EDITION_KEYS) == edition
    assert set(schema.BRAND_KEYS) == set(config.Brand.__dataclass_fields__) - {"key"}
    assert [key.name for key in schema.BRAND if key.required] == ["name"]


def test_formats_and_papers_are_the_renderers_and_the_sizes() -> None:
    assert set(schema.FORMAT_NAMES) == set(RENDERERS)
    assert tuple(config.PAPERS) == schema.PAPER_NAMES


def test_a_synonym_is_suggested_as_the_key_it_means() -> None:
    assert config.suggest_key("colour", schema.BRAND_KEYS) == " (did you mean 'accent'?)"
    assert config.suggest_key("phnoe", schema.BRAND_KEYS) == " (did you mean 'phone'?)"
    assert config.suggest_key("size", schema.BRAND_KEYS) == ""  # `paper` is no brand key
    assert config.paper_name("Letter") == config.paper_name("LETTER") == "letter"
    assert config.paper_name("a5") == "A5" and config.paper_name("legal") is None
