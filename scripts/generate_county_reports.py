"""Deterministic demo county submissions: workbooks as counties really fill them.

衢州 (QZ2023 ledger, 117-task progress, indicator form): one workbook per unit per month for the last three months
up to the latest month; 达州 (DZ2021): one ledger per unit per quarter 2021-Q4 … 2023-Q4. Each file's modification
time is set to the simulated delivery time (timeliness is judged on it). Deliberate faults, each recorded in the
summary: a wrong (old) template, a malformed and a check-failing credit code, an unknown industry, typed dates in
every form, a GBK CSV, an .xls workbook, a resubmission, a late and a missing submission.

督察问题整改清单 (ducha_list, 000/001 市级重大生态环保督察清单): a separate workbook per 衢州 unit and month with a handful
of problems each (some closed in the course of the months, some overdue, a few under 通报预警 / 挂牌督办); 开化县 skips the
latest month like its other forms, 智慧新城 never submits one (its 清单指数 stays null), and 衢江区's latest list carries
two planted faults (已销号 without 销号日期, 整改时限 before 交办日期) that are quarantined.
"""
from __future__ import annotations

import csv
import io
import os
import random
import sys
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
from ecowarehouse import registry  # noqa: E402
from ecowarehouse.forms import FormSheet, build_workbook, template_columns  # noqa: E402
from ecowarehouse.standards.uscc import USCC_CHARSET, org_check_char, uscc_check_char  # noqa: E402

CST = ZoneInfo("Asia/Shanghai")
QZ_UNITS = [("330802", "柯城区"), ("330803", "衢江区"), ("330822", "常山县"), ("330824", "开化县"), ("330825", "龙游县"),
            ("330881", "江山市"), ("330800-ZZXC", "智造新城"), ("330800-ZHXC", "智慧新城")]
DZ_UNITS = [("511702", "通川区"), ("511703", "达川区"), ("511700-GXQ", "达州高新区")]
CLASSES = ["改造提升"] * 6 + ["搬迁升级"] * 2 + ["原址关闭"] * 2
PROBLEMS = {"工艺装备": "生产工艺落后、设备老化", "污染防治": "废气无组织排放、收集效率低", "节能降耗": "能耗偏高",
            "环境管理": "台账不规范、环保制度缺失", "风险防控": "危废贮存不规范、应急预案缺失"}
MEASURES = {"改造提升": "实施废气收集治理设施提标改造，规范危废贮存", "搬迁升级": "整体搬迁入园，新址同步建设治污设施",
            "原址关闭": "依法关停，拆除生产设备，做好遗留问题处置"}
ENT_WORDS = ["恒达", "鑫源", "华盛", "永丰", "宏远", "金诚", "利民", "天成", "瑞丰", "新锐", "兴旺", "衢发", "康泰", "昌盛"]
ENT_SUFFIX = {"scrap_vehicle_dismantling": "报废汽车回收拆解有限公司", "zhacai_pickling": "食品有限公司",
              "composite_fabric_processing": "复合材料有限公司", "renewable_resource_recycling": "再生资源有限公司",
              "waste_rubber_utilization": "橡胶制品有限公司", "waste_plastic_processing": "塑料制品厂",
              "wood_furniture": "家具有限公司", "building_stone_processing": "石料有限公司", "sintered_brick": "新型墙体材料厂",
              "glass_manufacturing": "玻璃制品有限公司", "chemical": "化工有限公司", "electroplating": "电镀有限公司"}
INDICATOR_VALUES = {"污水处理率": (92, 98), "农村生活污水治理行政村覆盖率": (88, 100), "污泥无害化处置率": (95, 100),
                    "秸秆综合利用率": (93, 97), "餐饮油烟净化装置配备率": (96, 100), "森林覆盖率": (60, 81),
                    "受污染耕地安全利用率": (91, 99), "污染地块安全利用率": (90, 100)}


def _uscc(rng: random.Random, division: str) -> str:
    body = "".join(rng.choice("0123456789ABCDEFGHJKLMNPQRTUWXY") for _ in range(8))
    org = body + org_check_char(body)
    first17 = "91" + division[:6] + org
    return first17 + uscc_check_char(first17)


