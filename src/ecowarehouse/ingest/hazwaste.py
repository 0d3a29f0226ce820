"""Hazardous waste (危险废物) files: transfer manifests (转移联单) exported by the provincial solid-waste system and
generators' declarations (管理计划, 月度申报), as CSV (UTF-8 or GBK) or Excel workbooks whose header row may sit below
title rows.

Rows are checked against 《国家危险废物名录（2021年版）》 (seeds/ref_hw_codes_2021.csv, std_hw_categories.csv); a row
that fails goes to quarantine with every problem found. What only the models can judge — a waste name that does not fit
its code, received ≠ shipped, a receiver not licensed for the category, a manifest number seen twice — is loaded as
received; ``content_hash`` (business fields only) tells a harmless repeat from a conflicting one.
"""
from __future__ import annotations

import csv
import hashlib
import io
import json
import math
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache

from ecowarehouse import registry
from ecowarehouse.ingest import workbook
from ecowarehouse.ingest.cells import CellError, clean_text, read_number, read_time, shown
from ecowarehouse.ingest.county_reports import find_units
from ecowarehouse.ingest.formats import FileRejected
from ecowarehouse.standards import uscc

LIST_2021_FROM = date(2021, 1, 1)  # 名录 2021 年版 in force; earlier records fall under the 2016 list we do not have
HEADER_SCAN_ROWS = 20  # exports put a title and the query conditions above the header
LIST_NAME = "《国家危险废物名录（2021年版）》"
PROGRAMME = "QZ2023"  # whose units (counties and blocks of 衢州) generators belong to


@dataclass(frozen=True)
class Layout:
    kind: str
    title: str
    fields: dict[str, str]  # header text (unit removed) → column
    required: tuple[str, ...]  # a file without these headers is rejected
    signature: tuple[str, ...]  # headers that identify the layout
    quantities: tuple[str, ...]  # headers whose unit, if written, must be tonnes


MANIFESTS = Layout(
    kind="hw_manifests",
    title="危险废物转移联单",
    fields={
        "联单编号": "manifest_no", "转移类型": "transfer_type", "产生单位名称": "generator_name",
        "产生单位统一社会信用代码": "generator_uscc", "产生单位所在区县": "generator_county",
        "产生单位地址": "generator_address", "废物代码": "waste_code", "废物类别": "hw_category",
        "废物名称": "waste_name", "废物形态": "waste_form", "危险特性": "hazard_characteristics",
        "转移数量": "shipped_t", "包装方式": "packaging", "运输单位名称": "carrier_name",
        "道路运输经营许可证号": "carrier_permit_no", "运输车牌号": "vehicle_plate", "接受单位名称": "receiver_name",
        "接受单位统一社会信用代码": "receiver_uscc", "危险废物经营许可证编号": "receiver_licence_no",
        "接受单位所在省份": "receiver_province", "接受单位所在区县": "receiver_county",
        "利用处置方式": "disposal_method", "转移时间": "shipped_at", "接收时间": "received_at",
        "接收数量": "received_t", "联单状态": "manifest_status",
    },
    required=("联单编号", "转移类型", "产生单位名称", "产生单位统一社会信用代码", "产生单位所在区县", "废物代码",
              "废物类别", "转移数量", "接受单位名称", "转移时间", "接收时间", "接收数量", "联单状态"),
    signature=("联单编号", "废物代码", "转移数量"),
    quantities=("转移数量", "接收数量"),
)
DECLARATIONS = Layout(
    kind="hw_declarations",
    title="危险废物申报",
    fields={
        "申报类型": "declaration_type", "年份": "report_year", "月份": "report_month",
        "产生单位名称": "generator_name", "产生单位统一社会信用代码": "generator_uscc", "所在区县": "county",
        "废物代码": "waste_code", "废物类别": "hw_category", "废物名称": "waste_name", "计划产生量": "planned_t",
        "实际产生量": "generated_t", "自行利用处置量": "self_disposed_t", "委托利用处置量": "entrusted_t",
        "期末贮存量": "storage_end_t",
    },
    required=("申报类型", "年份", "月份", "产生单位名称", "产生单位统一社会信用代码", "所在区县", "废物代码", "废物类别",
              "计划产生量", "实际产生量"),
    signature=("申报类型", "年份", "废物代码"),
    quantities=("计划产生量", "实际产生量", "自行利用处置量", "委托利用处置量", "期末贮存量"),
)
LAYOUTS = (MANIFESTS, DECLARATIONS)

