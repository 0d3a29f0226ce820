"""The problems a run finds, per county, each with a stable fingerprint.

Read from ops.files / quarantine.rows and from the marts this run built (``marts_audit``, so that a county hears about
bad input even when the month is blocked) or, once published, ``marts``. What counts as a problem, its thresholds and
windows are the rows of ``seeds/ref_alert_kinds.csv``. ``as_of`` (the run's time) is passed in: nothing here reads the
clock, so a test can move time forward.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from psycopg import sql

from ecowarehouse import registry, settings

MAX_ROWS = 500  # offending rows kept per alert; the rest are reachable by the alert's rows_link query


@dataclass
class Problem:
    kind: str
    county_code: str
    source: str
    subject_key: str
    title_zh: str
    detail: dict
    rows: list[dict] = field(default_factory=list)
    severity: str | None = None  # None: the kind's severity in the seed
    rows_link: str | None = None
    scope: str | None = None  # period the problem belongs to, for kinds evaluated period by period

    @property
    def fingerprint(self) -> str:
        return hashlib.sha256(f"{self.kind}|{self.subject_key}".encode()).hexdigest()


@dataclass
class Findings:
    problems: list[Problem]
    # kind → the scopes evaluated (None: the kind was evaluated as a whole). A kind missing here was not evaluated
    # (its mart was not built): its open alerts are neither refreshed nor resolved.
    evaluated: dict[str, set[str] | None]


def alert_kinds() -> dict[str, dict]:
    out = {}
    for r in registry.rows("ref_alert_kinds"):
        out[r["alert_kind"]] = {
            **r,
            "deadline_days": int(r["deadline_days"]),
            "reminder_days": int(r["reminder_days"]),
            "lookback_days": int(r["lookback_days"]) if r["lookback_days"] else None,
            "threshold": float(r["threshold"]) if r["threshold"] else None,
            "sort_order": int(r["sort_order"]),
        }
    return out


def mart_relation(conn, table: str) -> sql.Composed | None:
    """This run's audit build of a mart if it exists, else the published one, else None."""
    for schema in ("marts_audit", "marts"):
        if conn.execute("select 1 from pg_tables where schemaname = %s and tablename = %s",
                        (schema, table)).fetchone():
            return sql.SQL("{}.{}").format(sql.Identifier(schema), sql.Identifier(table))
    return None


def _local_day(moment: datetime) -> date:
    return moment.astimezone(settings.LOCAL_TZ).date()


def _day_end(day: date) -> datetime:
    """The end of a due day in China Standard Time (a form is on time until 24:00 of its due day)."""
    return datetime.combine(day + timedelta(days=1), datetime.min.time(), tzinfo=settings.LOCAL_TZ)


def _since(as_of: datetime, lookback_days: int | None) -> datetime:
    return as_of - timedelta(days=lookback_days) if lookback_days is not None else datetime(1900, 1, 1,
                                                                                             tzinfo=settings.LOCAL_TZ)


def _jsonable(v):
    if isinstance(v, (datetime, date)):
        return v.isoformat()
    if isinstance(v, (int, float, str, bool, dict, list)) or v is None:
        return v
    return str(v)


