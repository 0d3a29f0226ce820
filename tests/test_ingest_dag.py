"""The scheduled ingestion DAG picks county workbooks up from the landing folder (through Airflow, `dag.test()`)."""
from __future__ import annotations

from ecowarehouse import airflow_runner, settings
from ecowarehouse.forms import FormSheet, build_workbook


def test_hourly_dag_ingests_a_county_workbook(clean_warehouse):
    import psycopg

    row = {"enterprise_name": "开化某石材有限公司", "credit_code": "91330800147755889T", "key_industry": "建材石料加工",
           "remediation_class": "改造提升"}
    data = build_workbook("开化县人民政府", "2026年10月", [FormSheet("enterprise_ledger", [row, dict(row)])])
    (settings.landing_dir() / "开化县 10月台账.xlsx").write_bytes(data)
    dag_run = airflow_runner.run_ingest()
    assert str(dag_run.state).endswith("success")
    with psycopg.connect(clean_warehouse.url()) as conn:
        assert conn.execute("select county_code, period_code, rows_received, rows_loaded, rows_quarantined "
                            "from raw.county_submissions").fetchall() == [("330824", "2026-10", 2, 1, 1)]
        assert conn.execute("select reason_code from quarantine.rows").fetchall() == [("duplicate_enterprise",)]
