"""Exceedance events and daily loads of pollution-source outlets, through ingestion and the real dbt project.

W1 (wastewater, COD limit 100 mg/L on the measured mean; flow 36 m³ each hour):
  10-01 22:00 COD 120, 23:00 130, 10-02 00:00 110 → one event across midnight: 3 h, max 130 (1.30 × limit), mean 120;
  01:00 90 (below); 02:00 150 flagged M (invalid: ends nothing, counts nothing); 03:00 105 → a second event of 1 h.
  Loads (G = D × C × 10⁻³): 10-01: (120 + 130) × 36 / 1000 = 9.00 kg; 10-02: (110 + 90 + 105) × 36 / 1000 = 10.98 kg
  from 3 valid hours.
G1 (flue gas, SO2 limit 35 mg/m³ on the converted 折算 mean; 180 000 m³ in the hour):
  10-01 05:00 SO2 30 measured, 40 converted → an event (40 / 35 = 1.14) although 30 < 35; load 30 × 180000 × 10⁻⁶ =
  5.40 kg.
Yearly totals (t): 柯城区 330802 COD (9.00 + 10.98) / 1000 = 0.01998, 龙游县 330825 SO2 0.0054; the city 330800 is
their sum. Against the seed's 2015 city baseline of industrial COD, 5915.3 t (003): (0.01998 − 5915.3) / 5915.3 =
−99.9997 % → −100.00; SO2 has no baseline in the seed (003 gives none), so its change is null, not 0; no year is
complete, so no target is judged.
"""
from __future__ import annotations

from datetime import datetime
from decimal import Decimal

import pytest
from conftest import dbt_build, query

from ecowarehouse.hj212.packet import build_frame
from ecowarehouse.ingest import pipeline

W1, G1 = "33080200000000000000WS01", "33082500000000000000FQ01"


def packet(mn, st, t: datetime, factors: str) -> str:
    return build_frame(f"QN={t:%Y%m%d%H%M%S}000;ST={st};CN=2061;PW=123456;MN={mn};Flag=4;"
                       f"CP=&&DataTime={t:%Y%m%d%H%M%S};{factors}&&")


def water(t, cod, flag="N"):
    return packet(W1, 32, t, f"w01018-Avg={cod},w01018-Flag={flag};w00000-Avg=10,w00000-Cou=36,w00000-Flag=N")


@pytest.fixture(scope="module")
def built(warehouse, tmp_path_factory):
    from conftest import reset_warehouse

    reset_warehouse(warehouse)
    folder = tmp_path_factory.mktemp("exceed")
    lines = [
        water(datetime(2026, 10, 1, 22), 120), water(datetime(2026, 10, 1, 23), 130),
        water(datetime(2026, 10, 2, 0), 110), water(datetime(2026, 10, 2, 1), 90),
        water(datetime(2026, 10, 2, 2), 150, "M"), water(datetime(2026, 10, 2, 3), 105),
        packet(G1, 31, datetime(2026, 10, 1, 5), "a21026-Avg=30,a21026-ZsAvg=40,a21026-Flag=N;"
                                                 "a00000-Avg=50,a00000-Cou=180000,a00000-Flag=N"),
    ]
    (folder / "p.txt").write_text("\r\n".join(lines) + "\r\n", encoding="ascii")
    assert [r.rows_loaded for r in pipeline.ingest_paths([folder])] == [7]
    dbt_build(folder, "resource_type:seed", "+fct_source_exceedance_events", "+fct_source_emission_annual",
              period="2026-10")
    return warehouse


def test_exceedance_events_by_hand(built):
    assert query(built, """select mn, pollutant_code, event_start::text, event_end::text, hours, max_value, mean_value,
                               max_multiple_of_limit, basis
                        from marts_audit.fct_source_exceedance_events order by 1, 3""") == [
        (W1, "w01018", "2026-10-01 22:00:00", "2026-10-02 01:00:00", 3, 130.0, Decimal("120.000"), Decimal("1.30"), "avg"),
        (W1, "w01018", "2026-10-02 03:00:00", "2026-10-02 04:00:00", 1, 105.0, Decimal("105.000"), Decimal("1.05"), "avg"),
        (G1, "a21026", "2026-10-01 05:00:00", "2026-10-01 06:00:00", 1, 40.0, Decimal("40.000"), Decimal("1.14"), "zs_avg"),
    ]


def test_daily_loads_by_hand(built):
    assert query(built, """select mn, day::text, pollutant_code, load_kg, hours_counted
                        from marts_audit.fct_source_emission_daily order by 1, 2""") == [
        (W1, "2026-10-01", "w01018", Decimal("9.0000"), 2),
        (W1, "2026-10-02", "w01018", Decimal("10.9800"), 3),
        (G1, "2026-10-01", "a21026", Decimal("5.4000"), 1),
    ]


def test_yearly_totals_against_the_2015_baseline(built):
    assert query(built, """select area_code, pollutant_code, monitored_load_t, outlets_reporting, base_emission_t,
                               change_vs_base_pct, is_full_year, meets_reduction_target
                        from marts_audit.fct_source_emission_annual order by 1, 2""") == [
        ("330800", "a21026", Decimal("0.0054"), 1, None, None, False, None),
        ("330800", "w01018", Decimal("0.0200"), 1, 5915.3, Decimal("-100.00"), False, None),
        ("330802", "w01018", Decimal("0.0200"), 1, None, None, False, None),
        ("330825", "a21026", Decimal("0.0054"), 1, None, None, False, None),
    ]
