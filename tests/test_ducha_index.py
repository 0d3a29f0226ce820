"""督察问题整改清单 (ducha_list) and the “重大生态环保督察”清单指数 (mart_ducha_index), issue 6.

Parsing: the form's rows, enum variants, and the quarantine of bad rows with Chinese reasons.
Mart: hand-built workbooks through ingestion, the real dbt project and PostgreSQL, for periods 2026-09 and 2026-10.

Default rules (seeds/ref_ducha_index_rules.csv): open_problems 1 pt (cap 20), overdue 3 (cap 30), overdue_90d 2 (cap 20),
warning_open 5 (cap 20), supervised_open 10 (cap 30); index = max(0, 100 − Σ min(cap, count × points)).

柯城区 2026-09 (period end 09-30): K1 整改中 挂牌督办 deadline 06-30 (92 days late); K2 整改中 通报预警 deadline 09-30
  (the deadline day itself: not overdue); K4 整改中 挂牌督办 deadline 08-31 (30 days late); K5 已销号 on 09-15.
柯城区 2026-10 (period end 10-31): K1 as before (123 days late); K2 (31 days late); K3 已整改待销号, 督办等级 left empty
  (= 无), deadline 12-31; K4 已销号 on 10-12; K5 已销号 on 09-15; K6 整改中 “预警” deadline 08-02 (exactly 90 days late);
  plus 4 bad rows that go to quarantine.
衢江区 2026-09: Q1–Q4 整改中 挂牌督办, deadline 12-31; no list for 2026-10 (carried forward).
常山县 2026-10: an empty list (no problems). 龙游县 2026-10: a list whose only row is quarantined. The other four units
never submit.
"""
from __future__ import annotations

import os
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from conftest import dbt_build, query

from ecowarehouse.forms import FormSheet, build_workbook
from ecowarehouse.ingest import county_reports, pipeline, workbook

CST = ZoneInfo("Asia/Shanghai")


def problem(no, status, deadline, level="", closed="", source="市级重大生态环保督察清单", assigned="2026-01-10", **kw):
    return dict(problem_no=no, problem_source=source, assigned_on=assigned, description=f"问题{no}",
                responsible_unit="县生态环境分局", rectify_deadline=deadline, rectify_status=status, closed_on=closed,
                supervision_level=level, **kw)


K1 = problem("K1", "整改中", "2026-06-30", "挂牌督办", source="中央督察", industry="木质家具")
K2 = problem("K2", "整改中", "2026-09-30", "通报预警", source="省级督察", assigned="2026-05-01")
K3 = problem("K3", "已整改待销号", "2026-12-31", assigned="2026-06-01")
K4_OPEN = problem("K4", "整改中", "2026-08-31", "挂牌督办", source="督察在线", assigned="2026-03-01")
K4_CLOSED = dict(K4_OPEN, rectify_status="已销号", closed_on="2026-10-12")
K5 = problem("K5", "已销号", "2026-07-31", closed="2026年9月15日", source="信访", assigned="2026-02-01")
K6 = problem("K6", "整改中", "2026-08-02", "预警", assigned="2026-07-01", industry="印花布")
BAD = [
    problem("B1", "已销号", "2026-12-31"),                                        # 已销号 without 销号日期
    problem("B2", "整改中", "2026-12-31", source="路边发现"),                      # unknown 问题来源
    problem("B3", "整改中", "2026-04-30", assigned="2026-05-01"),                 # 整改时限 before 交办日期
    problem("B4", "已销号", "2026-12-31", closed="2026-12-01"),                   # 销号日期 after delivery (11-02)
]
Q = [problem(f"Q{i}", "整改中", "2026-12-31", "挂牌督办", assigned="2026-04-01") for i in (1, 2, 3, 4)]


def _book(unit: str, period: str, rows: list[dict]) -> bytes:
    return build_workbook(unit, period, [FormSheet("ducha_list", rows)])


