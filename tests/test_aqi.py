"""HJ 633 IAQI/AQI against the worked examples of ../shared/standards/standards-air.md §1.6 (hand-checked there)."""
from datetime import date

import pytest

from ecowarehouse.standards import aqi


@pytest.mark.parametrize(
    "item,conc,expected",
    [
        ("pm2_5_24h", 35, 50),      # on a breakpoint
        ("pm2_5_24h", 35.5, 51),    # ceil(50.625)
        ("pm2_5_24h", 75, 100),     # breakpoint = GB 3095 grade II
        ("pm2_5_24h", 75.1, 101),   # ceil(100.25)
        ("pm2_5_24h", 115.2, 151),
        ("pm2_5_24h", 12.3, 18),    # ceil(17.57)
        ("pm10_24h", 150.6, 101),
        ("co_24h", 2.5, 63),        # ceil(62.5)
        ("co_24h", 3.5, 88),
        ("o3_8h", 160.5, 101),
        ("so2_24h", 500, 154),      # 150 + 50·25/325 = 153.85
        ("no2_24h", 40.5, 51),
        ("o3_1h", 201, 101),
        ("pm2_5_24h", 0, 0),
        ("pm2_5_24h", 500, 500),    # top of the table
    ],
)
def test_iaqi_worked_examples_hj633_2012(item, conc, expected):
    assert aqi.iaqi(item, conc, "HJ 633-2012") == expected


def test_table_notes_hand_over_to_other_item():
    # Table 1 note 3: O3 8-h above 800 has no 8-h IAQI; note 2: SO2 1-h above 800 likewise
    assert aqi.iaqi("o3_8h", 801, "HJ 633-2012") is None
    assert aqi.iaqi("so2_1h", 801, "HJ 633-2012") is None
    # other items above the table are reported at the table maximum
    assert aqi.iaqi("pm2_5_24h", 650, "HJ 633-2012") == 500


def test_2026_revision_moves_pm_breakpoints():
    # HJ 633-2026: IAQI 100 at PM2.5 60 and PM10 120 (was 75 / 150)
    assert aqi.iaqi("pm2_5_24h", 60, "HJ 633-2026") == 100
    assert aqi.iaqi("pm2_5_24h", 75, "HJ 633-2026") == 114  # 100 + 50·15/55 = 113.6 → 114
    assert aqi.iaqi("pm10_24h", 120, "HJ 633-2026") == 100
    assert aqi.iaqi("co_24h", 2.5, "HJ 633-2026") == 63  # unchanged items


def test_version_by_effective_date():
    assert aqi.version(on=date(2026, 2, 28)).standard_code == "HJ 633-2012"
    assert aqi.version(on=date(2026, 3, 1)).standard_code == "HJ 633-2026"
    assert aqi.version(on=date(2015, 1, 1)).standard_code == "HJ 633-2012"


def test_daily_aqi_primary_and_nonattainment():
    # PM2.5 77 → 102.5 → 103; PM10 100 → 75; O3-8h 100 → 50: AQI 103, primary and non-attainment PM2.5
    d = aqi.daily_aqi({"pm2_5_24h": 77, "pm10_24h": 100, "o3_8h": 100})
    assert (d.aqi, d.primary_pollutants, d.nonattainment_pollutants) == (103, ("PM2.5",), ("PM2.5",))


def test_no_primary_pollutant_at_or_below_50():
    # PM2.5 35 → 50 and PM10 50 → 50: AQI 50, a tie, but AQI ≤ 50 names no primary pollutant (§3.3)
    d = aqi.daily_aqi({"pm2_5_24h": 35, "pm10_24h": 50})
    assert d.aqi == 50 and d.primary_pollutants == ()


def test_ties_list_every_primary_pollutant():
    # PM2.5 75 → 100 and PM10 150 → 100
    d = aqi.daily_aqi({"pm2_5_24h": 75, "pm10_24h": 150})
    assert d.aqi == 100 and d.primary_pollutants == ("PM10", "PM2.5") and d.nonattainment_pollutants == ()
