# 衢州市生态环境数据仓库 — the two commands a new user needs: `make demo` and `make test`.
SHELL := /bin/bash
STATE := .ecowarehouse
PYTHON ?= python3
# use uv from PATH; otherwise bootstrap it with pip into the (gitignored) state folder
UV_BOOTSTRAP := $(CURDIR)/$(STATE)/tools/bin/uv
UV := $(shell command -v uv 2>/dev/null || echo $(UV_BOOTSTRAP))
export UV_PYTHON_DOWNLOADS := never
export GX_ANALYTICS_ENABLED := False
export DBT_SEND_ANONYMOUS_USAGE_STATS := False
export AIRFLOW__COSMOS__ENABLE_TELEMETRY := False
export DO_NOT_TRACK := 1

DOCS_PORT ?= 8080

.PHONY: install demo test bench docs clean db-stop help

help:
	@echo "make demo   — install, start the embedded PostgreSQL, generate demo data, run monthly_assessment"
	@echo "make test   — install and run the test suite"
	@echo "make docs   — dbt docs of the project and the published marts on http://127.0.0.1:$(DOCS_PORT) (DOCS_PORT=…)"
	@echo "make clean  — stop the embedded PostgreSQL and delete all local state"

$(UV_BOOTSTRAP):
	@mkdir -p $(STATE)/tools
	$(PYTHON) -m pip install --quiet --disable-pip-version-check --target $(STATE)/tools uv

# `uv sync` only when the lock changed: a second `make demo` reinstalls nothing
.venv/.synced: uv.lock pyproject.toml | $(UV)
	$(UV) sync --frozen
	@touch $@

install: .venv/.synced
	@$(UV) run --frozen --no-sync python -c "from ecowarehouse import airflow_runner; airflow_runner.ensure_manifest()"

demo: install
	$(UV) run --frozen --no-sync ecowarehouse demo

test: install
	$(UV) run --frozen --no-sync pytest

# the catalog is read from the warehouse: the embedded server is started if needed (run `make demo` first for marts)
docs: install
	$(UV) run --frozen --no-sync ecowarehouse docs --port $(DOCS_PORT)

clean:
	-@[ -x .venv/bin/python ] && [ -z "$$DATABASE_URL" ] && .venv/bin/python -m ecowarehouse.cli db stop || true
	rm -rf $(STATE) dbt_project/target dbt_project/logs logs .pytest_cache

db-stop:
	$(UV) run --frozen --no-sync ecowarehouse db stop

bench: install
	$(UV) run --frozen --no-sync python bench/ingest_vs_copy.py
	$(UV) run --frozen --no-sync python bench/hj212_parse.py
	$(UV) run --frozen --no-sync python bench/incremental_vs_full.py
	$(UV) run --frozen --no-sync python bench/analyst_queries.py