# columns of raw.hw_manifests / raw.hw_declarations after batch_id and file_sha256
MANIFEST_COLUMNS = [
    "source_row", "manifest_no", "transfer_type", "generator_name", "generator_uscc", "generator_county_code",
    "generator_address", "waste_code", "hw_category", "waste_name", "waste_form", "hazard_characteristics", "shipped_t",
    "packaging", "carrier_name", "carrier_permit_no", "vehicle_plate", "receiver_name", "receiver_uscc",
    "receiver_licence_no", "receiver_province", "receiver_county", "receiver_county_code", "disposal_method",
    "shipped_at", "received_at", "received_t", "manifest_status", "content_hash", "source_record"]
DECLARATION_COLUMNS = [
    "source_row", "declaration_type", "report_year", "report_month", "generator_name", "generator_uscc", "county_code",
    "waste_code", "hw_category", "waste_name", "planned_t", "generated_t", "self_disposed_t", "entrusted_t",
    "storage_end_t", "content_hash", "source_record"]

TRANSFER_TYPES = {"省内转移": "省内转移", "省内": "省内转移", "跨省转移": "跨省转移", "跨省": "跨省转移"}
STATUSES = ("在途", "已接收", "已退回", "作废")
NOT_RECEIVED = ("已退回", "作废")  # may carry 0 t
DECLARATION_TYPES = ("管理计划", "月度申报")
_UNIT = re.compile(r"^(.*?)\(([^()]*)\)$")
_DASHES = re.compile(r"[‐‑‒–—―−－]")  # NFKC keeps these; people paste them into codes
# 名录第五条: 8 digits XXX-YYY-ZZ. Also accepted: no hyphens, and a category glued in front ("HW49-900-041-49").
_CODE = re.compile(r"(?:HW(\d{2})-?)?(\d{3})-?(\d{3})-?(\d{2})")


@dataclass
class ParsedHazwaste:
    rows: list[list] = field(default_factory=list)
    rejects: list[dict] = field(default_factory=list)
    received: int = 0


# ---------------------------------------------------------------- recognising the file
def _header(text) -> tuple[str, str | None]:
    """A header cell → (name, unit): full-width brackets, spaces and a required-field star do not matter."""
    s = re.sub(r"\s+", "", unicodedata.normalize("NFKC", shown(text))).strip("*").lower()
    m = _UNIT.match(s)
    name, unit = (m.group(1), m.group(2)) if m else (s, None)
    return name.replace("接收单位", "接受单位"), unit


def _looks_like(layout: Layout, fields) -> bool:
    names = {_header(f)[0] for f in fields}
    return all(s in names for s in layout.signature)


def looks_like_manifests(fields) -> bool:
    return _looks_like(MANIFESTS, fields)


def looks_like_declarations(fields) -> bool:
    return _looks_like(DECLARATIONS, fields)


def _find_header(rows: list[list], layout: Layout) -> int | None:
    return next((i for i, row in enumerate(rows[:HEADER_SCAN_ROWS]) if _looks_like(layout, row)), None)


def rows_kind(rows: list[list]) -> str | None:
    return next((lay.kind for lay in LAYOUTS if _find_header(rows, lay) is not None), None)


def text_kind(text: str) -> str | None:
    return rows_kind(list(csv.reader(io.StringIO("\n".join(text.splitlines()[:HEADER_SCAN_ROWS])))))


