# Rostra — the two commands an operator needs: `make run` and `make test`.
SHELL := /bin/bash
.DEFAULT_GOAL := run

UV ?= $(shell command -v uv 2>/dev/null)
VENV := .venv
RUN := $(VENV)/bin/rostra
HOST ?= 127.0.0.1
PORT ?= 8000
CHROMIUM := /usr/bin/chromium
NGINX := /usr/sbin/nginx
CADDY := /usr/bin/caddy
REDIS_SERVER := /usr/bin/redis-server
# Links in e-mails and feeds point where `make run` serves, unless the operator says
# otherwise (a server listening on every interface is reached at 127.0.0.1 here).
BASE_HOST := $(if $(filter 0.0.0.0 :: [::],$(HOST)),127.0.0.1,$(HOST))
ROSTRA_BASE_URL ?= http://$(BASE_HOST):$(PORT)

.PHONY: bench run test install install-dev chromium proxies redis-server node-tools audit lint test-sqlite test-postgres format clean gettext messages

uv-bootstrap:
	@if [ -z "$(UV)" ] && ! PATH="$$HOME/.local/bin:$$PATH" command -v uv >/dev/null 2>&1; then \
		echo "Installing uv (pip install uv)…"; \
		python3 -m pip install --quiet --user uv || python3 -m pip install --quiet uv; \
	fi

# `make install EXTRAS=sentry` adds optional extras of pyproject.toml; the stamp names them.
EXTRAS ?=
space := $(subst ,, )
INSTALLED := $(VENV)/.installed$(subst $(space),,$(addprefix -,$(EXTRAS)))

$(INSTALLED): pyproject.toml uv.lock | uv-bootstrap
	@PATH="$$HOME/.local/bin:$$PATH" uv sync --frozen --no-dev $(addprefix --extra ,$(EXTRAS))
	@touch $@

$(VENV)/.installed-dev: pyproject.toml uv.lock | uv-bootstrap
	@PATH="$$HOME/.local/bin:$$PATH" uv sync --frozen
	@touch $(VENV)/.installed $@

install: $(INSTALLED)

install-dev: $(VENV)/.installed-dev

## make run: install, migrate, create the first admin, load the demo newsroom into an
## empty site, then serve on http://$(HOST):$(PORT)
run: install
	ROSTRA_BASE_URL=$(ROSTRA_BASE_URL) $(RUN) setup --demo
	ROSTRA_BASE_URL=$(ROSTRA_BASE_URL) $(RUN) serve --host $(HOST) --port $(PORT)

redis-server:
	@if [ ! -x $(REDIS_SERVER) ]; then \
		if [ "$$(id -u)" = "0" ]; then \
			echo "Installing Debian's redis-server for the shared-cache tests…"; \
			DEBIAN_FRONTEND=noninteractive apt-get update -qq && \
			DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server >/dev/null; \
		else \
			echo "The shared-cache tests need Debian's 'redis-server' package at $(REDIS_SERVER)."; \
			echo "Install it with: sudo apt-get install redis-server"; exit 1; \
		fi; \
	fi

chromium:
	@if [ ! -x $(CHROMIUM) ]; then \
		if [ "$$(id -u)" = "0" ]; then \
			echo "Installing Debian's chromium for the browser tests…"; \
			DEBIAN_FRONTEND=noninteractive apt-get update -qq && \
			DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
		else \
			echo "The browser tests need Debian's 'chromium' package at $(CHROMIUM)."; \
			echo "Install it with: sudo apt-get install chromium"; exit 1; \
		fi; \
	fi

# GNU gettext (xgettext, msgfmt): `make messages` and the catalog completeness test run
# Django's makemessages. Serving needs none of it: the compiled .mo files are committed.
gettext:
	@if ! command -v xgettext >/dev/null 2>&1 || ! command -v msgfmt >/dev/null 2>&1; then \
		if [ "$$(id -u)" = "0" ]; then \
			echo "Installing Debian's gettext for the translation catalogs…"; \
			DEBIAN_FRONTEND=noninteractive apt-get update -qq && \
			DEBIAN_FRONTEND=noninteractive apt-get install -y -qq gettext >/dev/null; \
		else \
			echo "The translation catalogs need Debian's 'gettext' package."; \
			echo "Install it with: sudo apt-get install gettext"; exit 1; \
		fi; \
	fi

