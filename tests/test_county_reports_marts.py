"""County submissions end to end through ingestion, the real dbt project and PostgreSQL: versions and resubmission,
carry-forward, timeliness, and the progress marts against counts worked out by hand below.

Files (delivery time = file modification time, China Standard Time):
A 柯城区 台账 2026-09, delivered 10-02 (due 10-03): E1 木质家具 改造提升 推进中; E2 电镀 搬迁升级 已完成, county
  accepted 09-10, city 09-20, 领跑 candidate; E3 玻璃制造 原址关闭 未启动.
B 柯城区 台账 2026-10 first version, delivered 11-01: E1 已完成 (county accepted 10-15), E2 as before, E3 推进中, and
  E4 with 辖区 衢江区 (quarantined: another county's enterprise).
C 柯城区 台账 2026-10 resubmitted 11-05: E1, E2 as in B; E3 已完成. C replaces B; the period stays on time (first
  delivery 11-01 ≤ due 11-03).
D 衢江区 台账 2026-08, delivered 09-05 (due 09-03: 2 days late): E5 化工 改造提升 推进中 — carried into 09 and 10.
E 通川区 台账 2023-Q3 (达州, quarterly, due 09-25), delivered 09-20: E6 钢铁 推进中; deadline 2023-10-31 is 31 days
  after the quarter's end → at risk in 2023-Q3, overdue in 2023-Q4 (carried forward).
F 柯城区 任务进展 + 指标 2026-10, delivered 11-02.
G 龙游县 old template without 整治分类: rejected as a file.
Deadlines (seed, 001): 木质家具 2024-12-31, 电镀/玻璃制造/化工 2025-12-31: by 2026-09 every open one is overdue.
"""
from __future__ import annotations

import os
import sys
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from conftest import dbt_build, query

sys.path.insert(0, str(Path(__file__).parent))

from ecowarehouse.forms import FormSheet, build_workbook, template_columns
from ecowarehouse.ingest import pipeline

CST = ZoneInfo("Asia/Shanghai")
E1 = dict(enterprise_name="衢州甲木业有限公司", credit_code="91330800147755889T", key_industry="木质家具",
          remediation_class="改造提升", progress_text="推进中")
E2 = dict(enterprise_name="衢州乙电镀有限公司", credit_code="91330800MA28F5TE22", key_industry="电镀",
          remediation_class="搬迁升级", progress_status="已完成", county_accepted_on="2026-09-10",
          city_accepted_on="2026-09-20", leader_candidate="是", remarks="新址用地20亩")
E3 = dict(enterprise_name="衢州丙玻璃制品厂", credit_code="91330800MA28F14U3Q", key_industry="玻璃制造",
          remediation_class="原址关闭", progress_status="未启动")
E1_DONE = dict(E1, progress_status="已完成", county_accepted_on="2026年10月15日")


def _write(folder: Path, name: str, data: bytes, delivered: datetime) -> None:
    path = folder / name
    path.write_bytes(data)
    ts = delivered.replace(tzinfo=CST).timestamp()
    os.utime(path, (ts, ts))


def _ledger(unit, period, rows, **kw) -> bytes:
    return build_workbook(unit, period, [FormSheet("enterprise_ledger", rows, **kw)])


def write_files(folder: Path) -> None:
    _write(folder, "a.xlsx", _ledger("柯城区人民政府", "2026年9月", [E1, E2, E3]), datetime(2026, 10, 2, 10))
    foreign = dict(enterprise_name="衢江某石料厂", county_name="衢江区", key_industry="建材石料加工", remediation_class="改造提升")
    _write(folder, "b.xlsx", _ledger("柯城区人民政府", "2026年10月", [E1_DONE, E2, dict(E3, progress_status="推进中"), foreign]),
           datetime(2026, 11, 1, 9))
    _write(folder, "c.xlsx", _ledger("柯城区人民政府", "2026年10月", [E1_DONE, E2, dict(E3, progress_status="已完成")]),
           datetime(2026, 11, 5, 9))
    e5 = dict(enterprise_name="衢江丁化工有限公司", credit_code=None, key_industry="化工", remediation_class="改造提升",
              progress_text="正在整改")
    _write(folder, "d.xlsx", _ledger("衢江区人民政府", "2026年8月", [e5]), datetime(2026, 9, 5, 12))
    e6 = dict(enterprise_name="达州戊钢铁有限公司", industry_category="钢铁", remediation_class="改造提升",
              progress_text="推进中")
    _write(folder, "e.xlsx", _ledger("通川区人民政府", "2023年第3季度", [e6],
                                     columns=template_columns("enterprise_ledger", "DZ2021")), datetime(2023, 9, 20, 9))
    _write(folder, "f.xlsx", build_workbook("柯城区人民政府", "2026年10月", [
        FormSheet("task_progress", [
            {"item_no": 1, "reporting_unit": "柯城区经信局", "status": "已完成", "percent_complete": 100},
            {"item_no": 1, "reporting_unit": "柯城区发改局", "status": "推进中", "percent_complete": 50},
            {"item_no": 2, "reporting_unit": "柯城区经信局", "status": "已完成", "percent_complete": 100},
            {"item_kind": "重点工程", "item_no": 1, "reporting_unit": "柯城区发改局", "status": "推进中", "percent_complete": 60},
            {"item_kind": "重点工程", "item_no": 10, "reporting_unit": "柯城区发改局", "status": "已完成", "percent_complete": 100},
        ]),
        FormSheet("indicator_form", [{"indicator_name": "城镇污水处理率", "value": "96.5%", "unit": "%"},
                                     {"indicator_name": "清新空气示范区", "value": "是"}]),
    ]), datetime(2026, 11, 2, 16))
    cols = [c for c in template_columns("enterprise_ledger") if c != "remediation_class"]
    _write(folder, "g.xlsx", _ledger("龙游县人民政府", "2026年10月", [E1], columns=cols), datetime(2026, 11, 2, 8))


