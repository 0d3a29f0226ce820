"""Every validation rule of county forms, on real .xlsx / .xls / .csv files made here (no database)."""
from __future__ import annotations

import io
from datetime import date

import pytest

from ecowarehouse.forms import FormSheet, build_workbook, template_columns
from ecowarehouse.ingest import county_reports, workbook
from ecowarehouse.ingest.formats import FileRejected, detect_kind

TODAY = date(2026, 11, 2)
GOOD = "91330800147755889T"  # uscc.md §3, valid
PILOT = "91350100M0001TGQXM"  # uscc.md §3, real pilot-era code failing the check


def ledger_row(**kw) -> dict:
    row = {"county_name": "柯城区", "township_name": "新新街道", "enterprise_name": "衢州某木业有限公司",
           "credit_code": GOOD, "key_industry": "木质家具", "employees": 35, "land_tenure": "租用",
           "remediation_class": "改造提升", "completion_deadline": "2024年12月", "progress_text": "推进中"}
    row.update(kw)
    return row


def parse(data: bytes, today: date = TODAY):
    sheets, _ = workbook.read_sheets(data)
    return county_reports.parse_workbook(sheets, today)


def ledger(rows, unit="柯城区人民政府", period="2026年10月", **sheet_kw):
    [sub] = parse(build_workbook(unit, period, [FormSheet("enterprise_ledger", rows, **sheet_kw)]))
    return sub


def only_row(sub):
    assert len(sub.rows) == 1 and not sub.rejects, sub.rejects
    return sub.rows[0]


def only_reject(sub):
    assert len(sub.rejects) == 1 and not sub.rows
    return sub.rejects[0]


# ---------------------------------------------------------------- the sheet's shape
def test_merged_two_row_header_spacer_rows_and_notes_are_tolerated():
    rows = [ledger_row(enterprise_name=f"企业{i}", credit_code=None) for i in range(4)]
    sub = ledger(rows, spacer_rows=(1, 3))  # blank rows between data rows; the 填表说明 note under the table
    assert (sub.template_code, sub.programme_code, sub.unit_code, sub.period.code) == (
        "enterprise_ledger", "QZ2023", "330802", "2026-10")
    assert [r["enterprise_name"] for r in sub.rows] == ["企业0", "企业1", "企业2", "企业3"]
    assert sub.received == 4 and not sub.rejects


def test_column_number_row_and_repeated_header_are_not_data():
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["重点行业整治企业台账"])
    ws.append(["填报单位：江山市", None, "报告期：2026.10"])
    header = ["序号", "企业名称", "统一社会信用代码", "所属重点行业", "整治分类"]
    ws.append(header)
    ws.append([1, 2, 3, 4, 5])  # the numbering row printed forms carry
    ws.append([1, "江山某化工有限公司", GOOD, "化工", "改造提升"])
    ws.append(header)  # page break: the header repeated
    ws.append([2, "江山某电镀厂", None, "电镀加工", "关停"])
    buf = io.BytesIO()
    wb.save(buf)
    [sub] = parse(buf.getvalue())
    assert sub.unit_code == "330881" and sub.received == 2
    assert [(r["industry_code"], r["remediation_class"]) for r in sub.rows] == [
        ("chemical", "改造提升"), ("electroplating", "原址关闭")]


def test_missing_columns_reject_the_file_with_the_list():
    cols = [c for c in template_columns("enterprise_ledger") if c not in ("remediation_class", "credit_code")]
    with pytest.raises(FileRejected) as exc:
        parse(build_workbook("龙游县人民政府", "2026年10月", [FormSheet("enterprise_ledger", [ledger_row()], columns=cols)]))
    assert exc.value.reason_code == "missing_columns"
    assert "整治分类" in exc.value.reason_zh and "统一社会信用代码" in exc.value.reason_zh
    assert exc.value.unit_code == "330825"  # known, so the county can be told


