# Flightline: `make run` starts the demo, `make test` runs every test. Both install first.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORTAL_PORT ?= 8000
SIM_PORT ?= 8001

.PHONY: install lint-imports mutate run test test-portal test-sim sim serve check-deploy bench bench-sim bench-load clean

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

install: $(VENV)/.installed

# The portal and the simulator find each other on HOST, PORTAL_PORT and SIM_PORT.
DEMO_ENV := DEBUG=true PUBLIC_BASE_URL=http://$(HOST):$(PORTAL_PORT) WIFLIGHT_DEMO_URL=http://$(HOST):$(SIM_PORT) \
	WIFLIGHT_SIM_BASE_URL=http://$(HOST):$(SIM_PORT) \
	WIFLIGHT_SIM_DEMO_NOTIFY_URL=http://$(HOST):$(PORTAL_PORT)/wiflight/notify/demo/ \
	OPENID_TRUSTED_REALMS=https://www.wi-flight.net/,http://$(HOST):$(SIM_PORT)/ \
	OUTBOUND_ALLOWED_NETWORKS=127.0.0.0/8

run: install
	$(DEMO_ENV) $(BIN)/python manage.py check_history
	$(DEMO_ENV) $(BIN)/python manage.py migrate --noinput
	$(DEMO_ENV) $(BIN)/python manage.py seed_demo
	$(DEMO_ENV) $(BIN)/python -m wiflight_sim migrate --noinput -v 0
	$(DEMO_ENV) $(BIN)/python -m wiflight_sim seed_demo
	$(DEMO_ENV) $(BIN)/python manage.py rundemo --host $(HOST) --port $(PORTAL_PORT) --sim-port $(SIM_PORT)

test: install lint-imports test-portal test-sim

# The layering contract (pyproject.toml [tool.importlinter]): domain apps never import an
# integration, the OpenID provider and the simulator stand alone.
lint-imports: install
	$(BIN)/lint-imports

# Mutation testing of the rules: policies, booking and dispatch services, the sync. Slow (not
# part of CI); prints the surviving mutants and the score.
mutate: install
	$(BIN)/python -m pip install --quiet 'mutmut>=3.3'
	rm -rf mutants
	FLIGHTLINE_VAR_DIR=$(CURDIR)/var/mutmut $(BIN)/mutmut run --max-children 2 || true
	$(BIN)/mutmut results
	$(BIN)/mutmut export-cicd-stats
	$(BIN)/python -c "import json; s = json.load(open('mutants/mutmut-cicd-stats.json')); t = s['total'] - s['skipped']; print(f\"mutation score: {s['killed'] + s['timeout']}/{t} killed ({100 * (s['killed'] + s['timeout']) / max(t, 1):.1f} %), {s['survived']} survived\")"

test-portal:
	$(BIN)/python -m pytest

# The simulator has its own settings and database; its tests run in their own session.
test-sim:
	$(BIN)/python -m pytest wiflight_sim/tests --ds=wiflight_sim.settings -p no:cacheprovider

# The Wi-Flight simulator alone, on SIM_PORT with the demo's database and settings: after
# stopping the one `make run` started (an outage), this brings Wi-Flight back.
sim: install
	$(DEMO_ENV) $(BIN)/python -m wiflight_sim migrate --noinput -v 0
	$(DEMO_ENV) $(BIN)/python -m wiflight_sim seed_demo
	$(DEMO_ENV) $(BIN)/python -m wiflight_sim serve --host $(HOST) --port $(SIM_PORT)

# Production-style serving: gunicorn, whitenoise for static files, DEBUG off.
# Needs SECRET_KEY, ALLOWED_HOSTS and PUBLIC_BASE_URL in the environment (see README.md).
serve: install
	$(BIN)/python manage.py collectstatic --noinput
	$(BIN)/python manage.py check_history
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/gunicorn portal.wsgi:application --bind $(HOST):$(PORTAL_PORT) --workers $${WEB_CONCURRENCY:-3}

check-deploy: install
	$(BIN)/python manage.py check --deploy --fail-level WARNING

# Benchmarks print tables (ratios against a baseline measured in the same run). board.py and
# sync.py use PostgreSQL and Redis (DATABASE_URL / CELERY_BROKER_URL, or their own defaults);
# api.py uses a fresh PostgreSQL database when DATABASE_URL names one, else SQLite.
# load.py: locust (the `bench` extra) against gunicorn, Celery, PostgreSQL, Redis and the
# simulator failing 10 %; it checks the end state and exits non-zero when a check fails.
bench: install
	$(BIN)/python -m pip install --quiet -e '.[dev,bench]'
	$(BIN)/python bench/sim.py
	$(BIN)/python bench/notify.py
	$(BIN)/python bench/board.py
	$(BIN)/python bench/sync.py
	$(BIN)/python bench/api.py
	$(BIN)/python bench/load.py

bench-sim: install
	$(BIN)/python bench/sim.py

bench-load: install
	$(BIN)/python -m pip install --quiet -e '.[dev,bench]'
	$(BIN)/python bench/load.py

clean:
	rm -rf $(VENV) var

# Re-create static/vendor/ (Leaflet, axe-core) from the npm registry, byte for byte, checking
# the tarball's sha512 and each file's sha256 against static/vendor/manifest.json.
.PHONY: vendor screenshots
vendor:
	$(PYTHON) scripts/vendor_npm.py

# Render the README's pictures (docs/pictures/*.png) from a throwaway demo through chromium.
screenshots: install
	$(BIN)/python scripts/screenshots.py
