"""Delivered bytes → sheets of cells, for .xlsx, .xls, .ods (python-calamine) and UTF-8 / GBK .csv alike."""
from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field

from ecowarehouse.ingest.formats import FileRejected, decode_text

XLSX_MAGIC = b"PK\x03\x04"
XLS_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


@dataclass
class Sheet:
    name: str
    rows: list[list]  # cell values: str, float, int, bool, date, datetime; "" for empty
    merged: list[tuple[tuple[int, int], tuple[int, int]]] = field(default_factory=list)

    def cell(self, r: int, c: int):
        row = self.rows[r] if 0 <= r < len(self.rows) else []
        return row[c] if 0 <= c < len(row) else ""


def is_workbook(data: bytes) -> bool:
    return data[:4] == XLSX_MAGIC or data[:8] == XLS_MAGIC


def read_sheets(data: bytes) -> tuple[list[Sheet], str]:
    """All visible sheets of a workbook, or the one sheet of a CSV; with the container's name for the record."""
    if is_workbook(data):
        return _read_workbook(data)
    decoded = decode_text(data)
    rows = [list(r) for r in csv.reader(io.StringIO(decoded.text))]
    return [Sheet(name="csv", rows=rows)], f"csv/{decoded.encoding}"


def _read_workbook(data: bytes) -> tuple[list[Sheet], str]:
    import python_calamine as pc

    kind = "xlsx" if data[:4] == XLSX_MAGIC else "xls"
    try:
        book = pc.CalamineWorkbook.from_filelike(io.BytesIO(data))
    except Exception as exc:  # calamine raises several error types for damaged or encrypted files
        raise FileRejected("unreadable_workbook", f"Excel 文件无法打开（文件损坏或设置了密码）：{type(exc).__name__}") from None
    sheets = []
    for meta in book.sheets_metadata:
        if meta.visible != pc.SheetVisibleEnum.Visible or meta.typ != pc.SheetTypeEnum.WorkSheet:
            continue  # hidden helper sheets (drop-down lists) are not submissions
        sheet = book.get_sheet_by_name(meta.name)
        rows = sheet.to_python(skip_empty_area=False)
        sheets.append(Sheet(name=meta.name, rows=rows, merged=list(sheet.merged_cell_ranges or [])))
    return sheets, kind
