"""The end-of-run summary a person reads: what came in, what was quarantined and why, checks, publication, indicators."""
from __future__ import annotations

from ecowarehouse import db, gate

STATUS_ZH = {"met": "达到", "not_met": "未达到", "no_numeric_target": "尚无数值目标"}


def _fmt(v, digits: int = 1) -> str:
    if v is None:
        return "—"
    if isinstance(v, (int,)):
        return str(v)
    return f"{float(v):.{digits}f}"


def _published(conn, table: str) -> bool:
    return conn.execute("select 1 from pg_tables where schemaname = 'marts' and tablename = %s", (table,)
                        ).fetchone() is not None


TIMELINESS_ZH = {"on_time": "按时", "late": "逾期", "missing": "未报送", "pending": "未到期"}


def _county_section(conn, period: str) -> list[str]:
    """Which units submitted the month's forms on time (from the published timeliness mart)."""
    if not _published(conn, "mart_submission_timeliness"):
        return []
    rows = conn.execute(
        """select template_name, timeliness, count(*), string_agg(county_name || case when days_late > 0
                       then '（' || days_late || '天）' else '' end, '、' order by county_code)
           from marts.mart_submission_timeliness where period_code = %s
           group by template_name, timeliness order by template_name, timeliness""", (period,)).fetchall()
    if not rows:
        return []
    out = [f"县区报送（{period}，已发布版本）："]
    for template, status, n, names in rows:
        detail = f"：{names}" if status != "on_time" else ""
        out.append(f"  {template} {TIMELINESS_ZH.get(status, status)} {n} 个{detail}")
    return out


def _hazwaste_section(conn, period: str) -> list[str]:
    """The month's hazardous-waste flows for the city and the anomalies found as of the month (published marts)."""
    if not _published(conn, "fct_hw_anomalies"):
        return []
    flows = conn.execute(
        """select manifests, shipped_t, received_t, in_transit_end_t from marts.mart_hw_county_monthly
           where area_level = 'city' and month = %s""", (period,)).fetchone()
    out = [f"危险废物（{period}，已发布版本）："]
    if flows:
        out.append(f"  全市转移联单 {flows[0]} 张，转移 {_fmt(flows[1])} 吨，接收 {_fmt(flows[2])} 吨，"
                   f"月末在途 {_fmt(flows[3])} 吨")
    rows = conn.execute(
        """select severity, title_zh, count(*), string_agg(distinct county_name, '、')
           from marts.fct_hw_anomalies where as_of_period = %s
           group by severity, title_zh order by severity, title_zh""",
        (period,)).fetchall()
    for severity, title, n, counties in rows:
        # an anomaly's severity is for the county's follow-up; it does not gate publication
        out.append(f"  {'【严重】' if severity == 'blocking' else '【提示】'}{title} {n} 条（{counties}）")
    return out


def _alerts_section(conn, run_id: str | None) -> list[str]:
    """What the run's notification step did (ops.alert_runs): alerts opened, reminded, resolved; messages."""
    if not run_id:
        return []
    row = conn.execute(
        """select opened, reminded, resolved, open_total, messages_queued, sent, written, failed, still_queued,
                  transport, last_error
           from ops.alert_runs where run_id = %s""", (run_id,)).fetchone()
    if row is None:
        return []
    opened, reminded, resolved, open_total, queued, sent, written, failed, still, transport, error = row
    out = [f"县区告警：新增 {opened}，提醒 {reminded}，自动关闭 {resolved}，未解决 {open_total}"
           f"（本次生成邮件 {queued} 封）"]
    if transport == "outbox":
        from ecowarehouse.alerts.deliver import outbox_dir

        out.append(f"  邮件：未配置 SMTP，写入 outbox {written} 封（{outbox_dir()}）")
    else:
        out.append(f"  邮件：SMTP 发送 {sent} 封" + (f"，失败 {failed} 封，队列中待下次发送 {still} 封（{error}）"
                                                     if failed or still else ""))
    by_county = conn.execute(
        """select county_code, count(*) filter (where severity = 'error'), count(*)
           from ops.alerts where status <> 'resolved' group by county_code order by county_code""").fetchall()
    names = {}
    if by_county:
        from ecowarehouse import registry

        names = registry.counties()
        out.append("  未解决告警：" + "、".join(f"{names.get(c, c)} {n}（须整改 {e}）" for c, e, n in by_county))
    return out


