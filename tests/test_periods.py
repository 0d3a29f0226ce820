"""Which month a monthly run assesses."""
from datetime import datetime

import pytest

from ecowarehouse import periods


def test_explicit_period_wins():
    assert periods.resolve("2020-06", datetime(2026, 11, 5)) == "2020-06"


def test_scheduled_run_assesses_the_month_that_just_closed():
    assert periods.resolve(None, datetime(2026, 11, 5, 6)) == "2026-10"
    assert periods.resolve("", datetime(2027, 1, 5)) == "2026-12"  # across the year boundary


@pytest.mark.parametrize("bad", ["2026-13", "2026-1", "202610", "2026-10-01", "'; drop table x; --"])
def test_malformed_periods_are_refused(bad):
    with pytest.raises(ValueError):
        periods.resolve(bad, None)