# ------------------------------------------------------------------------------------------------ parsing
def _parse(data: bytes, today=date(2026, 11, 2)):
    sheets, _ = workbook.read_sheets(data)
    [sub] = county_reports.parse_workbook(sheets, today)
    return sub


def test_ducha_list_is_recognised_and_normalised():
    sub = _parse(_book("柯城区人民政府", "2026年10月", [K1, K3, K6]))
    assert (sub.template_code, sub.programme_code, sub.unit_code, sub.period.code) == \
        ("ducha_list", "QZ-DUCHA", "330802", "2026-10")
    k1, k3, k6 = sub.rows
    # 中央督察 → 中央生态环保督察, 挂牌督办 kept; 木质家具 is a key industry of 衢州 (QZ2023)
    assert (k1["problem_source"], k1["supervision_level"], k1["industry_code"]) == ("中央生态环保督察", "挂牌督办", "wood_furniture")
    assert (k1["assigned_on"], k1["rectify_deadline"]) == (date(2026, 1, 10), date(2026, 6, 30))
    # an empty 督办等级 is 无; “预警” is 通报预警
    assert k3["supervision_level"] == "无" and k3["rectify_status"] == "已整改待销号"
    assert k6["supervision_level"] == "通报预警"
    # an industry outside the list is kept as text with a warning, the problem stays on the list
    assert k6["industry_code"] is None and k6["industry_text"] == "印花布"
    assert [w["code"] for w in k6["warnings"]] == ["unknown_industry"]


def test_bad_rows_are_quarantined_with_chinese_reasons():
    sub = _parse(_book("柯城区人民政府", "2026年10月", [K1, *BAD, dict(K3, problem_no="K1")]))
    assert [r["problem_no"] for r in sub.rows] == ["K1"]
    got = {r["record"]["问题编号"]: (r["reason_code"], r["reason_zh"]) for r in sub.rejects}
    assert got["B1"] == ("closed_without_date", "整改状态为“已销号”，但未填写销号日期")
    assert got["B2"][0] == "bad_enum:ducha_source" and "问题来源“路边发现”无法识别" in got["B2"][1]
    assert got["B3"] == ("deadline_before_assigned", "整改时限（2026-04-30）早于交办日期（2026-05-01）")
    assert got["B4"][0] == "future_date:closed_on" and "销号日期（2026-12-01）晚于报送日期（2026-11-02）" in got["B4"][1]
    # a second row numbered K1 in the same list
    assert got["K1"][0] == "duplicate_problem" and "问题编号“K1”重复" in got["K1"][1]
    assert sub.received == 6 == len(sub.rows) + len(sub.rejects)


def test_unknown_status_and_missing_required_value():
    sub = _parse(_book("衢江区人民政府", "2026年10月", [problem("X1", "差不多了", "2026-12-31"),
                                                  dict(problem("X2", "整改中", "2026-12-31"), responsible_unit="")]))
    reasons = {r["record"]["问题编号"]: r["reason_zh"] for r in sub.rejects}
    assert reasons["X1"].startswith("整改状态“差不多了”无法识别，应为 整改中/已整改待销号/已销号 之一")
    assert reasons["X2"] == "缺少必填项：责任单位"


# ------------------------------------------------------------------------------------------------ the mart
def _write(folder: Path, name: str, data: bytes, delivered: datetime) -> None:
    path = folder / name
    path.write_bytes(data)
    ts = delivered.replace(tzinfo=CST).timestamp()
    os.utime(path, (ts, ts))


