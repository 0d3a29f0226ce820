"""HJ 212-2017 §6.3 frames ``##LLLL<data segment>CCCC\\r\\n`` and their CRC.

Appendix A's CRC is not CRC-16/MODBUS: its reference code does ``crc = (crc >> 8) ^ byte`` and then eight
shift-and-XOR-0xA001 steps, so the register entering the eight steps is always one byte wide and the whole step is a
256-entry table lookup: ``crc = T[(crc >> 8) ^ byte]``. Check value of ASCII "123456789": 0x2F80 (Modbus: 0x4B37).
Some receivers write CRC-16/MODBUS low byte first instead; that variant is recognised and recorded, not trusted
silently.

check_frame/parse_segment take one packet. check_frames/parse_segments/iter_parse_segments give the same Frames and
the same (header, factors) for many packets at once, with the CRCs computed in numpy and the segments tokenised a
chunk at a time, for loaders that have a whole file of packets.
"""
from __future__ import annotations

import re
from typing import NamedTuple

import numpy as np


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


class Frame(NamedTuple):
    verdict: str  # VALID | VALID_MODBUS_LE | INVALID
    reason_code: str | None
    reason_zh: str | None
    declared_len: int | None
    actual_len: int | None
    crc_in_packet: str | None
    crc_variant: str | None  # HJ212-AppA | MODBUS-byteswapped | None
    segment: bytes = b""


# A NamedTuple, not a frozen dataclass: the batch check makes one per packet, and a tuple is made in one C call
# where a frozen dataclass sets its eight fields one by one through object.__setattr__.
_new_tuple = tuple.__new__


def _frame(verdict, reason_code, reason_zh, declared, actual, crc, variant, segment) -> Frame:
    return _new_tuple(Frame, (verdict, reason_code, reason_zh, declared, actual, crc, variant, segment))


def _invalid(code: str, zh: str, declared=None, actual=None, crc=None, segment=b"") -> Frame:
    return _frame("INVALID", code, zh, declared, actual, crc, None, segment)


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
        return _frame("VALID", None, None, declared, len(segment), crc_str, "HJ212-AppA", segment)
    modbus = crc_modbus(segment)
    if crc_value == ((modbus & 0xFF) << 8) | (modbus >> 8):
        return _frame("VALID_MODBUS_LE", None, None, declared, len(segment), crc_str, "MODBUS-byteswapped", segment)
    return _crc_mismatch(crc_str, expected, declared, segment)


def _crc_mismatch(crc_str: str, expected: int, declared: int, segment: bytes) -> Frame:
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


# ---------------------------------------------------------------------------------------------------------------------
# Batch CRCs. HJ 212-2017 Appendix A: crc' = T[(crc >> 8) ^ byte] reads only the high byte of the register, so the state
# carried from byte to byte is s = crc >> 8 with s' = H[s ^ byte], H[x] = T[x] >> 8. T is linear over GF(2)
# (T[x ^ y] = T[x] ^ T[y]), hence H is, and H^8 is the identity (checked when the tables are built). So a byte's
# contribution depends only on its distance from the segment's end mod 8:
#     crc = T[XOR_k H^((n - 1 - k) mod 8)(b_k) ^ H^((n - 1) mod 8)(0xFF)]          (n bytes b_0 … b_(n-1), n >= 1)
# and XOR-folding the segment into one 8-byte word leaves eight lookups per segment, whatever its length.
# ---------------------------------------------------------------------------------------------------------------------

_CHECK_CHUNK = 2048  # frames per numpy pass: enough to amortise the numpy calls, few enough to stay in cache
_PARSE_CHUNK = 32  # segments per tokenising pass: a larger chunk's token list is out of cache before it is used
_MAX_SEGMENT = 9999  # the length field has four decimal digits (§6.3.1)


