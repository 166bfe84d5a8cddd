# devvolume — run `make help` for the list of targets.
# Every target sets up what it needs on a fresh machine: the .venv and, for tests, Debian packages.

.DEFAULT_GOAL := help
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
# The Spark backend's tests run in their own environment: PySpark 4 needs pandas < 3.
SPARK_VENV  := .venv-spark
SPARK_STAMP := $(SPARK_VENV)/.installed
# Debian packages. Reports need only the CJK and emoji fonts (charts, feedback); the tests also need
# Chromium for browser tests, LibreOffice and poppler for the office-suite tests, Java for Spark.
FONT_PACKAGES   := fonts-noto-cjk fonts-noto-color-emoji
DEBIAN_PACKAGES := $(FONT_PACKAGES) chromium libreoffice-calc poppler-utils default-jre-headless
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

# The wheel (with the course kit: datasets, lessons, exercises, report notebooks) and its sdist.
DIST := build/dist

NOTEBOOKS := $(wildcard notebooks/*.ipynb notebooks/reports/*.ipynb exercises/*.ipynb exercises/solutions/*.ipynb)

.PHONY: help venv system fonts lint typecheck test spark nbval wheel wheel-test notebooks reports lab clean

help: ## Show this help
	@grep -E '^[a-zA-Z_-]+:.*## ' $(MAKEFILE_LIST) | \
	  awk 'BEGIN {FS = ":.*## "}; {printf "  make %-12s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[test,lab]'
	touch $@

venv: $(STAMP) ## Create .venv and install devvolume with its test and lab extras

$(SPARK_STAMP): pyproject.toml
	$(PYTHON) -m venv $(SPARK_VENV)
	$(SPARK_VENV)/bin/python -m pip install -q --upgrade pip
	$(SPARK_VENV)/bin/python -m pip install -q -e '.[spark]' 'pytest>=8.3' 'hypothesis>=6.100' 'nbval>=0.11'
	touch $@

# $(call apt-install,PACKAGES): install those of PACKAGES not installed yet.
define apt-install
	@missing=$$(for p in $(1); do \
	    dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q 'install ok installed' || echo $$p; \
	  done); \
	if [ -n "$$missing" ]; then \
	  echo "installing Debian packages: $$missing"; \
	  $(SUDO) apt-get -o DPkg::Lock::Timeout=600 update -qq; \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends $$missing >/dev/null; \
	fi
endef

system: ## Install the Debian packages the tests need (skips those already installed)
	$(call apt-install,$(DEBIAN_PACKAGES))

fonts: ## Install the fonts reports and charts need (skips those already installed)
	$(call apt-install,$(FONT_PACKAGES))

lint: $(STAMP) ## Ruff over the package, tests and benchmarks; the import contracts (layers)
	$(BIN)/ruff check src tests benchmarks tools setup.py
	$(BIN)/lint-imports

typecheck: $(STAMP) ## Mypy over src
	$(BIN)/mypy

test: $(STAMP) system lint typecheck ## Everything CI runs: ruff, import contracts, mypy, doctests, pytest, Spark, nbval, the wheel
	$(BIN)/pytest --doctest-modules --durations=15 src tests
	$(MAKE) --no-print-directory spark
	$(MAKE) --no-print-directory nbval
	$(MAKE) --no-print-directory wheel-test

spark: $(SPARK_STAMP) system ## The metrics on a local Spark session (local[2]) against pandas
	$(SPARK_VENV)/bin/pytest -m spark tests/core/test_spark.py

nbval: $(STAMP) ## Run every notebook and compare with its stored outputs (strict)
	$(if $(NOTEBOOKS),$(BIN)/pytest --nbval $(NOTEBOOKS),@echo "no notebooks yet")

wheel: $(STAMP) ## Build the sdist, then from it the wheel (carrying the course kit), into build/dist/
	rm -rf $(DIST)
	$(BIN)/python -m build --quiet --outdir $(DIST) .
	@ls -l $(DIST)

# A fresh environment in a temporary folder outside the checkout. The dependencies come from the
# package index (pip's cache makes a rerun quick; --no-compile halves the install time, what runs
# is compiled when first imported). tools/check_wheel.py runs isolated (-I) from another temporary
# folder, so nothing of the checkout can be imported.
wheel-test: wheel ## Install the wheel in a fresh venv outside the checkout; use it as learners and instructors do
	@tmp=$$(mktemp -d); trap 'rm -rf "$$tmp"' EXIT; \
	echo "fresh environment in $$tmp"; \
	$(PYTHON) -m venv "$$tmp/venv"; \
	"$$tmp/venv/bin/python" -m pip install -q --disable-pip-version-check --no-compile \
	  $(DIST)/devvolume-*.whl; \
	mkdir "$$tmp/work"; cd "$$tmp/work"; \
	"$$tmp/venv/bin/python" -I "$(CURDIR)/tools/check_wheel.py" "$(CURDIR)"/$(DIST)/devvolume-*.whl \
	  --checkout "$(CURDIR)" --work "$$tmp/work"

notebooks: $(STAMP) ## Rebuild all notebooks from their sources and store outputs (deterministic)
	$(BIN)/python tools/build_notebooks.py

reports: $(STAMP) fonts ## Build the team reports and index for the directsales case into build/reports/
	$(BIN)/python -m devvolume report directsales --by team --out build/reports --jobs 2

lab: $(STAMP) ## Open the lessons (notebooks/) and exercises (exercises/) in JupyterLab, lesson 01 first
	$(BIN)/jupyter lab --ServerApp.root_dir="$(CURDIR)" $(shell [ "$$(id -u)" = 0 ] && echo --allow-root) notebooks/01_what_counts.ipynb

clean: ## Remove build outputs (keeps .venv)
	rm -rf build .pytest_cache .mypy_cache .ruff_cache
