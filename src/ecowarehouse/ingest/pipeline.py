"""One file at a time: archive by content hash, detect the kind, parse and validate, load in one transaction."""
from __future__ import annotations

import hashlib
import logging
import os
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from psycopg import sql
from psycopg.types.json import Jsonb

from ecowarehouse import db, registry, settings
from ecowarehouse.ingest import air_stations, county_reports, hazwaste, hj212_packets, water_stations, workbook
from ecowarehouse.ingest.formats import AIR_STATION_COLUMNS, FileRejected, detect_kind

log = logging.getLogger(__name__)
RAW_TABLES = {"air_station_hourly": "raw.air_station_hourly"}


@dataclass
class FileResult:
    name: str
    sha256: str
    kind: str | None
    status: str  # loaded | rejected | already_ingested
    rows_received: int = 0
    rows_loaded: int = 0
    rows_quarantined: int = 0
    reason: str | None = None


def _archive(data: bytes, sha: str) -> Path:
    """Store the delivered bytes under their hash: the name a sender chose is never used as a path."""
    target = settings.archive_dir() / sha[:2] / sha
    if not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_suffix(".part")
        tmp.write_bytes(data)
        os.replace(tmp, target)
    return target


def _already(conn, sha: str) -> bool:
    return conn.execute("select 1 from ops.files where file_sha256 = %s", (sha,)).fetchone() is not None


def _delivered_at(path: Path) -> datetime:
    """When the file reached the landing folder: its modification time, never later than now."""
    now = datetime.now(timezone.utc)
    return min(datetime.fromtimestamp(path.stat().st_mtime, timezone.utc), now)


def ingest_file(path: Path, conn) -> FileResult:
    """One file, one transaction on ``conn`` (a connection reused across the files of a batch)."""
    data = path.read_bytes()
    sha = hashlib.sha256(data).hexdigest()
    name = path.name[:255]
    if _already(conn, sha):
        conn.rollback()
        return FileResult(name, sha, None, "already_ingested")
    conn.rollback()
    archived = _archive(data, sha)
    delivered = _delivered_at(path)
    kind = None
    try:
        kind = detect_kind(data)
        if kind == "county_report":
            sheets, container = workbook.read_sheets(data)
            subs = county_reports.parse_workbook(sheets, delivered.astimezone(settings.LOCAL_TZ).date())
            return _load_county_reports(name, sha, len(data), archived, delivered, subs, conn)
        if kind == "hj212_packets":
            packets = hj212_packets.parse(data)
            return _load_hj212(name, sha, len(data), archived, delivered, packets, conn)
        if kind == "water_auto_platform":
            readings = water_stations.parse(data, delivered.astimezone(settings.LOCAL_TZ).date())
            return _load_water_platform(name, sha, len(data), archived, delivered, readings, conn)
        if kind in HAZWASTE:
            parse = hazwaste.parse_manifests if kind == "hw_manifests" else hazwaste.parse_declarations
            parsed_hw = parse(data, delivered.astimezone(settings.LOCAL_TZ).date())
            return _load_hazwaste(name, sha, len(data), archived, delivered, kind, parsed_hw, conn)
        parsed = air_stations.parse(data)
    except FileRejected as rej:
        return _record_rejection(name, sha, len(data), archived, kind, delivered, rej, conn)
    return _load_air(name, sha, len(data), archived, kind, parsed, conn, delivered)


def _record_rejection(name, sha, size, archived, kind, delivered, rej: FileRejected, conn) -> FileResult:
    with conn.transaction():
        inserted = conn.execute(
            """insert into ops.files (file_sha256, original_name, file_kind, size_bytes, archive_path, status, reject_reason,
                                      delivered_at, submitter_code)
               values (%s, %s, %s, %s, %s, 'rejected', %s, %s, %s) on conflict (file_sha256) do nothing returning 1""",
            (sha, name, kind, size, str(archived), rej.reason_zh, delivered, rej.unit_code),
        ).fetchone()
    status = "rejected" if inserted else "already_ingested"
    return FileResult(name, sha, kind, status, reason=rej.reason_zh)


JSON_COLUMNS = {"warnings", "source_record", "measurements"}  # jsonb columns of the raw form tables
RAW_COUNTY_TABLES = {
    "enterprise_ledger": "raw.enterprise_ledger",
    "task_progress": "raw.task_progress",
    "indicator_form": "raw.county_indicator_values",
    "water_monthly": "raw.water_section_samples",
    "ducha_list": "raw.ducha_list",
}


# ---------------------------------------------------------------- the bookkeeping every loaded file shares
def _open_batch(conn, name, sha, size, archived, kind, delivered, submitter=None) -> int | None:
    """Register the file as loaded and open its batch; None when a concurrent ingestion of the same bytes won."""
    inserted = conn.execute(
        """insert into ops.files (file_sha256, original_name, file_kind, size_bytes, archive_path, status, delivered_at,
                                  submitter_code)
           values (%s, %s, %s, %s, %s, 'loaded', %s, %s) on conflict (file_sha256) do nothing returning 1""",
        (sha, name, kind, size, str(archived), delivered, submitter),
    ).fetchone()
    if not inserted:
        return None
    return conn.execute(
        "insert into ops.batches (source, file_sha256) values (%s, %s) returning batch_id", (kind, sha)
    ).fetchone()[0]


