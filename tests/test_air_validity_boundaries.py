"""HJ 663 / GB 3095-2012 Table 4 data-validity rules at their boundaries, end to end: one national-format CSV is
ingested by the real pipeline and the real dbt air models are built once on the embedded PostgreSQL.

Thresholds (seeds/std_air_validity.csv; HJ 663-2013 until 2026-02-28, HJ 663-2026 from 2026-03-01, same numbers):
24-h mean >= 20 valid hours; O3 8-h window >= 6 valid hours; O3 daily max 8-h >= 14 valid windows of the 17 ending
08:00…24:00 (hour_of_day 7…23), or kept anyway when above the GB 3095 grade-II limit 160 (HJ 663-2013 §6.1.2);
month >= 27 valid days (February >= 25); year >= 324 valid days and every month at its minimum.

The national platform stamps a value with the END of its hour, so hour_of_day h of day D has timepoint D + (h+1) h;
the value stamped "D+1 00:00:00" is the last hour (23) of day D.

Each boundary lives at its own station of its own area (a county with one reporting station, so that the area's
daily value is that station's value), and every expected value below is worked by hand:

* QZ330822A1 (county 330822), June 2025, the 24-h rule per pollutant and the O3 8-h rules:
  - 2025-06-10: PM2.5, SO2, CO 19 hours (h 0…18) → no 24-h mean; PM10, NO2 20 hours (h 0…19) → valid.
    PM10 = 40 + h → mean 40 + (0+…+19)/20 = 40 + 9.5 = 49.5; NO2 = 30 constant → 30.
  - 2025-06-11: the reverse: PM2.5, SO2, CO 20 hours → valid (PM2.5 = 50 + h → 59.5; SO2 10; CO 0.8);
    PM10, NO2 19 hours → no mean.
  - O3 days carry PM10 = 50 on 24 hours so that the day has a row in fct_air_quality_daily.
    With O3 present on hours m…23 only, the window ending at h (hours h-7…h) holds h - m + 1 values while h - 7 < m,
    so it is valid (>= 6 values) from h = m + 5 on: valid windows m+5…23, i.e. 19 - m of them.
  - 2025-06-12: O3 100 on h 6…23 → 13 windows; max 8-h 100 <= 160 → the day's O3 max 8-h is invalid (null).
  - 2025-06-13: O3 200 on h 6…23 → 13 windows; max 8-h 200 > 160 → kept: 200; IAQI (HJ 633-2012, 160→100,
    215→150) = 100 + 50·(200-160)/55 = 136.36 → 137 (rounded up, HJ 633 §6.2).
  - 2025-06-14: O3 160 on h 6…23 → 13 windows; 160 is not ABOVE the limit 160 → invalid (null).
  - 2025-06-15: O3 150 on h 5…9 and 60 on h 10…23 → 14 windows (ending 10…23) → valid. The window ending 09
    (h 2…9) holds only 5 values (mean 150) and must not count; the max is the window ending 10 (h 3…10, 6 values):
    (5·150 + 60)/6 = 135 (ending 11: (750 + 2·60)/7 = 124.3, then lower). IAQI 50 + 50·(135-100)/60 = 79.17 → 80.
* QZ330824A1 (330824) and QZ330825A1 (330825), 2025, PM2.5 = 40 on 20 hours (h 0…19) for a valid day, on 19 hours
  for an invalid day; each month has its valid days first, then up to 4 invalid days (as many as the month still
  has; they must not be counted):
    330824: February 24 valid (invalid month, < 25), April (30 days) 26 (invalid), May (31 days) 27 (valid);
    330825: February 25 valid (valid month),          April 27 (valid),             May 26 (invalid).
* Year 2023, PM2.5 = 30 on 20 hours a day (annual mean 30, p95 30), the first N days of each month:
    QZ330881A1 (330881): Jan 28, Feb 25, Mar…Dec 27     → 28 + 25 + 10·27 = 323 days: invalid (< 324);
    QZ330803A1 (330803): Jan 28, Feb 25, Mar 28, Apr…Dec 27 → 28 + 25 + 28 + 9·27 = 324 days: valid;
    1265A (330802 and the city 330800): Jan 31, Feb 25, Mar 31, Jul 26, the 8 other months 27
                                        → 31 + 25 + 31 + 26 + 8·27 = 329 days, but July < 27: 11 months → invalid.
* 1264A (330802 and the city 330800), PM2.5 = 70, at the 2026-03-01 switch of HJ 633 / HJ 663:
  - 2026-02-28 on exactly 20 hours h 4…23, the last one stamped 2026-03-01 00:00:00 (so it is valid only if that
    hour is kept in February): HJ 663-2013, HJ 633-2012 in force: PM2.5 breakpoints 35→50, 75→100:
    50 + 50·(70-35)/40 = 93.75 → IAQI 94 = AQI.
  - 2026-03-01 on 24 hours: HJ 663-2026, HJ 633-2026 in force: 75 replaced by 60, 60→100, 115→150:
    100 + 50·(70-60)/55 = 109.09 → IAQI 110 = AQI. (Each day also gets the other version's row, not in force:
    02-28 under HJ 633-2026 → 110, 03-01 under HJ 633-2012 → 94.)
"""
from __future__ import annotations

