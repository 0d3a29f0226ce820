"""Deterministic demo data: hourly ambient-air station files in the national real-time publication format.

Usable as a module (``generate(out_dir, seed=..., latest_month=...)``) and as a script::

    python scripts/generate_demo_data.py --out DIR [--latest-month 2026-10] [--years 2015,2020,2026]
                                         [--months 2015-01,2015-02] [--seed 20151201] [--no-bad-files]

Nothing depends on the current date or time, on the locale or on the machine: the same arguments give the same
file names and the same bytes (same sha256). Every file is written under a temporary name beginning with ``.``
(``.<name>.<pid>.tmp``, which the landing scan skips) and then renamed with ``os.replace``. Files of other runs already in
``out_dir`` are left alone.

File format
-----------
Header (exactly)::

    timepoint,stationcode,longitude,latitude,area,positionname,primarypollutant,aqi,pm10,pm10_24h,pm2_5,pm2_5_24h,
    o3,o3_24h,o3_8h,o3_8h_24h,no2,no2_24h,so2,so2_24h,co,co_24h

* one row per station per hour; ``\\n`` line endings; no quoting (no field contains a comma);
* ``timepoint`` ``YYYY-MM-DD HH:MM:SS`` labels the END of the averaging hour: the 24 values of calendar day D carry
  the timepoints D 01:00:00 ... (D+1) 00:00:00;
* concentrations in ug/m3 written as integers, CO in mg/m3 with one decimal; an empty cell is a missing value;
* ``pm2_5_24h``, ``pm10_24h``, ``no2_24h``, ``so2_24h``, ``co_24h``: trailing 24-hour means of the published hourly
  values (at least 20 valid); ``o3_8h``: trailing 8-hour mean (at least 6 valid); ``o3_24h``: maximum 1-hour O3 of
  the trailing 24 hours; ``o3_8h_24h``: maximum ``o3_8h`` of the trailing 24 hours. These are informational (the
  platform's own moving values); the trailing windows reach back into the previous month's data;
* ``aqi``: hourly real-time AQI = ceil(max IAQI of pm2_5_24h, pm10_24h (24h breakpoints) and O3, NO2, SO2, CO 1h
  (1h breakpoints), HJ 633-2012); ``primarypollutant`` is the pollutant with the highest IAQI (``PM2.5``, ``PM10``,
  ``O3``, ``NO2``, ``SO2`` or ``CO``, first in that order on ties), empty when aqi <= 50;
* ``area`` is the city (衢州市 for our stations), ``positionname`` the station name.

Stations: ``seeds/ref_air_stations.csv`` (13 stations of 衢州; 1264A/1265A/1266A are the city's national stations)
plus two stations of other cities that the national files contain and the warehouse must ignore:
``1223A`` 杭州市 西溪 and ``1345A`` 金华市 环境监测站 (made-up coordinates). Rows are ordered by timepoint, then
stationcode. A station is written only for days inside its ``valid_from``/``valid_to``.

Files (all flat in ``out_dir``), default run (latest month 2026-10)
-----------------------------------------------------------------
* ``air_hourly_YYYYMM.csv`` — one file per history month (years 2015 and 2020, and 2026-01 ... 2026-09 = the months
  of the latest month's year before it): every hour of the month's CALENDAR DAYS, i.e. timepoints
  YYYY-MM-01 01:00:00 ... (first day of next month) 00:00:00. 33 files, UTF-8 without BOM.
* ``air_hourly_YYYYMMDDHH.csv`` — the latest month, one file per hour named by the timepoint (HH = 00..23) for the
  calendar days of the month: ``air_hourly_2026100101.csv`` ... ``air_hourly_2026110100.csv`` (744 files, 15 rows
  each). The 24 files whose name date is the 15th (``air_hourly_2026101500.csv`` ... ``air_hourly_2026101523.csv``)
  are encoded in GBK, all others in UTF-8 without BOM.
* bad files (written when the latest month is generated; dates follow the latest month):

  1. ``air_bad_header_202610.csv`` — the 72 rows of the city stations 1264A/1265A/1266A for calendar day
     2026-10-05 (same values as the hourly files), but the columns ``pm2_5`` and ``o3`` are missing from header and
     rows → the whole file must be rejected (missing columns).
  2. ``air_bad_rows_202610.csv`` — 30 rows for stations QZ330822A1/QZ330822A2, timepoints 2026-10-20 01:00:00 ...
     14:00:00 (28 base rows, ordered by timepoint then station, values identical to the hourly files) followed by 2
     duplicate rows. Exactly 10 rows are bad, each with exactly one defect (file line numbers, header = line 1):

     ====  ============  ===================  =========================================
     line  station       timepoint            defect
     ====  ============  ===================  =========================================
     4     QZ330822A1    2026-10-20 02:00:00  pm2_5 = ``abc`` (not numeric)
     7     QZ330822A2    2026-10-20 03:00:00  pm10 = ``-35`` (negative)
     11    QZ330822A2    2026-10-20 05:00:00  pm2_5 = ``12..5`` (not numeric)
     12    QZ330822A1    2026-10-20 06:00:00  timepoint written ``2026-13-20 06:00:00`` (unparseable)
     17    QZ330822A2    2026-10-20 08:00:00  timepoint written ``yesterday`` (unparseable)
     18    QZ330822A1    2026-10-20 09:00:00  pm2_5 = ``N/A!`` (not numeric)
     22    QZ330822A1    2026-10-20 11:00:00  pm10 = ``-7`` (negative)
     25    QZ330822A2    2026-10-20 12:00:00  stationcode empty
     30    QZ330822A1    2026-10-20 01:00:00  duplicate of line 2 (same station+timepoint, pm2_5 + 5)
     31    QZ330822A2    2026-10-20 04:00:00  duplicate of line 9 (same station+timepoint, pm2_5 + 5)
     ====  ============  ===================  =========================================

     → 30 rows received, 10 quarantined (3 not numeric pm2_5, 2 negative pm10, 2 bad timepoint, 1 missing station,
     2 duplicate station-hour), 20 loaded (identical to the hourly files' rows for those station-hours).
  3. ``notes_from_county.txt`` — a short Chinese note (UTF-8), not any known format → rejected as unknown kind.

Gaps
----
* random gaps: each hourly value of each pollutant (pm10, pm2_5, o3, no2, so2, co) is missing with probability
  1.2 %, independently, but never more than 3 random gaps per station, calendar day and pollutant — so random gaps
  alone never make a daily mean invalid (HJ 663: >= 20 hours);
* deliberate outages (the only station-days with fewer than 20 valid hours; on these station-days there are no
  random gaps):

  - QZ330824A1 (开化县城), all pollutants missing (rows present, cells empty): calendar day 2015-03-10 hours ending
    02-06 (19 valid hours → invalid day), 2015-03-11 hours ending 10-14 (19 → invalid), 2015-03-12 hours ending
    20-23 (exactly 20 → valid day);
  - 1266A (衢州学院), PM2.5 only: calendar day 2026-10-08 (of the latest month) hours ending 09-13 missing → 19 valid
    PM2.5 hours → invalid PM2.5 day (other pollutants complete).

Model and calibration
---------------------
Daily log-space AR(1) regional anomalies (PM, O3) with station-level offsets and small station AR(1) noise, smooth
seasonal cycles (PM high in winter, O3 high in late spring/summer and early autumn with a plum-rain dip), diurnal
shapes and hourly AR(1) noise. PM10 = PM2.5 x ratio (~1.5-1.8), NO2/SO2/CO follow the PM weather anomaly.
Random streams: ``np.random.default_rng(SeedSequence([seed, year, 0]))`` for a year's daily anomalies and
``SeedSequence([seed, year, month])`` for a month's hourly noise and gaps, so one month generated alone gives the
same bytes as within a full run. Parameters (``YEAR_PARAMS``) were tuned so that the city value (mean of the three
city stations' daily means, HJ 663; AQI with HJ 633-2012 24h breakpoints, O3 daily max 8h) gives:
2015 PM2.5 ~45 ug/m3 and ~84.9 % good days; 2020 ~30 and ~93 %; 2026 (Jan-Oct) ~27 and ~94 %.
"""
from __future__ import annotations

