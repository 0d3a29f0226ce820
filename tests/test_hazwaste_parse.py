"""Hazardous-waste manifests (转移联单) and declarations (申报): recognition, the 名录 2021 checks, quarantine reasons,
and one ingestion through the pipeline. Expected values are worked out by hand from the rows below:

* 柯城 → 330802 (seeds/ref_counties.csv); 900-041-49 is in the 2021 list and ends in 49 = HW49 (第五条);
  900-000-49 is an identified waste of HW49 (第六条); 900-050-49 is not in the list (its HW49 codes are
  309-001, 772-006, 900-039, 900-041/042, 900-044…047, 900-053 and 900-999 — 900-999-49 is a real code).
* USCC 9133080002DM0001X3: 18 characters, GB 32100 check character 3 (the demo USCC of seeds/ref_hw_receivers.csv,
  recomputed in test_demo_uscc_check_character); the same code ending in 4 fails the check.
"""
from __future__ import annotations

import csv
import hashlib
import io
import os
from datetime import date, datetime

import pytest

from ecowarehouse.ingest import hazwaste
from ecowarehouse.ingest.formats import FileRejected, detect_kind
from hw_files import DECLARATION_HEADER, MANIFEST_HEADER

DELIVERED = date(2026, 11, 1)
USCC = "9133080002DM0001X3"
BASE = {
    "联单编号": "3308022026100001", "转移类型": "省内转移", "产生单位名称": "衢州演示化工有限公司",
    "产生单位统一社会信用代码": USCC, "产生单位所在区县": "柯城", "产生单位地址": "柯城区演示路1号",
    "废物代码": "900-041-49", "废物类别": "HW49", "废物名称": "废包装桶", "废物形态": "固态", "危险特性": "T/In",
    "转移数量(吨)": "1.50", "包装方式": "吨袋", "运输单位名称": "衢州演示运输有限公司", "道路运输经营许可证号": "浙交运管许可衢字330800000001号",
    "运输车牌号": "浙H12345", "接受单位名称": "清泰环境工程有限公司", "接受单位统一社会信用代码": USCC,
    "危险废物经营许可证编号": "3308000001", "接受单位所在省份": "浙江省", "接受单位所在区县": "衢州市",
    "利用处置方式": "焚烧", "转移时间": "2026-10-05 09:30", "接收时间": "2026-10-05 15:00:00", "接收数量(吨)": "1.48",
    "联单状态": "已接收",
}
PLAN = {"申报类型": "管理计划", "年份": "2026", "月份": "", "产生单位名称": "衢州演示化工有限公司",
        "产生单位统一社会信用代码": USCC, "所在区县": "江山市", "废物代码": "900-041-49", "废物类别": "HW49",
        "废物名称": "废包装桶", "计划产生量(吨)": "12", "实际产生量(吨)": "", "自行利用处置量(吨)": "",
        "委托利用处置量(吨)": "", "期末贮存量(吨)": ""}
MONTHLY = {**PLAN, "申报类型": "月度申报", "月份": "10", "计划产生量(吨)": "", "实际产生量(吨)": "1.2",
           "自行利用处置量(吨)": "0", "委托利用处置量(吨)": "1.5", "期末贮存量(吨)": "0.3"}


def to_csv(header: list[str], rows: list[dict], title: str | None = None, encoding: str = "utf-8") -> bytes:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    if title:
        w.writerow([title])
    w.writerow(header)
    w.writerows([[r.get(h, "") for h in header] for r in rows])
    return buf.getvalue().encode(encoding)


def to_xlsx(header: list[str], rows: list[list], title_rows: int = 0) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    for i in range(title_rows):
        sheet.append(["危险废物转移联单查询结果" if i == 0 else "导出时间：2026-11-01"])
    sheet.append(header)
    for r in rows:
        sheet.append(r)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def manifests(*rows: dict, **kw) -> hazwaste.ParsedHazwaste:
    return hazwaste.parse_manifests(to_csv(MANIFEST_HEADER, list(rows)), kw.get("delivered", DELIVERED))


