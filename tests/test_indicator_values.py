"""The 十三五 indicator mart (fct_indicator_values), its lineage and the year-end projection, on hand-written inputs.

The source marts (air, water, county forms, hazardous waste, emissions) have their own tests; here they are first built
for real from an empty warehouse (so their columns and types are the project's), then a small fixture is written into
them and only the indicator models are rebuilt (assessed month 2026-03). Every expected value below is worked by hand.

Air, city 330800, HJ 633-2012 (the 十三五 version, seeds/ref_indicator_metrics.csv):
  2025-04-01 … 2025-12-31 (275 days): PM2.5 30 every day; AQI 50, except 2025-04-01 … 04-20 (20 days) AQI 120.
  2026-01 (31 days): PM2.5 40; AQI 60, except 01-01 … 01-05 AQI 120     → 26 good days
  2026-02 (28 days): PM2.5 50; AQI 70, except 02-01 … 02-03 AQI 101     → 25 good days (101 > 100 is not good)
  2026-03: 03-01 … 03-30 PM2.5 45; AQI 80, except 03-01, 03-02 AQI 150 → 28 good days; 03-31 no valid value
  The same days under HJ 633-2026 with PM2.5 99 / AQI 300 must be ignored.
County 330802 (柯城区): 2026-01, 31 days, PM2.5 35, AQI 50.
Water (manual monthly results, GB 3838-2002): 国控 QZ-W01…W04 (9 国控 sections registered), 2026-01 all class II;
  2026-02 classes I, II, III, IV; an automatic-station class 劣V row for W05 in 2026-02 must be ignored.
County forms: 常山县 330822 森林覆盖率 72.5 (2026-02) and 70.0 (2026-03); 清新空气示范区 2026-03: the six counties report
  1, 1, 1, 1, 0, 0; 2026-02: only 330802 reports (1).
Hazardous waste: city 2025 危险废物利用处置率 97.5 % (completeness 90 %).
Emissions: city 2025 COD monitored 5 000 t (base 5 915.3 t, 2015); SO2 2025 100 t (no base in the seed).
Lineage: one air batch (file 'city-2026-02.csv') for the city in 2026-02.
"""
from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import psycopg
import pytest
from conftest import dbt_build, query, reset_warehouse

D = Decimal
CITY, KECHENG, CHANGSHAN = "330800", "330802", "330822"
COUNTIES = ["330802", "330803", "330822", "330824", "330825", "330881"]
INDICATOR_MODELS = ("int_indicator__periods", "int_indicator__targets", "fct_indicator_values",
                    "fct_indicator_lineage", "mart_indicator_projection")


def _days(start: date, end: date):
    d = start
    while d <= end:
        yield d
        d += timedelta(days=1)


def _air_rows():
    rows = []

    def add(area, day, pm, aqi, std="HJ 633-2012"):
        rows.append((area, day, std, "HJ 663-2013", pm, aqi, None if aqi is None else aqi <= 100))

    for d in _days(date(2025, 4, 1), date(2025, 12, 31)):
        add(CITY, d, 30, 120 if d <= date(2025, 4, 20) else 50)
    for d in _days(date(2026, 1, 1), date(2026, 1, 31)):
        add(CITY, d, 40, 120 if d.day <= 5 else 60)
        add(CITY, d, 99, 300, std="HJ 633-2026")
        add(KECHENG, d, 35, 50)
    for d in _days(date(2026, 2, 1), date(2026, 2, 28)):
        add(CITY, d, 50, 101 if d.day <= 3 else 70)
    for d in _days(date(2026, 3, 1), date(2026, 3, 30)):
        add(CITY, d, 45, 150 if d.day <= 2 else 80)
    add(CITY, date(2026, 3, 31), None, None)
    return rows


