"""ops.alerts: one row per problem (fingerprint), refreshed by every run that finds it.

A problem found for the first time — or again after it had been resolved — is *opened* and due for notification; one
still open is due again (*reminded*) once ``reminder_days`` of its kind have passed since it was last put in an e-mail;
an acknowledged one is not notified again. An open or acknowledged alert whose kind (and period, for period-scoped
kinds) was evaluated by this run and whose problem was not found is *resolved*. The run's time is passed in.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from psycopg.types.json import Jsonb

from ecowarehouse.alerts.detect import Findings


@dataclass
class Outcome:
    opened: list[int] = field(default_factory=list)
    reminded: list[int] = field(default_factory=list)
    resolved: list[int] = field(default_factory=list)
    unchanged: list[int] = field(default_factory=list)
    # county → [(alert_id, "new" | "reminder")] to put in this run's e-mail
    due: dict[str, list[tuple[int, str]]] = field(default_factory=dict)


def open_scopes(conn) -> dict[str, set[str]]:
    """Periods of the open alerts of period-scoped kinds (looked at again by the next run)."""
    out: dict[str, set[str]] = {}
    for kind, period in conn.execute(
            """select distinct check_code, detail->>'period' from ops.alerts
               where status <> 'resolved' and detail ? 'period'""").fetchall():
        out.setdefault(kind, set()).add(period)
    return out


def record(conn, run_id: str, as_of: datetime, findings: Findings, kinds: dict[str, dict]) -> Outcome:
    """Upsert the findings, decide what is due, resolve what is gone. Runs inside the caller's transaction."""
    conn.execute("select pg_advisory_xact_lock(hashtext('ecowarehouse.alerts'))")
    out = Outcome()
    problems = {p.fingerprint: p for p in findings.problems}
    existing = {r[0]: r[1:] for r in conn.execute(
        "select fingerprint, alert_id, status, last_notified_at, last_seen_run from ops.alerts where fingerprint = any(%s)",
        (list(problems),)).fetchall()}
    for fp, p in problems.items():
        kind = kinds[p.kind]
        severity = p.severity or kind["severity"]
        values = dict(fp=fp, subject_key=p.subject_key, county=p.county_code, source=p.source, check=p.kind,
                      severity=severity, title=p.title_zh, detail=Jsonb(p.detail), rows=Jsonb(p.rows),
                      link=p.rows_link, run=run_id, at=as_of)
        if fp not in existing:
            alert_id = conn.execute(
                """insert into ops.alerts (fingerprint, subject_key, county_code, source, check_code, severity, title_zh,
                                           detail, offending_rows, rows_link, first_seen_run, first_seen_at,
                                           last_seen_run, last_seen_at)
                   values (%(fp)s, %(subject_key)s, %(county)s, %(source)s, %(check)s, %(severity)s, %(title)s,
                           %(detail)s, %(rows)s, %(link)s, %(run)s, %(at)s, %(run)s, %(at)s)
                   returning alert_id""", values).fetchone()[0]
            out.opened.append(alert_id)
            out.due.setdefault(p.county_code, []).append((alert_id, "new"))
            continue
        alert_id, status, last_notified, last_seen_run = existing[fp]
        reopen = status == "resolved"
        conn.execute(
            """update ops.alerts set county_code = %(county)s, source = %(source)s, severity = %(severity)s,
                      title_zh = %(title)s, detail = %(detail)s, offending_rows = %(rows)s, rows_link = %(link)s,
                      last_seen_run = %(run)s, last_seen_at = %(at)s,
                      times_seen = times_seen + case when last_seen_run = %(run)s then 0 else 1 end,
                      status = case when status = 'resolved' then 'open' else status end,
                      resolved_at = case when status = 'resolved' then null else resolved_at end,
                      resolved_run = case when status = 'resolved' then null else resolved_run end,
                      last_notified_at = case when status = 'resolved' then null else last_notified_at end
               where alert_id = %(id)s""", {**values, "id": alert_id})
        if reopen or (status == "open" and last_notified is None):
            out.opened.append(alert_id)
            out.due.setdefault(p.county_code, []).append((alert_id, "new"))
        elif status == "open" and last_notified + timedelta(days=kind["reminder_days"]) <= as_of:
            out.reminded.append(alert_id)
            out.due.setdefault(p.county_code, []).append((alert_id, "reminder"))
        else:
            out.unchanged.append(alert_id)
    for kind, scopes in findings.evaluated.items():
        rows = conn.execute(
            """update ops.alerts set status = 'resolved', resolved_at = %(at)s, resolved_run = %(run)s
               where status in ('open', 'acknowledged') and check_code = %(kind)s
                 and not (fingerprint = any(%(found)s))
                 and (%(all)s or detail->>'period' = any(%(scopes)s))
               returning alert_id""",
            {"at": as_of, "run": run_id, "kind": kind, "found": list(problems), "all": scopes is None,
             "scopes": sorted(scopes or [])}).fetchall()
        out.resolved += [r[0] for r in rows]
    return out


def mark_notified(conn, alert_ids: list[int], as_of: datetime) -> None:
    """The alerts went into a queued message: the reminder interval starts now."""
    conn.execute("""update ops.alerts set last_notified_at = %s, notifications = notifications + 1
                    where alert_id = any(%s)""", (as_of, alert_ids))


def acknowledge(conn, alert_id: int, by: str, at: datetime) -> bool:
    row = conn.execute(
        """update ops.alerts set status = 'acknowledged', acknowledged_at = %s, acknowledged_by = %s
           where alert_id = %s and status = 'open' returning alert_id""", (at, by, alert_id)).fetchone()
    return row is not None


def listing(conn, status: str | None = None, county: str | None = None) -> list[tuple]:
    return conn.execute(
        """select alert_id, status, severity, county_code, check_code, title_zh, first_seen_at, last_seen_at,
                  last_sent_at
           from ops.alerts
           where (%(status)s::text is null or status = %(status)s) and (%(county)s::text is null or county_code = %(county)s)
           order by county_code, status, alert_id""", {"status": status, "county": county}).fetchall()
