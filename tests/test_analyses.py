"""The analysts' example questions (dbt_project/analyses/*.sql): each runs against a published warehouse and returns the
columns its Chinese header promises; three answers are checked by hand on tiny county workbooks.

Fixture (衢州 programme QZ2023, report period 2026-10, due 2026-11-03 — seeds/ref_report_schedules.csv):
柯城区 台账 delivered 2026-11-02 (on time): W1 木质家具 已完成, county accepted 2024-11-20; W3 木质家具 推进中;
  W4 木质家具 推进中 but county accepted 2026-10-20; G1 玻璃制造 推进中.
衢江区 台账 delivered 2026-11-06 (three days late): Q1 木质家具 已完成, accepted 2024-12-31 (the deadline day); Q2 木质家具
  推进中.
Deadlines (seeds/ref_key_industries.csv, from 000/001): 木质家具 2024-12-31, 玻璃制造 2025-12-31.
Only the marts the questions read (and their parents) are built, from the questions' `-- depends_on:` lines, then
published by the same schema swap as the DAG; monitoring and hazardous-waste marts are empty here.
"""
from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from pathlib import Path

import pytest
from conftest import dbt_build, query
from test_assessment_indices import W1, W3, _write

from ecowarehouse import settings
from ecowarehouse.forms import FormSheet, build_workbook
from ecowarehouse.ingest import pipeline

ANALYSES = settings.DBT_PROJECT_DIR / "analyses"
W4 = dict(enterprise_name="衢州庚家居有限公司", credit_code="91330800MA2A0JMH3A", key_industry="木质家具",
          remediation_class="改造提升", progress_status="推进中", county_accepted_on="2026-10-20")
G1 = dict(enterprise_name="衢州丁玻璃制品厂", key_industry="玻璃制造", remediation_class="原址关闭", progress_status="推进中")
Q1 = dict(enterprise_name="衢江戊家具厂", key_industry="木质家具", remediation_class="改造提升", progress_status="已完成",
          county_accepted_on="2024-12-31")
Q2 = dict(enterprise_name="衢江辛木业厂", key_industry="木质家具", remediation_class="搬迁升级", progress_status="推进中")


def header(path: Path) -> dict:
    """The header comment: 问题, 读取 and the promised result columns (the lines under 结果列)."""
    lines = path.read_text(encoding="utf-8").splitlines()
    out = {"columns": [], "depends_on": []}
    in_columns = False
    for line in lines:
        if not line.startswith("--"):
            break
        text = line[2:].strip()
        if text.startswith("结果列"):
            in_columns = True
            continue
        m = re.match(r"--\s{3,}([a-z0-9_]+)\s+\S", line)
        if in_columns and m:
            out["columns"].append(m.group(1))
            continue
        in_columns = False
        for key in ("问题", "读取", "解读"):
            if text.startswith(key):
                out[key] = text
        if text.startswith("depends_on:"):
            out["depends_on"] = re.findall(r"ref\('([a-z0-9_]+)'\)", text)
    return out


def questions() -> list[Path]:
    return sorted(ANALYSES.glob("*.sql"))


def test_ten_questions_with_chinese_headers():
    paths = questions()
    assert len(paths) >= 10
    for p in paths:
        h = header(p)
        assert re.search(r"[\u4e00-\u9fff]", h.get("问题", "")), p.name
        assert h.get("读取") and h.get("解读") and h["columns"], p.name
        # one source of truth: the marts the SQL reads are the ones dbt's lineage gets from depends_on
        used = set(re.findall(r"\bmarts\.([a-z0-9_]+)", p.read_text(encoding="utf-8").split("depends_on")[-1]))
        assert used == set(h["depends_on"]), p.name


@pytest.fixture(scope="module")
def published(warehouse, tmp_path_factory):
    from conftest import reset_warehouse

    from ecowarehouse import publish

    reset_warehouse(warehouse)
    tmp = tmp_path_factory.mktemp("analyses")
    folder = tmp / "in"
    folder.mkdir()
    _write(folder, "k10.xlsx", build_workbook("柯城区人民政府", "2026年10月",
                                              [FormSheet("enterprise_ledger", [W1, W3, W4, G1])]),
           dt.datetime(2026, 11, 2, 9))
    _write(folder, "q10.xlsx", build_workbook("衢江区人民政府", "2026年10月", [FormSheet("enterprise_ledger", [Q1, Q2])]),
           dt.datetime(2026, 11, 6, 9))
    results = pipeline.ingest_paths([folder])
    assert all(r.status == "loaded" for r in results), [(r.name, r.status, r.reason) for r in results]
    marts = sorted({m for p in questions() for m in header(p)["depends_on"]})
    dbt_build(tmp, "resource_type:seed", *[f"+{m}" for m in marts], period="2026-10",
              exclude="resource_type:snapshot")
    publish.publish("test-analyses", "2026-10", {"passed": 0}, "test")
    return warehouse


