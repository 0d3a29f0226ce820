"""`make demo`: deterministic demo data into the landing folder, then the real monthly DAG for the latest month."""
from __future__ import annotations

import importlib.util
import json

from ecowarehouse import settings

DEFAULT_LATEST_MONTH = "2026-10"


def _generator():
    path = settings.PROJECT_ROOT / "scripts" / "generate_demo_data.py"
    spec = importlib.util.spec_from_file_location("generate_demo_data", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def ensure_landing(latest_month: str) -> dict:
    """Generate once: the generator is deterministic, and a marker records what was generated."""
    landing = settings.landing_dir()
    marker = landing.parent / f".demo-generated-{latest_month}-v8.json"
    if marker.exists():
        return json.loads(marker.read_text())
    summary = _generator().generate(landing, latest_month=latest_month, county_reports=True, source_packets=True)
    marker.write_text(json.dumps(summary, ensure_ascii=False, default=str))
    return summary


def run(latest_month: str | None = None) -> int:
    from ecowarehouse import airflow_runner, summary

    latest_month = latest_month or DEFAULT_LATEST_MONTH
    settings.apply_runtime_env()
    print(f"演示数据：{ensure_landing(latest_month)}")
    dag_run = airflow_runner.run_monthly(latest_month)
    state = str(getattr(dag_run, "state", "unknown"))
    print()
    print(summary.build(latest_month, dag_run.run_id))
    print(f"\nAirflow DAG run {dag_run.run_id}: {state}")
    print('\n查询集市：psql "$(uv run ecowarehouse db-url)" -c \'table marts.mart_indicator_monthly limit 5\'')
    return 0 if state.endswith("success") else 1
