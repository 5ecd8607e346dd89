# Two commands for a new user (see README): `make run` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PORT   ?= 8000
# The thesis is not part of the project; its footnotes are ingested when it is beside us.
THESIS ?= ../shared/seed/thesis.txt
# Settings fail closed (DEBUG off, a secret key required). Local use turns debugging on
# unless the environment says otherwise; `make serve` never does.
LOCAL  := DJANGO_DEBUG=$${DJANGO_DEBUG:-1}
# The migration check needs settings but no secret: the test settings give one.
TESTENV := DJANGO_SETTINGS_MODULE=archive_corpus.settings_test

.PHONY: install load run serve test test-sqlite test-postgres lint browser-deps clean

$(BIN)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test]"
	touch $@

install: $(BIN)/.installed

## Set up the database (SQLite unless DATABASE_URL says otherwise) and load the corpus.
load: install
	$(LOCAL) $(BIN)/python manage.py migrate --noinput
	$(LOCAL) $(BIN)/python manage.py load_archives
	$(LOCAL) $(BIN)/python manage.py import_protocols --commit fixtures/corpus/*.yaml
	$(LOCAL) $(BIN)/python manage.py reindex
	@if [ -f "$(THESIS)" ]; then $(LOCAL) $(BIN)/python manage.py ingest_thesis "$(THESIS)"; \
	else echo "($(THESIS) not found: footnote ingestion skipped)"; fi
	$(LOCAL) $(BIN)/python manage.py check_corpus

## Everything, then serve the site on http://127.0.0.1:$(PORT)/
run: load
	$(LOCAL) $(BIN)/python manage.py collectstatic --noinput --verbosity 0
	$(LOCAL) $(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

## The production server: gunicorn (gunicorn.conf.py), never debugging. Needs at least
## DJANGO_SECRET_KEY and DJANGO_ALLOWED_HOSTS (see README, "Production server").
serve: install
	DJANGO_DEBUG=0 $(BIN)/python manage.py migrate --noinput
	DJANGO_DEBUG=0 $(BIN)/python manage.py collectstatic --noinput --verbosity 0
	DJANGO_DEBUG=0 PORT=$(PORT) $(BIN)/gunicorn --config gunicorn.conf.py

## Debian's Chromium and its driver for the browser tests (installed only when root).
browser-deps:
	@if ! command -v chromedriver >/dev/null 2>&1; then \
	  if [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver; \
	  else echo "chromium/chromedriver missing and not root: browser tests will be skipped"; fi; \
	fi

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

## The whole suite on SQLite, and on PostgreSQL too when DATABASE_URL names one.
test: install browser-deps lint
	$(TESTENV) $(BIN)/python manage.py makemigrations --check --dry-run --verbosity 0
	$(MAKE) test-sqlite
	@if [ -n "$$DATABASE_URL" ]; then $(MAKE) test-postgres; \
	else echo "DATABASE_URL not set: PostgreSQL run skipped"; fi

test-sqlite: install
	env -u DATABASE_URL $(BIN)/python -m pytest

test-postgres: install
	$(BIN)/python -m pytest

clean:
	rm -rf $(VENV) *.egg-info staticfiles db.sqlite3 .pytest_cache .ruff_cache