import argparse
import calendar
import csv
import datetime as dt
import functools
import json
import math
import os
import sys
import time
from pathlib import Path

import numpy as np

DEFAULT_SEED = 20151201
DEFAULT_LATEST_MONTH = "2026-10"
HISTORY_YEARS = (2015, 2020)

HEADER = (
    "timepoint,stationcode,longitude,latitude,area,positionname,primarypollutant,aqi,pm10,pm10_24h,pm2_5,"
    "pm2_5_24h,o3,o3_24h,o3_8h,o3_8h_24h,no2,no2_24h,so2,so2_24h,co,co_24h"
).split(",")

STATIONS_CSV = Path(__file__).resolve().parent.parent / "seeds" / "ref_air_stations.csv"
CITY_NAME = "衢州市"

# Stations of other cities present in the national files (made-up coordinates); the warehouse must ignore them.
OTHER_CITY_STATIONS = (
    ("1223A", "西溪", "杭州市", "120.0630", "30.2740"),
    ("1345A", "环境监测站", "金华市", "119.6540", "29.0820"),
)

POLLUTANTS = ("pm2_5", "pm10", "o3", "no2", "so2", "co")
P = {name: i for i, name in enumerate(POLLUTANTS)}

# Log offsets per station: (pm, o3, no2, so2, co). Unknown stations get zeros.
STATION_OFFSETS = {
    "1264A": (0.03, -0.01, 0.10, 0.00, 0.05),
    "1265A": (-0.03, 0.02, -0.05, -0.05, -0.03),
    "1266A": (0.00, 0.01, 0.00, 0.02, 0.00),
    "QZ330803A1": (0.04, 0.00, 0.00, 0.05, 0.03),
    "QZ330803A2": (0.07, -0.02, -0.10, 0.10, 0.02),
    "QZ330822A1": (0.06, 0.00, -0.05, 0.15, 0.05),
    "QZ330822A2": (0.10, -0.03, -0.10, 0.30, 0.08),  # 辉埠: cement/calcium industry
    "QZ330824A1": (-0.18, 0.04, -0.25, -0.20, -0.10),  # 开化: forest county, cleanest
    "QZ330824A2": (-0.12, 0.03, -0.20, -0.15, -0.08),
    "QZ330825A1": (0.05, 0.00, 0.05, 0.05, 0.03),
    "QZ330825A2": (0.08, -0.02, -0.05, 0.10, 0.04),
    "QZ330881A1": (0.00, 0.01, 0.00, 0.00, 0.00),
    "QZ330881A2": (0.03, 0.00, -0.10, 0.05, 0.02),
    "1223A": (0.10, 0.05, 0.30, -0.05, 0.05),
    "1345A": (0.08, 0.03, 0.15, 0.00, 0.03),
}