def _run(warehouse, path: Path):
    import psycopg

    with psycopg.connect(warehouse.url()) as conn:
        cur = conn.execute(path.read_text(encoding="utf-8"))
        return [d.name for d in cur.description], cur.fetchall()


@pytest.mark.parametrize("path", questions(), ids=lambda p: p.stem)
def test_question_runs_with_promised_columns(published, path):
    columns, _ = _run(published, path)
    assert columns == header(path)["columns"]


def test_overdue_wood_furniture_by_hand(published):
    columns, rows = _run(published, ANALYSES / "q03_overdue_wood_furniture_enterprises.sql")
    got = {(r[columns.index("county_name")], r[columns.index("enterprise_name")], r[columns.index("days_overdue")])
           for r in rows}
    # as of 2026-10-31 (end of the latest period), 木质家具 deadline 2024-12-31: 365 (2025) + 304 (2026-01-01…10-31)
    # = 669 days. W1 and Q1 are done; W4 is 推进中 but its county acceptance (2026-10-20) counts as completion; G1 is
    # overdue too but 玻璃制造.
    assert got == {("柯城区", "衢州丙木制品厂", 669), ("衢江区", "衢江辛木业厂", 669)}


def test_remediation_index_ranking_by_hand(published):
    columns, rows = _run(published, ANALYSES / "q04_remediation_index_ranking.sql")
    got = [(r[columns.index("rank_in_city")], r[columns.index("area_name")], r[columns.index("enterprises_due")],
            r[columns.index("done_by_deadline")], r[columns.index("remediation_index_pct")]) for r in rows]
    # every listed enterprise is past its deadline by 2026-10-31. 衢江区: Q1 accepted on the deadline day (on time),
    # Q2 open → 1 of 2 = 50.0 %. 柯城区: only W1 accepted by 2024-12-31; W4 done 2026-10-20 (late), W3 and G1 open →
    # 1 of 4 = 25.0 %. Counties without a ledger have no rows.
    assert got == [(1, "衢江区", 2, 1, Decimal("50.0")), (2, "柯城区", 4, 1, Decimal("25.0"))]


def test_late_submissions_by_hand(published):
    columns, rows = _run(published, ANALYSES / "q09_late_county_submissions.sql")
    ledger = {(r[columns.index("county_name")], r[columns.index("timeliness")], r[columns.index("days_late")])
              for r in rows if r[columns.index("template_name")] == "重点行业整治企业台账"}
    # 2026-10 ledgers are due 2026-11-03: 柯城区 (11-02) is on time and absent; 衢江区 (11-06) is 3 days late; the
    # other four counties and two blocks of seeds/ref_programme_units.csv sent nothing (days_late empty, not 0)
    assert ledger == {("衢江区", "late", 3), ("常山县", "missing", None), ("开化县", "missing", None),
                      ("龙游县", "missing", None), ("江山市", "missing", None), ("智造新城", "missing", None),
                      ("智慧新城", "missing", None)}
    assert {r[columns.index("period_code")] for r in rows} == {"2026-10"}


def test_dbt_docs_catalog_carries_chinese_comments_of_published_marts(published, tmp_path):
    import json

    from ecowarehouse import docs

    target = docs.generate(tmp_path / "docs", select=["mart_remediation_index", "q04_remediation_index_ranking"])
    assert (target / "index.html").exists()
    node = json.loads((target / "catalog.json").read_text(encoding="utf-8"))["nodes"][
        "model.ecowarehouse.mart_remediation_index"]
    # documented where analysts read it (the published schema), with the column's PostgreSQL comment (persist_docs)
    assert node["metadata"]["schema"] == "marts"
    comment = node["columns"]["remediation_index_pct"]["comment"]
    assert comment.startswith("整治指数（%）") and "NULL" in comment
    manifest = json.loads((target / "manifest.json").read_text(encoding="utf-8"))
    analysis = manifest["nodes"]["analysis.ecowarehouse.q04_remediation_index_ranking"]
    assert analysis["depends_on"]["nodes"] == ["model.ecowarehouse.mart_remediation_index"]
