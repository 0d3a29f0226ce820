"""Hourly ambient-air station files in the national real-time publication format.

Validation here is about whether a row can be stored at all (types, identity, physical possibility); whether the
data are *valid for statistics* (HJ 663 capture rules) is decided later in dbt, on the stored rows.
"""
from __future__ import annotations

import io
from dataclasses import dataclass, field

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


@dataclass
class ParsedAirFile:
    rows: pd.DataFrame  # typed, ready for COPY (without batch id)
    rejects: list[dict] = field(default_factory=list)  # {source_row, reason_code, reason_zh, stationcode, record}
    encoding: str = "utf-8"
    # the sender's own lines of the accepted rows, when they can go to COPY as they are (see _plain_lines)
    plain_lines: list[str] | None = None

    @property
    def received(self) -> int:
        return len(self.rows) + len(self.rejects)


def _cell(value) -> str:
    """A cell as the sender wrote it (near enough, for typed reads), for the quarantine record."""
    if isinstance(value, float):
        return "" if value != value else format(value, "g")
    return str(value)


def _read(text: str, names: list[str], typed: bool, markers=MISSING_MARKERS) -> pd.DataFrame:
    """Typed fast path (the C parser converts numbers) or all-text slow path that can report each bad cell."""
    options = dict(header=0, names=names, keep_default_na=False, skipinitialspace=True, skip_blank_lines=True)
    if typed:
        dtypes = {c: "float64" for c in COORD_COLUMNS + NUMERIC_COLUMNS} | {c: str for c in TEXT_COLUMNS}
        return pd.read_csv(io.StringIO(text), dtype=dtypes, na_values=sorted(markers), **options)
    return pd.read_csv(io.StringIO(text), dtype=str, **options)


def parse(data: bytes) -> ParsedAirFile:
    decoded = decode_text(data)
    names = [str(c).strip().lower() for c in pd.read_csv(io.StringIO(decoded.text), nrows=0).columns]
    missing = [c for c in AIR_STATION_COLUMNS if c not in names]
    if missing:
        raise FileRejected("missing_columns", f"文件缺少必需的列：{'、'.join(missing)}（模板见全国城市空气质量实时发布格式）")
    # Most files are clean: the C parser types them. A cell that is not a number makes it raise, and the all-text
    # path then finds and reports each bad cell.
    # Numbers read with "empty is missing" only, first: when that works the numeric fields hold no marker, which
    # lets the sender's lines go to COPY as they are (_plain_lines).
    strict = False
    try:
        frame, typed_read, strict = _read(decoded.text, names, typed=True, markers={""}), True, True
    except ValueError:
        try:
            frame, typed_read = _read(decoded.text, names, typed=True), True
        except ValueError:
            frame, typed_read = _read(decoded.text, names, typed=False), False
    frame = frame[AIR_STATION_COLUMNS].copy()
    text = decoded.text
    # skipinitialspace removed leading blanks; trailing ones are rare, and stripping 10^5 strings is costly
    padded = " ," in text or " \n" in text or " \r" in text or "\t" in text
    for col in TEXT_COLUMNS:
        frame[col] = frame[col].fillna("")
        if padded:
            frame[col] = frame[col].str.strip()
    frame.insert(0, "source_row", range(2, len(frame) + 2))  # line numbers as a clerk sees them (header = 1)

    problems: dict[int, tuple[str, str]] = {}  # first problem per row wins

    def flag(mask: pd.Series, code: str, reason) -> None:
        for idx in frame.index[mask.fillna(False).to_numpy()]:
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
    key = frame["stationcode"] + "|" + timepoint.astype(str)
    repeated = key.duplicated(keep="first") & timepoint.notna()
    if repeated.any():  # the group-by that names the first occurrence is only worth it when there is a repeat
        first_row = frame["source_row"].groupby(key).transform("first")
        flag(repeated, "duplicate_station_hour",
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
    for col in ("area", "positionname", "primarypollutant"):
        out[col] = frame[col].where(~frame[col].isin(MISSING_MARKERS))
    out = out.loc[~bad, ["source_row", *AIR_STATION_COLUMNS]]
    # the sender's own (ISO 8601, already validated) text of the time point goes to COPY: formatting 10^5 datetimes
    # back to text would cost more than the rest of the load
    out["timepoint_text"] = frame.loc[~bad, "timepoint"]
    plain = None
    if strict and not padded and not frame[["area", "positionname", "primarypollutant"]].isin(MISSING_MARKERS - {""}).any().any():
        plain = _plain_lines(text, names, len(frame), bad)
    return ParsedAirFile(rows=out, rejects=rejects, encoding=decoded.encoding, plain_lines=plain)


def _plain_lines(text: str, names: list[str], n_rows: int, bad) -> list[str] | None:
    """The accepted rows' own text, when the file is plain CSV in the canonical column order: no quotes, no missing
    markers other than the empty field (checked by the caller), no padding. Re-writing 10^5 typed rows as CSV costs
    more than everything else in an ingest, and these bytes are exactly what that would produce for COPY."""
    if names != AIR_STATION_COLUMNS or '"' in text or ", " in text:
        return None
    lines = [ln.rstrip("\r") for ln in text.split("\n")[1:]]
    lines = [ln for ln in lines if ln.strip()]  # pandas skips blank lines the same way
    if len(lines) != n_rows:
        return None
    keep = (~bad).tolist()
    return [ln for ln, k in zip(lines, keep) if k]