# Per-year model parameters (linear interpolation between the anchor years, clamped outside).
#   pm_scale: PM2.5 scale (ug/m3) of the log-normal daily level; pm_amp: seasonal log amplitude (peak mid-January);
#   pm_sd: stationary sd of the regional daily log anomaly; o3_scale: daily max 1h O3 scale (ug/m3);
#   o3_sd: sd of its daily log anomaly; no2/so2/co: typical levels.
YEAR_PARAMS = {
    2015: dict(pm_scale=36.2, pm_amp=0.45, pm_sd=0.50, o3_scale=114.0, o3_amp=0.36, o3_sd=0.17, no2=33.0, so2=14.0, co=0.95),
    2020: dict(pm_scale=26.0, pm_amp=0.36, pm_sd=0.40, o3_scale=117.0, o3_amp=0.36, o3_sd=0.17, no2=28.0, so2=8.0, co=0.80),
    2026: dict(pm_scale=25.4, pm_amp=0.34, pm_sd=0.38, o3_scale=118.0, o3_amp=0.36, o3_sd=0.17, no2=25.0, so2=6.0, co=0.70),
}

MISSING_PROB = 0.012
MAX_RANDOM_GAPS_PER_DAY = 3

# Deliberate outages: (year, month or None = the latest month, day, station, pollutants or None = all, hours ending).
HISTORY_OUTAGES = (
    (2015, 3, 10, "QZ330824A1", None, (2, 3, 4, 5, 6)),
    (2015, 3, 11, "QZ330824A1", None, (10, 11, 12, 13, 14)),
    (2015, 3, 12, "QZ330824A1", None, (20, 21, 22, 23)),
)
LATEST_OUTAGES = ((8, "1266A", ("pm2_5",), (9, 10, 11, 12, 13)),)  # (day of the latest month, station, ...)

GBK_DAY = 15  # hourly files named YYYYMM15HH of the latest month are GBK
BAD_HEADER_DAY = 5
BAD_ROWS_DAY = 20
BAD_ROWS_STATIONS = ("QZ330822A1", "QZ330822A2")

# HJ 633-2012 breakpoints (IAQI 0,50,100,150,200,300,400,500).
IAQI_LEVELS = np.array([0, 50, 100, 150, 200, 300, 400, 500], dtype=float)
BP_24H = {
    "pm2_5": [0, 35, 75, 115, 150, 250, 350, 500],
    "pm10": [0, 50, 150, 250, 350, 420, 500, 600],
}
# HJ 633-2026 (in force from 2026-03-01) moves the IAQI-100 breakpoints of PM2.5 to 60 and of PM10 to 120; the
# platform's published `aqi` follows the version in force.
BP_24H_2026 = {
    "pm2_5": [0, 35, 60, 115, 150, 250, 350, 500],
    "pm10": [0, 50, 120, 250, 350, 420, 500, 600],
}
HJ633_2026_FROM = (2026, 3)
BP_1H = {
    "o3": [0, 160, 200, 300, 400, 800, 1000, 1200],
    "no2": [0, 100, 200, 700, 1200, 2340, 3090, 3840],
    "so2": [0, 150, 500, 650, 800],  # above 800 the 24h IAQI applies; not reached here
    "co": [0, 5, 10, 35, 60, 90, 120, 150],
}
PRIMARY_NAMES = ("PM2.5", "PM10", "O3", "NO2", "SO2", "CO")


# --------------------------------------------------------------------------------------------------------------------
# stations


def _load_stations(path: Path = STATIONS_CSV) -> tuple:
    """(code, name, area, lon, lat, valid_from, valid_to) in a fixed order: the seed file's order, then other cities."""
    rows = []
    with path.open(encoding="utf-8", newline="") as f:
        for r in csv.DictReader(f):
            vf = dt.date.fromisoformat(r["valid_from"]) if r.get("valid_from") else dt.date.min
            vt = dt.date.fromisoformat(r["valid_to"]) if r.get("valid_to") else dt.date.max
            rows.append((r["station_code"], r["station_name"], CITY_NAME,
                         f"{float(r['longitude']):.4f}", f"{float(r['latitude']):.4f}", vf, vt))
    for code, name, area, lon, lat in OTHER_CITY_STATIONS:
        rows.append((code, name, area, lon, lat, dt.date.min, dt.date.max))
    return tuple(rows)


