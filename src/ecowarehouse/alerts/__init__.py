"""Data-quality alerts to counties (issue 7): detect → store (dedup, reminders, auto-resolve) → compose → deliver.

``notify(period, run_id, as_of)`` is the whole step; the monthly DAG's ``notify_counties`` task calls it. The run's
time ``as_of`` is passed in (never read from the clock here), so tests can move time forward.
"""
from __future__ import annotations

import logging
from datetime import datetime

from ecowarehouse import db
from ecowarehouse.alerts import compose, deliver, detect, store

log = logging.getLogger(__name__)


def _alerts(conn, ids: list[int]) -> dict[int, dict]:
    cur = conn.execute(
        """select alert_id, county_code, check_code, severity, title_zh, detail, offending_rows, rows_link,
                  first_seen_at, last_notified_at from ops.alerts where alert_id = any(%s)""", (ids,))
    cols = [d.name for d in cur.description]
    return {r[0]: dict(zip(cols, r)) for r in cur.fetchall()}


def queue_messages(conn, period: str, run_id: str, as_of: datetime, outcome: store.Outcome, kinds: dict,
                   sender: str | None = None) -> int:
    """One message per county with something due, queued in ops.alert_messages (inside the caller's transaction)."""
    queued = 0
    for county, due in sorted(outcome.due.items()):
        due_ids = [i for i, _ in due]
        alerts = _alerts(conn, due_ids)
        other_ids = [r[0] for r in conn.execute(
            """select alert_id from ops.alerts where county_code = %s and status = 'open'
               and not (alert_id = any(%s)) order by alert_id""", (county, due_ids)).fetchall()]
        others = list(_alerts(conn, other_ids).values())
        msg = compose.compose(county, period, as_of, [(alerts[i], why) for i, why in due], others, kinds, sender)
        to = compose.recipients(county)
        inserted = conn.execute(
            """insert into ops.alert_messages (run_id, county_code, subject, recipients, alert_ids, eml, status,
                                               queued_at)
               values (%s, %s, %s, %s, %s, %s, %s, %s) on conflict (run_id, county_code) do nothing
               returning message_id""",
            (run_id, county, msg["Subject"], to, due_ids, msg.as_bytes(), "queued" if to else "no_recipient",
             as_of)).fetchone()
        if inserted:
            store.mark_notified(conn, due_ids, as_of)
            queued += 1
            if not to:
                log.warning("no recipient for county %s in seeds/ref_alert_recipients.csv", county)
    return queued


def notify(period: str, run_id: str, as_of: datetime, smtp: deliver.SmtpSettings | None = None,
           use_configured: bool = True, url: str | None = None) -> dict:
    kinds = detect.alert_kinds()
    sender = smtp.sender if smtp else None
    with db.connect(url=url) as conn:
        with conn.transaction():
            findings = detect.detect(conn, period, as_of, store.open_scopes(conn))
            outcome = store.record(conn, run_id, as_of, findings, kinds)
            queued = queue_messages(conn, period, run_id, as_of, outcome, kinds, sender)
        delivered = deliver.deliver_queued(conn, as_of, smtp, use_configured)
        open_total, still_queued = conn.execute(
            """select (select count(*) from ops.alerts where status <> 'resolved'),
                      (select count(*) from ops.alert_messages where status = 'queued')""").fetchone()
        result = {"period": period, "opened": len(outcome.opened), "reminded": len(outcome.reminded),
                  "resolved": len(outcome.resolved), "open_total": open_total, "messages_queued": queued,
                  "sent": delivered["sent"], "written": delivered["written"], "failed": delivered["failed"],
                  "still_queued": still_queued, "transport": delivered["transport"], "last_error": delivered["error"],
                  "evaluated": sorted(findings.evaluated)}
        with conn.transaction():
            conn.execute(
                """insert into ops.alert_runs (run_id, period, as_of, opened, reminded, resolved, open_total,
                                               messages_queued, sent, written, failed, still_queued, transport,
                                               last_error)
                   values (%(run)s, %(period)s, %(as_of)s, %(opened)s, %(reminded)s, %(resolved)s, %(open_total)s,
                           %(messages_queued)s, %(sent)s, %(written)s, %(failed)s, %(still_queued)s, %(transport)s,
                           %(last_error)s)
                   on conflict (run_id) do update set as_of = excluded.as_of,
                       opened = ops.alert_runs.opened + excluded.opened,
                       reminded = ops.alert_runs.reminded + excluded.reminded,
                       resolved = ops.alert_runs.resolved + excluded.resolved, open_total = excluded.open_total,
                       messages_queued = ops.alert_runs.messages_queued + excluded.messages_queued,
                       sent = ops.alert_runs.sent + excluded.sent, written = ops.alert_runs.written + excluded.written,
                       failed = excluded.failed, still_queued = excluded.still_queued,
                       transport = excluded.transport, last_error = excluded.last_error""",
                {**result, "run": run_id, "as_of": as_of})
    log.info("alerts for %s: %s", period, result)
    return result