def test_unknown_template_is_rejected():
    from openpyxl import Workbook

    wb = Workbook()
    wb.active.append(["会议签到表"])
    wb.active.append(["姓名", "单位", "电话"])
    buf = io.BytesIO()
    wb.save(buf)
    with pytest.raises(FileRejected) as exc:
        parse(buf.getvalue())
    assert exc.value.reason_code == "unknown_template"


@pytest.mark.parametrize("unit,period,code", [
    ("XX人民政府（管委会）", "2026年10月", "unknown_unit"),
    ("柯城区人民政府", "", "missing_period"),
    ("柯城区人民政府", "2026年第3季度", "wrong_period_kind"),   # 衢州 reports monthly
    ("柯城区人民政府", "2026年12月", "future_period"),
    ("通川区人民政府", "2023年9月", "wrong_period_kind"),        # 达州 reports quarterly
    ("通川区人民政府", "2024年第1季度", "period_after_programme"),  # DZ2021 ends with 2023-Q4
])
def test_who_and_when_must_be_readable(unit, period, code):
    with pytest.raises(FileRejected) as exc:
        ledger([ledger_row()], unit=unit, period=period)
    assert exc.value.reason_code == code


def test_dazhou_programme_uses_the_same_pipeline():
    row = {"county_name": "通川区", "enterprise_name": "达州某焦化厂", "credit_code": None, "industry_category": "煤化工",
           "remediation_class": "搬迁升级", "remarks": "新址用地面积2公顷"}
    sub = ledger([row], unit="通川区人民政府", period="2023年第3季度",
                 columns=template_columns("enterprise_ledger", "DZ2021"))
    r = only_row(sub)
    assert (sub.programme_code, sub.unit_code, sub.period.code) == ("DZ2021", "511702", "2023-Q3")
    assert r["industry_code"] == "dz_chemical" and r["relocation_site_area_mu"] == 30.0  # 2 ha × 15 亩/ha


# ---------------------------------------------------------------- row rules of the ledger
def test_enum_variants_are_normalised():
    r = only_row(ledger([ledger_row(has_safety_assessment="有 ", has_energy_review="√", has_online_monitoring="否",
                                    leader_candidate="是", land_tenure="租赁", remediation_class="关停",
                                    problem_categories="污染防治、环境管理；风险")]))
    assert (r["has_safety_assessment"], r["has_energy_review"], r["has_online_monitoring"], r["is_leader_candidate"]) == (
        True, True, False, True)
    assert (r["land_tenure"], r["remediation_class"]) == ("租用", "原址关闭")
    assert r["problem_categories"] == ["污染防治", "环境管理", "风险防控"]


def test_unknown_enum_value_quarantines_with_the_allowed_values():
    bad = only_reject(ledger([ledger_row(remediation_class="拆除")]))
    assert bad["reason_code"] == "bad_enum:remediation_class"
    assert "“拆除”" in bad["reason_zh"] and "原址关闭/改造提升/搬迁升级" in bad["reason_zh"]


def test_typed_dates_in_the_ledger():
    rows = [ledger_row(enterprise_name=f"企业{i}", credit_code=None, completion_deadline=d)
            for i, d in enumerate([45657, "2024年12月", "2024.12", "2024/12/31", date(2024, 12, 31)])]
    sub = ledger(rows)
    assert [r["completion_deadline"] for r in sub.rows] == [date(2024, 12, 31)] * 5


def test_credit_code_check_character_warns_and_malformed_code_quarantines():
    sub = ledger([ledger_row(credit_code=PILOT), ledger_row(enterprise_name="乙", credit_code="9133010079965505OB")])
    [ok], [bad] = sub.rows, sub.rejects
    assert ok["uscc"] == PILOT and ok["uscc_check_ok"] is False
    assert [w["code"] for w in ok["warnings"]] == ["credit_code_check"]
    assert bad["reason_code"] == "bad_credit_code" and bad["source_row"] == 6  # title, unit, 2 header rows, row 1


def test_county_in_the_row_must_be_the_submitting_county():
    sub = ledger([ledger_row(county_name="柯城"), ledger_row(enterprise_name="乙", credit_code=None, county_name="衢江区")])
    assert sub.rows[0]["county_code"] == "330802"
    [bad] = sub.rejects
    assert bad["reason_code"] == "county_mismatch" and "衢江区" in bad["reason_zh"] and "柯城区" in bad["reason_zh"]


