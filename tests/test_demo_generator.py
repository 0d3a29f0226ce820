"""Checks on the deterministic demo-data generator (scripts/generate_demo_data.py).

(a) determinism: the same months generated twice give the same file names and bytes;
(b) calibration: 2015 city PM2.5 annual mean 45 ± 2 ug/m3 and good-day share 84.9 ± 2.5 %, computed here with a
    small independent pandas implementation of HJ 663 / HJ 633-2012 (not the generator's own code);
(c) the bad files exist and are bad in the documented way; the documented outages are there.
"""
from __future__ import annotations

import hashlib
import importlib.util
import math
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

REPO_ROOT = Path(__file__).resolve().parents[1]
SCRIPT = REPO_ROOT / "scripts" / "generate_demo_data.py"

HEADER = (
    "timepoint,stationcode,longitude,latitude,area,positionname,primarypollutant,aqi,pm10,pm10_24h,pm2_5,"
    "pm2_5_24h,o3,o3_24h,o3_8h,o3_8h_24h,no2,no2_24h,so2,so2_24h,co,co_24h"
)
CITY_STATIONS = ["1264A", "1265A", "1266A"]
IAQI = [0, 50, 100, 150, 200, 300, 400, 500]
BREAKPOINTS = {
    "pm2_5": [0, 35, 75, 115, 150, 250, 350, 500],
    "pm10": [0, 50, 150, 250, 350, 420, 500, 600],
    "o3_8h": [0, 100, 160, 215, 265, 800],
}


def _load_generator():
    spec = importlib.util.spec_from_file_location("generate_demo_data_under_test", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


gen = _load_generator()


# ---------------------------------------------------------------------------------------------------------------
# a simple, independent implementation of the city daily statistics


def iaqi(conc: float, item: str) -> float:
    if conc is None or (isinstance(conc, float) and math.isnan(conc)):
        return math.nan
    bp = BREAKPOINTS[item]
    for i in range(1, len(bp)):
        if conc <= bp[i]:
            lo, hi = bp[i - 1], bp[i]
            return math.ceil((IAQI[i] - IAQI[i - 1]) / (hi - lo) * (conc - lo) + IAQI[i - 1])
    return 500


def read_hourly(files) -> pd.DataFrame:
    frames = [pd.read_csv(f, dtype={"stationcode": str}, encoding="utf-8") for f in files]
    df = pd.concat(frames, ignore_index=True)
    df["timepoint"] = pd.to_datetime(df["timepoint"], format="%Y-%m-%d %H:%M:%S")
    df["day"] = (df["timepoint"] - pd.Timedelta(hours=1)).dt.normalize()  # hour ending 24:00 belongs to day D
    df["hour_ending"] = (df["timepoint"] - df["day"]) // pd.Timedelta(hours=1)  # 1..24
    return df


def station_daily(df: pd.DataFrame) -> pd.DataFrame:
    """Per station and day: PM means with >= 20 valid hours, O3 daily max 8h (windows ending 8..24, >= 6 hours)."""
    g = df.groupby(["stationcode", "day"])
    out = pd.DataFrame({
        "pm2_5": g["pm2_5"].mean().where(g["pm2_5"].count() >= 20),
        "pm10": g["pm10"].mean().where(g["pm10"].count() >= 20),
    })
    wide = df.pivot_table(index=["stationcode", "day"], columns="hour_ending", values="o3", dropna=False)
    wide = wide.reindex(columns=range(1, 25))
    arr = wide.to_numpy(dtype=float)
    windows = np.lib.stride_tricks.sliding_window_view(arr, 8, axis=1)  # window k ends at hour 8 + k
    n_hours = (~np.isnan(windows)).sum(axis=2)
    valid = n_hours >= 6
    means = np.where(valid, np.nansum(windows, axis=2) / np.maximum(n_hours, 1), np.nan)
    n_valid = valid.sum(axis=1)
    o3_max = np.where(n_valid > 0, np.nanmax(np.where(valid, means, -np.inf), axis=1), np.nan)
    o3_max = np.where((n_valid >= 14) | (o3_max > 160), o3_max, np.nan)
    out = out.join(pd.Series(o3_max, index=wide.index, name="o3_8h"))
    return out


def city_daily(df: pd.DataFrame) -> pd.DataFrame:
    daily = station_daily(df[df["stationcode"].isin(CITY_STATIONS)])
    city = daily.groupby(level="day").mean()  # HJ 663: arithmetic mean of the city stations
    city["aqi"] = [
        max((v for v in (iaqi(r.pm2_5, "pm2_5"), iaqi(r.pm10, "pm10"), iaqi(r.o3_8h, "o3_8h")) if not math.isnan(v)),
            default=math.nan)
        for r in city.itertuples()
    ]
    return city


def city_stats(df: pd.DataFrame) -> dict:
    city = city_daily(df)
    valid = city["aqi"].notna()
    return {
        "pm2_5_mean": float(city["pm2_5"].mean()),
        "good_share": float((city.loc[valid, "aqi"] <= 100).mean() * 100.0),
        "days": int(valid.sum()),
        "o3_exceed_days": int((city["o3_8h"] > 160).sum()),
    }


def sha256_tree(d: Path) -> dict:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(d.iterdir()) if p.is_file()}


