"""End to end through Airflow (`dag.test()`), dbt, GX and the embedded PostgreSQL, on the fixture month of
tests/air_fixture.py. Expected values are worked by hand from HJ 633-2012 / HJ 663-2013:

City stations 1264A, 1265A, 1266A; SO2 10, NO2 20, CO 0.5 every hour (IAQI 10, 25, 13).
* 2020-06-01: PM2.5 70/80/81 → city 77 → IAQI 100 + 50·2/40 = 102.5 → 103; PM10 100 → 75; O3 100 every hour → 8-h
  max 100 → 50, 1-h max 100 → 31.25 → 32. AQI 103, primary and non-attainment PM2.5, not a good day.
  Under HJ 633-2026 (PM2.5 60→100, 115→150): 100 + 50·17/55 = 115.45 → 116.
* 2020-06-02: PM2.5 35/36/36 → 35.667 → 50 + 50·0.667/40 = 50.83 → 51 (2026: 50 + 50·0.667/25 = 51.33 → 52);
  PM10 50 → 50. AQI 51, primary PM2.5, good day.
* 2020-06-03: 1264A has only 19 hours of PM2.5 → its day is invalid (HJ 663: ≥ 20 hours), so the city PM2.5 is
  (20 + 20)/2 = 20 → 28.57 → 29; PM10 40 → 40; O3 60 → 30 / 19. AQI 40 ≤ 50: no primary pollutant. Good day.
* Month: PM2.5 mean (77 + 35.667 + 20)/3 = 44.222; good days 2 of 3 = 66.667 %.
Rows: 3 day files × 24 hours × 4 stations (3 city + 1 of another city) = 288; the GBK file has 3 rows of which 2 are
quarantined (PM2.5 "abc", PM10 −5): received 291 = loaded 289 + quarantined 2; readme.txt is rejected as a file.
"""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from ecowarehouse import airflow_runner, settings

PERIOD = "2020-06"


from conftest import query as _q  # noqa: E402


def marts_fingerprint(warehouse) -> dict:
    """Checksum of every table (content, in a stable order) and its comment in `marts`."""
    tables = [r[0] for r in _q(warehouse, "select tablename from pg_tables where schemaname = 'marts' order by 1")]
    fp = {}
    for t in tables:
        fp[t] = _q(warehouse, f'select md5(coalesce(string_agg(x::text, \'|\' order by x::text), \'\')), '
                              f'obj_description(\'marts."{t}"\'::regclass) from marts."{t}" as x')[0]
    return fp


@pytest.fixture(scope="module")
def june_published(warehouse):
    import air_fixture
    from conftest import reset_warehouse

    reset_warehouse(warehouse)
    air_fixture.write_month(settings.landing_dir())
    dag_run = airflow_runner.run_monthly(PERIOD)
    return warehouse, dag_run


def test_dag_run_succeeds_and_publishes(june_published):
    warehouse, dag_run = june_published
    assert str(dag_run.state).endswith("success")
    pubs = _q(warehouse, "select period from ops.publications where run_id = %s", dag_run.run_id)
    assert pubs == [(PERIOD,)]
    # every suite's query ran on the real build (a query error would only show as a failed check)
    assert _q(warehouse, "select suite_name, check_name, observed->>'exception' from ops.check_results "
                         "where run_id = %s and observed ? 'exception'", dag_run.run_id) == []
    # dbt source freshness is part of the gate: the fixture's air data end on 06-04 03:00 (the GBK file's one loaded row), 26 days
    # 21 hours before the period end 07-01 00:00 → stale (error_after 2 days), a warning only
    fresh = _q(warehouse, """select success, observed->>'status_at_period_end' from ops.check_results
                             where run_id = %s and suite_name = 'source_freshness' and check_name = 'raw.air_station_hourly'""",
               dag_run.run_id)
    assert fresh == [(False, "error")]


def test_daily_aqi_by_hand(june_published):
    warehouse, _ = june_published
    rows = _q(warehouse, """select obs_date::text, aqi_standard, aqi, primary_pollutants, nonattainment_pollutants,
                                   round(pm2_5_24h::numeric, 3)::float, is_good_day
                            from marts.fct_air_quality_daily where area_code = '330800' order by 1, 2""")
    assert rows == [
        ("2020-06-01", "HJ 633-2012", 103, "PM2.5", "PM2.5", 77.0, False),
        ("2020-06-01", "HJ 633-2026", 116, "PM2.5", "PM2.5", 77.0, False),
        ("2020-06-02", "HJ 633-2012", 51, "PM2.5", None, 35.667, True),
        ("2020-06-02", "HJ 633-2026", 52, "PM2.5", None, 35.667, True),
        ("2020-06-03", "HJ 633-2012", 40, None, None, 20.0, True),
        ("2020-06-03", "HJ 633-2026", 40, None, None, 20.0, True),
    ]
    in_force = _q(warehouse, "select distinct aqi_standard from marts.fct_air_quality_daily where is_in_force")
    assert in_force == [("HJ 633-2012",)]  # June 2020 is before the 2026-03-01 revision


