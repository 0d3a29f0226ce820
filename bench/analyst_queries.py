"""p50/p95 latency of the analysts' example questions (dbt_project/analyses/*.sql) on five years of demo data, with a
trivial query's latency measured in the same run as the baseline.

    uv run python bench/analyst_queries.py [--years 5] [--latest-month 2026-10] [--runs 30] [--keep-db]
    uv run python bench/analyst_queries.py --reuse-db ecowarehouse_bench_123   # time the questions only

Data, on a scratch database of the configured server (dropped afterwards unless --keep-db), from the demo generators:

* hourly air-station files of every station of seeds/ref_air_stations.csv, ``--years`` years ending with the latest
  month (the latest month as hourly files, as the network delivers it);
* HJ 212 hourly packets of the demo outlets of seeds/ref_pollution_outlets.csv, the same ``--years`` years;
* hazardous-waste manifests and monthly declarations, the same ``--years`` years (the generator simulates storage from
  the first month; anomalies are planted in the latest months);
* water automatic stations (HJ 212 ST=21 and the national platform's export): the last 12 months;
* county workbooks: the generator's three 衢州 months (reporting starts 2026-08) with their faults, the manual
  water-section form of those months, and the 达州 ledgers 2021-Q4 … 2023-Q4 — county reporting began in 2026, so
  that history is all there is.

Then `dbt seed`, `dbt run` of every model for the latest month (tests are the DAG's and `make test`'s business, not
this benchmark's) and publication by the same schema swap as the DAG (src/ecowarehouse/publish.py). Each question is
run once to warm up and then ``--runs`` times, each on the same connection as BI tools would; printed: the row counts
of the tables the questions read, p50/p95 per question and over all runs, the baseline `select count(*) from
marts.dim_area`, and each p95 as a multiple of the baseline's p95. Target: every question's p95 < 100 ms.
"""
from __future__ import annotations

import argparse
import os
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "scripts"))
sys.path.insert(0, str(ROOT / "bench"))

ANALYSES = ROOT / "dbt_project" / "analyses"
BASELINE = "select count(*) from marts.dim_area"
TARGET_MS = 100.0


def questions() -> list[tuple[str, str]]:
    """(file stem, SQL) of every question: the files are plain SQL on `marts.*` (the `-- depends_on:` lines that give
    dbt its lineage are comments)."""
    return [(p.stem, p.read_text(encoding="utf-8")) for p in sorted(ANALYSES.glob("*.sql"))]


def _pct(values: list[float], p: float) -> float:
    """Percentile by linear interpolation between closest ranks (k = 1 + (n − 1)p, as HJ 663 Appendix A)."""
    xs = sorted(values)
    k = (len(xs) - 1) * p
    lo = int(k)
    hi = min(lo + 1, len(xs) - 1)
    return xs[lo] + (xs[hi] - xs[lo]) * (k - lo)


def time_queries(url: str, runs: int) -> dict[str, list[float]]:
    import psycopg

    timings: dict[str, list[float]] = {}
    with psycopg.connect(url, autocommit=True) as conn:
        for name, sql in [("baseline", BASELINE), *questions()]:
            conn.execute(sql).fetchall()  # warm-up: plans and pages in cache
            out = []
            for _ in range(runs):
                t0 = time.perf_counter()
                conn.execute(sql).fetchall()
                out.append((time.perf_counter() - t0) * 1000)
            timings[name] = out
    return timings


def report(url: str, timings: dict[str, list[float]]) -> bool:
    import psycopg

    tables = sorted({t for _, sql in questions() for t in re.findall(r"\bmarts\.([a-z0-9_]+)", sql)})
    with psycopg.connect(url) as conn:
        counts = {t: conn.execute(f"select count(*) from marts.{t}").fetchone()[0] for t in tables}
    print("rows in the marts the questions read: " + ", ".join(f"{t} {n:,}" for t, n in counts.items()))
    base95 = _pct(timings["baseline"], 0.95)
    print(f"\n{'question':<44} {'p50 ms':>8} {'p95 ms':>8} {'p95/baseline':>13}")
    ok = True
    for name, xs in timings.items():
        p95 = _pct(xs, 0.95)
        ok &= name == "baseline" or p95 < TARGET_MS
        flag = "" if name == "baseline" or p95 < TARGET_MS else f"  MISSES {TARGET_MS:.0f} ms"
        print(f"{name:<44} {statistics.median(xs):8.2f} {p95:8.2f} {p95 / base95:12.1f}x{flag}")
    every = [x for n, xs in timings.items() if n != "baseline" for x in xs]
    print(f"{'all questions (' + str(len(every)) + ' runs)':<44} {statistics.median(every):8.2f} "
          f"{_pct(every, 0.95):8.2f} {_pct(every, 0.95) / base95:12.1f}x")
    print(f"\ntarget: every question's p95 < {TARGET_MS:.0f} ms — {'met' if ok else 'NOT met'}")
    return ok


