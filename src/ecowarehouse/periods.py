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
