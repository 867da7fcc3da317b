"""The fault suite of the document pipeline, on real services: workers killed with SIGKILL (the pool's
child and the whole worker, 20 times), Redis stopped during requests and the beat schedule, and
PostgreSQL restarted under load. ``pytest -m faults`` runs it alone.

Everything here runs on a private PostgreSQL (initdb into a temporary directory, run as the
``postgres`` user) and a private redis-server, both on free ports, so stopping them never touches the
machine's shared servers. Workers and beat are real ``celery`` processes, each in its own process
group; they are stopped by their own pids at the end.
"""

from __future__ import annotations

import itertools
import os
import pwd
import re
import shutil
import signal
import subprocess
import tempfile
import time
from hashlib import sha256
from pathlib import Path

import pytest
from flask_migrate import upgrade
from sqlalchemy import func, select

from portal.documents import sections
from portal.extensions import db
from portal.models import AuditEvent, Document
from tests.conftest import ensure_database, make_test_app
from tests.fixtures.queue import celery_command, celery_settings, process_env, worker_command
from tests.portal.document_helpers import EMPLOYER_NAME, create_case, document_id_of, request_document
from tests.portal.test_documents_worker import free_port, start_redis, wait_for

pytestmark = [pytest.mark.faults, pytest.mark.postgres]

_SIGNERS = itertools.count(1)


def ask(client, case_id: int, kind: str):
    """A new document each time: the same request again gives the latest version back (nothing changed),
    so each request here is signed by another (invented) signatory."""
    return request_document(client, case_id, kind, signatory_name=f"Invented Signer {next(_SIGNERS)}")


PG_BIN = Path("/usr/local/bin")


# ------------------------------------------------------------------------ a private PostgreSQL
class PrivatePostgres:
    """A PostgreSQL cluster of our own (initdb), run as the unprivileged ``postgres`` user."""

    def __init__(self) -> None:
        self.port = free_port()
        self.dir = Path(tempfile.mkdtemp(prefix="imp-faults-pg-"))
        self.data = self.dir / "data"
        user = pwd.getpwnam("postgres")
        os.chown(self.dir, user.pw_uid, user.pw_gid)
        self._as_postgres(
            [
                str(PG_BIN / "initdb"),
                "-D",
                str(self.data),
                "-A",
                "trust",
                "-U",
                "postgres",
                "--no-sync",
                "-E",
                "UTF8",
            ]
        )

    def _as_postgres(self, command: list[str]) -> None:
        result = subprocess.run(
            ["runuser", "-u", "postgres", "--", *command], capture_output=True, text=True, check=False
        )
        if result.returncode != 0:
            pytest.fail(f"{command[0]} failed: {result.stdout[-2000:]}{result.stderr[-2000:]}", pytrace=False)

    def pg_ctl(self, *args: str) -> None:
        options = f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 -c fsync=off"
        self._as_postgres(
            [
                str(PG_BIN / "pg_ctl"),
                "-D",
                str(self.data),
                "-o",
                options,
                "-l",
                str(self.dir / "log"),
                "-w",
                *args,
            ]
        )

    def url(self, database: str) -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{database}"

    def remove(self) -> None:
        subprocess.run(
            [
                "runuser",
                "-u",
                "postgres",
                "--",
                str(PG_BIN / "pg_ctl"),
                "-D",
                str(self.data),
                "-m",
                "immediate",
                "stop",
            ],
            capture_output=True,
            check=False,
        )
        shutil.rmtree(self.dir, ignore_errors=True)


@pytest.fixture(scope="module")
def private_pg():
    server = PrivatePostgres()
    server.pg_ctl("start")
    yield server
    server.remove()


@pytest.fixture(scope="module")
def pg_url(private_pg, tmp_path_factory):
    """Overrides conftest's: the test database lives on the private server, migrated to head."""
    url = ensure_database(private_pg.url("imp_portal_faults"))
    app = make_test_app(url, tmp_path_factory.mktemp("faults-migrate"))
    with app.app_context():
        upgrade()
        db.engine.dispose()
    return url