def one(parsed: hazwaste.ParsedHazwaste) -> dict:
    assert parsed.received == 1 and len(parsed.rows) == 0 and len(parsed.rejects) == 1, parsed
    return parsed.rejects[0]


def row_dict(parsed: hazwaste.ParsedHazwaste, i: int = 0, columns=hazwaste.MANIFEST_COLUMNS) -> dict:
    return dict(zip(columns, parsed.rows[i]))


# ---------------------------------------------------------------- recognition
def test_demo_uscc_check_character():
    # GB 32100 §5: weights 3^(i-1) mod 31, C18 = 31 − (Σ mod 31); character values are their index in the charset
    charset = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    total = sum(charset.index(c) * pow(3, i, 31) for i, c in enumerate(USCC[:17]))
    assert charset[(31 - total % 31) % 31] == "3" == USCC[-1]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk"])
def test_manifest_and_declaration_csv_are_recognised_in_any_encoding(encoding):
    assert detect_kind(to_csv(MANIFEST_HEADER, [BASE], encoding=encoding)) == "hw_manifests"
    assert detect_kind(to_csv(DECLARATION_HEADER, [PLAN], encoding=encoding)) == "hw_declarations"
    assert detect_kind(to_csv(MANIFEST_HEADER, [BASE], title="危险废物转移联单导出", encoding=encoding)) == "hw_manifests"


def test_header_variants_full_width_brackets_spaces_and_t():
    header = [h.replace("(吨)", "（吨）") for h in MANIFEST_HEADER]
    header[header.index("转移数量（吨）")] = " 转移数量 (t) "
    header[header.index("联单编号")] = "联 单 编 号"
    data = to_csv(header, [dict(zip(header, (BASE[h] for h in MANIFEST_HEADER)))])
    assert detect_kind(data) == "hw_manifests"
    parsed = hazwaste.parse_manifests(data, DELIVERED)
    assert row_dict(parsed)["shipped_t"] == 1.5 and row_dict(parsed)["received_t"] == 1.48


def test_quantity_in_another_unit_rejects_the_file():
    header = [h.replace("转移数量(吨)", "转移数量(千克)") for h in MANIFEST_HEADER]
    with pytest.raises(FileRejected) as rej:
        hazwaste.parse_manifests(to_csv(header, []), DELIVERED)
    assert rej.value.reason_code == "unit" and "吨" in rej.value.reason_zh


def test_missing_required_columns_are_listed():
    header = [h for h in MANIFEST_HEADER if h not in ("联单状态", "转移时间")]
    with pytest.raises(FileRejected) as rej:
        hazwaste.parse_manifests(to_csv(header, [BASE]), DELIVERED)
    assert rej.value.reason_code == "missing_columns"
    assert "转移时间" in rej.value.reason_zh and "联单状态" in rej.value.reason_zh


def test_workbook_with_title_rows_is_a_manifest_export_other_workbooks_stay_county_reports():
    row = [BASE[h] for h in MANIFEST_HEADER]
    row[MANIFEST_HEADER.index("转移时间")] = datetime(2026, 10, 5, 9, 30)  # a real Excel datetime cell
    row[MANIFEST_HEADER.index("转移数量(吨)")] = 1.5
    data = to_xlsx(MANIFEST_HEADER, [row], title_rows=2)
    assert detect_kind(data) == "hw_manifests"
    parsed = hazwaste.parse_manifests(data, DELIVERED)
    assert parsed.received == 1 and not parsed.rejects
    got = row_dict(parsed)
    assert got["source_row"] == 4  # two title rows, the header on row 3
    assert got["shipped_at"] == datetime(2026, 10, 5, 9, 30) and got["shipped_t"] == 1.5
    # the same manifest from the CSV export hashes alike: the hash is of typed business fields
    assert got["content_hash"] == row_dict(manifests(BASE))["content_hash"]
    assert detect_kind(to_xlsx(DECLARATION_HEADER, [[PLAN[h] for h in DECLARATION_HEADER]])) == "hw_declarations"
    assert detect_kind(to_xlsx(["企业名称", "备注"], [["甲", "乙"]])) == "county_report"


