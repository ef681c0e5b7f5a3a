# The two commands of the README: `make run` and `make test`. Both do their own set-up.
VENV      := .venv
PY        := $(VENV)/bin/python
PIP       := $(VENV)/bin/pip
MANAGE    := $(PY) manage.py
HOST      ?= 127.0.0.1
PORT      ?= 8000

.PHONY: run test install demo check lint bench load backup restore clean

$(PY):
	@PYTHON=$$(scripts/find-python) && echo "Python: $$PYTHON" && $$PYTHON -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip

# Reinstall only when pyproject.toml changes.
$(VENV)/.installed: pyproject.toml | $(PY)
	$(PIP) install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(PY)
	$(PIP) install --quiet -e ".[test]"
	touch $@

install: $(VENV)/.installed

# The task worker (mail) runs in the background for as long as the server does: the traps
# stop it when runserver ends, by Ctrl+C or otherwise.
run: $(VENV)/.installed
	$(MANAGE) migrate --noinput
	$(MANAGE) collectstatic --noinput --verbosity 0
	$(MANAGE) load_demo
	@echo "Let op: dit is de demo. Inloggen in twee stappen staat uit (DJANGO_OTP_REQUIRED=0); in productie staat het aan."
	@echo "De achtergrondtaken (mail) draaien in manage.py db_worker naast de server; mails verschijnen hier in de uitvoer."
	export DJANGO_DEBUG=$${DJANGO_DEBUG:-1} DJANGO_OTP_REQUIRED=$${DJANGO_OTP_REQUIRED:-0} \
		DJANGO_PORTAL_URL=$${DJANGO_PORTAL_URL:-http://$(HOST):$(PORT)}; \
	$(MANAGE) db_worker --no-reload & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker' EXIT; trap 'exit 130' INT TERM; \
	$(MANAGE) runserver $(HOST):$(PORT)

# System packages the tests need (Debian's Chromium for browser tests, HarfBuzz subsetting for
# WeasyPrint); installed only when missing.
system-deps:
	@scripts/ensure-system-deps

# Spectral (npm), which lints the API's OpenAPI document against the API Design Rules in the
# tests (tests/api/adr/); reinstalled only when package.json or its lock file changes. Without
# install scripts: Spectral is plain JavaScript, and one dependency's script only reports usage.
node_modules/.installed: package.json package-lock.json | system-deps
	npm ci --ignore-scripts --no-audit --no-fund
	touch $@

test: $(VENV)/.installed-test system-deps node_modules/.installed
	$(PY) -m ruff check .
	$(MANAGE) makemigrations --check --dry-run
	$(PY) -m pytest $(PYTEST_ARGS)

lint: $(VENV)/.installed-test
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

clean:
	rm -rf $(VENV) node_modules staticfiles db.sqlite3 db.sqlite3-wal db.sqlite3-shm bench/results

# Performance and resilience (README "Performance"). DATABASE_URL chooses the database
# (default for bench/load: SQLite in bench/results/); the PostgreSQL faults use a throwaway
# cluster of their own.
.PHONY: faults
BENCH_SETUP = $(VENV)/.installed

bench: $(BENCH_SETUP)
	scripts/bench

load: $(BENCH_SETUP)
	scripts/bench-load

faults: $(BENCH_SETUP)
	scripts/faults

# The papers too (bench/backup.py); `make restore` puts them in PAPERS_RESTORE_TO
# (default <PAPERS_ROOT>_restored) and compares every paper's sha256.
backup: $(BENCH_SETUP)
	scripts/backup

restore: $(BENCH_SETUP)
	scripts/backup restore $(DUMP)