@pytest.fixture(scope="module")
def private_redis(tmp_path_factory):
    """A redis-server of our own; ``restart()`` stops it and starts it again on the same port."""
    directory = tmp_path_factory.mktemp("faults-redis")

    class Server:
        port = free_port()
        proc = None

        def start(self):
            self.proc = start_redis(self.port, directory)

        def stop(self):
            self.proc.terminate()
            self.proc.wait(timeout=10)

    server = Server()
    server.start()
    yield server
    if server.proc.poll() is None:
        server.stop()


@pytest.fixture(scope="module")
def redis_url(private_redis):
    """Overrides conftest's: the private Redis."""
    return f"redis://127.0.0.1:{private_redis.port}/0"


# ------------------------------------------------------------------------ celery processes
class Processes:
    """Celery workers and beat started by a test, each in its own process group."""

    def __init__(self, tmp_path: Path, pg_url: str, broker: str, **env: str) -> None:
        self.tmp_path, self.started = tmp_path, []
        self.env = process_env(pg_url, broker, tmp_path / "documents", **env)

    def _spawn(self, name: str, command: list[str]) -> subprocess.Popen:
        log = self.tmp_path / f"{name}.log"
        with open(log, "ab") as out:
            proc = subprocess.Popen(
                command,
                env=self.env,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # its own process group: kill -9 of "the whole worker"
            )
        proc.name, proc.log_path = name, log
        self.started.append(proc)
        return proc

    def worker(self, name: str, pool: str = "prefork", wait: bool = True) -> subprocess.Popen:
        proc = self._spawn(name, worker_command(name, pool))
        if wait:
            self.wait_ready(proc)
        return proc

    def wait_ready(self, proc: subprocess.Popen) -> None:
        def ready():
            if proc.poll() is not None:
                pytest.fail(
                    f"{proc.name} exited:\n{proc.log_path.read_text(errors='replace')[-3000:]}", pytrace=False
                )
            return b"ready." in proc.log_path.read_bytes()

        wait_for(ready, 90, 0.1, f"{proc.name} to start")

    def beat(self) -> subprocess.Popen:
        schedule = str(self.tmp_path / "celerybeat-schedule")
        return self._spawn("beat", celery_command("beat", "--loglevel=INFO", "--schedule", schedule))

    def stop_all(self) -> None:
        # Signals go to a group only while its leader (our child, not yet reaped) is alive, so the
        # group id is certainly ours; a worker stops its pool's children itself on SIGTERM.
        for proc in self.started:
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGTERM)
        for proc in self.started:
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()


@pytest.fixture
def processes(app, pg_url, redis_url, tmp_path):
    """Depends on ``app`` so that the processes are stopped before its tables are truncated."""
    made = []

    def make(**env: str) -> Processes:
        group = Processes(tmp_path, pg_url, redis_url, **env)
        made.append(group)
        return group

    yield make
    for group in made:
        group.stop_all()


# ------------------------------------------------------------------------ helpers
def snapshot(app, document_id: int) -> Document:
    with app.app_context():
        document = db.session.get(Document, document_id)
        db.session.expunge_all()
        db.session.remove()
        return document


def ready_events(app, document_id: int) -> int:
    with app.app_context():
        events = db.session.scalar(
            select(func.count())
            .select_from(AuditEvent)
            .where(AuditEvent.action == "document.ready", AuditEvent.object_id == document_id)
        )
        db.session.remove()
        return events


