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


def audit_build_group(group_id: str = "audit_build"):
    """Seeds and models, one task each, then all dbt tests in one task (tests that span two nodes, e.g. relationships,
    need both built first), into the audit schema (marts_audit)."""
    from cosmos import DbtTaskGroup, ExecutionConfig, ProfileConfig, ProjectConfig, RenderConfig
    from cosmos.constants import ExecutionMode, LoadMode, TestBehavior

    return DbtTaskGroup(
        group_id=group_id,
        project_config=ProjectConfig(dbt_project_path=DBT_PROJECT_DIR, manifest_path=MANIFEST, install_dbt_deps=False),
        profile_config=ProfileConfig(
            profile_name="ecowarehouse", target_name="warehouse", profiles_yml_filepath=DBT_PROJECT_DIR / "profiles.yml"
        ),
        execution_config=ExecutionConfig(execution_mode=ExecutionMode.LOCAL, dbt_executable_path=dbt_executable()),
        render_config=RenderConfig(load_method=LoadMode.DBT_MANIFEST, test_behavior=TestBehavior.AFTER_ALL),
    )
