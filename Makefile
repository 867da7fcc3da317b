# IMP Portal — developer and CI entry points.
#
#   make run    install, migrate, seed the demo employer and serve on http://127.0.0.1:5000
#   make test   install, make sure PostgreSQL/Redis/Chromium are there, run pytest in PYTEST_WORKERS
#               processes (pytest-xdist, default 2; 0 = one process)
#               (extra pytest arguments: make test PYTEST_ARGS="-k foo -x")
#   make lint   ruff format --check, then ruff check (LINT_PATHS, default the whole tree), then mypy
#               (strict, on the files named in pyproject.toml's [tool.mypy], or MYPY_PATHS when given)

SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV        := .venv
BIN         := $(VENV)/bin
STAMP       := $(VENV)/.installed
FLASK       := FLASK_SKIP_DOTENV=1 $(BIN)/flask --app portal
PYTEST_ARGS ?=
PYTEST_WORKERS ?= 2
LINT_PATHS  ?= .
MYPY_PATHS  ?=
HOST        ?= 127.0.0.1
PORT        ?= 5000

# Prefer python3.11, fall back to python3 (must be >= 3.11, checked below).
PYTHON ?= $(shell command -v python3.11 2>/dev/null || command -v python3 2>/dev/null)

TRANSLATIONS_DIR := portal/translations
PO_FILES := $(wildcard $(TRANSLATIONS_DIR)/*/LC_MESSAGES/*.po)

.PHONY: help venv install translations instance run test lint services tools clean translations-update

help:
	@echo "make run   - install, migrate, seed demo data, serve on http://$(HOST):$(PORT)"
	@echo "make test  - install, ensure PostgreSQL/Redis/Chromium, run pytest (PYTEST_ARGS=...)"
	@echo "make lint  - ruff format --check, ruff check and mypy (strict, the files in pyproject.toml)"

# --- virtualenv -------------------------------------------------------------
# Creating the venv: if `python -m venv` fails because Debian's venv/ensurepip
# package is missing, install it with apt (as root) and retry.
$(BIN)/pip:
	@test -n "$(PYTHON)" || { echo "ERROR: python3.11 / python3 not found" >&2; exit 1; }
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)' || \
		{ echo "ERROR: $(PYTHON) is older than Python 3.11" >&2; exit 1; }
	@echo "==> creating $(VENV) with $(PYTHON)"
	@if ! $(PYTHON) -m venv $(VENV) >/dev/null 2>&1; then \
		rm -rf $(VENV); \
		pyver=$$($(PYTHON) -c 'import sys; print("%d.%d" % sys.version_info[:2])'); \
		if command -v apt-get >/dev/null 2>&1 && [ "$$(id -u)" = 0 ]; then \
			echo "==> python venv support missing; apt-get install python3-venv python$$pyver-venv"; \
			DEBIAN_FRONTEND=noninteractive apt-get update -qq && \
			DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv "python$$pyver-venv" || \
			DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv; \
			$(PYTHON) -m venv $(VENV); \
		else \
			echo "ERROR: '$(PYTHON) -m venv' failed; install python3-venv (sudo apt-get install python3-venv)" >&2; \
			exit 1; \
		fi; \
	fi
	@$(BIN)/python -m pip install -q --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/pip
	@echo "==> pip install -e '.[dev]'"
	@$(BIN)/pip install --disable-pip-version-check -e '.[dev]' > $(VENV)/pip-install.log 2>&1 || \
		{ tail -n 60 $(VENV)/pip-install.log; echo "ERROR: pip install failed (full log: $(VENV)/pip-install.log)" >&2; exit 1; }
	@touch $@

translations: $(STAMP)
ifneq ($(strip $(PO_FILES)),)
	@$(BIN)/pybabel -q compile -d $(TRANSLATIONS_DIR) -f
endif

venv install: $(STAMP) translations

instance:
	@mkdir -p instance

# --- run --------------------------------------------------------------------
# The links in mails (invitations, resets, "packet returned") point where the portal is served: PUBLIC_URL
# follows HOST (127.0.0.1 when it listens on every address) and PORT unless it is set.
run: install instance
	@bash scripts/ensure-tools.sh --runtime
	$(FLASK) db upgrade
	$(FLASK) seed-demo
	PUBLIC_URL="$${PUBLIC_URL:-http://$(if $(filter 0.0.0.0,$(HOST)),127.0.0.1,$(HOST)):$(PORT)}" $(FLASK) run --host $(HOST) --port $(PORT)

# --- test -------------------------------------------------------------------
services:
	@bash scripts/ensure-services.sh

tools:
	@bash scripts/ensure-tools.sh

# pytest exit code 5 means "no tests collected": report it and fail like any other error.
test: install services tools
	@echo "==> $(BIN)/pytest -n $(PYTEST_WORKERS) $(PYTEST_ARGS)"
	@$(BIN)/pytest -n $(PYTEST_WORKERS) $(PYTEST_ARGS); rc=$$?; \
		if [ $$rc -eq 5 ]; then echo "ERROR: pytest collected no tests (exit code 5)" >&2; fi; \
		exit $$rc

# The same commands run in .ci/run and in the pre-commit hooks (.pre-commit-config.yaml).
lint: install
	$(BIN)/ruff format --check $(LINT_PATHS)
	$(BIN)/ruff check $(LINT_PATHS)
	$(BIN)/mypy $(MYPY_PATHS)

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache test-artifacts

# --- translations -------------------------------------------------------------
# After adding or changing text: extract, merge into the French catalogue, translate the new
# entries in portal/translations/fr/LC_MESSAGES/messages.po, then `make install` compiles it.
translations-update: $(STAMP)
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext -k N_ --no-location --omit-header -o portal/translations/messages.pot .
	$(BIN)/pybabel update -i portal/translations/messages.pot -d portal/translations --width 100
