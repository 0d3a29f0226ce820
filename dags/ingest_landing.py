"""数据接收 · ingest_landing — every hour, ingest whatever has arrived in the landing folder.

The same code as `ecowarehouse ingest PATH…`: each file's kind is detected from its content, files are recognised by
their sha256 (a file seen before is skipped), bad rows go to quarantine with a Chinese reason.
"""
from __future__ import annotations

import pendulum
from airflow.sdk import dag, task


@dag(
    dag_id="ingest_landing",
    schedule="@hourly",
    start_date=pendulum.datetime(2026, 1, 1, tz="Asia/Shanghai"),
    catchup=False,
    max_active_runs=1,
    tags=["ecowarehouse", "ingestion"],
    doc_md=__doc__,
)
def ingest_landing():
    @task
    def migrate() -> None:
        from ecowarehouse import db

        db.migrate()

    @task
    def ingest_pending() -> dict:
        from ecowarehouse import tasks

        return tasks.ingest_pending()

    migrate() >> ingest_pending()


ingest_landing_dag = ingest_landing()
