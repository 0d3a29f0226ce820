"""HJ 212-2017 frames: every one of the 40 real packets of ../shared/reference/hj212_packets.tsv gets its verdict."""
import csv
from pathlib import Path

import pytest

from ecowarehouse.hj212 import check_frame, crc_hj212, crc_modbus, parse_segment

PACKETS = Path(__file__).resolve().parents[2] / "shared" / "reference" / "hj212_packets.tsv"


def _rows():
    if not PACKETS.exists():
        return []
    with open(PACKETS, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh, delimiter="\t"))


def test_check_values():
    # Appendix A check value, and CRC-16/MODBUS for contrast (the standards digest §5)
    assert crc_hj212(b"123456789") == 0x2F80
    assert crc_modbus(b"123456789") == 0x4B37


def test_standard_example_packet():
    # the standard's own example (its prose says 1C08, a typo; the packet and the algorithm say 1C80)
    f = check_frame("##0101QN=20160801085857223;ST=32;CN=1062;PW=100000;MN=010000A8900016F000169DC0;Flag=5;"
                    "CP=&&RtdInterval=30&&1C80\r\n")
    assert (f.verdict, f.declared_len, f.crc_variant) == ("VALID", 101, "HJ212-AppA")


@pytest.mark.skipif(not PACKETS.exists(), reason="shared/reference not beside the repository")
def test_reference_file_has_40_packets():
    assert len(_rows()) == 40


@pytest.mark.parametrize("row", _rows(), ids=lambda r: f"{r['verdict']}-{r['crc_in_packet']}-{r['declared_len']}")
def test_every_reference_packet_gets_its_verdict(row):
    f = check_frame(row["packet"])
    assert f.verdict == row["verdict"]
    assert f.actual_len == int(row["actual_len"])
    if row["verdict"] == "VALID":
        assert f.crc_variant == "HJ212-AppA"
    elif row["verdict"] == "VALID_MODBUS_LE":
        assert f.crc_variant == "MODBUS-byteswapped"
    else:
        assert f.reason_code in ("length_mismatch", "crc_mismatch") and f.reason_zh
        if row["declared_len"] != row["actual_len"]:
            assert f.reason_code == "length_mismatch"
        else:
            assert f.reason_code == "crc_mismatch" and row["crc_hj212_appA"].upper() in f.reason_zh


def test_lower_case_crc_is_accepted():
    body = "QN=1;ST=32;CN=2011;PW=123456;MN=1;Flag=4;CP=&&DataTime=20240101000000;w01018-Rtd=12.5,w01018-Flag=N&&"
    crc = f"{crc_hj212(body.encode()):04x}"
    assert check_frame(f"##{len(body):04d}{body}{crc}\r\n").verdict == "VALID"


def test_length_counts_bytes_not_characters():
    body = "QN=1;ST=91;CN=9013;PW=1;MN=1;Flag=4;CP=&&Info=设备重启&&"
    crc = f"{crc_hj212(body.encode()):04X}"
    assert check_frame(f"##{len(body.encode()):04d}{body}{crc}").verdict == "VALID"
    assert check_frame(f"##{len(body):04d}{body}{crc}").reason_code == "length_mismatch"


def test_segment_fields_and_factors():
    header, factors = parse_segment(
        "QN=20240123123205877;ST=32;CN=2011;PW=123456;MN=000101;Flag=5;CP=&&DataTime=20240123123200;"
        "w01018-SampleTime=20240123110306,w01018-Rtd=4653.8,w01018-Flag=N;w00000-Rtd=3.41,w00000-Flag=N&&")
    assert header["ST"] == "32" and header["CN"] == "2011" and header["DataTime"] == "20240123123200"
    assert factors == {"w01018": {"SampleTime": "20240123110306", "Rtd": "4653.8", "Flag": "N"},
                       "w00000": {"Rtd": "3.41", "Flag": "N"}}



def test_build_frame_reproduces_the_standard_example():
    from ecowarehouse.hj212.packet import build_frame

    segment = "QN=20160801085857223;ST=32;CN=1062;PW=100000;MN=010000A8900016F000169DC0;Flag=5;CP=&&RtdInterval=30&&"
    assert build_frame(segment) == "##0101" + segment + "1C80"
