"""Test environment: an embedded PostgreSQL of its own, Airflow metadata in SQLite, all under a temporary state folder,
so tests never touch the demo's data. Tests drop and recreate schemas: they never use DATABASE_URL; set
TEST_DATABASE_URL (a database you can lose) to run them against an existing server instead."""
from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest

_STATE = Path(tempfile.mkdtemp(prefix="ecowarehouse-test-"))
os.environ.pop("DATABASE_URL", None)
if os.environ.get("TEST_DATABASE_URL"):
    os.environ["DATABASE_URL"] = os.environ["TEST_DATABASE_URL"]
os.environ["ECOWAREHOUSE_STATE_DIR"] = str(_STATE)
os.environ["AIRFLOW_HOME"] = str(_STATE / "airflow")
from ecowarehouse import settings as _settings  # noqa: E402  (light: no airflow, no database)

os.environ.update(_settings.airflow_env())  # before any test imports airflow, which reads its config once


@pytest.fixture(scope="session")
def warehouse():
    """Start the test server (or use DATABASE_URL), migrate, and set every process variable a run needs."""
    from ecowarehouse import db, embedded_db, settings

    started_here = not os.environ.get("DATABASE_URL")
    params = settings.db_params()
    settings.apply_runtime_env(params)
    db.migrate()
    yield params
    if started_here:
        embedded_db.stop()
        shutil.rmtree(_STATE, ignore_errors=True)


def reset_warehouse(warehouse):
    """Empty every project schema and the landing folder so that a test starts from a new warehouse."""
    import psycopg

    with psycopg.connect(warehouse.url(), autocommit=True) as conn:
        for schema in ("marts", "marts_previous", "marts_audit", "staging", "intermediate", "snapshots", "ref", "raw", "quarantine",
                       "ops"):
            conn.execute(f'drop schema if exists "{schema}" cascade')
    from ecowarehouse import db

    db.migrate()
    landing = Path(os.environ["ECOWAREHOUSE_STATE_DIR"]) / "landing"
    shutil.rmtree(landing, ignore_errors=True)
    landing.mkdir(parents=True)
    return warehouse


@pytest.fixture
def clean_warehouse(warehouse):
    return reset_warehouse(warehouse)


def query(warehouse, sql, *args):
    """Rows of one query against the test warehouse."""
    import psycopg

    with psycopg.connect(warehouse.url()) as conn:
        return conn.execute(sql, args).fetchall()


def dbt_build(target_dir: Path, *select: str, period: str | None = None, command: str = "build",
              full_refresh: bool = True, exclude: str | None = None) -> None:
    """The real dbt project on the test warehouse, for the selected nodes (target/ kept out of the repository). A test
    runs when all its parents are selected ("cautious"), as in the DAG's seeds task: a relationships test from a mart
    the selection does not build to a seed it does would otherwise run against a missing table."""
    import subprocess

    from ecowarehouse import settings
    from ecowarehouse.airflow_dbt import dbt_executable

    args = [dbt_executable(), command, "--profiles-dir", str(settings.DBT_PROJECT_DIR),
            "--target-path", str(target_dir / "dbt-target"), "--select", *select, "--quiet", "--indirect-selection", "cautious"]
    if full_refresh:
        args.append("--full-refresh")
    if exclude:
        args += ["--exclude", exclude]
    if period:
        args += ["--vars", f"{{period: '{period}'}}"]
    subprocess.run(args, cwd=settings.DBT_PROJECT_DIR, check=True, env={**os.environ, **settings.OFFLINE_ENV})
