"""Deterministic demo hazardous-waste records of 衢州: the provincial system's monthly exports of electronic transfer
manifests (危险废物转移联单) and the generators' declarations (管理计划 for each year, 月度申报 for each month).

Usable as a module (``generate(out_dir, months=None, latest_month="2026-10", bad_rows=True)``) and as a script::

    python scripts/generate_hazwaste.py --out DIR [--latest-month 2026-10] [--months 2026-09,2026-10] [--no-bad-rows]

Months: by default the twelve months ending at the latest month (2025-11 … 2026-10). Files (flat in ``out_dir``):

* ``hw_manifests_YYYY-MM.csv`` (UTF-8, no BOM) — one per month; three months (the 2nd, 6th and 10th of a twelve-month
  span) are ``hw_manifests_YYYY-MM.xlsx`` instead, with a title row above the header as the provincial system exports
  them. Every file shows the statuses at the end of the latest month (so only that month's last loads are still 在途)
  and carries 06:00 of the next day, when the system was queried, as its modification time.
* ``hw_management_plan_YYYY.csv`` — 管理计划 of each calendar year the months touch (planned annual quantity per
  generator × waste code), delivered on 31 March of the year.
* ``hw_declarations_YYYY-MM.csv`` — 月度申报 of each month, delivered on the 3rd of the next month.

Model: 300 generators (fixed USCC, name, address, county, 1–9 waste codes of the 2021 list) with lognormal annual
quantities by kind of enterprise (auto repair and laboratories well under 5 t, machinery a few t, chemical plants tens
to hundreds of t, four chemical plants and the waste incinerator thousands of t). Production accrues monthly into
storage; a generator × code ships every 1, 2, 3, 6 or 12 months according to its volume (medical waste several times a
month), in truckloads of at most 30 t (25 t liquid), to one contracted receiver licensed for the category. Quantities
are kept in whole kilograms, so the declarations' balance (期末贮存量 = 上期 + 产生 − 自行利用处置 − 委托利用处置) is exact.
委托利用处置量 = the month's manifests of the generator × code (by code as truly shipped), except 作废 and 已退回.

Planted anomalies (``bad_rows=True``), each exactly once and listed in the returned ``planted``; see ``_plant``.
"""
from __future__ import annotations

import argparse
import calendar
import csv
import io
import json
import math
import os
import random
import re
import sys
import zipfile
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
from ecowarehouse import registry  # noqa: E402
from ecowarehouse.standards.uscc import org_check_char, uscc_check_char  # noqa: E402

DEFAULT_SEED = 20261202
DEFAULT_LATEST_MONTH = "2026-10"
SPAN_MONTHS = 12
CST = ZoneInfo("Asia/Shanghai")

MANIFEST_HEADER = [
    "联单编号", "转移类型", "产生单位名称", "产生单位统一社会信用代码", "产生单位所在区县", "产生单位地址", "废物代码",
    "废物类别", "废物名称", "废物形态", "危险特性", "转移数量(吨)", "包装方式", "运输单位名称", "道路运输经营许可证号",
    "运输车牌号", "接受单位名称", "接受单位统一社会信用代码", "危险废物经营许可证编号", "接受单位所在省份",
    "接受单位所在区县", "利用处置方式", "转移时间", "接收时间", "接收数量(吨)", "联单状态",
]
DECLARATION_HEADER = [
    "申报类型", "年份", "月份", "产生单位名称", "产生单位统一社会信用代码", "所在区县", "废物代码", "废物类别", "废物名称",
    "计划产生量(吨)", "实际产生量(吨)", "自行利用处置量(吨)", "委托利用处置量(吨)", "期末贮存量(吨)",
]

# Receivers: the same five rows as seeds/ref_hw_receivers.csv (written separately; align any change there).
# `licensed`: HW categories of the 危险废物经营许可证 as this demo assumes them — every clean manifest stays inside them.
RECEIVERS = {
    "qingtai": {"name": "衢州市清泰环境工程有限公司", "uscc": "913308037045F2KQ05", "licence": "浙危废经第3308000012号",
                "province": "浙江省", "county": "衢江区", "kind": "焚烧/填埋",
                "licensed": ("HW01", "HW06", "HW08", "HW09", "HW11", "HW12", "HW13", "HW17", "HW18", "HW45", "HW49",
                             "HW50")},
    "qinglongshan": {"name": "龙游青龙山建材有限公司", "uscc": "91330825MA28D61T95", "licence": "浙危废经第3308000025号",
                     "province": "浙江省", "county": "龙游县", "kind": "水泥窑协同处置",
                     "licensed": ("HW06", "HW08", "HW09", "HW11", "HW12", "HW13", "HW17", "HW34", "HW35", "HW49")},
    "jiangshanhu": {"name": "常山江山虎水泥有限公司", "uscc": "913308226872J4N330", "licence": "浙危废经第3308000031号",
                    "province": "浙江省", "county": "常山县", "kind": "水泥窑协同处置",
                    "licensed": ("HW08", "HW09", "HW12", "HW13", "HW34", "HW35", "HW49")},
    "haolong": {"name": "衢州市衢江豪龙建材有限公司", "uscc": "91330803MA29K8YB6L", "licence": "浙危废经第3308000046号",
                "province": "浙江省", "county": "衢江区", "kind": "污泥水泥窑协同处置",
                "licensed": ("HW08", "HW09", "HW12", "HW13", "HW17", "HW49")},
    "jiangxi": {"name": "江西省XX环保科技有限公司", "uscc": "91360681MA35T7UC37", "licence": "赣危废经第3606810009号",
                "province": "江西省", "county": "贵溪市", "kind": "综合利用",
                "licensed": ("HW08", "HW17", "HW22", "HW49", "HW50")},
}

