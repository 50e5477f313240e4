# The README's two commands: `make publish` and `make test`. Both set up first.
VENV := .venv
PY := $(VENV)/bin/python

.PHONY: setup publish test lint bench clean

setup:
	@bash scripts/setup.sh

publish: setup
	$(PY) publish.py

test: setup
	$(VENV)/bin/ruff check .
	$(PY) -m pytest

bench: setup
	@bash scripts/setup.sh --bench
	$(PY) bench/run.py

lint: setup
	$(VENV)/bin/ruff check .

clean:
	rm -rf out
