"""月度评估 · monthly_assessment — ingest → reference data → audit build (dbt) → quality gate (GX) → publish →
alerts to counties → summary.

Runs on the 5th of each month for the month that has just closed, or for an explicit `period` (YYYY-MM).
"""
from __future__ import annotations

import pendulum
from airflow.sdk import Param, dag, task

from ecowarehouse.airflow_dbt import audit_build_group, reference_data_task


@dag(
    dag_id="monthly_assessment",
    schedule="0 6 5 * *",
    start_date=pendulum.datetime(2026, 1, 1, tz="Asia/Shanghai"),
    catchup=False,
    max_active_runs=1,
    params={"period": Param(None, type=["null", "string"], pattern=r"^\d{4}-(0[1-9]|1[0-2])$",
                            description="评估月份 YYYY-MM；为空时取逻辑日期的上一个月"),
            "full_refresh": Param(False, type="boolean",
                                  description="重算全部历史（增量模型全量重建）：标准或名录种子表改变后使用")},
    tags=["ecowarehouse", "monthly"],
    doc_md=__doc__,
)
def monthly_assessment():
    @task
    def start_run(params=None, logical_date=None, dag_run=None, run_id=None) -> str:
        from ecowarehouse import tasks

        moment = logical_date or dag_run.run_after
        return tasks.start_run(params.get("period"), moment, run_id, dag_run.run_type)

    @task
    def ingest_pending() -> dict:
        from ecowarehouse import tasks

        return tasks.ingest_pending()

    @task
    def prepare_audit() -> None:
        from ecowarehouse import tasks

        tasks.prepare_audit()

    @task
    def quality_gate(period: str, run_id=None) -> dict:
        from ecowarehouse import tasks

        return tasks.quality_gate(period, run_id)

    @task
    def publish(period: str, checks: dict, run_id=None, dag_run=None) -> dict:
        from ecowarehouse import tasks

        return tasks.publish_marts(period, run_id, checks, dag_run.run_type)

    @task(trigger_rule="all_done")
    def notify_counties(period: str | None, run_id=None, dag_run=None) -> dict:
        from ecowarehouse import tasks

        return tasks.notify_counties(period, run_id, dag_run.run_after)

    @task(trigger_rule="all_done")
    def finish(period: str | None, run_id=None) -> str:
        from ecowarehouse import tasks

        return tasks.finish_run(period, run_id)

    period = start_run()
    reference_data = reference_data_task()
    audit_build = audit_build_group()
    checks = quality_gate(period)
    published = publish(period, checks)
    period >> ingest_pending() >> prepare_audit() >> reference_data >> audit_build >> checks
    # after the gate and the publication, whatever their outcome
    published >> notify_counties(period) >> finish(period)


monthly_assessment_dag = monthly_assessment()
