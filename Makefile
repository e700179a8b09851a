# The two commands a newcomer needs are `make run` and `make test`; everything they need
# (the virtual environment, the packages, the database) is built on the way, once.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# A copy of the requirements that were last installed: make reinstalls only when
# requirements.txt is newer than it, so a second `make run` starts at once.
INSTALLED := $(VENV)/.installed-requirements.txt

HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install run test e2e bench lint format messages

install: $(INSTALLED)

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(INSTALLED): requirements.txt | $(BIN)/python
	$(BIN)/python -m pip install --disable-pip-version-check --quiet --upgrade pip
	$(BIN)/python -m pip install --disable-pip-version-check --quiet -r requirements.txt
	cp requirements.txt $(INSTALLED)

run: install
	$(BIN)/python manage.py migrate --no-input
	$(BIN)/python manage.py seed_demo
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

test: install
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# Browser tests: Playwright drives Debian's Chromium (/usr/bin/chromium); no browser download.
e2e: install
	PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 $(BIN)/python -m pytest tests/e2e $(PYTEST_ARGS)

# Load and size benchmarks on a production-settings gunicorn (bench/README.md); the JSON
# line is the last line of stdout and bench/results/latest.json.
bench: install
	$(BIN)/python -m bench.run $(BENCH_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# Regenerate the translation catalogues after changing UI text, then fill locale/en.
messages: install
	$(BIN)/python manage.py makemessages --locale en --ignore ".venv/*"
	$(BIN)/python manage.py compilemessages --ignore ".venv/*"
