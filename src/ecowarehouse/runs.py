"""The ops.runs register: one row per monthly run, keyed by the Airflow run id."""
from __future__ import annotations

from ecowarehouse import db


def start(run_id: str, dag_id: str, period: str, triggered_by: str, url: str | None = None) -> None:
    with db.transaction(url) as conn:
        conn.execute(
            """insert into ops.runs (run_id, dag_id, period, triggered_by) values (%s, %s, %s, %s)
               on conflict (run_id) do update set period = excluded.period, status = 'running', finished_at = null""",
            (run_id, dag_id, period, triggered_by),
        )


def finish(run_id: str, status: str, url: str | None = None) -> None:
    with db.transaction(url) as conn:
        conn.execute("update ops.runs set status = %s, finished_at = now() where run_id = %s", (status, run_id))
