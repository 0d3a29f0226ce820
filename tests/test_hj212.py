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


# --- batch API: check_frames / parse_segments / iter_parse_segments and the numpy CRCs -----------------------------

import random  # noqa: E402

from ecowarehouse.hj212 import (check_frames, crc_hj212_many, crc_modbus_many, iter_parse_segments,  # noqa: E402
                                parse_segments)
from ecowarehouse.hj212 import packet as hj212_packet  # noqa: E402

STANDARD_SEGMENT = ("QN=20160801085857223;ST=32;CN=1062;PW=100000;MN=010000A8900016F000169DC0;Flag=5;"
                    "CP=&&RtdInterval=30&&")


def _reference_segments():
    return [row["packet"].encode()[6:-4] for row in _rows()]


def _random_bytes(rnd, count, longest):
    sizes = [0, 1, 7, 8, 9, 15, 16, 17, longest] + [rnd.randrange(longest + 1) for _ in range(count)]
    return [bytes(rnd.randrange(256) for _ in range(n)) for n in sizes]


def test_batch_crc_equals_scalar_crc():
    # HJ 212-2017 Appendix A check value and the standard's example, then the 40 real segments and random data, each
    # against the scalar reference implementation
    assert crc_hj212_many([b"123456789", STANDARD_SEGMENT]) == [0x2F80, 0x1C80]
    assert crc_modbus_many([b"123456789"]) == [0x4B37]
    data = _reference_segments() + _random_bytes(random.Random(212), 300, 2000) + [bytes(range(256)) * 39]
    assert crc_hj212_many(data) == [crc_hj212(d) for d in data]
    assert crc_modbus_many(data) == [crc_modbus(d) for d in data]
    assert crc_hj212_many([]) == crc_modbus_many([]) == []


@pytest.mark.skipif(not PACKETS.exists(), reason="shared/reference not beside the repository")
def test_batch_verdicts_equal_single_verdicts():
    packets = [row["packet"] for row in _rows()]
    for batch in (packets, [p.encode() for p in packets], [p + "\r\n" for p in packets], packets[::-1] * 3):
        frames = check_frames(batch)
        assert frames == [check_frame(p) for p in batch]
    for frame, row in zip(check_frames(packets), _rows()):
        assert frame.verdict == row["verdict"]
        assert hash(frame) == hash(check_frame(row["packet"]))


def test_batch_frames_of_every_kind():
    body = "QN=1;ST=32;CN=2011;PW=1;MN=1;Flag=4;CP=&&DataTime=20240101000000;w01018-Rtd=12.5,w01018-Flag=N&&"
    data = body.encode()
    crc, modbus = crc_hj212(data), crc_modbus(data)
    swapped = ((modbus & 0xFF) << 8) | (modbus >> 8)
    size = f"{len(data):04d}"
    packets = [f"##{size}{body}{crc:04X}", f"##{size}{body}{crc:04x}", f"##{size}{body}{swapped:04X}",
               f"##{size}{body}{crc ^ 1:04X}", f"##{len(data) + 1:04d}{body}{crc:04X}", f"#{size}{body}{crc:04X}",
               f"##{size}{body}0x{crc & 0xFF:02X}", f"##12a4{body}{crc:04X}", "##000", "##0000FFFF", "##0000ffff", ""]
    frames = check_frames(packets)
    assert frames == [check_frame(p) for p in packets]
    assert [f.verdict for f in frames[:5]] == ["VALID", "VALID", "VALID_MODBUS_LE", "INVALID", "INVALID"]


@pytest.fixture(params=["interpreted", "compiled"])
def layouts(request, monkeypatch):
    # "compiled": every key sequence is compiled from its second sighting on, so the repeats below go through it
    monkeypatch.setattr(hj212_packet, "_SHAPES", {})
    if request.param == "compiled":
        monkeypatch.setattr(hj212_packet, "_COMPILE_AFTER", 1)
    return request.param


