"""Where things live and how to reach the warehouse database.

One place decides the project root, the state folder (``.ecowarehouse/``), the landing folder and the
warehouse URL, so the CLI, the DAGs and the tests agree without passing paths around.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, unquote, urlsplit
from zoneinfo import ZoneInfo

PROJECT_ROOT = Path(os.environ.get("ECOWAREHOUSE_HOME", Path(__file__).resolve().parents[2]))


def state_dir() -> Path:
    """Gitignored folder holding the embedded PostgreSQL, Airflow metadata, archive and outbox."""
    d = Path(os.environ.get("ECOWAREHOUSE_STATE_DIR", PROJECT_ROOT / ".ecowarehouse"))
    d.mkdir(parents=True, exist_ok=True)
    return d


def landing_dir() -> Path:
    d = Path(os.environ.get("ECOWAREHOUSE_LANDING_DIR", state_dir() / "landing"))
    d.mkdir(parents=True, exist_ok=True)
    return d


def archive_dir() -> Path:
    d = state_dir() / "archive"
    d.mkdir(parents=True, exist_ok=True)
    return d


# The bureau's clock: due dates and "today" for submissions are read in China Standard Time.
LOCAL_TZ = ZoneInfo("Asia/Shanghai")

DBT_PROJECT_DIR = PROJECT_ROOT / "dbt_project"
EXPECTATIONS_DIR = PROJECT_ROOT / "expectations"
SEEDS_DIR = PROJECT_ROOT / "seeds"


@dataclass(frozen=True)
class DbParams:
    host: str
    port: int
    user: str
    password: str
    dbname: str

    @classmethod
    def from_url(cls, url: str) -> "DbParams":
        u = urlsplit(url.replace("postgresql+psycopg://", "postgresql://", 1))
        if u.scheme not in ("postgresql", "postgres"):
            raise ValueError(f"not a PostgreSQL URL: scheme {u.scheme!r}")
        return cls(
            host=u.hostname or "127.0.0.1",
            port=u.port or 5432,
            user=unquote(u.username or "postgres"),
            password=unquote(u.password or ""),
            dbname=(u.path or "/postgres").lstrip("/") or "postgres",
        )

    def url(self, driver: str = "postgresql") -> str:
        return (
            f"{driver}://{quote(self.user, safe='')}:{quote(self.password, safe='')}"
            f"@{self.host}:{self.port}/{quote(self.dbname, safe='')}"
        )

    def libpq_env(self) -> dict[str, str]:
        """Standard libpq variables; dbt's profiles.yml reads the same names."""
        return {
            "PGHOST": self.host,
            "PGPORT": str(self.port),
            "PGUSER": self.user,
            "PGPASSWORD": self.password,
            "PGDATABASE": self.dbname,
        }


def database_url() -> str:
    """The warehouse URL: ``DATABASE_URL`` if set, else the embedded server (started on demand)."""
    url = os.environ.get("DATABASE_URL")
    if url:
        return url
    from ecowarehouse import embedded_db

    return embedded_db.ensure_running().url()


def db_params() -> DbParams:
    return DbParams.from_url(database_url())


OFFLINE_ENV = {
    "AIRFLOW__COSMOS__ENABLE_TELEMETRY": "False",
    "DBT_SEND_ANONYMOUS_USAGE_STATS": "False",
    "DO_NOT_TRACK": "1",
    "GX_ANALYTICS_ENABLED": "False",
    "SCARF_ANALYTICS": "false",
    "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
}


def airflow_env() -> dict[str, str]:
    """Airflow's configuration for local runs; it must be in place before anything imports airflow."""
    airflow_home = Path(os.environ.get("AIRFLOW_HOME", state_dir() / "airflow"))
    airflow_home.mkdir(parents=True, exist_ok=True)
    env = dict(OFFLINE_ENV)
    env.update(
        {
            "AIRFLOW_HOME": str(airflow_home),
            "AIRFLOW__CORE__DAGS_FOLDER": str(PROJECT_ROOT / "dags"),
            "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN": os.environ.get(
                "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN", f"sqlite:///{airflow_home / 'airflow.db'}"
            ),
            "AIRFLOW__CORE__UNIT_TEST_MODE": os.environ.get("AIRFLOW__CORE__UNIT_TEST_MODE", "False"),
            "ECOWAREHOUSE_HOME": str(PROJECT_ROOT),
        }
    )
    return env


def runtime_env(params: DbParams | None = None) -> dict[str, str]:
    """Environment every process of a run needs: offline switches, Airflow's configuration, the database."""
    params = params or db_params()
    env = airflow_env()
    env.update(params.libpq_env())
    env["DATABASE_URL"] = params.url()
    return env


def apply_runtime_env(params: DbParams | None = None) -> dict[str, str]:
    env = runtime_env(params)
    os.environ.update(env)
    return env
