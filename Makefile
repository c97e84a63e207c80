# Two entry points for newcomers: `make demo` and `make test`.
# Both create .venv and install the pinned dependencies on first use.

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: demo test lint install argdown bench

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
## The Argdown check needs Node.js; without npm that one test is skipped.
test: lint argdown
	$(BIN)/pytest

argdown:
	@if command -v npm >/dev/null && [ ! -d tools/argdown/node_modules ]; then \
		npm ci --silent --no-audit --no-fund --prefix tools/argdown; fi

lint: $(VENV)/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

## Benchmarks against their baselines (SQLite and PostgreSQL; not part of `make test`).
## SIZES=10k,100k,1m adds a million statements (generation takes minutes).
SIZES ?= 10k,100k
bench: $(VENV)/.installed
	$(BIN)/python -m bench --sizes $(SIZES)