@functools.lru_cache(maxsize=1)
def _stations() -> tuple:
    return _load_stations()


def _offsets() -> np.ndarray:
    return np.array([STATION_OFFSETS.get(s[0], (0.0,) * 5) for s in _stations()], dtype=float)


# --------------------------------------------------------------------------------------------------------------------
# model


def _year_params(year: int) -> dict:
    anchors = sorted(YEAR_PARAMS)
    if year <= anchors[0]:
        return dict(YEAR_PARAMS[anchors[0]])
    if year >= anchors[-1]:
        return dict(YEAR_PARAMS[anchors[-1]])
    for lo, hi in zip(anchors, anchors[1:]):
        if lo <= year <= hi:
            w = (year - lo) / (hi - lo)
            return {k: (1 - w) * YEAR_PARAMS[lo][k] + w * YEAR_PARAMS[hi][k] for k in YEAR_PARAMS[lo]}
    raise AssertionError("unreachable")


def _ar1(rng: np.random.Generator, n: int, width: int, phi: float, sd: float) -> np.ndarray:
    """Stationary AR(1) series of shape (n, width) with marginal sd ``sd``."""
    e = rng.standard_normal((n, width))
    out = np.empty((n, width))
    out[0] = sd * e[0]
    k = sd * math.sqrt(1.0 - phi * phi)
    for t in range(1, n):
        out[t] = phi * out[t - 1] + k * e[t]
    return out


PAD_DAYS = 2


@functools.lru_cache(maxsize=4)
def _year_daily(seed: int, year: int) -> dict:
    """Daily log-space anomalies for every calendar day of ``year`` (padded by PAD_DAYS on both sides)."""
    n_st = len(_stations())
    n = (366 if calendar.isleap(year) else 365) + 2 * PAD_DAYS
    p = _year_params(year)
    rng = np.random.default_rng(np.random.SeedSequence([seed, year, 0]))
    x_pm = _ar1(rng, n, 1, 0.72, p["pm_sd"])  # regional PM weather
    s_pm = _ar1(rng, n, n_st, 0.5, 0.10)  # station PM
    x_o3 = _ar1(rng, n, 1, 0.60, p["o3_sd"])  # regional O3 weather
    s_o3 = _ar1(rng, n, n_st, 0.4, 0.05)
    ratio = _ar1(rng, n, 1, 0.6, 0.07)  # PM10/PM2.5 ratio anomaly
    s_gas = _ar1(rng, n, 3 * n_st, 0.5, 0.10).reshape(n, 3, n_st)  # no2, so2, co station noise
    first = dt.date(year, 1, 1) - dt.timedelta(days=PAD_DAYS)
    return {"first": first, "x_pm": x_pm, "s_pm": s_pm, "x_o3": x_o3, "s_o3": s_o3, "ratio": ratio, "s_gas": s_gas}


def _circ(h: np.ndarray, center: float) -> np.ndarray:
    return (h - center + 12.0) % 24.0 - 12.0


def _bump(h, center, width):
    return np.exp(-0.5 * (_circ(h, center) / width) ** 2)


_H = np.arange(24) + 0.5  # hour centres of the hours ending 01..24
DIURNAL = {
    "pm": 0.10 * _bump(_H, 8.5, 2.0) + 0.16 * _bump(_H, 21.5, 3.0) - 0.18 * _bump(_H, 15.0, 3.0),
    "no2": 0.22 * _bump(_H, 8.0, 1.8) + 0.28 * _bump(_H, 20.5, 2.5) - 0.35 * _bump(_H, 14.0, 3.0),
    "so2": 0.15 * _bump(_H, 11.0, 2.5) - 0.08 * _bump(_H, 3.0, 3.0),
    "co": 0.10 * _bump(_H, 8.0, 2.0) + 0.12 * _bump(_H, 20.5, 2.5) - 0.10 * _bump(_H, 14.5, 3.0),
    "o3": _bump(_H, 14.5, 3.3),  # shape in [0, 1], peak in the hour ending 15
}
for _k in ("pm", "no2", "so2", "co"):
    DIURNAL[_k] = DIURNAL[_k] - DIURNAL[_k].mean()
O3_NIGHT_FRACTION = 0.28
O3_SOFT_CAP, O3_SOFT_WIDTH = 190.0, 35.0  # daily O3 peak level never exceeds cap + width


def _season(doy: np.ndarray, peak: float) -> np.ndarray:
    return np.cos(2.0 * math.pi * (doy - peak) / 365.25)


def _month_days(year: int, month: int) -> int:
    return calendar.monthrange(year, month)[1]


def _prev_month(year: int, month: int) -> tuple[int, int]:
    return (year - 1, 12) if month == 1 else (year, month - 1)


