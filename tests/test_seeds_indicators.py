"""Checks the indicator / key-industry reference seeds against the source documents
in seed-docs (000/001: 衢政办发〔2023〕40号; 002: 生态文明示范创建行动实施方案;
003: 衢州市环境保护“十三五”规划).

Expected literal values below were read by hand from the documents, not derived
from the CSV files.
"""

import csv
import re
from datetime import date
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[1]
SEEDS = REPO_ROOT / "seeds"
DOCS_DIR = REPO_ROOT.parent / "shared" / "seed-docs"
DOC_FILES = {
    "000": "000_d47ce1a3d2960a04.txt",
    "001": "001_27c483d5fadfb1fa.txt",
    "002": "002_a2fc10507e612ca6.txt",
    "003": "003_8d91ec444764609a.txt",
}

INDUSTRY_COLUMNS = [
    "programme_code", "industry_code", "industry_name", "survey_deadline", "plan_deadline",
    "completion_deadline", "completion_batch", "lead_department", "cooperating_departments",
    "jiebang_guashuai", "note", "aliases",
]
INDICATOR_COLUMNS = [
    "indicator_code", "parent_code", "sort_order", "category", "indicator_name", "nature", "unit",
    "baseline_2015_text", "baseline_2015_value", "target_2020_text", "target_2020_value",
    "target_kind", "direction", "source",
]
EXTRA_COLUMNS = [
    "target_code", "indicator_name", "scope", "comparator", "target_value", "unit", "target_year",
    "base_year", "direction", "source_doc", "source_quote",
]
SNAKE = re.compile(r"^[a-z][a-z0-9_]*$")

# --- read by hand from 001 “二、工作目标” ---------------------------------------------
COMPLETION = {
    "2023-12-31": {"报废机动车回收拆解", "榨菜腌制"},
    "2024-12-31": {"复合布加工", "再生资源回收", "废橡胶利用", "废塑料加工", "木质家具", "建材石料加工", "烧结砖"},
    "2025-12-31": {"玻璃制造", "化工", "电镀"},
}
BATCH = {"2023-12-31": "1", "2024-12-31": "2", "2025-12-31": "3"}
JIEBANG = {"木质家具", "烧结砖", "建材石料加工", "电镀"}

# --- read by hand from 000 附件 一览表 (merged cells expanded) -----------------------
# name: (全面摸排时限, 整治提升方案时限, 行业主管部门)
ANNEX = {
    "复合布加工": ("2023-11-30", "2024-04-30", "市经信局"),
    "废橡胶利用": ("2023-11-30", "2024-04-30", "市经信局"),
    "废塑料加工": ("2023-11-30", "2024-04-30", "市经信局"),
    "木质家具": ("2023-10-31", "2023-11-30", "市经信局"),
    "烧结砖": ("2023-10-31", "2023-11-30", "市经信局"),
    "玻璃制造": ("2023-11-30", "2024-04-30", "市经信局"),
    "化工": ("2023-11-30", "2024-04-30", "市经信局"),
    "电镀": ("2023-11-30", "2024-04-30", "市经信局"),
    "建材石料加工": ("2023-10-31", "2023-11-30", "市资源规划局"),
    "榨菜腌制": ("2023-10-31", "2023-11-30", "市农业农村局"),
    "再生资源回收": ("2023-11-30", "2024-04-30", "市商务局"),
    "报废机动车回收拆解": ("2023-09-30", "2023-09-30", "市商务局"),
}
COOPERATING = [
    "市发改委", "市经信局", "市公安局", "市资源规划局", "市生态环境局", "市住建局",
    "市交通运输局", "市农业农村局", "市商务局", "市市场监管局", "市综合执法局",
]

# --- read by hand from 003 表2-1 ------------------------------------------------------
# 16 physical rows in the text dump + 1 parent row for 序号10 (its label cell is missing
# in the dump; parent of 受污染耕地安全利用率 / 污染地块安全利用率).
TABLE_2_1_ROWS = 17
TABLE_2_1_TOP_LEVEL = 11
# code: (indicator_name, baseline_2015_text, target_2020_text)
TABLE_2_1_SAMPLES = {
    "wq_natl_sections_better_iii_pct": ("国家“水十条”考核断面水质好于Ⅲ类的比例", "100", "100"),
    "wq_natl_sections_class_ii_pct": ("Ⅱ类水质断面比例", "20", "30"),
    "wq_worse_than_v_black_odorous_pct": ("劣Ⅴ类水和黑臭水体", "0", "0"),
    "air_pm25_concentration": ("细颗粒物(PM2.5)浓度", "45", "完成省下达任务"),
    "air_good_days_pct": ("设区城市日空气质量达标天数比例", "84.9", "完成省下达任务"),
    "emis_total_control_13th": ("国家“十三五”总量控制指标", "完成任务", "完成省下达任务"),
    "emis_heavy_metal_control_13th": ("国家“十三五”重金属总量控制指标", "完成任务", "完成省下达任务"),
    "wq_prov_sections_class_i_pct": ("Ⅰ类水质断面比例", "0", "7.7"),
    "wq_prov_sections_class_ii_pct": ("Ⅱ类水质断面比例", "23.1", "46.2"),
    "eco_civ_demo_zone_rate_pct": ("省级以上生态文明示范区创建比率", "0", "100"),
    "soil_contaminated_farmland_safe_use": ("受污染耕地安全利用率", "/", "按浙江省土壤污染防治工作方案落实"),
    "soil_contaminated_site_safe_use": ("污染地块安全利用率", "/", "落实"),
}

