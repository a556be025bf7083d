# Two commands on a fresh clone: `make book` and `make test`.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PARAMS ?=
# PARAMS reaches the runner whole, as an environment variable ("$$PARAMS" in the recipes), so
# spaces and quotes in values survive; the runner splits it into items (see `make help`).
export PARAMS
VARIANT ?=
JOBS ?=
TIMEOUT ?=
LAB_ARGS ?=
KERNEL := regionale-innovatie
# Raw-data mirror: ../shared/data/raw when present (CI), else files are downloaded (pooch).
RI_DATA_MIRROR ?= $(if $(wildcard ../shared/data/raw/MANIFEST.tsv),$(abspath ../shared/data/raw),)
export RI_DATA_MIRROR

.PHONY: help venv data checksums book watch lab bench test test-fast lint format clean pdf bench-pages

help:
	@echo "make book      - set up .venv if needed, execute all chapters, build _build/html"
	@echo "make watch     - build, then rebuild after every change (the analyst's loop; Ctrl-C ends)"
	@echo "make test      - lint and run the whole test suite (notebooks, book build, browser)"
	@echo "make test-fast - lint and the unit tests only (no notebooks, book build, browser or raw data)"
	@echo "make lab       - JupyterLab on the project (kernel $(KERNEL)); open notebooks/<chapter>.ipynb"
	@echo "make data      - re-run the processing steps (raw files -> data/processed)"
	@echo "make checksums - record data/CHECKSUMS.tsv after a deliberate change to a data file"
	@echo "options        - PARAMS=\"europa.year=2021\" overrides parameters from params.yml; values are"
	@echo "                 YAML; several: PARAMS=\"rd.year=2016 europa.year=2021\" (a new one starts"
	@echo "                 at a space followed by chapter.parameter=, so lists and paths with"
	@echo "                 spaces stay whole: PARAMS=\"innovatieve_bedrijven.class_bounds=[1000, 500, 100]\","
	@echo "                 PARAMS=\"startups.startup_file=/tmp/mijn bestanden/x.csv\"); text that starts"
	@echo "                 with [ { & * ! % @ or holds ': ' or ' #' in quotes: PARAMS='rd.corop_rd_file=\"a: b.csv\"'"
	@echo "                 VARIANT=name builds into _build/variants/name (default book untouched)"
	@echo "                 JOBS=n notebooks in parallel (default: number of cores)"
	@echo "                 TIMEOUT=s stops a notebook that runs longer than s seconds (default:"
	@echo "                 execute: timeout: in _config.yml, else 600; TIMEOUT=0: no limit)"
	@echo "                 LAB_ARGS=\"--no-browser --port 8889\" passes options to JupyterLab"
	@echo "make bench     - benchmark the build (benchmarks/build_benchmark.py)"
	@echo "make pdf       - build the book, then print it to _build/pdf/regionale-innovatie.pdf (Chromium)"
	@echo "make bench-pages - weight and load time of every page on a phone (benchmarks/page_benchmark.py)"
	@echo "make format    - fix lint and formatting (ruff)"
	@echo "make clean     - remove _build and book/_generated"

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e ".[test]"
	$(BIN)/python -m ipykernel install --sys-prefix --name $(KERNEL) --display-name "Python ($(KERNEL))" >/dev/null
	@touch $(STAMP)

venv: $(STAMP)

data: $(STAMP)
	$(BIN)/python -m helpers.data.processing

# After a deliberate change to a committed file under data/: record its checksum (data files
# are verified against data/CHECKSUMS.tsv when read; `make data` refreshes it too).
checksums: $(STAMP)
	$(BIN)/python -c "from helpers import config; print(config.write_checksums())"

book: $(STAMP)
	$(BIN)/python -m helpers.build.runner --overrides "$$PARAMS" $(if $(VARIANT),--variant $(VARIANT)) $(if $(JOBS),--jobs $(JOBS)) $(if $(TIMEOUT),--timeout $(TIMEOUT))

# The analyst's loop: build, then stay running and rebuild after every change to notebooks/,
# data/, src/helpers/, book/ or the configuration (same options as `make book`; Ctrl-C ends).
watch: $(STAMP)
	$(BIN)/python -m helpers.build.runner --watch --overrides "$$PARAMS" $(if $(VARIANT),--variant $(VARIANT)) $(if $(JOBS),--jobs $(JOBS)) $(if $(TIMEOUT),--timeout $(TIMEOUT))

# JupyterLab from .venv on the project folder. The notebooks ask for the kernel $(KERNEL) (this
# environment's Python, registered by the venv stamp; registered again here in case .venv was
# moved), which imports `helpers` (installed editable from src/); each notebook runs in its
# own folder (notebooks/), its figures go to notebooks/_assets (git-ignored).
lab: $(STAMP)
	@$(BIN)/python -m ipykernel install --sys-prefix --name $(KERNEL) --display-name "Python ($(KERNEL))" >/dev/null
	$(BIN)/jupyter lab --notebook-dir="$(CURDIR)" --LabApp.default_url=/lab/tree/notebooks $(if $(filter 0,$(shell id -u)),--allow-root) $(LAB_ARGS)

bench: $(STAMP)
	$(BIN)/python benchmarks/build_benchmark.py

# The PDF edition from the same build as the website (helpers.build.pdf; Chromium: RI_CHROMIUM).
pdf: book
	$(BIN)/python -m helpers.build.pdf $(if $(VARIANT),--variant $(VARIANT))

# Every page as a phone on Fast 4G loads it; the table goes to benchmarks/RESULTS.md.
bench-pages: book
	$(BIN)/python benchmarks/page_benchmark.py $(if $(VARIANT),--variant $(VARIANT))

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

format: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

test: lint
	$(BIN)/python -m pytest

# Unit tests only: no notebook is executed, no book built, no browser, no processing of raw
# files (tests/conftest.py marks those slow); about half a minute.
test-fast: lint
	$(BIN)/python -m pytest -m "not slow and not browser"

clean:
	rm -rf _build book/_generated