@functools.lru_cache(maxsize=4)
def _simulate_month(seed: int, year: int, month: int, latest: tuple | None) -> np.ndarray:
    """Published hourly values (rounded, NaN = missing) of shape (hours, stations, pollutants) for the calendar days
    of the month; hour i has timepoint month_start + (i + 1) h. ``latest`` = (year, month) of the latest month
    (its outages apply when it is this month)."""
    stations = _stations()
    n_st = len(stations)
    n_days = _month_days(year, month)
    n_h = n_days * 24
    p = _year_params(year)
    off = _offsets()
    yd = _year_daily(seed, year)
    rng = np.random.default_rng(np.random.SeedSequence([seed, year, month]))

    # fractional day positions of hour centres, relative to the padded year array (daily values sit at d + 0.5)
    d0 = (dt.date(year, month, 1) - yd["first"]).days
    t = d0 + (np.arange(n_h) + 0.5) / 24.0
    grid = np.arange(yd["x_pm"].shape[0]) + 0.5

    def interp(a: np.ndarray) -> np.ndarray:  # (n_days_padded, w) -> (n_h, w)
        return np.stack([np.interp(t, grid, a[:, j]) for j in range(a.shape[1])], axis=1)

    doy = t - PAD_DAYS  # day of year (0-based, fractional)
    hod = np.tile(np.arange(24), n_days)

    x_pm = interp(yd["x_pm"])  # (n_h, 1)
    s_pm = interp(yd["s_pm"])
    x_o3 = interp(yd["x_o3"])
    s_o3 = interp(yd["s_o3"])
    ratio = interp(yd["ratio"])
    s_gas = [interp(yd["s_gas"][:, g, :]) for g in range(3)]

    # hourly noise: AR(1) per station and pollutant
    phis = np.array([0.85, 0.70, 0.70, 0.80, 0.80, 0.85])
    sds = np.array([0.17, 0.07, 0.09, 0.18, 0.20, 0.10])
    e = rng.standard_normal((n_h, n_st, 6))
    noise = np.empty_like(e)
    noise[0] = sds * e[0]
    k = sds * np.sqrt(1.0 - phis * phis)
    for i in range(1, n_h):
        noise[i] = phis * noise[i - 1] + k * e[i]
    gaps = rng.random((n_h, n_st, 6)) < MISSING_PROB

    season_pm = (p["pm_amp"] * _season(doy, 15.0))[:, None]
    log_pm25 = (math.log(p["pm_scale"]) + season_pm + x_pm + s_pm + off[None, :, 0]
                + DIURNAL["pm"][hod][:, None] + noise[:, :, 0])
    pm25 = np.exp(log_pm25)
    ratio_log = math.log(1.62) + (0.07 * _season(doy, 80.0))[:, None] + ratio
    pm10 = pm25 * np.exp(ratio_log + noise[:, :, 1])

    # O3: daily max 1h level; double peak (May, September) with a plum-rain dip around early July
    o3_season = (p["o3_amp"] * _season(doy, 175.0) - 0.22 * np.exp(-0.5 * ((doy - 182.0) / 14.0) ** 2)
                 + 0.10 * np.exp(-0.5 * ((doy - 255.0) / 20.0) ** 2))[:, None]
    o3_peak = np.exp(math.log(p["o3_scale"]) + o3_season + x_o3 + s_o3 + off[None, :, 1])
    # soft ceiling: the log-normal tail would give implausible peaks (> 300) in a few summers
    over = o3_peak > O3_SOFT_CAP
    o3_peak[over] = O3_SOFT_CAP + O3_SOFT_WIDTH * np.tanh((o3_peak[over] - O3_SOFT_CAP) / O3_SOFT_WIDTH)
    shape = DIURNAL["o3"][hod][:, None]
    o3 = o3_peak * (O3_NIGHT_FRACTION + (1.0 - O3_NIGHT_FRACTION) * shape) * np.exp(noise[:, :, 2])

    weather = x_pm + s_pm
    no2 = np.exp(math.log(p["no2"]) + (0.25 * _season(doy, 15.0))[:, None] + 0.45 * weather + off[None, :, 2]
                 + s_gas[0] + DIURNAL["no2"][hod][:, None] + noise[:, :, 3])
    so2 = np.exp(math.log(p["so2"]) + (0.15 * _season(doy, 15.0))[:, None] + 0.35 * weather + off[None, :, 3]
                 + s_gas[1] + DIURNAL["so2"][hod][:, None] + noise[:, :, 4])
    co = np.exp(math.log(p["co"]) + (0.20 * _season(doy, 15.0))[:, None] + 0.40 * weather + off[None, :, 4]
                + s_gas[2] + DIURNAL["co"][hod][:, None] + noise[:, :, 5])

    vals = np.empty((n_h, n_st, 6))
    vals[:, :, P["pm2_5"]] = np.maximum(np.rint(pm25), 2.0)
    vals[:, :, P["pm10"]] = np.maximum(np.rint(pm10), vals[:, :, P["pm2_5"]] + 1.0)
    vals[:, :, P["o3"]] = np.maximum(np.rint(o3), 2.0)
    vals[:, :, P["no2"]] = np.maximum(np.rint(no2), 2.0)
    vals[:, :, P["so2"]] = np.maximum(np.rint(so2), 2.0)
    vals[:, :, P["co"]] = np.maximum(np.rint(co * 10.0), 1.0) / 10.0

    # random gaps, at most MAX_RANDOM_GAPS_PER_DAY per station, day and pollutant
    g = gaps.reshape(n_days, 24, n_st, 6)
    g &= np.cumsum(g, axis=1) <= MAX_RANDOM_GAPS_PER_DAY
    # deliberate outages replace the random gaps of their station-day
    code_idx = {s[0]: j for j, s in enumerate(stations)}
    outages = [(d, st, pols, hrs) for (y, m, d, st, pols, hrs) in HISTORY_OUTAGES if (y, m) == (year, month)]
    if latest == (year, month):
        outages += list(LATEST_OUTAGES)
    for day, st, pols, hours in outages:
        j = code_idx[st]
        cols = [P[x] for x in pols] if pols else list(range(6))
        g[day - 1, :, j, :] = False
        for h in hours:
            g[day - 1, h - 1, j, cols] = True
    vals[g.reshape(n_h, n_st, 6)] = np.nan
    return vals


