"""Ingest throughput as a ratio against raw COPY of the same rows, measured in the same run (target >= 0.5x).

    uv run --frozen --no-sync python bench/ingest_vs_copy.py [--rows 200000] [--repeats 5] [--marker —]

Without DATABASE_URL the embedded PostgreSQL is started; either way the bench works in its own scratch database on
that server and drops it afterwards.

What is compared
  (a) ingest: ``ingest_file(path, conn)`` — what ``ingest_paths`` runs for each file — on one hourly-format CSV of
      --rows rows (200 stations, empty fields for missing values as the format defines them, or --marker such as
      "—" in every field without a value, as some platforms and hand-edited files write them): read the
      bytes, sha256, "already ingested?" check, archive under the hash, kind detection, decode, parse, validate,
      partitions, COPY, quarantine, file and batch bookkeeping, commit.
  (b) baseline: a bare ``COPY raw.air_station_hourly (...) FROM STDIN WITH (FORMAT csv, ENCODING 'UTF8')`` and commit
      of the *same rows*: the CSV is the rows (a) stored, as PostgreSQL itself writes them (``COPY (SELECT ...) TO
      STDOUT``) — same batch id width, same 64-character file sha256, same line numbers, same values — prepared in a
      file beforehand, read and sent in one block.
  rows/s = rows / seconds; ratio = (a) rows/s / (b) rows/s, from the medians.

Why the comparison is fair
  - Same target table on both sides: raw.air_station_hourly, partitioned by month, with no index and no constraint
    but NOT NULL (see sql/001_foundation.sql) — neither side maintains an index, both pay the partition routing. The
    month partitions exist in the timed runs (the untimed warm-up ingest made them): the steady state of a month.
  - Same starting state: before every timed run, untimed, the raw table is truncated — for (a) also the file's
    ops.files / ops.batches / quarantine rows and its archived copy, so the same bytes are ingested (and archived)
    again rather than recognised as already ingested — then a CHECKPOINT writes out what the previous run left
    dirty, so no run pays for its predecessor (skipped, and said so, when the role may not checkpoint).
  - Same transaction handling: one transaction per side, its commit (and WAL flush) inside the timing; both on an
    already open connection, so connection setup is timed on neither side.
  - Noise: one untimed warm-up of each side, then --repeats timed runs alternating (a), (b), so that load from other
    processes falls on both alike; the medians are compared and every sample is printed.
  - Earlier versions took one sample of each, with a baseline whose file_sha256 was "x" (64 bytes per row less to
    send and store than any real ingest: a flattering baseline) but whose CSV was a str encoded inside its timing,
    while the ingest's single run also created the month partitions: noisy (0.2x-0.4x run to run) and not like
    for like.

Where the time goes (also printed: parse + validate alone, no database)
  The ingest sends the same bytes as the baseline (a plain file's own lines behind batch, sha256 and line number,
  formatted block by block while the server stores the previous block), so its COPY costs what the baseline costs;
  the ratio is about COPY / (COPY + parse and validate + ~0.05 s of hashing, archiving and bookkeeping). --marker
  files also go that way (markers emptied, see air_stations._empty_markers) but read slower (pandas matches every
  field against the markers). Only files with a cell that is not a number are re-written from typed values.
"""
from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))


