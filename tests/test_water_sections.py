"""Surface-water sections: the monthly manual results form and GB 3838-2002 single-factor classes through the real dbt
project. Expected classes are the hand-computed vectors of ../shared/standards/standards-water.md §4 (Table 1 limits):

river: pH 7.5, DO 6.5, CODMn 3.8, NH3-N 0.42, TP 0.08 → II · DO 5.5, CODMn 3.8, NH3-N 0.42, TP 0.12 → III ·
NH3-N 2.3 → 劣V, 超标倍数 (2.3 − 1.0)/1.0 = 1.3 · TP 0.15 → III at a river, V at a reservoir (lake column 0.1 < 0.15 ≤ 0.2)
· TN 1.8 at a river is not evaluated · pH 9.2 → 劣V · Hg 0.00008 mg/L (written 0.08 µg/L) → III · COD 15 → I (equal
limits 15 in I and II: the best class). Annual: 东迹渡 has NH3-N 1.2 (IV) in September and 0.42 in October; the annual
mean 0.81 is class III — the year is not its worst month.
"""
from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from conftest import dbt_build, query

from ecowarehouse.forms import FormSheet, build_workbook
from ecowarehouse.ingest import county_reports, pipeline, workbook

COLUMNS = ["section_name", "sampled_on", "ph", "do", "codmn", "cod", "nh3_n", "tp", "tn", "cu", "hg"]
OCTOBER = [
    dict(section_name="东迹渡", sampled_on="2026-10-08", ph=7.5, do=6.5, codmn=3.8, nh3_n=0.42, tp=0.08, cu="0.01L"),
    dict(section_name="浮石渡", sampled_on="2026-10-08", do=5.5, codmn=3.8, nh3_n=0.42, tp=0.12),
    dict(section_name="郑家", sampled_on="2026-10-08", nh3_n=2.3),
    dict(section_name="下童", sampled_on="2026-10-08", tp=0.15),
    dict(section_name="铜山源水库", sampled_on="2026-10-08", tp=0.15),
    dict(section_name="双塔底", sampled_on="2026-10-08", ph=7.0, tn=1.8),
    dict(section_name="富足山", sampled_on="2026-10-08", ph=9.2),
    dict(section_name="下界首", sampled_on="2026-10-08", hg=0.08),
    dict(section_name="双港口", sampled_on="2026-10-08", cod=15),
]
SEPTEMBER = [dict(section_name="东迹渡", sampled_on="2026-09-08", ph=7.5, do=6.5, codmn=3.8, nh3_n=1.2, tp=0.08)]


def form(rows, period="2026年10月") -> bytes:
    return build_workbook("衢州市生态环境监测中心", period,
                          [FormSheet("water_monthly", rows, columns=COLUMNS, labels={"hg": "汞(μg/L)"})])


def parse(data: bytes):
    [sub] = county_reports.parse_workbook(workbook.read_sheets(data)[0], date(2026, 11, 9))
    return sub


def test_units_detection_limits_and_row_rules():
    sub = parse(form([
        dict(section_name="东迹渡", sampled_on="2026-10-08", hg=0.08, cu="<0.01", tp="ND", nh3_n="0.025L"),
        dict(section_name="衢江大桥", sampled_on="2026-10-08", tp=0.1),
        dict(section_name="郑家", sampled_on="2026-10-08"),
        dict(section_name="郑家", sampled_on="2026-11-02", do=-0.5),
        dict(section_name="浮石渡", sampled_on="2026-09-30", tp=0.05),
        dict(section_name="浮石渡", sampled_on="2026-09-30", tp=0.06),
    ]))
    assert (sub.template_code, sub.programme_code, sub.unit_code) == ("water_monthly", "QZ-WATER", "330800-JCZX")
    first, late = sub.rows
    m = first["measurements"]
    assert m["hg"]["value"] == pytest.approx(0.00008)  # µg/L in the header → mg/L
    assert (m["cu"]["nd"], m["cu"]["dl"]) == (True, 0.01)
    assert (m["nh3_n"]["nd"], m["nh3_n"]["dl"]) == (True, 0.025)  # "0.025L": below the limit 0.025
    assert m["tp"] == {"nd": True, "text": "ND"}
    assert [w["code"] for w in late["warnings"]] == ["sample_outside_period"]
    assert [r["reason_code"] for r in sub.rejects] == ["unknown_section", "no_measurements", "out_of_range:do",
                                                        "duplicate_sample"]


def test_a_unit_that_cannot_be_converted_rejects_the_value():
    data = build_workbook("衢州市生态环境监测中心", "2026年10月", [FormSheet(
        "water_monthly", [dict(section_name="郑家", sampled_on="2026-10-08", nh3_n=2.3)],
        columns=["section_name", "sampled_on", "nh3_n"], labels={"nh3_n": "氨氮(ppm)"})])
    [bad] = parse(data).rejects
    assert bad["reason_code"] == "bad_unit:nh3_n" and "ppm" in bad["reason_zh"]


@pytest.fixture(scope="module")
def classified(warehouse, tmp_path_factory):
    from conftest import reset_warehouse

    reset_warehouse(warehouse)
    folder = tmp_path_factory.mktemp("water")
    (folder / "oct.xlsx").write_bytes(form(OCTOBER))
    (folder / "sep.xlsx").write_bytes(form(SEPTEMBER, "2026年9月"))
    assert {r.status for r in pipeline.ingest_paths([folder])} == {"loaded"}
    dbt_build(folder, "resource_type:seed", "+fct_water_section_quality", "+fct_water_section_item", period="2026-10")
    return warehouse


def test_single_factor_classes_of_the_digest(classified):
    rows = query(classified, """select section_name, water_class_label, items_evaluated, exceeding_items, meets_target
                             from marts_audit.fct_water_section_quality
                             where period_kind = 'month' and period_code = '2026-10' order by section_code""")
    assert rows == [
        ("东迹渡", "II", 6, None, True),     # Cu 0.01L → half the limit, 0.005: class I
        ("浮石渡", "III", 4, None, True),
        ("郑家", "劣V", 1, "氨氮(NH3-N)(1.30)", False),
        ("下童", "III", 1, None, True),
        ("双塔底", "I", 1, None, True),      # TN is not evaluated for rivers: pH alone
        ("富足山", "劣V", 1, None, False),   # pH out of 6–9; no 超标倍数 for pH
        ("下界首", "III", 1, None, True),
        ("双港口", "I", 1, None, True),
        ("铜山源", "V", 1, "总磷(以P计，湖、库)(2.00)", False),  # (0.15 − 0.05)/0.05 against the lake column
    ]
    determining = query(classified, """select determining_items from marts_audit.fct_water_section_quality
                                    where section_name = '浮石渡' and period_kind = 'month'""")
    assert determining == [("溶解氧、总磷(以P计)",)]  # DO 5.5 < 6 and TP 0.12 > 0.1 are both class III


def test_annual_class_is_of_the_annual_means(classified):
    rows = query(classified, """select period_code, water_class_label from marts_audit.fct_water_section_quality
                             where section_name = '东迹渡' order by period_kind, period_code""")
    assert rows == [("2026-09", "IV"), ("2026-10", "II"), ("2026", "III")]
    [(value, n)] = query(classified, """select item_value, n_values from marts_audit.fct_water_section_item
                                     where section_code = 'QZ-W01' and period_kind = 'year' and item_code = 'nh3_n'""")
    assert (value, n) == (Decimal("0.810000"), 2)
