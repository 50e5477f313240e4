#!/usr/bin/env bash
# Installs what Pressroom needs on a fresh Debian/Ubuntu machine, by job:
#
#   scripts/setup.sh            publishing and previewing (`make publish`): the libraries
#                               and fonts WeasyPrint renders with, then .venv with
#                               Pressroom's Python packages. No test tool.
#   scripts/setup.sh --test     the same, plus the independent checkers the tests run
#                               (`make test`): Java, Node.js with the npm checkers,
#                               Chromium, poppler, gettext, and the Python test extras.
#   scripts/setup.sh --bench    the same as --test, plus pandoc (the benchmark's baseline).
#   --dry-run                   with any of the above: print what would be installed,
#                               install nothing.
#
# Safe to run again: it only installs what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

test_tools=0 bench=0 dry_run=0
for arg in "$@"; do
  case "$arg" in
    --test) test_tools=1 ;;
    --bench) test_tools=1 bench=1 ;;
    --dry-run) dry_run=1 ;;
    *) echo "setup: unknown option '$arg' (use --test, --bench, --dry-run)" >&2; exit 2 ;;
  esac
done

# Publishing: Pango/HarfBuzz for WeasyPrint's layout, harfbuzz-subset for fast font
# subsetting, fontconfig (whose fc-match a cluster build asks on every worker), and the
# Noto and DejaVu fonts (Latin, Greek, Cyrillic, Arabic, ...; monospace) the styles name;
# ICU's headers, pkg-config and a C++ compiler, which PyICU (the site's A–Z in each
# locale's alphabet) is built with.
APT_PUBLISH=(libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fontconfig
             fonts-noto-core fonts-dejavu-core libicu-dev pkg-config g++)
# Testing: poppler-utils for the tests' independent PDF checks (pdffonts, pdftotext,
# pdftoppm); Chromium, the browser the tests drive (Playwright, axe-core, Ace by DAISY) —
# Debian's build, since nothing may download a browser of its own; GNU gettext (msgfmt,
# msgcat), with which the tests check the PO files independently of Babel.
APT_TEST=(poppler-utils chromium gettext)

wanted=("${APT_PUBLISH[@]}")
if ((test_tools)); then wanted+=("${APT_TEST[@]}"); fi

missing=()
for pkg in "${wanted[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$pkg")
  fi
done
if ((test_tools)); then
  # Java for EPUBCheck (the official EPUB validator the tests run) and the Nu Html
  # Checker: a JDK, whose javac compiles tests/EpubCheckBatch.java (many books, one Java
  # start). Node.js and npm for the checkers in package.json (Ace by DAISY, vnu.jar,
  # axe-core): Debian's only when the machine has none.
  if ! command -v java >/dev/null 2>&1 || ! command -v javac >/dev/null 2>&1; then
    missing+=(default-jdk-headless)
  fi
  command -v node >/dev/null 2>&1 || missing+=(nodejs)
  command -v npm >/dev/null 2>&1 || missing+=(npm)
fi
if ((bench)) && ! command -v pandoc >/dev/null 2>&1; then
  missing+=(pandoc)
fi

PYTHON="${PYTHON:-python3}"
if ! command -v "$PYTHON" >/dev/null 2>&1; then
  missing+=(python3 python3-venv)
elif ! "$PYTHON" -c 'import ensurepip, venv' >/dev/null 2>&1; then
  missing+=(python3-venv)  # Debian splits venv/ensurepip out of python3
fi

extras=""
if ((test_tools)); then extras="[test]"; fi
stamp=.venv/.pressroom-installed
if ((test_tools)); then stamp=.venv/.pressroom-installed-test; fi
npm_stamp=node_modules/.pressroom-installed
python_due=0 npm_due=0
if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then python_due=1; fi
if ((test_tools)) && { [ ! -f "$npm_stamp" ] || [ package-lock.json -nt "$npm_stamp" ] \
    || [ package.json -nt "$npm_stamp" ] || [ .npmrc -nt "$npm_stamp" ]; }; then
  npm_due=1
fi

if ((dry_run)); then
  job="publishing"
  if ((test_tools)); then job="publishing and testing"; fi
  echo "setup --dry-run: what $0 would install for $job (nothing is installed now)"
  echo "system packages (apt-get install --no-install-recommends): ${wanted[*]}"
  if ((test_tools)); then echo "  and, if their commands are missing: default-jdk-headless (java, javac) nodejs npm"; fi
  if ((bench)); then echo "  and, if missing: pandoc"; fi
  echo "  missing on this machine: ${missing[*]:-(none)}"
  if ((python_due)); then
    echo "Python packages into .venv: pressroom$extras (editable), with:"
  else
    echo "Python packages into .venv (up to date): pressroom$extras (editable), with:"
  fi
  # The dependencies as pyproject.toml names them (tomllib: Python 3.11+, which Pressroom needs).
  "$PYTHON" - "$test_tools" <<'PY' || echo "  (the dependencies listed in pyproject.toml)"
import sys, tomllib
project = tomllib.load(open("pyproject.toml", "rb"))["project"]
names = list(project["dependencies"])
if sys.argv[1] == "1":
    names += project["optional-dependencies"]["test"]
print("  " + " ".join(name.replace(" ", "") for name in names))
PY
  if ((test_tools)); then
    echo "npm packages into node_modules (npm ci, from package-lock.json):" \
      "$(sed -n '/devDependencies/,/}/p' package.json | grep -o '"[^"]*": "[^"]*"' \
         | tr -d '"' | tr -d ' ' | tr ':' '@' | tr '\n' ' ')"
  fi
  exit 0
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
if ((python_due)); then
  echo "setup: installing Python packages into .venv (pressroom$extras)"
  .venv/bin/python -m pip install -q --upgrade pip
  .venv/bin/python -m pip install -q -e ".$extras"
  touch "$stamp"
  if ((test_tools)); then touch .venv/.pressroom-installed; fi  # the test set has it all
fi
# Pressroom's own modules, compiled once: pip compiles the packages it installs but not
# an editable project, and where PYTHONDONTWRITEBYTECODE is set every `publish.py` run,
# test process and cluster worker would compile them again (measured: importing the
# build and the renderers, 0.45 s a process without, 0.34 s with). Unchanged files are
# only looked at.
compiled=(pressroom publish.py)
if ((test_tools)); then compiled+=(tests bench); fi
.venv/bin/python -m compileall -q -j 0 "${compiled[@]}" >/dev/null

if ((test_tools)); then
  # The independent checkers the tests run, pinned in package-lock.json: Ace by DAISY
  # (EPUB accessibility, with puppeteer), the Nu Html Checker (vnu.jar, run with java)
  # and axe-core. .npmrc turns install scripts off, so puppeteer downloads no Chrome (the
  # tests point it at Debian's chromium through scripts/chromium-headless). `npm ci`
  # starts from an empty node_modules/, which also removes the stamp.
  if ((npm_due)); then
    echo "setup: installing the checkers from package-lock.json into node_modules"
    PUPPETEER_SKIP_DOWNLOAD=1 npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
    touch "$npm_stamp"
  fi
  if ! node -e 'process.exit(Number(process.versions.node.split(".")[0]) < 20 ? 1 : 0)'; then
    echo "setup: warning: Ace by DAISY needs Node.js 20 or newer (node is $(node --version))" >&2
  fi
fi
