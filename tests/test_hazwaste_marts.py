"""Hazardous-waste models and marts through ingestion and the real dbt project (period 2026-10, so statuses are judged
at 2026-11-01 00:00; tolerance 5 %).

Part 1 — a hand-written fixture. Generators: A and B are the first two USCCs of seeds/ref_hw_platform_enterprises.csv
(connected to the platform), C, D and E are not. Receivers as in seeds/ref_hw_receivers.csv: QT = 清泰 (one licence,
incinerator QT-FS 50 t/day and landfill QT-TM without capacity), QLS = 青龙山 (30 000 t/year, no HW01), JX = 江西
(cross-province, licensed for HW08), HZ = a 杭州 licence that is not registered.

    no.  gen  code        t       receiver  shipped         received          why
    M01  A    900-249-08  10.000  QT 焚烧    10-05 09:00     10-05 15:00 9.500   exactly 5 % short → not flagged
    M02  A    900-249-08  10.000  QT 焚烧    10-06 09:00     10-06 15:00 9.499   5.01 % short → short_received
    M03  A    900-249-08  10.000  QLS       10-07 09:00     10-07 15:00 10.500  exactly 5 % over → not flagged
    M04  A    900-249-08  10.000  QLS       10-08 09:00     10-08 15:00 10.501  5.01 % over → over_received
    M05  B    841-001-01  2.000   QLS       10-10 09:00     10-10 12:00 2.000   HW01 not on QLS's licence → receiver_unlicensed
    M06  B    841-001-01  1.000   QT 焚烧    10-20 08:00     在途                11 d 16 h = 11.67 d → unreceived_7d
    M07  A    900-039-49  3.000   QT 焚烧    09-15 10:00     在途 (Sep file)     15 d 14 h + 31 d = 46.58 d → unreceived_30d
    M08  A    900-249-08  1.000   QT 焚烧    10-09 09:00     10-09 14:00 1.000   named 废活性炭 (HW49) → name_mismatch
    M09  D    900-249-08  6.000   JX        10-12 08:00     10-13 10:00 6.000   跨省 → cross_province (licensed: counts)
    M10  D    900-249-08  2.000   HZ        10-14 08:00     10-14 16:00 2.000   杭州 → long_distance + receiver_unlicensed
    M11  C    900-214-08  0.500   QT 焚烧    10-30 10:00     在途                1 d 14 h = 1.58 d: open, no anomaly
    M12  A    900-041-49  1.000   QT 焚烧    10-15 09:00     10-15 13:00 1.000   twice, identical → duplicate_manifest, once
    M13  B    841-001-01  0.300 in the Sep file (09-20), 0.400 in the Oct file (10-12, received 0.400) → conflict;
                                    the Oct file was delivered later, so 0.400 in October counts
    M14  C    900-214-08  0.200   QT 焚烧    09-29 09:00     在途 in the Sep file, received 10-01 10:00 0.200 in the Oct
                                    file → a status update, not a conflict
    M15  A    900-249-08  1.000   QT 作废   10-16 09:00     —                   cancelled: counts nowhere
    M16  E    900-249-08  5.500   QT 焚烧    10-08 10:00     10-08 15:00 5.480   0.36 % short: clean
    Q1   A    900-249-08 received before shipped → quarantine.rows only

Declarations: plan 2026 A 900-249-08 120 t (10/month), 900-039-49 36 (3), 900-041-49 12 (1), B 48 (4), C 2.4 (0.2),
D 96 (8). 月度申报 2026-09: A 900-039-49 3.000; B 0.300; C 0.200. 2026-10: A 900-249-08 45.000 (self 2.000,
entrusted 41.000, storage 5.000), A 900-041-49 1.000, B 3.500 (entrusted 3.400, storage 0.100), C 0.300, and D 7.000
corrected to 8.000 by a later file; D's declarations carry no USCC (matched to D's manifests by county and name).
E declares nothing.

Part 2 — the demo generator's year (2025-11 … 2026-10): every planted anomaly found exactly once, nothing else, and
the county totals of the clean manifests equal the generator's own.
"""
from __future__ import annotations

import csv
import importlib.util
import io
import os
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
from conftest import dbt_build, query, reset_warehouse

from ecowarehouse import registry, settings
from ecowarehouse.ingest import pipeline
from ecowarehouse.standards.uscc import org_check_char, uscc_check_char
from hw_files import DECLARATION_HEADER, MANIFEST_HEADER