def build(url: str, tmp: Path, years: int, latest: str) -> None:
    import psycopg

    import generate_county_reports
    import generate_demo_data
    import generate_hazwaste
    import generate_source_packets
    import generate_water_auto
    from incremental_vs_full import _dbt, _months

    from ecowarehouse import db, publish
    from ecowarehouse.ingest import ingest_paths

    months = _months(latest, years)
    folders = {k: tmp / k for k in ("air", "sources", "hazwaste", "water_auto", "county")}
    t0 = time.perf_counter()
    generate_demo_data.generate(folders["air"], months=months, latest_month=latest, bad_files=False)
    for m in months:
        generate_source_packets.generate(folders["sources"], latest_month=m)
    generate_hazwaste.generate(folders["hazwaste"], months=months, latest_month=latest)
    for m in months[-12:]:
        generate_water_auto.generate(folders["water_auto"], latest_month=m)
    generate_county_reports.generate(folders["county"], latest_month=latest)
    print(f"generated {years} years ({months[0]} … {months[-1]}) in {time.perf_counter() - t0:.0f} s")
    db.migrate(url)
    t0 = time.perf_counter()
    for kind, folder in folders.items():
        res = ingest_paths([folder], url=url)
        print(f"  {kind}: {len(res)} files, {sum(r.rows_loaded for r in res):,} rows loaded, "
              f"{sum(r.rows_quarantined for r in res):,} quarantined")
    print(f"ingested in {time.perf_counter() - t0:.0f} s")
    t0 = time.perf_counter()
    period = f"{{period: '{latest}'}}"
    _dbt(tmp / "target", "seed", "--full-refresh")
    _dbt(tmp / "target", "run", "--full-refresh", "--vars", period)
    counts = publish.publish("bench-analyst-queries", latest, {"passed": 0}, "bench", url=url)
    print(f"built and published {len(counts)} marts in {time.perf_counter() - t0:.0f} s")
    with psycopg.connect(url) as c:
        for t in ("raw.air_station_hourly", "raw.hj212_values", "raw.hw_manifests", "raw.hw_declarations",
                  "raw.water_auto_platform", "raw.enterprise_ledger", "raw.task_progress"):
            try:
                print(f"  {t}: {c.execute(f'select count(*) from {t}').fetchone()[0]:,} rows")
            except psycopg.Error:
                c.rollback()


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--years", type=int, default=5)
    ap.add_argument("--latest-month", default="2026-10")
    ap.add_argument("--runs", type=int, default=30)
    ap.add_argument("--keep-db", action="store_true", help="keep the scratch database (its name is printed)")
    ap.add_argument("--reuse-db", default=None, help="time the questions on a database built by --keep-db")
    args = ap.parse_args()
    import psycopg

    from ecowarehouse import settings

    base = settings.db_params()
    settings.apply_runtime_env(base)
    admin = base.url().rsplit("/", 1)[0] + "/postgres"
    scratch = args.reuse_db or f"ecowarehouse_bench_{os.getpid()}"
    url = base.url().rsplit("/", 1)[0] + "/" + scratch
    ok = False
    try:
        if not args.reuse_db:
            with psycopg.connect(admin, autocommit=True) as c:
                c.execute(f'create database "{scratch}"')
            os.environ["PGDATABASE"] = scratch  # dbt's profile reads the libpq variables
            with tempfile.TemporaryDirectory() as tmp:
                os.environ["ECOWAREHOUSE_STATE_DIR"] = str(Path(tmp) / "state")
                build(url, Path(tmp), args.years, args.latest_month)
        ok = report(url, time_queries(url, args.runs))
    finally:
        if args.keep_db or args.reuse_db:
            print(f"database kept: {scratch}")
        else:
            with psycopg.connect(admin, autocommit=True) as c:
                c.execute(f'drop database if exists "{scratch}" with (force)')
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
