# sitroom: two commands on a fresh machine — `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DB ?= sitroom.db
HOST ?= 127.0.0.1
PORT ?= 8000
EXAMPLES := src/sitroom/examples

.PHONY: install run test bench lock browser clean web-assets

WEB := src/sitroom/web
WEB_ASSETS := $(WEB)/node_modules/.package-lock.json

install: $(STAMP) $(WEB_ASSETS)

# Pinned, hash-checked dependencies (requirements.lock), then sitroom itself, editable.
$(STAMP): requirements.lock pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade "pip==25.3"
	$(BIN)/pip install --quiet --require-hashes -r requirements.lock
	$(BIN)/pip install --quiet --no-deps --no-build-isolation -e .
	$(BIN)/python -c "from sitroom.nlp.pipeline import prepare; prepare()"  # builds the place index once, from installed packages
	touch $(STAMP)

# Front-end data for the web UI from npm, pinned by package-lock.json, never committed:
# country shapes for the offline map, the OpenAPI explorer for /docs. No install scripts run.
# Without npm the UI still works: the map has no country shapes and /docs links to /openapi.json.
web-assets: $(WEB_ASSETS)
$(WEB_ASSETS): $(WEB)/package-lock.json
	@command -v npm >/dev/null 2>&1 || (apt-get update -qq && apt-get install -y -qq npm) || \
		echo "npm could not be installed: the map shows no country shapes and /docs links to /openapi.json"
	-command -v npm >/dev/null 2>&1 && cd $(WEB) && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error

# Debian's chromium for the browser tests (skipped with a reason when it is missing).
browser:
	@command -v chromium >/dev/null 2>&1 || (apt-get update -qq && apt-get install -y -qq chromium) || \
		echo "chromium could not be installed: the browser tests will be skipped"

run: install
	$(BIN)/sitroom serve --examples --db sqlite:///$(DB) --host $(HOST) --port $(PORT)

test: install browser
	$(BIN)/python -m pytest -q

bench: install
	$(BIN)/sitroom bench

# Re-pin the whole dependency tree with hashes after editing pyproject.toml.
lock: install
	$(BIN)/pip install --quiet --no-build-isolation -e ".[test]"
	$(BIN)/python tools/make_lock.py

clean:
	rm -rf $(VENV) $(DB) $(DB)-wal $(DB)-shm .pytest_cache
