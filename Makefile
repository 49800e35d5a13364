# The two set-up commands of the README work from a fresh clone:
#   make demo   # creates .venv, installs, scores the bundled sample inbox
#   make test   # creates .venv with dev extras, runs the whole test suite
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-dev

.PHONY: demo test bench lint clean model

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/triage score --format table data/samples/inbox.mbox
	$(BIN)/triage score --format html data/samples/inbox.mbox > report.html
	@echo "wrote report.html"

test: $(STAMP)
	$(BIN)/python -m pytest

bench: $(STAMP)
	$(BIN)/python bench/bench_score.py
	$(BIN)/python bench/bench_model.py
	$(BIN)/python bench/bench_cli.py
	$(BIN)/python bench/bench_report.py
	$(BIN)/python bench/bench_scan.py

# The shipped model is rebuilt from data/labelled, deterministically; --force because the
# shipped model must always match its data (the champion/challenger rule guards user models).
model: $(STAMP)
	$(BIN)/triage train --data data/labelled --out models/default --force

lint: $(STAMP)
	$(BIN)/ruff check triage tests bench

clean:
	rm -rf $(VENV) .pytest_cache build *.egg-info
