# The README's two commands: `make publish` and `make test`. Both set up first.
VENV := .venv
PY := $(VENV)/bin/python

.PHONY: setup publish test test-thorough lint bench clean

setup:
	@bash scripts/setup.sh

publish: setup
	$(PY) publish.py

test: setup
	$(VENV)/bin/ruff check .
	$(PY) -m pytest

# The property-based tests with 10,000 examples each (minutes; not part of CI).
test-thorough: setup
	HYPOTHESIS_PROFILE=thorough $(PY) -m pytest tests/test_properties.py

bench: setup
	@bash scripts/setup.sh --bench
	$(PY) bench/run.py

lint: setup
	$(VENV)/bin/ruff check .

clean:
	rm -rf out
