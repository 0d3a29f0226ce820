"""Blank and filled county forms as .xlsx, laid out like the bureau's templates (title, 填报单位, 报告期, a two-row
header with merged group cells, a 填表说明 note under the table).

The bureau hands the blank forms to counties (``ecowarehouse template``); the demo generator and the tests fill them.
"""
from __future__ import annotations

import io
from dataclasses import dataclass, field

from ecowarehouse import registry

# Header groups of the ledger (004 附件: 企业基本信息 / 环保问题整改; 衢州 一企一档 and acceptance added).
LEDGER_GROUPS = {
    "企业基本信息": ["county_name", "township_name", "enterprise_name", "address", "credit_code", "industry_category",
                "key_industry", "employees", "land_tenure", "has_safety_assessment", "has_energy_review",
                "eia_approval_no", "discharge_permit_no", "has_online_monitoring"],
    "环保问题整改": ["main_problems", "problem_categories", "measures", "remediation_class", "completion_deadline",
                "progress_text", "progress_status"],
    "整治验收": ["county_accepted_on", "city_accepted_on", "leader_candidate"],
}
NOTES = {
    "enterprise_ledger": "填表说明：1.厂区土地性质：租用；征用。2.整治分类：原址关闭；改造提升；搬迁升级。"
                         "3.搬迁升级类企业，请在备注中注明新址用地面积。4.问题类别可多选：工艺装备、污染防治、节能降耗、环境管理、风险防控。",
    "task_progress": "填表说明：类别填“重点任务”（编号1—117）或“重点工程”（编号1—28）；进展状态：未启动、推进中、已完成、滞后。",
    "indicator_form": "填表说明：百分比指标填写数值（如 95.2），单位“%”；创建类指标填“是”或“否”。",
    "water_monthly": "填表说明：单位为 mg/L（粪大肠菌群 个/L，pH 无量纲），表头可注明其他单位如“汞(μg/L)”；"
                     "低于检出限填 ND 或“0.01L”“<0.01”；未监测项目留空。",
    "ducha_list": "填表说明：问题编号在本单位清单内唯一，各期沿用；问题来源：中央生态环保督察、省级生态环保督察、市级重大生态环保督察清单、"
                  "督察在线平台发现、信访举报、其他；整改状态：整改中、已整改待销号、已销号（已销号须填销号日期）；"
                  "督办等级：无、通报预警、挂牌督办；已销号问题当月仍列入清单。",
}
TITLES = {"enterprise_ledger": "重点行业整治企业台账", "task_progress": "任务与重点工程进展表", "indicator_form": "县区指标填报表",
          "water_monthly": "地表水断面手工监测月报", "ducha_list": "督察问题整改清单"}


@dataclass
class FormSheet:
    template_code: str
    rows: list[dict] = field(default_factory=list)  # column_code → cell value
    columns: list[str] | None = None  # column codes in order; default: every column of the template
    labels: dict[str, str] = field(default_factory=dict)  # column_code → header text to use instead of label_zh
    title: str | None = None
    sheet_name: str | None = None
    two_row_header: bool = True
    spacer_rows: tuple[int, ...] = ()  # blank rows inserted before these data-row indexes


def template_columns(template_code: str, programme_code: str | None = None) -> list[str]:
    cols = [r["column_code"] for r in registry.rows("ref_report_template_columns") if r["template_code"] == template_code]
    if programme_code == "DZ2021" and template_code == "enterprise_ledger":
        # the 达州 台账 of 004 has no 衢州 一企一档 / acceptance columns; its 行业类别 names the programme's industry
        cols = [c for c in cols if c not in ("township_name", "key_industry", "problem_categories", "progress_status",
                                             "county_accepted_on", "city_accepted_on", "leader_candidate")]
    return cols


def build_workbook(unit_label: str, period_label: str, sheets: list[FormSheet], filled_on: str | None = None) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    labels_by_template = {}
    for r in registry.rows("ref_report_template_columns"):
        labels_by_template.setdefault(r["template_code"], {})[r["column_code"]] = r["label_zh"]
    book = Workbook()
    book.remove(book.active)
    for spec in sheets:
        ws = book.create_sheet(spec.sheet_name or TITLES[spec.template_code])
        cols = spec.columns or template_columns(spec.template_code)
        label = {**labels_by_template[spec.template_code], **spec.labels}
        width = len(cols) + 1
        ws.append([spec.title or TITLES[spec.template_code]])
        ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
        ws["A1"].font = Font(bold=True, size=14)
        ws["A1"].alignment = Alignment(horizontal="center")
        ws.append([f"填报单位（签章）：{unit_label}", None, None, f"报告期：{period_label}", None, None,
                   f"填表时间：{filled_on or ''}"][:max(width, 7)])
        top = 3
        if spec.template_code == "enterprise_ledger" and spec.two_row_header:
            group_of = {c: g for g, members in LEDGER_GROUPS.items() for c in members}
            upper = ["序号"] + [group_of.get(c) or label[c] for c in cols]
            lower = [None] + [label[c] if c in group_of else None for c in cols]
            ws.append(upper)
            ws.append(lower)
            ws.merge_cells(start_row=top, start_column=1, end_row=top + 1, end_column=1)
            c = 0
            while c < len(cols):
                g = group_of.get(cols[c])
                end = c
                while end + 1 < len(cols) and g and group_of.get(cols[end + 1]) == g:
                    end += 1
                if g and end > c:
                    ws.merge_cells(start_row=top, start_column=c + 2, end_row=top, end_column=end + 2)
                elif not g:
                    ws.merge_cells(start_row=top, start_column=c + 2, end_row=top + 1, end_column=c + 2)
                c = end + 1
        else:
            ws.append(["序号"] + [label[c] for c in cols])
        for i, row in enumerate(spec.rows):
            if i in spec.spacer_rows:
                ws.append([])
            ws.append([i + 1] + [row.get(c) for c in cols])
        ws.append([])
        ws.append([NOTES[spec.template_code]])
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()