TRANSPORTERS = [
    ("衢州市恒安危险货物运输有限公司", "浙交运管许可衢字330800201307号", ("浙H2A815", "浙H2B537", "浙H3C062", "浙HD5818")),
    ("衢州通衢物流有限公司", "浙交运管许可衢字330803201512号", ("浙H5F203", "浙H5F377", "浙HB9026")),
    ("龙游顺安危货运输有限公司", "浙交运管许可衢字330825201609号", ("浙H7K118", "浙H7K425", "浙H7L960")),
    ("江山市路通化工物流有限公司", "浙交运管许可衢字330881201803号", ("浙H8E612", "浙H8E703", "浙H8G251")),
    ("常山县安畅运输有限公司", "浙交运管许可衢字330822202011号", ("浙H6C330", "浙H6C587")),
]
HOME_TRANSPORTER = {"龙游县": 2, "江山市": 3, "常山县": 4, "开化县": 4, "衢江区": 1}  # else 衢州市恒安

# code → (usual names on the manifest, form, packaging); the written 废物名称 is "俗称（名录类别名称）"
WASTE_STYLE = {
    "841-001-01": (("感染性废物",), "固态", "专用周转箱"), "841-002-01": (("损伤性废物",), "固态", "利器盒"),
    "900-402-06": (("废有机溶剂",), "液态", "吨桶"), "900-404-06": (("废清洗溶剂", "废稀释剂"), "液态", "铁桶"),
    "900-200-08": (("研磨油泥",), "半固态", "铁桶"), "900-210-08": (("含油污泥",), "半固态", "吨袋"),
    "900-214-08": (("废机油",), "液态", "铁桶"), "900-217-08": (("废齿轮油",), "液态", "铁桶"),
    "900-218-08": (("废液压油",), "液态", "铁桶"), "900-249-08": (("废矿物油", "废润滑油"), "液态", "铁桶"),
    "900-006-09": (("废乳化液", "废切削液"), "液态", "吨桶"),
    "900-013-11": (("精馏残渣", "蒸馏釜残"), "半固态", "铁桶"), "261-008-11": (("精馏残液",), "液态", "吨桶"),
    "261-013-11": (("精馏残渣",), "半固态", "铁桶"), "261-019-11": (("蒸馏残液",), "液态", "吨桶"),
    "261-027-11": (("精馏重组分",), "液态", "吨桶"), "261-101-11": (("精馏釜残",), "半固态", "铁桶"),
    "900-252-12": (("废漆渣", "废油漆桶渣"), "半固态", "铁桶"), "900-014-13": (("废胶黏剂",), "半固态", "铁桶"),
    "336-063-17": (("电镀污泥",), "半固态", "吨袋"), "336-064-17": (("表面处理污泥", "磷化渣"), "半固态", "吨袋"),
    "772-002-18": (("焚烧飞灰",), "固态", "吨袋"),
    "900-300-34": (("废酸液",), "液态", "吨桶"), "900-349-34": (("废硫酸", "废盐酸"), "液态", "吨桶"),
    "900-352-35": (("废碱液",), "液态", "吨桶"), "261-084-45": (("含卤有机残液",), "液态", "吨桶"),
    "900-039-49": (("废活性炭",), "固态", "吨袋"),
    "900-041-49": (("废包装桶", "沾染废物", "废过滤棉", "含油废抹布手套"), "固态", "吨袋"),
    "900-047-49": (("实验室废液", "实验室废物"), "液态", "塑料桶"),
    "261-151-50": (("废催化剂",), "固态", "吨袋"), "772-007-50": (("废脱硝催化剂",), "固态", "木箱"),
}
def _list_2021(codes) -> dict[str, tuple[str, str, str]]:
    """code → (category, category name, hazard as printed) from the repository's copy of 国家危险废物名录（2021年版）."""
    seed = Path(__file__).resolve().parents[1] / "seeds" / "ref_hw_codes_2021.csv"
    with open(seed, encoding="utf-8", newline="") as fh:
        rows = {r["waste_code"]: r for r in csv.DictReader(fh)}
    return {c: (rows[c]["hw_category"], rows[c]["category_name"], rows[c]["hazard_characteristics"]) for c in codes}


# The codes this demo uses (a KeyError here means a code not in the 2021 list)
HW_CODES = _list_2021(WASTE_STYLE)

CHEM_HW11 = ("261-008-11", "261-013-11", "261-019-11", "261-027-11", "261-101-11")
# a code written on one manifest that is in neither the 2021 list nor of the 900-000-XX form of 第六条
# (900-999-49, often used for this, is in the 2021 list: 有关部门依法收缴以及接收的公众上交的危险化学品)
UNKNOWN_CODE = "900-998-49"
PLATFORM_THRESHOLD_T = 5