## make messages: collect every translatable string of rostra/ into
## locale/LANG/LC_MESSAGES/django.po and djangojs.po for each language but English
## (keeping existing translations), then compile the .mo files Rostra reads (commit both).
messages: install-dev gettext
	$(VENV)/bin/python -m rostra.core.catalogs

# Debian's nginx and Caddy, for the tests of the deployment kit in deploy/.
proxies:
	@if [ ! -x $(NGINX) ] || [ ! -x $(CADDY) ]; then \
		if [ "$$(id -u)" = "0" ]; then \
			echo "Installing Debian's nginx and caddy for the deployment kit's tests…"; \
			DEBIAN_FRONTEND=noninteractive apt-get update -qq && \
			DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx caddy >/dev/null; \
		else \
			echo "The deployment kit's tests need Debian's 'nginx' and 'caddy' packages."; \
			echo "Install them with: sudo apt-get install nginx caddy"; exit 1; \
		fi; \
	fi

# axe-core and Lighthouse from npm (package-lock.json), for the accessibility journey and
# `make audit`.
node_modules/.installed: package.json package-lock.json
	@if ! command -v npm >/dev/null 2>&1; then \
		if [ "$$(id -u)" = "0" ]; then \
			echo "Installing Debian's nodejs and npm for the accessibility audit…"; \
			DEBIAN_FRONTEND=noninteractive apt-get update -qq && \
			DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm >/dev/null; \
		else \
			echo "The accessibility audit needs Debian's 'nodejs' and 'npm' packages."; \
			echo "Install them with: sudo apt-get install nodejs npm"; exit 1; \
		fi; \
	fi
	npm ci --no-audit --no-fund --silent
	@touch $@

node-tools: node_modules/.installed

## make audit: axe-core (light and dark) and Lighthouse (mobile) on a demo newsroom served
## on 127.0.0.1, with Debian's Chromium; prints the figures, fails below the targets.
audit: install-dev chromium node-tools
	$(VENV)/bin/python -m audit.run

lint: install-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports

format: install-dev
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

## make test: lint, then the whole suite on SQLite, then again on PostgreSQL when
## ROSTRA_TEST_POSTGRES_URL points at a server (`.ci/run` starts one).
test: install-dev chromium proxies redis-server node-tools gettext lint test-sqlite test-postgres

test-sqlite: install-dev
	env -u DATABASE_URL $(VENV)/bin/pytest -n 2 --dist loadgroup --durations=30

test-postgres: install-dev
	@if [ -n "$$ROSTRA_TEST_POSTGRES_URL" ]; then \
		echo "Running the suite again on PostgreSQL…"; \
		DATABASE_URL="$$ROSTRA_TEST_POSTGRES_URL" $(VENV)/bin/pytest -n 2 --dist loadgroup --durations=30; \
	else \
		echo "ROSTRA_TEST_POSTGRES_URL is not set: skipping the PostgreSQL pass (see README)."; \
	fi

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache test-artifacts

## make bench: measure the discussion against a real `rostra serve` on 127.0.0.1 (issue #14's
## targets; `make bench BENCH_ARGS=--strict` fails on a miss), live updates, a 10,000-post WXR import,
## the spam filter on ../shared/fixtures/spam/SMSSpamCollection.tsv (issue #16; SPAM_CORPUS=FILE).
bench: install-dev
	$(VENV)/bin/python bench/discussion.py $(BENCH_ARGS)
	$(VENV)/bin/python bench/live.py
	$(VENV)/bin/python bench/importer.py
	$(VENV)/bin/python bench/spamfilter.py