# ---------------------------------------------------------------- a clean manifest, typed
def test_clean_manifest_is_typed_and_normalised():
    got = row_dict(manifests(BASE))
    assert got["source_row"] == 2
    assert got["generator_county_code"] == "330802"  # 柯城 → 柯城区
    assert (got["waste_code"], got["hw_category"]) == ("900-041-49", "HW49")
    assert got["shipped_at"] == datetime(2026, 10, 5, 9, 30) and got["received_at"] == datetime(2026, 10, 5, 15)
    assert got["receiver_county_code"] is None  # "衢州市" is the city, not a county
    assert got["source_record"]["联单编号"] == "3308022026100001"
    business = [got[c] for c in hazwaste.MANIFEST_COLUMNS if c not in ("source_row", "content_hash", "source_record")]
    assert got["content_hash"] == hazwaste.content_hash(business)


@pytest.mark.parametrize("written", ["HW49-900-041-49", "９００－０４１－４９", " 900 041 49 ", "90004149", "900—041—49"])
def test_code_spellings_are_normalised(written):
    assert row_dict(manifests({**BASE, "废物代码": written}))["waste_code"] == "900-041-49"


@pytest.mark.parametrize("changes", [
    {"废物代码": "900-000-49"},  # 第六条: identified, not listed
    {"废物代码": "900-999-49"},  # listed (HW49 危险化学品 declared waste), though it looks like a placeholder
    {"联单状态": "在途", "接收时间": "", "接收数量(吨)": ""},
    {"联单状态": "作废", "转移数量(吨)": "0", "接收时间": "", "接收数量(吨)": ""},
    {"联单状态": "已退回", "接收数量(吨)": "0"},
    {"转移时间": "2021-01-01 00:00", "接收时间": "2021-01-01 08:00"},  # the first minute of the 2021 list
    {"废物类别": ""},  # 第五条: the code's last two digits say HW49
    {"废物类别": "hw 49 其他废物"},
    {"废物名称": "废矿物油"},  # name not of HW49: the models flag it, the row is loaded
    {"接收数量(吨)": "0.9"},  # received ≠ shipped: flagged later
    {"接受单位名称": "无证单位", "接受单位统一社会信用代码": ""},  # licence checked later
    {"转移类型": "跨省", "产生单位所在区县": "浙江省衢州市江山市"},
    {"产生单位所在区县": "智造新城"},
    {"转移时间": "46300.5", "接收时间": "46300.75"},  # Excel serial numbers (2026-10-05 12:00 and 18:00)
])
def test_rows_that_load(changes):
    parsed = manifests({**BASE, **changes})
    assert not parsed.rejects and len(parsed.rows) == 1, parsed.rejects


def test_excel_serials_and_short_forms_are_read_as_written():
    got = row_dict(manifests({**BASE, "转移时间": "46300.5", "接收时间": "46300.75", "转移类型": "跨省",
                              "产生单位所在区县": "浙江省衢州市江山市", "废物类别": ""}))
    # 1899-12-30 + 46300 days = 2026-10-05 (46023 = 2026-01-01, + 277 days)
    assert got["shipped_at"] == datetime(2026, 10, 5, 12) and got["received_at"] == datetime(2026, 10, 5, 18)
    assert (got["transfer_type"], got["generator_county_code"], got["hw_category"]) == ("跨省转移", "330881", "HW49")


def test_duplicate_manifest_numbers_are_loaded_and_hashed_by_content():
    changed = {**BASE, "接收数量(吨)": "1.40"}
    parsed = manifests(BASE, BASE, changed)
    assert parsed.received == 3 and len(parsed.rows) == 3 and not parsed.rejects
    hashes = [row_dict(parsed, i)["content_hash"] for i in range(3)]
    assert hashes[0] == hashes[1] != hashes[2]


