# Forpost — the two commands are `make run` and `make test`; see README.md.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
export DJANGO_SETTINGS_MODULE := forpost.settings

# The dev server runs with DEBUG on unless the environment says otherwise.
RUN_ENV := DEBUG=$${DEBUG:-1}

.PHONY: run test check messages bench setup install demo clean

$(VENV)/.installed: requirements.txt requirements-dev.txt
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "Forpost needs $(PYTHON) (Python 3.11)."; exit 1; }
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

install: $(VENV)/.installed node_modules/.installed

compilemessages: install
	@for app in forpost/*/; do \
	  [ -f "$$app/apps.py" ] || continue; \
	  langs=$$(ls "$$app/locale" 2>/dev/null | sed 's/^/-l /' | tr '\n' ' '); \
	  [ -n "$$langs" ] || langs="-l da -l en"; \
	  mkdir -p "$$app/locale"; \
	  (cd "$$app" && DEBUG=1 ../../$(PY) ../../manage.py makemessages $$langs --no-obsolete --no-location -v 0); \
	done
	@echo "Catalogues updated; translate new entries in forpost/*/locale/*/LC_MESSAGES/django.po"

bench: install compilemessages
	$(PY) -m benchmarks.run

demo: setup

clean:
	rm -rf $(VENV) node_modules staticfiles .stamp-*