def run_dbt(tmp_path: Path) -> None:
    """The real dbt project (seeds + the county models and their tests) for the month 2026-10."""
    models = ("resource_type:seed +mart_remediation_progress +dim_enterprise +mart_task_completion_by_group +fct_task_progress "
              "+fct_county_indicator_reported +mart_submission_timeliness")
    dbt_build(tmp_path, *models.split(), period="2026-10", exclude="resource_type:snapshot")


@pytest.fixture(scope="module")
def built(warehouse, tmp_path_factory):
    from conftest import reset_warehouse

    reset_warehouse(warehouse)
    tmp = tmp_path_factory.mktemp("county")
    folder = tmp / "in"
    folder.mkdir()
    write_files(folder)
    results = pipeline.ingest_paths([folder])
    run_dbt(tmp)
    return warehouse, results, folder, tmp


def test_every_file_and_row_is_accounted_for(built):
    warehouse, results, _, _ = built
    assert sorted((r.name, r.status) for r in results) == [
        ("a.xlsx", "loaded"), ("b.xlsx", "loaded"), ("c.xlsx", "loaded"), ("d.xlsx", "loaded"), ("e.xlsx", "loaded"),
        ("f.xlsx", "loaded"), ("g.xlsx", "rejected")]
    # rows: A 3, B 4 (1 quarantined), C 3, D 1, E 1, F 5 + 2
    assert query(warehouse, "select sum(rows_received), sum(rows_loaded), sum(rows_quarantined) from ops.files") == [(19, 18, 1)]
    assert query(warehouse, "select reason_code, county_code, source_row from quarantine.rows") == [("county_mismatch", "330802", 8)]
    [(reason, submitter)] = query(warehouse, "select reject_reason, submitter_code from ops.files where status = 'rejected'")
    assert "整治分类" in reason and submitter == "330825"


def test_resubmission_keeps_both_versions_and_uses_the_latest(built):
    warehouse, *_ = built
    assert query(warehouse, """select count(*) from raw.county_submissions
                            where county_code = '330802' and period_code = '2026-10' and template_code = 'enterprise_ledger'""") == [(2,)]
    [(status,)] = query(warehouse, """select progress_status from marts_audit.dim_enterprise
                                   where enterprise_name = '衢州丙玻璃制品厂' and is_current""")
    assert status == "已完成"  # from the resubmission C, not B's 推进中


def test_remediation_progress_by_hand(built):
    warehouse, *_ = built
    rows = query(warehouse, """
        select period_code, county_code, industry_code, source_period_code, enterprises_listed, class_upgrade,
               class_relocate, class_close, completed, overdue, at_risk, county_accepted, city_accepted, leader_candidates
        from marts_audit.mart_remediation_progress where programme_code = 'QZ2023' order by 1, 2, 3""")
    assert rows == [
        ("2026-08", "330803", "chemical", "2026-08", 1, 1, 0, 0, 0, 1, 0, 0, 0, 0),
        ("2026-09", "330802", "electroplating", "2026-09", 1, 0, 1, 0, 1, 0, 0, 1, 1, 1),
        ("2026-09", "330802", "glass_manufacturing", "2026-09", 1, 0, 0, 1, 0, 1, 0, 0, 0, 0),
        ("2026-09", "330802", "wood_furniture", "2026-09", 1, 1, 0, 0, 0, 1, 0, 0, 0, 0),
        ("2026-09", "330803", "chemical", "2026-08", 1, 1, 0, 0, 0, 1, 0, 0, 0, 0),
        ("2026-10", "330802", "electroplating", "2026-10", 1, 0, 1, 0, 1, 0, 0, 1, 1, 1),
        ("2026-10", "330802", "glass_manufacturing", "2026-10", 1, 0, 0, 1, 1, 0, 0, 0, 0, 0),
        ("2026-10", "330802", "wood_furniture", "2026-10", 1, 1, 0, 0, 1, 0, 0, 1, 0, 0),
        ("2026-10", "330803", "chemical", "2026-08", 1, 1, 0, 0, 0, 1, 0, 0, 0, 0),
    ]
    dz = query(warehouse, """select period_code, at_risk, overdue from marts_audit.mart_remediation_progress
                          where programme_code = 'DZ2021' order by 1""")
    assert dz == [("2023-Q3", 1, 0), ("2023-Q4", 0, 1)]