# kind → (how many, county weights, name suffixes, lognormal median t/yr, sigma, clip t/yr)
KINDS = {
    "chem_big": (4, None, ("化工有限公司", "氟化学有限公司", "新材料股份有限公司"), 4000, 0.35, (2000, 8000)),
    "incinerator": (1, None, ("环保能源有限公司",), 5500, 0.1, (4000, 7000)),
    "hospital": (6, None, ("医院",), 40, 0.5, (10, 150)),
    "power": (6, None, ("水泥有限公司", "热电有限公司"), 15, 0.6, (3, 80)),
    "chemical": (60, {"衢江区": 30, "柯城区": 20, "智造新城": 20, "龙游县": 15, "开化县": 8, "江山市": 4, "常山县": 3},
                 ("化工有限公司", "新材料有限公司", "精细化工有限公司", "氟硅材料有限公司", "医药化工有限公司"), 40, 1.2, (2, 1500)),
    "machinery": (85, {"江山市": 20, "龙游县": 15, "常山县": 14, "衢江区": 12, "柯城区": 12, "智慧新城": 7, "智造新城": 5,
                       "开化县": 5},
                  ("机械有限公司", "轴承有限公司", "汽车零部件有限公司", "电机有限公司", "五金工具有限公司", "装备制造有限公司"),
                  2.5, 1.0, (0.2, 60)),
    "surface": (25, {"龙游县": 8, "江山市": 6, "衢江区": 5, "柯城区": 4, "常山县": 2},
                ("金属表面处理有限公司", "电镀有限公司", "铝业有限公司"), 25, 0.9, (3, 400)),
    "paper": (16, {"龙游县": 10, "衢江区": 3, "江山市": 2, "柯城区": 1}, ("特种纸业有限公司", "纸业有限公司"), 3, 0.9,
              (0.3, 40)),
    "wood": (27, {"江山市": 12, "常山县": 4, "龙游县": 4, "开化县": 3, "衢江区": 4}, ("木业有限公司", "门业有限公司", "家具有限公司"),
             2, 0.9, (0.2, 30)),
    "auto_repair": (50, {"柯城区": 14, "衢江区": 8, "江山市": 7, "龙游县": 7, "常山县": 5, "开化县": 4, "智慧新城": 5},
                    ("汽车维修有限公司", "汽车服务有限公司"), 0.8, 0.8, (0.05, 6)),
    "lab": (20, {"柯城区": 6, "智慧新城": 7, "衢江区": 3, "江山市": 2, "龙游县": 2}, ("检测技术有限公司", "环境检测有限公司"),
            0.3, 0.8, (0.02, 3)),
}
FIXED_COUNTIES = {"chem_big": ("柯城区", "柯城区", "衢江区", "龙游县"), "incinerator": ("衢江区",),
                  "hospital": ("柯城区", "衢江区", "龙游县", "江山市", "常山县", "开化县"),
                  "power": ("常山县", "常山县", "江山市", "衢江区", "龙游县", "柯城区")}
# kind → [(code or tuple to choose one from, probability of having it, relative share)]
KIND_CODES = {
    "chem_big": [(CHEM_HW11, 1, 3), (CHEM_HW11, 1, 2), ("261-084-45", 1, 2), ("900-349-34", 1, 1.5),
                 ("900-352-35", 1, 1),
                 ("261-151-50", 1, 0.4), ("900-041-49", 1, 0.2), ("900-039-49", 1, 0.15), ("900-249-08", 1, 0.05)],
    "incinerator": [("772-002-18", 1, 1), ("900-249-08", 1, 0.001)],
    "hospital": [("841-001-01", 1, 1), ("841-002-01", 1, 0.1)],
    "power": [("772-007-50", 1, 1), ("900-249-08", 1, 0.3), ("900-041-49", 1, 0.05)],
    "chemical": [(("900-013-11",) + CHEM_HW11, 1, 1), ("900-041-49", 0.9, 0.1), ("900-039-49", 0.6, 0.08),
                 ("261-151-50", 0.3, 0.1), ("900-249-08", 0.6, 0.03), ("900-402-06", 0.3, 0.15),
                 ("900-349-34", 0.3, 0.2),
                 ("900-352-35", 0.2, 0.15), ("261-084-45", 0.15, 0.3)],
    "machinery": [(("900-249-08", "900-214-08", "900-218-08", "900-217-08"), 1, 1), ("900-041-49", 0.9, 0.3),
                  ("900-006-09", 0.5, 0.6), ("900-252-12", 0.3, 0.4), ("900-200-08", 0.2, 0.3)],
    "surface": [(("336-064-17", "336-063-17"), 1, 1), ("900-300-34", 0.8, 0.5), ("900-041-49", 0.8, 0.05),
                ("900-249-08", 0.4, 0.03)],
    "paper": [("900-249-08", 1, 1), ("900-041-49", 0.8, 0.3), ("900-039-49", 0.3, 0.2), ("900-014-13", 0.3, 0.3),
              ("900-210-08", 0.2, 0.5)],
    "wood": [("900-252-12", 1, 1), ("900-039-49", 0.8, 0.4), ("900-041-49", 0.8, 0.2), ("900-404-06", 0.3, 0.2),
             ("900-014-13", 0.3, 0.2)],
    "auto_repair": [("900-214-08", 1, 1), ("900-041-49", 1, 0.4), ("900-249-08", 0.3, 0.2)],
    "lab": [("900-047-49", 1, 1), ("900-041-49", 0.6, 0.3)],
}
# category → Zhejiang receivers by weight (every one licensed above for the category)
ROUTES = {
    "HW01": {"qingtai": 1}, "HW18": {"qingtai": 1}, "HW50": {"qingtai": 1}, "HW45": {"qingtai": 1},
    "HW17": {"qingtai": 5, "haolong": 3, "qinglongshan": 2},
    "HW34": {"qinglongshan": 6, "jiangshanhu": 4}, "HW35": {"qinglongshan": 6, "jiangshanhu": 4},
    "HW08": {"qingtai": 3, "qinglongshan": 2.5, "jiangshanhu": 2.5, "haolong": 2},
    "HW09": {"qingtai": 3, "qinglongshan": 2.5, "jiangshanhu": 2.5, "haolong": 2},
    "HW06": {"qingtai": 6, "qinglongshan": 4}, "HW11": {"qingtai": 6, "qinglongshan": 4},
    "HW12": {"qingtai": 4, "qinglongshan": 2, "jiangshanhu": 2, "haolong": 2},
    "HW13": {"qingtai": 4, "qinglongshan": 2, "jiangshanhu": 2, "haolong": 2},
    "HW49": {"qingtai": 5, "qinglongshan": 2, "jiangshanhu": 1.5, "haolong": 1.5},
}
NEAR = {"qinglongshan": {"龙游县"}, "jiangshanhu": {"常山县", "江山市", "开化县"}, "haolong": {"衢江区", "柯城区", "智造新城"}}
LANDFILL = {"HW17", "HW18", "HW50"}

NAME_PREFIX = {"柯城区": "衢州", "衢江区": "衢州", "智造新城": "衢州", "智慧新城": "衢州", "龙游县": "龙游", "江山市": "江山",
               "常山县": "常山", "开化县": "开化"}
