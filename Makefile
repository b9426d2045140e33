# Common Ground: `make demo` runs the product with a demo community; `make test` runs the whole suite.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV ?= .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed
ASSETS := commonground/static/vendor/.vendored
# The translations: .po files are the source (committed), .mo files are built here (git-ignored).
CATALOGUES := $(patsubst %.po,%.mo,$(wildcard commonground/locale/*/LC_MESSAGES/*.po))
PORT ?= 8000
# `make test` runs the test files on this many processes (pytest-xdist; `auto` is one per core, 0 is none).
TEST_WORKERS ?= auto

.PHONY: demo test test-postgres lint bench fuzz load load-cluster assets messages install clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(INSTALLED): $(BIN)/python pyproject.toml
	$(BIN)/pip install --quiet -e ".[test]"
	touch $@

install: $(INSTALLED) $(ASSETS) $(CATALOGUES)

$(CATALOGUES): %.mo: %.po $(INSTALLED)
	@command -v msgfmt >/dev/null || { echo "make install: GNU gettext's msgfmt is missing; it compiles the translations (apt-get install gettext)"; exit 1; }
	cd commonground && $(abspath $(BIN))/commonground compilemessages --ignore 'static/*'
	touch $(CATALOGUES)

# Refresh the catalogues from the code after changing its text; translators then fill in the new msgstr "".
# django.po holds the templates' and Python's words, djangojs.po the project's scripts' (served by /jsi18n/).
messages: install
	cd commonground && $(abspath $(BIN))/commonground makemessages --all --add-location file --ignore 'static/*' --ignore '*/tests/*' --ignore conftest.py
	cd commonground && $(abspath $(BIN))/commonground makemessages --all -d djangojs --add-location file --ignore 'static/vendor/*' --ignore 'node_modules/*' --ignore '*/tests/*'

$(ASSETS): package.json package-lock.json scripts/vendor_assets.py
	npm ci --no-audit --no-fund --loglevel=error
	$(PYTHON) scripts/vendor_assets.py
	touch $@

assets: $(ASSETS)

demo: install
	$(BIN)/commonground demo --port $(PORT)

test: install
	$(BIN)/pytest -n $(TEST_WORKERS) --dist loadfile $(PYTEST_ARGS)

test-postgres: install
	DATABASE_URL=$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/commonground} $(BIN)/pytest

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

fuzz: install
	$(BIN)/python -m e2e.fuzz --max-examples $${FUZZ_EXAMPLES:-25} --max-time $${FUZZ_SECONDS:-300}

load: install
	$(BIN)/python -m e2e.load --users $${LOAD_USERS:-50} --seconds $${LOAD_SECONDS:-60} --database $${LOAD_DATABASE:-both}

# Two gunicorn servers behind HAProxy (apt-get install haproxy) on one PostgreSQL and one Redis; one is killed
# halfway through the load test: no acknowledged write lost, no lock-out lost or doubled, the other answers.
load-cluster: install
	$(BIN)/python -m e2e.cluster --users $${CLUSTER_USERS:-20} --seconds $${CLUSTER_SECONDS:-40}

bench: install
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) node_modules commonground/static/vendor data $(CATALOGUES)
