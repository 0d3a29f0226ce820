"""`make docs` / `ecowarehouse docs`: dbt docs of the project (Chinese descriptions of every model, seed and column, the
lineage, and the analysts' example questions of dbt_project/analyses) served on 127.0.0.1.

The catalog (column types, row counts, PostgreSQL comments) is read from the warehouse, so the database must be up: the
embedded server is started as for any other command unless DATABASE_URL is set. The marts are documented where
analysts read them — the published schema `marts` — not in the audit schema they are built in (the dbt variable
`marts_build_schema` is set for the docs only). Docs go to their own target folder under the state directory, so the
manifest cosmos renders the DAG from (dbt_project/target/) is never touched.
"""
from __future__ import annotations

import os
import subprocess
from pathlib import Path

from ecowarehouse import settings

DEFAULT_PORT = 8080
DEFAULT_HOST = "127.0.0.1"


def target_dir() -> Path:
    return settings.state_dir() / "dbt-docs"


def _dbt(*args: str, target: Path, schema: str) -> list[str]:
    from ecowarehouse.airflow_dbt import dbt_executable

    return [dbt_executable(), *args, "--profiles-dir", str(settings.DBT_PROJECT_DIR), "--target-path", str(target),
            "--vars", f"{{marts_build_schema: {schema}}}"]


def generate(target: Path | None = None, schema: str = "marts", select: list[str] | None = None) -> Path:
    """`dbt docs generate` against the running warehouse; returns the folder holding index.html and catalog.json."""
    target = Path(target or target_dir())
    args = _dbt("docs", "generate", target=target, schema=schema)
    if select:
        args += ["--select", *select]
    subprocess.run(args, cwd=settings.DBT_PROJECT_DIR, check=True, env={**os.environ, **settings.OFFLINE_ENV})
    return target


def serve(target: Path | None = None, port: int = DEFAULT_PORT, host: str = DEFAULT_HOST) -> int:
    """`dbt docs serve` of a generated folder (blocks until interrupted)."""
    target = Path(target or target_dir())
    args = _dbt("docs", "serve", target=target, schema="marts") + ["--port", str(port), "--host", host,
                                                                    "--no-browser"]
    print(f"dbt docs: http://{host}:{port}  (Ctrl-C to stop)", flush=True)
    try:
        return subprocess.run(args, cwd=settings.DBT_PROJECT_DIR, env={**os.environ, **settings.OFFLINE_ENV}).returncode
    except KeyboardInterrupt:
        return 0
