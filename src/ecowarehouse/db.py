"""Connections and the project's own migrations (schemas raw / quarantine / ops)."""
from __future__ import annotations

from contextlib import contextmanager
from importlib import resources
from typing import Iterator

import psycopg

from ecowarehouse import settings


def connect(autocommit: bool = False, url: str | None = None) -> psycopg.Connection:
    return psycopg.connect(url or settings.database_url(), autocommit=autocommit)


@contextmanager
def transaction(url: str | None = None) -> Iterator[psycopg.Connection]:
    with connect(url=url) as conn:
        with conn.transaction():
            yield conn


def migrate(url: str | None = None) -> list[str]:
    """Apply every ``sql/NNN_*.sql`` file in order; each is written to be re-runnable."""
    applied = []
    files = sorted(
        (f for f in resources.files("ecowarehouse.sql").iterdir() if f.name.endswith(".sql")), key=lambda f: f.name
    )
    with transaction(url) as conn:
        # Serialise concurrent migrations (two DAG runs starting together).
        conn.execute("select pg_advisory_xact_lock(hashtext('ecowarehouse.migrate'))")
        for f in files:
            conn.execute(f.read_text(encoding="utf-8"))
            applied.append(f.name)
    return applied


def ensure_month_partition(conn: psycopg.Connection, table: str, month_start) -> None:
    """Create the monthly partition of a ``raw`` table if it does not exist yet."""
    from datetime import date

    from psycopg import sql

    start = date(month_start.year, month_start.month, 1)
    end = date(start.year + (start.month == 12), start.month % 12 + 1, 1)
    schema, name = table.split(".")
    part = f"{name}_{start:%Y%m}"
    conn.execute(
        sql.SQL("create table if not exists {}.{} partition of {}.{} for values from ({}) to ({})").format(
            sql.Identifier(schema), sql.Identifier(part), sql.Identifier(schema), sql.Identifier(name),
            sql.Literal(start.isoformat()), sql.Literal(end.isoformat()),
        )
    )
