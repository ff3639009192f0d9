# dangvu — the two commands of the README, and a few helpers.
#   make demo   set up (first time) and run the Vietnamese web app on the Đắk Nông demo data
#   make test   set up (first time) and run the whole test suite, checks included
# The database is SQLite unless DANGVU_DATABASE_URL is set (e.g. postgresql://postgres@127.0.0.1:5432/dangvu).

PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat requirements.lock pyproject.toml | cksum | cut -d' ' -f1)
PYTEST_ARGS ?= -n 2 --dist loadfile

.PHONY: demo test check pytest setup chromium lock clean

demo: setup
	$(BIN)/dangvu demo

test: setup chromium check pytest

setup: $(STAMP)

$(STAMP): requirements.lock pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --require-hashes -r requirements.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps -e .
	rm -f $(VENV)/.installed-*
	touch $@

chromium:
	@scripts/ensure-chromium
	@scripts/ensure-libreoffice
	@scripts/ensure-axe
	@scripts/ensure-proxy

check:
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy dangvu
	$(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/python manage.py check

pytest:
	$(BIN)/pytest $(PYTEST_ARGS)

lock:
	$(BIN)/python -m pip install --quiet uv
	$(BIN)/uv pip compile pyproject.toml --extra dev --python-version 3.11 --generate-hashes -o requirements.lock

clean:
	rm -rf $(VENV) .dangvu .mypy_cache .ruff_cache