def _assessment_section(conn, period: str) -> list[str]:
    """The 美丽衢州 county ranking of the month with its change and the components that moved it (published marts)."""
    if not _published(conn, "mart_county_assessment_score"):
        return []
    rows = conn.execute(
        """select s.county_rank, s.area_name, s.total_score, s.score_change, s.rank_change, d.ducha_index,
                  s.top_contributors
           from marts.mart_county_assessment_score s
           left join marts.mart_ducha_index d on d.period_code = s.period_code and d.area_code = s.area_code
           where s.period_code = %s order by s.county_rank nulls last, s.area_code""", (period,)).fetchall()
    if not rows:
        return []
    out = [f"美丽衢州县（市、区）考核（{period}，已发布版本；权重见 seeds/ref_assessment_components.csv）：",
           f"  {'名次':<4}{'县（市、区）':<8}{'得分':>7}{'较上月':>8}{'名次变化':>8}{'督察清单指数':>12}  主要变化项"]
    for rank, name, score, change, rank_change, ducha, movers in rows:
        moved = "—" if rank_change is None else ("持平" if rank_change == 0 else
                                                 f"{'↑' if rank_change > 0 else '↓'}{abs(rank_change)}")
        out.append(f"  {_fmt(rank):<4}{name:<8}{_fmt(score, 2):>7}{_fmt(change, 2):>8}{moved:>8}{_fmt(ducha):>12}"
                   f"  {movers or ''}")
    projection = conn.execute(
        """select explanation_zh from marts.mart_indicator_projection
           where period_code = %s and area_code = '330800' order by indicator_code""", (period,)).fetchall() \
        if _published(conn, "mart_indicator_projection") else []
    for (text,) in projection:
        out.append(f"  年终预测（全市）：{text}")
    return out


def build(period: str, run_id: str | None, url: str | None = None) -> str:
    out: list[str] = []
    with db.connect(url=url) as conn:
        f = conn.execute(
            """select count(*) filter (where status = 'loaded'), count(*) filter (where status = 'rejected'),
                      coalesce(sum(rows_received), 0), coalesce(sum(rows_loaded), 0), coalesce(sum(rows_quarantined), 0)
               from ops.files"""
        ).fetchone()
        out.append(f"== 衢州市生态环境数据仓库 · 月度评估 {period} (run {run_id or '-'}) ==")
        out.append(f"文件：已入库 {f[0]} 个，整体拒收 {f[1]} 个；行：接收 {f[2]}，入库 {f[3]}，隔离 {f[4]}"
                   f"（对账 {'平衡' if f[2] == f[3] + f[4] else '不平衡!'}）")
        rejected = conn.execute(
            "select original_name, reject_reason from ops.files where status = 'rejected' order by original_name limit 10"
        ).fetchall()
        for name, reason in rejected:
            out.append(f"  拒收文件 {name}：{reason}")
        top = conn.execute(
            """select reason_code, count(*), min(reason_zh) from quarantine.rows group by reason_code
               order by count(*) desc, reason_code limit 5"""
        ).fetchall()
        if top:
            out.append("隔离原因（前 5）：")
            for code, n, example in top:
                out.append(f"  {n:>6} × {code}  例：{example}")
        if run_id:
            checks = conn.execute(
                """select severity, success, suite_name || '.' || check_name from ops.check_results where run_id = %s
                   order by severity, suite_name, check_name""",
                (run_id,),
            ).fetchall()
            passed = sum(1 for c in checks if c[1])
            failed_b = [c[2] for c in checks if not c[1] and c[0] == "blocking"]
            failed_w = [c[2] for c in checks if not c[1] and c[0] == "warning"]
            out.append(f"质量检查：通过 {passed}，阻断性失败 {len(failed_b)}，警告 {len(failed_w)}")
            for name in failed_b:
                out.append(f"  ✗ 阻断 {name}")
            for name in failed_w:
                out.append(f"  ! 警告 {name}")
            pub = conn.execute(
                "select published_at, row_counts from ops.publications where run_id = %s order by publication_id desc limit 1",
                (run_id,),
            ).fetchone()
            if pub:
                counts = ", ".join(f"{k} {v}" for k, v in sorted(pub[1].items()))
                out.append(f"发布：已发布到 marts（{pub[0]:%Y-%m-%d %H:%M:%S}）：{counts}")
            else:
                out.append("发布：未发布，marts 保持上一版本不变")
        out.extend(_county_section(conn, period))
        out.extend(_alerts_section(conn, run_id))
        out.extend(_hazwaste_section(conn, period))
        out.extend(_assessment_section(conn, period))
        docs = gate.data_docs_index()
        if docs.exists():
            out.append(f"GX Data Docs：file://{docs}")
        if _published(conn, "mart_indicator_monthly"):
            rows = conn.execute(
                """select m.area_name, m.indicator_name, m.unit, m.value_month, m.value_ytd, m.baseline_2015_value,
                          m.target_2020_text, m.target_status, m.data_completeness_pct
                   from marts.mart_indicator_monthly m
                   left join marts.dim_area a using (area_code)
                   where m.period = %s order by m.indicator_code, a.sort_order""",
                (period,),
            ).fetchall()
            out.append(f"十三五指标（{period}，按 HJ 633-2012/HJ 663-2013 口径；已发布版本）：")
            if not rows:
                out.append("  （该月无已发布的指标数据）")
            out.append(f"  {'区域':<6}{'指标':<22}{'当月':>8}{'本年累计':>10}{'2015基准':>10}  {'2020目标':<10}{'状态':<8}{'完整率%':>8}")
            for area, name, unit, vm, vy, base, target, status, compl in rows:
                label = f"{name}({unit})" if unit else name
                out.append(f"  {area:<6}{label:<22}{_fmt(vm):>8}{_fmt(vy):>10}{_fmt(base):>10}  {target or '':<10}"
                           f"{STATUS_ZH.get(status, status):<8}{_fmt(compl):>8}")
    return "\n".join(out)