def _delivered(day: date, hour: int) -> float:
    return datetime(day.year, day.month, day.day, hour, 17, tzinfo=CST).timestamp()


def _write(path: Path, data: bytes, delivered: float) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_bytes(data)
    os.utime(tmp, (delivered, delivered))
    os.replace(tmp, path)


def _months(latest: str, n: int) -> list[tuple[int, int]]:
    y, m = int(latest[:4]), int(latest[5:7])
    out = []
    for _ in range(n):
        out.append((y, m))
        y, m = (y, m - 1) if m > 1 else (y - 1, 12)
    return out[::-1]


def _enterprises(rng: random.Random, unit_code: str, programme: str, n: int) -> list[dict]:
    industries = [r for r in registry.rows("ref_key_industries") if r["programme_code"] == programme]
    towns = [r["township_name"] for r in registry.rows("ref_townships")
             if (r["county_code"] == unit_code) or (programme == "DZ2021" and r["region_code"] == "511700")]
    out = []
    for i in range(n):
        ind = industries[(i * 5 + len(unit_code)) % len(industries)]
        cls = rng.choice(CLASSES)
        cats = rng.sample(sorted(PROBLEMS), rng.randint(1, 3))
        name_core = ENT_WORDS[(i + rng.randint(0, 13)) % len(ENT_WORDS)]
        suffix = ENT_SUFFIX.get(ind["industry_code"], "有限公司")
        out.append({
            "industry": ind, "class": cls, "cats": cats,
            "name": f"{'衢州' if programme != 'DZ2021' else '达州'}市{name_core}{suffix}" if i % 3 else f"{name_core}{suffix}（{i + 1}）",
            "uscc": _uscc(rng, unit_code if unit_code[:6].isdigit() else unit_code[:6]),
            "town": rng.choice(towns) if towns else "",
            "employees": rng.randint(4, 260),
            # the reporting month (index) in which the enterprise reports completion; None: not yet
            "done_at": rng.choice([None, 0, 1, 2, 2, None, 1]),
            "leader": rng.random() < 0.15,
            "area": rng.randint(12, 80),
        })
    return out


def _ledger_rows(ents: list[dict], unit_name: str, month_index: int, period_end: date, programme: str,
                 date_style: int) -> list[dict]:
    rows = []
    for j, e in enumerate(ents):
        done = e["done_at"] is not None and e["done_at"] <= month_index
        deadline = date.fromisoformat(e["industry"]["completion_deadline"])
        # typed dates as counties type them: a real date, an Excel serial, 2024年12月, 2024.12, 2024/12/31
        style = (j + date_style) % 5
        if style == 0:
            deadline_cell = deadline
        elif style == 1:
            deadline_cell = (deadline - date(1899, 12, 30)).days
        elif style == 2:
            deadline_cell = f"{deadline.year}年{deadline.month}月"
        elif style == 3:
            deadline_cell = f"{deadline.year}.{deadline.month}"
        else:
            deadline_cell = f"{deadline.year}/{deadline.month}/{deadline.day}"
        # the acceptance date is fixed once, when the enterprise is first reported done (a later report repeats it);
        # two in three of those already done at the first report were accepted before their industry deadline
        # (the 2023–2025 programme ran before reporting started), the rest in the month they were reported done
        if done and "accepted_on" not in e:
            on_time = e["done_at"] == 0 and j % 3 != 0 and programme == "QZ2023"
            e["accepted_on"] = deadline - timedelta(days=10 + j % 40) if on_time else period_end - timedelta(days=20)
        accepted = e["accepted_on"] if done else None
        row = {
            # some clerks write 柯城 for 柯城区
            "county_name": unit_name[:2] if j % 4 == 0 and len(unit_name) == 3 and unit_name[-1] in "区县市" else unit_name,
            "township_name": e["town"],
            "enterprise_name": e["name"], "address": f"{unit_name}{e['town']}工业功能区{j + 1}号",
            "credit_code": e["uscc"] if j % 7 else " ".join(e["uscc"][k:k + 4] for k in range(0, 18, 4)),
            "industry_category": e["industry"]["industry_name"] if programme == "DZ2021" else "",
            "key_industry": e["industry"]["industry_name"], "employees": e["employees"],
            "land_tenure": ["租用", "征用", "租赁"][j % 3], "has_safety_assessment": ["有", "√", "无", "有 "][j % 4],
            "has_energy_review": ["有", "无", "是"][j % 3], "eia_approval_no": f"衢环建〔20{18 + j % 5}〕{100 + j}号",
            "discharge_permit_no": e["uscc"] + "001V" if j % 2 else "", "has_online_monitoring": ["无", "有", "否"][j % 3],
            "main_problems": "；".join(PROBLEMS[c] for c in e["cats"]), "problem_categories": "、".join(e["cats"]),
            "measures": MEASURES[e["class"]], "remediation_class": e["class"], "completion_deadline": deadline_cell,
            "progress_text": ("已完成整改，" + ("已通过县级自主验收" if accepted else "")) if done else
            ("整改推进中，治理设施安装调试" if month_index or j % 2 else "未启动，正在编制一企一策方案"),
            "progress_status": "已完成" if done else "",
            "county_accepted_on": f"{accepted.year}年{accepted.month}月{accepted.day}日" if accepted else "",
            "city_accepted_on": (accepted + timedelta(days=9)).isoformat() if accepted and j % 2 else "",
            "leader_candidate": "是" if e["leader"] else "否",
            "remarks": f"新址用地{e['area']}亩" if e["class"] == "搬迁升级" and j % 5 else "",
        }
        rows.append(row)
    return rows


