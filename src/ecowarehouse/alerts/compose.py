"""One e-mail per county and run, in Chinese for the county clerk, with the offending rows as an xlsx attachment."""
from __future__ import annotations

import io
import json
from datetime import datetime, timedelta
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid

from openpyxl import Workbook
from openpyxl.styles import Font

from ecowarehouse import registry, settings

DEFAULT_FROM = "ecowarehouse@quzhou.example.gov.cn"  # demo sender (placeholder domain)
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
SEVERITY_ZH = {"error": "【须整改】", "warning": "【请核实】"}
EXAMPLE_ROWS = 3  # rows quoted in the body per alert; all of them are in the attachment
XLSX_TYPE = ("application", "vnd.openxmlformats-officedocument.spreadsheetml.sheet")

# flattened names of the quarantine rows' own fields, in the clerk's words
COLUMN_ZH = {"source_row": "原文件行号", "reason_zh": "隔离原因", "reason_code": "原因代码"}


def neutralise(value):
    """A cell a spreadsheet would read as a formula (= + - @, or tab / CR first) is prefixed with an apostrophe, so it
    stays text (OWASP CSV injection); non-text values pass unchanged."""
    if isinstance(value, (dict, list)):
        value = json.dumps(value, ensure_ascii=False)
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def recipients(county_code: str) -> list[str]:
    return [r["email"] for r in registry.rows("ref_alert_recipients") if r["county_code"] == county_code]


def _flatten(row: dict) -> dict:
    """The quarantine row's own fields first (line, reason), then the other fields, then the original record's
    (jsonb does not keep key order)."""
    out = {COLUMN_ZH[k]: row[k] for k in COLUMN_ZH if k in row}
    out.update({k: v for k, v in row.items() if k not in COLUMN_ZH and k != "record"})
    if isinstance(row.get("record"), dict):
        out.update({f"原文:{rk}": rv for rk, rv in row["record"].items()})
    return out


def _sheet_title(title: str, used: set[str]) -> str:
    base = "".join("_" if c in "[]:*?/\\" else c for c in title)[:28]
    name, i = base, 2
    while name in used:
        name, i = f"{base[:26]}_{i}", i + 1
    used.add(name)
    return name


def workbook(alerts: list[dict], kinds: dict[str, dict]) -> tuple[bytes, dict[str, str]]:
    """The attachment: one sheet per alert kind, one row per offending row (with the alert number); returns the
    bytes and kind → sheet name."""
    wb = Workbook()
    wb.remove(wb.active)
    used: set[str] = set()
    sheets: dict[str, str] = {}
    by_kind: dict[str, list[dict]] = {}
    for a in alerts:
        by_kind.setdefault(a["check_code"], []).append(a)
    for kind in sorted(by_kind, key=lambda k: kinds[k]["sort_order"]):
        title = _sheet_title(kinds[kind]["title_zh"], used)
        sheets[kind] = title
        ws = wb.create_sheet(title)
        rows = [{"告警编号": a["alert_id"], "问题": a["title_zh"], **_flatten(r)}
                for a in by_kind[kind] for r in (a["offending_rows"] or [{}])]
        columns: list[str] = []
        for r in rows:
            columns += [c for c in r if c not in columns]
        ws.append(columns)
        for cell in ws[1]:
            cell.font = Font(bold=True)
        for r in rows:
            ws.append([neutralise(r.get(c)) for c in columns])
        for cell in (c for row in ws.iter_rows(min_row=2) for c in row):
            if isinstance(cell.value, str):
                cell.data_type = "s"  # never a formula, whatever the text
        ws.freeze_panes = "A2"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue(), sheets


def _example(row: dict) -> str:
    flat = _flatten(row)
    return "；".join(f"{k}={neutralise(v)}" for k, v in list(flat.items())[:8] if v not in (None, ""))


def compose(county_code: str, period: str, as_of: datetime, due: list[tuple[dict, str]], other_open: list[dict],
            kinds: dict[str, dict], sender: str | None = None) -> EmailMessage:
    """``due``: (alert, "new" | "reminder") to report; ``other_open``: the county's open alerts already notified."""
    county = registry.counties().get(county_code, county_code)
    run_day = as_of.astimezone(settings.LOCAL_TZ).date()
    due = sorted(due, key=lambda d: (kinds[d[0]["check_code"]]["sort_order"], d[0]["alert_id"]))
    n_new = sum(1 for _, why in due if why == "new")
    n_rem = len(due) - n_new
    xlsx, sheets = workbook([a for a, _ in due], kinds)
    filename = f"数据问题_{county}_{period}.xlsx"

    lines = [f"{county}数据报送负责同志：", "",
             f"衢州市生态环境数据仓库 {run_day:%Y年%m月%d日} 的月度运行（评估月份 {period}）发现贵单位以下数据问题："
             f"新问题 {n_new} 项，仍未解决的提醒 {n_rem} 项。问题数据见附件《{filename}》（每类问题一个工作表）。"
             "请按“如何整改”处理并在期限前完成；问题消除后，下一次运行会自动关闭告警。", ""]
    for i, (a, why) in enumerate(due, 1):
        kind = kinds[a["check_code"]]
        first_day = a["first_seen_at"].astimezone(settings.LOCAL_TZ).date()
        deadline = first_day + timedelta(days=kind["deadline_days"])
        rows = a["offending_rows"] or []
        lines += [f"{i}. {SEVERITY_ZH[a['severity']]}{kind['title_zh']}（{'新发现' if why == 'new' else '提醒：尚未解决'}）",
                  f"   告警编号：{a['alert_id']}；首次发现：{first_day:%Y-%m-%d}",
                  f"   问题：{a['title_zh']}",
                  f"   涉及数据：附件工作表“{sheets[a['check_code']]}”中告警编号 {a['alert_id']} 的 {len(rows)} 行"]
        lines += [f"     例：{_example(r)}" for r in rows[:EXAMPLE_ROWS]]
        if a.get("rows_link"):
            lines.append(f"   数据位置（供市局核查）：{a['rows_link']}")
        lines += [f"   如何整改：{kind['how_to_fix_zh']}",
                  f"   整改期限：{deadline:%Y年%m月%d日}前" + ("（已超过期限，请尽快处理）" if deadline < run_day else ""),
                  ""]
    if other_open:
        lines.append(f"另有 {len(other_open)} 项已通知、仍在处理期内的问题（本次不重复列出）：" +
                     "、".join(f"#{a['alert_id']} {a['title_zh']}" for a in other_open[:20]))
        lines.append("")
    lines += ["本邮件由衢州市生态环境数据仓库自动发送（同一问题不会每次重复发送，未解决时按间隔提醒）。"
              "如有疑问，请联系衢州市生态环境局数据管理科。"]

    msg = EmailMessage()
    msg["Subject"] = f"【数据质量告警】{county} {period}：新问题 {n_new} 项，提醒 {n_rem} 项"
    msg["From"] = sender or DEFAULT_FROM
    msg["To"] = ", ".join(recipients(county_code)) or "undisclosed-recipients:;"
    msg["Date"] = format_datetime(as_of)
    msg["Message-ID"] = make_msgid(domain=(sender or DEFAULT_FROM).split("@")[-1])
    msg["X-Ecowarehouse-County"] = county_code
    msg.set_content("\n".join(lines), charset="utf-8")
    msg.add_attachment(xlsx, maintype=XLSX_TYPE[0], subtype=XLSX_TYPE[1], filename=filename)
    return msg
