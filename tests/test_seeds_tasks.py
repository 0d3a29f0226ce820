"""Checks the reference seeds extracted from 衢州市生态文明示范创建行动实施方案
(seed-docs/002) against the source document.

Expected literal values below were read by hand from the document, not derived
from the CSV files.
"""

import csv
import re
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[1]
SEEDS = REPO_ROOT / "seeds"
DOC_PATH = REPO_ROOT.parent / "shared" / "seed-docs" / "002_a2fc10507e612ca6.txt"

TASK_COLUMNS = [
    "task_no",
    "section_no",
    "section_name",
    "work_item",
    "task_text",
    "lead_units",
    "cooperating_units",
]
PROJECT_COLUMNS = [
    "project_no",
    "section_name",
    "project_name",
    "content",
    "responsible_units",
    "completion_year",
    "completion_text",
]


def _squash(s: str) -> str:
    """Remove all whitespace."""
    return re.sub(r"\s+", "", s)


def _squash_units(s: str) -> str:
    """Remove whitespace and unit separators (、 and ，) for containment checks."""
    return re.sub(r"[\s、，]+", "", s)


def _read(name: str) -> tuple[list[str], list[dict[str, str]]]:
    with open(SEEDS / name, encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        return list(reader.fieldnames or []), list(reader)


@pytest.fixture(scope="module")
def doc() -> str:
    if not DOC_PATH.exists():
        pytest.skip(f"source document not found: {DOC_PATH}")
    return DOC_PATH.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def doc_squashed(doc: str) -> str:
    return _squash(doc)


@pytest.fixture(scope="module")
def tasks() -> list[dict[str, str]]:
    header, rows = _read("ref_tasks.csv")
    assert header == TASK_COLUMNS
    return rows


@pytest.fixture(scope="module")
def projects() -> list[dict[str, str]]:
    header, rows = _read("ref_key_projects.csv")
    assert header == PROJECT_COLUMNS
    return rows


@pytest.fixture(scope="module")
def task_by_no(tasks) -> dict[int, dict[str, str]]:
    return {int(r["task_no"]): r for r in tasks}


@pytest.fixture(scope="module")
def project_by_no(projects) -> dict[int, dict[str, str]]:
    return {int(r["project_no"]): r for r in projects}


def test_files_are_utf8_without_bom():
    for name in ("ref_tasks.csv", "ref_key_projects.csv"):
        raw = (SEEDS / name).read_bytes()
        assert not raw.startswith(b"\xef\xbb\xbf"), name
        raw.decode("utf-8")


# ---------------------------------------------------------------- structure


def test_exactly_117_tasks_numbered_without_gaps(tasks):
    assert len(tasks) == 117
    assert [int(r["task_no"]) for r in tasks] == list(range(1, 118))


def test_exactly_28_projects_numbered_without_gaps(projects):
    assert len(projects) == 28
    assert [int(r["project_no"]) for r in projects] == list(range(1, 29))


def test_section_no_contiguous_from_1(tasks):
    nos = [int(r["section_no"]) for r in tasks]
    assert sorted(set(nos)) == list(range(1, 9))
    # non-decreasing in task order, each section one contiguous block
    assert nos == sorted(nos)
    names = {}
    for r in tasks:
        names.setdefault(int(r["section_no"]), set()).add(r["section_name"])
    assert all(len(v) == 1 for v in names.values())


def test_required_fields_non_empty(tasks, projects):
    for r in tasks:
        for col in ("section_name", "work_item", "task_text", "lead_units"):
            assert r[col].strip(), (r["task_no"], col)
    for r in projects:
        for col in PROJECT_COLUMNS:
            assert r[col].strip(), (r["project_no"], col)


def test_no_stray_whitespace(tasks, projects):
    for r in tasks + projects:
        for col, val in r.items():
            assert val == val.strip(), col
            assert "\n" not in val and "\r" not in val and "\t" not in val, col
            assert "  " not in val, col
            if col.endswith("units"):
                assert " " not in val, (col, val)
                assert "，" not in val, (col, val)
                assert not val.startswith("、") and not val.endswith("、"), val
                assert "、、" not in val, val


def test_completion_year_matches_text(projects):
    for r in projects:
        years = re.findall(r"(?:19|20)\d\d", r["completion_text"])
        assert years, r["completion_text"]
        assert int(r["completion_year"]) == int(years[-1])


# ------------------------------------------------ faithfulness to the document


def test_task_text_occurs_in_document(tasks, doc_squashed):
    for r in tasks:
        assert _squash(r["task_text"]) in doc_squashed, r["task_no"]


def test_task_text_unique(tasks):
    texts = [r["task_text"] for r in tasks]
    assert len(set(texts)) == len(texts)


def test_work_items_and_sections_occur_in_document(tasks, doc_squashed):
    for r in tasks:
        assert _squash(r["work_item"]) in doc_squashed, r["task_no"]
        assert _squash(r["section_name"]) in doc_squashed, r["task_no"]


def test_unit_lists_occur_in_document(tasks, projects, doc):
    doc_units = _squash_units(doc)
    for r in tasks:
        for col in ("lead_units", "cooperating_units"):
            if r[col]:
                assert _squash_units(r[col]) in doc_units, (r["task_no"], col)
    for r in projects:
        assert _squash_units(r["responsible_units"]) in doc_units, r["project_no"]


def test_project_fields_occur_in_document(projects, doc_squashed):
    for r in projects:
        for col in ("section_name", "project_name", "content"):
            assert _squash(r[col]) in doc_squashed, (r["project_no"], col)


# ------------------------------------------- hand-picked values from the doc


def test_sampled_task_values(task_by_no):
    t1 = task_by_no[1]
    assert t1["section_no"] == "1"
    assert t1["section_name"] == "大力推动绿色转型，实现高质量发展"
    assert t1["work_item"] == "深入推进产业转型升级"
    assert t1["lead_units"] == "市经信局"
    assert t1["cooperating_units"] == "市发改委、市生态环境局等相关部门"

    # lead units wrapped over two lines in the document
    assert task_by_no[3]["lead_units"] == "市经信局、市发改委"
    assert task_by_no[3]["work_item"] == "深入推进产业转型升级"  # filled down
    assert task_by_no[5]["lead_units"] == "市发改委、市大数据局"

    # work item wrapped, with a blank line inside the cell
    assert task_by_no[31]["work_item"] == "推进重点领域臭气异味治理"
    assert task_by_no[36]["work_item"] == "推进重点领域臭气异味治理"
    assert task_by_no[21]["work_item"] == "积极推进能源结构调整优化"
    assert task_by_no[21]["section_name"] == "坚决打好治气攻坚战，稳步改善环境空气质量"

    # cooperating units split over lines (with/without trailing 、)
    assert task_by_no[57]["cooperating_units"] == "市农业农村局、市生态环境局"
    assert task_by_no[62]["cooperating_units"] == "市经信局、市资源规划局"

    # empty 配合单位 cells
    assert task_by_no[72]["cooperating_units"] == ""
    assert task_by_no[93]["cooperating_units"] == ""
    assert task_by_no[113]["lead_units"] == "各县（市、区）政府"
    assert task_by_no[113]["cooperating_units"] == ""

    # row with a single unit cell: recorded as lead units
    assert task_by_no[19]["lead_units"] == "市机关事务中心、市妇联、市教育局、市文明办、市生态环境局"
    assert task_by_no[19]["cooperating_units"] == ""

    # one unit name wrapped over two lines (no separator)
    assert task_by_no[112]["lead_units"] == "美丽衢州建设领导小组办公室"
    assert task_by_no[112]["section_no"] == "8"
    assert task_by_no[112]["section_name"] == "切实加强组织领导，不断强化工作保障"

    assert task_by_no[104]["lead_units"] == "市生态环境局、市公安局、市检察院、市法院"
    assert task_by_no[117]["lead_units"] == "市生态环境局、市委组织部、市审计局、市财政局"
    assert task_by_no[117]["cooperating_units"] == ""
    assert task_by_no[117]["work_item"] == "加强考核监督"

    assert task_by_no[70]["task_text"] == "持续推进医疗废物“小箱进大箱”。"
    assert task_by_no[70]["lead_units"] == "市卫健委"
    assert task_by_no[55]["section_name"] == "坚决打好治土持久战，有效遏制土壤污染趋势"
    assert task_by_no[99]["section_name"] == "深化体制机制改革，全面实施生态文明新政"


def test_sampled_project_values(project_by_no):
    p1 = project_by_no[1]
    assert p1["section_name"] == "坚决打好治气攻坚战"
    assert p1["project_name"] == "燃煤锅炉淘汰工程"
    assert p1["completion_year"] == "2020"
    assert p1["completion_text"] == "2020年"

    assert project_by_no[4]["project_name"] == "燃煤机组超低排放改造项目"
    assert project_by_no[10]["project_name"] == "“污水零直排区”建设项目"
    assert project_by_no[10]["section_name"] == "坚决打好治水长效战"
    assert project_by_no[10]["completion_year"] == "2022"

    # 项目名称 merged over projects 13 and 14
    assert project_by_no[13]["project_name"] == "污水处理厂清洁排放项目"
    assert project_by_no[14]["project_name"] == "污水处理厂清洁排放项目"
    assert project_by_no[13]["responsible_units"] == "市住建局"

    assert project_by_no[17]["section_name"] == "坚决打好治土持久战"
    assert project_by_no[19]["section_name"] == "清废行动"
    assert project_by_no[19]["project_name"] == "固体废物处置能力建设项目"
    assert project_by_no[22]["project_name"] == "生态建设和保护项目"
    assert project_by_no[22]["completion_year"] == "2022"
    assert project_by_no[21]["section_name"] == "生态保护"
    assert project_by_no[21]["content"] == "开展全市生态保护红线勘界定标工作。"

    p28 = project_by_no[28]
    assert p28["section_name"] == "能力建设"
    assert p28["project_name"] == "环保数字化转型试点项目"
    assert p28["responsible_units"] == "市生态环境局、市大数据局"
    assert p28["completion_year"] == "2020"

    assert [int(project_by_no[n]["completion_year"]) for n in (10, 11, 12, 15, 17, 22, 24, 26)] == [2022] * 8