def workbook_kind(data: bytes) -> str | None:
    """Only the first visible sheet decides; any other workbook stays a county report."""
    try:
        sheets, _ = workbook.read_sheets(data)
    except FileRejected:
        return None  # the county-report path reports the unreadable workbook
    return rows_kind(sheets[0].rows) if sheets else None


def _table(data: bytes, layout: Layout):
    """(source row number, {column: cell}, {header: cell as shown}) for each non-empty row below the header."""
    sheets, _ = workbook.read_sheets(data)
    for sheet in sheets:
        at = _find_header(sheet.rows, layout)
        if at is not None:
            break
    else:
        raise FileRejected("missing_columns", f"未找到{layout.title}表头（前 {HEADER_SCAN_ROWS} 行中应有"
                                              f"{'、'.join(layout.signature)}等列）")
    header = sheet.rows[at]
    index: dict[str, int] = {}
    for col, cell in enumerate(header):
        name, unit = _header(cell)
        if name in layout.quantities and unit not in (None, "吨", "t"):
            raise FileRejected("unit", f"列“{shown(cell)}”的单位应为吨，请按系统原样导出")
        if name in layout.fields:
            index.setdefault(name, col)
    missing = [h for h in layout.required if h not in index]
    if missing:
        raise FileRejected("missing_columns", f"{layout.title}缺少必需列：{'、'.join(missing)}")
    width = max(len(row) for row in sheet.rows[at:])
    labels = [(shown(header[c]).strip() if c < len(header) else "") or f"第{c + 1}列" for c in range(width)]
    for r in range(at + 1, len(sheet.rows)):
        cells = sheet.rows[r]
        if all(shown(c).strip() == "" for c in cells):
            continue
        values = {column: "" for column in layout.fields.values()}  # optional columns may be absent
        values.update({layout.fields[name]: cells[col] for name, col in index.items() if col < len(cells)})
        record = {labels[c]: shown(v) for c, v in enumerate(cells) if shown(v).strip()}
        yield r + 1, values, record


# ---------------------------------------------------------------- reference data
@lru_cache(maxsize=None)
def _codes() -> frozenset[str]:
    return frozenset(r["waste_code"] for r in registry.rows("ref_hw_codes_2021"))


@lru_cache(maxsize=None)
def _categories() -> frozenset[str]:
    return frozenset(r["hw_category"] for r in registry.rows("std_hw_categories"))


def county_code(value) -> str | None:
    """A 衢州 county or block as clerks write it (柯城区, 柯城, 衢州市江山市, 智造新城): the county reports' unit names and
    aliases (seeds/ref_programme_units.csv); None when no unit, or more than one, is named."""
    hit = find_units(clean_text(value), PROGRAMME)
    return hit[0].code if len(hit) == 1 else None


# ---------------------------------------------------------------- cells
def normalise_code(value) -> tuple[str | None, str | None]:
    """A waste code → ("XXX-YYY-ZZ" or None when malformed, category glued in front or None)."""
    s = _DASHES.sub("-", re.sub(r"\s+", "", unicodedata.normalize("NFKC", shown(value)))).upper()
    m = _CODE.fullmatch(s)
    if not m:
        return None, None
    return f"{m.group(2)}-{m.group(3)}-{m.group(4)}", (f"HW{m.group(1)}" if m.group(1) else None)


def normalise_category(value) -> str | None:
    """HW49, hw 49, 49, HW49 其他废物 → HW49; None when no category number can be read."""
    s = re.sub(r"\s+", "", unicodedata.normalize("NFKC", shown(value))).upper()
    m = re.match(r"(?:HW)?(\d{1,2})(?!\d)", s)
    return f"HW{int(m.group(1)):02d}" if m else None


def _tonnes(value, label: str) -> float | None:
    if isinstance(value, str):
        value = re.sub(r"\s*(吨|t|T)$", "", value.strip())
    q = read_number(value, label)
    if q is not None and not math.isfinite(q):
        raise CellError(f"{label}“{shown(value)}”不是数字")
    return q


