"""Checks on the demo hazardous-waste generator (scripts/generate_hazwaste.py), on the files it writes alone (no
database): the header contract, every planted anomaly found exactly once by rules written here, clean rows consistent
with 国家危险废物名录（2021年版）(../shared/reference/hw_codes_2021.csv) and GB 32100 (check characters computed
here), plausible quantities, declarations that balance and agree with the manifests, and the hand-checkable totals.
"""
from __future__ import annotations

import csv
import hashlib
import importlib.util
import re
from collections import Counter, defaultdict
from datetime import datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[1]
SCRIPT = REPO_ROOT / "scripts" / "generate_hazwaste.py"
CODES_CSV = REPO_ROOT.parent / "shared" / "reference" / "hw_codes_2021.csv"
needs_reference = pytest.mark.skipif(not CODES_CSV.exists(), reason="shared/reference not beside the repository")

MANIFEST_HEADER = ("联单编号,转移类型,产生单位名称,产生单位统一社会信用代码,产生单位所在区县,产生单位地址,废物代码,废物类别,"
                   "废物名称,废物形态,危险特性,转移数量(吨),包装方式,运输单位名称,道路运输经营许可证号,运输车牌号,接受单位名称,"
                   "接受单位统一社会信用代码,危险废物经营许可证编号,接受单位所在省份,接受单位所在区县,利用处置方式,转移时间,接收时间,"
                   "接收数量(吨),联单状态").split(",")
DECLARATION_HEADER = ("申报类型,年份,月份,产生单位名称,产生单位统一社会信用代码,所在区县,废物代码,废物类别,废物名称,"
                      "计划产生量(吨),实际产生量(吨),自行利用处置量(吨),委托利用处置量(吨),期末贮存量(吨)").split(",")
RECEIVER_NAMES = {"衢州市清泰环境工程有限公司", "龙游青龙山建材有限公司", "常山江山虎水泥有限公司", "衢州市衢江豪龙建材有限公司",
                  "江西省XX环保科技有限公司"}
MONTHS = [f"2025-{m}" for m in ("11", "12")] + [f"2026-{m:02d}" for m in range(1, 11)]
END = datetime(2026, 11, 1)  # end of the latest month
FMT = "%Y-%m-%d %H:%M:%S"
KEYS = {"unreceived_over_30d", "unreceived_over_7d", "short_received", "cross_province", "unknown_code",
        "category_mismatch", "name_mismatch", "duplicate", "number_conflict", "receiver_not_licensed",
        "received_before_shipped", "not_on_platform"}


