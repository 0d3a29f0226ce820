"""The dbt project as Airflow tasks (astronomer-cosmos), rendered from the manifest built at install time so that
parsing the DAG runs no dbt command and touches no database."""
from __future__ import annotations

import shutil
import sys
from pathlib import Path

from ecowarehouse.settings import DBT_PROJECT_DIR

MANIFEST = DBT_PROJECT_DIR / "target" / "manifest.json"


def dbt_executable() -> str:
    beside_python = Path(sys.executable).with_name("dbt")
    return str(beside_python) if beside_python.exists() else (shutil.which("dbt") or "dbt")


def _profile():
    from cosmos import ProfileConfig

    return ProfileConfig(
        profile_name="ecowarehouse", target_name="warehouse", profiles_yml_filepath=DBT_PROJECT_DIR / "profiles.yml"
    )


def reference_data_task(task_id: str = "load_reference_data"):
    """All seeds (reference data and standards tables) and their tests in one `dbt build` task."""
    from cosmos.operators.local import DbtBuildLocalOperator

    return DbtBuildLocalOperator(
        task_id=task_id,
        project_dir=DBT_PROJECT_DIR,
        profile_config=_profile(),
        dbt_executable_path=dbt_executable(),
        select=["resource_type:seed"],
        # seeds are small; rebuilding them lets a CSV gain a column without a manual migration
        full_refresh=True,
        # only the seeds' own tests: a relationships test from a mart to a seed runs after the mart is built, in the
        # audit build (eager selection would run it here, against a mart not built yet)
        dbt_cmd_flags=["--indirect-selection", "cautious"],
        install_deps=False,
    )


# The month being assessed, from the run's first task: county calendars, due dates and carry-forward are "as of" it.
PERIOD_VAR = {"period": "{{ ti.xcom_pull(task_ids='start_run') }}"}


def audit_build_group(group_id: str = "audit_build"):
    """Models, one task each, then all their dbt tests in one task (tests that span two nodes, e.g. relationships,
    need both built first); marts go into the audit schema (marts_audit). Seeds are loaded before, in one task."""
    from cosmos import DbtTaskGroup, ExecutionConfig, ProjectConfig, RenderConfig
    from cosmos.constants import ExecutionMode, LoadMode, TestBehavior

    return DbtTaskGroup(
        group_id=group_id,
        project_config=ProjectConfig(dbt_project_path=DBT_PROJECT_DIR, manifest_path=MANIFEST, install_dbt_deps=False),
        profile_config=_profile(),
        execution_config=ExecutionConfig(execution_mode=ExecutionMode.LOCAL, dbt_executable_path=dbt_executable()),
        render_config=RenderConfig(
            load_method=LoadMode.DBT_MANIFEST, test_behavior=TestBehavior.AFTER_ALL, exclude=["resource_type:seed"]
        ),
        # incremental monitoring models process only new batches; `full_refresh` (a DAG param) rebuilds history, e.g.
        # after a standards seed gained a version
        operator_args={"vars": PERIOD_VAR, "full_refresh": "{{ params.get('full_refresh', False) }}"},
    )