# --------------------------------------------------------------------------------------------------------------------
# derived columns and formatting


def _trailing(arr: np.ndarray, window: int, min_count: int, how: str) -> np.ndarray:
    """Trailing window statistic along axis 0 (window ends at the row itself)."""
    pad = np.full((window - 1,) + arr.shape[1:], np.nan)
    w = np.lib.stride_tricks.sliding_window_view(np.concatenate([pad, arr]), window, axis=0)
    count = np.sum(~np.isnan(w), axis=-1)
    if how == "mean":
        out = np.nansum(w, axis=-1) / np.maximum(count, 1)
    else:
        out = np.fmax.reduce(w, axis=-1)
    out[count < min_count] = np.nan
    return out


def _iaqi(conc: np.ndarray, bps: list) -> np.ndarray:
    bp = np.asarray(bps, dtype=float)
    lv = IAQI_LEVELS[: len(bp)]
    out = np.interp(conc, bp, lv)
    out[conc > bp[-1]] = lv[-1]
    return out


def _month_table(seed: int, year: int, month: int, latest: tuple | None) -> dict:
    """All published columns of a month, as arrays of shape (hours, stations)."""
    cur = _simulate_month(seed, year, month, latest)
    prev = _simulate_month(seed, *_prev_month(year, month), latest)
    lead = 48
    ext = np.concatenate([prev[-lead:], cur])

    def col(name):
        return ext[:, :, P[name]]

    out = {name: col(name) for name in POLLUTANTS}
    for name in ("pm2_5", "pm10", "no2", "so2"):
        out[f"{name}_24h"] = np.rint(_trailing(col(name), 24, 20, "mean"))
    out["co_24h"] = np.rint(_trailing(col("co"), 24, 20, "mean") * 10.0) / 10.0
    o3_8h_raw = _trailing(col("o3"), 8, 6, "mean")
    out["o3_8h"] = np.rint(o3_8h_raw)
    out["o3_24h"] = _trailing(col("o3"), 24, 1, "max")
    out["o3_8h_24h"] = _trailing(out["o3_8h"], 24, 1, "max")
    out = {k: v[lead:] for k, v in out.items()}

    bp_24h = BP_24H_2026 if (year, month) >= HJ633_2026_FROM else BP_24H  # every hour of a month is in that month
    iaqis = np.stack([
        _iaqi(out["pm2_5_24h"], bp_24h["pm2_5"]),
        _iaqi(out["pm10_24h"], bp_24h["pm10"]),
        _iaqi(out["o3"], BP_1H["o3"]),
        _iaqi(out["no2"], BP_1H["no2"]),
        _iaqi(out["so2"], BP_1H["so2"]),
        _iaqi(out["co"], BP_1H["co"]),
    ], axis=-1)
    all_nan = np.all(np.isnan(iaqis), axis=-1)
    filled = np.where(np.isnan(iaqis), -1.0, iaqis)
    best = np.argmax(filled, axis=-1)  # first maximum on ties
    aqi = np.ceil(np.max(filled, axis=-1) - 1e-9)
    aqi[all_nan] = np.nan
    out["aqi"] = aqi
    primary = np.array(PRIMARY_NAMES, dtype=object)[best]
    primary[all_nan | (aqi <= 50)] = ""
    out["primarypollutant"] = primary
    return out


def _int_strings(a: np.ndarray) -> np.ndarray:
    ints = np.where(np.isnan(a), -1, a).astype(np.int64)
    table = np.array([""] + [str(i) for i in range(int(ints.max(initial=0)) + 1)], dtype=object)
    return table[ints + 1]


def _dec1_strings(a: np.ndarray) -> np.ndarray:
    tenths = np.where(np.isnan(a), -1, np.rint(a * 10.0)).astype(np.int64)
    table = np.array([""] + [f"{i // 10}.{i % 10}" for i in range(int(tenths.max(initial=0)) + 1)], dtype=object)
    return table[tenths + 1]


