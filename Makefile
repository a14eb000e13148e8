# innolab: the two commands a newcomer needs are `make run` and `make test`.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000

.PHONY: run test lint format seed migrate clean var bench security drills

# Re-install when a requirements file changes; create the venv when missing.
$(BIN)/python:
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "Python 3.11 is required ($(PYTHON) not found)."; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed-run: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	@touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements-dev.txt
	@touch $@ $(VENV)/.installed-run

var:
	@mkdir -p var

# The Nu HTML Checker (npm's vnu-jar; runs on Java) validates every page the browser
# journeys visit. Without npm (or Java) those checks skip and say why.
VNU_JAR := var/vnu/node_modules/vnu-jar/build/dist/vnu.jar
$(VNU_JAR): | var
	@command -v npm >/dev/null 2>&1 \
	  && npm install --silent --no-audit --no-fund --prefix var/vnu vnu-jar@26.9.27 \
	  || echo "npm not found: HTML validation will be skipped"

migrate: $(VENV)/.installed-run var
	$(BIN)/python -m innolab.ensure_database
	DEBUG=$${DEBUG:-1} $(BIN)/python manage.py migrate --noinput

seed: migrate
	DEBUG=$${DEBUG:-1} $(BIN)/python manage.py seed_demo

## run: install, migrate, load demo data, start web + worker + beat (Ctrl-C stops all)
run: seed
	@echo ""
	@echo "  innolab is starting at http://127.0.0.1:$(PORT)/"
	@echo "  Demo logins (password: $${DEMO_PASSWORD:-innolab-demo}):"
	@echo "    staff@demo.innolab.test   lab staff (also reaches /admin/)"
	@echo "    alumna@demo.innolab.test  alumna"
	@echo "    member@demo.innolab.test  member"
	@echo "  Database: $${DATABASE_URL:-SQLite file var/innolab.sqlite3}   Broker: $${REDIS_URL:-filesystem under var/broker}"
	@echo "  E-mails are printed by the worker. Ctrl-C stops web, worker and beat."
	@echo ""
	DEBUG=$${DEBUG:-1} PATH="$(CURDIR)/$(BIN):$$PATH" $(BIN)/honcho -f Procfile.dev start -p $(PORT)

## test: install, lint, check the house's layers (pyproject.toml), run the whole suite
test: $(VENV)/.installed-dev var $(VNU_JAR)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-cache
	$(MAKE) --no-print-directory security
	$(BIN)/python -m pytest $(PYTEST_ARGS)

## security: static checks: bandit on the deployed code (each exception has a `# nosec`
## with its reason beside it), no model change without its migration, and the migration
## linter on every migration not in .ci/migration-baseline.txt (it reads sqlmigrate's SQL,
## so the database must exist; an empty one will do)
security: $(VENV)/.installed-dev var
	$(BIN)/bandit -ll -q -r community learning toolkits innolab -x '*/migrations/*' 2>/dev/null
	$(BIN)/python -m innolab.ensure_database
	DEBUG=1 $(BIN)/python manage.py makemigrations --check --dry-run
	DEBUG=1 $(BIN)/python -m innolab.lint_migrations

## drills: rehearsals with real processes against PostgreSQL (tests/drills/), with their output
drills: $(VENV)/.installed-dev var
	@test -n "$$DATABASE_URL" || { echo "make drills needs DATABASE_URL (PostgreSQL)"; exit 1; }
	$(BIN)/python -m pytest tests/drills -m drill -s -p no:cacheprovider -o addopts=-ra

## bench: our pages against references on PostgreSQL, not part of test (bench/README.md)
bench: $(VENV)/.installed-dev var
	@command -v wrk >/dev/null 2>&1 || { echo "make bench needs wrk: apt-get install -y wrk"; exit 1; }
	$(BIN)/python bench/run.py

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-cache

format: $(VENV)/.installed-dev
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

clean:
	rm -rf var
