"""The real queue of parts 3 and 4: Celery worker subprocesses on the bench queue, a poller that sees
documents become ready (LISTEN/NOTIFY, no CPU while the workers render), and a request sent as the
documents page sends it."""

from __future__ import annotations

import contextlib
import time
from datetime import date
from pathlib import Path

import psycopg
from benchlib import CeleryWorker, log, plain

from portal.extensions import db

from .common import REDIS_URL, SECRET_KEY, Bench, clock, rss_mb
from .setup import new_document


class Worker(CeleryWorker):
    """A real ``celery -A workers.celery_app worker`` subprocess on the bench queue (prefork pool)."""

    def __init__(self, name: str, concurrency: int, db_url: str, workdir: Path, queue: str):
        super().__init__(
            f"bench-{name}",
            db_url=db_url,
            workdir=workdir,
            redis_url=REDIS_URL,
            secret_key=SECRET_KEY,
            options=["--pool=prefork", f"--concurrency={concurrency}", "-Q", queue],
            processes=concurrency,
        )

    def rss(self) -> dict[str, float]:
        out = {"main": rss_mb(self.proc.pid)}
        for i, pid in enumerate(self.children()):
            with contextlib.suppress(OSError):
                out[f"child{i + 1}"] = rss_mb(pid)
        return out


class Poller:
    """Sees documents become ready without polling: a trigger in the bench database (not part of the
    portal's schema) sends NOTIFY on the commit that marks a document ready or failed, and a
    dedicated connection LISTENs. So the measuring process uses no CPU while the workers render."""

    CHANNEL = "bench_document_done"

    def __init__(self, db_url: str):
        self.conn = psycopg.connect(plain(db_url), autocommit=True)
        self.conn.execute("SET lock_timeout = '10s'")  # never wait forever behind an open transaction
        self.conn.execute(f"""
            CREATE OR REPLACE FUNCTION bench_document_done() RETURNS trigger AS $$
            BEGIN PERFORM pg_notify('{self.CHANNEL}', NEW.id || ':' || NEW.status); RETURN NEW; END
            $$ LANGUAGE plpgsql""")
        self.conn.execute("DROP TRIGGER IF EXISTS bench_document_done ON documents")
        self.conn.execute("""
            CREATE TRIGGER bench_document_done AFTER UPDATE OF status ON documents FOR EACH ROW
            WHEN (NEW.status IN ('ready', 'failed') AND OLD.status IS DISTINCT FROM NEW.status)
            EXECUTE FUNCTION bench_document_done()""")
        self.listener = psycopg.connect(plain(db_url), autocommit=True)
        self.listener.execute(f"LISTEN {self.CHANNEL}")

    def _pending(self, ids: set[int]) -> set[int]:
        rows = self.conn.execute(
            "SELECT id, status, error FROM documents WHERE id = ANY(%s)", (list(ids),)
        ).fetchall()
        failed = [(i, e) for i, status, e in rows if status == "failed"]
        if failed:
            raise SystemExit(f"documents failed to render: {failed[:3]}")
        return {i for i, status, _e in rows if status != "ready"}

    def wait(self, ids: list[int], timeout: float = 60) -> float:
        """Until every document of ``ids`` is ready; returns the perf_counter time the last one was seen."""
        pending = set(ids)
        deadline = time.monotonic() + timeout
        checked = time.monotonic()
        while pending:
            left = deadline - time.monotonic()
            if left <= 0:
                raise SystemExit(
                    f"timeout: {len(pending)} of {len(ids)} documents not ready after {timeout:.0f} s"
                )
            for note in self.listener.notifies(timeout=min(left, 1.0), stop_after=1):
                document_id, status = note.payload.split(":")
                if int(document_id) in pending:
                    if status == "failed":
                        self._pending(pending)  # raises with the error
                    pending.discard(int(document_id))
            if pending and time.monotonic() - checked > 2:  # belt and braces: never trust only the trigger
                pending = self._pending(pending)
                checked = time.monotonic()
        return clock()

    def wait_one(self, document_id: int, timeout: float = 60) -> float:
        return self.wait([document_id], timeout)

    def stamps(self, document_id: int) -> tuple[float, float]:
        """started_at (claimed) and finished_at (ready) of a document, as epoch seconds."""
        row = self.conn.execute(
            "SELECT extract(epoch FROM started_at), extract(epoch FROM finished_at) "
            "FROM documents WHERE id = %s",
            (document_id,),
        ).fetchone()
        return float(row[0]), float(row[1])

    def worker_times(self, ids: list[int]) -> list[float]:
        rows = self.conn.execute(
            "SELECT extract(epoch FROM finished_at - started_at) FROM documents WHERE id = ANY(%s)", (ids,)
        ).fetchall()
        return [float(r[0]) for r in rows]

    def close(self) -> None:
        self.listener.close()
        with contextlib.suppress(psycopg.Error):  # the bench database is dropped at the end anyway
            self.conn.execute("DROP TRIGGER IF EXISTS bench_document_done ON documents")
        self.conn.close()


def request_and_enqueue(on: date, marks: dict | None = None) -> int:
    """What the documents page does: request, commit, the task sent after the commit."""

    document = new_document("support_letter", on, send=True)
    if marks is not None:
        marks["requested"] = time.time()
    return document.id


@contextlib.contextmanager
def running(bench: Bench):
    """A poller and a warm one-process worker on the bench queue, shared by parts 3 and 4: yields
    (poller, worker); the worker is stopped after them (and by main whatever happens)."""
    db.session.commit()
    poller = Poller(bench.db_url)
    try:
        log("part 3: starting a worker (prefork, concurrency 1)")
        w1 = Worker("c1", 1, bench.db_url, bench.workdir, bench.queue)
        bench.workers.append(w1)
        w1.wait_ready()
        for _ in range(2):  # the worker's first jobs open its DB pool: not part of "warm"
            poller.wait_one(request_and_enqueue(bench.on))
        yield poller, w1
        w1.stop()
    finally:
        db.session.commit()
        poller.close()
