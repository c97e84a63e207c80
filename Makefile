# Two entry points for newcomers: `make demo` and `make test`.
# Both create .venv and install the pinned dependencies on first use.

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: demo test lint install argdown webcheck bench

$(VENV)/.installed: pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet --constraint constraints.txt --editable '.[dev]'
	touch $@

install: $(VENV)/.installed

## Start the console on the default SQLite database with the demo reading loaded.
demo: $(VENV)/.installed
	$(BIN)/cruxbot console --demo

## Lint, type-check and run the whole test suite (SQLite and PostgreSQL).
## The Argdown and browser checks need Node.js (the browser one Chromium too);
## without them those tests are skipped, saying why.
test: lint argdown webcheck
	$(BIN)/pytest

argdown:
	@if command -v npm >/dev/null && [ ! -d tools/argdown/node_modules ]; then \
		npm ci --silent --no-audit --no-fund --prefix tools/argdown; fi

## The browser check of the web pages (needs Chromium too; skipped without it).
webcheck:
	@if command -v npm >/dev/null && [ ! -d tools/webcheck/node_modules ]; then \
		npm ci --silent --no-audit --no-fund --prefix tools/webcheck; fi

lint: $(VENV)/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

## Benchmarks against their baselines (SQLite and PostgreSQL; not part of `make test`).
## SIZES=10k,100k,1m adds a million statements (generation takes minutes).
SIZES ?= 10k,100k
bench: $(VENV)/.installed
	$(BIN)/python -m bench --sizes $(SIZES)
