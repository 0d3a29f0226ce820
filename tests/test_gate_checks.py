"""The gate's added suites (expectations/*.json) on hand-made fixtures: each passes on clean data and fails on one
planted fault, through the real `gate.run_suites` (GX Core on the test PostgreSQL) and `dbt source freshness`; and the
atomic publication: a reader in another connection during the real `publish.publish` sees the old or the new version.

Period 2021-06 (30 days; every registered air station is valid from 2015-01-01 and every outlet from 2021-01-01 in
seeds/ref_air_stations.csv and seeds/ref_pollution_outlets.csv). Mart-shaped tables that a suite reads are created by
hand with only the columns its query uses, so that a fault can be planted exactly."""
from __future__ import annotations

import sys
import threading
import time
from pathlib import Path

import psycopg
import pytest

sys.path.insert(0, str(Path(__file__).parent))

from conftest import dbt_build, query, reset_warehouse  # noqa: E402

PERIOD = "2021-06"
RAW_SUITES = ["raw_schema__air_station_hourly", "raw_schema__county_indicator_values", "raw_schema__county_submissions",
              "raw_schema__enterprise_ledger", "raw_schema__hj212_packets", "raw_schema__hj212_values",
              "raw_schema__hw_declarations", "raw_schema__hw_manifests", "raw_schema__task_progress",
              "raw_schema__water_auto_platform", "raw_schema__water_section_samples"]
SEEDS = ("ref_air_stations ref_pollution_outlets ref_water_auto_stations ref_water_sections ref_counties ref_programme_units "
         "std_air_validity std_air_limits int_std__air_validity_rules")


@pytest.fixture(scope="module")
def wh(warehouse, tmp_path_factory):
    reset_warehouse(warehouse)
    dbt_build(tmp_path_factory.mktemp("dbt"), *SEEDS.split(), command="build")
    return warehouse


def run(sql: str, wh, *args) -> None:
    with psycopg.connect(wh.url(), autocommit=True) as conn:
        conn.execute(sql, args or None)


def gate_run(*suites: str, run_id: str = "t") -> dict:
    """{(suite, check): (success, unexpected rows as dicts)} for the named suites."""
    from ecowarehouse import gate

    out = {}
    for r in gate.run_suites(PERIOD, run_id, only=suites):
        rows = (r.observed.get("details") or {}).get("unexpected_rows")
        out[(r.suite, r.check)] = (r.success, rows)
    return out


def failed(results: dict) -> list:
    return sorted(k for k, (ok, _) in results.items() if not ok)


def test_every_suite_file_is_valid_and_named_once():
    from ecowarehouse import gate

    suites = gate.load_suites(PERIOD)
    names = [s["name"] for s in suites]
    assert len(names) == len(set(names))
    assert set(RAW_SUITES) | {"air_station_completeness", "outlet_transmission", "water_section_reports",
                              "indicator_jumps", "registry_air_stations", "registry_hj212_mn",
                              "registry_water_sections", "registry_counties"} <= set(names)
    assert all(s["meta"]["severity"] == "blocking" for s in suites if s["name"] in RAW_SUITES)


# ---- 1. schema and types of each raw table -------------------------------------------------------------------------

def test_raw_schema_suites_pass_on_the_migrated_tables_and_record_results(wh):
    t0 = time.monotonic()
    results = gate_run(*RAW_SUITES, run_id="t-raw")
    elapsed = time.monotonic() - t0
    assert failed(results) == []
    # one columns check per table + one type check per column of raw.hw_declarations (19 columns in 006_hazwaste.sql)
    assert sum(1 for s, _ in results if s == "raw_schema__hw_declarations") == 1 + 19
    assert query(wh, "select count(*) from ops.check_results where run_id = 't-raw'") == [(len(results),)]
    # metadata only: no row is read, so the cost does not grow with the data (measured ~15–50 s on 2 shared cores,
    # most of it GX's own start-up and Data Docs)
    assert elapsed < 300