REPO = Path(__file__).resolve().parents[1]
CST = ZoneInfo("Asia/Shanghai")
SELECT = ("+mart_hw_county_monthly", "+fct_hw_receiver_utilisation", "+fct_hw_indicator_annual")
D = Decimal



def build(folder: Path) -> None:
    dbt_build(folder, *SELECT, period="2026-10")


def make_uscc(division: str, body: str) -> str:
    first17 = "91" + division + body + org_check_char(body)
    return first17 + uscc_check_char(first17)


PLATFORM = [r["generator_uscc"] for r in registry.rows("ref_hw_platform_enterprises")]
GEN = {  # key → (USCC, name, county as written)
    "A": (PLATFORM[0], "衢州手算甲化工有限公司", "柯城区"),
    "B": (PLATFORM[1], "龙游手算乙医院", "龙游县"),
    "C": (make_uscc("330881", "HW0C0001"), "江山手算丙汽车维修有限公司", "江山市"),
    "D": (make_uscc("330803", "HW0D0001"), "衢州手算丁机械有限公司", "衢江区"),
    "E": (make_uscc("330822", "HW0E0001"), "常山手算戊机械有限公司", "常山县"),
}
RECEIVER = {  # name, USCC, licence, province, county — as the seed registers them (HZ is not registered)
    "QT": ("衢州市清泰环境工程有限公司", "913308037045F2KQ05", "浙危废经第3308000012号", "浙江省", "衢江区"),
    "QLS": ("龙游青龙山建材有限公司", "91330825MA28D61T95", "浙危废经第3308000025号", "浙江省", "龙游县"),
    "JX": ("江西省XX环保科技有限公司", "91360681MA35T7UC37", "赣危废经第3606810009号", "江西省", "贵溪市"),
    "HZ": ("杭州手算环境服务有限公司", "", "浙危废经第3301000099号", "浙江省", "杭州市萧山区"),
}
CODES = {"900-249-08": "HW08", "900-214-08": "HW08", "900-039-49": "HW49", "900-041-49": "HW49", "841-001-01": "HW01"}


def no(n: int) -> str:
    return f"33082026100{n:05d}"


def manifest(n, gen, code, name, qty, receiver, method, shipped, received=None, received_t=None, status="已接收",
             transfer="省内转移") -> dict:
    uscc, gname, county = GEN[gen]
    rname, ruscc, licence, province, rcounty = RECEIVER[receiver]
    return {"联单编号": no(n), "转移类型": transfer, "产生单位名称": gname, "产生单位统一社会信用代码": uscc,
            "产生单位所在区县": county, "产生单位地址": f"浙江省衢州市{county}手算路{n}号", "废物代码": code,
            "废物类别": CODES[code], "废物名称": name, "废物形态": "液态", "危险特性": "T", "转移数量(吨)": qty,
            "包装方式": "铁桶", "运输单位名称": "衢州市恒安危险货物运输有限公司", "道路运输经营许可证号": "浙交运管许可衢字330800201307号",
            "运输车牌号": "浙H2A815", "接受单位名称": rname, "接受单位统一社会信用代码": ruscc, "危险废物经营许可证编号": licence,
            "接受单位所在省份": province, "接受单位所在区县": rcounty, "利用处置方式": method, "转移时间": shipped,
            "接收时间": received or "", "接收数量(吨)": received_t or "", "联单状态": status}


def declaration(kind, year, month, gen, code, name, planned="", generated="", self_="", entrusted="", storage="",
                with_uscc=True) -> dict:
    uscc, gname, county = GEN[gen]
    return {"申报类型": kind, "年份": year, "月份": month, "产生单位名称": gname,
            "产生单位统一社会信用代码": uscc if with_uscc else "", "所在区县": county, "废物代码": code,
            "废物类别": CODES[code], "废物名称": name, "计划产生量(吨)": planned, "实际产生量(吨)": generated,
            "自行利用处置量(吨)": self_, "委托利用处置量(吨)": entrusted, "期末贮存量(吨)": storage}


def write(path: Path, header: list[str], rows: list[dict], delivered: datetime) -> None:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(header)
    w.writerows([[r[h] for h in header] for r in rows])
    path.write_bytes(buf.getvalue().encode("utf-8"))
    ts = delivered.replace(tzinfo=CST).timestamp()
    os.utime(path, (ts, ts))