def _int(value, label: str, suffix: str) -> int | None:
    s = clean_text(value, nfkc=True)
    if s is None:
        return None
    s = s.removesuffix(suffix).removesuffix(".0")
    if not s.isdigit():
        raise CellError(f"{label}“{shown(value)}”应为整数")
    return int(s)


def content_hash(values: list) -> str:
    """sha256 of the typed business fields, so the same manifest from a CSV and a workbook hashes alike."""
    text = json.dumps(values, ensure_ascii=False, default=lambda v: v.isoformat(), separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


# ---------------------------------------------------------------- checks shared by both layouts
class _Problems(list):
    def add(self, code: str, zh: str) -> None:
        self.append(("hw:" + code, zh))


def _check_waste(code_cell, category_cell, on_2021_list: bool, p: _Problems) -> tuple[str | None, str | None]:
    raw = clean_text(code_cell)
    if raw is None:
        p.add("bad_code", "废物代码为空")
        return None, None
    code, glued = normalise_code(raw)
    if code is None:
        p.add("bad_code", f"废物代码“{raw}”格式不正确（应为 8 位数字，写作 XXX-YYY-ZZ，如 900-041-49；{LIST_NAME}第五条）")
        return None, None
    category = normalise_category(category_cell) if clean_text(category_cell) else f"HW{code[-2:]}"
    if category is None or category not in _categories():
        p.add("unknown_category", f"废物类别“{shown(category_cell)}”不是{LIST_NAME}的 46 个类别之一"
                                  "（HW01–HW40、HW45–HW50，没有 HW41–HW44）")
    # 第五条: the code's 7th and 8th digits are the category number
    for stated in {category, glued} - {None}:
        if stated[2:] != code[-2:]:
            p.add("category_mismatch", f"废物代码“{code}”末两位为 {code[-2:]}，与废物类别 {stated} 不一致"
                                       f"（{LIST_NAME}第五条：代码第 7、8 位为危险废物类别号）")
    # 第六条: a waste identified as hazardous but not listed is coded 900-000-XX by its category
    identified = code.startswith("900-000-") and f"HW{code[-2:]}" in _categories()
    if on_2021_list and code not in _codes() and not identified:
        p.add("unknown_code", f"废物代码“{code}”不在{LIST_NAME}中（经鉴别但未列入名录的危险废物应写作 900-000-XX，"
                              "XX 为类别号，见第六条）")
    return code, category


def _check_uscc(value, required: bool, p: _Problems) -> str | None:
    label = "产生单位统一社会信用代码"
    if clean_text(value) is None:
        if required:
            p.add("missing_uscc", f"{label}为空")
        return None
    c = uscc.classify(clean_text(value))
    if c.error_zh:
        p.add("bad_uscc", f"{label}：{c.error_zh}")
    elif c.uscc is None:
        p.add("bad_uscc", f"{label}“{shown(value)}”不是 18 位统一社会信用代码（不接受组织机构代码或工商注册号）")
    elif not c.check_ok:
        p.add("bad_uscc", f"{label}“{c.uscc}”未通过 GB 32100 校验（校验位应为 {uscc.uscc_check_char(c.uscc[:17])}），"
                          "请核对")
    return c.uscc


def _check_county(value, label: str, p: _Problems) -> str | None:
    code = county_code(value)
    if code is None:
        p.add("unknown_county", f"{label}“{shown(value)}”不是衢州市的县（市、区）或功能区块" if clean_text(value)
              else f"{label}为空")
    return code


def _reject(out: ParsedHazwaste, line: int, p: _Problems, county: str | None, record: dict) -> None:
    out.rejects.append({"source_row": line, "reason_code": p[0][0], "reason_zh": "；".join(zh for _, zh in p),
                        "county_code": county, "record": record})


# ---------------------------------------------------------------- the two layouts
def parse_manifests(data: bytes, delivered: date) -> ParsedHazwaste:
    out = ParsedHazwaste()
    for line, v, record in _table(data, MANIFESTS):
        out.received += 1
        p = _Problems()
        manifest_no = clean_text(v["manifest_no"], nfkc=True)
        if manifest_no is None:
            p.add("missing_manifest_no", "联单编号为空")
        transfer_type = TRANSFER_TYPES.get(re.sub(r"\s+", "", clean_text(v["transfer_type"]) or ""))
        if transfer_type is None:
            p.add("unknown_transfer_type", f"转移类型“{shown(v['transfer_type'])}”无法识别（应为 省内转移 或 跨省转移）")
        status = re.sub(r"\s+", "", clean_text(v["manifest_status"]) or "")
        if status not in STATUSES:
            p.add("unknown_status", f"联单状态“{shown(v['manifest_status'])}”无法识别（应为 在途、已接收、已退回 或 作废）")
        times = {}
        for key, label in (("shipped_at", "转移时间"), ("received_at", "接收时间")):
            try:
                times[key] = read_time(v[key], label)
            except CellError as e:
                times[key] = None
                p.add("bad_date", e.reason_zh)
        shipped_at, received_at = times["shipped_at"], times["received_at"]
        if shipped_at is None and clean_text(v["shipped_at"]) is None:
            p.add("bad_date", "转移时间为空")
        if shipped_at is not None and shipped_at.date() < LIST_2021_FROM:
            p.insert(0, ("hw:pre_2021_list", f"转移时间 {shipped_at:%Y-%m-%d} 早于 2021-01-01，应按《国家危险废物名录"
                                             "（2016年版）》校验，本仓库尚无 2016 年版名录，暂不入库"))
        for t, label in ((shipped_at, "转移时间"), (received_at, "接收时间")):
            if t is not None and t.date() > delivered:
                p.add("future_date", f"{label} {t:%Y-%m-%d %H:%M} 晚于文件送达日期 {delivered:%Y-%m-%d}")
        if shipped_at is not None and received_at is not None and received_at < shipped_at:
            p.add("received_before_shipped",
                  f"接收时间 {received_at:%Y-%m-%d %H:%M} 早于转移时间 {shipped_at:%Y-%m-%d %H:%M}")
        quantities = {}
        for key, label in (("shipped_t", "转移数量"), ("received_t", "接收数量")):
            try:
                q = quantities[key] = _tonnes(v[key], label)
            except CellError as e:
                quantities[key] = None
                p.add("bad_quantity", e.reason_zh)
                continue
            if q is not None and not (q > 0 or (q == 0 and status in NOT_RECEIVED)):
                p.add("bad_quantity", f"{label} {shown(v[key])} 应为大于 0 的数字（吨；仅已退回、作废的联单可为 0）")
        if quantities["shipped_t"] is None and clean_text(v["shipped_t"]) is None:
            p.add("missing_quantity", "转移数量为空")
        if status == "已接收":
            missing = [label for key, label in (("received_at", "接收时间"), ("received_t", "接收数量"))
                       if clean_text(v[key]) is None]
            if missing:
                p.add("missing_received", f"联单状态为“已接收”，但{'、'.join(missing)}为空")
        uscc_value = _check_uscc(v["generator_uscc"], True, p)
        county = _check_county(v["generator_county"], "产生单位所在区县", p)
        on_list = shipped_at is None or shipped_at.date() >= LIST_2021_FROM
        code, category = _check_waste(v["waste_code"], v["hw_category"], on_list, p)
        if p:
            _reject(out, line, p, county, record)
            continue
        receiver_uscc = clean_text(v["receiver_uscc"])
        business = [
            manifest_no, transfer_type, clean_text(v["generator_name"]), uscc_value, county,
            clean_text(v["generator_address"]), code, category, clean_text(v["waste_name"]),
            clean_text(v["waste_form"]), clean_text(v["hazard_characteristics"]), quantities["shipped_t"],
            clean_text(v["packaging"]), clean_text(v["carrier_name"]), clean_text(v["carrier_permit_no"], nfkc=True),
            clean_text(v["vehicle_plate"], nfkc=True), clean_text(v["receiver_name"]),
            uscc.normalise(receiver_uscc) if receiver_uscc else None, clean_text(v["receiver_licence_no"], nfkc=True),
            clean_text(v["receiver_province"]), clean_text(v["receiver_county"]), county_code(v["receiver_county"]),
            clean_text(v["disposal_method"]), shipped_at, received_at, quantities["received_t"], status]
        out.rows.append([line, *business, content_hash(business), record])
    return out


def parse_declarations(data: bytes, delivered: date) -> ParsedHazwaste:
    out = ParsedHazwaste()
    for line, v, record in _table(data, DECLARATIONS):
        out.received += 1
        p = _Problems()
        kind = re.sub(r"\s+", "", clean_text(v["declaration_type"]) or "")
        if kind not in DECLARATION_TYPES:
            p.add("unknown_declaration_type",
                  f"申报类型“{shown(v['declaration_type'])}”无法识别（应为 管理计划 或 月度申报）")
        period = {}
        for column, label, suffix in (("report_year", "年份", "年"), ("report_month", "月份", "月")):
            try:
                period[column] = _int(v[column], label, suffix)
            except CellError as e:
                period[column] = None
                p.add("bad_period", e.reason_zh)
        year, month = period["report_year"], period["report_month"]
        if year is not None and not 2000 <= year <= 2100:
            p.add("bad_period", f"年份“{shown(v['report_year'])}”不在合理范围内")
            year = None
        if clean_text(v["report_year"]) is None:
            p.add("bad_period", "年份为空")
        if kind == "管理计划" and month is not None:
            p.add("bad_period", f"管理计划为年度计划，月份应为空（填写了“{shown(v['report_month'])}”）")
        if kind == "月度申报" and (month is None or not 1 <= month <= 12):
            p.add("bad_period", f"月度申报的月份应为 1–12（填写了“{shown(v['report_month'])}”）")
            month = None
        if year is not None and year < LIST_2021_FROM.year:
            p.insert(0, ("hw:pre_2021_list", f"申报年份 {year} 早于 2021 年，应按《国家危险废物名录（2016年版）》校验，"
                                             "本仓库尚无 2016 年版名录，暂不入库"))
        # a plan is filed before its year begins; a monthly declaration after its month began at the earliest
        if year is not None and (year > delivered.year + 1 if kind == "管理计划" else
                                 month is not None and date(year, month, 1) > delivered):
            p.add("future_period", f"申报期 {year} 年{f'{month} 月' if month else ''}晚于文件送达日期 {delivered:%Y-%m-%d}")
        quantities = {}
        for name, column in DECLARATIONS.fields.items():
            if name not in DECLARATIONS.quantities:
                continue
            try:
                q = quantities[column] = _tonnes(v[column], name)
            except CellError as e:
                quantities[column] = None
                p.add("bad_quantity", e.reason_zh)
                continue
            # a month without generation and an empty store are real: 0 is allowed in declarations
            if q is not None and q < 0:
                p.add("bad_quantity", f"{name} {shown(v[column])} 不能为负数（吨）")
        needed = {"管理计划": ("planned_t", "计划产生量"), "月度申报": ("generated_t", "实际产生量")}.get(kind)
        if needed and clean_text(v[needed[0]]) is None:
            p.add("missing_quantity", f"{kind}的{needed[1]}为空")
        uscc_value = _check_uscc(v["generator_uscc"], False, p)
        county = _check_county(v["county"], "所在区县", p)
        code, category = _check_waste(v["waste_code"], v["hw_category"], year is None or year >= 2021, p)
        if p:
            _reject(out, line, p, county, record)
            continue
        business = [kind, year, month, clean_text(v["generator_name"]), uscc_value, county, code, category,
                    clean_text(v["waste_name"]), *(quantities[c] for c in
                                                   ("planned_t", "generated_t", "self_disposed_t", "entrusted_t",
                                                    "storage_end_t"))]
        out.rows.append([line, *business, content_hash(business), record])
    return out
