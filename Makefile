# Run `make help` for the list of targets.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py
PORT ?= 8000
PYTEST_WORKERS ?= auto

.DEFAULT_GOAL := help
.PHONY: help install run serve test lint format messages translations lock clean

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-14s %s\n", $$1, $$2}'

$(BIN)/.installed: requirements.txt requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@

install: $(BIN)/.installed ## Install the pinned dependencies into .venv

messages: install ## Compile the translation catalogues (no system gettext needed)
	$(MANAGE) compile_catalogues

run: messages ## Migrate the SQLite database, load the demo content and serve on 127.0.0.1:$(PORT)
	$(MANAGE) migrate --noinput
	$(MANAGE) load_demo_content
	$(MANAGE) ensure_dev_admin
	$(MANAGE) runserver 127.0.0.1:$(PORT)

serve: messages ## Production-like: gunicorn with production settings on 127.0.0.1:$(PORT) (plain HTTP)
	@mkdir -p var && test -s var/secret_key || $(BIN)/python -c "import secrets; print(secrets.token_urlsafe(64))" > var/secret_key
	DJANGO_SETTINGS_MODULE=config.settings.production SECRET_KEY="$$(cat var/secret_key)" \
	  ALLOWED_HOSTS="$${ALLOWED_HOSTS:-light.localhost,life.localhost,localhost,127.0.0.1}" \
	  SECURE_SSL_REDIRECT=false SECURE_COOKIES=false SECURE_HSTS_SECONDS=0 \
	  bash -c '$(MANAGE) migrate --noinput && $(MANAGE) collectstatic --noinput -v0 && \
	    exec $(BIN)/gunicorn config.wsgi --bind 127.0.0.1:$(PORT) \
	      --workers $${WEB_CONCURRENCY:-$$(( $$(nproc) * 2 + 1 ))} --threads 2 --access-logfile -'

lint: install ## ruff, ruff format --check and djlint
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/djlint --check templates
	$(BIN)/djlint --lint templates

format: install ## Format Python and templates in place
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .
	$(BIN)/djlint --reformat templates

test: lint messages ## Lint, then the whole test suite (browser tests included)
	DJANGO_SETTINGS_MODULE=config.settings.test $(MANAGE) check
	$(BIN)/pytest -n $(PYTEST_WORKERS) -m "not browser"
	$(BIN)/pytest -m browser

translations: install ## Extract translatable strings into locale/*/LC_MESSAGES/django.po (needs gettext)
	$(MANAGE) makemessages -l vi -l en --no-location --ignore=.venv --ignore=var
	$(MANAGE) compile_catalogues

lock: ## Re-resolve and pin the dependencies from pyproject.toml
	rm -rf var/lock && $(PYTHON) -m venv var/lock
	var/lock/bin/pip install --quiet --upgrade pip
	var/lock/bin/pip install --quiet .
	(echo "# Runtime dependencies, pinned. Regenerate with 'make lock'."; var/lock/bin/pip freeze --exclude ngo-sites) > requirements.txt
	var/lock/bin/pip install --quiet ".[dev]"
	(echo "# Development and test dependencies, pinned. Regenerate with 'make lock'."; echo "-r requirements.txt"; \
	  var/lock/bin/pip freeze --exclude ngo-sites | sort | comm -13 <(grep -v '^#' requirements.txt | sort) -) > requirements-dev.txt

clean: ## Remove the virtualenv and local data (database, media, static)
	rm -rf $(VENV) var
