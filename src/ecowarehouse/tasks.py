"""What the monthly DAG's tasks do. DAG files call these; they hold no SQL or rules themselves."""
from __future__ import annotations

import logging

from ecowarehouse import db, gate, periods, publish, runs, summary
from ecowarehouse.ingest import ingest_landing

log = logging.getLogger(__name__)
DAG_ID = "monthly_assessment"


def start_run(period_param: str | None, logical_date, run_id: str, triggered_by: str) -> str:
    period = periods.resolve(period_param, logical_date)
    db.migrate()
    runs.start(run_id, DAG_ID, period, triggered_by)
    log.info("monthly_assessment %s: period %s", run_id, period)
    return period


def ingest_pending() -> dict:
    results = ingest_landing()
    totals = {
        "files_seen": len(results),
        "files_loaded": sum(r.status == "loaded" for r in results),
        "files_rejected": sum(r.status == "rejected" for r in results),
        "files_already_ingested": sum(r.status == "already_ingested" for r in results),
        "rows_received": sum(r.rows_received for r in results),
        "rows_loaded": sum(r.rows_loaded for r in results),
        "rows_quarantined": sum(r.rows_quarantined for r in results),
    }
    for r in results:
        if r.status == "rejected":
            log.warning("rejected %s: %s", r.name, r.reason)
    log.info("ingestion: %s", totals)
    return totals


def prepare_audit() -> None:
    publish.prepare_audit_schema()


def quality_gate(period: str, run_id: str) -> dict:
    results = gate.run_suites(period, run_id)
    for r in results:
        log.info("%s %-8s %s.%s", "PASS" if r.success else "FAIL", r.severity, r.suite, r.check)
    return gate.enforce(results)


def publish_marts(period: str, run_id: str, checks: dict, triggered_by: str) -> dict:
    counts = publish.publish(run_id, period, checks, triggered_by)
    log.info("published marts for %s: %s", period, counts)
    return counts


def notify_counties(period: str | None, run_id: str, as_of) -> dict:
    """Alerts to counties: runs whether or not the month was published (a county hears about bad input even when
    the month is blocked). ``as_of`` is the DAG run's time, the clock every alert rule uses."""
    from ecowarehouse import alerts

    if not period:
        log.warning("no period: alerts skipped")
        return {}
    return alerts.notify(period, run_id, as_of)


def finish_run(period: str | None, run_id: str) -> str:
    """Record the outcome and print the summary; fail the DAG run when nothing was published."""
    with db.connect() as conn:
        published = conn.execute("select 1 from ops.publications where run_id = %s", (run_id,)).fetchone() is not None
    runs.finish(run_id, "published" if published else "failed")
    text = summary.build(period or "?", run_id)
    print(text)
    if not published:
        raise RuntimeError(f"run {run_id} did not publish: marts unchanged (see the checks above)")
    return text
