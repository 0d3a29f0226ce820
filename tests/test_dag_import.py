"""DAG files parse without errors, render the dbt project from the manifest, and do no database work at import."""
import subprocess

import pytest

from ecowarehouse import airflow_runner, settings


@pytest.fixture(scope="module")
def dagbag():
    airflow_runner.ensure_manifest()
    import psycopg

    real_connect = psycopg.connect

    def forbidden(*a, **k):
        raise AssertionError("a DAG file opened a database connection at import time")

    real_popen = subprocess.Popen

    def no_dbt(cmd, *a, **k):
        if any("dbt" in str(c) for c in (cmd if isinstance(cmd, (list, tuple)) else [cmd])):
            raise AssertionError(f"a DAG file ran dbt at import time: {cmd}")
        return real_popen(cmd, *a, **k)

    psycopg.connect = forbidden
    subprocess.Popen = no_dbt
    try:
        from airflow.dag_processing.dagbag import DagBag

        return DagBag(dag_folder=str(settings.PROJECT_ROOT / "dags"), include_examples=False) \
            if "include_examples" in DagBag.__init__.__code__.co_varnames \
            else DagBag(dag_folder=str(settings.PROJECT_ROOT / "dags"))
    finally:
        psycopg.connect = real_connect
        subprocess.Popen = real_popen


def test_no_import_errors(dagbag):
    assert dagbag.import_errors == {}


def test_monthly_assessment_shape(dagbag):
    dag = dagbag.dags["monthly_assessment"]
    ids = set(dag.task_ids)
    for t in ("start_run", "ingest_pending", "prepare_audit", "quality_gate", "publish", "finish"):
        assert t in ids
    # the dbt project rendered as Airflow tasks: every model of the project is a task of the audit_build group
    assert "audit_build.mart_indicator_monthly_run" in ids
    assert "audit_build.fct_air_quality_daily_run" in ids
    # publication only after the gate
    assert "quality_gate" in dag.get_task("publish").upstream_task_ids
    assert dag.params["period"] is None or "period" in dag.params
    assert dag.catchup is False and dag.max_active_runs == 1
    # alerts to counties after the gate and the publication, whatever their outcome, and before the summary
    notify = dag.get_task("notify_counties")
    assert notify.trigger_rule == "all_done" and "publish" in notify.upstream_task_ids
    assert "notify_counties" in dag.get_task("finish").upstream_task_ids
    # reference data (seeds) in one task before the models
    assert "load_reference_data" in dag.get_task("audit_build.stg_raw__air_station_hourly_run").upstream_task_ids


def test_ingestion_dag_is_scheduled_hourly(dagbag):
    dag = dagbag.dags["ingest_landing"]
    assert set(dag.task_ids) == {"migrate", "ingest_pending"}
    assert dag.catchup is False