def hand_files(folder: Path) -> None:
    sep = [
        manifest(7, "A", "900-039-49", "废活性炭", "3.000", "QT", "焚烧", "2026-09-15 10:00", status="在途"),
        manifest(13, "B", "841-001-01", "感染性废物", "0.300", "QT", "焚烧", "2026-09-20 09:00", "2026-09-20 13:00",
                 "0.300"),
        manifest(14, "C", "900-214-08", "废机油", "0.200", "QT", "焚烧", "2026-09-29 09:00", status="在途"),
    ]
    dup = manifest(12, "A", "900-041-49", "废包装桶", "1.000", "QT", "焚烧", "2026-10-15 09:00", "2026-10-15 13:00",
                   "1.000")
    oct_ = [
        manifest(1, "A", "900-249-08", "废矿物油", "10.000", "QT", "焚烧", "2026-10-05 09:00", "2026-10-05 15:00", "9.500"),
        manifest(2, "A", "900-249-08", "废矿物油", "10.000", "QT", "焚烧", "2026-10-06 09:00", "2026-10-06 15:00", "9.499"),
        manifest(3, "A", "900-249-08", "废矿物油", "10.000", "QLS", "水泥窑协同处置", "2026-10-07 09:00",
                 "2026-10-07 15:00", "10.500"),
        manifest(4, "A", "900-249-08", "废矿物油", "10.000", "QLS", "水泥窑协同处置", "2026-10-08 09:00",
                 "2026-10-08 15:00", "10.501"),
        manifest(5, "B", "841-001-01", "感染性废物", "2.000", "QLS", "水泥窑协同处置", "2026-10-10 09:00",
                 "2026-10-10 12:00", "2.000"),
        manifest(6, "B", "841-001-01", "感染性废物", "1.000", "QT", "焚烧", "2026-10-20 08:00", status="在途"),
        manifest(8, "A", "900-249-08", "废活性炭", "1.000", "QT", "焚烧", "2026-10-09 09:00", "2026-10-09 14:00", "1.000"),
        manifest(9, "D", "900-249-08", "废机油", "6.000", "JX", "综合利用", "2026-10-12 08:00", "2026-10-13 10:00",
                 "6.000", transfer="跨省转移"),
        manifest(10, "D", "900-249-08", "废机油", "2.000", "HZ", "焚烧", "2026-10-14 08:00", "2026-10-14 16:00", "2.000"),
        manifest(11, "C", "900-214-08", "废机油", "0.500", "QT", "焚烧", "2026-10-30 10:00", status="在途"),
        dup, dict(dup),
        manifest(13, "B", "841-001-01", "感染性废物", "0.400", "QT", "焚烧", "2026-10-12 09:00", "2026-10-12 13:00",
                 "0.400"),
        manifest(14, "C", "900-214-08", "废机油", "0.200", "QT", "焚烧", "2026-09-29 09:00", "2026-10-01 10:00", "0.200"),
        manifest(15, "A", "900-249-08", "废矿物油", "1.000", "QT", "焚烧", "2026-10-16 09:00", status="作废"),
        manifest(16, "E", "900-249-08", "废矿物油", "5.500", "QT", "焚烧", "2026-10-08 10:00", "2026-10-08 15:00", "5.480"),
        manifest(17, "A", "900-249-08", "废矿物油", "1.000", "QT", "焚烧", "2026-10-20 10:00", "2026-10-20 08:00", "1.000"),
    ]
    plan = [
        declaration("管理计划", 2026, "", "A", "900-249-08", "废矿物油", planned="120"),
        declaration("管理计划", 2026, "", "A", "900-039-49", "废活性炭", planned="36"),
        declaration("管理计划", 2026, "", "A", "900-041-49", "废包装桶", planned="12"),
        declaration("管理计划", 2026, "", "B", "841-001-01", "感染性废物", planned="48"),
        declaration("管理计划", 2026, "", "C", "900-214-08", "废机油", planned="2.4"),
        declaration("管理计划", 2026, "", "D", "900-249-08", "废机油", planned="96", with_uscc=False),
    ]
    decl_sep = [
        declaration("月度申报", 2026, 9, "A", "900-039-49", "废活性炭", generated="3.000", self_="0", entrusted="3.000",
                    storage="0"),
        declaration("月度申报", 2026, 9, "B", "841-001-01", "感染性废物", generated="0.300", self_="0",
                    entrusted="0.300", storage="0"),
        declaration("月度申报", 2026, 9, "C", "900-214-08", "废机油", generated="0.200", self_="0", entrusted="0.200",
                    storage="0"),
    ]
    decl_oct = [
        declaration("月度申报", 2026, 10, "A", "900-249-08", "废矿物油", generated="45.000", self_="2.000",
                    entrusted="41.000", storage="5.000"),
        declaration("月度申报", 2026, 10, "A", "900-041-49", "废包装桶", generated="1.000", self_="0", entrusted="1.000",
                    storage="0"),
        declaration("月度申报", 2026, 10, "B", "841-001-01", "感染性废物", generated="3.500", self_="0",
                    entrusted="3.400", storage="0.100"),
        declaration("月度申报", 2026, 10, "C", "900-214-08", "废机油", generated="0.300", self_="0", entrusted="0.500",
                    storage="0"),
        declaration("月度申报", 2026, 10, "D", "900-249-08", "废机油", generated="7.000", self_="0", entrusted="8.000",
                    storage="0", with_uscc=False),
    ]
    decl_fix = [declaration("月度申报", 2026, 10, "D", "900-249-08", "废机油", generated="8.000", self_="0",
                            entrusted="8.000", storage="0", with_uscc=False)]
    write(folder / "a_plan_2026.csv", DECLARATION_HEADER, plan, datetime(2026, 3, 31, 10))
    write(folder / "b_declarations_2026-09.csv", DECLARATION_HEADER, decl_sep, datetime(2026, 10, 3, 10))
    write(folder / "c_manifests_2026-09.csv", MANIFEST_HEADER, sep, datetime(2026, 10, 1, 6))
    write(folder / "d_manifests_2026-10.csv", MANIFEST_HEADER, oct_, datetime(2026, 11, 1, 6))
    write(folder / "e_declarations_2026-10.csv", DECLARATION_HEADER, decl_oct, datetime(2026, 11, 3, 10))
    write(folder / "f_declarations_2026-10_corrected.csv", DECLARATION_HEADER, decl_fix, datetime(2026, 11, 5, 10))


