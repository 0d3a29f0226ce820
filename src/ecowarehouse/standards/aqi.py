"""HJ 633 air-quality index in Python, read from the same seed table dbt uses (seeds/std_aqi_breakpoints.csv).

The warehouse computes daily AQI in SQL (dbt_project/macros/aqi.sql); this module serves Python-side uses (real-time
AQI checks, reports) and states the rules once more in executable form for the worked examples of the standard.
"""
from __future__ import annotations

import csv
import math
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from ecowarehouse.settings import SEEDS_DIR

LABELS = {"so2_24h": "SO2", "no2_24h": "NO2", "co_24h": "CO", "pm10_24h": "PM10", "pm2_5_24h": "PM2.5",
          "o3_1h": "O3_1h", "o3_8h": "O3_8h", "so2_1h": "SO2", "no2_1h": "NO2", "co_1h": "CO"}


@dataclass(frozen=True)
class Version:
    standard_code: str
    effective_from: date
    effective_to: date | None
    table: dict[str, tuple[tuple[float, int], ...]]  # item -> ((bp_conc, iaqi), ...) ascending


@lru_cache(maxsize=None)
def versions() -> tuple[Version, ...]:
    rows: dict[str, list[dict]] = {}
    with open(SEEDS_DIR / "std_aqi_breakpoints.csv", encoding="utf-8", newline="") as fh:
        for r in csv.DictReader(fh):
            rows.setdefault(r["standard_code"], []).append(r)
    out = []
    for code, rs in rows.items():
        table: dict[str, list] = {}
        for r in rs:
            table.setdefault(r["item"], []).append((float(r["bp_conc"]), int(r["iaqi"])))
        out.append(Version(
            code, date.fromisoformat(rs[0]["effective_from"]),
            date.fromisoformat(rs[0]["effective_to"]) if rs[0]["effective_to"] else None,
            {k: tuple(sorted(v, key=lambda t: t[1])) for k, v in table.items()},
        ))
    return tuple(sorted(out, key=lambda v: v.effective_from))


def version(code: str | None = None, on: date | None = None) -> Version:
    """By code, or the version in force on a date."""
    for v in versions():
        if code is not None and v.standard_code == code:
            return v
        if code is None and on is not None and v.effective_from <= on and (v.effective_to is None or on <= v.effective_to):
            return v
    raise LookupError(f"no HJ 633 version for code={code!r} date={on!r}")


def _ceil(x: float) -> int:
    # §6.2 "全部进位取整数": round up; round first so float noise on a breakpoint does not add one
    return math.ceil(round(x, 10))


def iaqi(item: str, conc: float | None, standard: str = "HJ 633-2012") -> int | None:
    """IAQI by formula (1). None when there is no value, or when Table 1 notes 2/3 hand the item over to another
    (SO2 1-h > 800 → the 24-h IAQI; O3 8-h > 800 → the 1-h IAQI). Above the table's top: 500 (the standard is silent)."""
    if conc is None or (isinstance(conc, float) and math.isnan(conc)):
        return None
    if conc < 0:
        raise ValueError(f"negative concentration {conc} for {item}")
    table = version(standard).table[item]
    if conc > table[-1][0]:
        return None if item in ("so2_1h", "o3_8h") else 500
    for (bp_lo, i_lo), (bp_hi, i_hi) in zip(table, table[1:]):
        if bp_lo <= conc <= bp_hi:
            return _ceil((i_hi - i_lo) / (bp_hi - bp_lo) * (conc - bp_lo) + i_lo)
    raise AssertionError("unreachable: table starts at 0")


@dataclass(frozen=True)
class DailyAqi:
    aqi: int | None
    primary_pollutants: tuple[str, ...]
    nonattainment_pollutants: tuple[str, ...]
    standard_code: str


def daily_aqi(concentrations: dict[str, float | None], standard: str = "HJ 633-2012") -> DailyAqi:
    """AQI = max IAQI (formula 2); primary pollutant(s) only when AQI > 50, ties all listed (§3.3);
    non-attainment pollutants: IAQI > 100 (§3.4)."""
    sub = {item: iaqi(item, c, standard) for item, c in concentrations.items()}
    sub = {k: v for k, v in sub.items() if v is not None}
    if not sub:
        return DailyAqi(None, (), (), standard)
    aqi = max(sub.values())
    primary = tuple(sorted(LABELS[k] for k, v in sub.items() if v == aqi)) if aqi > 50 else ()
    over = tuple(sorted(LABELS[k] for k, v in sub.items() if v > 100))
    return DailyAqi(aqi, primary, over, standard)
