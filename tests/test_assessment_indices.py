"""The assessment indices of issue 6 (12-industry remediation index, task responsibility index) on hand-built county
workbooks through ingestion, the real dbt project and PostgreSQL.

Reporting starts 2026-08 (seeds/ref_report_schedules.csv), after every QZ2023 deadline (≤ 2025-12-31) and every 002
project year (2020/2022): in Quzhou every listed enterprise and key project is already due, so only a dated county
acceptance can show completion by the deadline. The "nothing due" case comes from the 达州 programme (quarterly,
deadline 2023-10-31) and from the 117 tasks, which 002 gives no completion year.

柯城区 台账 2026-09: W1 木质家具 accepted by the county 2024-11-20 and the city 2024-12-10; W2 木质家具 county
  accepted 2024-12-20; W3 木质家具 推进中; G1 玻璃制造 已完成 with no date.
柯城区 台账 2026-10: as 09, but W3 已完成, county accepted 2026-10-15 (after its 2024-12-31 deadline).
衢江区 台账 2026-10: Q1 木质家具 county accepted 2024-12-31 (on the deadline day).
通川区 台账 2023-Q3: D1 钢铁 推进中 (deadline 2023-10-31), carried into 2023-Q4.
柯城区 任务进展 2026-09: project 22 已完成, project 26 推进中, task 1 已完成, task 2 推进中;
                 2026-10: project 22 and 26 已完成, task 1 已完成, task 2 推进中.
"""
from __future__ import annotations

import os
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from conftest import dbt_build, query

from ecowarehouse.forms import FormSheet, build_workbook, template_columns
from ecowarehouse.ingest import pipeline

CST = ZoneInfo("Asia/Shanghai")
W1 = dict(enterprise_name="衢州甲木业有限公司", credit_code="91330800147755889T", key_industry="木质家具",
          remediation_class="改造提升", progress_status="已完成", county_accepted_on="2024-11-20",
          city_accepted_on="2024-12-10")
W2 = dict(enterprise_name="衢州乙家具有限公司", credit_code="91330800MA28F5TE22", key_industry="木质家具",
          remediation_class="改造提升", progress_status="已完成", county_accepted_on="2024-12-20")
W3 = dict(enterprise_name="衢州丙木制品厂", credit_code="91330800MA28F14U3Q", key_industry="木质家具",
          remediation_class="改造提升", progress_status="推进中")
G1 = dict(enterprise_name="衢州丁玻璃制品厂", key_industry="玻璃制造", remediation_class="原址关闭", progress_status="已完成")
Q1 = dict(enterprise_name="衢江戊家具厂", key_industry="木质家具", remediation_class="改造提升", progress_status="已完成",
          county_accepted_on="2024-12-31")
D1 = dict(enterprise_name="达州己钢铁有限公司", industry_category="钢铁", remediation_class="改造提升", progress_text="推进中")


def _write(folder: Path, name: str, data: bytes, delivered: datetime) -> None:
    path = folder / name
    path.write_bytes(data)
    ts = delivered.replace(tzinfo=CST).timestamp()
    os.utime(path, (ts, ts))


def _tasks(rows):
    return [FormSheet("task_progress", [dict(reporting_unit="柯城区发改局", percent_complete=100 if s == "已完成" else 50,
                                             status=s, **item) for item, s in rows])]


def write_files(folder: Path) -> None:
    _write(folder, "k09.xlsx", build_workbook("柯城区人民政府", "2026年9月", [FormSheet("enterprise_ledger", [W1, W2, W3, G1])]),
           datetime(2026, 10, 2, 9))
    w3_done = dict(W3, progress_status="已完成", county_accepted_on="2026-10-15")
    _write(folder, "k10.xlsx", build_workbook("柯城区人民政府", "2026年10月", [FormSheet("enterprise_ledger", [W1, W2, w3_done, G1])]),
           datetime(2026, 11, 2, 9))
    _write(folder, "q10.xlsx", build_workbook("衢江区人民政府", "2026年10月", [FormSheet("enterprise_ledger", [Q1])]),
           datetime(2026, 11, 2, 9))
    _write(folder, "d.xlsx", build_workbook("通川区人民政府", "2023年第3季度", [FormSheet(
        "enterprise_ledger", [D1], columns=template_columns("enterprise_ledger", "DZ2021"))]), datetime(2023, 9, 20, 9))
    p22, p26 = {"item_kind": "重点工程", "item_no": 22}, {"item_kind": "重点工程", "item_no": 26}
    t1, t2 = {"item_no": 1}, {"item_no": 2}
    _write(folder, "t09.xlsx", build_workbook("柯城区人民政府", "2026年9月", _tasks(
        [(p22, "已完成"), (p26, "推进中"), (t1, "已完成"), (t2, "推进中")])), datetime(2026, 10, 2, 10))
    _write(folder, "t10.xlsx", build_workbook("柯城区人民政府", "2026年10月", _tasks(
        [(p22, "已完成"), (p26, "已完成"), (t1, "已完成"), (t2, "推进中")])), datetime(2026, 11, 2, 10))


@pytest.fixture(scope="module")
def built(warehouse, tmp_path_factory):
    from conftest import reset_warehouse

    reset_warehouse(warehouse)
    tmp = tmp_path_factory.mktemp("indices")
    folder = tmp / "in"
    folder.mkdir()
    write_files(folder)
    results = pipeline.ingest_paths([folder])
    assert all(r.status == "loaded" for r in results), [(r.name, r.status) for r in results]
    dbt_build(tmp, "resource_type:seed", "+mart_remediation_index", "+mart_task_responsibility_index",
              "mart_remediation_progress",
              period="2026-10", exclude="resource_type:snapshot")
    return warehouse


