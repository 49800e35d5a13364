# The two set-up commands of the README work from a fresh clone:
#   make demo   # creates .venv, installs, scores the bundled sample inbox
#   make test   # creates .venv with dev extras, runs the whole test suite
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-dev

.PHONY: demo test bench lint clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/triage score --format table data/samples/inbox.mbox

test: $(STAMP)
	$(BIN)/python -m pytest

bench: $(STAMP)
	$(BIN)/python bench/bench_score.py

lint: $(STAMP)
	$(BIN)/ruff check triage tests bench

clean:
	rm -rf $(VENV) .pytest_cache build *.egg-info