def _month_rows(seed: int, year: int, month: int, latest: tuple | None) -> list[tuple[dt.datetime, str, list[str]]]:
    """Rows of the month as (timepoint, stationcode, fields) ordered by timepoint then stationcode."""
    stations = _stations()
    tab = _month_table(seed, year, month, latest)
    n_h = tab["pm2_5"].shape[0]
    start = dt.datetime(year, month, 1)
    times = [start + dt.timedelta(hours=i + 1) for i in range(n_h)]
    tstr = [t.strftime("%Y-%m-%d %H:%M:%S") for t in times]
    cols = {}
    for name in HEADER[7:]:
        cols[name] = (_dec1_strings if name.startswith("co") else _int_strings)(tab[name])
    cols["primarypollutant"] = tab["primarypollutant"]
    order = sorted(range(len(stations)), key=lambda j: stations[j][0])
    value_names = HEADER[6:]
    stacked = np.stack([cols[n] for n in value_names], axis=-1).tolist()  # (n_h, n_st, 16)
    rows = []
    for i in range(n_h):
        day = (times[i] - dt.timedelta(hours=1)).date()
        for j in order:
            code, name, area, lon, lat, vf, vt = stations[j]
            if not (vf <= day <= vt):
                continue
            rows.append((times[i], code, [tstr[i], code, lon, lat, area, name, *stacked[i][j]]))
    return rows


# --------------------------------------------------------------------------------------------------------------------
# writing


def _write_atomic(path: Path, text: str, encoding: str = "utf-8") -> None:
    data = text.encode(encoding)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    with open(tmp, "wb") as f:
        f.write(data)
    os.replace(tmp, path)


def _csv_text(header: list[str], lines: list[list[str]]) -> str:
    return "\n".join([",".join(header)] + [",".join(x) for x in lines]) + "\n"


def _parse_month(s: str) -> tuple[int, int]:
    try:
        d = dt.datetime.strptime(s.strip(), "%Y-%m")
    except ValueError as exc:
        raise ValueError(f"month must be YYYY-MM, got {s!r}") from exc
    return d.year, d.month


def _selected_months(latest: tuple[int, int], years, months) -> list[tuple[int, int]]:
    if months is not None:
        sel = sorted({_parse_month(m) if isinstance(m, str) else tuple(m) for m in months})
    else:
        years = sorted(set(years if years is not None else (*HISTORY_YEARS, latest[0])))
        sel = []
        for y in years:
            last = latest[1] if y == latest[0] else 12
            sel += [(y, m) for m in range(1, last + 1)]
    for ym in sel:
        if ym > latest:
            raise ValueError(f"month {ym[0]:04d}-{ym[1]:02d} is after the latest month {latest[0]:04d}-{latest[1]:02d}")
    return sel


NOTES_TEXT = """常山县环境监测站 工作备注（请勿导入）

{y}年{m}月{d}日：
1. 辉埠站颗粒物分析仪于上午维护，期间数据以平台发布为准。
2. 县城站采样头清洗已完成，下周复核流量。
3. 请市局协调运维单位补发九月份质控报告。

联系人：值班员（电话另告）
"""


def _write_bad_files(out_dir: Path, latest: tuple[int, int], rows: list) -> dict:
    y, m = latest
    ym = f"{y:04d}{m:02d}"
    written = {}
    keep = [i for i, c in enumerate(HEADER) if c not in ("pm2_5", "o3")]

    # 1. header lacks pm2_5 and o3
    city = {"1264A", "1265A", "1266A"}
    lines = [[f[i] for i in keep] for (t, code, f) in rows
             if code in city and (t - dt.timedelta(hours=1)).date() == dt.date(y, m, BAD_HEADER_DAY)]
    name = f"air_bad_header_{ym}.csv"
    _write_atomic(out_dir / name, _csv_text([HEADER[i] for i in keep], lines))
    written[name] = len(lines)

    # 2. bad rows
    day = dt.date(y, m, BAD_ROWS_DAY)
    base = {}
    for t, code, f in rows:
        if code in BAD_ROWS_STATIONS and (t - dt.timedelta(hours=1)).date() == day and 1 <= t.hour <= 14:
            base[(t.hour, code)] = list(f)
    a1, a2 = BAD_ROWS_STATIONS
    ci = {c: i for i, c in enumerate(HEADER)}
    lines = [base[(h, s)] for h in range(1, 15) for s in (a1, a2)]
    index = {(h, s): 2 * (h - 1) + (0 if s == a1 else 1) for h in range(1, 15) for s in (a1, a2)}

    def dup(h, s):
        r = list(base[(h, s)])
        v = r[ci["pm2_5"]]
        r[ci["pm2_5"]] = str(int(v) + 5) if v else "20"
        return r

    dups = [dup(1, a1), dup(4, a2)]
    lines[index[(2, a1)]][ci["pm2_5"]] = "abc"
    lines[index[(3, a2)]][ci["pm10"]] = "-35"
    lines[index[(5, a2)]][ci["pm2_5"]] = "12..5"
    lines[index[(6, a1)]][ci["timepoint"]] = f"{y:04d}-13-{BAD_ROWS_DAY:02d} 06:00:00"
    lines[index[(8, a2)]][ci["timepoint"]] = "yesterday"
    lines[index[(9, a1)]][ci["pm2_5"]] = "N/A!"
    lines[index[(11, a1)]][ci["pm10"]] = "-7"
    lines[index[(12, a2)]][ci["stationcode"]] = ""
    lines += dups
    name = f"air_bad_rows_{ym}.csv"
    _write_atomic(out_dir / name, _csv_text(HEADER, lines))
    written[name] = len(lines)

    # 3. not a known format
    name = "notes_from_county.txt"
    text = NOTES_TEXT.format(y=y, m=m, d=BAD_ROWS_DAY)
    _write_atomic(out_dir / name, text)
    written[name] = text.count("\n")
    return written