def check_ready_once(app, document_id: int) -> Document:
    """Ready, its stored bytes match its hash, one ready event, and no other file of it in the store."""
    document = snapshot(app, document_id)
    assert document.status == "ready" and document.error is None, (document.status, document.error)
    store = Path(app.config["DOCUMENT_STORE"])
    data = (store / document.storage_path).read_bytes()
    assert sha256(data).hexdigest() == document.pdf_sha256 and len(data) == document.size_bytes
    assert data.startswith(b"%PDF-")
    assert ready_events(app, document_id) == 1
    folder = (store / document.storage_path).parent
    mine = sorted(p.name for p in folder.iterdir() if f"doc-{document_id}-" in p.name)
    assert mine == [Path(document.storage_path).name], mine
    return document


def store_files(app) -> set[str]:
    root = Path(app.config["DOCUMENT_STORE"])
    return {p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()}


def claimed_by(processes: Processes, document_id: int, after: dict[str, int]):
    """(worker, pid) whose log says it claimed the document (reading each log past ``after``)."""
    pattern = re.compile(rf"Document {document_id} claimed by process (\d+)".encode())
    for proc in processes.started:
        if proc.name == "beat":
            continue
        match = pattern.search(proc.log_path.read_bytes()[after.get(proc.name, 0) :])
        if match:
            return proc, int(match.group(1))
    return None


def log_sizes(processes: Processes) -> dict[str, int]:
    return {p.name: p.log_path.stat().st_size for p in processes.started if p.log_path.exists()}


def wait_status(app, document_id: int, statuses: set[str], timeout: float) -> Document:
    return wait_for(
        lambda: (d := snapshot(app, document_id)).status in statuses and d,
        timeout,
        0.05,
        f"document {document_id} to be {statuses}",
    )


# ------------------------------------------------------------------------ kill -9, 20 times
KILLS = 20
LEASE = 1.5  # seconds; the heartbeat renews it every 0.5 s
SWEEP = 0.5
HOLD = 0.5  # each render waits this long between writing its file and marking it ready


def test_kill_9_of_the_worker_child_and_of_the_whole_worker_20_times_each_document_ready_once(
    make_app, redis_url, processes, make_employer, login
):
    app = make_app(CELERY=celery_settings(redis_url), DOCUMENT_RENDER_LEASE_SECONDS=LEASE)
    client = app.test_client()
    login(client, make_employer(legal_name=EMPLOYER_NAME))
    case_id = create_case(app, client)
    group = processes(
        DOCUMENT_RENDER_LEASE_SECONDS=str(LEASE),
        DOCUMENT_SWEEP_SECONDS=str(SWEEP),
        DOCUMENT_RENDER_DELAY_SECONDS=str(HOLD),
    )
    workers = {"a": group.worker("worker-a"), "b": group.worker("worker-b")}
    beat = group.beat()

    recoveries, documents = [], []
    for n in range(KILLS):
        whole = n % 2 == 1  # alternately the pool's child and the whole worker (its process group)
        after_write = n % 4 in (2, 3)  # half of them between writing the file and marking it ready
        kind = "packet" if n % 5 == 4 else "support_letter"
        if whole:  # the worker restarted two kills ago is up, so another one can take over
            for proc in workers.values():
                group.wait_ready(proc)
        offsets = log_sizes(group)
        document_id = document_id_of(ask(client, case_id, kind))
        documents.append(document_id)
        found = wait_for(
            lambda d=document_id, o=offsets: claimed_by(group, d, o), 60, 0.02, f"a claim of {document_id}"
        )
        victim, pid = found
        if after_write:
            wait_for(
                lambda d=document_id: any(f"doc-{d}-" in f for f in store_files(app)),
                30,
                0.02,
                "the file to be written",
            )
        assert snapshot(app, document_id).status == "rendering"
        if whole:
            os.killpg(victim.pid, signal.SIGKILL)
            victim.wait(timeout=10)
        else:
            os.kill(pid, signal.SIGKILL)
        killed = time.monotonic()
        if whole:  # the orchestrator restarts it; meanwhile the other worker takes the document over
            slot = next(key for key, proc in workers.items() if proc is victim)
            workers[slot] = group.worker(f"worker-{slot}-{n}", wait=False)
        wait_status(app, document_id, {"ready", "failed"}, 30)
        recoveries.append(time.monotonic() - killed)
        document = check_ready_once(app, document_id)
        assert document.attempts >= 2, "the kill came after the render had finished"

    print(
        f"\n{KILLS} kill -9 ({KILLS // 2} of the pool's child, {KILLS // 2} of the whole worker), lease {LEASE} s, "
        f"sweep {SWEEP} s: recovery (kill -> ready) "
        + ", ".join(f"{r:.1f}" for r in recoveries)
        + f" s; max {max(recoveries):.1f} s, mean {sum(recoveries) / len(recoveries):.1f} s"
    )
    assert max(recoveries) < 30
    # Exactly the ready documents' files are in the store: no orphan, no temp file.
    rows = [check_ready_once(app, d) for d in documents]
    # Besides them, only whole cached sections of the packets (portal/documents/sections.py) and the
    # parts each case keeps (portal/documents/partcache.py), no temp file.
    files = store_files(app)
    cached = {f for f in files if f.startswith(f"{sections.CACHE_FOLDER}/") or "/parts/" in f}
    assert all(
        re.fullmatch(r"section-cache/obligations-[0-9a-f]{64}\.pdf", f)
        or re.fullmatch(r"org-\d+/case-\d+/parts/[0-9a-f]{64}\.part", f)
        for f in cached
    ), cached
    assert files - cached == {r.storage_path for r in rows}
    assert beat.poll() is None


