"""The embedded server's lifecycle: restart after a stop, and recovery from a stale postmaster.pid."""
import os

import psycopg
import pytest

from ecowarehouse import embedded_db


@pytest.mark.skipif(bool(os.environ.get("DATABASE_URL")), reason="DATABASE_URL points at a server we do not manage")
def test_stale_pid_file_is_recovered(warehouse):
    assert embedded_db.is_running()
    assert embedded_db.stop() is True
    assert embedded_db.is_running() is False
    pidfile = embedded_db._paths()["pgdata"] / "postmaster.pid"
    # a server killed without cleanup leaves its pid file behind; pick a pid that is certainly not running
    pidfile.write_text("999999\n" + "\n" * 7)
    params = embedded_db.ensure_running()
    assert params.port == warehouse.port
    with psycopg.connect(params.url()) as conn:
        assert conn.execute("select 1").fetchone() == (1,)
    # the server listens on loopback TCP only
    with psycopg.connect(params.url()) as conn:
        assert conn.execute("show listen_addresses").fetchone() == ("127.0.0.1",)
