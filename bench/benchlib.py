"""What the benches share (bench/render_bench.py and its bench/render/ package, bench/portal_bench.py):
the log line, a database of their own created and dropped on the PostgreSQL server, and stopping a
process group they started. Both scripts run with bench/ first on sys.path, so ``import benchlib``."""

from __future__ import annotations

import os
import signal
import subprocess
import time

import psycopg
from sqlalchemy.engine import make_url


def log(msg: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {msg}", flush=True)


def plain(url: str) -> str:
    """A SQLAlchemy URL as libpq reads it."""
    return url.replace("+psycopg", "")


def admin_url(url: str) -> str:
    """The server's ``postgres`` database, from which the bench's own is created and dropped."""
    return plain(make_url(url).set(database="postgres").render_as_string(hide_password=False))


def create_database(url: str) -> None:
    name = make_url(url).database
    with psycopg.connect(admin_url(url), autocommit=True, connect_timeout=5) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def drop_database(url: str) -> None:
    with psycopg.connect(admin_url(url), autocommit=True, connect_timeout=5) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{make_url(url).database}" WITH (FORCE)')


def stop_group(proc: subprocess.Popen, timeout: float = 30) -> None:
    """SIGTERM, then SIGKILL to the whole group (started with start_new_session) after ``timeout`` s."""
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
