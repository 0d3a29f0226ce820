"""The quality gate: GX Core expectation suites from expectations/ run against the audit build.

Run directly from an Airflow task (the GX Airflow provider pins an old structlog and would downgrade Airflow).
A failing *blocking* suite raises ``GateFailed``; *warning* suites are recorded and reported but do not block.
"""
from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Iterable
from string import Template

from ecowarehouse import db, periods, settings


class GateFailed(Exception):
    pass


@dataclass
class CheckResult:
    suite: str
    check: str
    severity: str
    success: bool
    target: str
    observed: dict = field(default_factory=dict)


def load_suites(period: str, directory: Path | None = None, only: Iterable[str] | None = None) -> list[dict]:
    periods.validate(period)
    directory = directory or settings.EXPECTATIONS_DIR
    suites = []
    for path in sorted(directory.glob("*.json")):
        text = Template(path.read_text(encoding="utf-8")).safe_substitute(period=period)
        suite = json.loads(text)
        if only is not None and suite["name"] not in only:
            continue
        if suite.get("meta", {}).get("severity") not in ("blocking", "warning"):
            raise ValueError(f"{path.name}: meta.severity must be 'blocking' or 'warning'")
        suites.append(suite)
    return suites


def _gx_context():
    """An ephemeral context: the suites' source of truth is expectations/, so nothing GX would persist (datasources,
    suites, checkpoints) can go stale between runs; only the Data Docs site is written, to a folder of ours."""
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "False")
    import great_expectations as gx

    context = gx.get_context(mode="ephemeral")
    context.update_data_docs_site(
        site_name="local_site",
        site_config={
            "class_name": "SiteBuilder",
            "store_backend": {"class_name": "TupleFilesystemStoreBackend", "base_directory": str(data_docs_dir())},
            "site_index_builder": {"class_name": "DefaultSiteIndexBuilder"},
        },
    )
    return context


def run_suites(period: str, run_id: str, url: str | None = None, directory: Path | None = None,
               audit_schema: str = "marts_audit", only: Iterable[str] | None = None) -> list[CheckResult]:
    """Run every suite of ``directory`` (or the named ones, ``only``) and record the results under ``run_id``."""
    import great_expectations as gx

    url = url or settings.database_url()
    context = _gx_context()
    source = context.data_sources.add_postgres(
        name="warehouse", connection_string=url.replace("postgresql://", "postgresql+psycopg://", 1)
    )
    results: list[CheckResult] = []
    for suite_def in load_suites(period, directory, only):
        meta = suite_def["meta"]
        schema = meta["target"]["schema"].replace("marts_audit", audit_schema)
        table = meta["target"]["table"]
        asset_name = f"{schema}.{table}"
        asset = source.add_table_asset(name=f"{suite_def['name']}__{asset_name}", table_name=table, schema_name=schema)
        batch_def = asset.add_batch_definition_whole_table("whole_table")
        suite = context.suites.add(
            gx.ExpectationSuite(name=suite_def["name"], expectations=suite_def["expectations"], meta=meta)
        )
        vd = context.validation_definitions.add(
            gx.ValidationDefinition(name=f"{suite_def['name']}__{asset_name}", data=batch_def, suite=suite)
        )
        # Data Docs are built once after every suite has run (a site build per checkpoint cost ~2.5 s each)
        # COMPLETE: an unexpected_rows_expectation then returns the rows found (GX caps them at MAX_RESULT_RECORDS), so
        # ops.check_results says which station / outlet / indicator failed, not only how many
        checkpoint = context.checkpoints.add(gx.Checkpoint(
            name=f"gate__{suite_def['name']}", validation_definitions=[vd], result_format={"result_format": "COMPLETE"}))
        outcome = checkpoint.run(run_id=gx.RunIdentifier(run_name=f"{run_id}"))
        for vr in outcome.run_results.values():
            for er in vr.results:
                cfg = er.expectation_config
                observed = dict(er.result or {})
                errors = _exception_messages(er.exception_info)
                if errors:  # e.g. a query error: the check fails and says why
                    observed["exception"] = " | ".join(errors)[:2000]
                results.append(CheckResult(
                    suite=suite_def["name"],
                    check=(cfg.meta or {}).get("name") or cfg.type,
                    severity=meta["severity"],
                    success=bool(er.success),
                    target=asset_name,
                    observed=_trimmed(json.loads(json.dumps(observed, default=str))),
                ))
    context.build_data_docs(site_names=["local_site"])
    if only is None or FRESHNESS_SUITE in only:
        results.extend(source_freshness(period))
    _record(results, period, run_id, url)
    return results


FRESHNESS_SUITE = "source_freshness"
_PERIOD_HOURS = {"minute": 1 / 60, "hour": 1, "day": 24}


def _hours(criterion: dict | None) -> float | None:
    if not criterion or criterion.get("count") is None or criterion.get("period") is None:
        return None
    return criterion["count"] * _PERIOD_HOURS[criterion["period"]]