ADDRESS_PREFIX = {"柯城区": "浙江省衢州市柯城区", "衢江区": "浙江省衢州市衢江区", "智造新城": "浙江省衢州市智造新城",
                  "智慧新城": "浙江省衢州市智慧新城", "龙游县": "浙江省衢州市龙游县", "江山市": "浙江省江山市",
                  "常山县": "浙江省衢州市常山县", "开化县": "浙江省衢州市开化县"}
ZONES = {"柯城区": ("航埠镇", "花园街道", "衢化街道"), "衢江区": ("衢江经济开发区", "廿里镇", "高家镇", "樟潭街道"),
         "智造新城": ("高新园区", "绿色产业集聚区"), "智慧新城": ("智慧产业园", "科创园"),
         "龙游县": ("龙游经济开发区", "湖镇镇", "詹家镇"), "江山市": ("江山经济开发区", "贺村镇", "清湖街道"),
         "常山县": ("常山经济开发区", "辉埠镇", "天马街道"), "开化县": ("开化工业园区", "华埠镇")}
ROADS = ("兴业路", "创业大道", "纬一路", "经二路", "园区路", "工业大道", "振兴路", "富强路", "锦绣路", "新港路", "东升路",
         "明珠路", "科技路", "环园路")
WORDS = ("恒达 鑫源 华盛 永丰 宏远 金诚 利民 天成 瑞丰 新锐 兴旺 康泰 昌盛 华越 中联 锦程 汇通 嘉禾 德润 博远 凯旋 明辉 瑞安 "
         "盛达 泰和 同创 万成 祥和 信达 亚泰 益民 誉丰 远航 泽润 志成 众合 卓越 安泰 百川 宝丰 晨光 诚信 大成 东润 丰源 富达 广源 "
         "海纳 浩然 禾润 弘业 华联 佳美 建兴 金鼎 九峰 聚源 凯达 蓝天 力拓 隆盛 美达 普惠 启航 千禧 荣达 润通 尚德 顺发 天宇 通达 "
         "伟业 新宇 星辉 旭日 怡和 永安 裕丰 元丰 振华 智达 中瑞 衢达 江峰 钱江 仙霞 烂柯 礼贤 须江 金川 峥嵘 常青").split()


def _month_add(ym: tuple[int, int], k: int) -> tuple[int, int]:
    n = ym[0] * 12 + ym[1] - 1 + k
    return n // 12, n % 12 + 1


def _parse_month(s: str) -> tuple[int, int]:
    try:
        d = datetime.strptime(str(s).strip(), "%Y-%m")
    except ValueError as exc:
        raise ValueError(f"month must be YYYY-MM, got {s!r}") from exc
    return d.year, d.month


def _ym(ym: tuple[int, int]) -> str:
    return f"{ym[0]:04d}-{ym[1]:02d}"


class Kg(int):
    """A quantity in whole kilograms, written in tonnes with three decimals."""


def _t(kg: int) -> str:
    return f"{kg // 1000}.{kg % 1000:03d}"


def _month_end(ym: tuple[int, int]) -> datetime:
    y, m = _month_add(ym, 1)
    return datetime(y, m, 1)


def _weighted(rng: random.Random, weights: dict):
    keys = list(weights)
    return rng.choices(keys, weights=[weights[k] for k in keys])[0]


def _uscc(rng: random.Random, kind_code: str, division: str, taken: set) -> str:
    while True:
        body = "".join(rng.choice("0123456789ABCDEFGHJKLMNPQRTUWXY") for _ in range(8))
        first17 = kind_code + division + body + org_check_char(body)
        code = first17 + uscc_check_char(first17)
        if code not in taken:
            taken.add(code)
            return code


def _generators(seed: int) -> list[dict]:
    rng = random.Random(f"{seed}-generators")
    counties = {r["county_name"]: r for r in registry.rows("ref_counties") if r["area_level"] != "city"}
    names, usccs, out = set(), set(), []
    for kind, (n, weights, suffixes, median, sigma, clip) in KINDS.items():
        for i in range(n):
            county = FIXED_COUNTIES[kind][i] if kind in FIXED_COUNTIES else _weighted(rng, weights)
            division = counties[county]["division_code"] or "330800"  # blocks register with the city
            while True:
                word = rng.choice(WORDS)
                prefix = "浙江" if kind in ("chem_big", "chemical") and rng.random() < 0.25 else NAME_PREFIX[county]
                name = f"{prefix}{word}{rng.choice(suffixes)}"
                if name not in names:
                    names.add(name)
                    break
            # private hospitals are 民办非企业单位 (52…), everything else a company (91…)
            uscc = _uscc(rng, "52" if kind == "hospital" else "91", division, usccs)
            address = f"{ADDRESS_PREFIX[county]}{rng.choice(ZONES[county])}{rng.choice(ROADS)}{rng.randint(1, 288)}号"
            annual_t = min(max(median * rng.lognormvariate(0, sigma), clip[0]), clip[1])
            picked, taken_codes = [], set()
            for code, p, share in KIND_CODES[kind]:
                if rng.random() >= p:
                    continue
                options = [c for c in (code if isinstance(code, tuple) else (code,)) if c not in taken_codes]
                if not options:
                    continue
                c = rng.choice(options)
                taken_codes.add(c)
                picked.append((c, share * rng.uniform(0.7, 1.3)))
            total_share = sum(s for _, s in picked)
            streams = []
            for c, share in picked:
                cat = HW_CODES[c][0]
                annual_kg = max(5, round(annual_t * 1000 * share / total_share))
                route = {k: w * (3 if county in NEAR.get(k, ()) else 1) for k, w in ROUTES[cat].items()}
                receiver = _weighted(rng, route)
                if annual_kg >= 6000:
                    every = 1
                elif annual_kg >= 2000:
                    every = 2
                elif annual_kg >= 500:
                    every = 3
                elif annual_kg >= 100:
                    every = 6
                else:
                    every = 12
                names_, form, packing = WASTE_STYLE[c]
                streams.append({
                    "code": c, "category": cat, "waste_name": f"{rng.choice(names_)}（{HW_CODES[c][1]}）",
                    "form": form, "packing": packing, "annual_kg": annual_kg, "receiver": receiver, "every": every,
                    "phase": rng.randrange(every),
                    # infectious waste may be stored only briefly: collected several times a month
                    "min_trips": 8 if cat == "HW01" else 1,
                    "self_share": rng.uniform(0.3, 0.5) if kind == "chem_big" and i < 2 and cat in ("HW11", "HW45")
                    else 0.0,
                    "sigma": 0.1 if kind in ("hospital", "incinerator") else 0.3,
                })
            out.append({"uscc": uscc, "name": name, "county": county, "address": address, "kind": kind,
                        "transporter": HOME_TRANSPORTER.get(county, 0), "streams": streams})
    return out


