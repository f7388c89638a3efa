# akhbar: two commands set everything up on a fresh machine.
#   make demo   build, migrate, load content, print an admin login, serve http://127.0.0.1:8000
#   make test   the whole test suite (SQLite by default; set DATABASE_URL for PostgreSQL)
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
CORPUS ?= ../shared/data/arabic-news
ARTICLES ?= 2000
HOST ?= 127.0.0.1:8000
export AKHBAR_DATA_DIR ?= $(CURDIR)/var
export AKHBAR_BASE_URL ?= http://$(HOST)

.PHONY: demo test install browser-deps serve clean help

help:  ## list targets
	@grep -E '^[a-z-]+:.*##' $(MAKEFILE_LIST) | sed 's/:.*## /\t/'

$(BIN)/python:
	@command -v $(PYTHON) >/dev/null || { echo "Python 3.11 is required ($(PYTHON) not found)"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --upgrade --quiet pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

install: $(VENV)/.installed  ## create .venv and install akhbar with its test tools

browser-deps:  ## Debian's chromium for the browser tests (never a downloaded browser)
	@command -v chromium >/dev/null || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-core >/dev/null; \
	  else echo "Browser tests need Debian's chromium: sudo apt-get install chromium"; fi; }

demo: install  ## migrate, load demo + corpus content, print admin login, serve
	$(BIN)/akhbar migrate --noinput -v0
	$(BIN)/akhbar collectstatic --noinput -v0
	$(BIN)/akhbar load-demo
	$(BIN)/akhbar load-demo-comments
	@if [ -d "$(CORPUS)" ]; then \
	  if [ "$(ARTICLES)" = all ]; then $(BIN)/akhbar load-corpus "$(CORPUS)"; \
	  else $(BIN)/akhbar load-corpus "$(CORPUS)" --limit $(ARTICLES); fi; \
	else echo "corpus not found at $(CORPUS): serving the demo stories only"; fi
	$(BIN)/akhbar ensure-admin
	@echo "serving http://$(HOST)/  (Ctrl-C to stop)"
	$(BIN)/akhbar runserver --noreload $(HOST)

test: install browser-deps  ## run the whole suite
	$(BIN)/python -m pytest $(PYTEST_ARGS)

clean:  ## remove the local database, media and virtualenv
	rm -rf var $(VENV)
