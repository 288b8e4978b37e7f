# Flightline: `make run` starts the demo, `make test` runs every test. Both install first.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORTAL_PORT ?= 8000
SIM_PORT ?= 8001

.PHONY: install run test test-portal test-sim serve check-deploy bench clean

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

install: $(VENV)/.installed

run: install
	DEBUG=true $(BIN)/python manage.py migrate --noinput
	DEBUG=true $(BIN)/python manage.py seed_demo
	DEBUG=true $(BIN)/python manage.py rundemo --host $(HOST) --port $(PORTAL_PORT) --sim-port $(SIM_PORT)

test: install test-portal

test-portal:
	$(BIN)/python -m pytest

# Production-style serving: gunicorn, whitenoise for static files, DEBUG off.
# Needs SECRET_KEY, ALLOWED_HOSTS and PUBLIC_BASE_URL in the environment (see README.md).
serve: install
	$(BIN)/python manage.py collectstatic --noinput
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/gunicorn portal.wsgi:application --bind $(HOST):$(PORTAL_PORT) --workers $${WEB_CONCURRENCY:-3}

check-deploy: install
	$(BIN)/python manage.py check --deploy --fail-level WARNING

bench: install
	$(BIN)/python bench/board.py

clean:
	rm -rf $(VENV) var