def _next_month_start(period: str) -> datetime:
    year, month = map(int, periods.validate(period).split("-"))
    return datetime(year + month // 12, month % 12 + 1, 1)


def freshness_at_period_end(max_loaded_at: datetime | None, period: str, criteria: dict) -> tuple[str, float | None]:
    """Status of one source as of the end of the assessed month: the age of its newest row at the first instant of
    the next month, judged by the source's own warn_after / error_after (dbt judges against now(), which cannot be
    moved; a re-run of an old month would otherwise always be 'error')."""
    if max_loaded_at is None:
        return "error", None  # no row at all: nothing delivered (NULL age, status says so)
    age_h = (_next_month_start(period) - max_loaded_at).total_seconds() / 3600
    error_h, warn_h = _hours(criteria.get("error_after")), _hours(criteria.get("warn_after"))
    if error_h is not None and age_h > error_h:
        return "error", age_h
    if warn_h is not None and age_h > warn_h:
        return "warn", age_h
    return "pass", age_h


def source_freshness(period: str, target_dir: Path | None = None) -> list[CheckResult]:
    """`dbt source freshness` for every source that declares it (dbt_project/models/staging/_sources.yml), read from
    the run's sources.json; each source is one *warning* check of suite ``source_freshness``. dbt's own status (against
    wall-clock now) is kept in ``observed``; success is judged as of the period end (see freshness_at_period_end)."""
    import subprocess

    from ecowarehouse.airflow_dbt import dbt_executable

    periods.validate(period)
    target_dir = target_dir or settings.state_dir() / "dbt-freshness-target"
    output = target_dir / "sources.json"
    output.unlink(missing_ok=True)
    proc = subprocess.run(
        [dbt_executable(), "source", "freshness", "--profiles-dir", str(settings.DBT_PROJECT_DIR),
         "--target-path", str(target_dir), "--output", str(output), "--quiet"],
        cwd=settings.DBT_PROJECT_DIR, env={**os.environ, **settings.OFFLINE_ENV}, capture_output=True, text=True,
    )  # exit code 1 when a source is stale: that is a result, not a failure of the check itself
    if not output.exists():
        raise RuntimeError(f"dbt source freshness wrote no results: {proc.stdout[-2000:]} {proc.stderr[-2000:]}")
    results = []
    for r in json.loads(output.read_text(encoding="utf-8"))["results"]:
        name = r["unique_id"].split(".", 2)[-1]  # source.<project>.<source>.<table> → <source>.<table>
        max_loaded_at = r.get("max_loaded_at")
        max_dt = datetime.fromisoformat(max_loaded_at).replace(tzinfo=None) if max_loaded_at else None
        if max_dt is not None and max_dt.year == 1:
            max_dt = None  # dbt reports an empty table as 0001-01-01
        status, age_h = freshness_at_period_end(max_dt, period, r.get("criteria") or {})
        results.append(CheckResult(
            suite=FRESHNESS_SUITE, check=name, severity="warning", success=status == "pass", target=name,
            observed={"status_at_period_end": status, "age_hours_at_period_end": None if age_h is None else round(age_h, 2),
                      "max_loaded_at": max_loaded_at, "criteria": r.get("criteria"),
                      "dbt_status_now": r.get("status"), "dbt_age_seconds_now": r.get("max_loaded_at_time_ago_in_s"),
                      "error": r.get("error") or r.get("message")},
        ))
    return results


def _exception_messages(info) -> list[str]:
    """Messages of the exceptions GX caught for one expectation (flat, or keyed by metric when a query failed)."""
    if not isinstance(info, dict):
        return []
    if "raised_exception" in info:
        return [str(info.get("exception_message"))] if info.get("raised_exception") else []
    return [m for v in info.values() for m in _exception_messages(v)]


def _trimmed(value, limit: int = 50):
    """Lists in a result (unexpected values, rows, indices) cut to their first ``limit`` items for ops.check_results."""
    if isinstance(value, dict):
        return {k: _trimmed(v, limit) for k, v in value.items()}
    if isinstance(value, list):
        return [_trimmed(v, limit) for v in value[:limit]]
    return value


def _record(results: list[CheckResult], period: str, run_id: str, url: str) -> None:
    with db.transaction(url) as conn:
        conn.execute("delete from ops.check_results where run_id = %s", (run_id,))  # a retried task replaces its rows
        with conn.cursor() as cur:
            cur.executemany(
                """insert into ops.check_results (run_id, period, suite_name, check_name, severity, success, target, observed)
                   values (%s, %s, %s, %s, %s, %s, %s, %s)""",
                [(run_id, period, r.suite, r.check, r.severity, r.success, r.target,
                  json.dumps(r.observed, ensure_ascii=False)) for r in results],
            )


def enforce(results: list[CheckResult]) -> dict:
    """Raise when a blocking check failed; otherwise return the counts for the publication record."""
    failed_blocking = [r for r in results if not r.success and r.severity == "blocking"]
    summary = {
        "passed": sum(r.success for r in results),
        "failed_warning": sum((not r.success) and r.severity == "warning" for r in results),
        "failed_blocking": len(failed_blocking),
    }
    if failed_blocking:
        names = ", ".join(f"{r.suite}.{r.check}" for r in failed_blocking)
        raise GateFailed(f"阻断性质量检查未通过，不发布：{names}")
    return summary


def data_docs_dir() -> Path:
    return settings.state_dir() / "gx_data_docs"


def data_docs_index() -> Path:
    return data_docs_dir() / "index.html"
