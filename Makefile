# kehoach — the two commands: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
HOST ?= 127.0.0.1:8000
# Links in e-mails and the address `make run` prints follow the address it serves on.
export KEHOACH_SITE_URL ?= http://$(HOST)

.PHONY: run test test-fast lint format messages compilemessages clean

$(STAMP): pyproject.toml scripts/bootstrap_venv.py
	$(PYTHON) scripts/bootstrap_venv.py $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

compilemessages: $(STAMP)
	$(BIN)/pybabel compile --domain django --directory kehoach/locale --statistics

run: $(STAMP) compilemessages
	$(BIN)/kehoach migrate --noinput
	$(BIN)/kehoach demo
	$(BIN)/kehoach runserver $(HOST)

test: $(STAMP) compilemessages
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/kehoach makemigrations --check --dry-run
	$(BIN)/pytest -n 2 --dist loadgroup

test-fast: $(STAMP)
	$(BIN)/pytest -n 2 -m "not browser"

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# Extract messages (needs GNU gettext's xgettext: apt-get install gettext).
messages: $(STAMP)
	cd kehoach && ../$(BIN)/kehoach makemessages --locale en --no-obsolete --add-location file --ignore "plans/importer/*"
	$(BIN)/python scripts/translate_en.py

clean:
	rm -rf $(VENV) var/test-artifacts
