"""Running the DAGs through Airflow from the command line (``dag.test()``), with metadata in SQLite locally."""
from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from pathlib import Path

from ecowarehouse import settings
from ecowarehouse.airflow_dbt import MANIFEST, dbt_executable


def ensure_manifest(force: bool = False) -> Path:
    """The cosmos DAG renders from dbt's manifest; (re)build it when missing or older than the project files."""
    newest = max(p.stat().st_mtime for p in settings.DBT_PROJECT_DIR.rglob("*")
                 if p.is_file() and "target" not in p.parts and "logs" not in p.parts)
    newest = max(newest, max(p.stat().st_mtime for p in settings.SEEDS_DIR.glob("*")))
    if force or not MANIFEST.exists() or MANIFEST.stat().st_mtime < newest:
        subprocess.run(
            [dbt_executable(), "parse", "--profiles-dir", str(settings.DBT_PROJECT_DIR), "--quiet"],
            cwd=settings.DBT_PROJECT_DIR, check=True, env={**os.environ, **settings.OFFLINE_ENV},
        )
    return MANIFEST


def ensure_airflow_db() -> None:
    import airflow

    home = Path(os.environ["AIRFLOW_HOME"])
    marker = home / f".migrated-{airflow.__version__}"
    if marker.exists() and (home / "airflow.db").exists():
        return
    subprocess.run([sys.executable, "-m", "airflow", "db", "migrate"], check=True, env=os.environ.copy(),
                   stdout=subprocess.DEVNULL)
    marker.write_text("ok\n")


def load_dag(dag_id: str):
    path = settings.PROJECT_ROOT / "dags" / f"{dag_id}.py"
    spec = importlib.util.spec_from_file_location(f"ecowarehouse_dag_{dag_id}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    from airflow.sdk import DAG

    dags = [v for v in vars(module).values() if isinstance(v, DAG) and v.dag_id == dag_id]
    if not dags:
        raise LookupError(f"DAG {dag_id} not found in {path}")
    return dags[0]


def run_monthly(period: str, conf: dict | None = None):
    """Run monthly_assessment for one month through Airflow; returns the DagRun."""
    from ecowarehouse import db, periods

    periods.validate(period)
    _prepare()
    db.migrate()
    dag = load_dag("monthly_assessment")
    return dag.test(run_conf={"period": period, **(conf or {})})


def run_ingest():
    """Run ingest_landing once through Airflow (what the hourly schedule does); returns the DagRun."""
    _prepare()
    return load_dag("ingest_landing").test()


def _prepare() -> None:
    """What any DAG run from the command line needs: environment, dbt manifest, Airflow metadata database."""
    settings.apply_runtime_env()
    ensure_manifest()
    ensure_airflow_db()