@pytest.fixture(scope="module")
def built(warehouse, tmp_path_factory):
    reset_warehouse(warehouse)
    tmp = tmp_path_factory.mktemp("indicators")
    # the whole chain from an empty warehouse: every source mart exists with its real columns, and no indicator rows
    dbt_build(tmp, "resource_type:seed", "+fct_indicator_lineage", "+mart_indicator_projection", period="2026-03",
              exclude="resource_type:snapshot")
    assert query(warehouse, "select count(*) from marts_audit.fct_indicator_values")[0][0] == 0
    with psycopg.connect(warehouse.url()) as conn:
        conn.cursor().executemany(
            """insert into marts_audit.fct_air_quality_daily
               (area_code, obs_date, aqi_standard, validity_standard, pm2_5_24h, aqi, is_good_day)
               values (%s, %s, %s, %s, %s, %s, %s)""", _air_rows())
        conn.cursor().executemany(
            """insert into marts_audit.fct_water_section_quality
               (section_code, control_level, data_source, period_kind, period_code, period_end, water_class,
                target_class, meets_target, standard_code)
               values (%s, '国控', %s, 'month', %s, %s, %s, 3, %s <= 3, 'GB 3838-2002')""",
            [(s, "manual", "2026-01", date(2026, 1, 31), 2, 2) for s in ("QZ-W01", "QZ-W02", "QZ-W03", "QZ-W04")]
            + [(s, "manual", "2026-02", date(2026, 2, 28), c, c)
               for s, c in (("QZ-W01", 1), ("QZ-W02", 2), ("QZ-W03", 3), ("QZ-W04", 4))]
            + [("QZ-W05", "auto", "2026-02", date(2026, 2, 28), 6, 6)])
        conn.cursor().executemany(
            """insert into marts_audit.fct_county_indicator_reported
               (period_code, period_end, county_code, indicator_code, value) values (%s, %s, %s, %s, %s)""",
            [("2026-02", date(2026, 2, 28), CHANGSHAN, "forest_cover_pct", D("72.5")),
             ("2026-03", date(2026, 3, 31), CHANGSHAN, "forest_cover_pct", D("70.0")),
             ("2026-02", date(2026, 2, 28), KECHENG, "clean_air_demo_zone_created", 1)]
            + [("2026-03", date(2026, 3, 31), c, "clean_air_demo_zone_created", v)
               for c, v in zip(COUNTIES, (1, 1, 1, 1, 0, 0))])
        conn.execute("""insert into marts_audit.fct_hw_indicator_annual (area_code, year, indicator_code, rate_pct,
                        data_completeness_pct) values (%s, 2025, 'hw_utilisation_disposal_rate_pct', 97.5, 90)""",
                     (CITY,))
        conn.execute("""insert into marts_audit.fct_source_emission_annual (area_code, year, pollutant_code,
                        monitored_load_t, base_emission_t, first_day, last_day)
                        values (%s, 2025, 'w01018', 5000, 5915.3, '2025-01-01', '2025-12-31'),
                               (%s, 2025, 'a21026', 100, null, '2025-01-01', '2025-12-31')""", (CITY, CITY))
        conn.execute("""insert into ops.files (file_sha256, original_name, file_kind, size_bytes, archive_path, status)
                        values ('f' || repeat('0', 63), 'city-2026-02.csv', 'air_hourly', 1, '/dev/null', 'loaded')""")
        batch_id = conn.execute("""insert into ops.batches (source, file_sha256) values ('test', 'f' || repeat('0', 63))
                                   returning batch_id""").fetchone()[0]
        conn.execute("""insert into intermediate.int_indicator__source_batches (source_family, area_code, month_start,
                        batch_id) values ('air', %s, '2026-02-01', %s)""", (CITY, batch_id))
    dbt_build(tmp, *INDICATOR_MODELS, period="2026-03")
    return warehouse


def row(warehouse, indicator, area, scope, period):
    rows = query(warehouse, """
        select value, value_status, attainment, attainment_label, gap_to_target, target_value, target_year,
               data_completeness_pct, standard_version, source_kind, batch_count, file_count
        from marts_audit.fct_indicator_values
        where indicator_code = %s and area_code = %s and time_scope = %s and period_code = %s""",
                 indicator, area, scope, period)
    assert len(rows) == 1, (indicator, area, scope, period, rows)
    keys = ("value", "status", "attainment", "label", "gap", "target", "target_year", "completeness", "standard",
            "source_kind", "batches", "files")
    return dict(zip(keys, rows[0]))


