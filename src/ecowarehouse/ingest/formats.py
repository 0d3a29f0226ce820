"""Reading delivered bytes: text encodings and file-kind detection."""
from __future__ import annotations

from dataclasses import dataclass

AIR_STATION_COLUMNS = (
    "timepoint,stationcode,longitude,latitude,area,positionname,primarypollutant,aqi,pm10,pm10_24h,pm2_5,"
    "pm2_5_24h,o3,o3_24h,o3_8h,o3_8h_24h,no2,no2_24h,so2,so2_24h,co,co_24h"
).split(",")


class FileRejected(Exception):
    """The whole file cannot be accepted; ``reason_zh`` is shown to the submitter."""

    def __init__(self, reason_code: str, reason_zh: str, unit_code: str | None = None):
        super().__init__(f"{reason_code}: {reason_zh}")
        self.reason_code = reason_code
        self.reason_zh = reason_zh
        self.unit_code = unit_code  # the submitting county, when the file says who it is from


@dataclass(frozen=True)
class DecodedText:
    text: str
    encoding: str


def decode_text(data: bytes) -> DecodedText:
    """Counties and platforms send UTF-8 (with or without BOM) or GBK; GB 18030 is the superset we decode GBK with."""
    for enc in ("utf-8-sig", "gb18030"):
        try:
            return DecodedText(data.decode(enc), "utf-8" if enc == "utf-8-sig" else "gbk")
        except UnicodeDecodeError:
            continue
    raise FileRejected("encoding", "文件编码无法识别：请以 UTF-8 或 GBK 编码保存为 CSV 文件")


def _header_fields(text: str) -> list[str]:
    first = text.lstrip("\ufeff").split("\n", 1)[0].strip("\r ")
    return [f.strip().strip('"').lower() for f in first.split(",")]


def detect_kind(data: bytes) -> str:
    """Decide what a delivered file is from its content, never from its name."""
    if data[:4] == b"PK\x03\x04" or data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        from ecowarehouse.ingest.hazwaste import workbook_kind

        # a manifest or declaration export on the first sheet; any other workbook is a county submission
        return workbook_kind(data) or "county_report"
    try:
        text = decode_text(data[:65536]).text
    except FileRejected:
        # a cut in the middle of a multi-byte character is not an encoding error
        text = decode_text(data).text
    from ecowarehouse.ingest.hj212_packets import looks_like_packets

    if looks_like_packets(text):
        return "hj212_packets"
    fields = _header_fields(text)
    if "timepoint" in fields and "stationcode" in fields:
        return "air_station_hourly"
    from ecowarehouse.ingest.water_stations import looks_like_platform_export

    if looks_like_platform_export(fields):
        return "water_auto_platform"
    from ecowarehouse.ingest.hazwaste import text_kind

    hazwaste_kind = text_kind(text)
    if hazwaste_kind:
        return hazwaste_kind
    if _looks_like_county_form(text):
        return "county_report"
    raise FileRejected(
        "unknown_kind",
        "无法识别的文件类型：首行表头不是任何已知模板（例如空气自动站小时数据应以 timepoint,stationcode,… 开头；"
        "县区报表应使用企业台账、任务进展或县区指标填报表模板）",
    )


def _looks_like_county_form(text: str) -> bool:
    import csv
    import io

    from ecowarehouse.ingest.county_reports import HEADER_SCAN_ROWS, MIN_HEADER_MATCHES, _find_header
    from ecowarehouse.ingest.workbook import Sheet

    head = "\n".join(text.splitlines()[:HEADER_SCAN_ROWS])
    _, _, mapping = _find_header(Sheet("csv", [list(r) for r in csv.reader(io.StringIO(head))]))
    return len(mapping) >= MIN_HEADER_MATCHES