@pytest.fixture(scope="module")
def built(warehouse, tmp_path_factory):
    from conftest import reset_warehouse

    reset_warehouse(warehouse)
    tmp = tmp_path_factory.mktemp("ducha")
    folder = tmp / "in"
    folder.mkdir()
    _write(folder, "k09.xlsx", _book("柯城区人民政府", "2026年9月", [K1, K2, K4_OPEN, K5]), datetime(2026, 10, 2, 9))
    _write(folder, "k10.xlsx", _book("柯城区人民政府", "2026年10月", [K1, K2, K3, K4_CLOSED, K5, K6, *BAD]),
           datetime(2026, 11, 2, 9))
    _write(folder, "q09.xlsx", _book("衢江区人民政府", "2026年9月", Q), datetime(2026, 10, 2, 9))
    _write(folder, "c10.xlsx", _book("常山县人民政府", "2026年10月", []), datetime(2026, 11, 2, 9))
    _write(folder, "l10.xlsx", _book("龙游县人民政府", "2026年10月", [BAD[0]]), datetime(2026, 11, 2, 9))
    results = pipeline.ingest_paths([folder])
    assert all(r.status == "loaded" for r in results), [(r.name, r.status, r.reason) for r in results]
    dbt_build(tmp, "resource_type:seed", "+mart_ducha_index", period="2026-10", exclude="resource_type:snapshot")
    return warehouse, tmp


COUNTS = """problems_listed, problems_open, closed_in_period, overdue, overdue_90d, open_warning, open_supervised,
            alerts_unresolved"""


def _row(warehouse, period, area, cols=COUNTS + ", deduction_points, ducha_index"):
    return query(warehouse, f"select {cols} from marts_audit.mart_ducha_index where period_code = %s and area_code = %s",
                 period, area)


def test_rows_received_are_loaded_or_quarantined(built):
    w, _ = built
    # k10: 6 good rows + 4 bad rows = 10 received
    assert query(w, "select rows_received, rows_loaded, rows_quarantined from ops.files where original_name = 'k10.xlsx'") \
        == [(10, 6, 4)]
    reasons = sorted(r for (r,) in query(w, """select q.reason_code from quarantine.rows q join ops.files f using (file_sha256)
                                               where q.source = 'county_report:ducha_list' and f.original_name = 'k10.xlsx'"""))
    assert reasons == ["bad_enum:ducha_source", "closed_without_date", "deadline_before_assigned", "future_date:closed_on"]


def test_county_counts_and_index_by_hand(built):
    w, _ = built
    # 2026-09, end 09-30: open K1 K2 K4 = 3; closed in period K5 = 1; overdue K1 (92 d) K4 (30 d) = 2, > 90 d: K1 = 1;
    # 通报预警 K2 = 1; 挂牌督办 K1 K4 = 2; alerts 3.
    # deductions: open 3×1 = 3; overdue 2×3 = 6; 90 d 1×2 = 2; warning 1×5 = 5; supervised min(30, 2×10) = 20 → 36 → 64.0
    assert _row(w, "2026-09", "330802") == [(4, 3, 1, 2, 1, 1, 2, 3, Decimal("36"), Decimal("64.0"))]
    # 2026-10, end 10-31: listed 6 (bad rows not counted); open K1 K2 K3 K6 = 4; closed in period K4 (10-12) = 1
    # (K5 closed in 09); overdue K1 (123 d) K2 (31 d) K6 (90 d) = 3, > 90 d: K1 only (K6 is exactly 90); 通报预警 K2 K6 = 2;
    # 挂牌督办 open: K1 = 1 (K4 is closed); alerts 3.
    # deductions: open 4; overdue 9; 90 d 2; warning min(20, 10) = 10; supervised 10 → 35 → 65.0
    assert _row(w, "2026-10", "330802") == [(6, 4, 1, 3, 1, 2, 1, 3, Decimal("35"), Decimal("65.0"))]
    # 衢江区 2026-09: 4 open, all 挂牌督办, none overdue: open 4 + supervised min(30, 40) = 30 → 34 → 66.0
    assert _row(w, "2026-09", "330803") == [(4, 4, 0, 0, 0, 0, 4, 4, Decimal("34"), Decimal("66.0"))]


