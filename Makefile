# The two set-up commands of the README, and the checks CI runs.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PYTEST_ARGS ?=

.PHONY: demo test lint

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

## First look: embedded SQLite, fictional demo data, demo accounts printed, dev server on :8000.
## Two-step sign-in is off for the demo only (allowed with DEBUG on), so the passwords suffice.
demo: $(BIN)/python
	$(BIN)/pip install -q -e .
	DEBUG=true TWO_FACTOR_REQUIRED=false $(BIN)/python manage.py demo

## Install the test dependencies (Python packages, Debian's Chromium and gettext) and run every test.
test: $(BIN)/python
	$(BIN)/pip install -q -e '.[test]'
	scripts/ensure-chromium
	scripts/ensure-gettext
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: $(BIN)/python
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	# Medium and high findings fail. The two reviewed mark_safe calls carry a nosec with the reason.
	$(BIN)/bandit -q -r shelter plans policies reports desk library -ll
