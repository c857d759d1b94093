# Vigil: `make run` serves the demo; `make test` runs every check and the whole suite.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
export VIGIL_TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/test

.PHONY: run dev demo test lint typecheck checks test-sqlite test-postgres assets browser-deps pdf-deps bench clean help

help:
	@echo "make run    install everything, load the demo into SQLite, serve http://127.0.0.1:$(PORT)"
	@echo "make dev    the same on Django's autoreloading server, for working on the code"
	@echo "make test   lint, type-check, Django checks, the suite on SQLite and PostgreSQL"
	@echo "make bench  the benchmark (not part of make test; most of an hour): see bench/run.py"

# --- installation (each step reruns only when its inputs change) ---------------------------
$(BIN)/activate:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: $(BIN)/activate requirements/dev.txt pyproject.toml
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements/dev.txt
	$(BIN)/pip install --quiet --disable-pip-version-check --no-deps -e .
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

vigil/static/vigil/vigil.css: node_modules/.installed frontend/build.mjs $(wildcard frontend/*.scss frontend/*.mjs)
	npm run --silent build

assets: vigil/static/vigil/vigil.css

# Debian's Chromium for the browser tests (Playwright drives it; it downloads no browser).
browser-deps:
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "Installing Debian's chromium for the browser tests"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }

# Debian's Pango and a font for WeasyPrint's PDFs (the PCC report, the monthly pack: ADR 30).
pdf-deps:
	@ldconfig -p 2>/dev/null | grep -q libpangoft2-1.0 || { \
	  echo "Installing Debian's Pango for the PDF reports"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
	    libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core >/dev/null; }

# --- the demo -------------------------------------------------------------------------------
# A demo kept from before the statutory dates were corrected (ADR 12) is re-dated once, its
# met history too; on a fresh demo this changes nothing (docs/operations.md, "Upgrading").
REDATED_RULES := rso.notify,rso.register.ends,rso.breach.record
WORKERS ?= 3
# Beside the server, a worker runs the background work people start from the pages (a new
# forecast, a full sync: ADR 18); it stops with the server.
run: demo
	@echo "Serving http://127.0.0.1:$(PORT) with gunicorn, as in production, and a worker for background work (Ctrl-C to stop)"
	@scripts/with_worker.sh "$(BIN)/vigil db_worker --no-reload -v0" \
	  $(BIN)/gunicorn config.wsgi --bind 127.0.0.1:$(PORT) --workers $(WORKERS) --threads 2 \
	  --access-logfile - --graceful-timeout 5

# The same demo on Django's autoreloading development server, for working on the code.
dev: demo
	@echo "Serving http://127.0.0.1:$(PORT) with Django's autoreloader, and a worker (Ctrl-C to stop)"
	@scripts/with_worker.sh "$(BIN)/vigil db_worker --reload -v0" \
	  $(BIN)/vigil runserver 127.0.0.1:$(PORT)

demo: $(VENV)/.installed assets pdf-deps
	$(BIN)/vigil migrate --noinput -v0
	$(BIN)/vigil demo --if-empty --scale small --seed 1
	@test -e var/.redated-statute-2026-12 || { \
	  $(BIN)/vigil sync-obligations --redate-history $(REDATED_RULES) && \
	  touch var/.redated-statute-2026-12; }
	$(BIN)/vigil daily
	@$(BIN)/vigil demo-logins

# --- quality gates and tests ----------------------------------------------------------------
lint: $(VENV)/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(VENV)/.installed
	$(BIN)/mypy vigil config forecasting

checks: $(VENV)/.installed assets
	VIGIL_ENV=test $(BIN)/vigil check --fail-level WARNING
	VIGIL_ENV=test $(BIN)/vigil makemigrations --check --dry-run

# The suite runs on every core (pytest-xdist: one database per worker); the browser flows,
# each on a live server of its worker's database, run after it. The exhaustive walks (every
# URL and operation as every persona) test rules that do not depend on the engine: they run
# on PostgreSQL, and on SQLite only when PostgreSQL is not there to run them (ADR 24).
test-sqlite: $(VENV)/.installed assets browser-deps pdf-deps
	@if [ "$$CI" = "true" ] || $(BIN)/python scripts/pg_reachable.py "$$VIGIL_TEST_DATABASE_URL" 2>/dev/null; then \
	  echo "SQLite: the suite without the exhaustive walks, which run on PostgreSQL"; \
	  VIGIL_ENV=test $(BIN)/pytest -q -n auto -m "not browser and not exhaustive"; \
	else \
	  VIGIL_ENV=test $(BIN)/pytest -q -n auto -m "not browser"; \
	fi
	VIGIL_ENV=test $(BIN)/pytest -q -n auto -m browser

test-postgres: $(VENV)/.installed assets pdf-deps
	@if $(BIN)/python scripts/pg_reachable.py "$$VIGIL_TEST_DATABASE_URL"; then \
	  VIGIL_ENV=test DATABASE_URL="$$VIGIL_TEST_DATABASE_URL" $(BIN)/pytest -q -n auto -m "not browser"; \
	elif [ "$$CI" = "true" ]; then \
	  echo "PostgreSQL is unreachable at $$VIGIL_TEST_DATABASE_URL and CI=true: failing."; exit 1; \
	else \
	  echo "PostgreSQL is unreachable at $$VIGIL_TEST_DATABASE_URL: skipping the PostgreSQL run."; \
	fi

test: lint typecheck checks test-sqlite test-postgres

# --- the benchmark (not part of `make test`) --------------------------------------------------
# Force scale on SQLite and PostgreSQL, national on PostgreSQL, each in a scratch database
# (bench/scratch/, `vigil_bench`); results in bench/results/. BENCH_ARGS="--scales force" etc.
bench: $(VENV)/.installed assets
	$(BIN)/python bench/run.py $(BENCH_ARGS)
	$(BIN)/python bench/register.py

clean:
	rm -rf var vigil/static/vigil vigil/static/vendor vigil/static/assets
