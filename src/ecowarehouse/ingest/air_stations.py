"""Hourly ambient-air station files in the national real-time publication format.

Validation here is about whether a row can be stored at all (types, identity, physical possibility); whether the
data are *valid for statistics* (HJ 663 capture rules) is decided later in dbt, on the stored rows.

Speed (bench/ingest_vs_copy.py): pandas' C parser reads the delivered UTF-8 bytes themselves (a str would be
re-encoded chunk by chunk) and keeps text as plain Python strings (pandas' own string dtype doubles the cost of the
read); validation works on whole columns; facts about the bytes (blanks, quotes, line ends, field counts) come from
vectorised scans; and a plain file's own lines (missing markers emptied) go to COPY as they are, block by block
while the server stores the previous block — re-writing the typed rows as CSV costs several times the whole rest.
Only a file with a cell that is not a number (or that is not plain CSV, see _plain_text) is re-written.
"""
from __future__ import annotations

import codecs
import io
from dataclasses import dataclass, field
from datetime import date
from typing import Iterator

import numpy as np
import pandas as pd

from ecowarehouse.ingest.formats import AIR_STATION_COLUMNS, FileRejected, decode_text

NUMERIC_COLUMNS = AIR_STATION_COLUMNS[7:]
TEXT_COLUMNS = ["timepoint", "stationcode", "area", "positionname", "primarypollutant"]
COORD_COLUMNS = ["longitude", "latitude"]
# Markers the platform and hand-edited files use for "no value"; the format defines empty as missing.
MISSING_MARKERS = {"", "—", "-", "--", "NA", "N/A", "NaN", "nan", "null", "NULL"}
COLUMN_LABELS_ZH = {
    "aqi": "AQI", "pm10": "PM10", "pm10_24h": "PM10(24小时)", "pm2_5": "PM2.5", "pm2_5_24h": "PM2.5(24小时)",
    "o3": "O3", "o3_24h": "O3(24小时)", "o3_8h": "O3(8小时)", "o3_8h_24h": "O3(8小时,24小时)", "no2": "NO2",
    "no2_24h": "NO2(24小时)", "so2": "SO2", "so2_24h": "SO2(24小时)", "co": "CO", "co_24h": "CO(24小时)",
    "longitude": "经度", "latitude": "纬度",
}
# The columns COPY receives, in the order copy_blocks() writes them.
COPY_COLUMNS = ["batch_id", "file_sha256", "source_row", *AIR_STATION_COLUMNS]
# Rows per COPY block: the server stores one block while the next is being formatted.
ROWS_PER_BLOCK = 20_000


@dataclass
class PlainText:
    """A file whose accepted rows can go to COPY as the sender wrote them (see _plain_text)."""
    body: bytes  # the whole file, UTF-8, without byte-order mark, missing markers emptied (see _empty_markers)
    line_end: bytes  # b"\n" or b"\r\n"
    # where each line that is not blank starts and ends (without its line end) in ``body``: the header, then row i
    starts: np.ndarray
    stops: np.ndarray

    def lines(self, positions: np.ndarray) -> list[bytes]:
        """The lines at these positions (ascending; 0 is the header)."""
        if not len(positions):
            return []
        first, last = int(positions[0]), int(positions[-1])
        if last - first == len(positions) - 1:  # a run of lines: one split, unless blank lines lie in between
            run = self.body[self.starts[first]:self.stops[last]].split(self.line_end)
            if len(run) == len(positions):
                return run
        return [self.body[a:z] for a, z in zip(self.starts[positions].tolist(), self.stops[positions].tolist())]