@pytest.fixture(scope="class")
def hand(warehouse, tmp_path_factory):
    reset_warehouse(warehouse)
    folder = tmp_path_factory.mktemp("hw_hand")
    hand_files(folder)
    results = pipeline.ingest_paths([folder])
    assert [(r.name, r.rows_loaded, r.rows_quarantined) for r in results] == [
        ("a_plan_2026.csv", 6, 0), ("b_declarations_2026-09.csv", 3, 0), ("c_manifests_2026-09.csv", 3, 0),
        ("d_manifests_2026-10.csv", 16, 1), ("e_declarations_2026-10.csv", 5, 0),
        ("f_declarations_2026-10_corrected.csv", 1, 0)]
    build(folder)
    # later dbt calls reuse the build's target folder (partial parsing instead of a new parse)
    return SimpleNamespace(url=warehouse.url, dbt_folder=folder)


class TestHandFixture:
    def test_one_row_per_manifest_number(self, hand):
        rows = query(hand, """select manifest_no, shipped_t, manifest_status, duplicate_rows, content_versions,
                                     has_conflict, is_status_update, days_open
                              from intermediate.int_hw__manifests order by manifest_no""")
        got = {r[0]: r[1:] for r in rows}
        assert sorted(got) == [no(n) for n in range(1, 17)]  # M17 went to quarantine
        assert got[no(12)][2:5] == (1, 1, False)  # two identical rows: counted once
        assert got[no(13)][:2] == (D("0.400"), "已接收") and got[no(13)][3:5] == (2, True)  # latest delivered file
        assert got[no(14)][1] == "已接收" and got[no(14)][4:6] == (False, True)  # 在途 → 已接收: an update
        assert {k: v[6] for k, v in got.items() if v[6] is not None} == {
            no(6): D("11.67"), no(7): D("46.58"), no(11): D("1.58")}

    def test_quarantined_row_is_not_an_anomaly(self, hand):
        assert query(hand, "select source, reason_code, record->>'联单编号' from quarantine.rows") == [
            ("hw_manifests", "hw:received_before_shipped", no(17))]
        assert query(hand, "select count(*) from marts_audit.fct_hw_anomalies where manifest_no = %s", no(17)) == [(0,)]

    def test_anomalies_by_hand(self, hand):
        d_uscc, e_uscc = GEN["D"][0], GEN["E"][0]
        got = sorted(query(hand, """select anomaly_kind, subject_id, severity, county_code, anomaly_month
                                    from marts_audit.fct_hw_anomalies"""))
        assert got == sorted([
            ("conflicting_manifest", no(13), "blocking", "330825", "2026-10"),
            ("cross_province", no(9), "warning", "330803", "2026-10"),
            ("duplicate_manifest", no(12), "warning", "330802", "2026-10"),
            ("long_distance", no(10), "warning", "330803", "2026-10"),
            ("name_mismatch", no(8), "warning", "330802", "2026-10"),
            ("off_platform_generator", d_uscc, "warning", "330803", "2026-10"),
            ("off_platform_generator", e_uscc, "warning", "330822", "2026-10"),
            ("over_received", no(4), "blocking", "330802", "2026-10"),
            ("receiver_unlicensed", no(5), "blocking", "330825", "2026-10"),
            ("receiver_unlicensed", no(10), "blocking", "330803", "2026-10"),
            ("short_received", no(2), "blocking", "330802", "2026-10"),
            ("unreceived_30d", no(7), "blocking", "330802", "2026-09"),
            ("unreceived_7d", no(6), "warning", "330825", "2026-10"),
        ])
        text = dict(query(hand, """select anomaly_kind || ' ' || subject_id, description_zh
                                   from marts_audit.fct_hw_anomalies"""))
        assert "少5.01%" in text[f"short_received {no(2)}"] and "多5.01%" in text[f"over_received {no(4)}"]
        assert "类别不含HW01" in text[f"receiver_unlicensed {no(5)}"]
        assert "浙危废经第3301000099号" in text[f"receiver_unlicensed {no(10)}"]
        assert "46.58天" in text[f"unreceived_30d {no(7)}"] and "“废活性炭”（通常属HW49）" in text[f"name_mismatch {no(8)}"]
        assert "8.000吨（按月度申报）" in text[f"off_platform_generator {d_uscc}"]
        assert "5.500吨（无申报，按联单转移数量）" in text[f"off_platform_generator {e_uscc}"]

    def test_flows_by_hand(self, hand):
        a, b, c, d, e = (GEN[k][0] for k in "ABCDE")
        got = sorted(query(hand, """select generator_key, waste_code, month, declared_produced_t, planned_monthly_t,
                                           manifests, shipped_t, manifests_received, received_t,
                                           manifests_in_transit_end, in_transit_end_t, storage_end_t
                                    from marts_audit.fct_hw_flows_monthly"""))
        assert got == sorted([
            # M01–M04 and M08 (M15 cancelled): 4 × 10 + 1 = 41 shipped; 9.500 + 9.499 + 10.500 + 10.501 + 1 = 41 received
            (a, "900-249-08", "2026-10", D("45.000"), D("10.000"), 5, D("41.000"), 5, D("41.000"), 0, 0, D("5.000")),
            # M07 shipped in September and still open at the ends of September and October
            (a, "900-039-49", "2026-09", D("3.000"), D("3.000"), 1, D("3.000"), 0, 0, 1, D("3.000"), D("0")),
            (a, "900-039-49", "2026-10", None, D("3.000"), 0, 0, 0, 0, 1, D("3.000"), None),
            (a, "900-041-49", "2026-10", D("1.000"), D("1.000"), 1, D("1.000"), 1, D("1.000"), 0, 0, D("0")),
            # September's 0.300 of M13 lost to the October version; October: M05 2 + M06 1 + M13 0.4, M06 open
            (b, "841-001-01", "2026-09", D("0.300"), D("4.000"), 0, 0, 0, 0, 0, 0, D("0")),
            (b, "841-001-01", "2026-10", D("3.500"), D("4.000"), 3, D("3.400"), 2, D("2.400"), 1, D("1.000"), D("0.100")),
            # M14 shipped 09-29, received 10-01: in transit at the end of September only
            (c, "900-214-08", "2026-09", D("0.200"), D("0.200"), 1, D("0.200"), 1, D("0.200"), 1, D("0.200"), D("0")),
            (c, "900-214-08", "2026-10", D("0.300"), D("0.200"), 1, D("0.500"), 0, 0, 1, D("0.500"), D("0")),
            # D's declaration had no USCC and was corrected 7 → 8
            (d, "900-249-08", "2026-10", D("8.000"), D("8.000"), 2, D("8.000"), 2, D("8.000"), 0, 0, D("0")),
            (e, "900-249-08", "2026-10", None, None, 1, D("5.500"), 1, D("5.480"), 0, 0, None),
        ])

    def test_county_roll_up_by_hand(self, hand):
        got = {r[0]: r[1:] for r in query(hand, """
            select area_code, manifests, shipped_t, received_t, manifests_in_transit_end, in_transit_end_t,
                   declared_produced_t, manifests_clean, shipped_clean_t, received_clean_t, manifests_open_end_clean,
                   anomalies, anomalies_blocking, n_short_received, n_off_platform_generator
            from marts_audit.mart_hw_county_monthly where month = '2026-10'""")}
        assert got == {
            # 柯城 (A): 41 + M12 1; open M07 3 t; declared 45 + 1; clean M01 + M03; anomalies M02 M04 M08 M12
            "330802": (6, D("42.000"), D("42.000"), 1, D("3.000"), D("46.000"), 2, D("20.000"), D("20.000"), 0, 4, 2, 1, 0),
            # 龙游 (B): M05 M06 M13, none clean; M05 and M13 blocking, M06 warning
            "330825": (3, D("3.400"), D("2.400"), 1, D("1.000"), D("3.500"), 0, 0, 0, 0, 3, 2, 0, 0),
            # 江山 (C): M11 open and clean
            "330881": (1, D("0.500"), 0, 1, D("0.500"), D("0.300"), 1, D("0.500"), 0, 1, 0, 0, 0, 0),
            # 衢江 (D): M09 M10; cross-province, long distance, unlicensed, off-platform
            "330803": (2, D("8.000"), D("8.000"), 0, 0, D("8.000"), 0, 0, 0, 0, 4, 1, 0, 1),
            # 常山 (E): M16 clean, no declaration; off-platform
            "330822": (1, D("5.500"), D("5.480"), 0, 0, None, 1, D("5.500"), D("5.480"), 0, 1, 0, 0, 1),
            "330824": (0, 0, 0, 0, 0, None, 0, 0, 0, 0, 0, 0, 0, 0),
            "330800-ZZXC": (0, 0, 0, 0, 0, None, 0, 0, 0, 0, 0, 0, 0, 0),
            "330800-ZHXC": (0, 0, 0, 0, 0, None, 0, 0, 0, 0, 0, 0, 0, 0),
            # the city: the sums (13 manifests; 42 + 3.4 + 0.5 + 8 + 5.5 = 59.4 t; 42 + 2.4 + 8 + 5.48 = 57.88 t)
            "330800": (13, D("59.400"), D("57.880"), 3, D("4.500"), D("57.800"), 4, D("26.000"), D("25.480"), 1, 12, 5,
                       1, 2),
        }
        assert sorted(query(hand, """select area_code, anomalies, n_unreceived_30d from marts_audit.mart_hw_county_monthly
                                     where month = '2026-09' and anomalies > 0""")) == [
            ("330800", 1, 1), ("330802", 1, 1)]
        assert query(hand, "select count(*), count(distinct month) from marts_audit.mart_hw_county_monthly") == [(18, 2)]

    def test_receiver_utilisation_by_hand(self, hand):
        got = sorted(query(hand, """select receiver_key, month, manifests_received, received_t, capacity_basis,
                                           capacity_month_t, utilisation_share
                                    from marts_audit.fct_hw_receiver_utilisation"""))
        assert got == [
            ("HL-SNY", "2026-10", 0, 0, "t_per_day*days", D("3720.000"), D("0.0000")),  # 120 t/day × 31
            ("JSH-SNY", "2026-10", 0, 0, "t_per_year/12", D("6666.667"), D("0.0000")),  # 80 000 / 12
            ("JX-ZHLY", "2026-10", 1, D("6.000"), None, None, None),  # no capacity in the seed: null, not 0
            # M03 10.500 + M04 10.501 + M05 2 = 23.001 of 30 000 / 12 = 2500 → 0.0092
            ("QLS-SNY", "2026-10", 3, D("23.001"), "t_per_year/12", D("2500.000"), D("0.0092")),
            # M01 9.5 + M02 9.499 + M08 1 + M12 1 + M13 0.4 + M14 0.2 (received 10-01) + M16 5.48 = 27.079 of
            # 50 t/day × 31 = 1550 → 0.01747 → 0.0175
            ("QT-FS", "2026-10", 7, D("27.079"), "t_per_day*days", D("1550.000"), D("0.0175")),
            ("QT-TM", "2026-10", 0, 0, None, None, None),
            ("UNREGISTERED:浙危废经第3301000099号", "2026-10", 1, D("2.000"), None, None, None),
        ]

    def test_platform_by_hand(self, hand):
        got = query(hand, """select generator_key, year, window_start_month, window_end_month, produced_t,
                                    produced_basis, is_on_platform, needs_platform
                             from marts_audit.fct_hw_generators_platform order by produced_t desc""")
        a, b, c, d, e = (GEN[k][0] for k in "ABCDE")
        w = (2026, "2025-11", "2026-10")
        assert got == [
            (a, *w, D("49.000"), "declared", True, False),  # 3 + 45 + 1
            (d, *w, D("8.000"), "declared", False, True),  # the corrected declaration
            (e, *w, D("5.500"), "shipped", False, True),  # nothing declared: M16's 5.5 t shipped
            (b, *w, D("3.800"), "declared", True, False),  # 0.3 + 3.5
            (c, *w, D("0.500"), "declared", False, False),  # 0.2 + 0.3: under 5 t, left alone
        ]

    def test_indicator_by_hand(self, hand):
        got = sorted(query(hand, """select area_code, indicator_code, produced_t, received_licensed_t, self_disposed_t,
                                           rate_pct, generators_seen, generator_months_declared, data_completeness_pct
                                    from marts_audit.fct_hw_indicator_annual where year = 2026"""),
                     key=lambda r: (r[1], r[0]))
        med, hw = "hw_medical_harmless_disposal_rate_pct", "hw_utilisation_disposal_rate_pct"
        assert got == [
            # HW01 is B's alone: 3.8 t produced, M05 (unlicensed) and M13 (conflict) blocking, M06 open → 0 received
            ("330800", med, D("3.800"), 0, D("0"), D("0.00"), 1, 2, D("20.00")),
            ("330825", med, D("3.800"), 0, D("0"), D("0.00"), 1, 2, D("20.00")),
            # city: (22 + 0 + 0.2 + 6 + 5.48 + self 2) / (49 + 3.8 + 0.5 + 8) = 35.68 / 61.3 = 58.206 %;
            # 7 generator-months declared of 5 generators × 10 months
            ("330800", hw, D("61.300"), D("33.680"), D("2.000"), D("58.21"), 5, 7, D("14.00")),
            # 柯城: M01 9.5 + M03 10.5 + M08 1 + M12 1 (warnings count; M02, M04 blocking) = 22, + self 2 = 24 / 49
            ("330802", hw, D("49.000"), D("22.000"), D("2.000"), D("48.98"), 1, 2, D("20.00")),
            # 衢江: M09 6 (cross-province, licensed); M10 unlicensed → 6 / 8
            ("330803", hw, D("8.000"), D("6.000"), D("0"), D("75.00"), 1, 1, D("10.00")),
            # 常山: E declared nothing → produced and rate null, not 0
            ("330822", hw, None, D("5.480"), None, None, 1, 0, D("0.00")),
            ("330825", hw, D("3.800"), 0, D("0"), D("0.00"), 1, 2, D("20.00")),
            # 江山: M14 0.2 received in October / 0.5
            ("330881", hw, D("0.500"), D("0.200"), D("0"), D("40.00"), 1, 2, D("20.00")),
        ]

    def test_staged_rows_reconcile_with_ops_files(self, hand):
        # the singular dbt test passed in the build; its compiled query must also catch a row no file accounts for
        compiled = (hand.dbt_folder / "dbt-target" / "compiled" / "ecowarehouse" / "tests"
                    / "hw_staged_rows_match_loaded.sql").read_text(encoding="utf-8")
        assert query(hand, compiled) == []
        import psycopg

        with psycopg.connect(hand.url(), autocommit=True) as conn:
            batch, rows = conn.execute("""select batch_id, rows_loaded from ops.files
                                          where original_name = 'd_manifests_2026-10.csv'""").fetchone()
            conn.execute("""insert into raw.hw_manifests
                            select batch_id, file_sha256, source_row + 1000, manifest_no, transfer_type, generator_name,
                                   generator_uscc, generator_county_code, generator_address, waste_code, hw_category,
                                   waste_name, waste_form, hazard_characteristics, shipped_t, packaging, carrier_name,
                                   carrier_permit_no, vehicle_plate, receiver_name, receiver_uscc, receiver_licence_no,
                                   receiver_province, receiver_county, receiver_county_code, disposal_method, shipped_at,
                                   received_at, received_t, manifest_status, content_hash, source_record
                            from raw.hw_manifests where manifest_no = %s""", (no(1),))
            try:
                assert query(hand, compiled) == [("hw_manifests", batch, "d_manifests_2026-10.csv", rows, rows + 1)]
            finally:
                conn.execute("delete from raw.hw_manifests where source_row > 1000")