def test_air_pm25_month_ytd_year(built):
    # 2026-02: 28 days × 50 → 50.00; a monthly mean is not judged against the annual target
    r = row(built, "air_pm25_concentration", CITY, "month", "2026-02")
    assert (r["value"], r["status"], r["attainment"]) == (D("50.00"), "computed", "not_evaluable")
    assert r["standard"] == "HJ 633-2012/HJ 663-2013" and r["source_kind"] == "monitoring"
    # ytd 2026-03: (31×40 + 28×50 + 30×45) ÷ 89 = 3990 ÷ 89 = 44.831 → 44.83; target 35 (assessed seed, 2020 row is
    # the latest ≤ 2026); lower_better → not met, gap 44.83 − 35 = 9.83; completeness 89 ÷ 90 days = 98.89 %
    r = row(built, "air_pm25_concentration", CITY, "ytd", "2026-03")
    assert (r["value"], r["attainment"], r["label"], r["gap"]) == (D("44.83"), "not_met", "未达标", D("9.83"))
    assert (r["target"], r["target_year"], r["completeness"]) == (D("35"), 2020, D("98.89"))
    # year 2026 is not closed (no December yet): not evaluable even with a value
    r = row(built, "air_pm25_concentration", CITY, "year", "2026")
    assert r["value"] == D("44.83") and r["attainment"] == "not_evaluable" and r["gap"] is None
    # year 2025 (closed): 275 days × 30 → 30.00 ≤ 35 → met, gap 30 − 35 = −5.00; completeness 275 ÷ 365 = 75.34 %
    r = row(built, "air_pm25_concentration", CITY, "year", "2025")
    assert (r["value"], r["attainment"], r["gap"], r["completeness"]) == (D("30.00"), "met", D("-5.00"), D("75.34"))


def test_air_pm25_exactly_at_target_is_met(built):
    # 柯城区 2026-01: 31 days × 35 → ytd 35.00 = target 35 → met with gap 0 (lower_better)
    r = row(built, "air_pm25_concentration", KECHENG, "ytd", "2026-01")
    assert (r["value"], r["attainment"], r["gap"]) == (D("35.00"), "met", D("0.00"))


def test_air_good_day_share(built):
    # 2026-01: 26 good of 31 → 83.87 % (month, not judged)
    r = row(built, "air_good_days_pct", CITY, "month", "2026-01")
    assert (r["value"], r["attainment"]) == (D("83.87"), "not_evaluable")
    # ytd 2026-03: (26 + 25 + 28) ÷ (31 + 28 + 30) = 79 ÷ 89 = 88.764 → 88.76 ≥ 84.9 → met (higher_better),
    # gap 84.9 − 88.76 = −3.86
    r = row(built, "air_good_days_pct", CITY, "ytd", "2026-03")
    assert (r["value"], r["attainment"], r["gap"]) == (D("88.76"), "met", D("-3.86"))
    # year 2025: (275 − 20) ÷ 275 = 92.727 → 92.73, met
    r = row(built, "air_good_days_pct", CITY, "year", "2025")
    assert (r["value"], r["attainment"]) == (D("92.73"), "met")


def test_water_shares(built):
    # 2026-02, the four 国控 sections with results (manual only; the auto 劣V row is not counted):
    # I–III = 3 of 4 = 75.00 % < 100 → not met, gap 100 − 75 = 25; class I 1 of 4 = 25.00; completeness 4 ÷ 9 = 44.44
    r = row(built, "wq_natl_sections_better_iii_pct", CITY, "month", "2026-02")
    assert (r["value"], r["attainment"], r["gap"], r["completeness"]) == (D("75.00"), "not_met", D("25.00"), D("44.44"))
    assert r["standard"] == "GB 3838-2002" and r["target"] == D("100")
    assert row(built, "wq_natl_sections_class_i_pct", CITY, "month", "2026-02")["value"] == D("25.00")
    # 2026-01: all four class II → 100.00 = target 100 → met, gap 0 (higher_better exactly at target)
    r = row(built, "wq_natl_sections_better_iii_pct", CITY, "month", "2026-01")
    assert (r["value"], r["attainment"], r["gap"]) == (D("100.00"), "met", D("0.00"))
    # 劣Ⅴ: 0 of 4 → 0.00 = target 0 → met (lower_better exactly at target); a real zero, status computed
    r = row(built, "wq_worse_than_v_black_odorous_pct", CITY, "month", "2026-02")
    assert (r["value"], r["status"], r["attainment"], r["gap"]) == (D("0.00"), "computed", "met", D("0.00"))


