"""Surface-water automatic stations: HJ 212 ST=21 packets and the national platform's export, through ingestion and
the real dbt models. Expected values are computed by hand from the fixture below and GB 3838-2002 Table 1:

* 浮石渡 (QZ-WA02, packets every 4 h → 6 expected a day), 2026-10-10: NH3-N 1.1, 1.3, 1.2, 1.4, 1.0 valid and 9.9 flagged
  M (maintenance, HJ 212 Table 8: not valid) → daily mean (1.1+1.3+1.2+1.4+1.0)/5 = 1.2 → class IV (1.0 < 1.2 ≤ 1.5),
  超标倍数 (1.2 − 1.0)/1.0 = 0.2; 5 of 6 readings valid → capture rate 0.8333. Hg sent as 0.08 µg/L (Table B.1 unit)
  → 0.00008 mg/L → class III (0.00005 < x ≤ 0.0001). The day's class is the worst item: IV.
* Re-sent later with flag N and NH3-N 0.6 → (6.0 + 0.6)/6 = 1.1 (still IV), capture 1.0 — by an incremental run.
* 铜山源水库 (QZ-WA09, reservoir, platform export): TP 0.03 and 0.05 → mean 0.04 → lake column: II ≤ 0.025 < 0.04 ≤
  0.05 = III (at a river it would be II, ≤ 0.1). One row of the export says "10-11 16:00" without a year: delivered on
  2026-10-12, it is 2026-10-11 16:00.
"""
from __future__ import annotations

import os
from datetime import date, datetime
from decimal import Decimal

import pytest
from conftest import dbt_build, query

from ecowarehouse.hj212.packet import build_frame
from ecowarehouse.ingest import pipeline, water_stations
from ecowarehouse.ingest.formats import FileRejected, detect_kind

MN = "33080000000000000000WQ02"
HEADER = ("省份,流域,断面名称,监测时间,水质类别,水温(℃),pH(无量纲),溶解氧(mg/L),电导率(μS/cm),浊度(NTU),"
          "高锰酸盐指数(mg/L),氨氮(mg/L),总磷(mg/L),总氮(mg/L),叶绿素α(mg/L),藻密度(cells/L),站点情况")
PLATFORM = "\r\n".join([
    HEADER,
    "浙江省,长江流域,铜山源水库,2026-10-11 08:00,II,18.1,7.6,8.2,120,5,2.0,0.10,0.030,1.0,--,--,正常",
    "浙江省,长江流域,铜山源水库,10-11 16:00,III,18.3,7.7,8.1,121,5,2.1,0.12,0.050,1.1,--,--,正常",
    "浙江省,长江流域,铜山源水库,2026-10-11 12:00,,18.3,7.7,8.1,121,--,2.1,0.12,0.900,1.1,--,--,维护",
    "浙江省,长江流域,衢江大桥,2026-10-11 08:00,II,18.1,7.6,8.2,120,5,2.0,0.10,0.030,1.0,--,--,正常",
    "浙江省,长江流域,铜山源水库,2026-10-11 20:00,II,18.1,7.6,仪器故障,120,5,2.0,0.10,0.030,1.0,--,--,正常",
    "浙江省,长江流域,铜山源水库,2026-10-11 08:00,II,18.1,7.6,8.2,120,5,2.0,0.10,0.030,1.0,--,--,正常",
]) + "\r\n"


def packet(hour: int, nh3: float, flag: str = "N") -> str:
    t = datetime(2026, 10, 10, hour)
    cp = f"w21003-Avg={nh3},w21003-Flag={flag};w20111-Avg=0.08,w20111-Flag={flag};w01009-Avg=7.5,w01009-Flag={flag}"
    return build_frame(f"QN={t:%Y%m%d%H%M%S}000;ST=21;CN=2061;PW=123456;MN={MN};Flag=4;"
                       f"CP=&&DataTime={t:%Y%m%d%H%M%S};{cp}&&")


def test_platform_export_is_recognised_and_each_bad_row_quarantined():
    data = PLATFORM.encode()
    assert detect_kind(data) == "water_auto_platform"
    parsed = water_stations.parse(data, date(2026, 10, 12))
    assert parsed.received == 6 and len(parsed.rows) == 3
    assert [r[3] for r in parsed.rows] == [datetime(2026, 10, 11, 8), datetime(2026, 10, 11, 16),
                                            datetime(2026, 10, 11, 12)]
    first = parsed.rows[0]
    assert first[1] == "QZ-WA09" and first[6]["tp"] == 0.03 and "chlorophyll_a" not in first[6]
    assert "turbidity" not in parsed.rows[2][6] and parsed.rows[2][5] == "维护"  # "--" is no value, not zero
    assert [(r["source_row"], r["reason_code"]) for r in parsed.rejects] == [
        (5, "water_auto:unknown_station"), (6, "water_auto:bad_value"), (7, "water_auto:duplicate")]
    assert "仪器故障" in parsed.rejects[1]["reason_zh"] and "第 2 行" in parsed.rejects[2]["reason_zh"]


