"""Reference data read straight from seeds/ (the same CSVs dbt loads), for attributing rows to counties."""
from __future__ import annotations

import csv
from functools import lru_cache

from ecowarehouse.settings import SEEDS_DIR


@lru_cache(maxsize=None)
def _rows(seed: str) -> tuple[dict, ...]:
    with open(SEEDS_DIR / f"{seed}.csv", encoding="utf-8", newline="") as fh:
        return tuple(csv.DictReader(fh))


def station_county() -> dict[str, str]:
    return {r["station_code"]: r["county_code"] for r in _rows("ref_air_stations")}


def mn_county() -> dict[str, str]:
    """Data loggers (HJ 212 MN) of pollution-source outlets and water stations → county, for attributing rejects."""
    return {r["mn"]: r["county_code"] or None for seed in ("ref_pollution_outlets", "ref_water_auto_stations")
            for r in _rows(seed) if r["mn"]}


def counties() -> dict[str, str]:
    return {r["county_code"]: r["county_name"] for r in _rows("ref_counties")}


def rows(seed: str) -> tuple[dict, ...]:
    """All rows of a seed CSV, as strings (empty cells are "")."""
    return _rows(seed)


def task_counts() -> dict[str, int]:
    """How many tasks and key projects 002 defines (the valid ranges of their numbers)."""
    return {"重点任务": len(_rows("ref_tasks")), "重点工程": len(_rows("ref_key_projects"))}
