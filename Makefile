# Programme Pulse: `make up` runs the platform, `make test` runs the whole suite. See README.md.
SHELL := /bin/bash
UV_VERSION := 0.13.9
TOOLS := .tools
UV := $(TOOLS)/bin/uv
VENV := .venv
DOOR_WEB := services/gateway/web

.PHONY: up down status keys demo report report-tools test lint browser door bench clean client

$(UV):
	@echo "Installing uv $(UV_VERSION) into $(TOOLS)/ (first run only)..."
	@python3 -m venv $(TOOLS) && $(TOOLS)/bin/pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)

# Bytecode compiled at install, as in the Dockerfile: where PYTHONDONTWRITEBYTECODE is set, every process
# start would otherwise compile its imports again (~1.2 s of CPU per service start here).
$(VENV)/.synced: $(UV) uv.lock pyproject.toml Makefile
	@echo "Syncing the virtual environment from uv.lock..."
	@UV_PYTHON=python3.11 $(UV) sync --frozen --quiet --compile-bytecode
	@touch $@

up: $(VENV)/.synced door  ## Install what is missing, start Kafka, FerretDB and the four services, print the URL
	@$(VENV)/bin/pulse-local up

down:  ## Stop the services and the local infrastructure (data is kept)
	@$(VENV)/bin/pulse-local down

demo: up  ## Bring the platform up if needed, load the RESILIENCE demo programme, print the dashboard URL
	@$(VENV)/bin/pulse-demo --admin-key-file .pulse/dev/admin-key

report: $(VENV)/.synced  ## After make demo: write the funder's report, programme-report.pdf (public figures)
	@$(VENV)/bin/pulse-demo --admin-key-file .pulse/dev/admin-key --report programme-report.pdf

report-tools:  # Debian's poppler-utils: the PDF report's test renders it (pdftoppm) and reads it (pdftotext)
	@command -v pdftoppm >/dev/null && command -v pdftotext >/dev/null || { echo "Installing Debian's poppler-utils for the report test..."; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq poppler-utils >/dev/null; }

keys: $(VENV)/.synced  ## Print fresh secrets for docker compose: make keys > .env
	@$(VENV)/bin/pulse-local keys

status:
	@$(VENV)/bin/pulse-local status

lint: $(VENV)/.synced
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy

# The public OpenAPI document and the Python client generated from it; tests/contract checks both are current.
client: $(VENV)/.synced  ## Rebuild docs/openapi.json and regenerate clients/python (pulse-client) from it
	$(VENV)/bin/python clients/openapi_document.py > docs/openapi.json
	PATH="$(CURDIR)/$(VENV)/bin:$$PATH" $(VENV)/bin/openapi-python-client generate --path docs/openapi.json \
	  --meta none --output-path clients/python/src/pulse_client --overwrite --config clients/python/generator.yaml

browser:  # Debian's Chromium for the dashboard's browser test; Playwright drives it, no browser download
	@command -v chromium >/dev/null || { echo "Installing Debian's chromium for the browser test..."; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }

# Two pytest-xdist workers, a test file each at a time (a module's fixtures stay in one process), sharing one
# Kafka and one FerretDB: most of a test's time is waiting for processes and brokers, not CPU.
test: lint browser report-tools door  ## Lint, type-check and run the whole suite against real Kafka and MongoDB-wire servers
	$(VENV)/bin/pytest -n 2 --dist loadfile

# The door app's QR reader and writer (zxing-wasm) from the npm registry, exactly as package-lock.json locks
# them; the gateway serves their built files from $(DOOR_WEB)/node_modules (README: The door app).
door: $(DOOR_WEB)/node_modules/.package-lock.json

$(DOOR_WEB)/node_modules/.package-lock.json: $(DOOR_WEB)/package.json $(DOOR_WEB)/package-lock.json
	@command -v npm >/dev/null || { echo "Installing Debian's npm for the door app's QR reader..."; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq npm >/dev/null; }
	@echo "Installing the door app's QR reader (npm ci in $(DOOR_WEB))..."
	@cd $(DOOR_WEB) && npm ci --no-audit --no-fund --ignore-scripts --loglevel=error

bench: $(VENV)/.synced  ## Start a private platform and run the benchmarks beside their floors (bench/run_all.py)
	$(VENV)/bin/python bench/run_all.py $(BENCH_ARGS)

clean:
	rm -rf .pulse $(VENV) $(TOOLS) $(DOOR_WEB)/node_modules
