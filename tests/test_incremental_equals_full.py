"""The incremental monitoring models give, after a second delivery, exactly what a full refresh gives.

First delivery: the air fixture (2020-06-01…03; 1264A has only 19 hours of PM2.5 on the 3rd, so its day is invalid and
the city's PM2.5 that day is the mean of 1265A and 1266A, 20) and a day of wastewater packets of outlet W1.
Second delivery, in later batches: 1264A's 3rd re-sent with all 24 hours of PM2.5 200 → the day becomes valid and the
city's mean is (200 + 20 + 20) / 3 = 80 (HJ 663 §3.4: mean of the stations' valid daily means); a new day 2020-06-04;
W1's 10:00 re-sent with COD 200 instead of 50 → that day's load rises by (200 − 50) × 36 / 1000 = 5.4 kg.
The incremental build (only the new batches) is then compared table by table with a full refresh of the same data.
Before the second delivery, int_air__station_daily loses its watermark column max_batch_id, as a table built by code
older than the column would lack it: the incremental build must read that model in full and add the column back.
"""
from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal

import psycopg
import pytest
from air_fixture import CITY, CO, HEADER, NO2, SO2, write_month
from conftest import dbt_build, query

from ecowarehouse.hj212.packet import build_frame
from ecowarehouse.ingest import pipeline

W1 = "33080200000000000000WS01"
SELECT = ("+fct_air_quality_daily", "+fct_air_quality_monthly", "+fct_air_hourly_aqi_check", "+fct_source_emission_daily")
TABLES = ["intermediate.int_air__station_hourly", "intermediate.int_air__station_daily",
          "intermediate.int_air__area_daily", "intermediate.int_air__area_daily_aqi",
          "intermediate.int_air__station_hourly_aqi", "intermediate.int_air__hourly_aqi_monthly",
          "intermediate.int_source__hourly_values", "intermediate.int_source__emission_daily",
          "marts_audit.fct_air_quality_daily", "marts_audit.fct_air_quality_monthly",
          "marts_audit.fct_air_hourly_aqi_check", "marts_audit.fct_source_emission_daily"]


def _air_line(t: datetime, code: str, pm25, pm10=50, o3=80) -> str:
    tp = (t + timedelta(hours=1)).strftime("%Y-%m-%d %H:%M:%S")
    return f"{tp},{code},118.87,28.94,衢州市,{CITY[code]},,,{pm10},,{pm25},,{o3},,,,{NO2},,{SO2},,{CO},"


def _packet(hour: int, cod: float) -> str:
    t = datetime(2026, 10, 1, hour)
    return build_frame(f"QN={t:%Y%m%d%H%M%S}000;ST=32;CN=2061;PW=123456;MN={W1};Flag=4;CP=&&DataTime={t:%Y%m%d%H%M%S};"
                       f"w01018-Avg={cod},w01018-Flag=N;w00000-Avg=10,w00000-Cou=36,w00000-Flag=N&&")


def _checksums(warehouse) -> dict[str, str]:
    # jsonb orders its keys: a column added back at the end of a table compares equal to the same column in place
    return {t: query(warehouse, "select count(*) || ':' || coalesce(md5(string_agg(to_jsonb(x)::text, '|'"
                                f" order by to_jsonb(x)::text)), '') from {t} as x")[0][0] for t in TABLES}


@pytest.fixture(scope="module")
def both_ways(warehouse, tmp_path_factory):
    from conftest import reset_warehouse

    reset_warehouse(warehouse)
    root = tmp_path_factory.mktemp("incremental")
    first, second = root / "first", root / "second"
    write_month(first)
    (first / "w1.txt").write_text("\r\n".join(_packet(h, 50) for h in range(8, 12)) + "\r\n", newline="")
    pipeline.ingest_paths([first])
    dbt_build(root, "resource_type:seed", *SELECT, period="2020-06")

    with psycopg.connect(warehouse.url()) as conn:
        conn.execute("alter table intermediate.int_air__station_daily drop column max_batch_id")
    second.mkdir()
    day3, day4 = datetime(2020, 6, 3), datetime(2020, 6, 4)
    lines = [_air_line(day3 + timedelta(hours=h), "1264A", 200, 40, 60) for h in range(24)]
    lines += [_air_line(day4 + timedelta(hours=h), code, 30) for h in range(24) for code in CITY]
    (second / "resend.csv").write_text(HEADER + "\n" + "\n".join(lines) + "\n", encoding="utf-8")
    (second / "w1_resend.txt").write_text(_packet(10, 200) + "\r\n", newline="")
    pipeline.ingest_paths([second])
    dbt_build(root, *SELECT, period="2020-06", full_refresh=False)
    incremental = _checksums(warehouse)
    restored = query(warehouse, """select count(*) from information_schema.columns where table_schema = 'intermediate'
                                   and table_name = 'int_air__station_daily' and column_name = 'max_batch_id'""")
    city = query(warehouse, """select obs_date::text, round(pm2_5_24h::numeric, 3) from marts_audit.fct_air_quality_daily
                               where area_code = '330800' and aqi_standard = 'HJ 633-2012' order by 1""")
    load = query(warehouse, "select load_kg from marts_audit.fct_source_emission_daily where pollutant_code = 'w01018'")
    dbt_build(root, *SELECT, period="2020-06")
    return incremental, _checksums(warehouse), city, load, restored


def test_incremental_build_applies_the_resend_and_the_new_day(both_ways):
    _, _, city, load, _ = both_ways
    assert city == [("2020-06-01", Decimal("77.000")), ("2020-06-02", Decimal("35.667")),
                    ("2020-06-03", Decimal("80.000")), ("2020-06-04", Decimal("30.000"))]
    # 4 hours × 36 m³: (50 + 50 + 200 + 50) × 36 / 1000
    assert load == [(Decimal("12.6000"),)]


@pytest.mark.parametrize("table", TABLES)
def test_incremental_equals_full_refresh(both_ways, table):
    incremental, full, _, _, _ = both_ways
    assert not incremental[table].startswith("0:"), f"{table} is empty: the comparison would prove nothing"
    assert incremental[table] == full[table]


def test_a_table_built_before_its_watermark_column_is_upgraded(both_ways):
    *_, restored = both_ways
    assert restored == [(1,)]