class _CrcTables:
    """numpy tables for the batch CRCs, built on first use."""

    def __init__(self) -> None:
        table = np.array(_TABLE, dtype=np.uint16)
        self.table = table
        h = (table >> 8).astype(np.uint8)
        powers = np.empty((8, 256), np.uint8)  # powers[r] = H^r
        powers[0] = np.arange(256)
        for r in range(1, 8):
            powers[r] = h[powers[r - 1]]
        if not np.array_equal(h[powers[7]], powers[0]):
            raise AssertionError("H^8 is not the identity: the Appendix A table is not the reflected 0xA001 one")
        # fold[e % 8, c, x] = H^((e - 1 - c) mod 8)(x): a byte in word column c (offset % 8) of a segment ending
        # before offset e
        fold = np.empty((8, 8, 256), np.uint8)
        for end in range(8):
            for column in range(8):
                fold[end, column] = powers[(end - 1 - column) % 8]
        self.fold = fold.reshape(-1)
        self.fold_init = powers[:, 0xFF].copy()  # H^((n - 1) mod 8)(0xFF): the 0xFFFF initial value
        self.low_bytes = np.array([(1 << (8 * k)) - 1 for k in range(8)], dtype=np.uint64)
        self.column_offsets = np.arange(8, dtype=np.int64) * 256
        self._modbus = None

    def modbus(self, longest: int):
        """Tables for CRC-16/MODBUS over segments of up to `longest` bytes. There crc' = Z(crc) ^ T[byte] with
        Z(s) = (s >> 8) ^ T[s & 0xFF], also linear, so crc = XOR_k Z^(n - 1 - k)(T[b_k]) ^ Z^n(0xFFFF); but Z has no
        short period, so the bytes are folded per 8-byte block and each block is carried to the end by Z^(8q),
        q = blocks after it. The carry tables grow by doubling as longer segments come."""
        if self._modbus is None or self._modbus[0] < longest:
            table = self.table
            ident = np.arange(256, dtype=np.uint16)

            def apply(lo, hi, s):  # a linear map on 16 bits, given by its images of the low and the high byte
                return lo[s & 0xFF] ^ hi[s >> 8]

            z_lo, z_hi = table.copy(), ident.copy()  # Z(b) = T[b]; Z(b << 8) = b
            within = np.empty((8, 256), np.uint16)  # within[r][b] = Z^r(T[b])
            within[0] = table
            for r in range(1, 8):
                within[r] = apply(z_lo, z_hi, within[r - 1])
            step_lo, step_hi = z_lo, z_hi
            for _ in range(3):  # Z^8
                step_lo, step_hi = apply(step_lo, step_hi, step_lo), apply(step_lo, step_hi, step_hi)
            blocks = 64
            while 8 * blocks <= longest:
                blocks *= 2
            carry_lo = ident[None, :].copy()  # carry_lo[q] = Z^(8q) on the low byte, carry_hi on the high byte
            carry_hi = (ident << 8)[None, :].copy()
            while len(carry_lo) < blocks:  # Z^(8(q + L)) = Z^(8L) ∘ Z^(8q)
                carry_lo = np.concatenate([carry_lo, apply(step_lo, step_hi, carry_lo)])
                carry_hi = np.concatenate([carry_hi, apply(step_lo, step_hi, carry_hi)])
                step_lo, step_hi = apply(step_lo, step_hi, step_lo), apply(step_lo, step_hi, step_hi)
            init_r = [0xFFFF]  # Z^n(0xFFFF) = Z^(8q)(Z^r(0xFFFF)), n = 8q + r
            for _ in range(7):
                s = init_r[-1]
                init_r.append((s >> 8) ^ _TABLE[s & 0xFF])
            n = np.arange(8 * blocks)
            start = np.array(init_r, dtype=np.uint16)[n & 7]
            init = carry_lo[n >> 3, start & 0xFF] ^ carry_hi[n >> 3, start >> 8]
            # within is stored by word column c, i.e. for a byte followed by 7 - c bytes of its block
            self._modbus = (8 * blocks - 1, within[::-1].reshape(-1).copy(), carry_lo.reshape(-1),
                            carry_hi.reshape(-1), init)
        return self._modbus[1:]


_tables: _CrcTables | None = None


def _crc_tables() -> _CrcTables:
    global _tables
    if _tables is None:
        _tables = _CrcTables()
    return _tables