def test_raw_schema_suite_fails_on_a_changed_type_or_an_extra_column(wh):
    run("alter table raw.hw_declarations alter column report_year type text", wh)
    run("alter table raw.task_progress add column surprise text", wh)
    try:
        results = gate_run("raw_schema__hw_declarations", "raw_schema__task_progress")
    finally:
        run("alter table raw.hw_declarations alter column report_year type integer using report_year::integer", wh)
        run("alter table raw.task_progress drop column surprise", wh)
    assert failed(results) == [("raw_schema__hw_declarations", "type_report_year"),
                               ("raw_schema__task_progress", "columns_task_progress")]


# ---- 2. completeness per station / outlet / section ---------------------------------------------------------------

def _station_daily(wh, days_by_station: dict[str, int]) -> None:
    run("create schema if not exists intermediate", wh)
    run("drop table if exists intermediate.int_air__station_daily", wh)
    run("create table intermediate.int_air__station_daily (station_code text, obs_date date, pm2_5_24h double precision)",
        wh)
    for code, n in days_by_station.items():
        # n valid days (1..n) and the rest of June with a NULL (invalid) daily mean
        run("""insert into intermediate.int_air__station_daily
               select %s, d::date, case when extract(day from d) <= %s then 30 end
               from generate_series(date '2021-06-01', date '2021-06-30', interval '1 day') as d""", wh, code, n)


def test_air_station_completeness(wh):
    stations = [r[0] for r in query(wh, "select station_code from ref.ref_air_stations order by 1")]
    assert len(stations) == 13
    _station_daily(wh, {s: 27 for s in stations})  # 27 = GB 3095-2012 Table 4 minimum for a month other than Feb
    assert failed(gate_run("air_station_completeness")) == []
    # 1264A 26 valid days (< 27); QZ330881A2 sends nothing at all in June → 0 days
    _station_daily(wh, {s: (26 if s == "1264A" else 27) for s in stations if s != "QZ330881A2"})
    (ok, rows), = gate_run("air_station_completeness").values()
    assert not ok
    assert sorted((r["station_code"], r["pm2_5_valid_days"], r["min_days"]) for r in rows) == [
        ("1264A", 26, 27), ("QZ330881A2", 0, 27)]


def test_outlet_transmission(wh):
    run("create schema if not exists marts_audit", wh)
    run("drop table if exists marts_audit.fct_source_transmission_monthly", wh)
    run("create table marts_audit.fct_source_transmission_monthly (mn text, month text, transmission_rate_pct numeric)",
        wh)
    run("""insert into marts_audit.fct_source_transmission_monthly
           select mn, '2021-06', 90 from ref.ref_pollution_outlets""", wh)  # 90 % is the bound: passes
    assert failed(gate_run("outlet_transmission")) == []
    # 648 of 720 hours = 90 %; 647/720 = 89.86 % < 90 → flagged; the FQ02 outlet missing from the month → flagged
    run("update marts_audit.fct_source_transmission_monthly set transmission_rate_pct = 89.86 "
        "where mn = '33080200000000000000WS01'", wh)
    run("delete from marts_audit.fct_source_transmission_monthly where mn = '33088100000000000000FQ02'", wh)
    (ok, rows), = gate_run("outlet_transmission").values()
    assert not ok
    assert sorted(r["mn"] for r in rows) == ["33080200000000000000WS01", "33088100000000000000FQ02"]


def test_water_section_reports(wh):
    run("create schema if not exists marts_audit", wh)
    run("drop table if exists marts_audit.fct_water_section_quality", wh)
    run("create table marts_audit.fct_water_section_quality (section_code text, period_kind text, period_code text)", wh)
    run("""insert into marts_audit.fct_water_section_quality
           select section_code, 'month', '2021-06' from ref.ref_water_sections""", wh)
    assert gate_run("water_section_reports") == {("water_section_reports", "every_section_has_month_result"): (True, [])}
    # QZ-W09 has only May's result and a June day (an automatic-station day is not a month result)
    run("""update marts_audit.fct_water_section_quality set period_code = '2021-05' where section_code = 'QZ-W09'""", wh)
    run("insert into marts_audit.fct_water_section_quality values ('QZ-W09', 'day', '2021-06-15')", wh)
    (ok, rows), = gate_run("water_section_reports").values()
    assert not ok and [r["section_code"] for r in rows] == ["QZ-W09"]