def _remediation(warehouse, programme, period, area, industry):
    return query(warehouse, """
        select enterprises_listed, enterprises_due, done_by_deadline, done_late, overdue, not_yet_due,
               county_accepted, city_accepted, remediation_index_pct
        from marts_audit.mart_remediation_index
        where programme_code = %s and period_code = %s and area_code = %s and industry_code = %s""",
                 programme, period, area, industry)


def test_remediation_index_by_hand(built):
    w = built
    # W1 and W2 were accepted before the 2024-12-31 deadline; W3 is still open: 2 of 3 due → 66.7 %
    assert _remediation(w, "QZ2023", "2026-09", "330802", "wood_furniture") == [(3, 3, 2, 0, 1, 0, 2, 1, Decimal("66.7"))]
    # W3 finished in 2026-10, after its deadline: it leaves `overdue` for `done_late` but does not raise the index
    assert _remediation(w, "QZ2023", "2026-10", "330802", "wood_furniture") == [(3, 3, 2, 1, 0, 0, 3, 1, Decimal("66.7"))]
    # G1 is first reported done in 2026-09 with no acceptance date: no evidence it met 2025-12-31 → late, index 0 (not null)
    assert _remediation(w, "QZ2023", "2026-09", "330802", "glass_manufacturing") == [(1, 1, 0, 1, 0, 0, 0, 0, Decimal("0.0"))]
    # all industries of 柯城区 in 2026-10: W1, W2 on time; W3, G1 late → 2 of 4
    assert _remediation(w, "QZ2023", "2026-10", "330802", "ALL") == [(4, 4, 2, 2, 0, 0, 3, 1, Decimal("50.0"))]
    # the city adds 衢江区's Q1, accepted on the deadline day itself (on time): 3 of 4 木质家具
    assert _remediation(w, "QZ2023", "2026-10", "330800", "wood_furniture") == [(4, 4, 3, 1, 0, 0, 4, 1, Decimal("75.0"))]


def test_remediation_index_is_null_when_nothing_is_due(built):
    w = built
    # 2023-Q3 ends 09-30, before the 2023-10-31 deadline: nothing due, so no index rather than 0 %
    assert _remediation(w, "DZ2021", "2023-Q3", "511702", "dz_steel") == [(1, 0, 0, 0, 0, 1, 0, 0, None)]
    # carried into 2023-Q4, past the deadline and still open
    assert _remediation(w, "DZ2021", "2023-Q4", "511702", "dz_steel") == [(1, 1, 0, 0, 1, 0, 0, 0, Decimal("0.0"))]


def test_remediation_index_agrees_with_progress_mart(built):
    w = built
    # the index mart counts the same enterprises and the same overdue ones as the progress mart it complements
    diff = query(w, """
        select p.programme_code, p.period_code, p.county_code, p.industry_code
        from marts_audit.mart_remediation_progress p
        left join marts_audit.mart_remediation_index i
          on i.programme_code = p.programme_code and i.period_code = p.period_code
         and i.area_code = p.county_code and i.industry_code = p.industry_code
        where i.enterprises_listed is distinct from p.enterprises_listed or i.overdue is distinct from p.overdue
           or i.county_accepted is distinct from p.county_accepted or i.city_accepted is distinct from p.city_accepted""")
    assert diff == []


def _responsibility(warehouse, period, scope_kind, scope_code, item_kind):
    return query(warehouse, """
        select items_total, items_due, completed_on_time, completed_late, overdue, not_yet_due, responsibility_index_pct
        from marts_audit.mart_task_responsibility_index
        where period_code = %s and scope_kind = %s and scope_code = %s and item_kind = %s""",
                 period, scope_kind, scope_code, item_kind)


def test_task_responsibility_by_county(built):
    w = built
    # projects 22 and 26 (both 2022) are past due; in 09 only 22 is done, and done years late
    assert _responsibility(w, "2026-09", "county", "330802", "project") == [(2, 2, 0, 1, 1, 0, Decimal("0.0"))]
    assert _responsibility(w, "2026-10", "county", "330802", "project") == [(2, 2, 0, 2, 0, 0, Decimal("0.0"))]
    # tasks have no completion year in 002, so none is due: null, not 0
    assert _responsibility(w, "2026-10", "county", "330802", "task") == [(2, 0, 0, 0, 0, 2, None)]
    assert _responsibility(w, "2026-10", "county", "330802", "all") == [(4, 2, 0, 2, 0, 2, Decimal("0.0"))]


def test_task_responsibility_city_and_lead_unit(built):
    w = built
    # all 28 projects (2020/2022) are due; 22 and 26 were done late, the 26 never reported are overdue
    assert _responsibility(w, "2026-10", "city", "330800", "project") == [(28, 28, 0, 2, 26, 0, Decimal("0.0"))]
    assert _responsibility(w, "2026-10", "city", "330800", "task") == [(117, 0, 0, 0, 0, 117, None)]
    # 市资源规划局 is responsible for projects 19, 22, 23, 24: 22 done late, the other three overdue
    assert _responsibility(w, "2026-10", "lead_unit", "市资源规划局", "project") == [(4, 4, 0, 1, 3, 0, Decimal("0.0"))]
    # 各县（市、区）政府 stays one unit, not split at the 、 inside its parentheses
    names = {n for (n,) in query(w, """select scope_code from marts_audit.mart_task_responsibility_index
                                       where scope_kind = 'lead_unit'""")}
    assert "各县（市、区）政府" in names and not any(n.startswith("各县（市") and n != "各县（市、区）政府" for n in names)