def test_industry_must_be_in_the_programme():
    sub = ledger([ledger_row(key_industry="砖瓦"), ledger_row(enterprise_name="乙", credit_code=None, key_industry="印染")])
    assert sub.rows[0]["industry_code"] == "sintered_brick"  # an alias of 烧结砖
    [bad] = sub.rejects
    assert bad["reason_code"] == "unknown_industry" and "印染" in bad["reason_zh"]


@pytest.mark.parametrize("employees,ok", [("12人", True), (0, True), (-3, False), (250000, False), ("十二", False)])
def test_numbers_in_range(employees, ok):
    sub = ledger([ledger_row(employees=employees)])
    assert bool(sub.rows) is ok
    if not ok:
        assert sub.rejects[0]["reason_code"] in ("out_of_range:employees", "bad_value:employees")


def test_required_fields_and_every_problem_of_a_row_reported_together():
    bad = only_reject(ledger([ledger_row(enterprise_name="", remediation_class="", employees=-1)]))
    assert "缺少必填项：企业名称" in bad["reason_zh"] and "缺少必填项：整治分类" in bad["reason_zh"]
    assert "职工人数" in bad["reason_zh"]


def test_duplicate_enterprise_within_a_file():
    sub = ledger([ledger_row(), ledger_row(enterprise_name="同码企业", credit_code="9133 0800 1477 5588 9T")])
    [bad] = sub.rejects
    assert bad["reason_code"] == "duplicate_enterprise" and "第 5 行" in bad["reason_zh"]


def test_template_example_row_is_not_an_enterprise():
    bad = only_reject(ledger([ledger_row(enterprise_name="XX", credit_code=None)]))
    assert bad["reason_code"] == "template_example"


def test_relocation_area_and_township_warnings():
    sub = ledger([
        ledger_row(remediation_class="搬迁升级", remarks="新址 6666.67平方米"),
        ledger_row(enterprise_name="乙", credit_code=None, remediation_class="搬迁升级", township_name="不存在镇"),
        ledger_row(enterprise_name="丙", credit_code=None, township_name="樟潭街道"),  # a 衢江区 township
    ])
    a, b, c = sub.rows
    assert a["relocation_site_area_mu"] == 10.0 and a["township_code"] == "330802005"
    assert {w["code"] for w in b["warnings"]} == {"relocation_area_missing", "unknown_township"}
    assert [w["code"] for w in c["warnings"]] == ["township_other_county"]


def test_progress_status_from_the_narrative():
    sub = ledger([ledger_row(progress_text="已完成整改，待验收"), ledger_row(enterprise_name="乙", credit_code=None,
                                                                   progress_text="设备已拆除，已关停")])
    assert [r["progress_status"] for r in sub.rows] == ["已完成", "已完成"]


# ---------------------------------------------------------------- other containers
def test_xls_workbook():
    import xlwt

    book = xlwt.Workbook(encoding="utf-8")
    ws = book.add_sheet("台账")
    ws.write(0, 0, "填报单位：常山县")
    ws.write(0, 2, "报告期：2026年10月")
    for c, label in enumerate(["企业名称", "统一社会信用代码", "所属重点行业", "整治分类", "整改完成时限"]):
        ws.write(1, c, label)
    for c, v in enumerate(["常山某石料厂", GOOD, "建材石料加工", "改造提升", 45657]):
        ws.write(2, c, v)
    buf = io.BytesIO()
    book.save(buf)
    r = only_row(ledger_from_bytes(buf.getvalue()))
    assert (r["county_code"], r["industry_code"], r["completion_deadline"]) == (
        "330822", "building_stone_processing", date(2024, 12, 31))


def ledger_from_bytes(data: bytes):
    assert detect_kind(data) == "county_report"
    [sub] = parse(data)
    return sub


