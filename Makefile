# Two commands for a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
PMO    := $(VENV)/bin/pmolearn
STAMP  := $(VENV)/.installed-dev
AXE    := tests/browser/node_modules/axe-core/axe.min.js
STAFF  ?= 200
HOST   ?= 127.0.0.1
PORT   ?= 5000
DEMO_PASSWORD ?= pmolearn

.PHONY: install run serve test lint format benchmark clean

$(PY):
	$(PYTHON) -m venv $(VENV)

$(STAMP): pyproject.toml setup.py | $(PY)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $@

# axe-core for the browser suite's accessibility checks: an npm package the tests inject into
# Chromium, never served by the app. Without npm the browser tests say why they are skipped.
$(AXE): tests/browser/package.json tests/browser/package-lock.json
	@if command -v npm >/dev/null 2>&1; then \
	  npm ci --prefix tests/browser --no-audit --no-fund --silent && touch $@; \
	else echo "npm not found: the browser suite's accessibility checks will be skipped"; fi

install: $(STAMP)

## make run: install, migrate, seed the catalog, build the demo organisation and serve it
run: install
	$(PMO) db upgrade
	$(PMO) seed
	$(PMO) demo --staff $(STAFF) --password $(DEMO_PASSWORD)
	@echo "pmolearn is starting on http://$(HOST):$(PORT)/ (Ctrl+C stops it)"
	$(PMO) run --host $(HOST) --port $(PORT)

## make serve: serve the existing database without rebuilding the demo
serve: install
	$(PMO) db upgrade
	$(PMO) run --host $(HOST) --port $(PORT)

## make test: the whole suite (SQLite; PostgreSQL too when TEST_DATABASE_URL is set)
test: install $(AXE)
	$(PY) -m pytest $(PYTEST_ARGS)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

benchmark: install
	$(PY) benchmarks/demo_speed.py

## make clean: the virtualenv and build output; never instance/ (the database and evidence)
clean:
	rm -rf $(VENV) build *.egg-info tests/browser/node_modules
