"""``ecowarehouse`` — the command line: database, ingestion, monthly runs."""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path


def _cmd_db_url(args) -> int:
    from ecowarehouse import settings

    print(settings.db_params().url())
    return 0


def _cmd_db(args) -> int:
    import os

    from ecowarehouse import embedded_db

    if os.environ.get("DATABASE_URL") and args.action != "status":
        print("DATABASE_URL is set: the project does not manage that server", file=sys.stderr)
        return 1
    if args.action == "start":
        print(embedded_db.ensure_running().url())
    elif args.action == "stop":
        print("stopped" if embedded_db.stop() else "not running")
    else:
        print("running" if embedded_db.is_running() else "stopped")
    return 0


def _cmd_migrate(args) -> int:
    from ecowarehouse import db

    print("applied:", ", ".join(db.migrate()))
    return 0


def _cmd_ingest(args) -> int:
    from ecowarehouse import db
    from ecowarehouse.ingest import ingest_paths

    db.migrate()
    results = ingest_paths([Path(p) for p in args.paths])
    for r in results:
        detail = f"{r.rows_loaded} 行入库, {r.rows_quarantined} 行隔离" if r.status == "loaded" else (r.reason or "")
        print(f"{r.status:<17} {r.kind or '-':<20} {r.name}  {detail}")
    loaded = sum(r.rows_loaded for r in results)
    quarantined = sum(r.rows_quarantined for r in results)
    print(f"{len(results)} files: {loaded} rows loaded, {quarantined} rows quarantined, "
          f"{sum(r.status == 'rejected' for r in results)} files rejected")
    return 0


def _cmd_run(args) -> int:
    from ecowarehouse import airflow_runner, summary

    dag_run = airflow_runner.run_monthly(args.period, {"full_refresh": True} if args.full_refresh else None)
    state = str(getattr(dag_run, "state", "unknown"))
    print()
    print(summary.build(args.period, dag_run.run_id))
    print(f"\nAirflow DAG run {dag_run.run_id}: {state}")
    return 0 if state.endswith("success") else 1


def _cmd_summary(args) -> int:
    from ecowarehouse import db, summary

    with db.connect() as conn:
        row = conn.execute(
            "select run_id from ops.runs where period = %s order by started_at desc limit 1", (args.period,)
        ).fetchone()
    print(summary.build(args.period, row[0] if row else None))
    return 0


def _cmd_template(args) -> int:
    """Write a blank county form (the layout ingestion expects) for a unit to fill in."""
    from ecowarehouse.forms import FormSheet, build_workbook, template_columns

    templates = ["enterprise_ledger", "task_progress", "indicator_form"] if args.template == "all" else [args.template]
    sheets = [FormSheet(t, [], columns=template_columns(t, args.programme)) for t in templates]
    out = Path(args.out)
    out.write_bytes(build_workbook(args.unit, args.period, sheets))
    print(out)
    return 0


def _cmd_docs(args) -> int:
    """dbt docs of the project and the published marts: generate against the running warehouse, then serve."""
    from ecowarehouse import docs, settings

    settings.apply_runtime_env()  # starts the embedded server unless DATABASE_URL is set: the catalog reads it
    target = docs.generate()
    print(f"dbt docs generated in {target}")
    if args.no_serve:
        return 0
    return docs.serve(target, port=args.port, host=args.host)


def _cmd_alerts(args) -> int:
    """List the alerts to counties, or acknowledge one (no more reminders; it still resolves by itself)."""
    import getpass
    from datetime import datetime

    from ecowarehouse import db, registry, settings
    from ecowarehouse.alerts import store

    db.migrate()
    with db.connect() as conn:
        if args.action == "ack":
            if args.id is None:
                print("usage: ecowarehouse alerts ack ID", file=sys.stderr)
                return 2
            # acknowledging is a person's act at the command line: its time is the wall clock
            ok = store.acknowledge(conn, args.id, args.by or getpass.getuser(), datetime.now(settings.LOCAL_TZ))
            conn.commit()
            print(f"告警 {args.id} 已确认" if ok else f"告警 {args.id} 不存在或不是 open 状态")
            return 0 if ok else 1
        names = registry.counties()
        status = None if args.all else (args.status or "open")
        rows = store.listing(conn, status, args.county)
        for alert_id, st, severity, county, kind, title, first, last, sent in rows:
            print(f"{alert_id:>5} {st:<12} {severity:<7} {names.get(county, county):<6} {kind:<24} "
                  f"首次 {first:%Y-%m-%d} 最近 {last:%Y-%m-%d} 已发 {f'{sent:%Y-%m-%d}' if sent else '—':<10} {title}")
        print(f"{len(rows)} 条告警")
    return 0