def _load():
    spec = importlib.util.spec_from_file_location("generate_hazwaste_under_test", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def uscc_ok(code: str) -> bool:
    """GB 32100-2015 §5, written out again: C18 = 31 − (Σ value·3^(i−1) mod 31) mod 31 over the 31-character set."""
    chars = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    if len(code) != 18 or any(c not in chars for c in code):
        return False
    total = sum(chars.index(c) * pow(3, i, 31) for i, c in enumerate(code[:17]))
    return chars[(31 - total % 31) % 31] == code[17]


@pytest.fixture(scope="module")
def gen():
    return _load()


@pytest.fixture(scope="module")
def out(gen, tmp_path_factory):
    d = tmp_path_factory.mktemp("hw")
    return d, gen.generate(d)


def read_table(path: Path) -> tuple[list[str], list[list[str]]]:
    """Rows as text; xlsx numbers written back with three decimals, as the CSV files carry them."""
    if path.suffix == ".csv":
        raw = path.read_bytes()
        assert not raw.startswith(b"\xef\xbb\xbf")
        rows = list(csv.reader(raw.decode("utf-8").splitlines()))
        return rows[0], rows[1:]
    from openpyxl import load_workbook

    ws = load_workbook(path, read_only=True).active
    values = list(ws.iter_rows(values_only=True))
    title, header = values[0], values[1]
    assert title[0] and "危险废物转移联单" in title[0] and all(v is None for v in title[1:])
    rows = [["" if v is None else f"{v:.3f}" if isinstance(v, float) else str(v) for v in r] for r in values[2:]]
    return list(header), rows


@pytest.fixture(scope="module")
def manifests(out):
    """month → list of row dicts (file order)."""
    d, res = out
    result = {}
    for name in res["files"]["manifests"]:
        header, rows = read_table(d / name)
        assert header == MANIFEST_HEADER, name
        month = re.search(r"(\d{4}-\d{2})", name).group(1)
        result[month] = [dict(zip(header, r)) for r in rows]
    return result


@pytest.fixture(scope="module")
def declarations(out):
    d, res = out
    plans, monthly = [], []
    for name in res["files"]["plans"] + res["files"]["declarations"]:
        header, rows = read_table(d / name)
        assert header == DECLARATION_HEADER, name
        (plans if "plan" in name else monthly).extend(dict(zip(header, r)) for r in rows)
    return plans, monthly


@pytest.fixture(scope="module")
def reference():
    with open(CODES_CSV, encoding="utf-8", newline="") as fh:
        return {r["waste_code"]: r for r in csv.DictReader(fh)}


def all_rows(manifests):
    return [(m, r) for m in MONTHS for r in manifests[m]]


def q(s: str) -> Decimal:
    return Decimal(s)


def ts(s: str) -> datetime:
    return datetime.strptime(s, FMT)


def test_files(out, manifests):
    d, res = out
    assert res["months"] == MONTHS
    names = sorted(p.name for p in d.iterdir())
    assert names == sorted(res["files"]["manifests"] + res["files"]["plans"] + res["files"]["declarations"])
    assert res["files"]["plans"] == ["hw_management_plan_2025.csv", "hw_management_plan_2026.csv"]
    assert len(res["files"]["declarations"]) == 12 and len(res["files"]["manifests"]) == 12
    assert sorted(n for n in names if n.endswith(".xlsx")) == [
        "hw_manifests_2025-12.xlsx", "hw_manifests_2026-04.xlsx", "hw_manifests_2026-08.xlsx"]
    for m, rows in manifests.items():
        assert res["rows"][next(n for n in res["files"]["manifests"] if m in n)] == len(rows)
        assert 300 <= len(rows) <= 1500, m  # roughly monthly shipments of 300 generators


def test_deterministic(gen, out, tmp_path):
    d, _ = out
    gen.generate(tmp_path)

    def digest(folder):
        return {p.name: (hashlib.sha256(p.read_bytes()).hexdigest(), p.stat().st_mtime) for p in folder.iterdir()}

    assert digest(tmp_path) == digest(d)


@needs_reference
def test_seed_codes_are_the_2021_list(gen, reference):
    # the generator reads seeds/ref_hw_codes_2021.csv: the seed must be the reference list
    for code, (cat, name, hazard) in gen.HW_CODES.items():
        ref = reference[code]
        assert (ref["hw_category"], ref["category_name"], ref["hazard_characteristics"]) == (cat, name, hazard), code
    assert gen.UNKNOWN_CODE not in reference


def test_receiver_constants(out):
    _, res = out
    recs = res["receivers"]
    assert {r["name"] for r in recs} == RECEIVER_NAMES
    for r in recs:
        assert uscc_ok(r["uscc"]), r
        assert re.fullmatch(r"(浙|赣)危废经第\d{10}号", r["licence"]), r
    zj = {r["name"]: r for r in recs if r["province"] == "浙江省"}
    assert {n: r["county"] for n, r in zj.items()} == {
        "衢州市清泰环境工程有限公司": "衢江区", "龙游青龙山建材有限公司": "龙游县", "常山江山虎水泥有限公司": "常山县",
        "衢州市衢江豪龙建材有限公司": "衢江区"}
    assert "HW01" not in zj["龙游青龙山建材有限公司"]["licensed"]


def _licensed(res):
    return {r["name"]: set(r["licensed"]) for r in res["receivers"]}


@needs_reference
def test_each_anomaly_exactly_once(out, manifests, declarations, reference):
    _, res = out
    planted = res["planted"]
    assert set(planted) == KEYS
    rows = all_rows(manifests)
    latest = "2026-10"

    def age(r):
        return (END - ts(r["转移时间"])).total_seconds() / 86400

    def only(found, key):
        assert len(found) == 1, (key, found)
        m, r = found[0]
        assert r["联单编号"] == planted[key]["manifest_no"], key
        assert m == (planted[key]["month"]), key
        return r

    open_ = [(m, r) for m, r in rows if r["联单状态"] == "在途"]
    r = only([x for x in open_ if age(x[1]) > 30], "unreceived_over_30d")
    assert r["接收时间"] == r["接收数量(吨)"] == ""
    only([x for x in open_ if 7 < age(x[1]) <= 30], "unreceived_over_7d")
    received = [(m, r) for m, r in rows if r["联单状态"] == "已接收"]
    r = only([x for x in received if q(x[1]["接收数量(吨)"]) < q(x[1]["转移数量(吨)"]) * Decimal("0.95")], "short_received")
    assert abs(q(r["接收数量(吨)"]) / q(r["转移数量(吨)"]) - Decimal("0.8")) < Decimal("0.001")
    r = only([x for x in rows if x[1]["转移类型"] == "跨省转移" or x[1]["接受单位所在省份"] != "浙江省"], "cross_province")
    assert r["转移类型"] == "跨省转移" and r["接受单位名称"] == "江西省XX环保科技有限公司"
    licensed = _licensed(res)
    zj = [n for n in licensed if n != "江西省XX环保科技有限公司"]
    assert any(reference[r["废物代码"]]["hw_category"] in licensed[n] for n in zj)  # could have stayed in Zhejiang
    unknown = [x for x in rows if x[1]["废物代码"] not in reference and not re.fullmatch(r"900-000-\d{2}", x[1]["废物代码"])]
    r = only(unknown, "unknown_code")
    assert re.fullmatch(r"\d{3}-\d{3}-\d{2}", r["废物代码"])  # well formed, just not listed
    known = [x for x in rows if x[1]["废物代码"] in reference]
    r = only([x for x in known if reference[x[1]["废物代码"]]["hw_category"] != x[1]["废物类别"]], "category_mismatch")
    assert (r["废物代码"], r["废物类别"]) == ("900-041-49", "HW08")
    r = only([x for x in known if reference[x[1]["废物代码"]]["hw_category"] == x[1]["废物类别"]
              and reference[x[1]["废物代码"]]["category_name"] not in x[1]["废物名称"]], "name_mismatch")
    assert (r["废物代码"], r["废物类别"], r["废物名称"]) == ("900-249-08", "HW08", "废活性炭")
    # identical rows within a file
    dups = []
    for m in MONTHS:
        counts = Counter(tuple(r.values()) for r in manifests[m])
        dups += [(m, dict(zip(MANIFEST_HEADER, k))) for k, n in counts.items() if n > 1 for _ in range(n - 1)]
    only(dups, "duplicate")
    # a number used by rows of different content (in any files)
    by_no = defaultdict(set)
    for m, r in rows:
        by_no[r["联单编号"]].add((m, tuple(r.values())))
    conflicts = [no for no, v in by_no.items() if len(v) > 1]
    assert conflicts == [planted["number_conflict"]["manifest_no"]]
    versions = sorted(by_no[conflicts[0]])
    assert [m for m, _ in versions] == ["2026-09", latest]
    qty = [dict(zip(MANIFEST_HEADER, v))["转移数量(吨)"] for _, v in versions]
    assert qty[0] != qty[1] and qty[0] == planted["number_conflict"]["original_shipped_t"]

    def category(r):
        return reference[r["废物代码"]]["hw_category"] if r["废物代码"] in reference else r["废物类别"]

    r = only([x for x in rows if x[1]["联单状态"] not in ("作废",) and category(x[1]) not in licensed[x[1]["接受单位名称"]]],
             "receiver_not_licensed")
    assert category(r) == "HW01" and r["接受单位名称"] == "龙游青龙山建材有限公司"
    only([x for x in rows if x[1]["接收时间"] and ts(x[1]["接收时间"]) < ts(x[1]["转移时间"])], "received_before_shipped")
    # every manifest anomaly but the oldest open one is in the latest month's file
    assert all(v["month"] == latest for k, v in planted.items() if k not in ("unreceived_over_30d", "not_on_platform"))
    assert planted["unreceived_over_30d"]["month"] == "2026-09"

    # ≥ 5 t a year (declared production of the twelve months) and not on the platform: one generator
    _, monthly = declarations
    produced = defaultdict(Decimal)
    for d in monthly:
        produced[d["产生单位统一社会信用代码"]] += q(d["实际产生量(吨)"])
    ge5 = {u for u, t in produced.items() if t >= 5}
    assert ge5 == set(res["platform"]["at_or_above_threshold"])
    off = {g["uscc"] for g in res["generators"] if not g["on_platform"]}
    assert off == set(res["platform"]["not_on_platform"]) and len(off) == 2
    assert off & ge5 == {planted["not_on_platform"]["generator_uscc"]} == set(res["platform"]["flagged"])
    control = res["platform"]["not_on_platform_below_threshold"]
    assert len(control) == 1 and produced[control[0]] < 2
    plans, _ = declarations
    assert all(q(p["计划产生量(吨)"]) < 5 for p in plans if p["产生单位统一社会信用代码"] == control[0])


def _anomalous(res):
    """(month, manifest no) of every planted row, and of both versions of the reused number."""
    out = {(v["month"], v["manifest_no"]) for v in res["planted"].values() if v["manifest_no"]}
    out.add(("2026-09", res["planted"]["number_conflict"]["manifest_no"]))
    return out


@needs_reference
def test_clean_rows_consistent(out, manifests, reference):
    _, res = out
    bad = _anomalous(res)
    licensed = _licensed(res)
    receivers = {(r["name"], r["uscc"], r["licence"], r["province"], r["county"]) for r in res["receivers"]}
    with open(REPO_ROOT / "seeds" / "ref_counties.csv", encoding="utf-8", newline="") as fh:
        counties = {r["county_name"] for r in csv.DictReader(fh) if r["area_level"] != "city"}
    generator = {}
    n_clean = Counter()
    for m, r in all_rows(manifests):
        gkey = (r["产生单位名称"], r["产生单位所在区县"], r["产生单位地址"])
        assert generator.setdefault(r["产生单位统一社会信用代码"], gkey) == gkey  # one generator, one identity
        if (m, r["联单编号"]) in bad:
            continue
        n_clean[r["联单状态"]] += 1
        ref = reference[r["废物代码"]]
        assert re.fullmatch(r"3308" + m.replace("-", "") + r"\d{6}", r["联单编号"]), r
        assert r["废物类别"] == ref["hw_category"] and ref["category_name"] in r["废物名称"], r
        assert r["危险特性"] == ref["hazard_characteristics"], r
        assert r["废物形态"] in ("固态", "半固态", "液态", "气态")
        assert uscc_ok(r["产生单位统一社会信用代码"]) and uscc_ok(r["接受单位统一社会信用代码"]), r
        assert r["产生单位所在区县"] in counties
        assert r["产生单位地址"].startswith("浙江省")
        assert (r["接受单位名称"], r["接受单位统一社会信用代码"], r["危险废物经营许可证编号"], r["接受单位所在省份"],
                r["接受单位所在区县"]) in receivers
        assert r["转移类型"] == "省内转移" and r["接受单位所在省份"] == "浙江省"
        assert ref["hw_category"] in licensed[r["接受单位名称"]], r
        assert r["运输车牌号"].startswith("浙H") and r["道路运输经营许可证号"].startswith("浙交运管许可")
        shipped, qty = ts(r["转移时间"]), q(r["转移数量(吨)"])
        assert shipped.strftime("%Y-%m") == m and shipped.weekday() < 6 and 8 <= shipped.hour <= 16, r
        assert Decimal("0.001") <= qty <= 30 and qty == qty.quantize(Decimal("0.001")), r
        status = r["联单状态"]
        assert status in ("在途", "已接收", "已退回", "作废")
        if status == "已接收":
            received, rq = ts(r["接收时间"]), q(r["接收数量(吨)"])
            assert shipped < received <= shipped + timedelta(days=3), r
            assert qty * Decimal("0.99") < rq <= qty, r  # loss under 1 %
        else:
            assert r["接收时间"] == r["接收数量(吨)"] == "", r
        if status == "在途":  # only the latest month's last loads, not yet booked at the export
            assert m == "2026-10" and END - shipped < timedelta(days=3), r
    assert n_clean["在途"] >= 1 and n_clean["作废"] >= 1 and n_clean["已退回"] >= 1
    for m in MONTHS:  # numbers unique within a file but for the planted duplicate
        nos = Counter(r["联单编号"] for r in manifests[m])
        twice = [res["planted"]["duplicate"]["manifest_no"]] if m == "2026-10" else []
        assert [n for n, c in nos.items() if c > 1] == twice


def test_quantities_plausible(out, declarations):
    _, res = out
    _, monthly = declarations
    per_gen = defaultdict(Decimal)
    for d in monthly:
        per_gen[d["产生单位统一社会信用代码"]] += q(d["实际产生量(吨)"])
    t = sorted(per_gen.values())
    assert len(t) == 300
    assert sum(x < 5 for x in t) > 150  # most under 5 t a year
    assert sum(5 <= x <= 500 for x in t) >= 80
    assert 3 <= sum(x >= 1000 for x in t) <= 8 and t[-1] < 20000  # a few plants of thousands of t
    by_county = Counter(g["county"] for g in res["generators"])
    assert len(by_county) == 8
    assert sum(by_county[c] for c in ("衢江区", "柯城区", "龙游县")) > 150
    big = [g for g in res["generators"] if q(g["annual_produced_t"]) >= 1000]
    assert sum(g["kind"] == "chem_big" for g in big) >= 3
    assert {g["county"] for g in big if g["kind"] == "chem_big"} <= {"衢江区", "柯城区", "龙游县"}


def test_declarations(out, manifests, declarations):
    _, res = out
    plans, monthly = declarations
    streams = {(g["uscc"], c) for g in res["generators"] for c in g["codes"]}
    for p in plans:
        assert p["申报类型"] == "管理计划" and p["月份"] == "" and q(p["计划产生量(吨)"]) > 0
        assert p["实际产生量(吨)"] == p["自行利用处置量(吨)"] == p["委托利用处置量(吨)"] == p["期末贮存量(吨)"] == ""
        assert res["planned_t"][f"{p['年份']}|{p['产生单位统一社会信用代码']}|{p['废物代码']}"] == p["计划产生量(吨)"]
    for year in ("2025", "2026"):
        keys = [(p["产生单位统一社会信用代码"], p["废物代码"]) for p in plans if p["年份"] == year]
        assert len(keys) == len(set(keys)) and set(keys) == streams

    # what the manifests say was handed over: identical rows once, cancelled and refused loads not, the unknown
    # code under the code that was really shipped
    unknown = res["planted"]["unknown_code"]
    handed = defaultdict(Decimal)
    for m in MONTHS:
        seen = set()
        for r in manifests[m]:
            key = tuple(r.values())
            if key in seen or r["联单状态"] in ("作废", "已退回"):
                continue
            seen.add(key)
            code = unknown["true_code"] if r["联单编号"] == unknown["manifest_no"] else r["废物代码"]
            handed[(m, r["产生单位统一社会信用代码"], code)] += q(r["转移数量(吨)"])

    storage = {k: q(v) for k, v in res["opening_storage_t"].items()}
    assert res["opening_month"] == MONTHS[0]
    names = {g["uscc"]: (g["name"], g["county"]) for g in res["generators"]}
    by_month = defaultdict(list)
    for d in monthly:
        assert d["申报类型"] == "月度申报" and d["计划产生量(吨)"] == ""
        by_month[f"{d['年份']}-{int(d['月份']):02d}"].append(d)
    assert sorted(by_month) == MONTHS
    checked = 0
    for m in MONTHS:
        assert {(d["产生单位统一社会信用代码"], d["废物代码"]) for d in by_month[m]} == streams
        for d in by_month[m]:
            u, c = d["产生单位统一社会信用代码"], d["废物代码"]
            assert (d["产生单位名称"], d["所在区县"]) == names[u]
            produced, self_, entrusted, end = (q(d[k]) for k in ("实际产生量(吨)", "自行利用处置量(吨)", "委托利用处置量(吨)",
                                                                 "期末贮存量(吨)"))
            assert min(produced, self_, entrusted, end) >= 0 and self_ <= produced
            assert entrusted == handed.pop((m, u, c), Decimal(0)), (m, u, c)
            assert end == storage[f"{u}|{c}"] + produced - self_ - entrusted, (m, u, c)
            storage[f"{u}|{c}"] = end
            checked += 1
    assert not handed  # every shipment belongs to a declared generator × code
    assert checked == 12 * len(streams)


def test_clean_totals(out, manifests):
    _, res = out
    bad = {no for m, no in _anomalous(res) if m == "2026-10"}
    totals = defaultdict(lambda: [Decimal(0), Decimal(0), 0, 0])
    for r in manifests["2026-10"]:
        if r["联单编号"] in bad or r["联单状态"] in ("作废", "已退回"):
            continue
        t = totals[r["产生单位所在区县"]]
        t[0] += q(r["转移数量(吨)"])
        t[1] += q(r["接收数量(吨)"]) if r["接收数量(吨)"] else 0
        t[2] += 1
        t[3] += r["联单状态"] == "在途"
    expected = res["clean_totals_latest_month"]
    assert set(expected) == {"柯城区", "衢江区", "常山县", "开化县", "龙游县", "江山市", "智造新城", "智慧新城"}
    for county, v in expected.items():
        got = totals.get(county, [Decimal(0), Decimal(0), 0, 0])
        assert (q(v["shipped_t"]), q(v["received_t"]), v["manifests"], v["in_transit"]) == tuple(got), county
    assert sum(v["in_transit"] for v in expected.values()) >= 1


def test_without_bad_rows(gen, tmp_path):
    res = gen.generate(tmp_path, months=["2026-10"], bad_rows=False)
    assert res["planted"] == {} and res["platform"]["not_on_platform"] == []
    header, rows = read_table(tmp_path / "hw_manifests_2026-10.csv")
    rows = [dict(zip(header, r)) for r in rows]
    assert len({r["联单编号"] for r in rows}) == len(rows)
    assert all(r["转移类型"] == "省内转移" for r in rows)
    assert not any(r["废物代码"] == gen.UNKNOWN_CODE for r in rows)
    for r in rows:
        if r["联单状态"] == "在途":
            assert END - ts(r["转移时间"]) < timedelta(days=3)
        if r["联单状态"] == "已接收":
            assert ts(r["接收时间"]) > ts(r["转移时间"]) and q(r["接收数量(吨)"]) > q(r["转移数量(吨)"]) * Decimal("0.99")
    with pytest.raises(ValueError):
        gen.generate(tmp_path / "x", months=["2026-10"], bad_rows=True)  # the reused number needs the month before
