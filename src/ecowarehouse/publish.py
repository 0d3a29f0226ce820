"""Write → audit → publish: the audit schema becomes ``marts`` in one transaction (a schema swap).

Readers see the old version or the new one, never a mix; the version replaced stays queryable as
``marts_previous``. A run that does not reach this step leaves ``marts`` untouched.
"""
from __future__ import annotations

import json

from psycopg import sql

from ecowarehouse import db

BI_ROLE = "ecowarehouse_bi_reader"


def prepare_audit_schema(audit_schema: str = "marts_audit", url: str | None = None) -> None:
    """Start every build from an empty audit schema so that nothing stale from a failed run can be published."""
    with db.transaction(url) as conn:
        conn.execute(sql.SQL("drop schema if exists {} cascade").format(sql.Identifier(audit_schema)))


def _schema_exists(conn, name: str) -> bool:
    return conn.execute("select 1 from pg_namespace where nspname = %s", (name,)).fetchone() is not None


def publish(run_id: str, period: str, checks: dict, triggered_by: str, audit_schema: str = "marts_audit",
            url: str | None = None) -> dict:
    with db.transaction(url) as conn:
        conn.execute("select pg_advisory_xact_lock(hashtext('ecowarehouse.publish'))")
        if not _schema_exists(conn, audit_schema):
            raise RuntimeError(f"nothing to publish: schema {audit_schema} does not exist")
        tables = [r[0] for r in conn.execute(
            "select tablename from pg_tables where schemaname = %s order by tablename", (audit_schema,)
        ).fetchall()]
        counts = {}
        for t in tables:
            counts[t] = conn.execute(
                sql.SQL("select count(*) from {}.{}").format(sql.Identifier(audit_schema), sql.Identifier(t))
            ).fetchone()[0]
        conn.execute("drop schema if exists marts_previous cascade")
        if _schema_exists(conn, "marts"):
            conn.execute("alter schema marts rename to marts_previous")
        conn.execute(sql.SQL("alter schema {} rename to marts").format(sql.Identifier(audit_schema)))
        conn.execute("comment on schema marts is '发布层：通过全部阻断性质量检查后发布的数据集市，分析人员与 BI 工具只读此 schema'")
        conn.execute(sql.SQL("grant usage on schema marts to {}").format(sql.Identifier(BI_ROLE)))
        conn.execute(sql.SQL("grant select on all tables in schema marts to {}").format(sql.Identifier(BI_ROLE)))
        conn.execute(
            """insert into ops.publications (run_id, period, triggered_by, checks_passed, checks_failed_warning, row_counts)
               values (%s, %s, %s, %s, %s, %s)""",
            (run_id, period, triggered_by, checks.get("passed", 0), checks.get("failed_warning", 0),
             json.dumps(counts)),
        )
    return counts