def test_with_the_default_lease_and_sweep_a_killed_render_is_ready_again_within_30_s(
    make_app, redis_url, processes, make_employer, login
):
    app = make_app(CELERY=celery_settings(redis_url))
    assert app.config["DOCUMENT_RENDER_LEASE_SECONDS"] == 15
    assert app.config["CELERY"]["beat_schedule"]["documents-sweep"]["schedule"] == 5
    client = app.test_client()
    login(client, make_employer(legal_name=EMPLOYER_NAME))
    case_id = create_case(app, client)
    group = processes(DOCUMENT_RENDER_DELAY_SECONDS="1")
    group.worker("worker-default")
    group.beat()
    offsets = log_sizes(group)
    document_id = document_id_of(ask(client, case_id, "packet"))
    _victim, pid = wait_for(lambda d=document_id, o=offsets: claimed_by(group, d, o), 60, 0.02, "the claim")
    os.kill(pid, signal.SIGKILL)
    killed = time.monotonic()
    wait_status(app, document_id, {"ready", "failed"}, 40)
    recovery = time.monotonic() - killed
    print(f"\ndefault settings (lease 15 s, sweep 5 s): kill -9 -> ready in {recovery:.1f} s")
    assert recovery < 30
    assert check_ready_once(app, document_id).attempts == 2


# ------------------------------------------------------------------------ Redis and PostgreSQL outages
@pytest.fixture
def outage(make_app, redis_url, processes, make_employer, login):
    """(app, client, case_id, group): a signed-in client with a case, on an app whose Celery uses
    ``redis_url``, and the process group for its worker and beat (renders take 1 s, lease LEASE, sweep
    SWEEP). The worker commits its claims without waiting for the WAL flush
    (rendering._recoverable_commit): a crash can undo a claim, leaving the document queued with its
    task consumed; the sweep sends such a document again after DOCUMENT_QUEUED_GRACE_SECONDS (60 s by
    default, 3 s here)."""
    app = make_app(
        CELERY=celery_settings(redis_url),
        DOCUMENT_RENDER_LEASE_SECONDS=LEASE,
        DOCUMENT_QUEUED_GRACE_SECONDS=3,
    )
    client = app.test_client()
    login(client, make_employer(legal_name=EMPLOYER_NAME))
    group = processes(
        DOCUMENT_RENDER_LEASE_SECONDS=str(LEASE),
        DOCUMENT_SWEEP_SECONDS=str(SWEEP),
        DOCUMENT_QUEUED_GRACE_SECONDS="3",
        DOCUMENT_RENDER_DELAY_SECONDS="1",
    )
    return app, client, create_case(app, client), group


