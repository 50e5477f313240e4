# The README's two commands: `make publish` and `make test`. Both set up first.
VENV := .venv
PY := $(VENV)/bin/python

.PHONY: setup publish test lint clean

setup:
	@bash scripts/setup.sh

publish: setup
	$(PY) publish.py

test: setup
	$(VENV)/bin/ruff check .
	$(PY) -m pytest

lint: setup
	$(VENV)/bin/ruff check .

clean:
	rm -rf out