# ---------------------------------------------------------------- the demo year
PLANTED_KIND = {  # generator's key → kind in fct_hw_anomalies
    "unreceived_over_30d": "unreceived_30d", "unreceived_over_7d": "unreceived_7d", "short_received": "short_received",
    "cross_province": "cross_province", "name_mismatch": "name_mismatch", "duplicate": "duplicate_manifest",
    "number_conflict": "conflicting_manifest", "receiver_not_licensed": "receiver_unlicensed",
    "not_on_platform": "off_platform_generator",
}
QUARANTINED = {"unknown_code": "hw:unknown_code", "category_mismatch": "hw:category_mismatch",
               "received_before_shipped": "hw:received_before_shipped"}


def _generator():
    spec = importlib.util.spec_from_file_location("generate_hazwaste_for_marts", REPO / "scripts" / "generate_hazwaste.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="class")
def demo(warehouse, tmp_path_factory):
    reset_warehouse(warehouse)
    folder = tmp_path_factory.mktemp("hw_demo")
    result = _generator().generate(folder, latest_month="2026-10")
    pipeline.ingest_paths([folder])
    build(folder)
    return warehouse, result


class TestDemoYear:
    def test_every_planted_anomaly_exactly_once_and_nothing_else(self, demo):
        warehouse, result = demo
        planted = result["planted"]
        assert set(planted) == set(PLANTED_KIND) | set(QUARANTINED)
        counties = {name: code for code, name in registry.counties().items()}
        expected = set()
        for key, kind in PLANTED_KIND.items():
            p = planted[key]
            subject = p["generator_uscc"] if kind == "off_platform_generator" else p["manifest_no"]
            month = p["month"] or result["latest_month"]  # a generator's anomaly belongs to the assessed month
            expected.add((kind, subject, counties[p["county"]], month))
        got = query(warehouse, "select anomaly_kind, subject_id, county_code, anomaly_month from marts_audit.fct_hw_anomalies")
        assert len(got) == len(set(got))
        assert set(got) == expected  # over_received and long_distance: none planted, none found

    def test_quarantined_anomalies_are_in_quarantine_only(self, demo):
        warehouse, result = demo
        for key, reason in QUARANTINED.items():
            number = result["planted"][key]["manifest_no"]
            assert query(warehouse, """select reason_code from quarantine.rows
                                       where source = 'hw_manifests' and record->>'联单编号' = %s""", number) == [(reason,)]
            assert query(warehouse, "select count(*) from intermediate.int_hw__manifests where manifest_no = %s",
                         number) == [(0,)]
        assert query(warehouse, """select count(*) from quarantine.rows
                                   where source in ('hw_manifests', 'hw_declarations')""") == [(len(QUARANTINED),)]

    def test_latest_month_clean_totals_per_county(self, demo):
        warehouse, result = demo
        # the generator's "clean": every planted manifest (both duplicate rows, the reused number's October row) and
        # the cancelled and returned ones left out — here, the manifests without any anomaly
        got = {r[0]: r[1:] for r in query(warehouse, """
            select area_name, shipped_clean_t, received_clean_t, manifests_clean, manifests_open_end_clean
            from marts_audit.mart_hw_county_monthly where month = %s and area_level <> 'city'""", result["latest_month"])}
        expected = {county: (D(v["shipped_t"]), D(v["received_t"]), v["manifests"], v["in_transit"])
                    for county, v in result["clean_totals_latest_month"].items()}
        assert got == expected
        city = query(warehouse, """select shipped_clean_t, manifests_clean from marts_audit.mart_hw_county_monthly
                                   where month = %s and area_level = 'city'""", result["latest_month"])
        assert city == [(sum(v[0] for v in expected.values()), sum(v[2] for v in expected.values()))]

    def test_platform_flags_only_the_planted_generator(self, demo):
        warehouse, result = demo
        flagged = query(warehouse, """select generator_uscc from marts_audit.fct_hw_generators_platform
                                      where is_assessed_year and needs_platform""")
        assert flagged == [(u,) for u in result["platform"]["flagged"]]
        below = result["platform"]["not_on_platform_below_threshold"]
        assert query(warehouse, """select is_on_platform, is_at_or_above_5t from marts_audit.fct_hw_generators_platform
                                   where is_assessed_year and generator_uscc = %s""", below[0]) == [(False, False)]


def test_platform_seed_is_the_demo_register():
    spec = importlib.util.spec_from_file_location("write_hw_platform_seed", REPO / "scripts" / "write_hw_platform_seed.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert (settings.SEEDS_DIR / "ref_hw_platform_enterprises.csv").read_bytes() == module.seed_bytes()
