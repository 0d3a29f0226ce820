"""County workbooks: find each sheet's template, who submitted it for which period, and validate every row.

Everything a clerk can vary is configuration in seeds/: the templates' columns and their accepted labels
(ref_report_template_columns), enumeration variants (ref_enum_values), programmes, their submitting units and
schedules, industries, townships and report indicators. A row that cannot be stored goes to quarantine with every
problem found in it (in Chinese); a row that can be stored but looks wrong is stored with warnings.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache

from ecowarehouse import registry
from ecowarehouse.ingest import cells
from ecowarehouse.ingest.cells import CellError, clean_text, shown, squash
from ecowarehouse.ingest.formats import FileRejected
from ecowarehouse.ingest.workbook import Sheet
from ecowarehouse.periods import ReportPeriod, parse_report_period
from ecowarehouse.standards import uscc

HEADER_SCAN_ROWS = 30
MIN_HEADER_MATCHES = 3
UNIT_LABELS = ("填报单位", "报送单位", "上报单位", "填表单位")
PERIOD_LABELS = ("报告期", "报送期次", "所属期", "填报期间", "报告期间", "填报月份", "报送月份", "期次", "统计期")
FILLED_LABELS = ("填表时间", "填报日期", "填表日期", "报送日期")
NOTE_PREFIXES = ("填表说明", "说明", "注：", "注:", "备注：", "备注:", "填表人", "审核人", "联系电话", "负责人")
EXAMPLE_NAMES = {"xx", "xxx", "示例", "样例", "例"}
MU_PER_M2 = 1 / 666.6667  # 1 亩 = 10000/15 m²
AREA_RE = re.compile(r"(\d+(?:\.\d+)?)\s*(亩|平方米|㎡|m2|公顷)")


# ---------------------------------------------------------------- configuration from seeds
@dataclass(frozen=True)
class Column:
    code: str
    label: str
    labels: frozenset[str]  # squashed label and aliases
    column_required: bool
    value_required: bool
    value_type: str
    enum_code: str
    min_value: float | None
    max_value: float | None


@lru_cache(maxsize=None)
def templates() -> dict[str, tuple[Column, ...]]:
    out: dict[str, list[Column]] = {}
    for r in registry.rows("ref_report_template_columns"):
        labels = frozenset(squash(x) for x in [r["label_zh"], *r["aliases"].split("|")] if x)
        out.setdefault(r["template_code"], []).append(Column(
            r["column_code"], r["label_zh"], labels, r["column_required"] == "true", r["value_required"] == "true",
            r["value_type"], r["enum_code"], float(r["min_value"]) if r["min_value"] else None,
            float(r["max_value"]) if r["max_value"] else None))
    return {k: tuple(v) for k, v in out.items()}


@lru_cache(maxsize=None)
def template_names() -> dict[str, str]:
    return {r["template_code"]: r["template_name"] for r in registry.rows("ref_report_templates")}


@lru_cache(maxsize=None)
def enum_variants() -> dict[str, tuple[dict[str, str], tuple[tuple[str, str], ...], tuple[str, ...]]]:
    """enum → (exact variants, contains variants, canonical values in order)."""
    exact: dict[str, dict[str, str]] = {}
    contains: dict[str, list[tuple[str, str]]] = {}
    canon: dict[str, list[str]] = {}
    for r in registry.rows("ref_enum_values"):
        e = r["enum_code"]
        if r["match_kind"] == "contains":
            contains.setdefault(e, []).append((squash(r["variant"]), r["canonical_value"]))
        else:
            exact.setdefault(e, {})[squash(r["variant"])] = r["canonical_value"]
        if r["canonical_value"] not in canon.setdefault(e, []):
            canon[e].append(r["canonical_value"])
    return {e: (exact.get(e, {}), tuple(contains.get(e, [])), tuple(canon[e])) for e in canon}


@dataclass(frozen=True)
class Unit:
    programme: str
    code: str
    name: str
    names: tuple[str, ...]  # full name first, then aliases


@lru_cache(maxsize=None)
def units() -> tuple[Unit, ...]:
    return tuple(Unit(r["programme_code"], r["unit_code"], r["unit_name"],
                      tuple(n for n in [r["unit_name"], *r["aliases"].split("|")] if n))
                 for r in registry.rows("ref_programme_units"))


@lru_cache(maxsize=None)
def schedules() -> dict[tuple[str, str], dict]:
    return {(r["programme_code"], r["template_code"]): r for r in registry.rows("ref_report_schedules")}


def find_units(text: str | None, programme: str | None = None) -> list[Unit]:
    """Units whose name or alias occurs in ``text``; the longest match wins (江山市 over 江山)."""
    if not text:
        return []
    s = squash(text)
    best: dict[tuple[str, str], tuple[int, Unit]] = {}
    for u in units():
        if programme and u.programme != programme:
            continue
        hit = max((len(n) for n in u.names if squash(n) in s), default=0)
        if hit:
            best[(u.programme, u.code)] = (hit, u)
    if not best:
        return []
    top = max(h for h, _ in best.values())
    return [u for h, u in best.values() if h == top]


@lru_cache(maxsize=None)
def industries(programme: str) -> tuple[dict, ...]:
    return tuple(r for r in registry.rows("ref_key_industries") if r["programme_code"] == programme)


@lru_cache(maxsize=None)
def programme_names() -> dict[str, str]:
    return {r["programme_code"]: r["programme_name"] for r in registry.rows("ref_programmes")}


@lru_cache(maxsize=None)
def report_indicators() -> tuple[dict, ...]:
    return registry.rows("ref_report_indicators")


# ---------------------------------------------------------------- results
@dataclass
class ParsedSubmission:
    sheet_name: str
    template_code: str
    programme_code: str
    unit_code: str
    unit_name: str
    period: ReportPeriod
    filled_on: date | None
    rows: list[dict] = field(default_factory=list)
    rejects: list[dict] = field(default_factory=list)

    @property
    def received(self) -> int:
        return len(self.rows) + len(self.rejects)

    @property
    def rows_with_warnings(self) -> int:
        return sum(1 for r in self.rows if r["warnings"])


class RowProblems:
    def __init__(self):
        self.errors: list[tuple[str, str]] = []
        self.warnings: list[dict] = []

    def error(self, code: str, reason_zh: str) -> None:
        self.errors.append((code, reason_zh))

    def warn(self, code: str, reason_zh: str) -> None:
        self.warnings.append({"code": code, "reason_zh": reason_zh})


# ---------------------------------------------------------------- the sheet's shape
def _labels(sheet: Sheet, r: int) -> list[str]:
    """Column labels of header row ``r``: a blank cell takes the label above it (a label merged down over two
    rows), unless that label heads a horizontally merged group (企业基本信息 over 企业名称 … 有无在线监测)."""
    group_cells = {(a, b) for (a, b), (c, d) in sheet.merged if d > b}
    width = max((len(row) for row in sheet.rows[max(0, r - 1): r + 1]), default=0)
    out = []
    for c in range(width):
        v = clean_text(sheet.cell(r, c))
        if v is None and r > 0 and (r - 1, c) not in group_cells:
            v = clean_text(sheet.cell(r - 1, c))
        out.append(v or "")
    return out


def _match_header(labels: list[str]) -> tuple[str | None, dict[int, Column]]:
    best_code, best_map = None, {}
    for code, cols in templates().items():
        mapping: dict[int, Column] = {}
        taken: set[str] = set()
        for i, label in enumerate(labels):
            key = squash(label)
            unit = UNIT_IN_LABEL.match(cells.clean_text(label, nfkc=True) or "")
            base = squash(unit.group(1)) if unit else None
            for col in cols:
                if col.code not in taken and (key in col.labels or base in col.labels):
                    mapping[i] = col
                    taken.add(col.code)
                    break
        if len(mapping) > len(best_map):
            best_code, best_map = code, mapping
    return best_code, best_map


def _find_header(sheet: Sheet) -> tuple[int, str | None, dict[int, Column]]:
    best = (-1, None, {})
    for r in range(min(HEADER_SCAN_ROWS, len(sheet.rows))):
        code, mapping = _match_header(_labels(sheet, r))
        if len(mapping) > len(best[2]):
            best = (r, code, mapping)
    return best


def _labelled_value(sheet: Sheet, upto: int, labels: tuple[str, ...]):
    """Value written after a label such as 填报单位（签章）：柯城区, in the same cell or the next non-empty one."""
    for r in range(min(upto, len(sheet.rows))):
        row = sheet.rows[r]
        for c, v in enumerate(row):
            text = clean_text(v)
            if not text or not any(text.startswith(lab) for lab in labels):
                continue
            rest = re.split(r"[:：]", text, maxsplit=1)
            if len(rest) == 2 and rest[1].strip():
                return rest[1].strip()
            for nxt in row[c + 1:]:
                if clean_text(nxt):
                    return nxt
    return None


def _title_text(sheet: Sheet, upto: int) -> str:
    return " ".join(filter(None, (clean_text(v) for row in sheet.rows[:upto] for v in row)))


# ---------------------------------------------------------------- entry point
def parse_workbook(sheets: list[Sheet], today: date) -> list[ParsedSubmission]:
    """One submission per recognised sheet. Raises FileRejected (with the unit, when known) for file-level faults."""
    found: list[ParsedSubmission] = []
    unrecognised: list[str] = []
    for sheet in sheets:
        header_row, code, mapping = _find_header(sheet)
        if code is None or len(mapping) < MIN_HEADER_MATCHES:
            if any(clean_text(v) for row in sheet.rows[:HEADER_SCAN_ROWS] for v in row):
                unrecognised.append(sheet.name)
            continue
        found.append(_parse_sheet(sheet, header_row, code, mapping, today))
    if not found:
        names = "、".join(f"“{n}”" for n in unrecognised) or "（空文件）"
        raise FileRejected(
            "unknown_template",
            f"未识别的报表模板：工作表 {names} 中没有找到企业台账、任务进展、县区指标填报表或督察问题整改清单的表头"
            "（例如台账应包含“企业名称”“统一社会信用代码”“整治分类”等列）")
    seen: dict[str, str] = {}
    for sub in found:
        if sub.template_code in seen:
            raise FileRejected("duplicate_sheets", f"同一文件中有两个{template_names()[sub.template_code]}工作表"
                                                   f"（“{seen[sub.template_code]}”与“{sub.sheet_name}”），请合并后重新报送",
                               unit_code=sub.unit_code)
        seen[sub.template_code] = sub.sheet_name
    return found


def _parse_sheet(sheet: Sheet, header_row: int, code: str, mapping: dict[int, Column], today: date) -> ParsedSubmission:
    cols = templates()[code]
    present = {c.code for c in mapping.values()}
    tname = template_names()[code]
    unit_text = _labelled_value(sheet, header_row, UNIT_LABELS)
    candidates = find_units(shown(unit_text) if unit_text else _title_text(sheet, header_row))
    by_code = {u.code: u for u in candidates}
    unit_code = next(iter(by_code)) if len(by_code) == 1 else None

    missing = [c.label for c in cols if c.column_required and c.code not in present]
    if code == "enterprise_ledger" and not present & {"key_industry", "industry_category"}:
        missing.append("所属重点行业（或行业类别）")
    if missing:
        raise FileRejected("missing_columns", f"工作表“{sheet.name}”（{tname}）缺少必需的列：{'、'.join(missing)}",
                           unit_code=unit_code)
    if unit_code is None:
        what = f"“{shown(unit_text)}”" if unit_text else "（表头未填写）"
        raise FileRejected("unknown_unit", f"工作表“{sheet.name}”的填报单位{what}无法识别：请在表头填写“填报单位：XX县（市、区）”")
    programmes = [u.programme for u in candidates if (u.programme, code) in schedules()]
    if len(programmes) != 1:
        raise FileRejected("no_programme", f"{by_code[unit_code].name}没有需要报送{tname}的整治方案或报送计划",
                           unit_code=unit_code)
    programme = programmes[0]
    unit = next(u for u in candidates if u.programme == programme)
    schedule = schedules()[(programme, code)]
    period = _period(sheet, header_row, schedule, tname, unit.code, today)
    filled = _labelled_value(sheet, header_row, FILLED_LABELS)
    try:
        filled_on = cells.read_date(filled, "填表时间") if filled else None
    except CellError:
        filled_on = None
    sub = ParsedSubmission(sheet.name, code, programme, unit.code, unit.name, period, filled_on)
    _parse_rows(sheet, header_row, mapping, sub, today)
    return sub


def _period(sheet, header_row, schedule, tname, unit_code, today) -> ReportPeriod:
    text = _labelled_value(sheet, header_row, PERIOD_LABELS)
    period = parse_report_period(text) if text else parse_report_period(_title_text(sheet, header_row))
    quarterly = schedule["frequency"] == "quarter"
    example = "2023年第3季度" if quarterly else "2026年10月"
    if period is None:
        raise FileRejected("missing_period", f"工作表“{sheet.name}”未填写或无法识别报告期：请在表头填写“报告期：{example}”",
                           unit_code=unit_code)
    if period.frequency != schedule["frequency"]:
        raise FileRejected("wrong_period_kind", f"{tname}按{'季度' if quarterly else '月'}报送，报告期应写作“{example}”，"
                                                f"而表中为“{period.code}”", unit_code=unit_code)
    if period.start > today:
        raise FileRejected("future_period", f"报告期 {period.code} 尚未开始，请核对", unit_code=unit_code)
    last = schedule["last_period"]
    if last and period.end > ReportPeriod.from_code(last).end:
        raise FileRejected("period_after_programme", f"报告期 {period.code} 晚于本方案最后一个报送期 {last}", unit_code=unit_code)
    return period


def _is_skippable(values: list, header: list[str]) -> bool:
    """Blank spacer rows, notes under the table, repeated headers (page breaks) and 1 2 3 … column-number rows."""
    texts = [clean_text(v) for v in values]
    filled = [t for t in texts if t]
    if not filled:
        return True
    if filled[0].startswith(NOTE_PREFIXES) and len(filled) <= 2:
        return True
    if sum(1 for t, h in zip(texts, header) if t and h and squash(t) == squash(h)) >= MIN_HEADER_MATCHES:
        return True
    if len(filled) >= 5 and all(re.fullmatch(r"\d+", t) for t in filled) and \
            [int(t) for t in filled] == list(range(int(filled[0]), int(filled[0]) + len(filled))):
        return True
    return False


def _parse_rows(sheet: Sheet, header_row: int, mapping: dict[int, Column], sub: ParsedSubmission,
                today: date | None = None) -> None:
    header = _labels(sheet, header_row)
    validate = {"enterprise_ledger": _ledger_row, "task_progress": _task_row, "indicator_form": _indicator_row,
                "water_monthly": _water_row, "ducha_list": _ducha_row}[sub.template_code]
    context: dict = {"seen": {}, "units": _header_units(header, mapping), "today": today}
    if sub.template_code == "task_progress":
        pct_col = next((i for i, c in mapping.items() if c.code == "percent_complete"), None)
        numeric = [v for row in sheet.rows[header_row + 1:] if pct_col is not None and pct_col < len(row)
                   for v in [row[pct_col]] if isinstance(v, (int, float)) and not isinstance(v, bool)]
        # a column formatted as a percentage holds fractions: every value ≤ 1 and some not whole
        context["fraction"] = bool(numeric) and all(0 <= v <= 1 for v in numeric) and any(v % 1 for v in numeric)
    for r in range(header_row + 1, len(sheet.rows)):
        values = sheet.rows[r]
        if _is_skippable(values, header):
            continue
        raw = {col.code: (values[i] if i < len(values) else "") for i, col in mapping.items()}
        record = {col.label: shown(values[i] if i < len(values) else "") for i, col in mapping.items()}
        problems = RowProblems()
        out = validate(raw, problems, sub, r + 1, context)
        if problems.errors:
            sub.rejects.append({
                "source_row": r + 1, "reason_code": problems.errors[0][0],
                "reason_zh": "；".join(z for _, z in problems.errors), "record": record,
            })
        else:
            out.update(source_row=r + 1, warnings=problems.warnings, source_record=record)
            sub.rows.append(out)


UNIT_IN_LABEL = re.compile(r"^(.*?)[(（]([^()（）]+)[)）]$")
# conversion to the unit of GB 3838 Table 1 (mg/L; 个/L for fecal coliform); labs often report metals in µg/L
UNIT_FACTORS = {
    "mg/l": ("mg/L", 1.0), "毫克/升": ("mg/L", 1.0), "μg/l": ("mg/L", 0.001), "µg/l": ("mg/L", 0.001),
    "ug/l": ("mg/L", 0.001), "微克/升": ("mg/L", 0.001), "ng/l": ("mg/L", 1e-6),
    "个/l": ("count/L", 1.0), "mpn/l": ("count/L", 1.0), "无量纲": ("dimensionless", 1.0), "℃": ("degC", 1.0),
    "°c": ("degC", 1.0),
}


def _header_units(header: list[str], mapping: dict[int, Column]) -> dict[str, str]:
    """Units written in a header cell, e.g. 汞(μg/L), for the columns matched without them."""
    units = {}
    for i, col in mapping.items():
        label = header[i] if i < len(header) else ""
        if squash(label) in col.labels:
            continue
        m = UNIT_IN_LABEL.match(cells.clean_text(label, nfkc=True) or "")
        if m:
            units[col.code] = m.group(2).strip()
    return units


# ---------------------------------------------------------------- typed readers with the column's rules
def _col(template: str, code: str) -> Column:
    return next(c for c in templates()[template] if c.code == code)


def _enum(value, enum_code: str, label: str, p: RowProblems, *, contains: bool = False) -> str | None:
    text = clean_text(value)
    if text is None:
        return None
    exact, contained, canon = enum_variants()[enum_code]
    key = squash(text)
    if key in exact:
        return exact[key]
    if contains:
        for variant, canonical in contained:
            if variant in key:
                return canonical
        return None
    p.error(f"bad_enum:{enum_code}", f"{label}“{text}”无法识别，应为 {'/'.join(canon)} 之一")
    return None


def _read(kind, value, label, p: RowProblems, code: str, col: Column | None = None, **kw):
    try:
        v = kind(value, label, **kw)
    except CellError as e:
        p.error(f"bad_value:{code}", e.reason_zh)
        return None
    if v is not None and col is not None:
        if col.min_value is not None and v < col.min_value or col.max_value is not None and v > col.max_value:
            p.error(f"out_of_range:{code}", f"{label}“{shown(value)}”超出合理范围（{shown(col.min_value)}—{shown(col.max_value)}）")
            return None
    return v


def _required(raw: dict, template: str, p: RowProblems) -> None:
    for col in templates()[template]:
        if col.value_required and col.code in raw and clean_text(raw[col.code]) is None:
            p.error(f"missing_required:{col.code}", f"缺少必填项：{col.label}")


def _industry(text: str | None, programme: str, p: RowProblems) -> str | None:
    if text is None:
        p.error("missing_required:key_industry", "缺少必填项：所属重点行业")
        return None
    key = squash(text)
    inds = industries(programme)
    for r in inds:
        if key == squash(r["industry_name"]) or key in {squash(a) for a in r["aliases"].split("|") if a}:
            return r["industry_code"]
    hits = {r["industry_code"] for r in inds
            for n in [r["industry_name"], *r["aliases"].split("|")] if n and squash(n) in key}
    if len(hits) == 1:
        return hits.pop()
    names = "、".join(r["industry_name"] for r in inds)
    p.error("unknown_industry", f"行业“{text}”不在{programme_names()[programme]}的重点行业名单中（{names}）")
    return None


@lru_cache(maxsize=None)
def _townships() -> tuple[dict, ...]:
    return registry.rows("ref_townships")


def _township(text: str | None, sub: ParsedSubmission, p: RowProblems) -> str | None:
    """Township names changed often: a name that does not match is a warning, not a rejection."""
    if text is None:
        return None
    region = sub.programme_code == "DZ2021" and "511700" or "330800"
    key = squash(text)
    rows = [r for r in _townships() if r["region_code"] == region]
    exact = [r for r in rows if squash(r["township_name"]) == key]
    prefix = [r for r in rows if len(key) >= 2 and squash(r["township_name"]).startswith(key)]
    match = exact or (prefix if len(prefix) == 1 else [])
    if not match:
        where = "方案重点整治区域（11个乡镇、街道）" if region == "511700" else f"{sub.unit_name}的乡镇（街道）名录"
        p.warn("unknown_township", f"乡镇（街道）“{text}”不在{where}中，请核对")
        return None
    town = match[0]
    if town["county_code"] and town["county_code"] != sub.unit_code and not sub.unit_code.startswith("330800-"):
        p.warn("township_other_county", f"乡镇（街道）“{text}”不属于{sub.unit_name}，请核对")
    return town["township_code"] or None


# ---------------------------------------------------------------- the three templates
def _ledger_row(raw: dict, p: RowProblems, sub: ParsedSubmission, line: int, ctx: dict) -> dict:
    T = "enterprise_ledger"
    _required(raw, T, p)
    name = clean_text(raw.get("enterprise_name"))
    if name and squash(name) in EXAMPLE_NAMES:
        p.error("template_example", f"模板示例行（企业名称为“{name}”），请删除或填写实际企业")
    county_text = clean_text(raw.get("county_name"))
    if county_text:
        hit = find_units(county_text, sub.programme_code)
        if not hit:
            p.error("unknown_county", f"辖区“{county_text}”无法识别")
        elif sub.unit_code not in {u.code for u in hit}:
            p.error("county_mismatch", f"辖区“{county_text}”与填报单位“{sub.unit_name}”不一致：各单位只填报本辖区企业")
    township_text = clean_text(raw.get("township_name"))
    township_code = _township(township_text, sub, p)
    code = uscc.classify(raw.get("credit_code"))
    if code.error_zh:
        p.error("bad_credit_code", code.error_zh)
    if code.warning_zh:
        p.warn("credit_code_check", code.warning_zh)
    industry_text = clean_text(raw.get("key_industry")) or clean_text(raw.get("industry_category"))
    industry = _industry(industry_text, sub.programme_code, p)
    cls = _enum(raw.get("remediation_class"), "remediation_class", "整治分类", p)
    status = _enum(raw.get("progress_status"), "progress_status", "整治状态", p)
    progress_text = clean_text(raw.get("progress_text"))
    if status is None and progress_text:
        status = _enum(progress_text, "progress_status", "进展情况", p, contains=True) or "推进中"
    out = {
        "county_code": sub.unit_code,
        "township_name": township_text, "township_code": township_code,
        "enterprise_name": name, "address": clean_text(raw.get("address")),
        "uscc": code.uscc, "org_code": code.org_code, "business_reg_no": code.business_reg_no,
        "uscc_check_ok": code.check_ok,
        "industry_category": clean_text(raw.get("industry_category")),
        "industry_text": industry_text, "industry_code": industry,
        "employees": _read(cells.read_integer, raw.get("employees"), "职工人数", p, "employees", _col(T, "employees")),
        "land_tenure": _enum(raw.get("land_tenure"), "land_tenure", "厂区土地性质", p),
        "has_safety_assessment": _yes(raw.get("has_safety_assessment"), "有无安全评价", p),
        "has_energy_review": _yes(raw.get("has_energy_review"), "有无节能审查", p),
        "eia_approval_no": clean_text(raw.get("eia_approval_no")),
        "discharge_permit_no": clean_text(raw.get("discharge_permit_no")),
        "has_online_monitoring": _yes(raw.get("has_online_monitoring"), "有无在线监测", p),
        "main_problems": clean_text(raw.get("main_problems")),
        "problem_categories": _problem_categories(raw.get("problem_categories"), p),
        "measures": clean_text(raw.get("measures")),
        "remediation_class": cls,
        "completion_deadline": _read(cells.read_date, raw.get("completion_deadline"), "整改完成时限", p, "completion_deadline"),
        "progress_text": progress_text, "progress_status": status,
        "county_accepted_on": _read(cells.read_date, raw.get("county_accepted_on"), "县级自主验收时间", p, "county_accepted_on"),
        "city_accepted_on": _read(cells.read_date, raw.get("city_accepted_on"), "市级评审验收时间", p, "city_accepted_on"),
        "is_leader_candidate": _yes(raw.get("leader_candidate"), "环保“领跑”示范企业", p),
        "remarks": clean_text(raw.get("remarks")),
        "relocation_site_area_mu": None,
    }
    county_on, city_on = out["county_accepted_on"], out["city_accepted_on"]
    if county_on and city_on and city_on < county_on:
        p.warn("acceptance_order", f"市级评审验收时间（{city_on}）早于县级自主验收时间（{county_on}），请核对")
    for label, d in (("县级自主验收时间", county_on), ("市级评审验收时间", city_on)):
        if d and d > sub.period.end:
            p.warn("acceptance_after_period", f"{label}（{d}）晚于报告期末（{sub.period.end}），请核对")
    if (county_on or city_on) and status not in (None, "已完成"):
        p.warn("accepted_not_done", f"已填写验收时间，但整治状态为“{status}”，请核对")
    if cls == "搬迁升级":
        out["relocation_site_area_mu"] = _relocation_area(out["remarks"])
        if out["relocation_site_area_mu"] is None:
            p.warn("relocation_area_missing", "搬迁升级类企业请在备注中注明新址用地面积（如“新址用地30亩”）")
    key = code.uscc or code.org_code or code.business_reg_no or (squash(name) if name else None)
    if key and not p.errors:
        first = ctx["seen"].setdefault(key, line)
        if first != line:
            p.error("duplicate_enterprise", f"与第 {first} 行为同一企业（{name}），同一企业只填报一行")
    return out


def _yes(value, label: str, p: RowProblems) -> bool | None:
    v = _enum(value, "yes_no", label, p)
    return None if v is None else v == "有"


def _problem_categories(value, p: RowProblems) -> list[str] | None:
    parts = cells.split_list(value)
    out = []
    for part in parts:
        v = _enum(part, "problem_category", "问题类别", p)
        if v and v not in out:
            out.append(v)
    return out or None


def _relocation_area(remarks: str | None) -> float | None:
    m = AREA_RE.search(remarks or "")
    if not m:
        return None
    value, unit = float(m.group(1)), m.group(2)
    return round(value * {"亩": 1, "公顷": 15}.get(unit, MU_PER_M2), 2)


def _task_row(raw: dict, p: RowProblems, sub: ParsedSubmission, line: int, ctx: dict) -> dict:
    T = "task_progress"
    _required(raw, T, p)
    kind = _enum(raw.get("item_kind"), "item_kind", "类别", p)
    no_text = clean_text(raw.get("item_no"), nfkc=True)
    if kind is None:
        kind = "重点工程" if no_text and "工程" in no_text else "重点任务"
    item_no = None
    if no_text:
        m = re.fullmatch(r"(?:第|重点工程|工程|任务)?\s*(\d+)(?:\.0+)?\s*(?:项|号)?", no_text)
        if not m:
            p.error("bad_value:item_no", f"编号“{no_text}”不是任务或工程编号")
        else:
            item_no = int(m.group(1))
            limit = registry.task_counts()[kind]
            if not 1 <= item_no <= limit:
                p.error("unknown_item", f"{kind}编号 {item_no} 不存在（共 {limit} 项{kind}）")
                item_no = None
    status = _enum(raw.get("status"), "task_status", "进展状态", p)
    pct = _read(cells.read_percent, raw.get("percent_complete"), "完成百分比", p, "percent_complete",
                _col(T, "percent_complete"), fraction=ctx.get("fraction", False))
    if status == "已完成" and pct is not None and pct < 100:
        p.warn("status_percent", f"进展状态为已完成，但完成百分比为 {shown(pct)}%，请核对")
    if status == "未启动" and pct:
        p.warn("status_percent", f"进展状态为未启动，但完成百分比为 {shown(pct)}%，请核对")
    unit = clean_text(raw.get("reporting_unit"))
    if item_no is not None and unit and not p.errors:
        first = ctx["seen"].setdefault((kind, item_no, squash(unit)), line)
        if first != line:
            p.error("duplicate_item", f"与第 {first} 行重复：{unit} 对{kind} {item_no} 只填报一行")
    return {
        "county_code": sub.unit_code, "item_kind": "task" if kind == "重点任务" else "project", "item_no": item_no,
        "item_name": clean_text(raw.get("item_name")), "reporting_unit": unit, "status": status,
        "percent_complete": pct, "narrative": clean_text(raw.get("narrative")),
        "evidence_ref": clean_text(raw.get("evidence_ref")),
    }


UNIT_EQUIVALENTS = {"%": {"%", "百分比", "百分率"}, "是/否": {"是/否", "是否", "/", "个"}}


def _indicator_row(raw: dict, p: RowProblems, sub: ParsedSubmission, line: int, ctx: dict) -> dict:
    _required(raw, "indicator_form", p)
    name = clean_text(raw.get("indicator_name"))
    ind = None
    if name:
        key = squash(name)
        ind = next((r for r in report_indicators()
                    if key == squash(r["indicator_name"]) or key in {squash(a) for a in r["aliases"].split("|") if a}),
                   None)
        if ind is None:
            known = "、".join(r["indicator_name"] for r in report_indicators())
            p.error("unknown_indicator", f"指标“{name}”不在县区指标填报目录中（{known}）")
    value = None
    unit = clean_text(raw.get("unit"))
    if ind is not None:
        if ind["value_type"] == "boolean":
            yes = _enum(raw.get("value"), "yes_no", name, p)
            value = None if yes is None else float(yes == "有")
        else:
            value = _read(cells.read_percent, raw.get("value"), name, p, "value")
            lo, hi = float(ind["min_value"]), float(ind["max_value"])
            if value is not None and not lo <= value <= hi:
                p.error("out_of_range:value", f"{name}“{shown(raw.get('value'))}”超出合理范围（{shown(lo)}—{shown(hi)}）")
        expected = ind["unit"]
        if unit and squash(unit) not in {squash(x) for x in UNIT_EQUIVALENTS.get(expected, {expected})}:
            p.error("unit_mismatch", f"{name}的单位“{unit}”与要求的“{expected}”不一致")
        first = ctx["seen"].setdefault(ind["indicator_code"], line)
        if first != line and not p.errors:
            p.error("duplicate_indicator", f"与第 {first} 行重复：指标“{ind['indicator_name']}”只填报一行")
    return {
        "county_code": sub.unit_code, "indicator_code": ind["indicator_code"] if ind else None,
        "indicator_label": name, "value": value, "unit": unit, "data_source": clean_text(raw.get("data_source")),
        "remarks": clean_text(raw.get("remarks")),
    }


@lru_cache(maxsize=None)
def water_sections() -> tuple[dict, ...]:
    return registry.rows("ref_water_sections")


@lru_cache(maxsize=None)
def water_item_units() -> dict[str, str]:
    return {r["item_code"]: r["unit"] for r in registry.rows("std_water_limits")}


_BELOW_DL = re.compile(r"^(?:<|＜|小于)\s*(\d+(?:\.\d+)?(?:e-?\d+)?)$|^(\d+(?:\.\d+)?)\s*L$", re.I)
NOT_DETECTED = {"nd", "未检出", "检出限以下", "<dl", "ld"}


def _measurement(value, col: Column, unit: str | None, p: RowProblems) -> dict | None:
    """A monitored value: a number, or "below the detection limit" written as ND / 未检出 / <0.01 / 0.01L (the lab
    convention: a trailing L marks the detection limit)."""
    text = clean_text(value, nfkc=True)
    if text is None:
        return None
    factor = 1.0
    expected = water_item_units().get(col.code, "mg/L")
    if unit:
        target, factor = UNIT_FACTORS.get(squash(unit), (None, None))
        if target != expected:
            p.error(f"bad_unit:{col.code}", f"{col.label}的单位“{unit}”无法换算为 {expected}")
            return None
    if squash(text) in NOT_DETECTED:
        return {"nd": True, "text": text}
    m = _BELOW_DL.match(text)
    if m:
        return {"nd": True, "dl": round(float(m.group(1) or m.group(2)) * factor, 12), "text": text}
    number = _read(cells.read_number, value, col.label, p, col.code)
    if number is None:
        return None
    number = round(number * factor, 12)
    if col.min_value is not None and number < col.min_value or col.max_value is not None and number > col.max_value:
        p.error(f"out_of_range:{col.code}", f"{col.label}“{text}”超出合理范围（{shown(col.min_value)}—{shown(col.max_value)} {expected}）")
        return None
    return {"value": number, "text": text}


def _water_row(raw: dict, p: RowProblems, sub: ParsedSubmission, line: int, ctx: dict) -> dict:
    T = "water_monthly"
    _required(raw, T, p)
    name = clean_text(raw.get("section_name"))
    section = None
    if name:
        key = squash(name)
        section = next((r for r in water_sections() if key == squash(r["section_name"])
                        or key in {squash(a) for a in r["aliases"].split("|") if a}), None)
        if section is None:
            p.error("unknown_section", f"断面“{name}”不在断面登记表中（如 东迹渡、浮石渡、铜山源）")
    sampled = _read(cells.read_date, raw.get("sampled_on"), "采样日期", p, "sampled_on")
    if sampled and not sub.period.start <= sampled <= sub.period.end:
        p.warn("sample_outside_period", f"采样日期 {sampled} 不在报告期 {sub.period.code} 内，请核对")
    measurements = {}
    for col in templates()[T]:
        if col.value_type == "measurement" and col.code in raw:
            m = _measurement(raw[col.code], col, ctx["units"].get(col.code), p)
            if m is not None:
                measurements[col.code] = m
    if not measurements and not p.errors:
        p.error("no_measurements", "该行没有任何监测项目的数值")
    if section and sampled and not p.errors:
        first = ctx["seen"].setdefault((section["section_code"], sampled), line)
        if first != line:
            p.error("duplicate_sample", f"与第 {first} 行重复：{name} {sampled} 只填报一行")
    return {
        "reporting_unit_code": sub.unit_code, "section_code": section["section_code"] if section else None,
        "section_name": name, "sampled_on": sampled, "measurements": measurements,
    }


# ---------------------------------------------------------------- 督察问题整改清单 (000/001 市级重大生态环保督察清单)
@lru_cache(maxsize=None)
def region_industries(programme: str) -> tuple[dict, ...]:
    """The key industries of the programmes of the same city as ``programme`` (the 督察清单 names 衢州's 12)."""
    progs = registry.rows("ref_programmes")
    region = next(r["region_code"] for r in progs if r["programme_code"] == programme)
    return tuple(i for r in progs if r["region_code"] == region for i in industries(r["programme_code"]))


def _ducha_industry(text: str | None, programme: str, p: RowProblems) -> str | None:
    """The optional 涉及行业: a name that is not one of the city's key industries is kept as text with a warning (the
    problem itself stays on the list)."""
    if text is None:
        return None
    key = squash(text)
    inds = region_industries(programme)
    for r in inds:
        if key == squash(r["industry_name"]) or key in {squash(a) for a in r["aliases"].split("|") if a}:
            return r["industry_code"]
    p.warn("unknown_industry", f"涉及行业“{text}”不是重点行业名单中的行业，已按原文保存")
    return None


def _ducha_row(raw: dict, p: RowProblems, sub: ParsedSubmission, line: int, ctx: dict) -> dict:
    T = "ducha_list"
    _required(raw, T, p)
    problem_no = clean_text(raw.get("problem_no"), nfkc=True)
    source = _enum(raw.get("problem_source"), "ducha_source", "问题来源", p)
    status = _enum(raw.get("rectify_status"), "ducha_status", "整改状态", p)
    level = _enum(raw.get("supervision_level"), "supervision_level", "督办等级", p)
    if level is None and clean_text(raw.get("supervision_level")) is None:
        level = "无"  # an empty cell: not under 通报预警 or 挂牌督办
    assigned = _read(cells.read_date, raw.get("assigned_on"), "交办日期", p, "assigned_on")
    deadline = _read(cells.read_date, raw.get("rectify_deadline"), "整改时限", p, "rectify_deadline")
    closed = _read(cells.read_date, raw.get("closed_on"), "销号日期", p, "closed_on")
    today = ctx.get("today")
    for label, code, d in (("交办日期", "assigned_on", assigned), ("销号日期", "closed_on", closed)):
        if d and today and d > today:
            p.error(f"future_date:{code}", f"{label}（{d}）晚于报送日期（{today}），是将来的日期")
    if assigned and deadline and deadline < assigned:
        p.error("deadline_before_assigned", f"整改时限（{deadline}）早于交办日期（{assigned}）")
    if status == "已销号" and closed is None and "bad_value:closed_on" not in {c for c, _ in p.errors}:
        p.error("closed_without_date", "整改状态为“已销号”，但未填写销号日期")
    if closed and assigned and closed < assigned:
        p.error("closed_before_assigned", f"销号日期（{closed}）早于交办日期（{assigned}）")
    if closed and status in ("整改中", "已整改待销号"):
        p.warn("closed_date_not_closed", f"已填写销号日期（{closed}），但整改状态为“{status}”，按“{status}”统计")
    if assigned and assigned > sub.period.end and not (today and assigned > today):
        p.warn("assigned_after_period", f"交办日期（{assigned}）晚于报告期末（{sub.period.end}），请核对")
    if closed and closed > sub.period.end and not (today and closed > today):
        p.warn("closed_after_period", f"销号日期（{closed}）晚于报告期末（{sub.period.end}），请核对")
    industry_text = clean_text(raw.get("industry"))
    if problem_no and not p.errors:
        first = ctx["seen"].setdefault(squash(problem_no), line)
        if first != line:
            p.error("duplicate_problem", f"与第 {first} 行问题编号“{problem_no}”重复：问题编号在本单位清单内唯一")
    return {
        "county_code": sub.unit_code, "problem_no": problem_no, "problem_source": source, "assigned_on": assigned,
        "description": clean_text(raw.get("description")), "industry_text": industry_text,
        "industry_code": _ducha_industry(industry_text, sub.programme_code, p), "responsible_unit":
            clean_text(raw.get("responsible_unit")), "rectify_deadline": deadline, "rectify_status": status,
        "closed_on": closed, "supervision_level": level, "remarks": clean_text(raw.get("remarks")),
    }
