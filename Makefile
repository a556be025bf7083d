# Two commands on a fresh clone: `make book` and `make test`.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PARAMS ?=
VARIANT ?=
JOBS ?=
# Raw-data mirror: ../shared/data/raw when present (CI), else files are downloaded (pooch).
RI_DATA_MIRROR ?= $(if $(wildcard ../shared/data/raw/MANIFEST.tsv),$(abspath ../shared/data/raw),)
export RI_DATA_MIRROR

.PHONY: help venv data book bench test lint format clean

help:
	@echo "make book   - set up .venv if needed, execute all chapters, build _build/html"
	@echo "make test   - lint and run the test suite"
	@echo "make data   - re-run the processing steps (raw files -> data/processed)"
	@echo "options     - PARAMS=\"europa.year=2021\" overrides parameters from params.yml"
	@echo "              VARIANT=name builds into _build/variants/name (default book untouched)"
	@echo "              JOBS=n notebooks in parallel (default: number of cores)"
	@echo "make bench  - benchmark the build (benchmarks/build_benchmark.py)"

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e ".[test]"
	$(BIN)/python -m ipykernel install --sys-prefix --name regionale-innovatie --display-name "Python (regionale-innovatie)" >/dev/null
	@touch $(STAMP)

venv: $(STAMP)

data: $(STAMP)
	$(BIN)/python -m helpers.data.processing

book: $(STAMP)
	$(BIN)/python -m helpers.build.runner $(foreach p,$(PARAMS),--set $(p)) $(if $(VARIANT),--variant $(VARIANT)) $(if $(JOBS),--jobs $(JOBS))

bench: $(STAMP)
	$(BIN)/python benchmarks/build_benchmark.py

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

format: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

test: lint
	$(BIN)/python -m pytest

clean:
	rm -rf _build book/_generated