# ------------------------------------------------------------------------------------------------ ingestion problems
def _rejected_files(conn, as_of: datetime, kind: dict) -> list[Problem]:
    """Whole files rejected whose submitting unit is known, until the unit delivers a file of that kind that loads."""
    rows = conn.execute(
        """select f.submitter_code, f.file_sha256, f.original_name, f.file_kind, f.reject_reason,
                  coalesce(f.delivered_at, f.received_at) as delivered
           from ops.files f
           where f.status = 'rejected' and f.submitter_code is not null
             and coalesce(f.delivered_at, f.received_at) between %(since)s and %(as_of)s
             and not exists (
                 select 1 from ops.files g
                 where g.status = 'loaded' and g.submitter_code = f.submitter_code
                   and g.file_kind is not distinct from f.file_kind
                   and coalesce(g.delivered_at, g.received_at) > coalesce(f.delivered_at, f.received_at)
                   and coalesce(g.delivered_at, g.received_at) <= %(as_of)s)
           order by delivered, f.original_name""",
        {"since": _since(as_of, kind["lookback_days"]), "as_of": as_of}).fetchall()
    out = []
    for county, sha, name, file_kind, reason, delivered in rows:
        out.append(Problem(
            "rejected_file", county, file_kind or "unknown", f"{county}|{sha}",
            f"文件《{name}》被整体拒收",
            {"file_name": name, "file_sha256": sha, "file_kind": file_kind, "delivered_at": delivered.isoformat(),
             "reason_zh": reason},
            rows=[{"文件名": name, "送达时间": _jsonable(delivered), "拒收原因": reason}],
            rows_link=f"select * from ops.files where file_sha256 = '{sha}'"))
    return out


def _quarantined_rows(conn, as_of: datetime, kind: dict) -> list[Problem]:
    """Rows quarantined per county × file, while the file is recent and not superseded: a county workbook is
    superseded when every form it carried has a later version delivered (the marts then use that version)."""
    groups = conn.execute(
        """select q.county_code, q.file_sha256, f.original_name, q.source,
                  coalesce(f.delivered_at, f.received_at) as delivered, count(*) as n,
                  jsonb_agg(jsonb_build_object('source_row', q.source_row, 'reason_code', q.reason_code,
                                               'reason_zh', q.reason_zh, 'record', q.record)
                            order by q.source_row nulls last, q.quarantine_id) as rows
           from quarantine.rows q
           join ops.files f on f.file_sha256 = q.file_sha256
           where q.county_code is not null
             and coalesce(f.delivered_at, f.received_at) between %(since)s and %(as_of)s
             and not (
                 exists (select 1 from raw.county_submissions s where s.file_sha256 = f.file_sha256)
                 and not exists (
                     select 1 from raw.county_submissions s
                     where s.file_sha256 = f.file_sha256
                       and not exists (
                           select 1 from raw.county_submissions s2
                           where s2.template_code = s.template_code and s2.programme_code = s.programme_code
                             and s2.county_code = s.county_code and s2.period_code = s.period_code
                             and s2.file_sha256 <> s.file_sha256
                             and s2.delivered_at > s.delivered_at and s2.delivered_at <= %(as_of)s)))
           group by q.county_code, q.file_sha256, f.original_name, q.source, coalesce(f.delivered_at, f.received_at)
           order by delivered, f.original_name, q.county_code""",
        {"since": _since(as_of, kind["lookback_days"]), "as_of": as_of}).fetchall()
    out = []
    for county, sha, name, source, delivered, n, rows in groups:
        out.append(Problem(
            "quarantined_rows", county, source, f"{county}|{sha}",
            f"《{name}》中 {n} 行未通过校验被隔离",
            {"file_name": name, "file_sha256": sha, "delivered_at": delivered.isoformat(), "rows_quarantined": n},
            rows=rows[:MAX_ROWS],
            rows_link=("select source_row, reason_zh, record from quarantine.rows "
                       f"where file_sha256 = '{sha}' and county_code = '{county}' order by source_row")))
    return out