# ---------------------------------------------------------------- each reject, with its reason
@pytest.mark.parametrize("changes, code, phrase", [
    ({"联单编号": ""}, "hw:missing_manifest_no", "联单编号为空"),
    ({"废物代码": "900-41-49"}, "hw:bad_code", "格式不正确"),
    ({"废物代码": ""}, "hw:bad_code", "废物代码为空"),
    ({"废物代码": "900-050-49"}, "hw:unknown_code", "废物代码“900-050-49”不在《国家危险废物名录（2021年版）》中"),
    ({"废物代码": "900-044-49", "废物类别": "HW31", "废物名称": "废铅蓄电池"}, "hw:category_mismatch",
     "末两位为 49，与废物类别 HW31 不一致"),
    ({"废物代码": "HW08-900-041-49"}, "hw:category_mismatch", "与废物类别 HW08 不一致"),
    ({"废物代码": "900-000-43", "废物类别": "HW43"}, "hw:unknown_category", "没有 HW41–HW44"),
    ({"产生单位统一社会信用代码": USCC[:-1] + "4"}, "hw:bad_uscc", "校验位应为 3"),
    ({"产生单位统一社会信用代码": ""}, "hw:missing_uscc", "产生单位统一社会信用代码为空"),
    ({"产生单位统一社会信用代码": "02DM0001X"}, "hw:bad_uscc", "不是 18 位统一社会信用代码"),
    ({"转移数量(吨)": "0"}, "hw:bad_quantity", "应为大于 0 的数字"),
    ({"转移数量(吨)": "-1.5"}, "hw:bad_quantity", "应为大于 0 的数字"),
    ({"转移数量(吨)": "一吨半"}, "hw:bad_quantity", "不是数字"),
    ({"转移数量(吨)": ""}, "hw:missing_quantity", "转移数量为空"),
    ({"联单状态": "在途", "接收时间": "", "接收数量(吨)": "0"}, "hw:bad_quantity", "仅已退回、作废的联单可为 0"),
    ({"接收数量(吨)": ""}, "hw:missing_received", "联单状态为“已接收”，但接收数量为空"),
    ({"接收时间": "2026-10-05 09:00"}, "hw:received_before_shipped", "接收时间 2026-10-05 09:00 早于转移时间 2026-10-05 09:30"),
    ({"联单状态": "已完成"}, "hw:unknown_status", "联单状态“已完成”无法识别"),
    ({"转移类型": "出口"}, "hw:unknown_transfer_type", "转移类型“出口”无法识别"),
    ({"转移时间": "2026-13-05 09:30"}, "hw:bad_date", "转移时间“2026-13-05 09:30”不是可识别的时间"),
    ({"转移时间": ""}, "hw:bad_date", "转移时间为空"),
    ({"产生单位所在区县": "西湖区"}, "hw:unknown_county", "产生单位所在区县“西湖区”不是衢州市的县"),
    ({"转移时间": "2020-12-31 23:00", "接收时间": "2021-01-01 08:00"}, "hw:pre_2021_list", "2016年版"),
    ({"转移时间": "2026-11-02 08:00", "接收时间": "2026-11-02 12:00"}, "hw:future_date", "晚于文件送达日期 2026-11-01"),
])
def test_each_rejected_row_says_why(changes, code, phrase):
    reject = one(manifests({**BASE, **changes}))
    assert reject["reason_code"] == code
    assert phrase in reject["reason_zh"], reject["reason_zh"]
    assert reject["source_row"] == 2
    assert reject["record"].get("废物代码", "") == {**BASE, **changes}["废物代码"]  # as written, for the clerk


