# The README's two commands: `make publish` and `make test`. Both set up first, each for
# its job: publishing installs no test tool (`bash scripts/setup.sh --dry-run [--test]`
# prints what each installs).
VENV := .venv
PY := $(VENV)/bin/python

.PHONY: setup setup-test publish test test-fast test-thorough lint bench clean
# Test processes (pytest-xdist): one more than the cores, as the end-to-end tests spend a
# part of their time waiting on servers, timers and other programs (on 2 cores: 6 min 50 s
# with 2, 6 min 04 s with 3); `make test JOBS=1` runs them one by one.
JOBS ?= $(shell echo $$(( $$(nproc 2>/dev/null || echo 1) + 1 )))

setup:
	@bash scripts/setup.sh

setup-test:
	@bash scripts/setup.sh --test

publish: setup
	$(PY) publish.py

# Everything, as CI runs it: lint, the stages' layering, then every test tier.
test: setup-test lint
	$(PY) -m pytest -n $(JOBS) --dist loadgroup -q

# What to run on every save: unit and in-process tests only (no browser, Java, cluster).
test-fast: setup-test lint
	$(PY) -m pytest tests/unit -n $(JOBS) --dist loadgroup -q

# The property-based tests with 10,000 examples each, and generated articles through every
# renderer and checker: GENERATED_EXAMPLES libraries (1000, of up to 8 articles; hours on
# 2 cores; not part of CI).
test-thorough: setup-test
	HYPOTHESIS_PROFILE=thorough $(PY) -m pytest -n $(JOBS) \
	  tests/unit/test_properties.py tests/e2e/test_generated.py

bench:
	@bash scripts/setup.sh --bench
	$(PY) bench/run.py

lint: setup-test
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports

clean:
	rm -rf out