def _task_rows(rng: random.Random, unit_name: str, month_index: int) -> list[dict]:
    rows = []
    tasks = rng.sample(range(1, registry.task_counts()["重点任务"] + 1), 24)
    for k, no in enumerate(sorted(tasks)):
        pct = min(100, 30 + 25 * month_index + (no * 7) % 40)
        status = "已完成" if pct >= 100 else ("滞后" if no % 11 == 0 else "推进中")
        rows.append({"item_kind": "重点任务", "item_no": no if k % 5 else f"第{no}项", "reporting_unit": f"{unit_name}生态环境分局",
                     "status": status, "percent_complete": f"{pct}%" if k % 2 else pct,
                     "narrative": "按计划推进" if status != "滞后" else "受资金影响进度滞后", "evidence_ref": f"ZZ-{no:03d}"})
    for no in (1, 3, 9, 15):
        pct = min(100, 50 + 20 * month_index + no)
        rows.append({"item_kind": "重点工程", "item_no": no, "reporting_unit": f"{unit_name}发改局",
                     "status": "已完成" if pct >= 100 else "推进中", "percent_complete": pct,
                     "narrative": "工程建设中" if pct < 100 else "已竣工验收", "evidence_ref": ""})
    return rows


def _indicator_rows(rng: random.Random, unit_code: str) -> list[dict]:
    rows = [{"indicator_name": name, "value": round(rng.uniform(lo, hi), 1), "unit": "%",
             "data_source": "县统计局/住建局年报"} for name, (lo, hi) in INDICATOR_VALUES.items()]
    rows.append({"indicator_name": "省级以上生态文明示范区创建", "value": "是" if unit_code[-1] in "2415" else "否",
                 "unit": "是/否", "data_source": "县生态环境分局"})
    rows.append({"indicator_name": "清新空气示范区", "value": "是" if unit_code[-1] in "25" else "否", "unit": "",
                 "data_source": "县生态环境分局"})
    return rows


WATER_COLUMNS = ["section_name", "sampled_on", "water_temp", "ph", "do", "codmn", "cod", "bod5", "nh3_n", "tp", "tn",
                 "cu", "zn", "fluoride", "se", "as", "hg", "cd", "cr6", "pb", "cyanide", "volatile_phenol",
                 "petroleum", "las", "sulfide", "fecal_coliform"]


