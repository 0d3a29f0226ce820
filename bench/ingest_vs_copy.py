"""Ingest throughput as a ratio against raw COPY of the same rows, measured in the same run.

    uv run python bench/ingest_vs_copy.py [--rows 200000]

(a) end-to-end ingest (read + decode + validate + archive + COPY + bookkeeping) of one hourly-format CSV, versus
(b) a bare `COPY raw.air_station_hourly FROM STDIN` of the already-typed rows prepared as CSV.
Uses its own scratch database on the configured server and drops it afterwards.
"""
from __future__ import annotations

import argparse
import io
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))


def make_csv(n_rows: int) -> bytes:
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
        lines.append(f"{tp},{stations[st]},118.9,28.9,衢州市,站点{st},,{pm},{pm * 2},,{pm},,60,,,,25,,8,,0.7,")
    return ("\n".join(lines) + "\n").encode()


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=200_000)
    args = ap.parse_args()
    import psycopg

    from ecowarehouse import db, settings
    from ecowarehouse.ingest import air_stations, ingest_paths

    base = settings.db_params()
    scratch = f"ecowarehouse_bench_{os.getpid()}"
    with psycopg.connect(base.url().rsplit("/", 1)[0] + "/postgres", autocommit=True) as c:
        c.execute(f'create database "{scratch}"')
    url = base.url().rsplit("/", 1)[0] + "/" + scratch
    try:
        db.migrate(url)
        data = make_csv(args.rows)
        with tempfile.TemporaryDirectory() as tmp:
            os.environ["ECOWAREHOUSE_STATE_DIR"] = tmp
            f = Path(tmp) / "bench.csv"
            f.write_bytes(data)
            t0 = time.perf_counter()
            [res] = ingest_paths([f], url=url)
            t_ingest = time.perf_counter() - t0
        assert res.rows_loaded == args.rows, res
        # baseline: the same rows, already typed, straight into COPY
        parsed = air_stations.parse(data)
        buf = io.StringIO()
        parsed.rows.assign(batch_id=0, file_sha256="x", timepoint=parsed.rows["timepoint_text"])[["batch_id", "file_sha256", "source_row",
                                                          *air_stations.AIR_STATION_COLUMNS]].to_csv(
            buf, index=False, header=False)
        prepared = buf.getvalue()
        with psycopg.connect(url) as conn:
            conn.execute("truncate raw.air_station_hourly")
            t0 = time.perf_counter()
            with conn.cursor().copy("copy raw.air_station_hourly from stdin with (format csv)") as cp:
                cp.write(prepared)
            conn.commit()
            t_copy = time.perf_counter() - t0
        print(f"rows: {args.rows}")
        print(f"ingest end-to-end: {args.rows / t_ingest:,.0f} rows/s ({t_ingest:.2f} s)")
        print(f"raw COPY baseline: {args.rows / t_copy:,.0f} rows/s ({t_copy:.2f} s)")
        print(f"ratio ingest/COPY: {t_copy / t_ingest:.2f}x  (target >= 0.5x)")
    finally:
        with psycopg.connect(base.url().rsplit("/", 1)[0] + "/postgres", autocommit=True) as c:
            c.execute(f'drop database if exists "{scratch}" with (force)')


if __name__ == "__main__":
    main()