def test_enterprise_history_by_report_period(built):
    warehouse, *_ = built
    rows = query(warehouse, """select enterprise_name, valid_from_period, valid_to::text, is_current, progress_status
                            from marts_audit.dim_enterprise where county_code = '330802' order by 1, 2""")
    assert rows == [
        ("衢州丙玻璃制品厂", "2026-09", "2026-10-01", False, "未启动"),
        ("衢州丙玻璃制品厂", "2026-10", None, True, "已完成"),
        ("衢州乙电镀有限公司", "2026-09", None, True, "已完成"),
        ("衢州甲木业有限公司", "2026-09", "2026-10-01", False, "推进中"),
        ("衢州甲木业有限公司", "2026-10", None, True, "已完成"),
    ]


def test_submission_timeliness(built):
    warehouse, *_ = built
    rows = query(warehouse, """select county_code, period_code, timeliness, days_late, versions, rows_quarantined
                            from marts_audit.mart_submission_timeliness
                            where template_code = 'enterprise_ledger' and county_code in ('330802', '330803')
                            order by 1, 2""")
    assert rows == [
        ("330802", "2026-08", "missing", None, 0, 0),
        ("330802", "2026-09", "on_time", 0, 1, 0),
        ("330802", "2026-10", "on_time", 0, 2, 0),  # first delivery on time; the latest version has no bad row
        ("330803", "2026-08", "late", 2, 1, 0),
        ("330803", "2026-09", "missing", None, 0, 0),
        ("330803", "2026-10", "missing", None, 0, 0),
    ]
    assert query(warehouse, """select timeliness, count(*) from marts_audit.mart_submission_timeliness
                            where period_code = '2026-10' group by 1 order by 1""") == [("missing", 30), ("on_time", 3)]
    # 8 units × 4 county forms (ledger, task progress, indicators, 督察问题整改清单) + the monitoring centre's water form
    # = 33 due for 2026-10; 柯城区 sent three (no 督察清单 here): 33 − 3 = 30 missing
    assert query(warehouse, """select timeliness from marts_audit.mart_submission_timeliness
                            where programme_code = 'DZ2021' and county_code = '511702' and period_code = '2023-Q3'""") == [("on_time",)]


def test_task_completion_by_hand(built):
    warehouse, *_ = built
    items = query(warehouse, """select item_kind, item_no, reports, reports_completed, overall_status, is_overdue
                             from marts_audit.mart_task_completion
                             where period_code = '2026-10' and (item_kind, item_no) in
                                   (('task', 1), ('task', 2), ('task', 3), ('project', 1), ('project', 10))
                             order by 1 desc, 2""")
    assert items == [
        ("task", 1, 2, 1, "推进中", False), ("task", 2, 1, 1, "已完成", False), ("task", 3, 0, 0, "未报送", False),
        ("project", 1, 1, 0, "推进中", True),   # completion year 2020 has passed
        ("project", 10, 1, 1, "已完成", False),
    ]
    assert query(warehouse, "select count(*) from marts_audit.mart_task_completion where period_code = '2026-10'") == [(145,)]
    groups = query(warehouse, """select group_kind, group_name, items_total, items_reported, items_completed, completion_rate_pct
                              from marts_audit.mart_task_completion_by_group
                              where period_code = '2026-10' and group_name in ('1 大力推动绿色转型，实现高质量发展', '市经信局')
                              order by 1""")
    # section 1 holds tasks 1–19; 市经信局 leads 6 tasks (1, 2, 3 with 市发改委, …): 1 of them completed
    assert groups == [("lead_unit", "市经信局", 6, 2, 1, Decimal("16.7")),
                      ("section", "1 大力推动绿色转型，实现高质量发展", 19, 2, 1, Decimal("5.3"))]


def test_reported_indicators(built):
    warehouse, *_ = built
    assert query(warehouse, """select county_code, indicator_code, value from marts_audit.fct_county_indicator_reported
                            order by 2""") == [("330802", "clean_air_demo_zone_created", 1), ("330802", "sewage_treatment_rate_pct", 96.5)]


def test_reingest_and_rebuild_are_idempotent(built):
    warehouse, _, folder, tmp = built
    snapshot = """select md5(string_agg(x::text, '|' order by x::text)) from marts_audit.{} x"""
    tables = ["mart_remediation_progress", "dim_enterprise", "mart_task_completion", "mart_submission_timeliness"]
    before = [query(warehouse, snapshot.format(t)) for t in tables]
    again = pipeline.ingest_paths([folder])
    assert {r.status for r in again} == {"already_ingested"}
    run_dbt(tmp)
    assert [query(warehouse, snapshot.format(t)) for t in tables] == before
    # sheets: five ledgers (A–E) and F's two forms; G was rejected as a file
    assert query(warehouse, "select count(*) from raw.county_submissions") == [(7,)]