def test_every_problem_of_a_row_is_listed_and_the_first_is_the_code():
    reject = one(manifests({**BASE, "转移时间": "2020-06-01 08:00", "接收时间": "2020-06-01 10:00",
                            "产生单位所在区县": "", "废物代码": "900-050-49"}))
    assert reject["reason_code"] == "hw:pre_2021_list"
    assert "所在区县为空" in reject["reason_zh"]
    # before 2021 the 2021 list does not apply: no unknown-code complaint about a 2016 code
    assert "不在《国家危险废物名录" not in reject["reason_zh"]


def test_reject_keeps_the_county_when_known_and_received_equals_loaded_plus_quarantined():
    parsed = manifests(BASE, {**BASE, "废物代码": "900-050-49"}, {**BASE, "产生单位所在区县": "杭州"})
    assert parsed.received == 3 == len(parsed.rows) + len(parsed.rejects)
    assert [r["county_code"] for r in parsed.rejects] == ["330802", None]


def test_blank_rows_are_not_rows_and_source_rows_count_title_rows():
    data = to_csv(MANIFEST_HEADER, [BASE, {}, {**BASE, "联单编号": ""}], title="导出")
    parsed = hazwaste.parse_manifests(data, DELIVERED)
    assert parsed.received == 2
    assert parsed.rows[0][0] == 3 and parsed.rejects[0]["source_row"] == 5  # title 1, header 2, blank 4


# ---------------------------------------------------------------- declarations
def declarations(*rows: dict) -> hazwaste.ParsedHazwaste:
    return hazwaste.parse_declarations(to_csv(DECLARATION_HEADER, list(rows)), DELIVERED)


def test_plan_and_monthly_declarations_load():
    parsed = declarations(PLAN, MONTHLY, {**MONTHLY, "产生单位统一社会信用代码": "", "实际产生量(吨)": "0"})
    assert parsed.received == 3 and not parsed.rejects
    plan = row_dict(parsed, 0, hazwaste.DECLARATION_COLUMNS)
    monthly = row_dict(parsed, 1, hazwaste.DECLARATION_COLUMNS)
    assert (plan["declaration_type"], plan["report_year"], plan["report_month"], plan["planned_t"]) == \
        ("管理计划", 2026, None, 12.0)
    assert plan["county_code"] == "330881"
    assert (monthly["report_month"], monthly["generated_t"], monthly["self_disposed_t"], monthly["storage_end_t"]) == \
        (10, 1.2, 0.0, 0.3)
    assert row_dict(parsed, 2, hazwaste.DECLARATION_COLUMNS)["generator_uscc"] is None


@pytest.mark.parametrize("row, code, phrase", [
    ({**PLAN, "月份": "3"}, "hw:bad_period", "月份应为空"),
    ({**MONTHLY, "月份": "13"}, "hw:bad_period", "月份应为 1–12"),
    ({**MONTHLY, "月份": ""}, "hw:bad_period", "月份应为 1–12"),
    ({**MONTHLY, "年份": "二〇二六"}, "hw:bad_period", "应为整数"),
    ({**PLAN, "计划产生量(吨)": ""}, "hw:missing_quantity", "管理计划的计划产生量为空"),
    ({**MONTHLY, "实际产生量(吨)": ""}, "hw:missing_quantity", "月度申报的实际产生量为空"),
    ({**MONTHLY, "期末贮存量(吨)": "-0.1"}, "hw:bad_quantity", "不能为负数"),
    ({**MONTHLY, "年份": "2020", "月份": "12"}, "hw:pre_2021_list", "2016年版"),
    ({**MONTHLY, "月份": "12"}, "hw:future_period", "晚于文件送达日期"),
    ({**PLAN, "年份": "2028"}, "hw:future_period", "晚于文件送达日期"),
    ({**PLAN, "申报类型": "年报"}, "hw:unknown_declaration_type", "申报类型“年报”无法识别"),
    ({**PLAN, "废物代码": "900-050-49"}, "hw:unknown_code", "废物代码“900-050-49”不在《国家危险废物名录（2021年版）》中"),
    ({**PLAN, "所在区县": "上饶"}, "hw:unknown_county", "所在区县“上饶”"),
    ({**PLAN, "产生单位统一社会信用代码": USCC[:-1] + "4"}, "hw:bad_uscc", "校验位应为 3"),
])
def test_each_rejected_declaration_says_why(row, code, phrase):
    reject = one(declarations(row))
    assert reject["reason_code"] == code and phrase in reject["reason_zh"], reject