def _water_rows(rng: random.Random, y: int, m: int) -> list[dict]:
    """One sample per registered section, values typical of class II–III water, 双港口 and 铜山源 (the 达标方案 sections
    of 002) somewhat worse; trace metals mostly below their detection limits."""
    rows = []
    for r in registry.rows("ref_water_sections"):
        worse = r["plan_kind"] == "水质达标"
        rows.append({
            "section_name": r["section_name"], "sampled_on": date(y, m, 5 + rng.randint(0, 10)),
            "water_temp": round(rng.uniform(12, 27), 1), "ph": round(rng.uniform(6.8, 7.9), 2),
            "do": round(rng.uniform(5.2, 8.8), 1), "codmn": round(rng.uniform(1.5, 4.8 if worse else 3.6), 1),
            "cod": round(rng.uniform(6, 18), 0), "bod5": round(rng.uniform(0.8, 3.4), 1),
            "nh3_n": round(rng.uniform(0.05, 0.9 if worse else 0.45), 3),
            "tp": round(rng.uniform(0.02, 0.16 if worse else 0.09), 3) if r["waterbody_type"] == "river"
            else round(rng.uniform(0.01, 0.06), 3),
            "tn": round(rng.uniform(0.8, 2.2), 2), "cu": "0.001L", "zn": "0.05L", "fluoride": round(rng.uniform(0.1, 0.4), 2),
            "se": "0.0004L", "as": round(rng.uniform(0.0005, 0.002), 4), "hg": "0.04L", "cd": "0.0001L", "cr6": "0.004L",
            "pb": "0.001L", "cyanide": "0.004L", "volatile_phenol": "0.0003L", "petroleum": "ND", "las": "0.05L",
            "sulfide": "0.005L", "fecal_coliform": rng.choice([230, 490, 1100, 2400, 3300]),
        })
    return rows


def _ledger_csv_gbk(unit_name: str, period_label: str, rows: list[dict]) -> bytes:
    labels = {r["column_code"]: r["label_zh"] for r in registry.rows("ref_report_template_columns")
              if r["template_code"] == "enterprise_ledger"}
    cols = template_columns("enterprise_ledger")
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(["重点行业整治企业台账"])
    w.writerow([f"填报单位：{unit_name}", f"报告期：{period_label}"])
    w.writerow(["序号"] + [labels[c] for c in cols])
    for i, r in enumerate(rows):
        w.writerow([i + 1] + [r.get(c, "") if not isinstance(r.get(c), date) else r[c].isoformat() for c in cols])
    return buf.getvalue().encode("gbk")


def _xls(unit_name: str, period_label: str, rows: list[dict], template: str) -> bytes:
    import xlwt

    labels = {r["column_code"]: r["label_zh"] for r in registry.rows("ref_report_template_columns")
              if r["template_code"] == template}
    cols = template_columns(template)
    book = xlwt.Workbook(encoding="utf-8")
    ws = book.add_sheet("台账")
    ws.write(0, 0, f"填报单位：{unit_name}")
    ws.write(0, 3, f"报告期：{period_label}")
    for c, code in enumerate(["序号", *cols]):
        ws.write(1, c, labels.get(code, code))
    for i, r in enumerate(rows):
        ws.write(i + 2, 0, i + 1)
        for c, code in enumerate(cols, start=1):
            v = r.get(code, "")
            ws.write(i + 2, c, v.isoformat() if isinstance(v, date) else v)
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()


