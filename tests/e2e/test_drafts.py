"""Draft builds: unfinished and outdated translations, readable in context, marked on every
page and in the ebook's metadata, and never mixed with what is distributed."""

from __future__ import annotations

import re
import subprocess
import zipfile
from pathlib import Path

import pytest
from conftest import epubcheck
from helpers import run_cli as run
from lxml import etree

EN = "source/en/muscle-spasms.md"
NS = {"opf": "http://www.idpf.org/2007/opf", "dc": "http://purl.org/dc/elements/1.1/",
      "x": "http://www.w3.org/1999/xhtml"}



def page_texts(pdf: Path) -> list[str]:
    """Each page's text, by poppler (independent of WeasyPrint and pypdf)."""
    pages = int(next(line.split()[-1] for line in subprocess.run(
        ["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout.splitlines()
        if line.startswith("Pages:")))
    return [subprocess.run(["pdftotext", "-f", str(n), "-l", str(n), "-layout", str(pdf), "-"],
                           capture_output=True, text=True, check=True).stdout
            for n in range(1, pages + 1)]


@pytest.fixture(scope="module")
def drafted(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real project after an English edit: Spanish is outdated, Portuguese only begun
    in a PO file; then `build --draft` for both (and an ordinary build)."""
    from conftest import copy_project

    project = copy_project(tmp_path_factory.mktemp("drafts") / "project")
    en = project / EN
    en.write_text(en.read_text("utf-8").replace("may help soothe pain", "may help ease pain"),
                  "utf-8")
    assert run(project, "translations", "export", "--locale", "pt-BR") == 0
    po = project / "translations/pt-BR/muscle-spasms.po"
    po.write_text(po.read_text("utf-8").replace(
        'msgid "Muscle Spasms"\nmsgstr ""', 'msgid "Muscle Spasms"\nmsgstr "Espasmos musculares"'),
        "utf-8")
    assert run(project, "build", "--format", "epub", "--edition", "default") == 0
    assert run(project, "build", "--draft", "--locale", "es", "pt-BR", "--edition",
               "default") == 0
    assert run(project, "build", "--draft", "--locale", "en", "--format", "epub") == 0
    return project


def test_drafts_go_to_their_own_folder(drafted: Path) -> None:
    drafts = drafted / "drafts"
    written = sorted(p.relative_to(drafts).as_posix() for p in drafts.rglob("*.*")
                     if not p.name.startswith(".") and p.parent.name != "assets")
    assert [w for w in written if w.endswith((".pdf", ".epub"))] == [
        "en/muscle-spasms.epub",
        "es/muscle-spasms.epub", "es/muscle-spasms.pdf",
        "pt-BR/muscle-spasms.epub", "pt-BR/muscle-spasms.pdf"]
    # The web pages of drafts say so too, and ask search engines not to index them.
    spanish = (drafts / "es" / "muscle-spasms.html").read_text("utf-8")
    # Seen by readers; left out of the search index (data-pagefind-ignore).
    assert re.search(r'<p class="draft-mark" role="note"( data-pagefind-ignore)?>Borrador —'
                     r' no distribuir</p>', spanish), spanish
    assert '<meta name="robots" content="noindex">' in spanish
    assert not (drafted / "out/pt-BR").exists()
    assert "draft" not in " ".join(p.name for p in (drafted / "out").rglob("*"))


def test_every_page_of_a_draft_says_so(drafted: Path) -> None:
    spanish = page_texts(drafted / "drafts/es/muscle-spasms.pdf")
    assert all("Borrador — no distribuir" in page for page in spanish)
    text = " ".join(" ".join(spanish).split())
    # The changed sentence is in the source's words; the rest is the translation.
    assert "Applying alternate hot and cold packs to the affected area may help ease" in text
    assert "Aplicar de forma alterna" not in text
    assert "Los remedios naturales como Tic Tamer™" in text
    portuguese = page_texts(drafted / "drafts/pt-BR/muscle-spasms.pdf")
    # No Portuguese UI catalog yet: the layout's words are English.
    assert all("Draft — not for distribution" in page for page in portuguese)
    assert portuguese[0].count("Espasmos musculares") >= 1
    assert "been sitting in front of your computer" in " ".join(" ".join(portuguese).split())
    # An English article is not a draft.
    with zipfile.ZipFile(drafted / "drafts/en/muscle-spasms.epub") as archive:
        assert not any(b"draft-mark" in archive.read(n) or b"Draft" in archive.read(n)
                       for n in archive.namelist() if n.endswith((".xhtml", ".opf")))


def test_a_draft_ebook_says_so_in_its_metadata_and_documents(drafted: Path) -> None:
    book = drafted / "drafts/es/muscle-spasms.epub"
    with zipfile.ZipFile(book) as archive:
        opf = etree.fromstring(archive.read("EPUB/content.opf"))
        documents = [n for n in archive.namelist() if n.endswith(".xhtml")]
        marks = [etree.fromstring(archive.read(n)).xpath(
            "string(//x:p[@class='draft-mark'])", namespaces=NS) for n in documents]
    assert opf.xpath("//dc:title/text()", namespaces=NS) == [
        "Espasmos musculares — Borrador — no distribuir"]
    assert opf.xpath("//opf:meta[@property='schema:creativeWorkStatus']/text()",
                     namespaces=NS) == ["Draft"]
    assert set(marks) == {"Borrador — no distribuir"}
    summary, output = epubcheck(book)
    assert summary == "Messages: 0 fatals / 0 errors / 0 warnings / 0 infos", output


def test_drafts_and_distributed_outputs_never_share_a_folder(drafted: Path, monkeypatch,
                                                             capsys) -> None:
    monkeypatch.chdir(drafted)
    assert run(drafted, "build", "--draft", "--out", "out", "--format", "epub") == 1
    assert capsys.readouterr().err.splitlines()[0] == (
        "out: error: holds the outputs of ordinary builds: write drafts to another folder"
        " than out (by default drafts/)")
    assert run(drafted, "build", "--out", "drafts", "--format", "epub") == 1
    assert capsys.readouterr().err.splitlines()[0] == (
        "drafts: error: holds drafts (`build --draft`): build into another folder than drafts")


def test_a_locale_begun_in_a_po_file_is_only_known_to_draft_builds(drafted: Path,
                                                                   capsys) -> None:
    assert run(drafted, "build", "--locale", "pt-BR") == 2
    assert "no articles for locale 'pt-BR'" in capsys.readouterr().err