@dataclass
class ParsedAirFile:
    rows: pd.DataFrame  # typed, ready for COPY (without batch id)
    rejects: list[dict] = field(default_factory=list)  # {source_row, reason_code, reason_zh, stationcode, record}
    encoding: str = "utf-8"
    plain: PlainText | None = None

    @property
    def received(self) -> int:
        return len(self.rows) + len(self.rejects)

    @property
    def plain_lines(self) -> list[bytes] | None:
        """The sender's own lines (UTF-8, without line end, missing markers emptied) of the accepted rows, in the
        order of ``rows``, when they can go to COPY as they are; None when the rows are written from their typed
        values instead."""
        if self.plain is None:
            return None
        return self.plain.lines(self._line_positions())

    def _line_positions(self) -> np.ndarray:
        # pandas skips blank lines: row i (source row i + 2) is the i-th line after the header that is not blank
        return self.rows["source_row"].to_numpy(dtype=np.int64) - 1

    def months(self) -> list[date]:
        """First days of the months the accepted rows fall in (the partitions they need)."""
        tp = self.rows["timepoint"]
        if tp.dtype.kind == "M":  # naive datetimes: one vectorised pass
            return [pd.Timestamp(m).date() for m in np.unique(tp.to_numpy().astype("datetime64[M]"))]
        return [m.start_time.date() for m in tp.dt.to_period("M").unique()]

    def copy_blocks(self, batch_id: int, sha: str, rows_per_block: int = ROWS_PER_BLOCK) -> Iterator[bytes]:
        """The accepted rows as UTF-8 CSV for ``COPY … (COPY_COLUMNS) FROM STDIN WITH (FORMAT csv)``, in blocks.

        A plain file's own lines go as they are, behind their batch, file and line number; any other file is written
        from the typed rows (numbers as pandas read them, the time point as the sender wrote it). Either way the
        stored values are the same (tests/test_ingest_air.py)."""
        source_rows = self.rows["source_row"].tolist()
        if self.plain is not None:
            # "\n<batch>,<sha>,<source row>," before each line (the first line end dropped, one added at the end)
            prefix = (b"\n%d,%s," % (batch_id, sha.encode("ascii"))).replace(b"%", b"%%") + b"%d,"
            positions = self._line_positions()
            # a small first block: the server starts storing while the next ones are cut and formatted
            bounds = [0, *range(max(1, rows_per_block // 10), len(source_rows), rows_per_block), len(source_rows)]
            for start, stop in zip(bounds, bounds[1:]):
                parts = [b""] * (2 * (stop - start))
                parts[0::2] = map(prefix.__mod__, source_rows[start:stop])
                parts[1::2] = self.plain.lines(positions[start:stop])
                yield b"".join(parts)[1:] + b"\n"
            return
        out = self.rows.assign(batch_id=batch_id, file_sha256=sha, timepoint=self.rows["timepoint_text"])[COPY_COLUMNS]
        for start in range(0, len(out), rows_per_block):
            yield out.iloc[start:start + rows_per_block].to_csv(index=False, header=False).encode("utf-8")


def _cell(value) -> str:
    """A cell as the sender wrote it (near enough, for typed reads), for the quarantine record."""
    if isinstance(value, float):
        return "" if value != value else format(value, "g")
    return str(value)


def _read(body: bytes, names: list[str], typed: bool, markers=MISSING_MARKERS, skipinitialspace=True) -> pd.DataFrame:
    """Typed fast path (the C parser converts numbers) or all-text slow path that can report each bad cell.

    ``markers=None`` is the strict typed read: only an empty number is missing, and text is kept as written (an
    empty or absent text field is "", which is what the other reads make of it with fillna).
    ``skipinitialspace=False`` only for a file where no field starts with a blank (it then changes nothing, and
    costs a fifth of the read)."""
    options = dict(header=0, names=names, keep_default_na=False, skipinitialspace=skipinitialspace,
                   skip_blank_lines=True)
    if typed:
        dtypes = {c: "float64" for c in COORD_COLUMNS + NUMERIC_COLUMNS} | {c: object for c in TEXT_COLUMNS}
        na_values = {c: [""] for c in COORD_COLUMNS + NUMERIC_COLUMNS} if markers is None else sorted(markers)
        return pd.read_csv(io.BytesIO(body), dtype=dtypes, na_values=na_values, **options)
    return pd.read_csv(io.BytesIO(body), dtype=str, **options)


class _Bytes:
    """Facts about a file's bytes, from vectorised scans of the blanks (each `in` search for a two-byte pattern
    would cost a pass over the whole file)."""

    def __init__(self, body: bytes):
        self.body = body
        self.arr = arr = np.frombuffer(body, np.uint8)
        blanks = np.flatnonzero(arr == 0x20)
        tab = b"\t" in body
        ends = (0x2C, 0x0A, 0x0D)  # separator, line ends
        # a blank before a separator or a line end, or a tab anywhere (what `" ," in text or " \n" in text or …` was)
        self.padded = tab or bool(np.isin(arr[blanks[blanks + 1 < len(arr)] + 1], ends).any())
        # a blank (or tab) where a field starts: after a separator or a line end — the only place skipinitialspace
        # acts on, and one pandas drops
        self.leading_blank = tab or bool(len(blanks) and (blanks[0] == 0 or np.isin(arr[blanks[blanks > 0] - 1],
                                                                                      ends).any()))
        self.blank_at_end = bool(len(blanks)) and blanks[-1] == len(arr) - 1

    def negative_exponent(self) -> bool:
        header_end = self.body.find(b"\n")
        if self.body.find(b"e", header_end) < 0 and self.body.find(b"E", header_end) < 0:
            return False  # no exponent anywhere below the header
        minus = np.flatnonzero(self.arr == 0x2D)
        minus = minus[minus > 0]
        return bool(np.isin(self.arr[minus - 1], (0x65, 0x45)).any())  # e- E-


def parse(data: bytes) -> ParsedAirFile:
    decoded = decode_text(data)
    encoding = decoded.encoding
    if encoding == "utf-8":  # the delivered bytes themselves, without the byte-order mark
        body = data[len(codecs.BOM_UTF8):] if data.startswith(codecs.BOM_UTF8) else data
    else:
        body = decoded.text.encode("utf-8")
    del decoded  # only the bytes are read from here on
    names = [str(c).strip().lower() for c in pd.read_csv(io.BytesIO(body), nrows=0).columns]
    missing = [c for c in AIR_STATION_COLUMNS if c not in names]
    if missing:
        raise FileRejected("missing_columns", f"文件缺少必需的列：{'、'.join(missing)}（模板见全国城市空气质量实时发布格式）")
    # Most files are clean: the C parser types them. A cell that is not a number makes it raise, and the all-text
    # path then finds and reports each bad cell.
    # Numbers read with "empty is missing" only, first: when that works the numeric fields hold no marker (and the
    # text is kept as written); when it fails on a marker, the read that knows the markers types the file. Either
    # way the sender's lines can then go to COPY as they are (_plain_text), markers emptied.
    facts = _Bytes(body)
    strict = False
    try:
        frame, typed_read, strict = (_read(body, names, typed=True, markers=None, skipinitialspace=facts.leading_blank),
                                     True, True)
    except ValueError:
        try:
            frame, typed_read = _read(body, names, typed=True), True
        except ValueError:
            frame, typed_read = _read(body, names, typed=False), False
    # pandas takes the first column as the index when the first line has one field more than the header
    default_index = frame.index.equals(pd.RangeIndex(len(frame)))
    frame = frame[AIR_STATION_COLUMNS]
    # skipinitialspace removed leading blanks; trailing ones are rare, and stripping 10^5 strings is costly
    padded = facts.padded
    for col in TEXT_COLUMNS:
        if not strict:  # the strict read already gives "" for an empty text field
            frame[col] = frame[col].fillna("")
        if padded:
            frame[col] = frame[col].str.strip()
    frame.insert(0, "source_row", range(2, len(frame) + 2))  # line numbers as a clerk sees them (header = 1)

    problems: dict[int, tuple[str, str]] = {}  # first problem per row wins

    def flag(mask: pd.Series, code: str, reason) -> None:
        hits = np.flatnonzero(mask.fillna(False).to_numpy(dtype=bool))
        for idx in frame.index[hits]:
            if idx not in problems:
                problems[idx] = (code, reason(idx) if callable(reason) else reason)

    flag(frame["stationcode"].eq(""), "missing_station", "缺少站点编码（stationcode 为空）")
    timepoint = pd.to_datetime(frame["timepoint"], format="ISO8601", errors="coerce")
    flag(timepoint.isna(), "bad_timepoint", lambda i: f"监测时间“{frame.at[i, 'timepoint']}”无法识别，应为 YYYY-MM-DD HH:MM:SS")
    typed = {"timepoint": timepoint}
    for col in COORD_COLUMNS + NUMERIC_COLUMNS:
        raw = frame[col]
        label = COLUMN_LABELS_ZH[col]
        if typed_read:
            values = raw
        else:
            is_missing = raw.isin(MISSING_MARKERS) | raw.str.fullmatch(r"\s*")
            values = pd.to_numeric(raw.where(~is_missing), errors="coerce")
            flag(values.isna() & ~is_missing, f"not_numeric:{col}",
                 lambda i, c=col, l=label: f"{l} 的值“{frame.at[i, c]}”不是数字")
        if col in NUMERIC_COLUMNS:
            flag(values < 0, f"negative:{col}", lambda i, c=col, l=label: f"{l} 为负值（{_cell(frame.at[i, c])}），浓度不可能为负")
        typed[col] = values
    # the same station and hour twice: (station, time point) pairs compare as the text "station|time point" does,
    # without formatting 10^5 time points back to text
    pairs = pd.DataFrame({"s": frame["stationcode"].to_numpy(), "t": timepoint.to_numpy()})
    repeated = pairs.duplicated(keep="first").to_numpy() & timepoint.notna().to_numpy()
    if repeated.any():  # the group-by that names the first occurrence is only worth it when there is a repeat
        key = frame["stationcode"] + "|" + timepoint.astype(str)
        first_row = frame["source_row"].groupby(key).transform("first")
        flag(pd.Series(repeated, index=frame.index), "duplicate_station_hour",
             lambda i: f"站点 {frame.at[i, 'stationcode']} 在 {frame.at[i, 'timepoint']} 的数据在本文件中重复出现（首次出现于第 {int(first_row[i])} 行）")

    bad = frame.index.isin(list(problems))
    rejects = [
        {
            "source_row": int(frame.at[i, "source_row"]),
            "reason_code": problems[i][0],
            "reason_zh": problems[i][1],
            "stationcode": frame.at[i, "stationcode"] or None,
            "record": {c: _cell(frame.at[i, c]) for c in AIR_STATION_COLUMNS},
        }
        for i in sorted(problems)
    ]
    out = pd.DataFrame({"source_row": frame["source_row"], **typed})
    out["stationcode"] = frame["stationcode"]
    text_markers = False  # a marker other than the empty field in a free-text column
    for col in ("area", "positionname", "primarypollutant"):
        distinct = set(frame[col].unique())
        present = MISSING_MARKERS & distinct
        text_markers = text_markers or bool(present - {""})
        if not present:
            out[col] = frame[col]
        elif present == distinct:  # nothing but markers (an empty column)
            out[col] = pd.Series(np.nan, index=frame.index, dtype=object)
        else:
            out[col] = frame[col].where(~frame[col].isin(MISSING_MARKERS))
    if bad.any():
        out = out.loc[~bad]
    out = out[["source_row", *AIR_STATION_COLUMNS]]
    # the sender's own (ISO 8601, already validated) text of the time point goes to COPY: formatting 10^5 datetimes
    # back to text would cost more than the rest of the load
    out["timepoint_text"] = frame.loc[~bad, "timepoint"] if bad.any() else frame["timepoint"]
    plain = None
    if typed_read and default_index and not padded and names == AIR_STATION_COLUMNS:
        # markers (other than the empty field) to empty out: in numbers (the strict read failed on them) or in text
        plain = _plain_text(facts, out, len(frame), markers=not strict or text_markers)
    return ParsedAirFile(rows=out, rejects=rejects, encoding=encoding, plain=plain)


def _plain_text(facts: _Bytes, out: pd.DataFrame, n_rows: int, markers: bool) -> PlainText | None:
    """The file, when its accepted rows' own lines (``markers``: with every field that is a missing marker emptied)
    are exactly what COPY needs. Re-writing 10^5 typed rows as CSV costs more than everything else in an ingest
    (twice that when numbers must be formatted), and for these files the sender's bytes are what it would produce.

    The caller checked: numbers typed by the C parser, the canonical column order, no padding. Here:
    - no quotes, and no blank that pandas drops (at the start of a field, at the end of the file);
    - no number PostgreSQL reads otherwise than pandas: 1e400 (inf for pandas, out of range for PostgreSQL) and
      1e-400 (0 for pandas, out of range) — any ``e-`` sends the file the careful way (UTF-8 Chinese never holds
      these ASCII bytes);
    - one line end throughout (\\n or \\r\\n), and every line not blank holding exactly one field per column: pandas
      refuses a line with too many fields but pads a short one with missing values, which COPY would refuse.
    A marker is emptied only from the third field on: a row whose time point or station code is a marker is
    rejected by the typed read, except a station code such as "NA" read strictly, which is kept as written."""
    body, arr = facts.body, facts.arr
    if b'"' in body or facts.leading_blank or facts.blank_at_end:
        return None
    if np.isinf(out[COORD_COLUMNS + NUMERIC_COLUMNS].to_numpy()).any() or facts.negative_exponent():
        return None
    ends = np.flatnonzero(arr == 0x0A)
    if b"\r" in body:
        returns = np.flatnonzero(arr == 0x0D)
        if len(returns) != len(ends) or not np.array_equal(returns + 1, ends):
            return None  # a lone carriage return ends a line for pandas; mixed line ends
        line_end = b"\r\n"
    else:
        line_end = b"\n"
    # lines: the spans between line ends (and after the last one); blank when nothing but the line end
    starts = np.concatenate(([0], ends + 1))
    stops = np.concatenate((ends if line_end == b"\n" else ends - 1, [len(arr)]))
    filled = stops > starts
    n_lines = int(filled.sum()) - 1  # without the header
    separators = len(AIR_STATION_COLUMNS) - 1
    if n_lines != n_rows or body.count(b",") != separators * (n_lines + 1):
        return None
    if markers and (emptied := _empty_markers(arr, separators)) is not None:
        body, arr = emptied, np.frombuffer(emptied, np.uint8)  # the same lines, shorter: find them again
        ends = np.flatnonzero(arr == 0x0A)
        starts = np.concatenate(([0], ends + 1))
        stops = np.concatenate((ends if line_end == b"\n" else ends - 1, [len(arr)]))
        filled = stops > starts
    return PlainText(body=body, line_end=line_end, starts=starts[filled], stops=stops[filled])


_MARKER_BYTES = sorted(m.encode() for m in MISSING_MARKERS if m)
_FIELD_END = np.zeros(256, bool)
_FIELD_END[[0x2C, 0x0A, 0x0D]] = True  # what may follow a field: a separator or a line end


def _empty_markers(arr: np.ndarray, separators: int) -> bytes | None:
    """The file with every field from the third on that is exactly a missing marker made empty (None: there is
    none). Every line that is not blank holds ``separators`` separators; a field starts after one."""
    n = len(arr)
    starts = np.flatnonzero(arr == 0x2C).reshape(-1, separators)[:, 1:].ravel() + 1  # not after the first one
    padded = np.concatenate((arr, np.zeros(8, np.uint8)))  # reads past the end see no marker byte
    first = padded[starts]
    keep = None
    for lead in sorted({m[0] for m in _MARKER_BYTES}):
        candidates = starts[first == lead]
        for m in (m for m in _MARKER_BYTES if m[0] == lead):
            ok = _FIELD_END[padded[candidates + len(m)]] | (candidates + len(m) == n)
            for k in range(1, len(m)):
                ok &= padded[candidates + k] == m[k]
            found = candidates[ok]
            if len(found):
                if keep is None:
                    keep = np.ones(n, bool)
                for k in range(len(m)):
                    keep[found + k] = False
    return None if keep is None else arr[keep].tobytes()
