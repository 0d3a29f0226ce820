"""The quality gate: GX Core expectation suites from expectations/ run against the audit build.

Run directly from an Airflow task (the GX Airflow provider pins an old structlog and would downgrade Airflow).
A failing *blocking* suite raises ``GateFailed``; *warning* suites are recorded and reported but do not block.
"""
from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
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
        checkpoint = context.checkpoints.add(gx.Checkpoint(name=f"gate__{suite_def['name']}", validation_definitions=[vd]))
        outcome = checkpoint.run(run_id=gx.RunIdentifier(run_name=f"{run_id}"))
        for vr in outcome.run_results.values():
            for er in vr.results:
                cfg = er.expectation_config
                observed = er.result or {}
                results.append(CheckResult(
                    suite=suite_def["name"],
                    check=(cfg.meta or {}).get("name") or cfg.type,
                    severity=meta["severity"],
                    success=bool(er.success),
                    target=asset_name,
                    observed=json.loads(json.dumps(observed, default=str)),
                ))
    context.build_data_docs(site_names=["local_site"])
    _record(results, period, run_id, url)
    return results


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