def _sibling(name: str):
    import importlib.util

    path = Path(__file__).resolve().with_name(f"{name}.py")
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _county_reports_generator():
    return _sibling("generate_county_reports")


def generate(out_dir: Path, *, seed: int = DEFAULT_SEED, latest_month: str = DEFAULT_LATEST_MONTH,
             years=None, months=None, bad_files: bool | None = None, county_reports: bool = False,
             source_packets: bool = False) -> dict:
    """Write the demo files into ``out_dir`` and return a summary.

    ``years``: years to generate (default 2015, 2020 and the latest month's year; the latest year only up to the
    latest month). ``months``: explicit list of ``"YYYY-MM"`` (overrides ``years``). Months before the latest month
    become monthly files, the latest month hourly files. ``bad_files``: write the three bad files (default: when
    the latest month is among the generated months).
    """
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    latest = _parse_month(latest_month)
    sel = _selected_months(latest, years, months)
    if bad_files is None:
        bad_files = latest in sel
    summary = {
        "seed": seed,
        "latest_month": f"{latest[0]:04d}-{latest[1]:02d}",
        "months": [f"{y:04d}-{m:02d}" for y, m in sel],
        "files": {"monthly": 0, "hourly": 0, "bad": 0},
        "rows": {"monthly": 0, "hourly": 0, "bad": 0},
        "bad_files": {},
    }
    for y, m in sel:
        rows = _month_rows(seed, y, m, latest)
        if (y, m) != latest:
            _write_atomic(out_dir / f"air_hourly_{y:04d}{m:02d}.csv", _csv_text(HEADER, [f for _, _, f in rows]))
            summary["files"]["monthly"] += 1
            summary["rows"]["monthly"] += len(rows)
            continue
        by_hour: dict[dt.datetime, list] = {}
        for t, _, f in rows:
            by_hour.setdefault(t, []).append(f)
        for t, lines in by_hour.items():
            enc = "gbk" if t.day == GBK_DAY and (t.year, t.month) == latest else "utf-8"
            _write_atomic(out_dir / f"air_hourly_{t:%Y%m%d%H}.csv", _csv_text(HEADER, lines), enc)
            summary["files"]["hourly"] += 1
            summary["rows"]["hourly"] += len(lines)
        if bad_files:
            written = _write_bad_files(out_dir, latest, rows)
            summary["bad_files"] = written
            summary["files"]["bad"] = len(written)
            summary["rows"]["bad"] = sum(v for k, v in written.items() if k.endswith(".csv"))
    if bad_files and latest not in sel:
        rows = _month_rows(seed, *latest, latest)
        written = _write_bad_files(out_dir, latest, rows)
        summary["bad_files"] = written
        summary["files"]["bad"] = len(written)
        summary["rows"]["bad"] = sum(v for k, v in written.items() if k.endswith(".csv"))
    if county_reports:
        summary["county_reports"] = _county_reports_generator().generate(out_dir, latest_month=latest_month)
    if source_packets:
        summary["source_packets"] = _sibling("generate_source_packets").generate(out_dir, latest_month=latest_month)
        summary["water_auto"] = _sibling("generate_water_auto").generate(out_dir, latest_month=latest_month)
        summary["hazwaste"] = _sibling("generate_hazwaste").generate(out_dir, latest_month=latest_month)["summary"]
    return summary


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="Deterministic demo hourly air-station files for the 衢州 warehouse.")
    ap.add_argument("--out", required=True, type=Path, help="output folder (flat)")
    ap.add_argument("--latest-month", default=DEFAULT_LATEST_MONTH, help="YYYY-MM written as hourly files")
    ap.add_argument("--years", default=None, help="comma-separated years (default 2015,2020,<latest year>)")
    ap.add_argument("--months", default=None, help="comma-separated YYYY-MM (overrides --years)")
    ap.add_argument("--seed", type=int, default=DEFAULT_SEED)
    ap.add_argument("--no-bad-files", action="store_true", help="do not write the bad files")
    ap.add_argument("--county-reports", action="store_true", help="also write the county workbooks")
    ap.add_argument("--source-packets", action="store_true", help="also write HJ 212 packets of the demo outlets and water stations")
    args = ap.parse_args(argv)
    years = [int(y) for y in args.years.split(",") if y.strip()] if args.years else None
    months = [m for m in args.months.split(",") if m.strip()] if args.months else None
    t0 = time.perf_counter()
    try:
        summary = generate(args.out, seed=args.seed, latest_month=args.latest_month, years=years, months=months,
                           bad_files=False if args.no_bad_files else None, county_reports=args.county_reports,
                           source_packets=args.source_packets)
    except ValueError as exc:
        ap.error(str(exc))
    summary["seconds"] = round(time.perf_counter() - t0, 2)
    print(json.dumps(summary, ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