def test_a_year_less_time_is_never_after_delivery():
    # delivered on 2027-01-02, "12-31 20:00" is the day before, not the end of 2027
    text = HEADER + "\r\n浙江省,长江流域,铜山源水库,12-31 20:00,II,18,7.6,8.2,120,5,2.0,0.10,0.03,1.0,--,--,正常\r\n"
    [row] = water_stations.parse(text.encode(), date(2027, 1, 2)).rows
    assert row[3] == datetime(2026, 12, 31, 20)


def test_a_column_in_another_unit_rejects_the_file():
    text = HEADER.replace("总磷(mg/L)", "总磷(μg/L)") + "\r\n"
    with pytest.raises(FileRejected) as rej:
        water_stations.parse(text.encode(), date(2026, 10, 12))
    assert rej.value.reason_code == "unit" and "mg/L" in rej.value.reason_zh


@pytest.fixture(scope="module")
def stations(warehouse, tmp_path_factory):
    from conftest import reset_warehouse

    reset_warehouse(warehouse)
    folder = tmp_path_factory.mktemp("water_auto")
    lines = [packet(h, v) for h, v in zip((0, 4, 8, 12, 16), (1.1, 1.3, 1.2, 1.4, 1.0))] + [packet(20, 9.9, "M")]
    (folder / "wa02.txt").write_text("\r\n".join(lines) + "\r\n", newline="")
    export = folder / "platform.csv"
    export.write_bytes(PLATFORM.encode())
    os.utime(export, (datetime(2026, 10, 12, 9).timestamp(),) * 2)
    results = pipeline.ingest_paths([folder])
    assert {r.status for r in results} == {"loaded"}
    dbt_build(folder, "resource_type:seed", "+fct_water_section_quality", "+fct_water_section_item", "+fct_water_auto_daily",
              period="2026-10")
    return warehouse, folder


def test_counts_reconcile(stations):
    warehouse, _ = stations
    rows = query(warehouse, """select file_kind, rows_received, rows_loaded, rows_quarantined from ops.files
                               order by file_kind""")
    assert rows == [("hj212_packets", 6, 6, 0), ("water_auto_platform", 6, 3, 3)]


def test_daily_means_use_valid_readings_only(stations):
    warehouse, _ = stations
    rows = query(warehouse, """select item_code, item_value, n_received, n_valid, n_expected, capture_rate, unit
                               from marts_audit.fct_water_auto_daily where station_code = 'QZ-WA02'
                               order by item_code""")
    assert rows == [
        ("do", Decimal("7.500000"), 6, 5, 6, Decimal("0.8333"), "mg/L"),
        ("hg", Decimal("0.000080"), 6, 5, 6, Decimal("0.8333"), "mg/L"),
        ("nh3_n", Decimal("1.200000"), 6, 5, 6, Decimal("0.8333"), "mg/L"),
    ]


def test_daily_class_of_the_packet_station_and_the_reservoir(stations):
    warehouse, _ = stations
    rows = query(warehouse, """select section_name, period_code, water_class_label, exceeding_items, meets_target
                               from marts_audit.fct_water_section_quality
                               where data_source = 'auto' and period_kind = 'day' order by section_code""")
    assert rows == [("浮石渡", "2026-10-10", "IV", "氨氮(NH3-N)(0.20)", False),
                    ("铜山源", "2026-10-11", "III", None, True)]
    [(item, value, cls)] = query(warehouse, """select item_code, item_value, item_class from marts_audit.fct_water_section_item
                                 where section_code = 'QZ-W09' and period_kind = 'day' and item_code like 'tp%%'""")
    assert (item, value, cls) == ("tp_lake", Decimal("0.040000"), 3)  # 0.9 in the 维护 reading is left out


def test_a_resent_reading_updates_the_day_incrementally(stations):
    warehouse, folder = stations
    resend = folder / "resend"
    resend.mkdir()
    (resend / "wa02_resend.txt").write_text(packet(20, 0.6) + "\r\n", newline="")
    pipeline.ingest_paths([resend])
    dbt_build(folder, "int_water__auto_readings", "int_water__auto_daily", full_refresh=False)
    [(value, n_valid, rate)] = query(warehouse, """select item_value, n_valid, capture_rate
                                               from intermediate.int_water__auto_daily
                                               where station_code = 'QZ-WA02' and item_code = 'nh3_n'""")
    assert (round(value, 6), n_valid, rate) == (1.1, 6, Decimal("1.0000"))
    [(n,)] = query(warehouse, "select count(*) from intermediate.int_water__auto_readings where station_code = 'QZ-WA02'")
    assert n == 18  # 6 times × 3 items: the re-sent hour replaced, not added
