#!/usr/bin/env bash
# Installs everything Pressroom needs on a fresh Debian/Ubuntu machine: the system
# libraries and fonts WeasyPrint renders with, then a virtual environment with the
# Python dependencies. Safe to run again: it only installs what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

# Pango/HarfBuzz for WeasyPrint's layout, harfbuzz-subset for fast font subsetting,
# Noto fonts (Latin, Greek, Cyrillic, Arabic, ...) that the styles name, poppler-utils
# for the tests' independent PDF checks (pdffonts, pdftotext, pdftoppm).
APT_PACKAGES=(
  libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fontconfig
  fonts-noto-core poppler-utils
)

missing=()
for pkg in "${APT_PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$pkg")
  fi
done

# A Java runtime for EPUBCheck (the official EPUB validator the tests run).
if ! command -v java >/dev/null 2>&1; then
  missing+=(default-jre-headless)
fi
# pandoc, only for the benchmark's baseline (`make bench`).
if [ "${1:-}" = "--bench" ] && ! command -v pandoc >/dev/null 2>&1; then
  missing+=(pandoc)
fi

PYTHON="${PYTHON:-python3}"
if ! command -v "$PYTHON" >/dev/null 2>&1; then
  missing+=(python3)
elif ! "$PYTHON" -c 'import ensurepip, venv' >/dev/null 2>&1; then
  missing+=(python3-venv)  # Debian splits venv/ensurepip out of python3
fi

if ((${#missing[@]})); then
  if ! command -v apt-get >/dev/null 2>&1; then
    echo "setup: please install these system packages: ${missing[*]}" >&2
    exit 1
  fi
  sudo=""
  if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
  echo "setup: installing system packages: ${missing[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends \
    "${missing[@]}" >/dev/null
fi

if ! "$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 11))'; then
  echo "setup: Pressroom needs Python 3.11 or newer ($PYTHON is $("$PYTHON" --version 2>&1));" \
    "set PYTHON=/path/to/python3.11 and run again" >&2
  exit 1
fi
if [ ! -x .venv/bin/python ]; then
  echo "setup: creating .venv"
  "$PYTHON" -m venv .venv
fi
stamp=.venv/.pressroom-installed
if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
  echo "setup: installing Python dependencies into .venv"
  .venv/bin/python -m pip install -q --upgrade pip
  .venv/bin/python -m pip install -q -e ".[test]"
  touch "$stamp"
fi
