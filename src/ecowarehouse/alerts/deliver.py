"""Deliver the queued alert messages: SMTP when configured, else .eml files in ``<state>/outbox/``.

SMTP settings come from the Airflow connection ``smtp_alerts`` (looked up only where Airflow is configured; the SMTP
provider's fields: host, port, login, password, extras ``from_email``, ``disable_tls``, ``disable_ssl``), else from
ECOWAREHOUSE_SMTP_HOST / _PORT / _USER / _PASSWORD / _STARTTLS / _FROM. They are read at send time and never stored.
A message is marked sent only after the server accepted it; when the server is down it stays queued, with the error,
for the next run.
"""
from __future__ import annotations

import logging
import os
import re
import smtplib
import ssl
from dataclasses import dataclass
from datetime import datetime
from email import policy
from email.parser import BytesParser
from pathlib import Path

from ecowarehouse import settings

log = logging.getLogger(__name__)
CONN_ID = "smtp_alerts"
TIMEOUT_S = 20


@dataclass(frozen=True)
class SmtpSettings:
    host: str
    port: int = 25
    user: str | None = None
    password: str | None = None
    starttls: bool = False
    use_ssl: bool = False
    sender: str | None = None
    origin: str = "env"

    def __repr__(self) -> str:  # never print the password
        return f"SmtpSettings({self.host}:{self.port}, user={self.user!r}, starttls={self.starttls}, from {self.origin})"


def _truthy(v: str | None) -> bool:
    return (v or "").strip().lower() in ("1", "true", "yes", "on")


def _from_airflow(conn_id: str) -> SmtpSettings | None:
    if not (os.environ.get("AIRFLOW_HOME") or os.environ.get(f"AIRFLOW_CONN_{conn_id.upper()}")):
        return None
    try:
        from airflow.sdk import BaseHook

        c = BaseHook.get_connection(conn_id)
    except Exception as exc:  # not defined, or no Airflow context to ask: fall back to the environment
        log.debug("no Airflow connection %s: %s", conn_id, exc)
        return None
    if not c.host:
        return None
    extra = c.extra_dejson or {}
    use_ssl = not _truthy(str(extra.get("disable_ssl", "false")))
    return SmtpSettings(host=c.host, port=int(c.port or (465 if use_ssl else 25)), user=c.login or None,
                        password=c.password or None, starttls=not use_ssl and not _truthy(str(extra.get("disable_tls",
                                                                                                              "false"))),
                        use_ssl=use_ssl, sender=extra.get("from_email"), origin=f"airflow:{conn_id}")


def _from_env() -> SmtpSettings | None:
    host = os.environ.get("ECOWAREHOUSE_SMTP_HOST")
    if not host:
        return None
    return SmtpSettings(host=host, port=int(os.environ.get("ECOWAREHOUSE_SMTP_PORT") or 25),
                        user=os.environ.get("ECOWAREHOUSE_SMTP_USER") or None,
                        password=os.environ.get("ECOWAREHOUSE_SMTP_PASSWORD") or None,
                        starttls=_truthy(os.environ.get("ECOWAREHOUSE_SMTP_STARTTLS")),
                        sender=os.environ.get("ECOWAREHOUSE_SMTP_FROM") or None, origin="env")


def smtp_settings(conn_id: str = CONN_ID) -> SmtpSettings | None:
    """The Airflow connection, else the environment, else None (write .eml files to the outbox)."""
    return _from_airflow(conn_id) or _from_env()


def outbox_dir() -> Path:
    d = settings.state_dir() / "outbox"
    d.mkdir(parents=True, exist_ok=True)
    return d


def _connect(s: SmtpSettings) -> smtplib.SMTP:
    if s.use_ssl:
        server = smtplib.SMTP_SSL(s.host, s.port, timeout=TIMEOUT_S, context=ssl.create_default_context())
    else:
        server = smtplib.SMTP(s.host, s.port, timeout=TIMEOUT_S)
        if s.starttls:
            server.starttls(context=ssl.create_default_context())
    if s.user:
        server.login(s.user, s.password or "")
    return server


def _mark_delivered(conn, message_id: int, alert_ids: list[int], as_of: datetime, transport: str,
                    path: str | None = None) -> None:
    with conn.transaction():
        conn.execute(
            """update ops.alert_messages set status = %s, transport = %s, outbox_path = %s, sent_at = %s,
                      attempts = attempts + %s, last_error = null
               where message_id = %s""",
            ("sent" if transport == "smtp" else "written", transport, path, as_of, int(transport == "smtp"),
             message_id))
        conn.execute("update ops.alerts set last_sent_at = %s where alert_id = any(%s)", (as_of, alert_ids))


def _mark_failed(conn, message_ids: list[int], error: str) -> None:
    with conn.transaction():
        conn.execute("""update ops.alert_messages set attempts = attempts + 1, last_error = %s
                        where message_id = any(%s)""", (error[:1000], message_ids))


def deliver_queued(conn, as_of: datetime, smtp: SmtpSettings | None = None, use_configured: bool = True) -> dict:
    """Send (or write) every queued message, oldest first. ``smtp`` overrides the configured settings;
    ``use_configured=False`` with no ``smtp`` writes to the outbox."""
    if smtp is None and use_configured:
        smtp = smtp_settings()
    queued = conn.execute(
        """select message_id, run_id, county_code, recipients, alert_ids, eml from ops.alert_messages
           where status = 'queued' order by message_id""").fetchall()
    conn.commit()
    result = {"sent": 0, "written": 0, "failed": 0, "transport": "smtp" if smtp else "outbox",
              "error": None}
    if not queued:
        return result
    if smtp is None:
        folder = outbox_dir()
        for message_id, run_id, county, _, alert_ids, eml in queued:
            safe_run = re.sub(r"[^A-Za-z0-9_.-]+", "_", run_id)
            path = folder / f"{safe_run}_{county}_{message_id}.eml"
            path.write_bytes(bytes(eml))
            _mark_delivered(conn, message_id, alert_ids, as_of, "outbox", str(path))
            result["written"] += 1
        return result
    try:
        server = _connect(smtp)
    except (OSError, smtplib.SMTPException) as exc:
        error = f"SMTP {smtp.host}:{smtp.port} 不可用：{exc!r}"
        log.warning("%s; %d messages stay queued", error, len(queued))
        _mark_failed(conn, [q[0] for q in queued], error)
        result.update(failed=len(queued), error=error)
        return result
    try:
        for message_id, run_id, county, recipients, alert_ids, eml in queued:
            msg = BytesParser(policy=policy.SMTP).parsebytes(bytes(eml))
            if smtp.sender:
                msg.replace_header("From", smtp.sender)
            try:
                server.send_message(msg, from_addr=smtp.sender or None, to_addrs=list(recipients))
            except (OSError, smtplib.SMTPException) as exc:
                _mark_failed(conn, [message_id], f"{exc!r}")
                result["failed"] += 1
                result["error"] = repr(exc)
                # (SMTPException is an OSError) a refused recipient is this message's problem; a dropped connection
                # is everyone's: the rest stay queued untouched for the next run
                if isinstance(exc, smtplib.SMTPServerDisconnected) or not isinstance(exc, smtplib.SMTPException):
                    break
                continue
            _mark_delivered(conn, message_id, alert_ids, as_of, "smtp")
            result["sent"] += 1
    finally:
        try:
            server.quit()
        except (OSError, smtplib.SMTPException):
            pass
    return result