def test_no_data_is_null_not_zero(built):
    # no 省控 section is registered: the indicator is there, with null and no_data (not 0)
    r = row(built, "wq_prov_sections_better_iii_pct", CITY, "month", "2026-02")
    assert (r["value"], r["status"], r["attainment"], r["label"]) == (None, "no_data", "not_evaluable", "暂不可评价")
    assert r["completeness"] == D("0") and r["batches"] == 0
    # 衢江区 has no air data at all
    r = row(built, "air_pm25_concentration", "330803", "ytd", "2026-03")
    assert (r["value"], r["status"], r["gap"]) == (None, "no_data", None)
    # an indicator the warehouse has no source for
    r = row(built, "green_bus_share_pct", CITY, "year", "2026")
    assert (r["value"], r["status"], r["completeness"], r["source_kind"]) == (None, "no_method", None, "none")


def test_county_form_indicator(built):
    # 常山县 森林覆盖率: 2026-02 72.5 ≥ 71 → met, gap 71 − 72.5 = −1.5; 2026-03 70.0 → not met, gap 1.0
    r = row(built, "forest_cover_pct", CHANGSHAN, "month", "2026-02")
    assert (r["value"], r["status"], r["attainment"], r["gap"]) == (D("72.50"), "reported", "met", D("-1.50"))
    assert (r["source_kind"], r["standard"], r["target_year"]) == ("county_report", "county form", 2020)
    r = row(built, "forest_cover_pct", CHANGSHAN, "month", "2026-03")
    assert (r["attainment"], r["gap"]) == ("not_met", D("1.00"))
    # year 2026 = the latest value reported (70.0); 2 of 3 months reported → 66.67 %; year not closed
    r = row(built, "forest_cover_pct", CHANGSHAN, "year", "2026")
    assert (r["value"], r["completeness"], r["attainment"]) == (D("70.00"), D("66.67"), "not_evaluable")
    # the city is not aggregated from county rates
    assert row(built, "forest_cover_pct", CITY, "month", "2026-03")["status"] == "no_method"


def test_county_share_uses_the_latest_target_year(built):
    # 2026-03: 4 of 6 counties built → 66.67 %; for 2026 the 2022 target (80 %) is the latest ≤ 2026 (the 2020 one is
    # 60 %) → not met, gap 80 − 66.67 = 13.33
    r = row(built, "clean_air_demo_county_share_pct", CITY, "month", "2026-03")
    assert (r["value"], r["target"], r["target_year"], r["attainment"], r["gap"]) == (
        D("66.67"), D("80"), 2022, "not_met", D("13.33"))
    # 2026-02: one county of six reported → no share, status incomplete, completeness 1 ÷ 6 = 16.67 %
    r = row(built, "clean_air_demo_county_share_pct", CITY, "month", "2026-02")
    assert (r["value"], r["status"], r["completeness"]) == (None, "incomplete", D("16.67"))


def test_hazwaste_and_emission(built):
    r = row(built, "hw_utilisation_disposal_rate_pct", CITY, "year", "2025")
    assert (r["value"], r["status"], r["source_kind"], r["completeness"]) == (D("97.50"), "computed", "hazwaste", D("90.00"))
    # COD 2025: (5915.3 − 5000) ÷ 5915.3 × 100 = 15.473 → 15.47 % below the 2015 base; the seed has no reduction
    # percentage yet (完成省下达任务) → not evaluable
    r = row(built, "emis_cod_reduction_pct", CITY, "year", "2025")
    assert (r["value"], r["status"], r["attainment"], r["completeness"]) == (D("15.47"), "computed", "not_evaluable", D("100.00"))
    r = row(built, "emis_so2_reduction_pct", CITY, "year", "2025")
    assert (r["value"], r["status"]) == (None, "no_baseline")


def test_every_indicator_for_the_city_in_every_period(built):
    # 60 catalogue rows: 16 named rows of 表2-1 + 38 text-target indicators (39 targets, the two 清新空气 targets are one
    # indicator) + 2 hazardous-waste + 4 total-control pollutants
    n = query(built, """select count(distinct indicator_code) from marts_audit.fct_indicator_values
                        where area_code = %s""", CITY)[0][0]
    assert n == 60
    # months 2025-01 … 2026-03 (the emission and hazwaste years open 2025): 15 month periods for a monthly indicator
    assert query(built, """select count(*) from marts_audit.fct_indicator_values where indicator_code =
                          'air_pm25_concentration' and area_code = %s and time_scope = 'month'""", CITY)[0][0] == 15