# ---------------------------------------------------------------------------------------------------------------
# fixtures


@pytest.fixture(scope="module")
def year2015(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("demo2015")
    gen.generate(out, months=[f"2015-{m:02d}" for m in range(1, 13)])
    return out


@pytest.fixture(scope="module")
def latest(tmp_path_factory) -> tuple[Path, dict]:
    out = tmp_path_factory.mktemp("demo_latest")
    summary = gen.generate(out, months=["2026-09", "2026-10"])
    return out, summary


# ---------------------------------------------------------------------------------------------------------------
# (a) determinism


def test_deterministic_bytes(tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    gen.generate(a, months=["2015-01", "2015-03"])
    _clear_caches()
    gen.generate(b, months=["2015-03", "2015-01"])
    ha, hb = sha256_tree(a), sha256_tree(b)
    assert sorted(ha) == ["air_hourly_201501.csv", "air_hourly_201503.csv"]
    assert ha == hb
    assert not [p for p in a.iterdir() if p.name.startswith(".")], "temporary files left behind"


def _clear_caches():
    gen._simulate_month.cache_clear()
    gen._year_daily.cache_clear()


def test_month_alone_equals_month_within_year(tmp_path, year2015):
    alone = tmp_path / "alone"
    _clear_caches()
    gen.generate(alone, months=["2015-07"])
    assert (alone / "air_hourly_201507.csv").read_bytes() == (year2015 / "air_hourly_201507.csv").read_bytes()


def test_script_in_fresh_processes_gives_same_bytes(tmp_path):
    """Two fresh interpreters with different hash seeds write the same bytes as the in-process API."""
    _clear_caches()
    gen.generate(tmp_path / "api", months=["2020-02"])
    for hash_seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": hash_seed}
        subprocess.run([sys.executable, str(SCRIPT), "--out", str(tmp_path / hash_seed), "--months", "2020-02"],
                       check=True, env=env, capture_output=True)
    assert sha256_tree(tmp_path / "1") == sha256_tree(tmp_path / "2") == sha256_tree(tmp_path / "api")


def test_seed_changes_data(tmp_path):
    gen.generate(tmp_path / "x", months=["2015-01"], seed=1)
    gen.generate(tmp_path / "y", months=["2015-01"])
    assert sha256_tree(tmp_path / "x") != sha256_tree(tmp_path / "y")


# ---------------------------------------------------------------------------------------------------------------
# (b) calibration and plausibility


def test_calibration_2015(year2015):
    df = read_hourly(sorted(year2015.glob("air_hourly_2015??.csv")))
    stats = city_stats(df)
    assert stats["days"] == 365
    assert 43.0 <= stats["pm2_5_mean"] <= 47.0, stats
    assert 82.4 <= stats["good_share"] <= 87.4, stats
    assert stats["o3_exceed_days"] >= 1, "some summer days should exceed O3 8h 160"


def test_monthly_file_layout_and_values(year2015):
    f = year2015 / "air_hourly_201502.csv"
    raw = f.read_bytes()
    assert not raw.startswith(b"\xef\xbb\xbf") and b"\r" not in raw
    assert raw.decode("utf-8").split("\n", 1)[0] == HEADER
    df = read_hourly([f])
    assert df["timepoint"].min() == pd.Timestamp("2015-02-01 01:00:00")
    assert df["timepoint"].max() == pd.Timestamp("2015-03-01 00:00:00")
    assert len(df) == 28 * 24 * 15
    assert not df.duplicated(["stationcode", "timepoint"]).any()
    assert set(df["stationcode"]) >= set(CITY_STATIONS) | {"1223A", "1345A"}
    assert set(df.loc[df["stationcode"].isin(CITY_STATIONS), "area"]) == {"衢州市"}
    for col in ("pm10", "pm2_5", "o3", "no2", "so2", "co"):
        share = df[col].isna().mean()
        assert 0.005 <= share <= 0.03, (col, share)
        assert (df[col].dropna() > 0).all()
    assert (df["pm10"].dropna() >= df["pm2_5"].reindex(df["pm10"].dropna().index).fillna(0)).all()
    assert df.loc[df["aqi"] <= 50, "primarypollutant"].isna().all()


def test_outages_2015_03(year2015):
    df = read_hourly([year2015 / "air_hourly_201503.csv"])
    st = df[df["stationcode"] == "QZ330824A1"]
    counts = st.groupby("day")["pm2_5"].count()
    assert counts[pd.Timestamp("2015-03-10")] == 19
    assert counts[pd.Timestamp("2015-03-11")] == 19
    assert counts[pd.Timestamp("2015-03-12")] == 20
    for col in ("pm10", "o3", "no2", "so2", "co"):
        assert st.groupby("day")[col].count()[pd.Timestamp("2015-03-10")] == 19
    # the documented outages are the only station-days with fewer than 20 valid hours
    every = df.groupby(["stationcode", "day"])[["pm10", "pm2_5", "no2", "so2", "co"]].count()
    short = every[(every < 20).any(axis=1)]
    assert sorted(short.index.get_level_values("day").strftime("%m-%d")) == ["03-10", "03-11"]


# ---------------------------------------------------------------------------------------------------------------
# (c) latest month: hourly files, GBK day, bad files


def test_latest_month_hourly_files(latest):
    out, summary = latest
    hourly = sorted(out.glob("air_hourly_2026??????.csv"))
    assert len(hourly) == 31 * 24 == summary["files"]["hourly"]
    assert hourly[0].name == "air_hourly_2026100101.csv" and hourly[-1].name == "air_hourly_2026110100.csv"
    assert (out / "air_hourly_202609.csv").exists() and not (out / "air_hourly_202610.csv").exists()
    gbk = [p for p in hourly if p.name.startswith("air_hourly_20261015")]
    assert len(gbk) == 24
    for p in hourly:
        raw = p.read_bytes()
        if p in gbk:
            with pytest.raises(UnicodeDecodeError):
                raw.decode("utf-8")
            text = raw.decode("gbk")
        else:
            text = raw.decode("utf-8")
        lines = text.split("\n")
        assert lines[0] == HEADER and lines[-1] == ""
        assert len(lines) == 1 + 15 + 1
        assert all(line.startswith(f"{p.stem[11:15]}-{p.stem[15:17]}-{p.stem[17:19]} {p.stem[19:21]}:00:00,")
                   for line in lines[1:-1])
    # 1266A: 19 valid PM2.5 hours on 2026-10-08, other pollutants complete
    frames = [pd.read_csv(p, encoding="gbk" if p in gbk else "utf-8") for p in hourly]
    df = pd.concat(frames, ignore_index=True)
    df["day"] = (pd.to_datetime(df["timepoint"]) - pd.Timedelta(hours=1)).dt.normalize()
    st = df[(df["stationcode"] == "1266A") & (df["day"] == pd.Timestamp("2026-10-08"))]
    assert len(st) == 24 and st["pm2_5"].count() == 19
    assert all(st[c].count() == 24 for c in ("pm10", "o3", "no2", "so2", "co"))


def test_bad_header_file(latest):
    out, _ = latest
    text = (out / "air_bad_header_202610.csv").read_text(encoding="utf-8")
    header = text.split("\n", 1)[0].split(",")
    assert "pm2_5" not in header and "o3" not in header
    assert set(HEADER.split(",")) - set(header) == {"pm2_5", "o3"}
    rows = text.strip().split("\n")[1:]
    assert len(rows) == 72 and all(len(r.split(",")) == len(header) for r in rows)


def test_bad_rows_file(latest):
    out, _ = latest
    text = (out / "air_bad_rows_202610.csv").read_text(encoding="utf-8")
    lines = text.split("\n")
    assert lines[0] == HEADER and lines[-1] == ""
    rows = [line.split(",") for line in lines[1:-1]]
    assert len(rows) == 30
    cols = HEADER.split(",")
    df = pd.DataFrame(rows, columns=cols)
    df.index = range(2, 32)  # file line numbers

    tp = pd.to_datetime(df["timepoint"], format="%Y-%m-%d %H:%M:%S", errors="coerce")
    numeric = df[cols[7:]].apply(lambda s: pd.to_numeric(s.replace("", np.nan), errors="coerce"))
    not_numeric = (numeric.isna() & df[cols[7:]].ne("")).any(axis=1)
    negative = (numeric < 0).any(axis=1)
    no_station = df["stationcode"].eq("")
    bad_time = tp.isna()
    dup = (df["stationcode"] + "|" + df["timepoint"]).duplicated(keep="first") & tp.notna()

    assert list(df.index[df["pm2_5"].isin(["abc", "12..5", "N/A!"])]) == [4, 11, 18]
    assert list(df.index[not_numeric]) == [4, 11, 18]
    assert list(df.index[negative]) == [7, 22] and list(df.loc[negative, "pm10"]) == ["-35", "-7"]
    assert list(df.index[bad_time]) == [12, 17]
    assert list(df.index[no_station]) == [25]
    assert list(df.index[dup]) == [30, 31]
    bad = not_numeric | negative | no_station | bad_time | dup
    assert (not_numeric.astype(int) + negative + no_station + bad_time + dup).max() == 1  # one defect per row
    assert bad.sum() == 10 and (~bad).sum() == 20
    assert set(df.loc[~no_station, "stationcode"]) == {"QZ330822A1", "QZ330822A2"}

    # valid rows carry the same values as the hourly files
    for line_no in df.index[~bad]:
        r = df.loc[line_no]
        t = pd.Timestamp(r["timepoint"])
        hourly = (out / f"air_hourly_{t:%Y%m%d%H}.csv").read_text(encoding="utf-8")
        assert ",".join(r) in hourly.split("\n")


def test_notes_file_is_unknown_format(latest):
    out, _ = latest
    text = (out / "notes_from_county.txt").read_text(encoding="utf-8")
    first = text.split("\n", 1)[0]
    assert "timepoint" not in first and "stationcode" not in first and "," not in first
    assert any("\u4e00" <= ch <= "\u9fff" for ch in text)


def test_warehouse_parser_agrees_with_documented_counts(latest):
    """If the project's ingestion parser is importable, it quarantines exactly the documented rows."""
    formats = pytest.importorskip("ecowarehouse.ingest.formats")
    air = pytest.importorskip("ecowarehouse.ingest.air_stations")
    out, _ = latest
    parsed = air.parse((out / "air_bad_rows_202610.csv").read_bytes())
    assert parsed.received == 30 and len(parsed.rows) == 20 and len(parsed.rejects) == 10
    assert sorted(r["source_row"] for r in parsed.rejects) == [4, 7, 11, 12, 17, 18, 22, 25, 30, 31]
    with pytest.raises(formats.FileRejected):
        air.parse((out / "air_bad_header_202610.csv").read_bytes())
    with pytest.raises(formats.FileRejected):
        formats.detect_kind((out / "notes_from_county.txt").read_bytes())
    gbk = air.parse((out / "air_hourly_2026101510.csv").read_bytes())
    assert gbk.encoding == "gbk" and len(gbk.rows) == 15 and not gbk.rejects


def test_cli(tmp_path):
    assert gen.main(["--out", str(tmp_path / "cli"), "--months", "2015-01", "--no-bad-files"]) == 0
    assert [p.name for p in (tmp_path / "cli").iterdir()] == ["air_hourly_201501.csv"]
    with pytest.raises(SystemExit):
        gen.main(["--out", str(tmp_path / "cli"), "--months", "2026-11"])
