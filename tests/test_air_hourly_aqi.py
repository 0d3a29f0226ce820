"""Real-time (hourly) AQI as the national platform publishes it, compared with the file's `aqi`, through the real dbt
project. Hand computation (HJ 633 Table 1, formula (1), ceiling §6.2):

A 2026-02-10 01:00 (HJ 633-2012): SO2 1h 10 → 3.3 → 4; NO2 1h 20 → 10; CO 1h 0.5 → 5; O3 1h 100 → 31.25 → 32;
  PM10 24h 100 → 75; PM2.5 24h 80 → 100 + 50·5/40 = 106.25 → 107. AQI 107, primary PM2.5; the file says 107.
B 2026-06-10 01:00, same values, HJ 633-2026 in force (PM2.5 60 → 100, PM10 120 → 100): PM2.5 100 + 50·20/55 =
  118.2 → 119; PM10 50 + 50·50/70 = 85.7 → 86. AQI 119; the file says 107: a disagreement of 12.
C 2026-02-10 02:00: SO2 1h 900 > 800 → its IAQI from the 24-h average 500 (Table 1 note 2): 150 + 50·25/325 = 153.8
  → 154 (the digest's vector); PM2.5 20 → 29, PM10 40 → 40. AQI 154, primary SO2.
D 2026-02-10 03:00: PM2.5 75 → 100 and PM10 150 → 100 tie: AQI 100, both primary (§3.3).
"""
from __future__ import annotations


import pytest
from conftest import dbt_build, query

from ecowarehouse.ingest import pipeline
from ecowarehouse.ingest.formats import AIR_STATION_COLUMNS


def _row(timepoint, aqi, pm10_24h, pm2_5_24h, so2, so2_24h=""):
    values = {"timepoint": timepoint, "stationcode": "1264A", "aqi": aqi, "pm10": pm10_24h, "pm10_24h": pm10_24h,
              "pm2_5": pm2_5_24h, "pm2_5_24h": pm2_5_24h, "o3": 100, "no2": 20, "so2": so2, "so2_24h": so2_24h, "co": 0.5}
    return ",".join(str(values.get(c, "")) for c in AIR_STATION_COLUMNS)


@pytest.fixture(scope="module")
def checked(warehouse, tmp_path_factory):
    from conftest import reset_warehouse

    reset_warehouse(warehouse)
    folder = tmp_path_factory.mktemp("aqi")
    (folder / "hours.csv").write_text("\n".join([
        ",".join(AIR_STATION_COLUMNS),
        _row("2026-02-10 01:00:00", 107, 100, 80, 10),
        _row("2026-06-10 01:00:00", 107, 100, 80, 10),
        _row("2026-02-10 02:00:00", 154, 40, 20, 900, 500),
        _row("2026-02-10 03:00:00", 100, 150, 75, 10),
    ]) + "\n", encoding="utf-8")
    assert [r.rows_loaded for r in pipeline.ingest_paths([folder])] == [4]
    dbt_build(folder, "resource_type:seed", "+fct_air_hourly_aqi_check", period="2026-06")
    return warehouse


def test_hourly_aqi_by_hand(checked):
    rows = query(checked, """select observed_at::text, aqi_standard, aqi, primary_pollutants, reported_aqi
                          from intermediate.int_air__station_hourly_aqi order by observed_at""")
    assert rows == [
        ("2026-02-10 01:00:00", "HJ 633-2012", 107, "PM2.5", 107),
        ("2026-02-10 02:00:00", "HJ 633-2012", 154, "SO2", 154),
        ("2026-02-10 03:00:00", "HJ 633-2012", 100, "PM10,PM2.5", 100),
        ("2026-06-10 01:00:00", "HJ 633-2026", 119, "PM2.5", 107),
    ]


def test_disagreements_are_counted_per_station_month(checked):
    assert query(checked, """select month, aqi_standard, hours, hours_agree, hours_disagree, max_abs_difference
                          from marts_audit.fct_air_hourly_aqi_check order by month""") == [
        ("2026-02", "HJ 633-2012", 3, 3, 0, 0), ("2026-06", "HJ 633-2026", 1, 0, 1, 12)]


def test_incremental_run_only_adds_new_batches(checked, tmp_path):
    """A second file arrives: the incremental model adds its rows and keeps the earlier ones as they were."""
    folder = tmp_path / "more"
    folder.mkdir()
    (folder / "more.csv").write_text(",".join(AIR_STATION_COLUMNS) + "\n" + _row("2026-06-10 02:00:00", 119, 100, 80, 10)
                                     + "\n", encoding="utf-8")
    pipeline.ingest_paths([folder])
    dbt_build(tmp_path, "int_air__station_hourly_aqi", command="run", full_refresh=False)
    assert query(checked, """select count(*), count(distinct batch_id), count(*) filter (where aqi = reported_aqi)
                          from intermediate.int_air__station_hourly_aqi""") == [(5, 2, 4)]