def test_carried_forward_empty_list_and_never_submitted(built):
    w, _ = built
    cols = "index_status, source_period_code, problems_listed, ducha_index, rows_quarantined"
    # 衢江区 sent no list for 10: its 09 list stands, re-judged at 10-31 (still not overdue) → 66.0 again
    assert _row(w, "2026-10", "330803", cols) == [("carried_forward", "2026-09", 4, Decimal("66.0"), 0)]
    # 柯城区's 10 list lost 4 rows to quarantine: reported, and the count says so
    assert _row(w, "2026-10", "330802", cols) == [("reported", "2026-10", 6, Decimal("65.0"), 4)]
    # 常山县 submitted an empty list: no problems is 100 …
    assert _row(w, "2026-10", "330822", cols) == [("reported", "2026-10", 0, Decimal("100.0"), 0)]
    # … but before it ever submitted, and for 开化县 who never did, there are no counts and no index (not 100, not 0)
    assert _row(w, "2026-09", "330822", cols + ", problems_open, overdue") == \
        [("never_submitted", None, None, None, None, None, None)]
    assert _row(w, "2026-10", "330824", cols) == [("never_submitted", None, None, None, None)]
    # 龙游县 sent a list whose only row was quarantined: we do not know its problems, so no counts and no index either
    assert _row(w, "2026-10", "330825", cols) == [("all_rows_quarantined", "2026-10", None, None, 1)]


def test_rank_change_and_city(built):
    w, _ = built
    ranks = query(w, """select area_code, ducha_index, index_rank, index_change from marts_audit.mart_ducha_index
                        where period_code = '2026-10' and index_rank is not null order by index_rank""")
    # 常山县 100 > 衢江区 66 > 柯城区 65; change vs 09: 柯城区 65 − 64 = +1.0, 衢江区 66 − 66 = 0.0, 常山县 no 09 index → null
    assert ranks == [("330822", Decimal("100.0"), 1, None), ("330803", Decimal("66.0"), 2, Decimal("0.0")),
                     ("330802", Decimal("65.0"), 3, Decimal("1.0"))]
    # the city: 8 units expected, 3 with a list (龙游县's list lost its only row); counts summed 6 + 4 + 0 = 10 listed, open 4 + 4 + 0 = 8, overdue 3,
    # 挂牌督办 1 + 4 = 5; index = mean of the unit indices (65 + 66 + 100) / 3 = 77.0; the city is not ranked
    assert _row(w, "2026-10", "330800", "index_status, units_expected, units_with_list, problems_listed, problems_open, "
                                        "overdue, open_supervised, ducha_index, index_rank") == \
        [("partial", 8, 3, 10, 8, 3, 5, Decimal("77.0"), None)]
    # 2026-08: nobody had submitted: no city index either
    assert _row(w, "2026-08", "330800", "index_status, problems_listed, ducha_index") == [("no_unit_data", None, None)]


def test_every_column_has_a_chinese_comment(built):
    w, _ = built
    missing = query(w, """
        select a.attname from pg_attribute a
        where a.attrelid = 'marts_audit.mart_ducha_index'::regclass and a.attnum > 0 and not a.attisdropped
          and col_description(a.attrelid, a.attnum) is null""")
    assert missing == []
    assert "粒度" in query(w, "select obj_description('marts_audit.mart_ducha_index'::regclass)")[0][0]

def test_a_rules_change_changes_the_index(built):
    """Runs last: edits the loaded seed table as the bureau would edit the CSV, then rebuilds the mart only."""
    w, tmp = built
    import psycopg

    with psycopg.connect(w.url(), autocommit=True) as conn:
        conn.execute("update ref.ref_ducha_index_rules set points_per_item = 4 where component_code = 'supervised_open'")
        conn.execute("delete from ref.ref_ducha_index_rules where component_code = 'overdue_90d'")
    dbt_build(tmp, "mart_ducha_index", period="2026-10", command="run")
    # 柯城区 10: open 4 + overdue 9 + warning 10 + supervised 1×4 = 4 (no 90-day item) → 27 → 73.0
    assert _row(w, "2026-10", "330802", "deduction_points, ducha_index") == [(Decimal("27"), Decimal("73.0"))]
    # 衢江区 10: open 4 + supervised 4×4 = 16 (now under the cap) → 20 → 80.0
    assert _row(w, "2026-10", "330803", "deduction_points, ducha_index") == [(Decimal("20"), Decimal("80.0"))]