# ------------------------------------------------------------------------------------------------ submissions
def _timeliness(conn, as_of: datetime, kinds: dict) -> list[Problem] | None:
    rel = mart_relation(conn, "mart_submission_timeliness")
    if rel is None:
        return None
    today = _local_day(as_of)
    rows = conn.execute(sql.SQL(
        """select programme_code, template_code, template_name, county_code, county_name, period_code, due_date,
                  first_delivered_at
           from {} where due_date < %s order by due_date, programme_code, template_code, county_code""").format(rel),
        (today,)).fetchall()
    late_since = today - timedelta(days=kinds["submission_late"]["lookback_days"] or 36500)
    out = []
    for programme, template, template_name, county, county_name, period, due, delivered in rows:
        key = f"{county}|{programme}|{template}|{period}"
        detail = {"programme_code": programme, "template_code": template, "template_name": template_name,
                  "county_name": county_name, "period_code": period, "due_date": due.isoformat()}
        row = {"方案": programme, "报表": template_name, "报告期": period, "到期日": due.isoformat()}
        # a delivery after the run's clock has not happened yet as far as this run is concerned
        if delivered is None or delivered > as_of:
            out.append(Problem("submission_missing", county, template, key,
                               f"{template_name}（{period}）逾期未报送，到期日 {due:%Y-%m-%d}", detail,
                               rows=[{**row, "送达时间": "未报送"}]))
        elif delivered >= _day_end(due) and due >= late_since:
            days = (_local_day(delivered) - due).days
            out.append(Problem("submission_late", county, template, key,
                               f"{template_name}（{period}）逾期 {days} 天报送",
                               {**detail, "delivered_at": delivered.isoformat(), "days_late": days},
                               rows=[{**row, "送达时间": _jsonable(delivered), "逾期天数": days}]))
    return out


# ------------------------------------------------------------------------------------------------ monitoring
def _month_bounds(period: str) -> tuple[date, date]:
    y, m = int(period[:4]), int(period[5:7])
    start = date(y, m, 1)
    end = date(y + (m == 12), m % 12 + 1, 1) - timedelta(days=1)
    return start, end


def _registered(row: dict, start: date, end: date) -> bool:
    valid_from = date.fromisoformat(row["valid_from"]) if row.get("valid_from") else date.min
    valid_to = date.fromisoformat(row["valid_to"]) if row.get("valid_to") else date.max
    return valid_from <= end and valid_to >= start


def _outlet_transmission(conn, periods: set[str], kind: dict) -> list[Problem] | None:
    """Outlets registered in the month whose transmission rate is below the threshold; no row at all is 0 %."""
    rel = mart_relation(conn, "fct_source_transmission_monthly")
    if rel is None:
        return None
    out = []
    for period in sorted(periods):
        start, end = _month_bounds(period)
        got = {r[0]: r for r in conn.execute(sql.SQL(
            """select mn, hours_expected, hours_received, hours_valid, transmission_rate_pct, validity_rate_pct
               from {} where month = %s""").format(rel), (period,)).fetchall()}
        for o in registry.rows("ref_pollution_outlets"):
            if not o["county_code"] or not _registered(o, start, end):
                continue
            r = got.get(o["mn"])
            rate = float(r[4]) if r and r[4] is not None else None
            if r is not None and rate is not None and rate >= kind["threshold"]:
                continue
            rate_text = f"{rate:.1f}%" if rate is not None else "当月无任何数据"
            out.append(Problem(
                "outlet_transmission_low", o["county_code"], "hj212",
                f"{o['county_code']}|{o['mn']}|{period}",
                f"{o['enterprise_name']} {o['outlet_name']}（{o['outlet_code']}）{period} 数据传输率 {rate_text}，"
                f"低于 {kind['threshold']:g}%",
                {"period": period, "mn": o["mn"], "enterprise_name": o["enterprise_name"],
                 "outlet_code": o["outlet_code"], "transmission_rate_pct": rate, "threshold_pct": kind["threshold"]},
                rows=[{"月份": period, "数采仪MN": o["mn"], "企业": o["enterprise_name"], "排口": o["outlet_code"],
                       "应收小时数": r[1] if r else None, "收到小时数": r[2] if r else 0,
                       "有效小时数": r[3] if r else 0, "传输率%": rate, "有效率%": float(r[5]) if r and r[5] is not None
                       else None}],
                scope=period))
    return out