@pytest.mark.skipif(not PACKETS.exists(), reason="shared/reference not beside the repository")
def test_batch_parse_equals_single_parse(layouts):
    segments = [f.segment for f in map(check_frame, (row["packet"] for row in _rows())) if f.verdict != "INVALID"]
    expected = [parse_segment(s) for s in segments]
    for _ in range(3):
        assert parse_segments(segments) == expected
        assert list(iter_parse_segments(iter(segments))) == expected
        assert parse_segments([s.decode() for s in segments]) == expected


def _mutations(rnd, texts, count):
    pieces = ["a", "-", "=", ";", ",", "&", "&&", "CP=&&", "CP", "\x00", "é", "1", "DataTime", "a21005-Rtd", "=&&",
              "\r"]
    out = []
    for _ in range(count):
        chars = list(rnd.choice(texts))
        for _ in range(rnd.randrange(1, 4)):
            at = rnd.randrange(len(chars) + 1)
            op = rnd.randrange(3)
            if op == 0 or not chars:
                chars.insert(at, rnd.choice(pieces))
            elif op == 1:
                del chars[min(at, len(chars) - 1)]
            else:
                chars[min(at, len(chars) - 1)] = rnd.choice(pieces)
        out.append("".join(chars))
    return out


def _parse_or_none(segment):
    try:
        return parse_segment(segment)
    except UnicodeDecodeError:
        return None


def test_batch_parse_matches_parse_segment_on_odd_segments(layouts):
    texts = [STANDARD_SEGMENT, "QN=1;ST=32;CP=&&a-b=1,a-c=2;d-b=3&&", "CP=&&&&", "CP=&&", "", "&&",
             "QN=1,ST=2;CP=&&a-b=1&&", "a-b-c=1;CP=&&x-y-z=2,x-=3,-q=4;x-y-z=5&&tail", "QN=1;CP=&&a=1=2,b&&",
             "XCP=&&a=1&&", "Q=&&a=1,CP=&&",
             "QN=1;CP=&&DataTime=1;a-Rtd=-0.5,a-Flag=N;QN=2&&", "QN=1;CP=&x&a-b=1&&", "QN=1;CP=&&a-b=1&x&"]
    rnd = random.Random(2017)
    cases = texts + _mutations(rnd, texts + [s.decode() for s in _reference_segments()], 4000)
    as_bytes = [c.encode("utf-8", "surrogatepass") for c in cases] + [b"QN=1;CP=&&a-b=\xff&&", b"\xc3;CP=&&&&"]
    for batch in (cases, as_bytes, cases, as_bytes[::-1]):  # repeated: first sightings, then known layouts
        assert parse_segments(batch) == [_parse_or_none(s) for s in batch]


def test_batch_parse_with_tiny_caches(monkeypatch, layouts):
    # every cache evicted over and over: the results must not depend on what is cached
    monkeypatch.setattr(hj212_packet, "_SHAPES_MAX", 3)
    monkeypatch.setattr(hj212_packet, "_LAYOUTS_MAX", 6)
    monkeypatch.setattr(hj212_packet, "_layouts_seen", 0)
    monkeypatch.setattr(hj212_packet, "_FACTOR_KEYS_MAX", 5)
    segments = [f"QN={i};ST=32;CP=&&DataTime={i};a{i % 7}-Rtd={i}.5,a{i % 7}-Flag=N;b{i % 3}-Avg={i}&&"
                for i in range(60)]
    segments += [f"QN={i};CP=&&a{i % 5}-Rtd={i}&&" for i in range(60)]
    for _ in range(3):
        assert parse_segments(segments) == [parse_segment(s) for s in segments]


def test_batch_check_of_random_frames():
    rnd = random.Random(6)
    bodies = _mutations(rnd, [STANDARD_SEGMENT, "QN=1;ST=32;CP=&&a-b=1,a-c=2&&"], 300)
    packets = []
    for body in bodies:
        data = body.encode()
        modbus = crc_modbus(data)
        packets += [f"##{len(data):04d}{body}{crc_hj212(data):04X}",
                    f"##{len(data):04d}{body}{((modbus & 0xFF) << 8) | (modbus >> 8):04X}",
                    f"##{len(data):04d}{body}{rnd.randrange(65536):04X}"]
    packets += _mutations(rnd, packets[:50], 300)
    assert check_frames(packets) == [check_frame(p) for p in packets]
