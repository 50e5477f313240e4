#!/usr/bin/env bash
# Installs everything Pressroom needs on a fresh Debian/Ubuntu machine: the system
# libraries and fonts WeasyPrint renders with, then a virtual environment with the
# Python dependencies. Safe to run again: it only installs what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

# Pango/HarfBuzz for WeasyPrint's layout, harfbuzz-subset for fast font subsetting,
# fontconfig (whose fc-match a cluster build asks on every worker), the Noto and DejaVu
# fonts (Latin, Greek, Cyrillic, Arabic, ...; monospace) that the styles name, poppler-utils
# for the tests' independent PDF checks (pdffonts, pdftotext, pdftoppm), and Chromium,
# the browser the tests drive (Playwright, axe-core, Ace by DAISY) — Debian's build, since
# nothing may download a browser of its own; GNU gettext (msgfmt, msgcat), with which the
# tests check the translators' PO files independently of Babel.
APT_PACKAGES=(
  libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fontconfig
  fonts-noto-core fonts-dejavu-core poppler-utils chromium gettext
)

missing=()
for pkg in "${APT_PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$pkg")
  fi
done

# Java for EPUBCheck (the official EPUB validator the tests run) and the Nu Html Checker:
# a JDK, whose javac compiles tests/EpubCheckBatch.java (many books, one Java start).
if ! command -v java >/dev/null 2>&1 || ! command -v javac >/dev/null 2>&1; then
  missing+=(default-jdk-headless)
fi
# Node.js and npm for the checkers in package.json (Ace by DAISY, vnu.jar, axe-core);
# Debian's only when the machine has none.
if ! command -v node >/dev/null 2>&1; then
  missing+=(nodejs)
fi
if ! command -v npm >/dev/null 2>&1; then
  missing+=(npm)
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

# The independent checkers the tests run, pinned in package-lock.json: Ace by DAISY (EPUB
# accessibility, with puppeteer), the Nu Html Checker (vnu.jar, run with java) and
# axe-core. .npmrc turns install scripts off, so puppeteer downloads no Chrome (the tests
# point it at Debian's chromium through scripts/chromium-headless). `npm ci` starts from
# an empty node_modules/, which also removes the stamp.
npm_stamp=node_modules/.pressroom-installed
if [ ! -f "$npm_stamp" ] || [ package-lock.json -nt "$npm_stamp" ] \
    || [ package.json -nt "$npm_stamp" ] || [ .npmrc -nt "$npm_stamp" ]; then
  echo "setup: installing the checkers from package-lock.json into node_modules"
  PUPPETEER_SKIP_DOWNLOAD=1 npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
  touch "$npm_stamp"
fi
if ! node -e 'process.exit(Number(process.versions.node.split(".")[0]) < 20 ? 1 : 0)'; then
  echo "setup: warning: Ace by DAISY needs Node.js 20 or newer (node is $(node --version))" >&2
fi
