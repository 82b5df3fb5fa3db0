# Run `make help` for the list of targets.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py
PORT ?= 8000
PYTEST_WORKERS ?= auto
BENCH_SCALE ?= 10000
VNU_VERSION := 26.9.27
VNU_DIR := var/vnu

.DEFAULT_GOAL := help
.PHONY: help install run serve edge test lint format messages translations lock clean bench bench-edge loadtest vnu

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
	@# Links in the emails and messages the admin sends point at the port this server runs on.
	WAGTAILADMIN_BASE_URL="$${WAGTAILADMIN_BASE_URL:-http://light.localhost:$(PORT)}" \
	  bash -c '$(MANAGE) ensure_dev_admin && exec $(MANAGE) runserver 127.0.0.1:$(PORT)'

serve: messages ## Production-like: gunicorn (config/gunicorn.py), production settings, 127.0.0.1:$(PORT), plain HTTP
	@mkdir -p var && test -s var/secret_key || $(BIN)/python -c "import secrets; print(secrets.token_urlsafe(64))" > var/secret_key
	DJANGO_SETTINGS_MODULE=config.settings.production SECRET_KEY="$$(cat var/secret_key)" \
	  ALLOWED_HOSTS="$${ALLOWED_HOSTS:-light.localhost,life.localhost,localhost,127.0.0.1}" \
	  SECURE_SSL_REDIRECT=false SECURE_COOKIES=false SECURE_HSTS_SECONDS=0 \
	  bash -c '$(MANAGE) migrate --noinput && $(MANAGE) collectstatic --noinput -v0 && \
	    PORT=$(PORT) exec $(BIN)/gunicorn --config config/gunicorn.py'

edge: messages ## Varnish on 127.0.0.1:$(PORT) before two app servers (PostgreSQL, Redis): docs/operations.md
	$(BIN)/python config/edge/run.py --port $(PORT)

bench: install ## Benchmark each page type on PostgreSQL + Redis (demo, then BENCH_SCALE=10000 content)
	$(BIN)/python -m tests.bench.bench --scale $(BENCH_SCALE)

bench-edge: messages ## A warm page through Varnish vs the app in one run: 5x, p99 < 20 ms, 0 errors
	$(BIN)/python -m tests.bench.edge

loadtest: install ## 50 connections for 60 s against make serve while an editor publishes
	$(BIN)/python -m tests.bench.loadtest

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
	@# Without npm, Java or the network the HTML validity test skips (and fails in CI).
	@if command -v npm >/dev/null && command -v java >/dev/null; then \
	  $(MAKE) --no-print-directory vnu || echo "Could not fetch vnu.jar"; fi
	DJANGO_SETTINGS_MODULE=config.settings.test $(MANAGE) check
	$(BIN)/pytest -n $(PYTEST_WORKERS) -m "not browser"
	$(BIN)/pytest -m browser

vnu: $(VNU_DIR)/vnu.jar ## Fetch the pinned Nu Html Checker (vnu.jar, needs npm) for the HTML validity test

# The stamp names the pinned version, so changing VNU_VERSION fetches the jar again. The jar
# is written under another name first, so an interrupted download never looks complete.
$(VNU_DIR)/vnu.jar: $(VNU_DIR)/version-$(VNU_VERSION)
	@command -v npm >/dev/null || { echo "make vnu needs npm (apt-get install -y npm)"; exit 1; }
	npm pack --silent --pack-destination $(VNU_DIR) vnu-jar@$(VNU_VERSION) >/dev/null
	tar -xzOf $(VNU_DIR)/vnu-jar-$(VNU_VERSION).tgz package/build/dist/vnu.jar > $@.part
	rm $(VNU_DIR)/vnu-jar-$(VNU_VERSION).tgz && mv $@.part $@

$(VNU_DIR)/version-$(VNU_VERSION):
	rm -rf $(VNU_DIR) && mkdir -p $(VNU_DIR) && touch $@

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
