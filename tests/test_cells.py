"""How clerks type dates, numbers and percentages in county forms."""
from __future__ import annotations

from datetime import date, datetime

import pytest

from ecowarehouse.ingest.cells import CellError, read_date, read_integer, read_number, read_percent, split_list


@pytest.mark.parametrize("typed,expected", [
    (date(2023, 11, 30), date(2023, 11, 30)),
    (datetime(2023, 11, 30, 0, 0), date(2023, 11, 30)),
    (45260, date(2023, 11, 30)),          # Excel serial: 1899-12-30 + 45260 days
    (45260.0, date(2023, 11, 30)),
    ("45657", date(2024, 12, 31)),
    ("2023/11/30", date(2023, 11, 30)),
    ("2023.11.30", date(2023, 11, 30)),
    ("2023-11-30", date(2023, 11, 30)),
    ("2023年11月30日", date(2023, 11, 30)),
    ("20231130", date(2023, 11, 30)),
    ("2023年11月", date(2023, 11, 30)),   # a month means "by the end of" it
    ("2023.11", date(2023, 11, 30)),
    ("2024年2月", date(2024, 2, 29)),
    ("2023年12月底前", date(2023, 12, 31)),
    ("2025年底", date(2025, 12, 31)),
    ("２０２３年１１月", date(2023, 11, 30)),  # full-width digits
    ("", None), ("/", None), (None, None),
])
def test_dates_as_typed(typed, expected):
    assert read_date(typed, "整改完成时限") == expected


@pytest.mark.parametrize("typed", ["明年", "2023-13-01", "2023年2月30日", 12.5, 99999999])
def test_unreadable_dates_name_what_was_typed(typed):
    with pytest.raises(CellError) as exc:
        read_date(typed, "整改完成时限")
    assert "整改完成时限" in exc.value.reason_zh


def test_numbers_and_percentages():
    assert read_integer("12人", "职工人数") == 12
    assert read_number("1,250", "x") == 1250.0
    with pytest.raises(CellError):
        read_integer("12.5", "职工人数")
    with pytest.raises(CellError):
        read_number("很多", "职工人数")
    assert read_percent("85%", "完成百分比") == 85.0
    assert read_percent("85％", "完成百分比") == 85.0
    assert read_percent(85, "完成百分比") == 85.0
    assert read_percent(0.85, "完成百分比", fraction=True) == 85.0


def test_lists_split_on_any_separator_clerks_use():
    assert split_list("污染防治、环境管理；风险防控,节能降耗") == ["污染防治", "环境管理", "风险防控", "节能降耗"]
