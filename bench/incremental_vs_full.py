"""Monthly incremental dbt run vs full refresh over five years of monitoring data, measured in the same run.

    uv run python bench/incremental_vs_full.py [--years 5] [--latest-month 2026-10]

Data: the demo generators' hourly air-station files for every station of seeds/ref_air_stations.csv and HJ 212 hourly
packets of the demo outlets of seeds/ref_pollution_outlets.csv, for ``--years`` years ending with the latest month.
Steps, on a scratch database of the configured server (dropped afterwards):

1. ingest everything but the latest month, `dbt seed` + `dbt build --full-refresh` (the warehouse before the month);
2. ingest the latest month (hourly air files, daily packet files), drop the audit schema as the monthly DAG does, and
   time `dbt build` of the models and tests (incremental models read only the new batches);
3. time `dbt build --full-refresh` of the same models and tests over the same five years.

Seeds are loaded once before both (the DAG loads them in their own task) and are left out of both timings. Printed:
both wall times and their ratio (target <= 0.2x), the summed execution time of the models and of the tests of each
run and its ratio (what the data volume drives; the rest is dbt's fixed per-node cost, the same in both runs), and the
slowest nodes (from dbt's run_results.json).
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "scripts"))


def _months(latest: str, years: int) -> list[str]:
    y, m = int(latest[:4]), int(latest[5:7])
    out = []
    for _ in range(12 * years):
        out.append(f"{y:04d}-{m:02d}")
        y, m = (y, m - 1) if m > 1 else (y - 1, 12)
    return out[::-1]


def _dbt(target: Path, *args: str) -> tuple[float, list]:
    """One dbt invocation in this process through dbtRunner, as cosmos runs dbt when it is installed beside Airflow
    (InvocationMode.DBT_RUNNER): importing dbt (about 5 s here) is paid once by the process, not by each run."""
    from dbt.cli.main import dbtRunner

    from ecowarehouse import settings

    os.environ.update(settings.OFFLINE_ENV)
    cwd = os.getcwd()
    os.chdir(settings.DBT_PROJECT_DIR)
    try:
        t0 = time.perf_counter()
        res = dbtRunner().invoke([*args, "--profiles-dir", str(settings.DBT_PROJECT_DIR), "--target-path", str(target),
                                  "--quiet"])
        elapsed = time.perf_counter() - t0
    finally:
        os.chdir(cwd)
    if not res.success:
        raise SystemExit(f"dbt {' '.join(args)} failed: {res.exception or 'see the log'}")
    results = json.loads((target / "run_results.json").read_text())["results"] if args[0] != "parse" else []
    return elapsed, sorted(((r["execution_time"], r["unique_id"].split(".")[-1], r["unique_id"].split(".")[0])
                            for r in results), reverse=True)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--years", type=int, default=5)
    ap.add_argument("--latest-month", default="2026-10")
    args = ap.parse_args()
    import psycopg

    import generate_demo_data
    import generate_source_packets
    from ecowarehouse import db, settings
    from ecowarehouse.ingest import ingest_paths

    base = settings.db_params()
    settings.apply_runtime_env(base)
    scratch = f"ecowarehouse_bench_{os.getpid()}"
    admin = base.url().rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as c:
        c.execute(f'create database "{scratch}"')
    url = base.url().rsplit("/", 1)[0] + "/" + scratch
    os.environ["PGDATABASE"] = scratch  # dbt's profile reads the libpq variables
    try:
        with tempfile.TemporaryDirectory() as tmp:
            tmp = Path(tmp)
            os.environ["ECOWAREHOUSE_STATE_DIR"] = str(tmp / "state")
            months = _months(args.latest_month, args.years)
            hist, new = tmp / "hist", tmp / "new"
            t0 = time.perf_counter()
            generate_demo_data.generate(hist, months=months[:-1], latest_month=args.latest_month, bad_files=False)
            generate_demo_data.generate(new, months=months[-1:], latest_month=args.latest_month, bad_files=False)
            for m in months[:-1]:
                generate_source_packets.generate(hist, latest_month=m)
            generate_source_packets.generate(new, latest_month=months[-1])
            print(f"generated {args.years} years ({months[0]} … {months[-1]}) in {time.perf_counter() - t0:.0f} s")
            db.migrate(url)
            t0 = time.perf_counter()
            res = ingest_paths([hist], url=url)
            print(f"history: {len(res)} files, {sum(r.rows_loaded for r in res):,} rows loaded "
                  f"in {time.perf_counter() - t0:.0f} s")
            previous = months[-2]
            _dbt(tmp / "t0", "seed", "--full-refresh")
            models = ["--exclude", "resource_type:seed"]
            _dbt(tmp / "t1", "build", *models, "--full-refresh", "--vars", f"{{period: '{previous}'}}")
            res = ingest_paths([new], url=url)
            print(f"new month {months[-1]}: {len(res)} files, {sum(r.rows_loaded for r in res):,} rows loaded")
            with psycopg.connect(url, autocommit=True) as c:
                c.execute('drop schema if exists "marts_audit" cascade')  # what prepare_audit does
            period = f"{{period: '{months[-1]}'}}"
            # both builds start from the same parsed project (partial parse, as the DAG's tasks do)
            _dbt(tmp / "t2", "parse", "--vars", period)
            t_inc, slow_inc = _dbt(tmp / "t2", "build", *models, "--vars", period)
            t_full, slow_full = _dbt(tmp / "t2", "build", *models, "--full-refresh", "--vars", period)
            with psycopg.connect(url) as c:
                hours = c.execute("select count(*) from intermediate.int_air__station_hourly").fetchone()[0]
                source_hours = c.execute("select count(*) from intermediate.int_source__hourly_values").fetchone()[0]
        print(f"history in the models: {hours:,} station-hours of air, {source_hours:,} outlet-pollutant hours")
        for label, wall, slow in (("monthly incremental build", t_inc, slow_inc), ("full refresh build", t_full, slow_full)):
            models = sum(t for t, _, kind in slow if kind == "model")
            tests = sum(t for t, _, kind in slow if kind == "test")
            print(f"{label}: {wall:.1f} s wall, {len(slow)} nodes; model time {models:.1f} s, test time {tests:.1f} s;"
                  " slowest: " + ", ".join(f"{n} {t:.1f}s" for t, n, _ in slow[:5]))
        model_inc = sum(t for t, _, kind in slow_inc if kind == "model")
        model_full = sum(t for t, _, kind in slow_full if kind == "model")
        print(f"ratio incremental/full: {t_inc / t_full:.2f}x wall (target <= 0.2x); "
              f"{model_inc / model_full:.2f}x summed model execution time")
    finally:
        with psycopg.connect(admin, autocommit=True) as c:
            c.execute(f'drop database if exists "{scratch}" with (force)')


if __name__ == "__main__":
    main()