def _quarantine(conn, sha, batch_id, source, rows) -> None:
    """Rows as (source_row, reason_code, reason_zh, county_code, record dict)."""
    with conn.cursor() as cur:
        cur.executemany(
            """insert into quarantine.rows (file_sha256, batch_id, source, source_row, reason_code, reason_zh,
                                            county_code, record)
               values (%s, %s, %s, %s, %s, %s, %s, %s)""",
            [(sha, batch_id, source, row, code, zh, county, Jsonb(record)) for row, code, zh, county, record in rows],
        )


def _close_batch(conn, sha, batch_id, received, loaded, quarantined) -> None:
    conn.execute(
        """update ops.files set rows_received = %s, rows_loaded = %s, rows_quarantined = %s, batch_id = %s
           where file_sha256 = %s""",
        (received, loaded, quarantined, batch_id, sha),
    )
    conn.execute("update ops.batches set finished_at = now() where batch_id = %s", (batch_id,))


def _copy_rows(conn, table: str, cols: list[str], rows) -> None:
    schema, name = table.split(".")
    copy_sql = sql.SQL("copy {}.{} ({}) from stdin").format(
        sql.Identifier(schema), sql.Identifier(name), sql.SQL(", ").join(map(sql.Identifier, cols)))
    with conn.cursor().copy(copy_sql) as copy:
        for row in rows:
            copy.write_row(row)


# ---------------------------------------------------------------- one loader per kind of file
def _load_county_reports(name, sha, size, archived, delivered, subs, conn) -> FileResult:
    kind = "county_report"
    received = sum(s.received for s in subs)
    loaded = sum(len(s.rows) for s in subs)
    quarantined = sum(len(s.rejects) for s in subs)
    with conn.transaction():
        batch_id = _open_batch(conn, name, sha, size, archived, kind, delivered, subs[0].unit_code)
        if batch_id is None:
            return FileResult(name, sha, kind, "already_ingested")
        for sub in subs:
            submission_id = conn.execute(
                """insert into raw.county_submissions
                       (file_sha256, batch_id, sheet_name, template_code, programme_code, county_code, period_code,
                        period_start, period_end, filled_on, delivered_at, rows_received, rows_loaded,
                        rows_quarantined, rows_with_warnings)
                   values (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s) returning submission_id""",
                (sha, batch_id, sub.sheet_name, sub.template_code, sub.programme_code, sub.unit_code, sub.period.code,
                 sub.period.start, sub.period.end, sub.filled_on, delivered, sub.received, len(sub.rows),
                 len(sub.rejects), sub.rows_with_warnings),
            ).fetchone()[0]
            if sub.rows:
                cols = list(sub.rows[0])
                _copy_rows(conn, RAW_COUNTY_TABLES[sub.template_code], ["submission_id", *cols],
                           ([submission_id, *[Jsonb(row[c]) if c in JSON_COLUMNS else row[c] for c in cols]]
                            for row in sub.rows))
            _quarantine(conn, sha, batch_id, f"county_report:{sub.template_code}",
                        [(r["source_row"], r["reason_code"], r["reason_zh"], sub.unit_code,
                          {"工作表": sub.sheet_name, "报告期": sub.period.code, **r["record"]}) for r in sub.rejects])
        _close_batch(conn, sha, batch_id, received, loaded, quarantined)
    return FileResult(name, sha, kind, "loaded", received, loaded, quarantined)


def _load_air(name, sha, size, archived, kind, parsed: air_stations.ParsedAirFile, conn, delivered=None) -> FileResult:
    station_county = registry.station_county()
    with conn.transaction():
        batch_id = _open_batch(conn, name, sha, size, archived, kind, delivered)
        if batch_id is None:
            return FileResult(name, sha, kind, "already_ingested")
        rows = parsed.rows
        if len(rows):
            for month_start in parsed.months():
                db.ensure_month_partition(conn, RAW_TABLES[kind], month_start)
            schema, table = RAW_TABLES[kind].split(".")
            # UTF-8 blocks whatever the client encoding; the server stores one block while the next is formatted
            copy_sql = sql.SQL("copy {}.{} ({}) from stdin with (format csv, encoding 'UTF8')").format(
                sql.Identifier(schema), sql.Identifier(table),
                sql.SQL(", ").join(map(sql.Identifier, air_stations.COPY_COLUMNS)),
            )
            with conn.cursor().copy(copy_sql) as copy:
                for block in parsed.copy_blocks(batch_id, sha):
                    copy.write(block)
        _quarantine(conn, sha, batch_id, kind,
                    [(r["source_row"], r["reason_code"], r["reason_zh"], station_county.get(r["stationcode"] or ""),
                      r["record"]) for r in parsed.rejects])
        _close_batch(conn, sha, batch_id, parsed.received, len(rows), len(parsed.rejects))
    return FileResult(name, sha, kind, "loaded", parsed.received, len(rows), len(parsed.rejects))


