# Redress — the two commands a newcomer needs: `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
HOST ?= 127.0.0.1
PORT ?= 8000
# Set to a PostgreSQL URL to run the suite a second time on PostgreSQL, e.g.
# REDRESS_TEST_POSTGRES_URL=postgres://postgres@127.0.0.1:5432/redress make test
REDRESS_TEST_POSTGRES_URL ?=
PYTEST_ARGS ?=
export PYTHONDONTWRITEBYTECODE := 1

.PHONY: setup run serve test lint test-sqlite test-postgres bench clean

$(VENV)/.installed: requirements/base.txt requirements/dev.txt pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --disable-pip-version-check -r requirements/base.txt -r requirements/dev.txt
	$(BIN)/pip install -q --disable-pip-version-check --no-deps --no-build-isolation -e . 2>/dev/null \
		|| $(BIN)/pip install -q --disable-pip-version-check --no-deps -e .
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --ignore-scripts --no-audit --no-fund
	touch $@

setup: $(VENV)/.installed node_modules/.installed

run: setup
	mkdir -p var
	DJANGO_SETTINGS_MODULE=config.settings.dev $(PY) manage.py migrate --noinput
	DJANGO_SETTINGS_MODULE=config.settings.dev $(PY) manage.py demo
	DJANGO_SETTINGS_MODULE=config.settings.dev $(PY) manage.py serve --addr $(HOST) --port $(PORT)

lint: setup
	$(BIN)/ruff check src config tests
	$(BIN)/mypy src config
	$(BIN)/lint-imports

test-sqlite: setup
	env -u DATABASE_URL $(BIN)/pytest -n 2 --durations=10 $(PYTEST_ARGS)

test-postgres: setup
	@if [ -n "$(REDRESS_TEST_POSTGRES_URL)" ]; then \
		DATABASE_URL="$(REDRESS_TEST_POSTGRES_URL)" $(BIN)/pytest -n 2 --durations=10 $(PYTEST_ARGS); \
	else echo "REDRESS_TEST_POSTGRES_URL not set: PostgreSQL run skipped"; fi

test: lint test-sqlite test-postgres

bench: setup
	$(PY) bench/run.py

clean:
	rm -rf $(VENV) node_modules var/static