# --- read by hand from 002 / 003 text: code -> (target_value, target_year, base_year) -------
EXTRA_SAMPLES = {
    "forest_cover_pct": ("71", "2020", ""),
    "sludge_harmless_disposal_rate_pct": ("95", "2020", ""),
    "straw_utilization_rate_pct": ("95", "2020", ""),
    "abandoned_mine_remediation_rate_pct": ("90", "2020", ""),
    "vocs_emission_reduction": ("20", "2020", "2015"),
    "sewage_treatment_rate_urban_pct": ("95", "2020", ""),
    "sewage_treatment_rate_county_pct": ("94", "2020", ""),
    "sewage_treatment_rate_town_pct": ("72", "2020", ""),
    "rural_sewage_village_coverage_pct": ("90", "2020", ""),
    "new_energy_bus_share_pct": ("90", "2020", ""),
    "beautiful_rivers_lakes_count": ("30", "2022", ""),
    "clean_air_demo_county_share_2020": ("60", "2020", ""),
    "clean_air_demo_county_share_2022": ("80", "2022", ""),
    "eco_civ_demo_county_share_2022": ("80", "2022", ""),
    "coal_consumption_reduction": ("7", "2020", "2017"),
}
# targets stated in words rather than digits: code -> phrase that must appear in the quote
WORDED_TARGETS = {"heavy_metal_emission_no_increase": "不新增"}


def _squash(s: str) -> str:
    """Remove all whitespace (the printed layouts break lines and pad numbers with spaces)."""
    return re.sub(r"\s+", "", s)


