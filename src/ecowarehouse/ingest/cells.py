"""Reading one cell of a county workbook the way a clerk meant it: text, numbers, percentages, dates, enumerations.

Each reader returns the typed value or raises ``CellError`` with a Chinese explanation that names what was typed.
"""
from __future__ import annotations

import calendar
import re
import unicodedata
from datetime import date, datetime, time, timedelta

EMPTY_MARKERS = {"", "/", "-", "—", "--", "——", "无数据", "n/a", "na", "null", "none"}
# Excel's day 0 is 1899-12-30 in the 1900 date system (the 1900-02-29 bug makes this the right epoch after 1900-03-01).
EXCEL_EPOCH = date(1899, 12, 30)
# serial numbers of 1990-01-01 .. 2100-12-31: a number outside is not a date anyone typed in a ledger
EXCEL_SERIAL_RANGE = (32874, 73415)


class CellError(ValueError):
    def __init__(self, reason_zh: str):
        super().__init__(reason_zh)
        self.reason_zh = reason_zh


def shown(value) -> str:
    """A cell as the clerk sees it (for messages and the quarantine record)."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M") if (value.hour or value.minute) else value.strftime("%Y-%m-%d")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def clean_text(value, nfkc: bool = False) -> str | None:
    """Collapse whitespace (full-width spaces and line breaks in cells too); empty markers become None. ``nfkc``
    also turns full-width digits and letters into ASCII — for codes and numbers, not for Chinese prose, whose
    full-width punctuation it would change."""
    if value is None:
        return None
    s = shown(value)
    if nfkc:
        s = unicodedata.normalize("NFKC", s)
    s = re.sub(r"\s+", " ", s).strip()
    return None if s.lower() in EMPTY_MARKERS else s


def squash(value) -> str:
    """Key for matching labels and enumeration variants: NFKC, no whitespace, no quotes, lower case."""
    s = unicodedata.normalize("NFKC", shown(value))
    return re.sub(r"[\s\"'“”‘’「」]", "", s).lower()


def read_number(value, label: str) -> float | None:
    if isinstance(value, bool):
        raise CellError(f"{label}“{shown(value)}”不是数字")
    if isinstance(value, (int, float)):
        return float(value)
    s = clean_text(value, nfkc=True)
    if s is None:
        return None
    s = s.replace(",", "").replace("，", "")
    s = re.sub(r"(人|个|家|亩|平方米|㎡|万元)$", "", s).strip()
    try:
        return float(s)
    except ValueError:
        raise CellError(f"{label}“{shown(value)}”不是数字") from None


def read_integer(value, label: str) -> int | None:
    number = read_number(value, label)
    if number is None:
        return None
    if not float(number).is_integer():
        raise CellError(f"{label}“{shown(value)}”应为整数")
    return int(number)


def read_percent(value, label: str, fraction: bool = False) -> float | None:
    """"85%", "85", 85 → 85. A numeric cell holds a fraction (0.85) when the column is formatted as a percentage:
    the caller decides that for the whole column (``fraction``), since 1 alone could mean 1 % or 100 %."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value) * 100 if fraction else float(value)
    s = clean_text(value, nfkc=True)
    if s is None:
        return None
    if s.endswith("%"):
        return read_number(s[:-1], label)
    return read_number(s, label)


_DATE_FORMS = [
    # (pattern, has day) — the forms clerks type; separators . / - 年月日 and an optional 底/前/止 suffix
    (re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?"), True),
    (re.compile(r"^(\d{4})(\d{2})(\d{2})$"), True),
    (re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*月?\s*(底|前|底前|末|止)?$"), False),
    (re.compile(r"^(\d{4})年?\s*(底|前|底前|末|年底|年底前)?$"), None),
]


def read_date(value, label: str) -> date | None:
    """A date as typed: a real date cell, an Excel serial number, 2023/11/30, 2023.11.30, 2023年11月30日,
    2023年11月 or 2023.11 (a month means its last day: deadlines are "by the end of"), 2023年底 (31 December)."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return _from_serial(float(value), value, label)
    s = clean_text(value, nfkc=True)
    if s is None:
        return None
    if re.fullmatch(r"\d{5}(\.0+)?", s):
        return _from_serial(float(s), value, label)
    s = s.replace("年底前", "年底").rstrip("前")
    for pattern, has_day in _DATE_FORMS:
        m = pattern.match(s)
        if not m:
            continue
        year = int(m.group(1))
        try:
            if has_day:
                return date(year, int(m.group(2)), int(m.group(3)))
            if has_day is False:
                month = int(m.group(2))
                return date(year, month, calendar.monthrange(year, month)[1])
            return date(year, 12, 31)
        except ValueError:
            break
    raise CellError(f"{label}“{shown(value)}”不是可识别的日期（可填 2023-11-30、2023/11/30、2023年11月30日 或 2023年11月）")


def _from_serial(serial: float, original, label: str) -> date:
    lo, hi = EXCEL_SERIAL_RANGE
    if not (lo <= serial <= hi) or not serial.is_integer():
        raise CellError(f"{label}“{shown(original)}”不是可识别的日期")
    return EXCEL_EPOCH + timedelta(days=int(serial))


def split_list(value) -> list[str]:
    s = clean_text(value)
    if s is None:
        return []
    return [p for p in (x.strip() for x in re.split(r"[、,，;；/|\s]+", s)) if p]


TEXT_TIME_FORMATS = ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y/%m/%d %H:%M:%S", "%Y/%m/%d %H:%M",
                     "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d", "%Y/%m/%d")


def read_time(value, label: str) -> datetime | None:
    """Excel datetimes, Excel serial numbers and YYYY-MM-DD HH:MM[:SS] text; a bare date means 00:00."""
    if isinstance(value, datetime):
        return (value + timedelta(microseconds=500_000)).replace(microsecond=0)  # Excel stores fractions of a day
    if isinstance(value, date):
        return datetime.combine(value, time())
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if not EXCEL_SERIAL_RANGE[0] <= value <= EXCEL_SERIAL_RANGE[1]:
            raise CellError(f"{label}“{shown(value)}”不是可识别的时间")
        return read_time(datetime.combine(EXCEL_EPOCH, time()) + timedelta(days=float(value)), label)
    s = clean_text(value, nfkc=True)
    if s is None:
        return None
    if re.fullmatch(r"\d{5}(\.\d+)?", s):  # a datetime cell saved to CSV as its serial number
        return read_time(float(s), label)
    for fmt in TEXT_TIME_FORMATS:
        try:
            return datetime.strptime(s, fmt)
        except ValueError:
            pass
    raise CellError(f"{label}“{shown(value)}”不是可识别的时间（应为 YYYY-MM-DD HH:MM，如 2026-10-05 09:30）")
