# 售后通 — the two commands of README.md: `make run` and `make test` (and `make dev`, `make run`
# for development). They set up everything on a fresh Debian/Ubuntu machine: the virtualenv, the
# Python packages (pinned in requirements.txt), and the system packages the PDFs need.

SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000
# `make run` shows the site as a user sees it: DEBUG off (Chinese error pages, no debug pages, no
# stack traces in the browser); static files are still served (WhiteNoise). `make dev` turns it on.
DEBUG ?= 0
# Two workers: the machines have two cores; browser tests get a live server each.
PYTEST_ARGS ?= -n 2
# System packages: a CJK font (Chinese PDFs), harfbuzz subsetting (8-40x faster PDFs),
# pango (WeasyPrint), gettext (compiling translations). Chromium only for the tests.
SYSTEM_PACKAGES := fonts-noto-cjk libharfbuzz-subset0 libpango-1.0-0 libpangoft2-1.0-0 gettext
TEST_SYSTEM_PACKAGES := chromium

.PHONY: run dev test setup system test-system venv lint messages makemessages migrate bench clean

run: setup
	$(PY) manage.py migrate --noinput
	$(PY) manage.py loaddata fixtures/*.json
	$(PY) manage.py seed_demo
	@echo ""
	@echo "售后通 is starting on http://$(HOST):$(PORT)/ (DEBUG=$(DEBUG))"
	@echo "Demo logins (password: $${DEMO_PASSWORD:-demo12345}):"
	@echo "  clerk as_manager sales gm finance warehouse logistics techdept tech1 tech2"
	@echo "  qc rnd pdirector production purchasing deptmgr leader, and the superuser admin"
	@echo ""
	DEBUG=$(DEBUG) ALLOWED_HOSTS="$${ALLOWED_HOSTS:-127.0.0.1,localhost,$(HOST)}" $(PY) manage.py runserver $(HOST):$(PORT)

# The same with DEBUG on, for development: Django's debug pages, templates and static files read
# again on every change. Never for a trial with users.
dev: DEBUG = 1
dev: run

test: setup test-system
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy .
	$(VENV)/bin/lint-imports
	$(PY) manage.py makemigrations --check --dry-run
	$(PY) manage.py check_translations
	@# The tests build their databases from the models (--nomigrations); the migrations and
	@# the reference data are proven here, once, on the configured database.
	$(PY) manage.py migrate --noinput
	$(PY) manage.py loaddata fixtures/*.json
	$(VENV)/bin/pytest $(PYTEST_ARGS)

setup: system venv messages

venv: $(VENV)/.installed

$(VENV)/.installed: requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

system:
	@$(MAKE) --no-print-directory _apt PKGS="$(SYSTEM_PACKAGES)"

test-system:
	@$(MAKE) --no-print-directory _apt PKGS="$(TEST_SYSTEM_PACKAGES)"

_apt:
	@missing=""; for p in $(PKGS); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "Installing system packages:$$missing"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	  else \
	    echo "Missing system packages. Run:"; echo "  sudo apt-get update && sudo apt-get install -y$$missing"; exit 1; \
	  fi; \
	fi

messages: venv
	$(PY) manage.py compilemessages --ignore=.venv -v 0

migrate: setup
	$(PY) manage.py migrate --noinput

# Benchmarks print figures and assert nothing: `make bench BENCH=shipping` (or servicedesk,
# fieldservice, warranty, repairs, reports); ROWS=200000 for a smaller run. Use DATABASE_URL
# for PostgreSQL (the default there is 1,000,000 rows).
BENCH ?= servicedesk
bench: setup
	$(PY) manage.py migrate --noinput
	$(PY) manage.py loaddata fixtures/*.json
	$(PY) scripts/bench_$(BENCH).py $(ROWS)

clean:
	rm -rf $(VENV) var/aftersales.sqlite3*

# Refresh the Chinese catalogue after adding strings (locations by file only: smaller diffs).
makemessages: venv
	$(PY) manage.py makemessages -l zh_Hans --add-location=file --no-obsolete --ignore=.venv --ignore=var --ignore=tests