def _read(name: str) -> tuple[list[str], list[dict[str, str]]]:
    with open(SEEDS / name, encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        return list(reader.fieldnames or []), list(reader)


def _num_str(v: str) -> str:
    f = float(v)
    return str(int(f)) if f == int(f) else repr(f)


@pytest.fixture(scope="module")
def docs() -> dict[str, str]:
    if not DOCS_DIR.is_dir():
        pytest.skip(f"seed documents not found: {DOCS_DIR}")
    out = {}
    for key, fname in DOC_FILES.items():
        path = DOCS_DIR / fname
        if not path.exists():
            pytest.skip(f"seed document not found: {path}")
        out[key] = path.read_text(encoding="utf-8")
    return out


@pytest.fixture(scope="module")
def industries() -> list[dict[str, str]]:
    cols, rows = _read("ref_key_industries.csv")
    assert cols == INDUSTRY_COLUMNS
    return [r for r in rows if r["programme_code"] == "QZ2023"]


def test_dazhou_industries_are_those_of_004():
    _, rows = _read("ref_key_industries.csv")
    dz = [r for r in rows if r["programme_code"] == "DZ2021"]
    # 004 二（二）重点整治行业, verbatim
    assert [r["industry_name"] for r in dz] == [
        "钢铁", "铸造", "焦化", "火电", "化工（煤化工）", "水泥", "家具（含喷涂工艺）", "建材（砖瓦、陶瓷、木/石材加工）"]
    text = DOCS_DIR / "004_56a4e8123a478788.txt"
    if text.exists():
        assert "钢铁、铸造、焦化、火电、化工（煤化工）、水泥、家具（含喷涂工艺）、建材（砖瓦、陶瓷、木/石材加工）" in text.read_text(encoding="utf-8")
    # 004 三、实施步骤: 排查分类 by 2021-12, 整治 2021-01 … 2023-10
    assert {(r["survey_deadline"], r["completion_deadline"]) for r in dz} == {("2021-12-31", "2023-10-31")}


def test_industry_aliases_are_unambiguous_within_a_programme():
    _, rows = _read("ref_key_industries.csv")
    for programme in ("QZ2023", "DZ2021"):
        names = [n for r in rows if r["programme_code"] == programme
                 for n in [r["industry_name"], *r["aliases"].split("|")] if n]
        assert len(names) == len(set(names)), programme


@pytest.fixture(scope="module")
def indicators() -> list[dict[str, str]]:
    cols, rows = _read("ref_indicators_13th.csv")
    assert cols == INDICATOR_COLUMNS
    return rows


@pytest.fixture(scope="module")
def extras() -> list[dict[str, str]]:
    cols, rows = _read("ref_indicator_targets_extra.csv")
    assert cols == EXTRA_COLUMNS
    return rows


def test_seed_files_are_utf8_without_bom():
    for name in ("ref_key_industries.csv", "ref_indicators_13th.csv", "ref_indicator_targets_extra.csv"):
        raw = (SEEDS / name).read_bytes()
        assert not raw.startswith(b"\xef\xbb\xbf"), name
        raw.decode("utf-8")


# ---------------------------------------------------------------- ref_key_industries
def test_exactly_12_industries(industries):
    assert len(industries) == 12
    assert len({r["industry_code"] for r in industries}) == 12
    assert {r["industry_name"] for r in industries} == set(ANNEX)
    for r in industries:
        assert r["programme_code"] == "QZ2023"
        assert SNAKE.match(r["industry_code"]), r["industry_code"]


def test_completion_deadlines_and_batches(industries):
    by_name = {r["industry_name"]: r for r in industries}
    assert [len(v) for v in COMPLETION.values()] == [2, 7, 3]
    for deadline, names in COMPLETION.items():
        for name in names:
            assert by_name[name]["completion_deadline"] == deadline, name
            assert by_name[name]["completion_batch"] == BATCH[deadline], name


def test_industry_names_occur_in_001(industries, docs):
    for r in industries:
        assert r["industry_name"] in docs["001"], r["industry_name"]
        assert r["industry_name"] in _squash(docs["000"]), r["industry_name"]


def test_annex_deadlines_and_departments(industries, docs):
    annex = _squash(docs["000"].split("衢州市重点行业污染整治提升工作一览表")[-1])
    for r in industries:
        survey, plan, lead = ANNEX[r["industry_name"]]
        assert r["survey_deadline"] == survey, r["industry_name"]
        assert r["plan_deadline"] == plan, r["industry_name"]
        assert r["lead_department"] == lead, r["industry_name"]
        for col in ("survey_deadline", "plan_deadline", "completion_deadline"):
            date.fromisoformat(r[col])
        assert r["survey_deadline"] <= r["plan_deadline"] <= r["completion_deadline"]
        assert r["cooperating_departments"].split("、") == COOPERATING
    # the shared 主要职能部门 cell, as printed
    assert "、".join(COOPERATING) in annex


def test_jiebang_guashuai_and_note(industries, docs):
    for r in industries:
        assert r["jiebang_guashuai"] in ("true", "false")
        assert (r["jiebang_guashuai"] == "true") == (r["industry_name"] in JIEBANG), r["industry_name"]
        expected_note = "已印发" if r["industry_name"] == "报废机动车回收拆解" else ""
        assert r["note"] == expected_note
    assert "木质家具、烧结砖、建材石料加工、电镀等4个行业" in docs["001"]
    assert "（已印发）" in docs["000"]


# ---------------------------------------------------------------- ref_indicators_13th
def test_table_2_1_row_counts(indicators, docs):
    assert "共设置生态环保重点指标 11 项，其中约束性指标 6 项，预期性指标 5 项" in docs["003"]
    assert len(indicators) == TABLE_2_1_ROWS
    top = [r for r in indicators if r["parent_code"] == ""]
    assert len(top) == TABLE_2_1_TOP_LEVEL
    assert sum(r["nature"] == "约束性" for r in top) == 6
    assert sum(r["nature"] == "预期性" for r in top) == 5


def test_table_2_1_structure(indicators):
    codes = [r["indicator_code"] for r in indicators]
    assert len(set(codes)) == len(codes)
    assert [int(r["sort_order"]) for r in indicators] == list(range(1, len(indicators) + 1))
    by_code = {r["indicator_code"]: r for r in indicators}
    for r in indicators:
        assert SNAKE.match(r["indicator_code"]) and len(r["indicator_code"]) <= 40
        assert r["nature"] in ("约束性", "预期性")
        assert r["direction"] in ("higher_better", "lower_better")
        assert r["target_kind"] in ("value", "reduction_pct", "text", "")
        assert r["source"] == "003 表2-1"
        if r["parent_code"]:
            parent = by_code[r["parent_code"]]
            assert parent["parent_code"] == ""
            assert parent["nature"] == r["nature"]
        # numeric columns: numeric exactly when the text is a number
        for t, v in (("baseline_2015_text", "baseline_2015_value"), ("target_2020_text", "target_2020_value")):
            if re.fullmatch(r"\d+(\.\d+)?", r[t]):
                assert float(r[v]) == float(r[t]), (r["indicator_code"], t)
            else:
                assert r[v] == "", (r["indicator_code"], v)
        if r["target_kind"] == "value":
            assert r["target_2020_value"] != ""
        if r["target_kind"] == "text":
            assert r["target_2020_value"] == "" and r["target_2020_text"] != ""
    # sub-rows under 序号1 and 序号7, and the two soil rows under the 序号10 parent
    children = {}
    for r in indicators:
        if r["parent_code"]:
            children.setdefault(r["parent_code"], []).append(r["indicator_name"])
    assert children == {
        "wq_natl_sections_better_iii_pct": ["Ⅰ类水质断面比例", "Ⅱ类水质断面比例"],
        "wq_prov_sections_better_iii_pct": ["Ⅰ类水质断面比例", "Ⅱ类水质断面比例"],
        "soil_safe_use": ["受污染耕地安全利用率", "污染地块安全利用率"],
    }


def test_table_2_1_sampled_values(indicators, docs):
    by_code = {r["indicator_code"]: r for r in indicators}
    table = docs["003"].split("表 2-1 衢州市环境保护十三五规划指标体系")[1].split("三 重点任务")[0]
    for code, (name, base, target) in TABLE_2_1_SAMPLES.items():
        r = by_code[code]
        assert r["indicator_name"] == name, code
        assert r["baseline_2015_text"] == base, code
        assert r["target_2020_text"] == target, code
        assert target in table
    assert by_code["air_pm25_concentration"]["baseline_2015_value"] == "45"
    assert by_code["air_pm25_concentration"]["unit"] == "μg/m³"
    assert by_code["air_good_days_pct"]["baseline_2015_value"] == "84.9"
    assert by_code["wq_prov_sections_class_i_pct"]["target_2020_value"] == "7.7"
    # every named row of the table occurs in the table text (PM2.5 name is re-typeset)
    for r in indicators:
        if r["indicator_name"] and r["indicator_code"] != "air_pm25_concentration":
            assert r["indicator_name"] in table, r["indicator_name"]


# ---------------------------------------------------------------- ref_indicator_targets_extra
def test_extra_targets_columns(extras):
    codes = [r["target_code"] for r in extras]
    assert len(set(codes)) == len(codes)
    for r in extras:
        assert SNAKE.match(r["target_code"]), r["target_code"]
        assert r["comparator"] in (">=", "<=", "=", "reduction_pct")
        assert r["direction"] in ("higher_better", "lower_better")
        assert r["source_doc"] in ("002", "003")
        float(r["target_value"])
        assert 2016 <= int(r["target_year"]) <= 2025
        if r["base_year"]:
            assert r["comparator"] == "reduction_pct"
            assert int(r["base_year"]) < int(r["target_year"])
        if r["comparator"] == "reduction_pct":
            assert r["direction"] == "lower_better"
        assert all(r[c] for c in ("indicator_name", "scope", "unit")), r["target_code"]


def test_extra_targets_sampled_values(extras):
    by_code = {r["target_code"]: r for r in extras}
    for code, (value, year, base) in EXTRA_SAMPLES.items():
        r = by_code[code]
        assert _num_str(r["target_value"]) == value, code
        assert r["target_year"] == year, code
        assert r["base_year"] == base, code
    assert by_code["coal_consumption_reduction"]["comparator"] == "reduction_pct"
    assert {by_code[c]["scope"] for c in (
        "sewage_treatment_rate_urban_pct", "sewage_treatment_rate_county_pct", "sewage_treatment_rate_town_pct")} \
        == {"市区", "县城", "建制镇"}


def test_extra_targets_quotes_occur_in_source(extras, docs):
    for r in extras:
        quote = r["source_quote"]
        assert 0 < len(quote) <= 80, r["target_code"]
        # verbatim apart from whitespace / line breaks of the text dump
        assert _squash(quote) in _squash(docs[r["source_doc"]]), r["target_code"]
        if r["target_code"] in WORDED_TARGETS:
            assert WORDED_TARGETS[r["target_code"]] in quote
        else:
            assert _num_str(r["target_value"]) in _squash(quote), r["target_code"]


def test_extra_targets_not_in_table_2_1(extras, indicators):
    table_names = {r["indicator_name"] for r in indicators if r["indicator_name"]}
    for r in extras:
        assert r["indicator_name"] not in table_names, r["target_code"]
