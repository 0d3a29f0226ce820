"""The month a monthly run assesses."""
from __future__ import annotations

import re
from datetime import date, datetime

PERIOD_RE = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")


def validate(period: str) -> str:
    if not isinstance(period, str) or not PERIOD_RE.match(period):
        raise ValueError(f"period must be YYYY-MM, got {period!r}")
    return period


def previous_month(moment: date | datetime) -> str:
    """A scheduled run assesses the month before its logical date (the month that has just closed)."""
    year, month = (moment.year, moment.month - 1) if moment.month > 1 else (moment.year - 1, 12)
    return f"{year:04d}-{month:02d}"


def resolve(param: str | None, logical_date: date | datetime | None) -> str:
    if param:
        return validate(param.strip())
    if logical_date is None:
        raise ValueError("no period given and no logical date to derive it from")
    return previous_month(logical_date)


# ---------------------------------------------------------------- reporting periods of county submissions
import calendar  # noqa: E402
import unicodedata  # noqa: E402
from dataclasses import dataclass  # noqa: E402

_CN_DIGITS = {"一": 1, "二": 2, "三": 3, "四": 4, "1": 1, "2": 2, "3": 3, "4": 4}
_QUARTER_RE = re.compile(r"(\d{4})\s*(?:年度?)?\s*[-_]?\s*(?:第\s*([1-4一二三四])\s*季度?|([1-4一二三四])\s*季度|Q([1-4]))", re.I)
_MONTH_RE = re.compile(r"(\d{4})\s*(?:年|[-/.])\s*(\d{1,2})\s*月?(?!\d)")
_COMPACT_MONTH_RE = re.compile(r"(?<!\d)(\d{4})(0[1-9]|1[0-2])(?!\d)")


@dataclass(frozen=True)
class ReportPeriod:
    """A reporting period: a month ``2026-10`` or a quarter ``2023-Q3``."""

    code: str
    frequency: str  # month | quarter
    start: date
    end: date

    @classmethod
    def month(cls, year: int, month: int) -> "ReportPeriod":
        return cls(f"{year:04d}-{month:02d}", "month", date(year, month, 1),
                   date(year, month, calendar.monthrange(year, month)[1]))

    @classmethod
    def quarter(cls, year: int, q: int) -> "ReportPeriod":
        last = 3 * q
        return cls(f"{year:04d}-Q{q}", "quarter", date(year, last - 2, 1),
                   date(year, last, calendar.monthrange(year, last)[1]))

    @classmethod
    def from_code(cls, code: str) -> "ReportPeriod":
        found = parse_report_period(code)
        if found is None or found.code != code:
            raise ValueError(f"not a period code: {code!r}")
        return found

    def due_date(self, due_month_offset: int, due_day: int) -> date:
        """The day a submission for this period is due: ``due_day`` of the period's last month + offset."""
        y, m = self.end.year, self.end.month + due_month_offset
        y, m = y + (m - 1) // 12, (m - 1) % 12 + 1
        return date(y, m, min(due_day, calendar.monthrange(y, m)[1]))


def parse_report_period(text) -> ReportPeriod | None:
    """The period a county wrote on its form: 2026年10月, 2026-10, 2026.10, 202610; 2023年第3季度, 2023年三季度,
    2023Q3. Returns None when there is none."""
    if text is None:
        return None
    if isinstance(text, (date, datetime)):
        return ReportPeriod.month(text.year, text.month)
    s = unicodedata.normalize("NFKC", str(text)).strip()
    m = _QUARTER_RE.search(s)
    if m:
        q = next(g for g in m.groups()[1:] if g)
        return ReportPeriod.quarter(int(m.group(1)), _CN_DIGITS[q])
    for pattern in (_MONTH_RE, _COMPACT_MONTH_RE):
        m = pattern.search(s)
        if m and 1 <= int(m.group(2)) <= 12:
            return ReportPeriod.month(int(m.group(1)), int(m.group(2)))
    return None