def test_next_years_plan_may_arrive_before_the_year():
    assert len(declarations({**PLAN, "年份": "2027"}).rows) == 1  # delivered 2026-11-01


# ---------------------------------------------------------------- through the pipeline
def test_ingest_reconciles_quarantines_and_is_idempotent(clean_warehouse, tmp_path):
    from conftest import query

    from ecowarehouse.ingest import pipeline

    folder = tmp_path / "landing"
    folder.mkdir()
    # CSV: 3 rows — a manifest, its exact repeat (loaded: a harmless duplicate), an unknown code (quarantined)
    (folder / "manifests.csv").write_bytes(to_csv(MANIFEST_HEADER, [BASE, BASE, {**BASE, "废物代码": "900-050-49"}],
                                                  encoding="gbk"))
    # xlsx: 2 rows under a title — one loads, one has a wrong USCC check character
    xrow = [BASE[h] for h in MANIFEST_HEADER]
    xbad = list(xrow)
    xrow[0], xbad[0] = "3308022026100002", "3308022026100003"
    xbad[MANIFEST_HEADER.index("产生单位统一社会信用代码")] = USCC[:-1] + "4"
    (folder / "manifests.xlsx").write_bytes(to_xlsx(MANIFEST_HEADER, [xrow, xbad], title_rows=1))
    (folder / "declarations.csv").write_bytes(to_csv(DECLARATION_HEADER, [PLAN, MONTHLY, {**PLAN, "月份": "1"}]))
    for p in folder.iterdir():
        os.utime(p, (datetime(2026, 11, 1, 9).timestamp(),) * 2)

    results = {r.name: r for r in pipeline.ingest_paths([folder])}
    got = {n: (r.kind, r.status, r.rows_received, r.rows_loaded, r.rows_quarantined) for n, r in results.items()}
    assert got == {"manifests.csv": ("hw_manifests", "loaded", 3, 2, 1),
                   "manifests.xlsx": ("hw_manifests", "loaded", 2, 1, 1),
                   "declarations.csv": ("hw_declarations", "loaded", 3, 2, 1)}
    assert query(clean_warehouse, "select count(*) from raw.hw_manifests")[0][0] == 3
    assert query(clean_warehouse, "select count(*) from raw.hw_declarations")[0][0] == 2
    assert sorted(query(clean_warehouse, "select source, reason_code, county_code from quarantine.rows")) == [
        ("hw_declarations", "hw:bad_period", "330881"), ("hw_manifests", "hw:bad_uscc", "330802"),
        ("hw_manifests", "hw:unknown_code", "330802")]
    assert query(clean_warehouse, "select count(*) from ops.files where rows_received <> rows_loaded + rows_quarantined"
                 )[0][0] == 0
    # the repeated manifest: two rows, one content
    assert query(clean_warehouse, "select count(*), count(distinct content_hash) from raw.hw_manifests "
                                  "where manifest_no = '3308022026100001'") == [(2, 1)]
    sha = hashlib.sha256((folder / "manifests.xlsx").read_bytes()).hexdigest()
    assert query(clean_warehouse, "select source_row, shipped_t::text, generator_county_code from raw.hw_manifests "
                                  "where file_sha256 = %s", sha) == [(3, "1.5", "330802")]

    again = pipeline.ingest_paths([folder])
    assert {r.status for r in again} == {"already_ingested"}
    assert query(clean_warehouse, "select (select count(*) from raw.hw_manifests), (select count(*) from "
                                  "raw.hw_declarations), (select count(*) from quarantine.rows)") == [(3, 2, 3)]
