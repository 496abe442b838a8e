# The two commands of the README: `make run` and `make test`. Everything they need is set up here.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
HOST ?= 127.0.0.1
PORT ?= 8000
# Debian packages: WeasyPrint's libraries and a font with every Vietnamese letter (fonts-liberation2,
# not fonts-liberation), poppler for PDF checks, Chromium for browser tests, gettext for the
# translations, Bootstrap served from our own static files; Node.js (with npm) for Popper
# (Bootstrap's dropdowns) and axe-core.
DEB_PACKAGES := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-liberation2 \
	poppler-utils chromium gettext libjs-bootstrap5 nodejs

.PHONY: run test setup system-deps lint format clean

system-deps:
	@missing=$$(for p in $(DEB_PACKAGES); do dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null \
		| grep -q "install ok installed" || echo $$p; done); \
	if [ -n "$$missing" ]; then \
		if [ "$$(id -u)" = 0 ]; then \
			echo "Installing Debian packages:" $$missing; \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
		else \
			echo "Missing Debian packages (run as root or install them):" $$missing; \
		fi; \
	fi

$(VENV)/.installed: pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install -q --upgrade pip
	$(PIP) install -q -e ".[dev]"
	touch $@

# Popper (served to every page: Bootstrap's dropdowns) and axe-core (injected by the browser tests)
# are pinned in package.json/package-lock.json, from the npm registry, and served from local disk.
node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

setup: system-deps $(VENV)/.installed node_modules/.installed
	$(PY) manage.py compilemessages --ignore=.venv -v 0
	$(PY) manage.py check_fonts

# Every absolute link (certificates' QR codes, verify links, mail links) leads to the address served.
run: export PUBLIC_BASE_URL ?= http://$(HOST):$(PORT)
run: setup
	$(PY) manage.py migrate --noinput -v 0
	$(PY) manage.py seed_demo
	$(PY) manage.py issue_demo_keys
	@echo
	@echo "  Serving on http://$(HOST):$(PORT)/  (Ctrl-C to stop)"
	@echo "  Log in with any login listed above (the README lists them too)."
	@echo
	$(PY) manage.py runserver $(HOST):$(PORT)

test: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports --no-cache
	# The production deploy's static files (hashed, compressed), as the README documents it; the
	# production smoke test (tests/deploy/test_production.py) serves them.
	rm -rf var/test-static && DJANGO_SETTINGS_MODULE=config.settings.production SECRET_KEY=collectstatic-only \
		ALLOWED_HOSTS=localhost SIGNING_KEY_PASSPHRASE=unused PUBLIC_BASE_URL=https://localhost \
		STATIC_ROOT=$(CURDIR)/var/test-static $(PY) manage.py collectstatic --noinput -v 0
	TEST_PRODUCTION_STATIC_ROOT=$(CURDIR)/var/test-static $(VENV)/bin/pytest -n 2 --dist loadgroup
	PYTEST=$(VENV)/bin/pytest tests/run_calendar.sh

lint:
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports --no-cache

format:
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

clean:
	rm -rf $(VENV) db.sqlite3* media var staticfiles