def _ship_time(rng: random.Random, ym: tuple[int, int]) -> datetime:
    days = calendar.monthrange(*ym)[1]
    choices = [d for d in range(1, days + 1) if datetime(*ym, d).weekday() < 6]
    weights = [1.0 if datetime(*ym, d).weekday() < 5 else 0.3 for d in choices]
    d = rng.choices(choices, weights=weights)[0]
    return datetime(*ym, d, rng.randint(8, 16), rng.randint(0, 59), rng.randint(0, 59))


def _receive_time(rng: random.Random, shipped: datetime) -> datetime:
    r = rng.random()
    if shipped.weekday() == 5:  # receivers' weighbridges are closed on Sundays: Saturday loads are booked on Monday
        return (shipped + timedelta(days=2)).replace(hour=rng.randint(8, 11), minute=rng.randint(0, 59),
                                                     second=rng.randint(0, 59))
    if r < 0.7:
        return shipped + timedelta(minutes=rng.randint(40, 360), seconds=rng.randint(0, 59))
    if r < 0.95:
        nxt = shipped + timedelta(days=1)
        return nxt.replace(hour=rng.randint(8, 17), minute=rng.randint(0, 59), second=rng.randint(0, 59))
    return shipped + timedelta(hours=rng.uniform(40, 71.9))  # over a weekend, still within three days


def _split(rng: random.Random, amount: int, n: int) -> list[int]:
    w = [rng.uniform(0.8, 1.2) for _ in range(n)]
    parts = [max(1, int(amount * x / sum(w))) for x in w]
    parts[-1] = amount - sum(parts[:-1])
    return parts