# ---- 2b. referential integrity to the registries ------------------------------------------------------------------

def _air_hourly(wh, rows: list[tuple]) -> None:
    from datetime import date

    from ecowarehouse import db

    with psycopg.connect(wh.url(), autocommit=True) as conn:
        conn.execute("truncate raw.air_station_hourly")
        db.ensure_month_partition(conn, "raw.air_station_hourly", date(2021, 6, 1))
        for i, (tp, code, area) in enumerate(rows):
            conn.execute("""insert into raw.air_station_hourly (batch_id, file_sha256, source_row, timepoint, stationcode,
                            area, pm2_5) values (1, 'f', %s, %s, %s, %s, 30)""", (i, tp, code, area))


def test_registry_air_stations(wh):
    _air_hourly(wh, [("2021-06-30 23:00", "1264A", "衢州市"), ("2021-06-10 12:00", "1001A", "北京")])
    assert failed(gate_run("registry_air_stations")) == []  # another city's station is ignored by design
    _air_hourly(wh, [("2021-06-30 23:00", "1264A", "衢州市"), ("2021-06-10 12:00", "QZ9999A", "衢州市"),
                     ("2021-06-10 13:00", "QZ9999A", "衢州市")])
    (ok, rows), = gate_run("registry_air_stations").values()
    assert not ok and [(r["stationcode"], r["rows_in_month"]) for r in rows] == [("QZ9999A", 2)]


def test_registry_counties(wh):
    """Submissions whose reporting period covers June: 柯城区 (330802, a QZ2023 unit) and the monitoring centre
    (330800-JCZX, a QZ-WATER unit of seeds/ref_programme_units.csv, not a county) pass; an unknown 330899 filing a
    quarter that covers June fails; its May submission lies outside the month and is ignored."""
    run("""insert into ops.files (file_sha256, original_name, size_bytes, archive_path, status)
           values ('f', 'x.xlsx', 1, 'a', 'loaded') on conflict do nothing""", wh)

    def submission(programme: str, unit: str, period: str, start: str, end: str, sheet: str) -> None:
        run("""insert into raw.county_submissions (file_sha256, batch_id, sheet_name, template_code, programme_code,
               county_code, period_code, period_start, period_end, delivered_at, rows_received, rows_loaded,
               rows_quarantined, rows_with_warnings)
               values ('f', 1, %s, 'T', %s, %s, %s, %s, %s, now(), 0, 0, 0, 0)""", wh, sheet, programme, unit, period,
            start, end)

    submission("QZ2023", "330802", "2021-06", "2021-06-01", "2021-06-30", "s1")
    submission("QZ-WATER", "330800-JCZX", "2021-06", "2021-06-01", "2021-06-30", "s2")
    submission("QZ2023", "330899", "2021-05", "2021-05-01", "2021-05-31", "s3")
    assert failed(gate_run("registry_counties")) == []
    submission("QZ2023", "330899", "2021-Q2", "2021-04-01", "2021-06-30", "s4")
    (ok, rows) = gate_run("registry_counties")[("registry_counties", "submission_units_registered")]
    assert not ok and [(r["county_code"], r["period_code"]) for r in rows] == [("330899", "2021-Q2")]


# ---- 3. stuck values (existing air_plausibility suite, not tested elsewhere) --------------------------------------