import calendar
from datetime import date, datetime, timedelta

import pytest
from conftest import dbt_build, query

from ecowarehouse.ingest import pipeline
from ecowarehouse.ingest.formats import AIR_STATION_COLUMNS

class _Hours:
    """Rows of one station, keyed by (day, hour_of_day) → {column: value}."""

    def __init__(self):
        self.cells: dict[tuple[str, date, int], dict[str, float]] = {}

    def put(self, station: str, day: date, hours, column: str, value) -> None:
        for h in hours:
            v = value(h) if callable(value) else value
            self.cells.setdefault((station, day, h), {})[column] = v

    def lines(self) -> list[str]:
        out = [",".join(AIR_STATION_COLUMNS)]
        for (station, day, h), values in sorted(self.cells.items()):
            tp = (datetime.combine(day, datetime.min.time()) + timedelta(hours=h + 1)).strftime("%Y-%m-%d %H:%M:%S")
            row = {"timepoint": tp, "stationcode": station, **values}
            out.append(",".join(str(row.get(c, "")) for c in AIR_STATION_COLUMNS))
        return out


VALID_HOURS = range(20)    # h 0…19: exactly the 20 hours a 24-h mean needs
INVALID_HOURS = range(19)  # h 0…18: one short


def _fixture_rows() -> list[str]:
    rows = _Hours()
    # --- 24-h rule per pollutant, O3 8-h rules: QZ330822A1 ---------------------------------------------------------
    st = "QZ330822A1"
    d10, d11 = date(2025, 6, 10), date(2025, 6, 11)
    rows.put(st, d10, INVALID_HOURS, "pm2_5", lambda h: 50 + h)
    rows.put(st, d10, INVALID_HOURS, "so2", 10)
    rows.put(st, d10, INVALID_HOURS, "co", 0.8)
    rows.put(st, d10, VALID_HOURS, "pm10", lambda h: 40 + h)
    rows.put(st, d10, VALID_HOURS, "no2", 30)
    rows.put(st, d11, VALID_HOURS, "pm2_5", lambda h: 50 + h)
    rows.put(st, d11, VALID_HOURS, "so2", 10)
    rows.put(st, d11, VALID_HOURS, "co", 0.8)
    rows.put(st, d11, INVALID_HOURS, "pm10", lambda h: 40 + h)
    rows.put(st, d11, INVALID_HOURS, "no2", 30)
    for day, hours, value in [(date(2025, 6, 12), range(6, 24), 100), (date(2025, 6, 13), range(6, 24), 200),
                              (date(2025, 6, 14), range(6, 24), 160),
                              (date(2025, 6, 15), range(5, 24), lambda h: 150 if h <= 9 else 60)]:
        rows.put(st, day, range(24), "pm10", 50)
        rows.put(st, day, hours, "o3", value)
    # --- monthly rule: QZ330824A1 / QZ330825A1 ----------------------------------------------------------------------
    months = {"QZ330824A1": {2: 24, 4: 26, 5: 27}, "QZ330825A1": {2: 25, 4: 27, 5: 26}}
    for st, plan in months.items():
        for month, valid_days in plan.items():
            for d in range(1, min(valid_days + 4, calendar.monthrange(2025, month)[1]) + 1):
                rows.put(st, date(2025, month, d), VALID_HOURS if d <= valid_days else INVALID_HOURS, "pm2_5", 40)
    # --- annual rule: year 2023 -------------------------------------------------------------------------------------
    years = {"QZ330881A1": {1: 28, 2: 25}, "QZ330803A1": {1: 28, 2: 25, 3: 28}, "1265A": {1: 31, 2: 25, 3: 31, 7: 26}}
    for st, plan in years.items():
        for month in range(1, 13):
            for d in range(1, plan.get(month, 27) + 1):
                rows.put(st, date(2023, month, d), VALID_HOURS, "pm2_5", 30)
    # --- the 2026-03-01 version switch: 1264A -------------------------------------------------------------------
    rows.put("1264A", date(2026, 2, 28), range(4, 24), "pm2_5", 70)
    rows.put("1264A", date(2026, 3, 1), range(24), "pm2_5", 70)
    return rows.lines()


