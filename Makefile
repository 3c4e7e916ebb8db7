# Forpost — the two commands are `make run` and `make test`; see README.md.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
export DJANGO_SETTINGS_MODULE := forpost.settings

# The dev server runs with DEBUG on unless the environment says otherwise.
RUN_ENV := DEBUG=$${DEBUG:-1}

.PHONY: run test check audit lock messages compilemessages bench setup install demo clean

# requirements*.txt are compiled from requirements*.in (make lock) with every package pinned and
# hashed; pip refuses any file whose hash is not listed (pip itself is pinned there too).
$(VENV)/.installed: requirements.txt requirements-dev.txt
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "Forpost needs Python 3.11 (python3.11)."; exit 1; }
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --require-hashes -r requirements-dev.txt
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

install: $(VENV)/.installed node_modules/.installed

compilemessages: install
	@DEBUG=1 $(PY) manage.py compilemessages --ignore=.venv --ignore=node_modules -v 0

setup: install compilemessages
	@mkdir -p data
	$(RUN_ENV) $(PY) manage.py migrate --no-input -v 0
	@$(RUN_ENV) $(PY) manage.py demo --if-empty

# The task worker (reports, exports) runs beside the web server and stops with it.
run: setup
	@echo "Forpost is serving on http://127.0.0.1:$(PORT)/  (Ctrl-C stops it)"
	@$(RUN_ENV) $(PY) manage.py db_worker --interval 1 --no-reload & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(RUN_ENV) $(PY) manage.py runserver 127.0.0.1:$(PORT)

demo: setup

# The whole suite. Browser tests run when Debian's chromium is installed; otherwise they are
# skipped and the run says so.
test: install compilemessages
	@if [ -z "$$CHROMIUM_PATH" ] && ! command -v chromium >/dev/null 2>&1; then \
	  echo "NOTE: Debian's chromium is not installed, so the browser tests are SKIPPED (apt-get install chromium)."; \
	fi
	@echo "Database: $${DATABASE_URL:-SQLite (embedded)}"
	$(PY) -m pytest -n 2 -q $(PYTEST_ARGS)

check: install audit
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports
	DEBUG=1 $(VENV)/bin/mypy forpost

# Known vulnerabilities in the pinned Python and npm packages (pip-audit, npm audit); accepted
# findings are listed with reasons in supply-chain-allowlist.toml. A database that cannot be
# reached is reported as NOT AUDITED, never as clean; SUPPLY_CHAIN_STRICT=1 makes that fail.
audit: install
	$(PY) tools/supply_chain.py

# After editing requirements.in or requirements-dev.in: pin and hash every package again
# (versions already locked stay unless the .in file asks otherwise).
lock:
	$(VENV)/bin/uv pip compile --quiet --native-tls --generate-hashes --python-version 3.11 \
	  --python-platform x86_64-unknown-linux-gnu --custom-compile-command "make lock" \
	  requirements.in -o requirements.txt
	$(VENV)/bin/uv pip compile --quiet --native-tls --generate-hashes --python-version 3.11 \
	  --python-platform x86_64-unknown-linux-gnu --custom-compile-command "make lock" \
	  requirements-dev.in --constraint requirements.txt -o requirements-dev.txt

# Update the translation catalogues of every app (Danish, English; the public app adds more).
messages: install
	@for app in forpost/*/; do \
	  [ -f "$$app/apps.py" ] || continue; \
	  langs=$$(ls "$$app/locale" 2>/dev/null | sed 's/^/-l /' | tr '\n' ' '); \
	  [ -n "$$langs" ] || langs="-l da -l en"; \
	  mkdir -p "$$app/locale"; \
	  (cd "$$app" && DEBUG=1 ../../$(PY) ../../manage.py makemessages $$langs --no-obsolete --no-location -v 0); \
	done
	@echo "Catalogues updated; translate new entries in forpost/*/locale/*/LC_MESSAGES/django.po"

# Benchmarks at 1M inquiries and 10 centres on SQLite and PostgreSQL (BENCH_ROWS, BENCH_CENTRES);
# BENCH_NATIONAL=1 also builds a national PostgreSQL database (10M inquiries, 1,000 centres) and
# measures the annual status there. BENCH_ONLY=suppression measures only the disclosure pass at
# 1,000 centres (BENCH_SUPPRESSION_CENTRES). See benchmarks/run.py for every setting.
bench: install compilemessages
	$(PY) -m benchmarks.run

clean:
	rm -rf $(VENV) node_modules staticfiles
