"""What the benches share (bench/render_bench.py and its bench/render/ package, bench/portal_bench.py,
bench/book_bench.py): the log line, a database of their own created and dropped on the PostgreSQL
server, an app on it, a real Celery worker process, and stopping a process group they started. The
scripts run with bench/ first on sys.path, so ``import benchlib``."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import psycopg
from flask import Flask
from sqlalchemy.engine import make_url

from portal import create_app

ROOT = Path(__file__).resolve().parents[1]


def log(msg: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {msg}", flush=True)


def verdict(ok: bool) -> str:
    """How a bench prints whether a figure meets its target."""
    return "met" if ok else "NOT MET"


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


def database_exists(url: str) -> bool:
    with psycopg.connect(admin_url(url), autocommit=True, connect_timeout=5) as conn:
        found = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (make_url(url).database,))
        return found.fetchone() is not None


def drop_database(url: str) -> None:
    with psycopg.connect(admin_url(url), autocommit=True, connect_timeout=5) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{make_url(url).database}" WITH (FORCE)')


def bench_app(
    db_url: str, workdir: Path, secret_key: str, *, commands: bool = True, **overrides: object
) -> Flask:
    """An app on the bench's database and store (mail kept in memory, rate limits in the process);
    ``commands=False`` as a worker process builds it (no command line: no Flask-Migrate)."""
    return create_app(
        {
            "SECRET_KEY": secret_key,
            "SQLALCHEMY_DATABASE_URI": db_url,
            "MAIL_BACKEND": "locmem",
            "RATELIMIT_STORAGE_URI": "memory://",
            "INSTANCE_PATH": str(workdir / "instance"),
            "DOCUMENT_STORE": str(workdir / "documents"),
            **overrides,
        },
        commands=commands,
    )


def stop_group(proc: subprocess.Popen, timeout: float = 30) -> None:
    """SIGTERM, then SIGKILL to the whole group (started with start_new_session) after ``timeout`` s."""
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


class Background:
    """A process of a bench in its own process group, its output in ``log_path``: started, waited for
    until ``ready()`` (SystemExit with the log's tail when it exits or times out first), stopped."""

    name: str  # what the setup messages call it
    log_path: Path
    proc: subprocess.Popen

    def start(self, args: Sequence[str], env: dict[str, str]) -> None:
        with open(self.log_path, "wb") as out:
            self.proc = subprocess.Popen(
                args, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
            )

    def log_tail(self) -> str:
        return self.log_path.read_text(errors="replace")[-3000:]

    def wait_until(self, ready: Callable[[], bool], timeout: float, pause: float) -> None:
        deadline = time.monotonic() + timeout
        while True:
            if self.proc.poll() is not None:
                raise SystemExit(f"setup: {self.name} exited:\n" + self.log_tail())
            if ready():
                return
            if time.monotonic() > deadline:
                self.stop()
                raise SystemExit(f"setup: {self.name} did not start:\n" + self.log_tail())
            time.sleep(pause)

    def stop(self, timeout: float = 30) -> None:
        stop_group(self.proc, timeout)


class CeleryWorker(Background):
    """A real ``celery -A workers.celery_app worker`` subprocess (its own process group) on the bench's
    database and Redis; ``options`` choose the pool, the concurrency and the queue."""

    def __init__(
        self,
        name: str,
        *,
        db_url: str,
        workdir: Path,
        redis_url: str,
        secret_key: str,
        options: list[str],
        processes: int = 1,
    ):
        self.name, self.log_path = "the Celery worker", workdir / f"worker-{name}.log"
        self.processes = processes  # the pool's children wait_ready waits for (0: a solo pool)
        env = {
            **os.environ,
            "DATABASE_URL": db_url,
            "CELERY_BROKER_URL": redis_url,
            "CELERY_RESULT_BACKEND": redis_url,
            "DOCUMENT_STORE": str(workdir / "documents"),
            "SECRET_KEY": secret_key,
            "MAIL_BACKEND": "locmem",
            "PYTHONUNBUFFERED": "1",
        }
        env.pop("PORTAL_ENV", None)
        self.start(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "workers.celery_app",
                "worker",
                *options,
                "--loglevel=INFO",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
                "--hostname",
                f"{name}-{os.getpid()}@%h",
            ],
            env,
        )

    def wait_ready(self, timeout: float = 90) -> None:
        """Until it logs "ready." (consuming) and its pool's children exist; SystemExit with its log if not."""
        self.wait_until(
            lambda: b"ready." in self.log_path.read_bytes() and len(self.children()) >= self.processes,
            timeout,
            0.2,
        )

    def children(self) -> list[int]:
        try:
            with open(f"/proc/{self.proc.pid}/task/{self.proc.pid}/children") as f:
                return [int(p) for p in f.read().split()]
        except OSError:
            return []