def test_redis_stopped_during_document_requests_and_the_beat_schedule_loses_nothing(private_redis, outage):
    app, client, case_id, group = outage
    worker = group.worker("worker-redis", pool="solo")
    beat = group.beat()
    wait_for(lambda: b"documents.sweep" in worker.log_path.read_bytes(), 30, 0.1, "beat's first sweep")

    # One document is rendering and one is waiting in Redis when Redis goes away (without persistence:
    # its messages are lost); three more are requested while it is down.
    before = [document_id_of(ask(client, case_id, kind)) for kind in ("support_letter", "packet")]
    wait_status(app, before[0], {"rendering"}, 30)
    private_redis.stop()
    during, timings = [], []
    token = client.csrf_token()
    for kind in ("support_letter", "packet", "support_letter"):
        started = time.monotonic()
        response = client.post(
            f"/cases/{case_id}/documents",
            data={
                "csrf_token": token,
                "kind": kind,
                "language": "en",
                "signatory_name": f"Invented Signer {next(_SIGNERS)}",
            },
        )
        timings.append(time.monotonic() - started)
        during.append(document_id_of(response))
    assert all(snapshot(app, d).status == "queued" for d in during)
    time.sleep(2)  # beat ticks (every 0.5 s) while Redis is down
    assert worker.poll() is None and beat.poll() is None
    beat_log_size = beat.log_path.stat().st_size
    private_redis.start()

    for document_id in before + during:
        wait_status(app, document_id, {"ready", "failed"}, 60)
        check_ready_once(app, document_id)
    print(
        "\nRedis down: requests answered in "
        + ", ".join(f"{t * 1000:.0f}" for t in timings)
        + " ms; all 5 documents ready after it came back"
    )
    assert max(timings) < 0.5
    assert worker.poll() is None and beat.poll() is None, "worker and beat recover without a restart"
    assert b"Sending due task documents-sweep" in beat.log_path.read_bytes()[beat_log_size:]


def test_postgresql_restarted_under_load_the_portal_recovers_without_a_restart_and_loses_nothing(
    private_pg, outage
):
    # A crash can undo a worker's claim; the sweep sends that document again (the outage fixture).
    app, client, case_id, group = outage
    worker = group.worker("worker-pg")
    beat = group.beat()
    requested = [
        document_id_of(ask(client, case_id, kind))
        for kind in ("packet", "support_letter", "packet", "support_letter")
    ]
    # A render in flight, whichever: the first may be ready before the fourth request is made (renders
    # hold 1 s, and four requests on a loaded machine took 3 s in CI: the test then waited for the first to
    # be rendering, which it no longer was). Up to 60 s for the worker's first claim, as a cold Celery
    # worker on a loaded 2-core machine can take more than 30 s to start (seen once in CI while a browser
    # ran beside it).
    wait_for(
        lambda: any(snapshot(app, d).status == "rendering" for d in requested),
        60,
        0.05,
        "one of the documents to be rendering",
    )
    private_pg.pg_ctl("-m", "immediate", "restart")  # a crash and recovery while renders are in flight
    # The same app (its connection pool) and the same worker and beat go on.
    requested += [document_id_of(ask(client, case_id, "support_letter")) for _ in range(2)]
    for document_id in requested:
        wait_status(app, document_id, {"ready", "failed"}, 60)
        check_ready_once(app, document_id)
    assert worker.poll() is None and beat.poll() is None
    print(
        f"\nPostgreSQL restarted (immediate) under load: {len(requested)} of {len(requested)} documents ready once"
    )
