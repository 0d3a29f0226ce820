"""HJ 212-2017 §6.3 frames ``##LLLL<data segment>CCCC\\r\\n`` and their CRC.

Appendix A's CRC is not CRC-16/MODBUS: its reference code does ``crc = (crc >> 8) ^ byte`` and then eight
shift-and-XOR-0xA001 steps, so the register entering the eight steps is always one byte wide and the whole step is a
256-entry table lookup: ``crc = T[(crc >> 8) ^ byte]``. Check value of ASCII "123456789": 0x2F80 (Modbus: 0x4B37).
Some receivers write CRC-16/MODBUS low byte first instead; that variant is recognised and recorded, not trusted
silently.
"""
from __future__ import annotations

from dataclasses import dataclass, field


def _eight_steps(value: int) -> int:
    for _ in range(8):
        value = (value >> 1) ^ 0xA001 if value & 1 else value >> 1
    return value


_TABLE = tuple(_eight_steps(i) for i in range(256))


def crc_hj212(data: bytes) -> int:
    """HJ 212-2017 Appendix A over the data segment."""
    table = _TABLE
    crc = 0xFFFF
    for byte in data:
        crc = table[(crc >> 8) ^ byte]
    return crc


def crc_modbus(data: bytes) -> int:
    """CRC-16/MODBUS (reflected 0xA001, init 0xFFFF): what some receivers compute instead."""
    table = _TABLE
    crc = 0xFFFF
    for byte in data:
        crc = (crc >> 8) ^ table[(crc ^ byte) & 0xFF]
    return crc


@dataclass(frozen=True)
class Frame:
    verdict: str  # VALID | VALID_MODBUS_LE | INVALID
    reason_code: str | None
    reason_zh: str | None
    declared_len: int | None
    actual_len: int | None
    crc_in_packet: str | None
    crc_variant: str | None  # HJ212-AppA | MODBUS-byteswapped | None
    segment: bytes = field(repr=False, default=b"")


def _invalid(code: str, zh: str, declared=None, actual=None, crc=None, segment=b"") -> Frame:
    return Frame("INVALID", code, zh, declared, actual, crc, None, segment)


def check_frame(packet: bytes | str) -> Frame:
    """Verdict on one frame: header, length (bytes of the data segment, §6.3.1), CRC (Appendix A; hex in any case)."""
    raw = packet.encode("utf-8") if isinstance(packet, str) else packet
    raw = raw.rstrip(b"\r\n")
    if not raw.startswith(b"##"):
        return _invalid("bad_header", "包头不是“##”")
    if len(raw) < 2 + 4 + 4:
        return _invalid("too_short", "数据包过短")
    length_text = raw[2:6]
    if not length_text.isdigit():
        return _invalid("bad_length_field", f"数据段长度字段“{length_text.decode('ascii', 'replace')}”不是4位十进制数")
    declared = int(length_text)
    segment, crc_text = raw[6:-4], raw[-4:]
    crc_str = crc_text.decode("ascii", "replace")
    if len(segment) != declared:
        return _invalid("length_mismatch", f"数据段长度声明为 {declared}，实际为 {len(segment)} 字节", declared,
                        len(segment), crc_str, segment)
    try:
        crc_value = int(crc_text, 16)
    except ValueError:
        return _invalid("bad_crc_field", f"校验码“{crc_str}”不是4位十六进制数", declared, len(segment), crc_str, segment)
    expected = crc_hj212(segment)
    if crc_value == expected:
        return Frame("VALID", None, None, declared, len(segment), crc_str, "HJ212-AppA", segment)
    modbus = crc_modbus(segment)
    if crc_value == ((modbus & 0xFF) << 8) | (modbus >> 8):
        return Frame("VALID_MODBUS_LE", None, None, declared, len(segment), crc_str, "MODBUS-byteswapped", segment)
    return _invalid("crc_mismatch", f"CRC 校验失败：包内 {crc_str}，按 HJ 212-2017 附录A 计算应为 {expected:04X}",
                    declared, len(segment), crc_str, segment)


def build_frame(segment: str) -> str:
    """The frame a data logger sends for a data segment: ``##`` + 4-digit byte length + segment + Appendix A CRC
    (without the trailing CR LF). For simulators, demo data and tests."""
    data = segment.encode("utf-8")
    return f"##{len(data):04d}{segment}{crc_hj212(data):04X}"


def parse_segment(segment: bytes | str) -> tuple[dict[str, str], dict[str, dict[str, str]]]:
    """Split a data segment (§6.3.2) into its header fields and the CP data area (§6.3.3):
    ``QN=…;ST=…;CN=…;…;CP=&&DataTime=…;a21026-Rtd=1.2,a21026-Flag=N&&`` →
    ({"QN": …, "ST": …, …, "DataTime": …}, {"a21026": {"Rtd": "1.2", "Flag": "N"}, …})."""
    text = segment.decode("utf-8") if isinstance(segment, bytes) else segment
    head, sep, rest = text.partition("CP=&&")
    header: dict[str, str] = {}
    for item in head.split(";"):
        if "=" in item:
            k, v = item.split("=", 1)
            header[k] = v
    factors: dict[str, dict[str, str]] = {}
    if sep:
        area = rest[: rest.rfind("&&")] if "&&" in rest else rest
        for group in area.split(";"):
            for item in group.split(","):
                if "=" not in item:
                    continue
                k, v = item.split("=", 1)
                code, dash, attr = k.partition("-")
                if dash:
                    factors.setdefault(code, {})[attr] = v
                else:
                    header[k] = v  # DataTime, RtdInterval, … belong to the packet, not to a factor
    return header, factors