@pytest.mark.parametrize("encoding", ["utf-8", "gbk"])
def test_csv_in_utf8_and_gbk(encoding):
    text = ("重点行业整治企业台账\n填报单位：智慧新城,报告期：2026年10月\n"
            "序号,企业名称,统一社会信用代码,所属重点行业,整治分类,有无在线监测\n"
            f"1,衢州某玻璃有限公司,{GOOD},玻璃制造,搬迁升级,有\n")
    r = only_row(ledger_from_bytes(text.encode(encoding)))
    assert (r["county_code"], r["enterprise_name"], r["has_online_monitoring"]) == ("330800-ZHXC", "衢州某玻璃有限公司", True)


# ---------------------------------------------------------------- task progress and indicator forms
def tasks(rows):
    [sub] = parse(build_workbook("柯城区人民政府", "2026年10月", [FormSheet("task_progress", rows)]))
    return sub


def test_task_rows():
    sub = tasks([
        {"item_no": "第12项", "reporting_unit": "柯城区经信局", "status": "进行中", "percent_complete": 0.6},
        {"item_no": "工程3", "reporting_unit": "柯城区住建局", "status": "完成", "percent_complete": 0.95},
        {"item_no": 118, "reporting_unit": "柯城区经信局", "status": "推进中"},
        {"item_kind": "重点工程", "item_no": 29, "reporting_unit": "柯城区经信局", "status": "推进中"},
        {"item_no": 12, "reporting_unit": "柯城区经信局", "status": "推进中", "percent_complete": 0.7},
        {"item_no": 13, "reporting_unit": "柯城区经信局", "status": "done"},
    ])
    assert [(r["item_kind"], r["item_no"], r["status"], r["percent_complete"]) for r in sub.rows] == [
        ("task", 12, "推进中", 60.0), ("project", 3, "已完成", 95.0)]  # a percentage column holds fractions
    assert [w["code"] for w in sub.rows[1]["warnings"]] == ["status_percent"]  # 已完成 at 95 %
    assert [r["reason_code"] for r in sub.rejects] == ["unknown_item", "unknown_item", "duplicate_item",
                                                        "bad_enum:task_status"]
    assert "共 117 项重点任务" in sub.rejects[0]["reason_zh"] and "共 28 项重点工程" in sub.rejects[1]["reason_zh"]


def test_indicator_rows():
    [sub] = parse(build_workbook("柯城区人民政府", "2026年10月", [FormSheet("indicator_form", [
        {"indicator_name": "城镇污水处理率", "value": "96.5%", "unit": "%"},
        {"indicator_name": "清新空气示范区", "value": "是"},
        {"indicator_name": "省级以上生态文明示范区创建", "value": "否", "unit": "是/否"},
        {"indicator_name": "森林覆盖率", "value": 120, "unit": "%"},
        {"indicator_name": "秸秆综合利用率", "value": 95, "unit": "万吨"},
        {"indicator_name": "GDP", "value": 3},
        {"indicator_name": "污泥无害化处置率", "value": ""},
    ])]))
    assert [(r["indicator_code"], r["value"]) for r in sub.rows] == [
        ("sewage_treatment_rate_pct", 96.5), ("clean_air_demo_zone_created", 1.0), ("eco_civ_demo_zone_created", 0.0)]
    assert [r["reason_code"] for r in sub.rejects] == ["out_of_range:value", "unit_mismatch", "unknown_indicator",
                                                        "missing_required:value"]


def test_one_workbook_carries_all_three_forms():
    data = build_workbook("智造新城管委会", "2026年10月", [
        FormSheet("enterprise_ledger", [ledger_row(county_name="智造新城", township_name=None)]),
        FormSheet("task_progress", [{"item_no": 1, "reporting_unit": "智造新城经发局", "status": "推进中"}]),
        FormSheet("indicator_form", [{"indicator_name": "污水处理率", "value": 95}])])
    subs = parse(data)
    assert [(s.template_code, s.programme_code, s.unit_code) for s in subs] == [
        ("enterprise_ledger", "QZ2023", "330800-ZZXC"), ("task_progress", "QZ-ECO", "330800-ZZXC"),
        ("indicator_form", "QZ-IND", "330800-ZZXC")]