def generate(out_dir: Path, latest_month: str = "2026-10", seed: int = 20261101) -> dict:
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    summary = {"files": 0, "faults": {}}
    months = _months(latest_month, 3)
    ents = {code: _enterprises(random.Random(f"{seed}-{code}"), code, "QZ2023", rng.randint(8, 14))
            for code, _ in QZ_UNITS}
    for mi, (y, m) in enumerate(months):
        period_label = f"{y}年{m}月"
        period_end = (date(y + (m == 12), m % 12 + 1, 1) - timedelta(days=1))
        due = date(y + (m == 12), m % 12 + 1, 3)
        latest = mi == len(months) - 1
        for code, name in QZ_UNITS:
            if latest and code == "330824":
                summary["faults"]["missing"] = f"{name} {latest_month} 未报送"
                continue
            urng = random.Random(f"{seed}-{code}-{y}{m}")
            ledger = _ledger_rows(ents[code], name, mi, period_end, "QZ2023", date_style=mi)
            deliver_day = due - timedelta(days=urng.randint(0, 2))
            if latest and code == "330822":
                deliver_day = due + timedelta(days=7)
                summary["faults"]["late"] = f"{name} {latest_month} 逾期7天报送"
            if latest and code == "330803":
                # faults a clerk makes: malformed code, a pilot-era code failing the check, an industry not in
                # the programme, a duplicate row, the template's example row left in
                ledger[1]["credit_code"] = "9133080314775588OT"
                ledger[2]["credit_code"] = "91350100M0001TGQXM"
                ledger[3]["key_industry"] = "印染"
                ledger.append(dict(ledger[0]))
                ledger.append({"enterprise_name": "XX", "key_industry": "XX", "remediation_class": "原址关闭/改造提升/搬迁升级"})
                summary["faults"]["bad_rows"] = f"{name} {latest_month}：信用代码含字母O、试点代码校验位不符（告警）、行业“印染”不在名单、重复企业、模板示例行"
            if mi == 1 and ents[code]:
                ents[code][0]["class"] = "原址关闭"  # a reclassification: visible in dim_enterprise's history
            sheets = [
                FormSheet("enterprise_ledger", ledger, spacer_rows=(3,)),
                FormSheet("task_progress", _task_rows(urng, name, mi)),
                FormSheet("indicator_form", _indicator_rows(urng, code)),
            ]
            stem = f"{name}_{y}{m:02d}"
            if code == "330800-ZHXC":
                # 智慧新城 keeps its ledger in a GBK CSV; the other two forms come in a workbook
                _write(out_dir / f"{stem}_台账.csv", _ledger_csv_gbk(name, period_label, ledger), _delivered(deliver_day, 9))
                sheets = sheets[1:]
                summary["files"] += 1
            if code == "330881" and mi == 1:
                _write(out_dir / f"{stem}.xls", _xls(name, period_label, ledger, "enterprise_ledger"), _delivered(deliver_day, 10))
                sheets = sheets[1:]
                summary["files"] += 1
                summary["faults"]["xls"] = f"{name} {y}-{m:02d} 台账为 .xls 工作簿"
            data = build_workbook(f"{name}人民政府" if code[:6].isdigit() and not code.startswith("330800-") else f"{name}管委会",
                                  period_label, sheets, filled_on=deliver_day.isoformat())
            _write(out_dir / f"{stem}.xlsx", data, _delivered(deliver_day, 15))
            summary["files"] += 1
            if latest and code == "330802":
                # a resubmission two days later: the first version had a row for another county's enterprise
                first = [dict(r) for r in ledger] + [dict(ledger[0], enterprise_name="衢江区某石料厂", county_name="衢江区",
                                                          credit_code=_uscc(urng, "330803"))]
                data1 = build_workbook(f"{name}人民政府", period_label, [FormSheet("enterprise_ledger", first)],
                                       filled_on=(deliver_day - timedelta(days=2)).isoformat())
                _write(out_dir / f"{stem}_台账_初报.xlsx", data1, _delivered(deliver_day - timedelta(days=2), 11))
                summary["files"] += 1
                summary["faults"]["resubmission"] = f"{name} {latest_month} 台账重报（初报含外县企业一行）"
        if latest:
            old = [{k: v for k, v in r.items() if k != "remediation_class"} for r in
                   _ledger_rows(ents["330825"], "龙游县", mi, period_end, "QZ2023", 0)]
            data = build_workbook("龙游县人民政府", period_label,
                                  [FormSheet("enterprise_ledger", old, columns=[c for c in template_columns("enterprise_ledger")
                                                                                if c != "remediation_class"])])
            _write(out_dir / f"龙游县_{y}{m:02d}_旧模板.xlsx", data, _delivered(due - timedelta(days=3), 8))
            summary["files"] += 1
            summary["faults"]["wrong_template"] = "龙游县 旧模板台账（缺“整治分类”列）整份退回"
    # surface water: the monitoring centre's monthly manual results for the registered sections
    for y, m in months:
        due = date(y + (m == 12), m % 12 + 1, 10)
        rows = _water_rows(random.Random(f"{seed}-water-{y}{m}"), y, m)
        if (y, m) == months[-1]:
            rows.append(dict(rows[0], section_name="衢江大桥"))  # not a registered section: quarantined
            summary["faults"]["water_unknown_section"] = f"{y}-{m:02d} 断面“衢江大桥”未登记"
        data = build_workbook("衢州市生态环境监测中心", f"{y}年{m}月",
                              [FormSheet("water_monthly", rows, columns=WATER_COLUMNS, labels={"hg": "汞(μg/L)"})])
        _write(out_dir / f"地表水手工监测_{y}{m:02d}.xlsx", data, _delivered(due - timedelta(days=2), 14))
        summary["files"] += 1
    # 达州: quarterly 2021-Q4 … 2023-Q4, one ledger per unit
    for code, name in DZ_UNITS:
        dz_ents = _enterprises(random.Random(f"{seed}-{code}"), code, "DZ2021", 9)
        quarters = [(2021, 4)] + [(y, q) for y in (2022, 2023) for q in (1, 2, 3, 4)]
        for e in dz_ents:  # completion spread over the nine quarters
            e["done_at"] = None if e["done_at"] is None else 2 + e["done_at"] * 3
        for qi, (y, q) in enumerate(quarters):
            end = (date(y, 3 * q, 1) + timedelta(days=31)).replace(day=1) - timedelta(days=1)
            rows = _ledger_rows(dz_ents, name, qi, end, "DZ2021", date_style=qi)
            data = build_workbook(f"{name}人民政府（管委会）", f"{y}年第{q}季度",
                                  [FormSheet("enterprise_ledger", rows, columns=template_columns("enterprise_ledger", "DZ2021"),
                                             title="达州市主城工业企业突出生态环境问题整治工作台账")])
            _write(out_dir / f"达州_{name}_{y}Q{q}.xlsx", data, _delivered(date(y, 3 * q, 20), 10))
            summary["files"] += 1
    _ducha_files(out_dir, months, seed, summary)
    return summary


