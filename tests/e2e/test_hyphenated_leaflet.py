"""A leaflet laid out with hyphenation patterns loaded from the user's cache folder is
the leaflet laid out with patterns pyphen parsed (render/pdf/hyphenation.py), through
two real builds."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from conftest import ROOT, copy_project


def stored(cache: Path) -> list[Path]:
    return sorted((cache / "pressroom" / "hyphenation").glob("*.pickle"))


LONG_WORDS = ("Häufig ist ein Muskelkrampf die Folge einer Überbeanspruchung, bei der die"
              " Muskeln überlastet werden; Flüssigkeitsmangel, Elektrolytstörungen und"
              " Mineralstoffmangel begünstigen Wadenkrämpfe. ") * 8


def test_a_leaflet_laid_out_with_stored_patterns_is_the_same_to_the_byte(tmp_path: Path
                                                                        ) -> None:
    """Two builds of a leaflet that hyphenates (poppler reads words cut at line ends):
    the first parses and stores the patterns, the second loads them; the same PDF."""
    article = (f"---\ntitle: Krämpfe\nsource_locale: de\n---\n\n# Ursachen\n\n"
               f"{LONG_WORDS}\n")
    project = copy_project(tmp_path / "project", {"de/kraempfe.md": article})
    (project / "publish.py").write_text((ROOT / "publish.py").read_text("utf-8"), "utf-8")
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache"), "PYTHONPATH": str(ROOT),
           "SOURCE_DATE_EPOCH": "1767225600"}
    made = []
    for _ in range(2):
        done = subprocess.run([sys.executable, "publish.py", "build", "--format", "pdf",
                               "--force"], cwd=project, env=env, capture_output=True,
                              text=True, timeout=300, check=False)
        assert done.returncode == 0, done.stderr
        made.append((project / "out" / "de" / "kraempfe.pdf").read_bytes())
        assert len(stored(tmp_path / "cache")) == 1  # German, stored by the first
    text = subprocess.run(["pdftotext", str(project / "out/de/kraempfe.pdf"), "-"],
                          capture_output=True, text=True, timeout=60, check=True).stdout
    assert any(line.endswith(("-", "\u2010")) and line[-2].isalpha()
               for line in map(str.rstrip, text.splitlines()) if len(line) > 1)
    assert made[0] == made[1]