@pytest.fixture(scope="module")
def built(warehouse, tmp_path_factory):
    from conftest import reset_warehouse

    reset_warehouse(warehouse)
    folder = tmp_path_factory.mktemp("validity")
    lines = _fixture_rows()
    (folder / "air_validity.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    [result] = pipeline.ingest_paths([folder])
    assert (result.rows_loaded, result.rows_quarantined) == (len(lines) - 1, 0)
    dbt_build(folder, "+fct_air_quality_daily", "+fct_air_quality_monthly", "+fct_air_quality_annual")
    return warehouse


# --------------------------------------------------------------------------------------------------------------------
# 24-h means: >= 20 valid hours, per pollutant
# --------------------------------------------------------------------------------------------------------------------

def test_daily_mean_needs_20_hours_per_pollutant(built):
    """19 hours → no 24-h mean, 20 hours → a mean, decided for each pollutant on its own (same station-day)."""
    rows = query(built, """
        select obs_date::text, validity_standard, pm2_5_hours, pm2_5_24h, pm10_hours, pm10_24h, so2_hours, so2_24h,
               no2_hours, no2_24h, co_hours, co_24h
        from intermediate.int_air__station_daily
        where station_code = 'QZ330822A1' and obs_date in ('2025-06-10', '2025-06-11') order by obs_date""")
    assert rows == [
        ("2025-06-10", "HJ 663-2013", 19, None, 20, pytest.approx(49.5), 19, None, 20, pytest.approx(30), 19, None),
        ("2025-06-11", "HJ 663-2013", 20, pytest.approx(59.5), 19, None, 20, pytest.approx(10), 19, None, 20,
         pytest.approx(0.8)),
    ]


def test_daily_mean_validity_reaches_the_daily_mart(built):
    """The area (one station) carries the same valid/invalid means, and no IAQI is computed from an invalid one.
    IAQI by hand (HJ 633-2012): PM10 49.5 → 50·49.5/50 = 49.5 → 50; NO2 30 → 50·30/40 = 37.5 → 38;
    PM2.5 59.5 → 50 + 50·24.5/40 = 80.6 → 81; SO2 10 → 10; CO 0.8 → 50·0.8/2 = 20."""
    rows = query(built, """
        select obs_date::text, validity_standard, pm2_5_24h, iaqi_pm2_5, pm10_24h, iaqi_pm10, so2_24h, iaqi_so2,
               no2_24h, iaqi_no2, co_24h, iaqi_co, aqi
        from marts_audit.fct_air_quality_daily
        where area_code = '330822' and aqi_standard = 'HJ 633-2012' and obs_date in ('2025-06-10', '2025-06-11')
        order by obs_date""")
    assert rows == [
        ("2025-06-10", "HJ 663-2013", None, None, pytest.approx(49.5), 50, None, None, pytest.approx(30), 38, None,
         None, 50),
        ("2025-06-11", "HJ 663-2013", pytest.approx(59.5), 81, None, None, pytest.approx(10), 10, None, None,
         pytest.approx(0.8), 20, 81),
    ]


# --------------------------------------------------------------------------------------------------------------------
# O3: 8-h window >= 6 hours; daily max 8-h >= 14 windows, or above the limit
# --------------------------------------------------------------------------------------------------------------------

def test_o3_daily_max8h_window_count_and_limit_exception(built):
    rows = query(built, """
        select obs_date::text, o3_hours, o3_8h_valid_windows, o3_8h_max
        from intermediate.int_air__station_daily
        where station_code = 'QZ330822A1' and obs_date between '2025-06-12' and '2025-06-15' order by obs_date""")
    assert rows == [
        ("2025-06-12", 18, 13, None),                  # 13 windows, 100 <= 160: invalid
        ("2025-06-13", 18, 13, pytest.approx(200)),    # 13 windows, 200 > 160: kept (HJ 663-2013 §6.1.2)
        ("2025-06-14", 18, 13, None),                  # 13 windows, exactly at the limit is not above it
        ("2025-06-15", 19, 14, pytest.approx(135)),    # 14 windows: valid; the 5-hour window (150) is not one
    ]


def test_o3_8h_validity_reaches_the_daily_mart(built):
    rows = query(built, """
        select obs_date::text, o3_8h_max, iaqi_o3_8h, pm10_24h
        from marts_audit.fct_air_quality_daily
        where area_code = '330822' and aqi_standard = 'HJ 633-2012' and obs_date between '2025-06-12' and '2025-06-15'
        order by obs_date""")
    assert rows == [
        ("2025-06-12", None, None, pytest.approx(50)),
        ("2025-06-13", pytest.approx(200), 137, pytest.approx(50)),
        ("2025-06-14", None, None, pytest.approx(50)),
        ("2025-06-15", pytest.approx(135), 80, pytest.approx(50)),
    ]


# --------------------------------------------------------------------------------------------------------------------
# monthly means: >= 27 valid days, February >= 25
# --------------------------------------------------------------------------------------------------------------------

def test_monthly_minimum_days(built):
    rows = query(built, """
        select area_code, period, days_in_month, pm2_5_valid_days, pm2_5_month_valid, validity_standard,
               round(pm2_5_mean::numeric, 6)::float
        from marts_audit.fct_air_quality_monthly
        where area_code in ('330824', '330825') and aqi_standard = 'HJ 633-2012' order by 1, 2""")
    assert rows == [
        ("330824", "2025-02", 28, 24, False, "HJ 663-2013", 40.0),
        ("330824", "2025-04", 30, 26, False, "HJ 663-2013", 40.0),
        ("330824", "2025-05", 31, 27, True, "HJ 663-2013", 40.0),
        ("330825", "2025-02", 28, 25, True, "HJ 663-2013", 40.0),
        ("330825", "2025-04", 30, 27, True, "HJ 663-2013", 40.0),
        ("330825", "2025-05", 31, 26, False, "HJ 663-2013", 40.0),
    ]
    # the validity of a month does not depend on the HJ 633 version the AQI rows are computed under
    both = query(built, """select count(distinct (pm2_5_valid_days, pm2_5_month_valid))
                           from marts_audit.fct_air_quality_monthly
                           where area_code in ('330824', '330825') group by area_code, period""")
    assert {r[0] for r in both} == {1}


# --------------------------------------------------------------------------------------------------------------------
# annual statistics: >= 324 valid days and every month at its minimum
# --------------------------------------------------------------------------------------------------------------------

def test_annual_minimum_days(built):
    rows = query(built, """
        select area_code, statistic, valid_days, annual_min_days, months_meeting_minimum, is_valid, value
        from marts_audit.fct_air_quality_annual
        where year = 2023 and pollutant = 'pm2_5' and area_code in ('330881', '330803', '330802', '330800')
        order by 1, 2""")
    assert rows == [
        ("330800", "annual_mean", 329, 324, 11, False, pytest.approx(30)),
        ("330800", "p95", 329, 324, 11, False, pytest.approx(30)),
        ("330802", "annual_mean", 329, 324, 11, False, pytest.approx(30)),
        ("330802", "p95", 329, 324, 11, False, pytest.approx(30)),
        ("330803", "annual_mean", 324, 324, 12, True, pytest.approx(30)),
        ("330803", "p95", 324, 324, 12, True, pytest.approx(30)),
        ("330881", "annual_mean", 323, 324, 12, False, pytest.approx(30)),
        ("330881", "p95", 323, 324, 12, False, pytest.approx(30)),
    ]


# --------------------------------------------------------------------------------------------------------------------
# the 2026-03-01 switch of HJ 663 / HJ 633
# --------------------------------------------------------------------------------------------------------------------

def test_version_switch_at_2026_03_01_station_level(built):
    """The hour stamped 2026-03-01 00:00 is the 20th hour of 2026-02-28, judged under HJ 663-2013."""
    rows = query(built, """select obs_date::text, validity_standard, pm2_5_hours, pm2_5_24h
                           from intermediate.int_air__station_daily where station_code = '1264A' order by 1""")
    assert rows == [("2026-02-28", "HJ 663-2013", 20, pytest.approx(70)),
                    ("2026-03-01", "HJ 663-2026", 24, pytest.approx(70))]


def test_version_switch_at_2026_03_01_daily_aqi(built):
    rows = query(built, """
        select area_code, obs_date::text, aqi_standard, is_in_force, validity_standard, pm2_5_24h, iaqi_pm2_5, aqi
        from marts_audit.fct_air_quality_daily
        where area_code in ('330800', '330802') and obs_date between '2026-02-28' and '2026-03-01' order by 1, 2, 3""")
    expected = []
    for area in ("330800", "330802"):
        expected += [
            (area, "2026-02-28", "HJ 633-2012", True, "HJ 663-2013", pytest.approx(70), 94, 94),    # 93.75 → 94
            (area, "2026-02-28", "HJ 633-2026", False, "HJ 663-2013", pytest.approx(70), 110, 110),  # 109.09 → 110
            (area, "2026-03-01", "HJ 633-2012", False, "HJ 663-2026", pytest.approx(70), 94, 94),
            (area, "2026-03-01", "HJ 633-2026", True, "HJ 663-2026", pytest.approx(70), 110, 110),
        ]
    assert rows == expected


def test_version_switch_at_2026_03_01_monthly(built):
    rows = query(built, """
        select period, aqi_standard, is_in_force, validity_standard, pm2_5_valid_days, pm2_5_month_valid
        from marts_audit.fct_air_quality_monthly where area_code = '330800' and period >= '2026' order by 1, 2""")
    assert rows == [
        ("2026-02", "HJ 633-2012", True, "HJ 663-2013", 1, False),
        ("2026-02", "HJ 633-2026", False, "HJ 663-2013", 1, False),
        ("2026-03", "HJ 633-2012", False, "HJ 663-2026", 1, False),
        ("2026-03", "HJ 633-2026", True, "HJ 663-2026", 1, False),
    ]