def _load_hj212(name, sha, size, archived, delivered, parsed: hj212_packets.ParsedPackets, conn) -> FileResult:
    kind = "hj212_packets"
    outlet_county = registry.mn_county()
    with conn.transaction():
        batch_id = _open_batch(conn, name, sha, size, archived, kind, delivered)
        if batch_id is None:
            return FileResult(name, sha, kind, "already_ingested")
        _copy_rows(conn, "raw.hj212_packets", ["batch_id", "file_sha256", *hj212_packets.PACKET_COLUMNS],
                   ([batch_id, sha, *p] for p in parsed.packets))
        for month in sorted({v[4].replace(day=1, hour=0, minute=0, second=0) for v in parsed.values}):
            db.ensure_month_partition(conn, "raw.hj212_values", month.date())
        _copy_rows(conn, "raw.hj212_values", ["batch_id", "file_sha256", *hj212_packets.VALUE_COLUMNS],
                   ([batch_id, sha, *v] for v in parsed.values))
        _quarantine(conn, sha, batch_id, kind,
                    [(r["source_row"], r["reason_code"], r["reason_zh"], outlet_county.get(r["mn"] or ""), r["record"])
                     for r in parsed.rejects])
        _close_batch(conn, sha, batch_id, parsed.received, len(parsed.packets), len(parsed.rejects))
    return FileResult(name, sha, kind, "loaded", parsed.received, len(parsed.packets), len(parsed.rejects))


def _load_water_platform(name, sha, size, archived, delivered, parsed: water_stations.ParsedPlatformFile,
                         conn) -> FileResult:
    kind = "water_auto_platform"
    with conn.transaction():
        batch_id = _open_batch(conn, name, sha, size, archived, kind, delivered)
        if batch_id is None:
            return FileResult(name, sha, kind, "already_ingested")
        for month in sorted({r[3].date().replace(day=1) for r in parsed.rows}):
            db.ensure_month_partition(conn, "raw.water_auto_platform", month)
        _copy_rows(conn, "raw.water_auto_platform", ["batch_id", "file_sha256", *water_stations.COLUMNS],
                   ([batch_id, sha, *r[:-2], Jsonb(r[-2]), Jsonb(r[-1])] for r in parsed.rows))
        _quarantine(conn, sha, batch_id, kind,
                    [(r["source_row"], r["reason_code"], r["reason_zh"], r["county_code"], r["record"])
                     for r in parsed.rejects])
        _close_batch(conn, sha, batch_id, parsed.received, len(parsed.rows), len(parsed.rejects))
    return FileResult(name, sha, kind, "loaded", parsed.received, len(parsed.rows), len(parsed.rejects))


HAZWASTE = {"hw_manifests": ("raw.hw_manifests", hazwaste.MANIFEST_COLUMNS),
            "hw_declarations": ("raw.hw_declarations", hazwaste.DECLARATION_COLUMNS)}


def _load_hazwaste(name, sha, size, archived, delivered, kind, parsed: hazwaste.ParsedHazwaste, conn) -> FileResult:
    """Manifests and declarations: one loader, the kind names the table (raw tables are not partitioned)."""
    table, cols = HAZWASTE[kind]
    with conn.transaction():
        batch_id = _open_batch(conn, name, sha, size, archived, kind, delivered)
        if batch_id is None:
            return FileResult(name, sha, kind, "already_ingested")
        _copy_rows(conn, table, ["batch_id", "file_sha256", *cols],
                   ([batch_id, sha, *r[:-1], Jsonb(r[-1])] for r in parsed.rows))
        _quarantine(conn, sha, batch_id, kind,
                    [(r["source_row"], r["reason_code"], r["reason_zh"], r["county_code"], r["record"])
                     for r in parsed.rejects])
        _close_batch(conn, sha, batch_id, parsed.received, len(parsed.rows), len(parsed.rejects))
    return FileResult(name, sha, kind, "loaded", parsed.received, len(parsed.rows), len(parsed.rejects))


def _candidate_files(paths: list[Path]) -> list[Path]:
    found: list[Path] = []
    for p in paths:
        if p.is_symlink():
            continue  # a link could point anywhere on the machine
        if p.is_dir():
            found.extend(sorted(q for q in p.rglob("*") if q.is_file() and not q.is_symlink() and not q.name.startswith(".")))
        elif p.is_file():
            found.append(p)
    return found


def ingest_paths(paths, url: str | None = None) -> list[FileResult]:
    results = []
    with db.connect(url=url) as conn:
        for f in _candidate_files([Path(p) for p in paths]):
            res = ingest_file(f, conn)
            log.info("%s %s: %s (%s rows loaded, %s quarantined)", res.status, f.name, res.kind, res.rows_loaded,
                     res.rows_quarantined)
            results.append(res)
    return results


def ingest_landing(url: str | None = None) -> list[FileResult]:
    return ingest_paths([settings.landing_dir()], url)