def _cmd_demo(args) -> int:
    """Generate the demo landing folder (if needed) and run the latest demo month."""
    from ecowarehouse import demo

    return demo.run(args.latest_month)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="ecowarehouse", description="衢州市生态环境数据仓库")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("db-url", help="print a psql-ready connection string").set_defaults(func=_cmd_db_url)
    p = sub.add_parser("template", help="write a blank county form (.xlsx)")
    p.add_argument("template", choices=["all", "enterprise_ledger", "task_progress", "indicator_form", "ducha_list"])
    p.add_argument("--unit", default="XX县（市、区）", help="填报单位, e.g. 柯城区")
    p.add_argument("--period", default="", help="报告期, e.g. 2026年10月 or 2023年第3季度")
    p.add_argument("--programme", default=None, help="DZ2021 for the 达州 ledger layout")
    p.add_argument("--out", required=True, help="output .xlsx path")
    p.set_defaults(func=_cmd_template)
    p = sub.add_parser("db", help="embedded PostgreSQL: start | stop | status")
    p.add_argument("action", choices=["start", "stop", "status"])
    p.set_defaults(func=_cmd_db)
    sub.add_parser("migrate", help="create/upgrade the raw, quarantine and ops schemas").set_defaults(func=_cmd_migrate)
    p = sub.add_parser("ingest", help="ingest files or folders (each file's kind is detected from its content)")
    p.add_argument("paths", nargs="+")
    p.set_defaults(func=_cmd_ingest)
    p = sub.add_parser("run", help="run monthly_assessment for a month through Airflow")
    p.add_argument("period", help="YYYY-MM")
    p.add_argument("--full-refresh", action="store_true",
                   help="rebuild the incremental monitoring models from all history (after a standards seed changed)")
    p.set_defaults(func=_cmd_run)
    p = sub.add_parser("summary", help="print the summary of the latest run of a month")
    p.add_argument("period", help="YYYY-MM")
    p.set_defaults(func=_cmd_summary)
    p = sub.add_parser("docs", help="dbt docs generate + serve (Chinese descriptions, lineage, example questions)")
    p.add_argument("--port", type=int, default=int(os.environ.get("DOCS_PORT", "8080")))
    p.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1, this machine only)")
    p.add_argument("--no-serve", action="store_true", help="generate only")
    p.set_defaults(func=_cmd_docs)
    p = sub.add_parser("alerts", help="alerts to counties: list | ack ID")
    p.add_argument("action", nargs="?", default="list", choices=["list", "ack"])
    p.add_argument("id", nargs="?", type=int, help="alert id (ack)")
    p.add_argument("--status", choices=["open", "acknowledged", "resolved"], help="list: this status (default open)")
    p.add_argument("--all", action="store_true", help="list: every status")
    p.add_argument("--county", help="list: one county code, e.g. 330802")
    p.add_argument("--by", help="ack: who acknowledges (default: the login name)")
    p.set_defaults(func=_cmd_alerts)
    p = sub.add_parser("demo", help="generate demo data and run the latest demo month")
    p.add_argument("--latest-month", default=None)
    p.set_defaults(func=_cmd_demo)
    args = parser.parse_args(argv)
    from ecowarehouse import settings

    # everything below may start Airflow, dbt or GX: make sure nothing phones home
    os.environ.update(settings.OFFLINE_ENV)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