DUCHA_SOURCES = ["市级重大生态环保督察清单", "督察在线", "中央生态环保督察", "省级督察", "市级督察清单", "信访举报"]
DUCHA_PROBLEMS = ["企业废气收集设施未正常运行", "危险废物贮存场所不规范", "雨污分流不彻底，初期雨水未收集", "堆场扬尘防治措施不到位",
                  "生产废水超标排放", "未批先建、未验先投", "VOCs 无组织排放", "固废露天堆放"]
DUCHA_DEPARTMENTS = ["生态环境分局", "经信局", "住建局", "农业农村局", "综合行政执法局"]


def _ducha_problems(rng: random.Random, code: str, name: str, first_month: date) -> list[dict]:
    industries = [r["industry_name"] for r in registry.rows("ref_key_industries") if r["programme_code"] == "QZ2023"]
    out = []
    for k in range(1, rng.randint(4, 6) + 1):
        assigned = first_month - timedelta(days=rng.randint(20, 240))
        out.append({
            "no": f"DC-{code[-4:]}-{k:02d}", "source": DUCHA_SOURCES[(k + len(code)) % len(DUCHA_SOURCES)],
            "assigned": assigned, "deadline": assigned + timedelta(days=rng.choice([60, 90, 120, 180])),
            "description": DUCHA_PROBLEMS[(k * 3 + rng.randint(0, 7)) % len(DUCHA_PROBLEMS)],
            "industry": industries[rng.randint(0, len(industries) - 1)] if k % 2 else "",
            "unit": f"{name}{DUCHA_DEPARTMENTS[(k + rng.randint(0, 4)) % len(DUCHA_DEPARTMENTS)]}",
            # the demo month (index) in which the problem is 销号; None: still open at the latest month
            "closed_at": rng.choice([None, 0, 1, 2, None, 2]),
            "level": "挂牌督办" if k % 5 == 0 else ("通报预警" if k % 3 == 0 else ""),
        })
    return out