def test_monthly_values_by_hand(june_published):
    warehouse, _ = june_published
    [(mean, valid_days, good, share, month_valid)] = _q(
        warehouse, """select pm2_5_mean, pm2_5_valid_days, good_days, good_days_share_pct::float, pm2_5_month_valid
                      from marts.fct_air_quality_monthly
                      where area_code = '330800' and period = %s and aqi_standard = 'HJ 633-2012'""", PERIOD)
    assert mean == pytest.approx((77 + (35 + 36 + 36) / 3 + 20) / 3)
    assert (valid_days, good, share, month_valid) == (3, 2, pytest.approx(66.6667), False)
    ind = dict(_q(warehouse, """select indicator_code, value_ytd::float from marts.mart_indicator_monthly
                                where area_code = '330800' and period = %s""", PERIOD))
    assert ind == {"air_pm25_concentration": 44.22, "air_good_days_pct": 66.67}
    # the 2020 target of 表2-1 is text ("完成省下达任务"): no numeric target, so no attainment is claimed
    statuses = {r[0] for r in _q(warehouse, "select target_status from marts.mart_indicator_monthly")}
    assert statuses == {"no_numeric_target"}


def test_annual_statistics_by_hand(june_published):
    """HJ 663 annual statistics on the three fixture days: mean 44.222; p95 with k = 1 + 2·0.95 = 2.9 between the
    sorted values 35.667 and 77: 35.667 + 41.333·0.9 = 72.867. Three days are far from 324: not a valid year."""
    warehouse, _ = june_published
    rows = {r[0]: r[1:] for r in _q(warehouse, """
        select statistic, value, valid_days, months_meeting_minimum, is_valid, limit_value::float, limit_standard,
               meets_limit, assessment_standard
        from marts.fct_air_quality_annual where year = 2020 and area_code = '330800' and pollutant = 'pm2_5'""")}
    mean, p95 = rows["annual_mean"], rows["p95"]
    assert mean[0] == pytest.approx((77 + (35 + 36 + 36) / 3 + 20) / 3)
    assert p95[0] == pytest.approx((35 + 36 + 36) / 3 + (77 - (35 + 36 + 36) / 3) * 0.9)
    assert mean[1:] == (3, 0, False, 35.0, "GB 3095-2012", False, "HJ 663-2013")
    assert p95[1:] == (3, 0, False, 75.0, "GB 3095-2012", True, "HJ 663-2013")


def test_counts_reconcile_and_quarantine_reasons(june_published):
    warehouse, _ = june_published
    [(received, loaded, quarantined)] = _q(
        warehouse, "select sum(rows_received), sum(rows_loaded), sum(rows_quarantined) from ops.files")
    assert (received, loaded, quarantined) == (291, 289, 2)
    assert _q(warehouse, "select count(*) from raw.air_station_hourly") == [(289,)]
    reasons = sorted(r[0] for r in _q(warehouse, "select reason_code from quarantine.rows"))
    assert reasons == ["negative:pm10", "not_numeric:pm2_5"]
    rejected = _q(warehouse, "select original_name from ops.files where status = 'rejected'")
    assert rejected == [("readme.txt",)]
    # the county is attributed from the station registry, for the alerts to counties
    assert {r[0] for r in _q(warehouse, "select county_code from quarantine.rows")} == {"330822"}


def test_published_tables_have_chinese_comments(june_published):
    warehouse, _ = june_published
    missing = _q(warehouse, """
        select c.relname, a.attname from pg_class c join pg_namespace n on n.oid = c.relnamespace
        join pg_attribute a on a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped
        where n.nspname = 'marts' and c.relkind = 'r'
          and (col_description(c.oid, a.attnum) is null or obj_description(c.oid) is null)""")
    assert missing == []
    comment = _q(warehouse, "select obj_description('marts.fct_air_quality_monthly'::regclass)")[0][0]
    assert "粒度" in comment


def test_rerun_is_idempotent(june_published):
    warehouse, first = june_published
    before = marts_fingerprint(warehouse)
    dag_run = airflow_runner.run_monthly(PERIOD)
    assert str(dag_run.state).endswith("success")
    assert marts_fingerprint(warehouse) == before
    assert _q(warehouse, "select count(*), sum(rows_received) from ops.files") == [(5, 291)]
    assert _q(warehouse, "select count(*) from raw.air_station_hourly") == [(289,)]
    # the version replaced stays queryable for comparison: 2 areas (city, 柯城区) × 3 days × 2 HJ 633 versions
    assert _q(warehouse, "select count(*) from marts_previous.fct_air_quality_daily") == [(12,)]


def test_failing_blocking_check_leaves_marts_unchanged(june_published):
    """July 2020 has no data: the blocking check 'city value present' fails, so nothing may be published."""
    warehouse, _ = june_published
    before = marts_fingerprint(warehouse)
    pubs_before = _q(warehouse, "select count(*) from ops.publications")
    dag_run = airflow_runner.run_monthly("2020-07")
    assert str(dag_run.state).endswith("failed")
    assert marts_fingerprint(warehouse) == before
    assert _q(warehouse, "select count(*) from ops.publications") == pubs_before
    failed = _q(warehouse, """select suite_name, check_name from ops.check_results
                              where run_id = %s and not success and severity = 'blocking'""", dag_run.run_id)
    assert ("air_marts", "city_value_present_for_period") in failed
    assert _q(warehouse, "select status from ops.runs where run_id = %s", dag_run.run_id) == [("failed",)]
