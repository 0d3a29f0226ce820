"""HJ 212-2017 packet files through ingestion and the real dbt project.

Hand-made packets (frames built with the Appendix A CRC) of the registered demo outlets:
file 1 — outlet W1 (ST 32) 2026-10-01 00:00: COD 40, NH3-N 2.5, flow 10 L/s (36 m³), all N; 01:00: COD 45 flagged M
  (maintenance); outlet W2 00:00 in HJ/T 212-2005 codes (011 COD 50, 060 NH3-N 3); outlet G1 (ST 31) 00:00 split over
  two frames (PNUM 2: SO2 in the first, NOx in the second); a frame whose CRC was corrupted; a centre's request (CN 2061
  with BeginTime/EndTime, no values).
file 2 — W1 00:00 sent again with COD 42: the later batch replaces it.
Counts: file 1 has 7 lines = 6 packets loaded + 1 quarantined; file 2 has 1.
Transmission of W1 in October: 2 hours received, 1 all-valid, of 31 × 24 = 744 → 0.27 % and 0.13 %.
"""
from __future__ import annotations

import csv
from decimal import Decimal
from pathlib import Path

import pytest
from conftest import dbt_build, query

from ecowarehouse.hj212.packet import build_frame as frame
from ecowarehouse.ingest import hj212_packets, pipeline

W1, W2, G1 = "33080200000000000000WS01", "33080300000000000000WS02", "33082500000000000000FQ01"
REFERENCE = Path(__file__).resolve().parents[2] / "shared" / "reference" / "hj212_packets.tsv"


def packet(mn, st, data_time, factors, flag="4", extra=""):
    return frame(f"QN={data_time}000;ST={st};CN=2061;PW=123456;MN={mn};Flag={flag}{extra};"
                 f"CP=&&DataTime={data_time};{factors}&&")


FILE1 = [
    packet(W1, 32, "20261001000000", "w01018-Avg=40,w01018-Flag=N;w21003-Avg=2.5,w21003-Flag=N;"
                                      "w00000-Avg=10,w00000-Cou=36,w00000-Flag=N"),
    packet(W1, 32, "20261001010000", "w01018-Avg=45,w01018-Flag=M"),
    packet(W2, 32, "20261001000000", "011-Avg=50,011-Flag=N;060-Avg=3,060-Flag=N"),
    packet(G1, 31, "20261001000000", "a21026-Avg=20,a21026-ZsAvg=24,a21026-Flag=N", "6", ";PNUM=2;PNO=1"),
    packet(G1, 31, "20261001000000", "a21002-Avg=60,a21002-ZsAvg=72,a21002-Flag=N", "6", ";PNUM=2;PNO=2"),
    packet(W1, 32, "20261001020000", "w01018-Avg=41,w01018-Flag=N")[:-4] + "0000",
    frame(f"QN=20261001030000000;ST=32;CN=2061;PW=123456;MN={W1};Flag=5;CP=&&BeginTime=20261001000000,"
          "EndTime=20261001020000&&"),
]
FILE2 = [packet(W1, 32, "20261001000000", "w01018-Avg=42,w01018-Flag=N;w21003-Avg=2.5,w21003-Flag=N;"
                                           "w00000-Avg=10,w00000-Cou=36,w00000-Flag=N")]


@pytest.mark.skipif(not REFERENCE.exists(), reason=f"reference packets not found: {REFERENCE}")
def test_reference_packets_reconcile():
    with open(REFERENCE, encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh, delimiter="\t"))
    parsed = hj212_packets.parse(("\n".join(r["packet"] for r in rows) + "\n").encode())
    bad_frames = sum(r["verdict"] == "INVALID" for r in rows)
    # every INVALID frame is quarantined; of the valid ones, the lone second half of a split packet is too
    assert bad_frames == 8
    assert (parsed.received, len(parsed.packets), len(parsed.rejects)) == (40, 31, 9)
    assert sorted(r["reason_code"] for r in parsed.rejects) == (
        ["hj212:crc_mismatch"] * 5 + ["hj212:incomplete_split"] + ["hj212:length_mismatch"] * 3)


@pytest.fixture(scope="module")
def loaded(warehouse, tmp_path_factory):
    from conftest import reset_warehouse

    reset_warehouse(warehouse)
    folder = tmp_path_factory.mktemp("hj212")
    (folder / "a.txt").write_text("\r\n".join(FILE1) + "\r\n", encoding="ascii")
    first = pipeline.ingest_paths([folder / "a.txt"])
    (folder / "b.txt").write_text("\r\n".join(FILE2) + "\r\n", encoding="ascii")
    second = pipeline.ingest_paths([folder / "b.txt"])
    dbt_build(folder, "resource_type:seed", "+fct_source_hourly", "+fct_source_transmission_monthly", period="2026-10")
    return warehouse, first + second


def test_packets_reconcile_and_bad_frames_are_quarantined(loaded):
    warehouse, results = loaded
    assert [(r.kind, r.rows_received, r.rows_loaded, r.rows_quarantined) for r in results] == [
        ("hj212_packets", 7, 6, 1), ("hj212_packets", 1, 1, 0)]
    [(code, county, record)] = query(warehouse, "select reason_code, county_code, record->>'packet' from quarantine.rows")
    assert code == "hj212:crc_mismatch" and county == "330802" and record.endswith("0000")


def test_hourly_values_by_hand(loaded):
    warehouse, _ = loaded
    rows = query(warehouse, """select mn, hour_start::text, pollutant_code, value_avg, value_zs_avg, value_cou, data_flag,
                                   is_valid, is_legacy_code
                            from marts_audit.fct_source_hourly order by 1, 2, 3""")
    assert rows == [
        (W1, "2026-10-01 00:00:00", "w00000", 10.0, None, 36.0, "N", True, False),
        (W1, "2026-10-01 00:00:00", "w01018", 42.0, None, None, "N", True, False),  # the re-send wins
        (W1, "2026-10-01 00:00:00", "w21003", 2.5, None, None, "N", True, False),
        (W1, "2026-10-01 01:00:00", "w01018", 45.0, None, None, "M", False, False),
        (W2, "2026-10-01 00:00:00", "w01018", 50.0, None, None, "N", True, True),   # 011 → w01018
        (W2, "2026-10-01 00:00:00", "w21003", 3.0, None, None, "N", True, True),    # 060 → w21003
        (G1, "2026-10-01 00:00:00", "a21002", 60.0, 72.0, None, "N", True, False),  # second frame of the split
        (G1, "2026-10-01 00:00:00", "a21026", 20.0, 24.0, None, "N", True, False),
    ]


def test_transmission_and_validity_rates(loaded):
    warehouse, _ = loaded
    assert query(warehouse, """select hours_expected, hours_received, hours_valid, transmission_rate_pct, validity_rate_pct
                            from marts_audit.fct_source_transmission_monthly where mn = '{}'""".format(W1)) == [
        (744, 2, 1, Decimal("0.27"), Decimal("0.13"))]