def _simulate(seed: int, gens: list[dict], sim_months: list[tuple[int, int]], latest: tuple[int, int]):
    """Production, storage and shipments of every generator × code, month by month, in whole kilograms."""
    snapshot = _month_end(latest)
    opening, decl, shipments = {}, {}, {ym: [] for ym in sim_months}
    for g in gens:
        for s in g["streams"]:
            key = (g["uscc"], s["code"])
            rng = random.Random(f"{seed}-{key[0]}-{key[1]}")
            monthly = s["annual_kg"] / 12
            storage = round(monthly * rng.uniform(0, s["every"]))
            opening[key] = storage
            for ym in sim_months:
                produced = max(0, round(monthly * rng.lognormvariate(0, s["sigma"])))
                self_kg = round(produced * s["self_share"])
                storage += produced - self_kg
                entrusted = 0
                month_no = ym[0] * 12 + ym[1]
                if month_no % s["every"] == s["phase"] and storage >= 10:
                    amount = storage if s["every"] > 1 else round(storage * rng.uniform(0.85, 1.0))
                    cap = 25000 if s["form"] == "液态" else 30000
                    trips = max(s["min_trips"], math.ceil(amount / cap))
                    trips = max(1, min(trips, amount // 10))
                    parts = _split(rng, amount, trips)
                    while max(parts) > cap:
                        trips += 1
                        parts = _split(rng, amount, trips)
                    for qty in parts:
                        shipped = _ship_time(rng, ym)
                        received = _receive_time(rng, shipped)
                        u = rng.random()
                        status = "作废" if u < 0.006 else "已退回" if u < 0.009 else "已接收"
                        if status == "已接收" and received >= snapshot:
                            status = "在途"
                        loss = rng.uniform(0.0005, 0.0095) if rng.random() < 0.65 else 0.0
                        t = g["transporter"] if rng.random() < 0.8 else rng.randrange(len(TRANSPORTERS))
                        shipments[ym].append({
                            "gen": g, "stream": s, "code": s["code"], "category": s["category"],
                            "waste_name": s["waste_name"], "qty": qty, "shipped": shipped,
                            "received": received if status == "已接收" else None,
                            "recv_qty": qty - math.floor(qty * loss) if status == "已接收" else None,
                            "status": status, "receiver": s["receiver"], "transporter": t,
                            "plate": rng.choice(TRANSPORTERS[t][2]), "cross": False,
                        })
                        if status not in ("作废", "已退回"):  # a cancelled or refused load stays in storage
                            entrusted += qty
                storage -= entrusted
                decl[(key, ym)] = (produced, self_kg, entrusted, storage)
    for ym, rows in shipments.items():
        rng = random.Random(f"{seed}-numbers-{_ym(ym)}")
        rows.sort(key=lambda r: (r["shipped"], r["gen"]["uscc"], r["code"]))
        seq = rng.randint(1000, 3000)
        for r in rows:
            seq += rng.randint(1, 4)  # numbers of other prefectures' and abandoned drafts interleave
            r["no"] = f"3308{ym[0]:04d}{ym[1]:02d}{seq:06d}"
    return opening, decl, shipments


def _plant(seed: int, shipments: dict, latest: tuple[int, int], gens: list[dict], annual: dict) -> dict:
    """Each anomaly on its own manifest and generator; returns what was planted, keyed by anomaly."""
    rng = random.Random(f"{seed}-planted")
    end = _month_end(latest)
    prev = _month_add(latest, -1)
    cur = shipments[latest]
    used_gens, used_rows = set(), set()

    def pick(rows, cond):
        cands = [r for r in rows if r["status"] == "已接收" and r["gen"]["uscc"] not in used_gens
                 and id(r) not in used_rows and cond(r)]
        r = rng.choice(cands)
        used_gens.add(r["gen"]["uscc"])
        used_rows.add(id(r))
        return r

    def info(r, file_ym, detail, **extra):
        return {"manifest_no": r["no"], "month": _ym(file_ym), "generator_uscc": r["gen"]["uscc"],
                "generator_name": r["gen"]["name"], "county": r["gen"]["county"], "waste_code": r["code"],
                "shipped_t": _t(r["qty"]), "received_t": _t(r["recv_qty"]) if r["recv_qty"] is not None else "",
                "shipped_at": f"{r['shipped']:%Y-%m-%d %H:%M:%S}", "detail": detail, **extra}

    def age_days(r):
        return (end - r["shipped"]).total_seconds() / 86400

    planted = {}
    r = pick(shipments[prev], lambda r: age_days(r) > 32)
    r["status"], r["received"], r["recv_qty"] = "在途", None, None
    planted["unreceived_over_30d"] = info(r, prev, f"在途，截至{_ym(latest)}月末已 {age_days(r):.1f} 天未接收",
                                          age_days=round(age_days(r), 2))
    r = pick(cur, lambda r: 10 <= age_days(r) <= 25)
    r["status"], r["received"], r["recv_qty"] = "在途", None, None
    planted["unreceived_over_7d"] = info(r, latest, f"在途，截至月末已 {age_days(r):.1f} 天未接收（超过7天、不足30天）",
                                         age_days=round(age_days(r), 2))
    r = pick(cur, lambda r: r["qty"] >= 1000)
    r["recv_qty"] = round(r["qty"] * 0.8)
    planted["short_received"] = info(r, latest, "接收数量为转移数量的80%（超出5%容差）")
    r = pick(cur, lambda r: r["code"] == "900-249-08")
    was = RECEIVERS[r["receiver"]]["name"]
    r["receiver"], r["cross"] = "jiangxi", True
    planted["cross_province"] = info(r, latest, f"跨省转移至江西省，而省内{was}持有HW08经营许可", usual_receiver=was)
    r = pick(cur, lambda r: r["code"] == "900-041-49")
    r["code"] = UNKNOWN_CODE
    planted["unknown_code"] = info(r, latest, f"废物代码{UNKNOWN_CODE}不在《国家危险废物名录（2021年版）》中",
                                   true_code="900-041-49")
    planted["unknown_code"]["waste_code"] = UNKNOWN_CODE
    r = pick(cur, lambda r: r["code"] == "900-041-49")
    r["category"] = "HW08"
    planted["category_mismatch"] = info(r, latest, "废物代码900-041-49（HW49）填写的废物类别为HW08", written_category="HW08")
    r = pick(cur, lambda r: r["code"] == "900-249-08")
    r["waste_name"] = "废活性炭"
    planted["name_mismatch"] = info(r, latest, "废物代码900-249-08（HW08废矿物油）填写的废物名称为“废活性炭”（警告）",
                                    written_name="废活性炭")
    r = pick(cur, lambda r: True)
    cur.insert(cur.index(r) + 1, r)  # the very same row object: identical content, adjacent, same file
    planted["duplicate"] = info(r, latest, "同一联单在同一文件中出现两次（内容完全相同）", copies=2)
    # a number reused: a real shipment of this month carries last month's number of the same generator and code
    pairs = [(p, q) for p in shipments[prev] for q in cur
             if p["status"] == "已接收" and q["status"] == "已接收" and p["gen"] is q["gen"] and p["code"] == q["code"]
             and p["qty"] != q["qty"] and q["gen"]["uscc"] not in used_gens and id(q) not in used_rows
             and id(p) not in used_rows]
    p, q = rng.choice(pairs)
    used_gens.add(q["gen"]["uscc"])
    used_rows.update({id(p), id(q)})
    planted["number_conflict"] = info(
        q, latest, f"联单编号{p['no']}已用于{_ym(prev)}的联单（转移数量{_t(p['qty'])}吨），在{_ym(latest)}文件中再次出现，"
                   f"转移数量{_t(q['qty'])}吨", original_month=_ym(prev), original_shipped_t=_t(p["qty"]),
        replaced_manifest_no=q["no"])
    planted["number_conflict"]["manifest_no"] = p["no"]
    q["no"] = p["no"]
    r = pick(cur, lambda r: r["category"] == "HW01")
    r["receiver"] = "qinglongshan"
    planted["receiver_not_licensed"] = info(r, latest, "HW01医疗废物转移至龙游青龙山建材有限公司（水泥窑协同处置，经营许可不含HW01）")
    r = pick(cur, lambda r: True)
    r["received"] = r["shipped"] - timedelta(hours=rng.randint(2, 20), minutes=rng.randint(0, 59))
    planted["received_before_shipped"] = info(r, latest, "接收时间早于转移时间",
                                              received_at=f"{r['received']:%Y-%m-%d %H:%M:%S}")
    # ≥ 5 t a year and not registered: a mid-sized generator with nothing else planted
    g = rng.choice([g for g in gens if 10 <= annual[g["uscc"]] / 1000 <= 200 and g["uscc"] not in used_gens
                    and g["kind"] in ("chemical", "surface", "machinery")])
    used_gens.add(g["uscc"])
    planted["not_on_platform"] = {"manifest_no": "", "month": "", "generator_uscc": g["uscc"],
                                  "generator_name": g["name"],
                                  "county": g["county"], "annual_produced_t": _t(annual[g["uscc"]]),
                                  "detail": f"年产生量{_t(annual[g['uscc']])}吨（≥{PLATFORM_THRESHOLD_T}吨）但未纳入监管平台"}
    return planted


def _manifest_row(r: dict) -> list:
    g, rc = r["gen"], RECEIVERS[r["receiver"]]
    code = HW_CODES.get(r["code"]) or HW_CODES[r["stream"]["code"]]
    method = rc["kind"]
    if r["receiver"] == "qingtai":
        method = "填埋" if r["stream"]["category"] in LANDFILL else "焚烧"
    elif rc["kind"].endswith("水泥窑协同处置"):
        method = "水泥窑协同处置"
    tr = TRANSPORTERS[r["transporter"]]
    return [r["no"], "跨省转移" if r["cross"] else "省内转移", g["name"], g["uscc"], g["county"], g["address"], r["code"],
            r["category"], r["waste_name"], r["stream"]["form"], code[2], Kg(r["qty"]), r["stream"]["packing"], tr[0],
            tr[1],
            r["plate"], rc["name"], rc["uscc"], rc["licence"], rc["province"], rc["county"], method,
            f"{r['shipped']:%Y-%m-%d %H:%M:%S}", f"{r['received']:%Y-%m-%d %H:%M:%S}" if r["received"] else "",
            None if r["recv_qty"] is None else Kg(r["recv_qty"]), r["status"]]


def _csv_bytes(header: list[str], rows: list[list]) -> bytes:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(header)
    for row in rows:
        w.writerow([_t(v) if isinstance(v, Kg) else ("" if v is None else v) for v in row])
    return buf.getvalue().encode("utf-8")


def _xlsx_bytes(title: str, header: list[str], rows: list[list], stamp: datetime) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    book = Workbook()
    ws = book.active
    ws.title = "转移联单"
    ws.append([title])
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(header))
    ws["A1"].font = Font(bold=True, size=14)
    ws["A1"].alignment = Alignment(horizontal="center")
    ws.append(header)
    for row in rows:
        ws.append([v / 1000 if isinstance(v, Kg) else (None if v in ("", None) else v) for v in row])
    book.properties.creator = "浙江省固体废物监管信息系统"
    book.properties.created = stamp
    buf = io.BytesIO()
    book.save(buf)
    # openpyxl stamps the save time into core.xml and the zip entries; fix both so the bytes (sha256) repeat
    fixed = stamp.strftime("%Y-%m-%dT%H:%M:%SZ")
    out = io.BytesIO()
    with zipfile.ZipFile(buf) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "docProps/core.xml":
                data = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)",
                              rb"\g<1>" + fixed.encode() + rb"\g<2>", data)
            dst.writestr(zipfile.ZipInfo(item.filename, date_time=stamp.timetuple()[:6]), data,
                         compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()


def _write(path: Path, data: bytes, delivered: datetime) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_bytes(data)
    ts = delivered.replace(tzinfo=CST).timestamp()
    os.utime(tmp, (ts, ts))
    os.replace(tmp, path)


def generate(out_dir: Path, months: list[str] | None = None, latest_month: str = DEFAULT_LATEST_MONTH,
             bad_rows: bool = True, seed: int = DEFAULT_SEED) -> dict:
    """Write the manifests and declarations of ``months`` (default: the twelve months ending at ``latest_month``)
    and return what was written and planted."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    latest = _parse_month(latest_month)
    if months is None:
        sel = [_month_add(latest, k) for k in range(1 - SPAN_MONTHS, 1)]
    else:
        sel = sorted({_parse_month(m) for m in months})
    for ym in sel:
        if ym > latest:
            raise ValueError(f"month {_ym(ym)} is after the latest month {_ym(latest)}")
    if bad_rows and not {latest, _month_add(latest, -1)} <= set(sel):
        raise ValueError("bad_rows needs the latest month and the month before it")
    # storage carries from month to month: simulate every month from the first one written
    n = (latest[0] - sel[0][0]) * 12 + latest[1] - sel[0][1]
    sim = [_month_add(sel[0], k) for k in range(n + 1)]
    gens = _generators(seed)
    opening, decl, shipments = _simulate(seed, gens, sim, latest)
    annual = {}  # produced over the (up to) twelve months ending at the latest month: the platform's yardstick
    window = set(sim[-SPAN_MONTHS:])
    for (key, ym), (produced, *_rest) in decl.items():
        if ym in window:
            annual[key[0]] = annual.get(key[0], 0) + produced
    planted = _plant(seed, shipments, latest, gens, annual) if bad_rows else {}
    anomalous = {v["manifest_no"] for v in planted.values() if v["manifest_no"]}
    anomalous_rows = set()
    if bad_rows:
        for k, v in planted.items():
            if k == "unreceived_over_30d":
                continue
            for r in shipments[latest]:
                if r["no"] == v["manifest_no"]:
                    anomalous_rows.add(id(r))

    snapshot = _month_end(latest) + timedelta(hours=6)
    xlsx_months = {sel[i] for i in range(1, len(sel), 4) if sel[i] != latest} if len(sel) >= 6 else set()
    files = {"manifests": [], "plans": [], "declarations": []}
    rows_written = {}
    for ym in sel:
        rows = [_manifest_row(r) for r in shipments[ym]]
        if ym in xlsx_months:
            name = f"hw_manifests_{_ym(ym)}.xlsx"
            data = _xlsx_bytes(f"危险废物转移联单信息（{ym[0]}年{ym[1]:02d}月）", MANIFEST_HEADER, rows, snapshot)
        else:
            name = f"hw_manifests_{_ym(ym)}.csv"
            data = _csv_bytes(MANIFEST_HEADER, rows)
        _write(out_dir / name, data, snapshot)
        files["manifests"].append(name)
        rows_written[name] = len(rows)

    declared = {}
    for ym in sel:
        rows = []
        for g in gens:
            for s in g["streams"]:
                produced, self_kg, entrusted, storage = decl[((g["uscc"], s["code"]), ym)]
                rows.append(["月度申报", ym[0], ym[1], g["name"], g["uscc"], g["county"], s["code"], s["category"],
                             s["waste_name"], None, Kg(produced), Kg(self_kg), Kg(entrusted), Kg(storage)])
        name = f"hw_declarations_{_ym(ym)}.csv"
        nxt = _month_add(ym, 1)
        _write(out_dir / name, _csv_bytes(DECLARATION_HEADER, rows), datetime(*nxt, 3, 16, 20))
        files["declarations"].append(name)
        rows_written[name] = len(rows)
    for year in sorted({y for y, _ in sel}):
        rows = []
        for g in gens:
            for s in g["streams"]:
                rng = random.Random(f"{seed}-plan-{year}-{g['uscc']}-{s['code']}")
                # plans are drawn up generously: a shortfall is no offence, an excess needs a revised plan
                planned = round(s["annual_kg"] * rng.uniform(1.05, 1.3))
                declared[f"{year}|{g['uscc']}|{s['code']}"] = planned
                rows.append(["管理计划", year, None, g["name"], g["uscc"], g["county"], s["code"], s["category"],
                             s["waste_name"], Kg(planned), None, None, None, None])
        name = f"hw_management_plan_{year}.csv"
        _write(out_dir / name, _csv_bytes(DECLARATION_HEADER, rows), datetime(year, 3, 31, 11, 5))
        files["plans"].append(name)
        rows_written[name] = len(rows)

    # the control: a small generator also not registered, which a 5 t threshold must leave alone
    not_on_platform = set()
    below_control = None
    if bad_rows:
        not_on_platform.add(planted["not_on_platform"]["generator_uscc"])
        used = {v["generator_uscc"] for v in planted.values()}
        rng = random.Random(f"{seed}-platform")
        below_control = rng.choice([g["uscc"] for g in gens if annual[g["uscc"]] < 1500 and g["uscc"] not in used
                                    and sum(s["annual_kg"] for s in g["streams"]) * 1.3 < 2000])
        not_on_platform.add(below_control)

    counties = [r["county_name"] for r in registry.rows("ref_counties") if r["area_level"] != "city"]
    totals = {c: {"shipped_t": 0, "received_t": 0, "manifests": 0, "in_transit": 0} for c in counties}
    seen = set()
    for r in shipments[latest]:
        if id(r) in anomalous_rows or r["no"] in anomalous or id(r) in seen or r["status"] in ("作废", "已退回"):
            continue
        seen.add(id(r))
        t = totals[r["gen"]["county"]]
        t["shipped_t"] += r["qty"]
        t["received_t"] += r["recv_qty"] or 0
        t["manifests"] += 1
        t["in_transit"] += r["status"] == "在途"
    for t in totals.values():
        t["shipped_t"], t["received_t"] = _t(t["shipped_t"]), _t(t["received_t"])

    status_counts = {}
    for ym in sel:
        for r in shipments[ym]:
            status_counts[r["status"]] = status_counts.get(r["status"], 0) + 1
    generators = [{
        "uscc": g["uscc"], "name": g["name"], "county": g["county"], "address": g["address"], "kind": g["kind"],
        "codes": [s["code"] for s in g["streams"]],
        "receivers": {s["code"]: RECEIVERS[s["receiver"]]["name"] for s in g["streams"]},
        "annual_produced_t": _t(annual.get(g["uscc"], 0)),
        "on_platform": g["uscc"] not in not_on_platform,
    } for g in gens]
    ge = [g["uscc"] for g in gens if annual.get(g["uscc"], 0) >= PLATFORM_THRESHOLD_T * 1000]
    return {
        "seed": seed,
        "latest_month": _ym(latest),
        "months": [_ym(ym) for ym in sel],
        "files": files,
        "rows": rows_written,
        "receivers": [{k: (list(v) if isinstance(v, tuple) else v) for k, v in rc.items()} | {"key": key}
                      for key, rc in RECEIVERS.items()],
        "transporters": [{"name": n, "permit": p, "plates": list(pl)} for n, p, pl in TRANSPORTERS],
        "generators": generators,
        "platform": {
            "threshold_t_per_year": PLATFORM_THRESHOLD_T,
            "basis": "实际产生量之和，截至最新月份的12个月（月度申报）",
            "at_or_above_threshold": ge,
            "not_on_platform": sorted(not_on_platform),
            "flagged": [u for u in sorted(not_on_platform) if u in ge],
            "not_on_platform_below_threshold": [below_control] if below_control else [],
        },
        "opening_storage_t": {f"{u}|{c}": _t(v) for (u, c), v in opening.items()},
        "opening_month": _ym(sim[0]),
        "planned_t": {k: _t(v) for k, v in declared.items()},
        "planted": planted,
        "clean_totals_latest_month": totals,
        "clean_totals_rule": "最新月份文件中除全部埋设异常联单（含重复行两份、编号冲突的本月行）及作废、已退回以外的联单，"
                             "按产生单位所在区县汇总；转移数量含在途，接收数量仅已接收",
        "status_counts": status_counts,
        "summary": {
            "files": sum(len(v) for v in files.values()),
            "manifest_rows": sum(v for k, v in rows_written.items() if k.startswith("hw_manifests_")),
            "declaration_rows": sum(v for k, v in rows_written.items() if not k.startswith("hw_manifests_")),
            "planted": {k: f"{v['manifest_no'] or v['generator_name']}：{v['detail']}" for k, v in planted.items()},
        },
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="Deterministic demo hazardous-waste manifests and declarations (衢州).")
    ap.add_argument("--out", required=True, type=Path)
    ap.add_argument("--latest-month", default=DEFAULT_LATEST_MONTH)
    ap.add_argument("--months", default=None, help="comma-separated YYYY-MM (default: twelve months to the latest)")
    ap.add_argument("--seed", type=int, default=DEFAULT_SEED)
    ap.add_argument("--no-bad-rows", action="store_true")
    args = ap.parse_args(argv)
    months = [m for m in args.months.split(",") if m.strip()] if args.months else None
    try:
        result = generate(args.out, months=months, latest_month=args.latest_month, bad_rows=not args.no_bad_rows,
                          seed=args.seed)
    except ValueError as exc:
        ap.error(str(exc))
    print(json.dumps(result["summary"], ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