def test_stuck_value_six_hours(wh):
    run("drop table if exists intermediate.int_air__station_hourly", wh)
    run("""create table intermediate.int_air__station_hourly (station_code text, county_code text, observed_at timestamp,
           obs_date date, pm2_5_1h double precision, pm10_1h double precision)""", wh)
    # 1264A: 41 for 5 hours (01–05), then 40: no run of 6. 1265A: 33 for 6 hours (01–06) → stuck.
    run("""insert into intermediate.int_air__station_hourly
           select '1264A', '330802', timestamp '2021-06-05 00:00' + h * interval '1 hour', date '2021-06-05',
                  case when h between 1 and 5 then 41 else 40 + h * 0.5 end, 80
           from generate_series(0, 12) as h""", wh)
    assert failed(gate_run("air_plausibility")) == []
    run("""insert into intermediate.int_air__station_hourly
           select '1265A', '330802', timestamp '2021-06-05 00:00' + h * interval '1 hour', date '2021-06-05',
                  case when h between 1 and 6 then 33 else 20 + h end, 80
           from generate_series(0, 12) as h""", wh)
    res = gate_run("air_plausibility")
    ok, rows = res[("air_plausibility", "pm2_5_not_stuck_6h")]
    assert not ok and [(r["station_code"], r["run_hours"], r["stuck_value"]) for r in rows] == [("1265A", 6, 33.0)]
    assert res[("air_plausibility", "pm2_5_not_above_pm10")][0]


# ---- 4. indicator month-over-month jumps --------------------------------------------------------------------------

def test_indicator_jump_beyond_bound(wh):
    run("create schema if not exists marts_audit", wh)
    run("drop table if exists marts_audit.mart_indicator_monthly", wh)
    run("""create table marts_audit.mart_indicator_monthly (period text, month_start date, area_code text,
           indicator_code text, value_month numeric)""", wh)
    # PM2.5 bound 30 μg/m³: 330800 40 → 70 (|30| not > 30, passes); good days bound 40 points: 50 → 90 passes
    run("""insert into marts_audit.mart_indicator_monthly values
           ('2021-05', '2021-05-01', '330800', 'air_pm25_concentration', 40), ('2021-06', '2021-06-01', '330800', 'air_pm25_concentration', 70),
           ('2021-05', '2021-05-01', '330800', 'air_good_days_pct', 50), ('2021-06', '2021-06-01', '330800', 'air_good_days_pct', 90),
           ('2021-06', '2021-06-01', '330803', 'air_pm25_concentration', 90)""", wh)  # no May value: not judged
    assert failed(gate_run("indicator_jumps")) == []
    # 330802: 40 → 71 (31 > 30) and 90 → 49 (41 > 40) are flagged for review
    run("""insert into marts_audit.mart_indicator_monthly values
           ('2021-05', '2021-05-01', '330802', 'air_pm25_concentration', 40), ('2021-06', '2021-06-01', '330802', 'air_pm25_concentration', 71),
           ('2021-05', '2021-05-01', '330802', 'air_good_days_pct', 90), ('2021-06', '2021-06-01', '330802', 'air_good_days_pct', 49)""", wh)
    (ok, rows), = gate_run("indicator_jumps").values()
    assert not ok
    assert sorted((r["area_code"], r["indicator_code"], float(r["previous_value"]), float(r["current_value"])) for r in rows) == [
        ("330802", "air_good_days_pct", 90.0, 49.0), ("330802", "air_pm25_concentration", 40.0, 71.0)]


# ---- 5. source freshness as of the period end ---------------------------------------------------------------------

def test_freshness_status_at_period_end():
    from datetime import datetime

    from ecowarehouse.gate import freshness_at_period_end

    c = {"warn_after": {"count": 3, "period": "hour"}, "error_after": {"count": 2, "period": "day"}}
    # period end 2021-07-01 00:00: newest row 06-30 21:00 is 3 h old (not > 3 → pass); 20:59 → 3.02 h → warn;
    # 06-29 00:00 → 48 h (not > 48 → warn); 06-28 23:00 → 49 h → error; no row → error with no age
    assert freshness_at_period_end(datetime(2021, 6, 30, 21), PERIOD, c) == ("pass", 3.0)
    assert freshness_at_period_end(datetime(2021, 6, 30, 20, 59), PERIOD, c)[0] == "warn"
    assert freshness_at_period_end(datetime(2021, 6, 29), PERIOD, c) == ("warn", 48.0)
    assert freshness_at_period_end(datetime(2021, 6, 28, 23), PERIOD, c) == ("error", 49.0)
    assert freshness_at_period_end(None, PERIOD, c) == ("error", None)
    assert freshness_at_period_end(datetime(2021, 12, 31, 23), "2021-12", c) == ("pass", 1.0)