def test_lineage(built):
    # the one city air batch of 2026-02 feeds the month 2026-02 and the ytd values from 2026-02 on, not 2026-01
    assert (row(built, "air_pm25_concentration", CITY, "month", "2026-02")["batches"],
            row(built, "air_pm25_concentration", CITY, "month", "2026-02")["files"]) == (1, 1)
    assert row(built, "air_pm25_concentration", CITY, "month", "2026-01")["batches"] == 0
    got = query(built, """select time_scope, period_code, file_name from marts_audit.fct_indicator_lineage
                          where indicator_code = 'air_pm25_concentration' and area_code = %s
                          order by time_scope, period_code""", CITY)
    assert got == [("month", "2026-02", "city-2026-02.csv"), ("year", "2026", "city-2026-02.csv"),
                   ("ytd", "2026-02", "city-2026-02.csv"), ("ytd", "2026-03", "city-2026-02.csv")]


def test_projection_by_hand(built):
    rows = query(built, """
        select indicator_code, remaining_days, required_value, earlier_min, is_plausible, explanation_zh
        from marts_audit.mart_indicator_projection where area_code = %s and period_code = '2026-03'
        order by indicator_code""", CITY)
    good, pm = rows
    # as of 2026-03-31, R = 365 − 90 = 275 days. PM2.5: n = 89, S = 3990, target 35:
    # (35 × (89 + 275) − 3990) ÷ 275 = (12740 − 3990) ÷ 275 = 8750 ÷ 275 = 31.818 → 31.82 μg/m³.
    # Earlier period 2025-04 … 12: mean 30 ≤ 31.82 → plausible.
    assert pm[:5] == ("air_pm25_concentration", 275, D("31.82"), D("30.00"), True)
    assert "31.8" in pm[5] and "2025" in pm[5]
    # Good days: at most floor((100 − 84.9) × (89 + 275) ÷ 100) = floor(54.964) = 54 non-good days in 2026; 10 so far
    # (5 + 3 + 2) → 44 still allowed. 2025-04 … 12: 20 non-good of 275 → 20 ÷ 275 × 275 = 20 ≤ 44 → plausible.
    assert good[:5] == ("air_good_days_pct", 275, D("44.00"), D("20.00"), True)
    # December: nothing left to project
    dec = query(built, """select required_value, is_plausible from marts_audit.mart_indicator_projection
                          where area_code = %s and period_code = '2025-12'""", CITY)
    assert dec == [(None, None), (None, None)]


def test_gate_suite_passes_on_the_fixture_and_catches_a_zero_for_no_data(built, tmp_path):
    import shutil

    from ecowarehouse import gate

    suite = Path(__file__).resolve().parents[1] / "expectations" / "indicator_values.json"
    shutil.copy(suite, tmp_path / suite.name)
    # only this suite: a full gate run also judges dbt source freshness, and the fixture's sources are empty
    only = ("indicator_values",)
    results = gate.run_suites("2026-03", "test-indicators-ok", directory=tmp_path, only=only)
    assert results and all(r.success for r in results), [(r.check, r.observed) for r in results if not r.success]
    # a 0 written where there is no data must block publication
    with psycopg.connect(built.url()) as conn:
        conn.execute("""update marts_audit.fct_indicator_values set value = 0
                        where indicator_code = 'wq_prov_sections_better_iii_pct' and period_code = '2026-02'
                          and time_scope = 'month' and area_code = %s""", (CITY,))
    try:
        results = gate.run_suites("2026-03", "test-indicators-zero", directory=tmp_path, only=only)
        failed = {r.check for r in results if not r.success}
        assert failed == {"no_value_without_input"}
    finally:
        with psycopg.connect(built.url()) as conn:
            conn.execute("""update marts_audit.fct_indicator_values set value = null
                            where indicator_code = 'wq_prov_sections_better_iii_pct' and period_code = '2026-02'
                              and time_scope = 'month' and area_code = %s""", (CITY,))