def make_csv(n_rows: int, marker: str = "") -> bytes:
    import numpy as np

    rng = np.random.default_rng(7)
    header = ("timepoint,stationcode,longitude,latitude,area,positionname,primarypollutant,aqi,pm10,pm10_24h,pm2_5,"
              "pm2_5_24h,o3,o3_24h,o3_8h,o3_8h_24h,no2,no2_24h,so2,so2_24h,co,co_24h")
    stations = [f"B{i:04d}A" for i in range(200)]
    lines = [header]
    for i in range(n_rows):
        hour, st = divmod(i, len(stations))
        d, h = divmod(hour, 24)
        tp = f"2024-{1 + d // 28:02d}-{1 + d % 28:02d} {h:02d}:00:00"
        pm = rng.integers(5, 120)
        m = marker
        lines.append(f"{tp},{stations[st]},118.9,28.9,衢州市,站点{st},{m},{pm},{pm * 2},{m},{pm},{m},60,{m},{m},{m},25,{m},8,"
                     f"{m},0.7,{m}")
    return ("\n".join(lines) + "\n").encode()


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=200_000)
    ap.add_argument("--repeats", type=int, default=5)
    ap.add_argument("--marker", default="", help="written for a missing value (default: the empty field)")
    args = ap.parse_args()
    import psycopg
    from psycopg import sql

    from ecowarehouse import db, settings
    from ecowarehouse.ingest import air_stations
    from ecowarehouse.ingest.pipeline import ingest_file

    base = settings.db_params()
    server = base.url().rsplit("/", 1)[0]
    scratch = f"ecowarehouse_bench_{os.getpid()}"
    with psycopg.connect(server + "/postgres", autocommit=True) as c:
        c.execute(sql.SQL("create database {}").format(sql.Identifier(scratch)))
    url = f"{server}/{scratch}"
    cols = sql.SQL(", ").join(map(sql.Identifier, air_stations.COPY_COLUMNS))
    copy_in = sql.SQL("copy raw.air_station_hourly ({}) from stdin with (format csv, encoding 'UTF8')").format(cols)
    copy_out = sql.SQL("copy (select {} from raw.air_station_hourly order by source_row) to stdout "
                       "with (format csv, encoding 'UTF8')").format(cols)
    try:
        db.migrate(url)
        data = make_csv(args.rows, args.marker)
        with tempfile.TemporaryDirectory() as tmp, \
                psycopg.connect(url, autocommit=True) as admin, db.connect(url=url) as conn:
            os.environ["ECOWAREHOUSE_STATE_DIR"] = tmp
            src = Path(tmp) / "bench.csv"
            src.write_bytes(data)
            prepared = Path(tmp) / "prepared.csv"
            notes = []

            def reset() -> None:  # untimed, before every run of either side
                admin.execute("truncate raw.air_station_hourly, quarantine.rows, ops.batches, ops.files cascade")
                shutil.rmtree(settings.archive_dir())
                try:
                    admin.execute("checkpoint")
                except psycopg.errors.InsufficientPrivilege:
                    if "no checkpoint" not in notes:
                        notes.append("no checkpoint")

            def stored() -> int:
                return admin.execute("select count(*) from raw.air_station_hourly").fetchone()[0]

            def run_ingest() -> float:
                reset()
                t0 = time.perf_counter()
                res = ingest_file(src, conn)
                elapsed = time.perf_counter() - t0
                assert (res.status, res.rows_loaded, res.rows_quarantined) == ("loaded", args.rows, 0), res
                assert stored() == args.rows
                return elapsed

            def run_copy() -> float:
                reset()
                t0 = time.perf_counter()
                block = prepared.read_bytes()
                with conn.cursor().copy(copy_in) as cp:
                    cp.write(block)
                conn.commit()
                elapsed = time.perf_counter() - t0
                assert stored() == args.rows
                return elapsed

            run_ingest()  # warm-up; makes the month partitions and the rows the baseline will load
            with open(prepared, "wb") as out, admin.cursor().copy(copy_out) as cp:
                for chunk in cp:
                    out.write(chunk)
            prepared_mb = prepared.stat().st_size / 1e6
            run_copy()  # warm-up
            t_ingest, t_copy = [], []
            for _ in range(args.repeats):
                t_ingest.append(run_ingest())
                t_copy.append(run_copy())
            # where the ingest's time goes, outside the database: parse + validate alone
            t_parse = []
            for _ in range(3):
                t0 = time.perf_counter()
                air_stations.parse(data)
                t_parse.append(time.perf_counter() - t0)

        def show(label: str, times: list[float]) -> float:
            med = statistics.median(times)
            print(f"{label}: {args.rows / med:,.0f} rows/s (median {med:.3f} s; runs "
                  + " ".join(f"{t:.3f}" for t in times) + ")")
            return med

        print(f"rows: {args.rows}{f', missing values written {args.marker!r}' if args.marker else ''}, file {len(data) / 1e6:.1f} MB, prepared CSV {prepared_mb:.1f} MB, "
              f"{args.repeats} timed runs per side after one warm-up" + (f" ({', '.join(notes)})" if notes else ""))
        m_ingest = show("ingest end-to-end", t_ingest)
        m_copy = show("raw COPY baseline", t_copy)
        print(f"  of which parse + validate (no database): median {statistics.median(t_parse):.3f} s")
        print(f"ratio ingest/COPY: {m_copy / m_ingest:.2f}x  (target >= 0.5x)")
    finally:
        with psycopg.connect(server + "/postgres", autocommit=True) as c:
            c.execute(sql.SQL("drop database if exists {} with (force)").format(sql.Identifier(scratch)))


if __name__ == "__main__":
    main()
