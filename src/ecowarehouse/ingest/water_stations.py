"""Surface-water automatic stations as the national platform (国家地表水水质自动监测实时数据发布系统) exports them:

    省份,流域,断面名称,监测时间,水质类别,水温(℃),pH(无量纲),溶解氧(mg/L),电导率(μS/cm),浊度(NTU),高锰酸盐指数(mg/L),
    氨氮(mg/L),总磷(mg/L),总氮(mg/L),叶绿素α(mg/L),藻密度(cells/L),站点情况

One row per station and reading (hourly or every 4 hours). The platform writes "--" for an item it has no value for
and shows 监测时间 as "MM-DD HH:MM" on screen; exports that keep that form get their year from the delivery date.
Stations sending HJ 212 ST=21 packets instead are read by ``hj212_packets``; both land in the same models.
"""
from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from datetime import date, datetime

from ecowarehouse import registry
from ecowarehouse.ingest.formats import FileRejected, decode_text

REQUIRED = ("断面名称", "监测时间")
MISSING_MARKERS = {"", "--", "—", "-", "*", "/", "NA", "N/A"}
COLUMNS = ["source_row", "station_code", "section_name", "observed_at", "reported_class", "site_status", "measurements",
           "source_record"]
_HEADER = re.compile(r"^\s*([^(（]+?)\s*(?:[(（]\s*([^)）]*)\s*[)）])?\s*$")
_TIME_FORMATS = ("%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S", "%Y/%m/%d %H:%M", "%Y/%m/%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S")


def _norm(text: str) -> str:
    """Header spellings vary in width, case and micro sign."""
    return text.strip().replace("µ", "μ").replace("ａ", "α").lower().replace(" ", "")


def _header_key(text: str) -> tuple[str, str | None]:
    m = _HEADER.match(text.strip().strip('"'))
    if not m:
        return _norm(text), None
    return _norm(m.group(1)), (_norm(m.group(2)) if m.group(2) is not None else None)


def looks_like_platform_export(fields: list[str]) -> bool:
    names = {_header_key(f)[0] for f in fields}
    return all(_norm(r) in names for r in REQUIRED) and any(
        _norm(r["platform_header"]) in names for r in registry.rows("std_water_auto_items") if r["platform_header"])


@dataclass
class ParsedPlatformFile:
    rows: list[list] = field(default_factory=list)
    rejects: list[dict] = field(default_factory=list)
    received: int = 0


def _stations() -> dict[str, dict]:
    return {_norm(r["platform_name"]): r for r in registry.rows("ref_water_auto_stations")
            if r["platform_name"] and r["data_channel"] == "platform_csv"}


def _observed_at(text: str, delivered: date) -> datetime | None:
    text = text.strip()
    for fmt in _TIME_FORMATS:
        try:
            return datetime.strptime(text, fmt)
        except ValueError:
            pass
    m = re.fullmatch(r"(\d{1,2})-(\d{1,2})\s+(\d{1,2}):(\d{2})", text)
    if not m:
        return None
    month, day, hour, minute = map(int, m.groups())
    # the screen form has no year: the latest year in which the reading is not after the file's delivery
    for year in (delivered.year, delivered.year - 1):
        try:
            t = datetime(year, month, day, hour, minute)
        except ValueError:
            continue
        if t.date() <= delivered:
            return t
    return None


def parse(data: bytes, delivered: date) -> ParsedPlatformFile:
    text = decode_text(data).text
    reader = csv.reader(io.StringIO(text))
    header = next(reader, [])
    keys = [_header_key(h) for h in header]
    index = {name: i for i, (name, _) in enumerate(keys)}
    missing = [r for r in REQUIRED if _norm(r) not in index]
    if missing:
        raise FileRejected("missing_columns", f"缺少必需列：{'、'.join(missing)}")
    items: list[tuple[int, str]] = []
    for r in registry.rows("std_water_auto_items"):
        if not r["platform_header"] or _norm(r["platform_header"]) not in index:
            continue
        col = index[_norm(r["platform_header"])]
        unit = keys[col][1]
        if unit is not None and unit != _norm(r["unit"]):
            raise FileRejected("unit", f"列“{header[col]}”的单位应为 {r['unit']}，请按国家平台原样导出")
        items.append((col, r["item_code"]))
    stations = _stations()
    name_col, time_col = index[_norm("断面名称")], index[_norm("监测时间")]
    class_col, status_col = index.get(_norm("水质类别")), index.get(_norm("站点情况"))
    out = ParsedPlatformFile()
    seen: dict[tuple[str, datetime], int] = {}
    for line_no, cells in enumerate(reader, start=2):
        if not any(c.strip() for c in cells):
            continue
        out.received += 1
        cells = cells + [""] * (len(header) - len(cells))
        record = {header[i]: cells[i] for i in range(len(header)) if cells[i] != ""}
        name = cells[name_col].strip()
        problems: list[tuple[str, str]] = []
        station = stations.get(_norm(name))
        if station is None:
            problems.append(("unknown_station", f"断面“{name}”不在水质自动站名录中（ref_water_auto_stations）"))
        observed = _observed_at(cells[time_col], delivered)
        if observed is None:
            problems.append(("bad_time", f"监测时间“{cells[time_col]}”无法识别（应为 YYYY-MM-DD HH:MM）"))
        measurements: dict[str, float] = {}
        for col, item in items:
            raw = cells[col].strip()
            if raw in MISSING_MARKERS:
                continue
            try:
                value = float(raw)
            except ValueError:
                problems.append(("bad_value", f"“{header[col]}”的值“{raw}”不是数值"))
                continue
            if value < 0 or (item == "ph" and value > 14):
                problems.append(("implausible", f"“{header[col]}”的值 {raw} 不可能出现"))
                continue
            measurements[item] = value
        if station is not None and observed is not None and not problems:
            key = (station["station_code"], observed)
            if key in seen:
                problems.append(("duplicate", f"同一断面同一监测时间重复（与第 {seen[key]} 行相同）"))
            else:
                seen[key] = line_no
        if problems:
            out.rejects.append({"source_row": line_no, "reason_code": "water_auto:" + problems[0][0],
                                "reason_zh": "；".join(zh for _, zh in problems),
                                "county_code": (station or {}).get("county_code") or None, "record": record})
            continue
        reported_class = cells[class_col].strip() if class_col is not None else ""
        status = cells[status_col].strip() if status_col is not None else ""
        out.rows.append([line_no, station["station_code"], name, observed, reported_class or None, status or None,
                         measurements, record])
    return out
