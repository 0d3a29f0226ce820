"""Files of HJ 212-2017 packets as data loggers and receivers store them: one packet per line, optionally after a
receiver's timestamp. Each line is one received row: a frame that fails the header, length or CRC check (Appendix A;
the Modbus low-byte-first variant is recognised and recorded) goes to quarantine with its reason, never dropped.

Packets split over several frames (Flag bit D, PNUM/PNO) are reassembled by (MN, QN, CN); a split packet still
incomplete at the end of the file is quarantined part by part.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime

from ecowarehouse.hj212.packet import check_frames, iter_parse_segments
from ecowarehouse.ingest.formats import FileRejected, decode_text

DATA_COMMANDS = {"2011", "2051", "2061", "2031"}  # real-time, minute, hourly, daily pollutant data (Table 9)
VALUE_FIELDS = {"Rtd": "rtd", "Avg": "avg", "Min": "min", "Max": "max", "Cou": "cou", "ZsRtd": "zs_rtd",
                "ZsAvg": "zs_avg", "ZsMin": "zs_min", "ZsMax": "zs_max"}
PACKET_COLUMNS = ["source_row", "mn", "st", "cn", "qn", "flag", "pnum", "pno", "data_time", "crc_variant", "segment_len"]
VALUE_COLUMNS = ["source_row", "mn", "st", "cn", "data_time", "code", *VALUE_FIELDS.values(), "data_flag"]
_MN = re.compile(r"MN=([^;&]*)")


def looks_like_packets(text: str) -> bool:
    for line in text.splitlines()[:20]:
        if line.strip():
            return "##" in line and re.search(r"##\d{4}", line) is not None
    return False


@dataclass
class ParsedPackets:
    packets: list[list] = field(default_factory=list)
    values: list[list] = field(default_factory=list)
    rejects: list[dict] = field(default_factory=list)
    received: int = 0


def _data_time(text: str | None) -> datetime | None:
    if not text:
        return None
    try:
        return datetime.strptime(text[:14], "%Y%m%d%H%M%S")
    except ValueError:
        return None


def _number(text: str | None) -> float | None:
    if text is None or text == "":
        return None
    return float(text)


def _reject(out: ParsedPackets, line_no: int, code: str, zh: str, packet: str) -> None:
    mn = _MN.search(packet)
    out.rejects.append({"source_row": line_no, "reason_code": f"hj212:{code}", "reason_zh": zh,
                        "mn": mn.group(1) if mn else None, "record": {"packet": packet[:2000]}})


def parse(data: bytes) -> ParsedPackets:
    text = decode_text(data).text
    if not looks_like_packets(text):
        raise FileRejected("unknown_kind", "不是 HJ 212 数据包文件")
    out = ParsedPackets()
    pending: dict[tuple, list] = {}  # (mn, qn, cn) → [(line_no, header, factors, frame, packet), …]
    lines = text.splitlines()
    # all CRCs of the file at once (numpy), the valid segments tokenised in chunks; the loop takes them in line order
    checked = check_frames([line[line.find("##"):].strip() for line in lines if line.strip() and "##" in line])
    frames = iter(checked)
    parsed = iter_parse_segments([f.segment for f in checked if f.verdict != "INVALID"])
    for line_no, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        out.received += 1
        at = line.find("##")
        if at < 0:
            _reject(out, line_no, "no_frame", "该行没有以“##”开头的数据包", line)
            continue
        packet = line[at:].strip()
        frame = next(frames)
        if frame.verdict == "INVALID":
            _reject(out, line_no, frame.reason_code, frame.reason_zh, packet)
            continue
        segment = next(parsed)
        if segment is None:  # not UTF-8
            _reject(out, line_no, "bad_encoding", "数据段含有无法识别的字符", packet)
            continue
        header, factors = segment
        pnum, pno = header.get("PNUM"), header.get("PNO")
        if pnum and pnum.isdigit() and int(pnum) > 1:
            key = (header.get("MN"), header.get("QN"), header.get("CN"))
            parts = pending.setdefault(key, [])
            parts.append((line_no, header, factors, frame, packet))
            if len({p[1].get("PNO") for p in parts}) == int(pnum):
                del pending[key]
                _accept_split(out, parts)
            continue
        _accept(out, line_no, header, factors, frame, packet)
    for parts in pending.values():
        have = sorted(p[1].get("PNO", "?") for p in parts)
        for line_no, header, _, _, packet in parts:
            _reject(out, line_no, "incomplete_split",
                    f"分包不完整：共 {header.get('PNUM')} 包，只收到第 {'、'.join(have)} 包", packet)
    return out


def _accept_split(out: ParsedPackets, parts: list) -> None:
    """The parts of one split packet form one data set: the DataTime of whichever part carries it applies to all."""
    merged_header: dict = {}
    for _, header, _, _, _ in parts:
        merged_header.update({k: v for k, v in header.items() if v})
    for line_no, header, factors, frame, packet in sorted(parts, key=lambda p: p[0]):
        _accept(out, line_no, {**merged_header, **{k: v for k, v in header.items() if k in ("PNO",)}}, factors, frame,
                packet)


def _accept(out: ParsedPackets, line_no: int, header: dict, factors: dict, frame, packet: str) -> None:
    cn = header.get("CN")
    data_time = _data_time(header.get("DataTime"))
    rows = []
    carries_values = any(k in VALUE_FIELDS for attrs in factors.values() for k in attrs)
    # a data command without values is the centre's request for them (BeginTime/EndTime): a packet, no values
    if cn in DATA_COMMANDS and carries_values:
        if data_time is None:
            _reject(out, line_no, "bad_datatime", f"数据时间 DataTime“{header.get('DataTime', '')}”缺失或无法识别", packet)
            return
        for code, attrs in factors.items():
            if code.startswith("SB"):
                continue  # treatment-facility states (SBxxx-RS/RT) are not pollutant values
            try:
                numbers = [_number(attrs.get(name)) for name in VALUE_FIELDS]
            except ValueError:
                bad = next(f"{code}-{k}={v}" for k, v in attrs.items() if k in VALUE_FIELDS and not _is_number(v))
                _reject(out, line_no, "bad_value", f"监测值“{bad}”不是数字", packet)
                return
            if all(v is None for v in numbers):
                continue  # e.g. only -SampleTime or -EFlag
            rows.append([line_no, header.get("MN"), header.get("ST"), cn, data_time, code, *numbers, attrs.get("Flag")])
    out.packets.append([line_no, header.get("MN"), header.get("ST"), cn, header.get("QN"), header.get("Flag"),
                        _int(header.get("PNUM")), _int(header.get("PNO")), data_time, frame.crc_variant,
                        frame.actual_len])
    out.values.extend(rows)


def _is_number(v: str) -> bool:
    try:
        float(v)
        return True
    except ValueError:
        return v == ""


def _int(v: str | None) -> int | None:
    return int(v) if v and v.isdigit() else None
