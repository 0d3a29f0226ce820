"""Checks on the national-standards seed tables (seeds/std_*.csv).

Literal values come from /work/shared/standards/standards-air.md and standards-water.md.
Standard library only.
"""

import csv
import datetime as dt
import math
import pathlib
import re
from collections import defaultdict

import pytest

SEEDS = pathlib.Path(__file__).resolve().parent.parent / "seeds"

STD_SEEDS = [
    "std_aqi_breakpoints",
    "std_aqi_categories",
    "std_air_limits",
    "std_air_validity",
    "std_percentiles",
    "std_water_limits",
]


def load(name):
    with (SEEDS / f"{name}.csv").open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def d(s):
    return dt.date.fromisoformat(s) if s else None


def versions(rows):
    """{standard_code: (effective_from, effective_to)}; asserts one range per code."""
    out = {}
    for r in rows:
        rng = (r["effective_from"], r["effective_to"])
        assert out.setdefault(r["standard_code"], rng) == rng, r
    return out


# ---------------------------------------------------------------- files

@pytest.mark.parametrize("name", STD_SEEDS)
def test_csv_utf8_no_bom_and_rectangular(name):
    raw = (SEEDS / f"{name}.csv").read_bytes()
    assert not raw.startswith(b"\xef\xbb\xbf")
    raw.decode("utf-8")
    with (SEEDS / f"{name}.csv").open(encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    assert len(rows) > 1
    assert all(len(r) == len(rows[0]) for r in rows)


@pytest.mark.parametrize("name", STD_SEEDS)
def test_yml_documents_every_column(name):
    yml = (SEEDS / "std_standards.yml").read_text(encoding="utf-8")
    blocks = re.split(r"\n  - name: ", yml)
    block = next(b for b in blocks if b.startswith(name + "\n"))
    with (SEEDS / f"{name}.csv").open(encoding="utf-8", newline="") as f:
        header = next(csv.reader(f))
    for col in header:
        assert f"      - name: {col}\n" in block, (name, col)
        assert re.search(rf"\n        {col}: (text|date|integer|numeric|boolean)\n", block), (name, col)


@pytest.mark.parametrize("name", STD_SEEDS)
def test_booleans_and_dates_well_formed(name):
    for r in load(name):
        d(r["effective_from"])
        d(r["effective_to"])
        for col in ("verified", "evaluated"):
            if col in r:
                assert r[col] in ("true", "false"), r


# ---------------------------------------------------------------- version ranges

def assert_contiguous(ranges):
    """ranges: list of (from, to) strings; sorted, non-overlapping, no gaps, last open-ended."""
    rs = sorted((d(a), d(b)) for a, b in ranges)
    for (f1, t1), (f2, t2) in zip(rs, rs[1:]):
        assert t1 is not None, rs
        assert t1 >= f1
        assert t1 + dt.timedelta(days=1) == f2, rs
    assert rs[-1][1] is None, rs


@pytest.mark.parametrize(
    "name, expected",
    [
        ("std_aqi_breakpoints", {"HJ 633-2012": ("2015-01-01", "2026-02-28"), "HJ 633-2026": ("2026-03-01", "")}),
        ("std_aqi_categories", {"HJ 633-2012": ("2015-01-01", "2026-02-28"), "HJ 633-2026": ("2026-03-01", "")}),
        ("std_air_validity", {"HJ 663-2013": ("2015-01-01", "2026-02-28"), "HJ 663-2026": ("2026-03-01", "")}),
        ("std_percentiles", {"HJ 663-2013": ("2015-01-01", "2026-02-28"), "HJ 663-2026": ("2026-03-01", "")}),
        ("std_water_limits", {"GB 3838-2002": ("2002-06-01", "")}),
    ],
)
def test_version_ranges(name, expected):
    v = versions(load(name))
    assert v == expected
    assert_contiguous(v.values())


def test_air_limit_ranges_do_not_overlap():
    by_key = defaultdict(list)
    for r in load("std_air_limits"):
        by_key[(r["pollutant"], r["averaging"], r["grade"])].append((d(r["effective_from"]), d(r["effective_to"])))
    for key, rs in by_key.items():
        rs.sort()
        for (f1, t1), (f2, _) in zip(rs, rs[1:]):
            assert t1 is not None and t1 < f2, key
    # PM2.5 grade II has no gap across the 2012 -> 2026 transition -> 2026 final stages
    for avg in ("annual", "24h"):
        assert_contiguous([(a.isoformat(), b.isoformat() if b else "") for a, b in by_key[("pm2_5", avg, "2")]])
    # 2012 rows end on 2026-02-28; 2026 rows are unverified
    for r in load("std_air_limits"):
        if r["standard_code"] == "GB 3095-2012":
            assert (r["effective_from"], r["effective_to"], r["verified"]) == ("2015-01-01", "2026-02-28", "true")
        else:
            assert r["standard_code"] == "GB 3095-2026" and r["verified"] == "false"
            assert r["pollutant"] == "pm2_5"


# ---------------------------------------------------------------- AQI breakpoints

ITEMS = {"so2_24h", "so2_1h", "no2_24h", "no2_1h", "pm10_24h", "co_24h", "co_1h", "o3_1h", "o3_8h", "pm2_5_24h"}


def bp_table(standard_code):
    t = defaultdict(list)
    for r in load("std_aqi_breakpoints"):
        if r["standard_code"] == standard_code:
            t[r["item"]].append((int(r["iaqi"]), float(r["bp_conc"])))
    for v in t.values():
        v.sort()
    return t


def iaqi(table, item, c):
    """HJ 633 formula (1), rounded up (§6.2). None when c is beyond the table."""
    pts = table[item]
    for (i_lo, b_lo), (i_hi, b_hi) in zip(pts, pts[1:]):
        if b_lo <= c <= b_hi:
            x = (i_hi - i_lo) / (b_hi - b_lo) * (c - b_lo) + i_lo
            return math.ceil(round(x, 10))
    return None


@pytest.mark.parametrize("code", ["HJ 633-2012", "HJ 633-2026"])
def test_breakpoints_complete_and_ascending(code):
    rows = [r for r in load("std_aqi_breakpoints") if r["standard_code"] == code]
    by_item = defaultdict(list)
    for r in rows:  # keep file order
        by_item[r["item"]].append((int(r["iaqi"]), float(r["bp_conc"])))
    assert set(by_item) == ITEMS
    for item, pts in by_item.items():
        levels = [i for i, _ in pts]
        concs = [c for _, c in pts]
        assert levels == sorted(set(levels)), item
        assert all(a < b for a, b in zip(concs, concs[1:])), item
        assert pts[0] == (0, 0.0), item
        expected_top = {"so2_1h": 200, "o3_8h": 300}.get(item, 500)
        assert levels == [0, 50, 100, 150, 200, 300, 400, 500][: levels.index(expected_top) + 1], item
    units = {r["item"]: r["unit"] for r in rows}
    assert units == {i: ("mg/m3" if i.startswith("co_") else "ug/m3") for i in ITEMS}
    assert len(rows) == 10 * 8 - 3 - 2


def test_breakpoint_verified_flags():
    for r in load("std_aqi_breakpoints"):
        assert r["verified"] == ("true" if r["standard_code"] == "HJ 633-2012" else "false"), r


def test_iaqi100_equals_gb3095_grade2_24h():
    t = bp_table("HJ 633-2012")
    at100 = {item: dict(pts)[100] for item, pts in t.items()}
    expected = {"so2_24h": 150, "no2_24h": 80, "pm10_24h": 150, "co_24h": 4, "pm2_5_24h": 75, "o3_8h": 160}
    for item, v in expected.items():
        assert at100[item] == v, item
    # the same literals in the GB 3095-2012 limits seed
    lim = {
        (r["pollutant"], r["averaging"]): float(r["limit_value"])
        for r in load("std_air_limits")
        if r["standard_code"] == "GB 3095-2012" and r["grade"] == "2"
    }
    assert lim[("so2", "24h")] == 150
    assert lim[("no2", "24h")] == 80
    assert lim[("pm10", "24h")] == 150
    assert lim[("co", "24h")] == 4
    assert lim[("pm2_5", "24h")] == 75
    assert lim[("o3", "max8h")] == 160


def test_2026_pm_breakpoints_and_unchanged_items():
    t12, t26 = bp_table("HJ 633-2012"), bp_table("HJ 633-2026")
    assert dict(t26["pm2_5_24h"])[100] == 60
    assert dict(t26["pm10_24h"])[100] == 120
    assert [c for _, c in t26["pm2_5_24h"]] == [0, 35, 60, 115, 150, 250, 350, 500]
    assert [c for _, c in t26["pm10_24h"]] == [0, 50, 120, 250, 350, 420, 500, 600]
    for item in ITEMS - {"pm2_5_24h", "pm10_24h"}:
        assert t26[item] == t12[item], item
    assert iaqi(t26, "pm2_5_24h", 60) == 100
    assert iaqi(t26, "pm2_5_24h", 60.1) == 101


@pytest.mark.parametrize(
    "item, c, expected",
    [
        ("pm2_5_24h", 35, 50),
        ("pm2_5_24h", 35.5, 51),
        ("pm2_5_24h", 75, 100),
        ("pm2_5_24h", 75.1, 101),
        ("pm2_5_24h", 115.2, 151),
        ("pm2_5_24h", 12.3, 18),
        ("pm10_24h", 150.6, 101),
        ("co_24h", 2.5, 63),
        ("co_24h", 3.5, 88),
        ("o3_8h", 160.5, 101),
        ("so2_24h", 500, 154),
        ("no2_24h", 40.5, 51),
        ("o3_1h", 201, 101),
        ("o3_8h", 801, None),   # note 3: use O3 1h IAQI instead
        ("so2_1h", 801, None),  # note 2: use SO2 24h IAQI instead
    ],
)
def test_digest_worked_examples_2012(item, c, expected):
    assert iaqi(bp_table("HJ 633-2012"), item, c) == expected


# ---------------------------------------------------------------- AQI categories

def test_categories():
    rows = load("std_aqi_categories")
    for code in ("HJ 633-2012", "HJ 633-2026"):
        cats = [r for r in rows if r["standard_code"] == code]
        assert [(r["aqi_min"], r["aqi_max"], r["level"], r["category"], r["colour_name"], r["rgb"]) for r in cats] == [
            ("0", "50", "一级", "优", "绿", "0,228,0"),
            ("51", "100", "二级", "良", "黄", "255,255,0"),
            ("101", "150", "三级", "轻度污染", "橙", "255,126,0"),
            ("151", "200", "四级", "中度污染", "红", "255,0,0"),
            ("201", "300", "五级", "重度污染", "紫", "153,0,76"),
            ("301", "", "六级", "严重污染", "褐红", "126,0,35"),
        ]


# ---------------------------------------------------------------- GB 3095 limits, validity, percentiles

def test_gb3095_2012_limits_sample():
    lim = {
        (r["pollutant"], r["averaging"], r["grade"]): float(r["limit_value"])
        for r in load("std_air_limits")
        if r["standard_code"] == "GB 3095-2012"
    }
    assert len(lim) == 46
    assert lim[("pm2_5", "annual", "2")] == 35
    assert lim[("pm2_5", "annual", "1")] == 15
    assert lim[("pm10", "annual", "2")] == 70
    assert lim[("so2", "annual", "2")] == 60
    assert lim[("no2", "annual", "2")] == 40
    assert lim[("o3", "1h", "2")] == 200
    assert lim[("bap", "24h", "2")] == 0.0025
    for (pol, avg, grade), v in lim.items():
        if grade == "1":
            assert v <= lim[(pol, avg, "2")], (pol, avg)


def test_gb3095_2026_pm25():
    got = {
        (r["averaging"], r["grade"], r["effective_from"], r["effective_to"]): float(r["limit_value"])
        for r in load("std_air_limits")
        if r["standard_code"] == "GB 3095-2026"
    }
    assert got == {
        ("annual", "2", "2026-03-01", "2030-12-31"): 30,
        ("24h", "2", "2026-03-01", "2030-12-31"): 60,
        ("annual", "2", "2031-01-01", ""): 25,
        ("24h", "2", "2031-01-01", ""): 50,
        ("annual", "1", "2031-01-01", ""): 10,
        ("24h", "1", "2031-01-01", ""): 25,
    }


def test_validity_minimums():
    rows = load("std_air_validity")
    for code, verified in (("HJ 663-2013", "true"), ("HJ 663-2026", "false")):
        got = {r["statistic"]: (int(r["min_count"]), r["unit"]) for r in rows if r["standard_code"] == code}
        assert got == {
            "daily_mean": (20, "hours"),
            "o3_8h_window": (6, "hours"),
            "o3_daily_max8h_windows": (14, "windows"),
            "monthly_days": (27, "days"),
            "monthly_days_february": (25, "days"),
            "annual_days": (324, "days"),
            "hourly_minutes": (45, "minutes"),
        }
        assert {r["verified"] for r in rows if r["standard_code"] == code} == {verified}


def test_percentiles():
    rows = load("std_percentiles")
    for code in ("HJ 663-2013", "HJ 663-2026"):
        got = {
            (r["pollutant"], r["statistic"]): (r["series"], r["percentile"], r["limit_averaging"])
            for r in rows
            if r["standard_code"] == code
        }
        assert got == {
            ("so2", "annual_mean"): ("daily_24h", "", "annual"),
            ("so2", "p98"): ("daily_24h", "98", "24h"),
            ("no2", "annual_mean"): ("daily_24h", "", "annual"),
            ("no2", "p98"): ("daily_24h", "98", "24h"),
            ("pm10", "annual_mean"): ("daily_24h", "", "annual"),
            ("pm10", "p95"): ("daily_24h", "95", "24h"),
            ("pm2_5", "annual_mean"): ("daily_24h", "", "annual"),
            ("pm2_5", "p95"): ("daily_24h", "95", "24h"),
            ("co", "p95"): ("daily_24h", "95", "24h"),
            ("o3", "p90"): ("daily_max8h", "90", "max8h"),
        }
    # every statistic has a matching GB 3095-2012 grade II limit
    lim = {(r["pollutant"], r["averaging"]) for r in load("std_air_limits") if r["standard_code"] == "GB 3095-2012"}
    for r in rows:
        assert (r["pollutant"], r["limit_averaging"]) in lim, r


# ---------------------------------------------------------------- GB 3838-2002

def water():
    by_item = defaultdict(dict)
    meta = {}
    for r in load("std_water_limits"):
        by_item[r["item_code"]][int(r["water_class"])] = r
        meta[r["item_code"]] = (r["comparator"], r["evaluated"])
    return by_item, meta


def test_water_all_classes_present():
    by_item, meta = water()
    assert len(by_item) == 25
    for code, classes in by_item.items():
        assert sorted(classes) == [1, 2, 3, 4, 5], code
        assert len({(r["comparator"], r["evaluated"], r["unit"]) for r in classes.values()}) == 1, code


def test_water_limits_monotone():
    by_item, meta = water()
    for code, classes in by_item.items():
        comp = meta[code][0]
        if comp == "<=":
            vals = [float(classes[k]["limit_max"]) for k in range(1, 6)]
            assert all(classes[k]["limit_min"] == "" for k in range(1, 6)), code
            assert all(a <= b for a, b in zip(vals, vals[1:])), code
        elif comp == ">=":
            vals = [float(classes[k]["limit_min"]) for k in range(1, 6)]
            assert all(classes[k]["limit_max"] == "" for k in range(1, 6)), code
            assert all(a >= b for a, b in zip(vals, vals[1:])), code
        else:
            assert comp == "range", code
            pairs = {(classes[k]["limit_min"], classes[k]["limit_max"]) for k in range(1, 6)}
            assert len(pairs) == 1, code
            lo, hi = map(float, pairs.pop())
            assert lo < hi, code
    assert [c for c, m in meta.items() if m[0] == ">="] == ["do"]


def test_water_evaluated_items():
    _, meta = water()
    evaluated = {("tp" if c == "tp_lake" else c) for c, (_, ev) in meta.items() if ev == "true"}
    assert len(evaluated) == 21
    assert {c for c, (_, ev) in meta.items() if ev == "false"} == {"water_temp", "tn", "fecal_coliform"}


@pytest.mark.parametrize(
    "code, klass, col, value",
    [
        ("cod", 3, "limit_max", 20),
        ("cod", 1, "limit_max", 15),
        ("cod", 2, "limit_max", 15),
        ("nh3_n", 3, "limit_max", 1.0),
        ("nh3_n", 5, "limit_max", 2.0),
        ("do", 3, "limit_min", 5),
        ("do", 1, "limit_min", 7.5),
        ("do", 5, "limit_min", 2),
        ("codmn", 2, "limit_max", 4),
        ("bod5", 4, "limit_max", 6),
        ("tp", 2, "limit_max", 0.1),
        ("tp", 3, "limit_max", 0.2),
        ("tp_lake", 3, "limit_max", 0.05),
        ("tp_lake", 5, "limit_max", 0.2),
        ("tn", 3, "limit_max", 1.0),
        ("hg", 1, "limit_max", 0.00005),
        ("hg", 3, "limit_max", 0.0001),
        ("cd", 2, "limit_max", 0.005),
        ("cyanide", 3, "limit_max", 0.2),
        ("volatile_phenol", 5, "limit_max", 0.1),
        ("fecal_coliform", 3, "limit_max", 10000),
        ("ph", 3, "limit_min", 6),
        ("ph", 3, "limit_max", 9),
    ],
)
def test_water_sample_values(code, klass, col, value):
    by_item, _ = water()
    assert float(by_item[code][klass][col]) == value


def classify(sample, lake=False):
    """Single-factor class (1..5, 6 = 劣V) over the evaluated items in `sample`."""
    by_item, meta = water()
    worst = 1
    for code, c in sample.items():
        if lake and code == "tp":
            code = "tp_lake"
        if meta[code][1] != "true":
            continue
        k = 6
        for klass in range(1, 6):
            r = by_item[code][klass]
            lo = float(r["limit_min"]) if r["limit_min"] else -math.inf
            hi = float(r["limit_max"]) if r["limit_max"] else math.inf
            if lo <= c <= hi:
                k = klass
                break
        worst = max(worst, k)
    return worst


@pytest.mark.parametrize(
    "sample, lake, expected",
    [
        ({"ph": 7.5, "do": 6.5, "codmn": 3.8, "nh3_n": 0.42, "tp": 0.08}, False, 2),
        ({"do": 5.5, "codmn": 3.8, "nh3_n": 0.42, "tp": 0.12}, False, 3),
        ({"nh3_n": 2.3}, False, 6),
        ({"tp": 0.15}, True, 5),
        ({"tp": 0.15}, False, 3),
        ({"ph": 9.2}, False, 6),
        ({"hg": 0.00008}, False, 3),
        ({"cod": 15}, False, 1),
        ({"tn": 1.8}, False, 1),  # TN not evaluated
    ],
)
def test_water_digest_vectors(sample, lake, expected):
    assert classify(sample, lake) == expected