def _air_days(conn, periods: set[str], kind: dict) -> list[Problem] | None:
    """Counties with an air station evaluating them whose month has too few valid PM2.5 days (GB 3095-2012 表4,
    the mart's pm2_5_month_valid); a county with stations but no row for the month has 0 valid days."""
    rel = mart_relation(conn, "fct_air_quality_monthly")
    if rel is None:
        return None
    out = []
    names = registry.counties()
    for period in sorted(periods):
        start, end = _month_bounds(period)
        got = {r[0]: r for r in conn.execute(sql.SQL(
            """select area_code, pm2_5_valid_days, days_in_month, pm2_5_month_valid
               from {} where period = %s and is_in_force""").format(rel), (period,)).fetchall()}
        stations: dict[str, list[str]] = {}
        for s in registry.rows("ref_air_stations"):
            if s["evaluates_county"] == "true" and s["county_code"] and _registered(s, start, end):
                stations.setdefault(s["county_code"], []).append(f"{s['station_code']} {s['station_name']}")
        for county, codes in sorted(stations.items()):
            r = got.get(county)
            if r is not None and r[3]:
                continue
            valid_days = r[1] if r and r[1] is not None else 0
            out.append(Problem(
                "air_pm25_days_short", county, "air_station", f"{county}|{period}",
                f"{names.get(county, county)} {period} PM2.5 有效日数 {valid_days} 天，不满足月评价要求",
                {"period": period, "pm2_5_valid_days": valid_days, "stations": codes},
                rows=[{"月份": period, "区域": names.get(county, county), "PM2.5有效日数": valid_days,
                       "当月天数": r[2] if r else (end - start).days + 1, "参评站点": "、".join(codes)}],
                scope=period))
    return out


def _hw_anomalies(conn, period: str) -> list[Problem] | None:
    rel = mart_relation(conn, "fct_hw_anomalies")
    if rel is None:
        return None
    cur = conn.execute(sql.SQL(
        """select * from {} where as_of_period = %s and county_code is not null
           order by county_code, anomaly_kind, subject_id""").format(rel), (period,))
    cols = [d.name for d in cur.description]
    out = []
    for values in cur.fetchall():
        r = dict(zip(cols, values))
        out.append(Problem(
            "hw_anomaly", r["county_code"], "hazwaste",
            f"{r['county_code']}|{r['anomaly_kind']}|{r['subject_type']}|{r['subject_id']}",
            f"{r['title_zh']}：{r.get('manifest_no') or r.get('generator_name') or r['subject_id']}",
            {"anomaly_kind": r["anomaly_kind"], "anomaly_month": r.get("anomaly_month"),
             "description_zh": r.get("description_zh")},
            rows=[{k: _jsonable(v) for k, v in r.items()}],
            severity="error" if r["severity"] == "blocking" else "warning"))
    return out


def detect(conn, period: str, as_of: datetime, open_scopes: dict[str, set[str]] | None = None) -> Findings:
    """Everything attributable to a county that this run finds. ``open_scopes``: per period-scoped kind, the periods
    of its open alerts, which are looked at again so that a month whose data arrived later gets its alert resolved."""
    kinds = alert_kinds()
    open_scopes = open_scopes or {}
    problems: list[Problem] = []
    evaluated: dict[str, set[str] | None] = {}
    problems += _rejected_files(conn, as_of, kinds["rejected_file"])
    evaluated["rejected_file"] = None
    problems += _quarantined_rows(conn, as_of, kinds["quarantined_rows"])
    evaluated["quarantined_rows"] = None
    found = _timeliness(conn, as_of, kinds)
    if found is not None:
        problems += found
        evaluated["submission_missing"] = evaluated["submission_late"] = None
    for kind, fn in (("outlet_transmission_low", _outlet_transmission), ("air_pm25_days_short", _air_days)):
        periods = {period} | open_scopes.get(kind, set())
        found = fn(conn, periods, kinds[kind])
        if found is not None:
            problems += found
            evaluated[kind] = periods
    found = _hw_anomalies(conn, period)
    if found is not None:
        problems += found
        evaluated["hw_anomaly"] = None
    return Findings(problems, evaluated)