def _ducha_rows(problems: list[dict], month_index: int, y: int, m: int) -> list[dict]:
    rows = []
    for j, pr in enumerate(problems):
        closed = pr["closed_at"] is not None and pr["closed_at"] <= month_index
        if closed:
            cy, cm = _months(f"{y}-{m:02d}", month_index - pr["closed_at"] + 1)[0]
            status, closed_on = "已销号", date(cy, cm, 12 + j)
        elif pr["closed_at"] == month_index + 1:
            status, closed_on = ("已整改待销号" if j % 2 else "已整改"), None
        else:
            status, closed_on = "整改中", None
        rows.append({"problem_no": pr["no"], "problem_source": pr["source"], "assigned_on": pr["assigned"],
                     "description": pr["description"], "industry": pr["industry"], "responsible_unit": pr["unit"],
                     "rectify_deadline": f"{pr['deadline'].year}年{pr['deadline'].month}月{pr['deadline'].day}日" if j % 3 == 1
                     else pr["deadline"], "rectify_status": status, "closed_on": closed_on,
                     "supervision_level": pr["level"], "remarks": ""})
    return rows


def _ducha_files(out_dir: Path, months: list[tuple[int, int]], seed: int, summary: dict) -> None:
    for code, name in QZ_UNITS:
        if code == "330800-ZHXC":
            summary["faults"]["ducha_never"] = f"{name} 从未报送督察问题整改清单（清单指数为空）"
            continue
        problems = _ducha_problems(random.Random(f"{seed}-ducha-{code}"), code, name, date(*months[0], 1))
        for mi, (y, m) in enumerate(months):
            latest = mi == len(months) - 1
            if latest and code == "330824":
                continue  # 开化县 sends nothing for the latest month: its previous list is carried forward
            rows = _ducha_rows(problems, mi, y, m)
            if latest and code == "330803":
                rows.append({"problem_no": "DC-0803-90", "problem_source": "督察在线", "assigned_on": date(y, m, 2),
                             "description": "河道排污口排查整治不到位", "responsible_unit": f"{name}生态环境分局",
                             "rectify_deadline": date(y, m, 28), "rectify_status": "已销号"})
                rows.append({"problem_no": "DC-0803-91", "problem_source": "省级督察", "assigned_on": date(y, m, 5),
                             "description": "畜禽养殖废水直排", "responsible_unit": f"{name}农业农村局",
                             "rectify_deadline": date(y, m, 5) - timedelta(days=10), "rectify_status": "整改中",
                             "supervision_level": "预警"})
                summary["faults"]["ducha_bad_rows"] = (f"{name} {y}-{m:02d} 督察清单：已销号未填销号日期、整改时限早于交办日期"
                                                       "（两行隔离）")
            due = date(y + (m == 12), m % 12 + 1, 3)
            deliver_day = due - timedelta(days=random.Random(f"{seed}-ducha-{code}-{y}{m}").randint(0, 2))
            label = f"{name}人民政府" if code[:6].isdigit() and not code.startswith("330800-") else f"{name}管委会"
            data = build_workbook(label, f"{y}年{m}月", [FormSheet("ducha_list", rows)], filled_on=deliver_day.isoformat())
            _write(out_dir / f"{name}_{y}{m:02d}_督察清单.xlsx", data, _delivered(deliver_day, 16))
            summary["files"] += 1


if __name__ == "__main__":
    import json

    print(json.dumps(generate(Path(sys.argv[1]) if len(sys.argv) > 1 else Path("landing")), ensure_ascii=False, indent=1))