def _crc_hj212_spans(buf: bytes, starts, ends):
    """Appendix A CRC of buf[starts[i]:ends[i]] for every i, as an int64 array; buf must carry 8 zero bytes after the
    last span."""
    tab = _crc_tables()
    words = np.frombuffer(buf, dtype="<u8", count=len(buf) // 8)
    prefix = np.zeros(len(words) + 1, dtype="<u8")
    np.bitwise_xor.accumulate(words, out=prefix[1:])

    def fold_upto(pos):  # per word column: the XOR of the bytes before pos
        w = pos >> 3
        return np.take(prefix, w) ^ (np.take(words, w) & np.take(tab.low_bytes, pos & 7))

    columns = (fold_upto(ends) ^ fold_upto(starts)).view(np.uint8).reshape(-1, 8)
    looked_up = np.take(tab.fold, columns + (((ends & 7) << 11)[:, None] + tab.column_offsets))
    x = looked_up.view("<u8").reshape(-1)  # XOR the eight looked-up bytes lane by lane
    x ^= x >> 32
    x ^= x >> 16
    x ^= x >> 8
    lengths = ends - starts
    x = (x & 0xFF).astype(np.intp) ^ np.take(tab.fold_init, (lengths - 1) & 7)
    crc = np.take(tab.table, x).astype(np.int64)
    crc[lengths == 0] = 0xFFFF
    return crc


_ZERO_PAD = tuple(bytes(k) for k in range(8))
_COLUMN_OFFSETS = np.arange(8, dtype=np.intp) * 256


def _crc_modbus_list(segments: list[bytes]) -> list[int]:
    if not segments:
        return []
    lengths = np.fromiter(map(len, segments), dtype=np.int64, count=len(segments))
    longest = int(lengths.max())
    if longest > _MAX_SEGMENT:
        return [crc_modbus(s) for s in segments]
    within, carry_lo, carry_hi, init = _crc_tables().modbus(longest)
    # with a zero initial value, leading zero bytes change nothing: pad each segment at the front to whole blocks
    blocks = np.frombuffer(b"".join([_ZERO_PAD[-len(s) & 7] + s for s in segments]), np.uint8).reshape(-1, 8)
    parts = np.take(within, blocks + _COLUMN_OFFSETS).view("<u8")  # a block's 8 uint16 contributions = 2 words
    folded = parts[:, 0] ^ parts[:, 1]
    folded ^= folded >> 32
    folded ^= folded >> 16
    folded = (folded & 0xFFFF).astype(np.intp)
    per_segment = (lengths + 7) >> 3
    block_end = np.cumsum(per_segment)
    after = (np.repeat(block_end - 1, per_segment) - np.arange(len(blocks))) << 8
    carried = np.take(carry_lo, after + (folded & 0xFF)) ^ np.take(carry_hi, after + (folded >> 8))
    crc = np.take(init, lengths)
    nonempty = per_segment > 0
    if nonempty.any():
        crc[nonempty] ^= np.bitwise_xor.reduceat(carried, (block_end - per_segment)[nonempty])
    return crc.astype(np.int64).tolist()


def _as_bytes_list(segments) -> list[bytes]:
    return [s.encode("utf-8") if isinstance(s, str) else bytes(s) for s in segments]


def crc_hj212_many(segments) -> list[int]:
    """crc_hj212 of each segment (bytes or str), computed together in numpy."""
    segs = _as_bytes_list(segments)
    if not segs:
        return []
    lengths = np.fromiter(map(len, segs), dtype=np.int64, count=len(segs))
    ends = np.cumsum(lengths)
    return _crc_hj212_spans(b"".join([*segs, bytes(16)]), ends - lengths, ends).tolist()


def crc_modbus_many(segments) -> list[int]:
    """crc_modbus of each segment (bytes or str), computed together in numpy."""
    return _crc_modbus_list(_as_bytes_list(segments))


# ---------------------------------------------------------------------------------------------------------------------
# Batch frame check
# ---------------------------------------------------------------------------------------------------------------------

_DIGIT_VALUE = np.full(256, 0xFF, dtype=np.uint8)
_DIGIT_VALUE[48:58] = np.arange(10)
_HEX_VALUE = _DIGIT_VALUE.copy()
_HEX_VALUE[65:71] = _HEX_VALUE[97:103] = np.arange(10, 16)
_FIELD4 = np.arange(4, dtype=np.int64)


def _check_chunk(raws: list[bytes]) -> list[Frame]:
    n = len(raws)
    lengths = np.fromiter(map(len, raws), dtype=np.int64, count=n)
    ends = np.cumsum(lengths)
    starts = ends - lengths
    buf = b"".join([*raws, bytes(16)])
    data = np.frombuffer(buf, np.uint8)
    # §6.3.1: "##", 4 decimal digits giving the segment's byte length, the segment, 4 hex digits. Frames of that form
    # are checked here; every other frame (also a CRC field int(…, 16) reads but that is not 4 hex digits) goes
    # through check_frame, which also words the reason.
    long_enough = lengths >= 10
    first = np.where(long_enough, starts, 0)
    last = np.where(long_enough, ends, 10)
    # each field's four bytes mapped to their digit values (0xFF where not a digit), as one word per frame
    digits = np.take(_DIGIT_VALUE, np.take(data, (first + 2)[:, None] + _FIELD4)).view("<u4").ravel().astype(np.int64)
    hexes = np.take(_HEX_VALUE, np.take(data, (last - 4)[:, None] + _FIELD4)).view("<u4").ravel().astype(np.int64)
    declared = (((digits & 0xFF) * 10 + ((digits >> 8) & 0xFF)) * 10 + ((digits >> 16) & 0xFF)) * 10 + (digits >> 24)
    fast = (long_enough & (np.take(data, first) == 35) & (np.take(data, first + 1) == 35)
            & (((digits | hexes) & 0xF0F0F0F0) == 0) & (declared == lengths - 10))
    picked = np.flatnonzero(fast)
    frames: list = [None] * n
    if len(picked):
        hexes = hexes[picked]
        in_packet = ((hexes & 0xF) << 12) | (((hexes >> 8) & 0xF) << 8) | (((hexes >> 16) & 0xF) << 4) | (hexes >> 24)
        expected = _crc_hj212_spans(buf, starts[picked] + 6, ends[picked] - 4)  # HJ 212-2017 Appendix A
        matches = in_packet == expected
        new = _new_tuple
        for i, size in zip(picked[matches].tolist(), (lengths[picked[matches]] - 10).tolist()):
            raw = raws[i]  # _frame inlined: this loop runs once per valid packet
            frames[i] = new(Frame, ("VALID", None, None, size, size, raw[-4:].decode("ascii"), "HJ212-AppA", raw[6:-4]))
        if not matches.all():
            # Appendix A failed: a receiver may have stored CRC-16/MODBUS low byte first instead
            missed = picked[~matches].tolist()
            segments = [raws[i][6:-4] for i in missed]
            for i, segment, crc_value, crc, modbus in zip(missed, segments, in_packet[~matches].tolist(),
                                                          expected[~matches].tolist(), _crc_modbus_list(segments)):
                size = len(segment)
                crc_str = raws[i][-4:].decode("ascii")
                if crc_value == ((modbus & 0xFF) << 8) | (modbus >> 8):
                    frames[i] = _frame("VALID_MODBUS_LE", None, None, size, size, crc_str, "MODBUS-byteswapped",
                                       segment)
                else:
                    frames[i] = _crc_mismatch(crc_str, crc, size, segment)
    if len(picked) < n:
        for i in np.flatnonzero(~fast).tolist():
            frames[i] = check_frame(raws[i])
    return frames


def check_frames(packets) -> list[Frame]:
    """check_frame for many packets (bytes or str): the same Frame for each, in order."""
    raws = [(p.encode("utf-8") if isinstance(p, str) else p).rstrip(b"\r\n") for p in packets]
    frames: list[Frame] = []
    for at in range(0, len(raws), _CHECK_CHUNK):
        frames.extend(_check_chunk(raws[at:at + _CHECK_CHUNK]))
    return frames


# ---------------------------------------------------------------------------------------------------------------------
# Batch parse. A chunk of segments is tokenised at once: every ';' ',' '=' '&' and the NUL put between segments
# becomes '=', so one str.split yields all keys and values. That split is parse_segment's parse only when a segment
# has the normal form "k=v;…;CP=&&k=v,k=v;…&&": each item exactly one '=', no ',' in the header, '&' only in the two
# markers. The form is read off the segment's skeleton, its separators alone ("=;=;=&&=;=,=&&"); any other segment
# goes through parse_segment.
#
# A data logger sends the same keys in the same order packet after packet (its station's factors for a CN), so the
# skeletons and the key sequences repeat: each skeleton is checked once, and the (header, factors) layout of a key
# sequence that keeps coming is compiled into a function of the segment's tokens. The caches are bounded.
# ---------------------------------------------------------------------------------------------------------------------

_SKELETON = b";,=&\x00"
_NOT_SKELETON = bytes(c for c in range(256) if c not in _SKELETON)
_SPLIT_ALL = bytes.maketrans(b";,&\x00", b"====")
_NORMAL_SKELETON = re.compile(rb"((?:=;)*)=&&((?:=(?:[;,]=)*)?)&&").fullmatch
_SHAPES: dict[bytes, _Shape | bool] = {}  # skeleton -> its _Shape, or False when it is not of the normal form
_SHAPES_MAX = 1024
# Key sequences remembered over all skeletons (each at most one compiled builder of a few kB); a file from many
# stations interleaves their layouts, so this has to hold them all, and past it every cache starts afresh.
_LAYOUTS_MAX = 4096
_layouts_seen = 0
# Resolving a layout's positions costs more than interpreting a few segments, so only layouts that keep coming
# get a builder.
_COMPILE_AFTER = 64
_FACTOR_KEYS: dict[str, tuple[str | None, str]] = {}  # "a21026-Rtd" -> ("a21026", "Rtd"); "DataTime" -> (None, …)
_FACTOR_KEYS_MAX = 8192
_NO_CODE = object()
_FUNCTION = type(lambda: None)


class _Shape:
    """A normal skeleton. Its segments' tokens are k1 v1 … kh vh, "CP" "" "" (from "CP=&&"), a1 b1 … an bn, ""
    (between the closing '&'s) and what follows them (nothing, or text parse_segment ignores too); without data items
    the area is one token, ignored as well. A segment's layout key joins its even tokens up to the markers with its
    odd ones from there to the closing "": all the keys, and every token that has to be "CP" or empty, so a key
    checked once vouches for the markers of every later segment with that key."""

    __slots__ = ("size", "head_keys", "area_keys", "last", "layouts", "cp", "stop")

    def __init__(self, size: int, head: int, area: int) -> None:
        self.size = size  # tokens per segment
        self.cp = cp = 2 * head
        self.stop = stop = cp + 4 + 2 * area if area else cp + 2
        self.head_keys = slice(0, cp + 3, 2)
        self.area_keys = slice(cp + 1, stop, 2)
        # (layout key, compiled builder) last used, as one tuple: a concurrent reader never pairs a key with another
        # key's builder
        self.last: tuple = (None, None)
        self.layouts: dict = {}  # layout key -> sightings so far, its compiled builder, or False (not normal)


def _shape(skeleton: bytes) -> _Shape | bool:
    match = _NORMAL_SKELETON(skeleton)
    shape = False if match is None else _Shape(len(skeleton) + 1, len(match[1]) // 2, (len(match[2]) + 1) // 2)
    if len(_SHAPES) >= _SHAPES_MAX:
        _SHAPES.clear()
    _SHAPES[skeleton] = shape
    return shape


def _layout(tokens: list[str], cp: int, stop: int) -> tuple[dict[str, int], dict[str, dict[str, int]]]:
    """The token position of each value of a normal segment: _interpret on the segment's keys with the positions in
    place of the values, so the compiled builder follows exactly the same rules."""
    marks: list = list(range(len(tokens)))
    marks[0:cp:2] = tokens[0:cp:2]
    marks[cp + 3:stop - 1:2] = tokens[cp + 3:stop - 1:2]
    return _interpret(marks, cp, stop)


def _factor_key(key: str) -> tuple[str | None, str]:
    code, dash, attr = key.partition("-")
    split = (code, attr) if dash else (None, key)
    if len(_FACTOR_KEYS) >= _FACTOR_KEYS_MAX:
        _FACTOR_KEYS.clear()
    _FACTOR_KEYS[key] = split
    return split


def _interpret(t: list, cp: int, stop: int):
    """parse_segment's rules on a normal segment's tokens: header keys in first-seen order, the last value winning;
    data-area keys without a '-' join the header, the others group by the code before the first '-'."""
    header = dict(zip(t[0:cp:2], t[1:cp:2]))
    factors: dict[str, dict[str, str]] = {}
    known = _FACTOR_KEYS.get
    last = _NO_CODE
    for key, value in zip(t[cp + 3:stop - 1:2], t[cp + 4:stop - 1:2]):
        code, attr = known(key) or _factor_key(key)
        if code == last:  # a factor's keys come together ("a21026-Rtd=…,a21026-Flag=N")
            group[attr] = value
        elif code is None:
            header[attr] = value  # DataTime, RtdInterval, … belong to the packet, not to a factor
        else:
            group = factors.get(code)
            if group is None:
                group = factors[code] = {}
            last = code
            group[attr] = value
    return header, factors


def _compiled_builder(header: dict[str, int], factors: dict[str, dict[str, int]], size: int):
    # The layout's token positions resolved once; no code is generated from what a sender wrote.
    head_items = tuple(header.items())
    # a factor's (name, position) pairs flattened; most factors carry two or three fields (-Rtd/-Avg and -Flag, …)
    factor_items = tuple((code, len(attrs), tuple(x for pair in attrs.items() for x in pair))
                         for code, attrs in factors.items())

    def build(t):
        # plain loops and dict displays, not comprehensions: in Python 3.11 each comprehension is a function call
        header = {}
        for k, i in head_items:
            header[k] = t[i]
        factors = {}
        for code, n, p in factor_items:
            if n == 2:
                a, i, b, j = p
                factors[code] = {a: t[i], b: t[j]}
            elif n == 3:
                a, i, b, j, c, k = p
                factors[code] = {a: t[i], b: t[j], c: t[k]}
            else:
                factors[code] = group = {}
                for at in range(0, 2 * n, 2):
                    group[p[at]] = t[p[at + 1]]
        return header, factors

    return build


def _builder(shape: _Shape, key: str, tokens: list[str]):
    """The compiled builder for a key sequence other than the skeleton's last one; _interpret while the sequence has
    not come often enough to be compiled; None when the segment is not normal after all (separators in the normal
    order, but not "CP=&&" … "&&")."""
    global _layouts_seen
    layouts = shape.layouts
    found = layouts.get(key)
    if found is None:
        cp, stop = shape.cp, shape.stop
        normal = tokens[cp:cp + 3] == ["CP", "", ""] and (stop == cp + 2 or not tokens[stop - 1])
        _layouts_seen += 1
        if _layouts_seen > _LAYOUTS_MAX:
            _layouts_seen = 0
            _SHAPES.clear()
        layouts[key] = 1 if normal else False
        return _interpret if normal else None
    if found is False:
        return None
    if found.__class__ is int:
        if found < _COMPILE_AFTER:
            layouts[key] = found + 1
            return _interpret
        found = layouts[key] = _compiled_builder(*_layout(tokens, shape.cp, shape.stop), len(tokens))
    shape.last = (key, found)
    return found


def _parse_or_none(segment):
    try:
        return parse_segment(segment)
    except UnicodeDecodeError:
        return None


def _parse_chunk(items: list) -> list:
    segs = [s.encode("utf-8", "surrogatepass") if isinstance(s, str) else s for s in items]
    joined = b"\x00".join([*segs, b""])
    skeletons = joined.translate(None, _NOT_SKELETON).split(b"\x00")
    if len(skeletons) != len(segs) + 1:  # a NUL inside a segment would shift the tokens
        return [_parse_or_none(s) for s in items]
    try:
        tokens = joined.translate(_SPLIT_ALL).decode("utf-8").split("=")
    except UnicodeDecodeError:
        return [_parse_or_none(s) for s in items]
    shapes = _SHAPES
    out = []
    append = out.append
    at = 0  # index of the segment's first token
    for skeleton, item in zip(skeletons, items):
        shape = shapes.get(skeleton)
        if shape is None:
            shape = _shape(skeleton)
        if shape is False:
            append(_parse_or_none(item))
            at += len(skeleton) + 1
            continue
        following = at + shape.size
        seg_tokens = tokens[at:following]
        at = following
        key = "=".join(seg_tokens[shape.head_keys] + seg_tokens[shape.area_keys])
        last_key, build = shape.last
        if key != last_key:
            build = shape.layouts.get(key)
            if build.__class__ is _FUNCTION:  # a compiled layout met before, as in a file interleaving stations
                shape.last = (key, build)
            else:
                build = _builder(shape, key, seg_tokens)
                if build is None:
                    append(_parse_or_none(item))
                    continue
                if build is _interpret:
                    append(_interpret(seg_tokens, shape.cp, shape.stop))
                    continue
        append(build(seg_tokens))
    return out


def iter_parse_segments(segments):
    """parse_segment for many segments (bytes or str), yielded in order: (header, factors), or None where the segment
    is not valid UTF-8 (where parse_segment raises UnicodeDecodeError). Using each result as it comes and dropping it
    keeps the memory being allocated in cache: about a third faster than holding all results (parse_segments)."""
    items = segments if isinstance(segments, list) else list(segments)
    for at in range(0, len(items), _PARSE_CHUNK):
        yield from _parse_chunk(items[at:at + _PARSE_CHUNK])


def parse_segments(segments) -> list[tuple[dict[str, str], dict[str, dict[str, str]]] | None]:
    """iter_parse_segments as a list."""
    items = segments if isinstance(segments, list) else list(segments)
    out: list = []
    for at in range(0, len(items), _PARSE_CHUNK):
        out.extend(_parse_chunk(items[at:at + _PARSE_CHUNK]))
    return out