def test_source_freshness_through_dbt(wh):
    """Air data up to 06-30 23:00 (1 h before the period end: fresh); HJ 212 packets up to 06-20 00:00 (11 days: stale,
    error_after 2 days); the other sources are empty here (no row: stale, age NULL)."""
    from datetime import date

    from ecowarehouse import db

    _air_hourly(wh, [("2021-06-30 23:00", "1264A", "衢州市")])
    with psycopg.connect(wh.url(), autocommit=True) as conn:
        conn.execute("truncate raw.hj212_packets")
        conn.execute("""insert into raw.hj212_packets (batch_id, file_sha256, source_row, mn, data_time, crc_variant,
                        segment_len) values (1, 'f', 1, 'x', '2021-06-20 00:00', 'std', 10)""")
        db.ensure_month_partition(conn, "raw.air_station_hourly", date(2021, 6, 1))
    res = {k[1]: v for k, v in gate_run("source_freshness", run_id="t-fresh").items()}
    assert res["raw.air_station_hourly"][0] is True
    assert res["raw.hj212_packets"][0] is False
    assert res["raw.hw_manifests"][0] is False
    observed = dict(query(wh, """select check_name, observed from ops.check_results
                                 where run_id = 't-fresh' and suite_name = 'source_freshness'"""))
    assert observed["raw.air_station_hourly"]["age_hours_at_period_end"] == 1.0
    assert observed["raw.hj212_packets"]["status_at_period_end"] == "error"
    assert observed["raw.hj212_packets"]["age_hours_at_period_end"] == 11 * 24  # 06-20 00:00 → 07-01 00:00
    assert observed["raw.hw_manifests"]["age_hours_at_period_end"] is None
    assert {r[0] for r in query(wh, "select distinct severity from ops.check_results where run_id = 't-fresh'")} == {
        "warning"}


# ---- 6. atomic publication ----------------------------------------------------------------------------------------

def test_publication_is_atomic_for_a_reader(wh):
    """A reader in another connection reads two marts tables in one statement, in a loop, while the real publish()
    swaps schemas: every read is wholly 'old' or wholly 'new', never a missing relation; marts_previous keeps 'old'."""
    from ecowarehouse import publish

    for schema, marker in (("marts", "old"), ("marts_audit", "new")):
        run(f"drop schema if exists {schema} cascade", wh)
        run(f"create schema {schema}", wh)
        run(f"create table {schema}.a as select '{marker}'::text as marker", wh)
        # enough rows that publish()'s row counts keep its transaction open for a while
        run(f"create table {schema}.b as select '{marker}'::text as marker, g from generate_series(1, 300000) as g", wh)
    seen: list[tuple] = []
    errors: list[Exception] = []
    stop = threading.Event()

    def reader():
        with psycopg.connect(wh.url(), autocommit=True) as conn:
            while not stop.is_set():
                try:
                    t = time.monotonic()
                    row = conn.execute("select (select marker from marts.a), (select min(marker) || max(marker) "
                                       "from marts.b where g % 1000 = 0)").fetchone()
                    seen.append((t, time.monotonic(), row))
                except Exception as e:  # a missing relation would land here
                    errors.append(e)

    th = threading.Thread(target=reader)
    th.start()
    time.sleep(0.5)
    t_start = time.monotonic()
    publish.publish("t-atomic", PERIOD, {"passed": 1}, "test")
    t_end = time.monotonic()
    time.sleep(0.5)
    stop.set()
    th.join()
    assert errors == []
    assert {r for _, _, r in seen} == {("old", "oldold"), ("new", "newnew")}
    assert any(t0 < t_end and t1 > t_start for t0, t1, _ in seen)  # some reads overlapped the publication
    assert query(wh, "select marker from marts_previous.a") == [("old",)]
    assert query(wh, "select marker from marts.a") == [("new",)]
    assert query(wh, "select row_counts->>'b' from ops.publications where run_id = 't-atomic'") == [("300000",)]
