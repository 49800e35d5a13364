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

# A download cut mid-way (seen here: "Connection broken: IncompleteRead") is not retried by
# pip itself, so the install is tried up to three times; what is already installed stays.
$(STAMP): pyproject.toml | $(BIN)/python
	for i in 1 2 3; do $(BIN)/pip install --quiet --retries 10 -e '.[dev]' && break; \
	  [ $$i -lt 3 ] || exit 1; echo "pip install failed; trying again ($$i/3)"; sleep 5; done
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
