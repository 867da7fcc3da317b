"""Document-rendering benchmark (prints figures as ratios measured in one run; not a timed test).

    .venv/bin/python bench/render_bench.py            # full run (6 to 10 minutes on 2 cores)
    .venv/bin/python bench/render_bench.py --quick    # smoke run (small numbers)

Needs PostgreSQL (127.0.0.1:5432, user postgres, trust) and Redis (127.0.0.1:6379). The script
creates its own database (imp_portal_bench_<pid>, dropped at the end), its own DOCUMENT_STORE
temp dir and its own Celery queue on Redis database 14 (removed at the end), enters worked case 02
(T37) through the portal's services, then measures:

1. warm render median of the support letter and of the packet body (``pdf.renderer().render``
   in a process set up like a worker's: ``warm_renderer``, i.e. warm-up then ``gc.freeze``) against
   the naive baseline (``pdf.naive_render``: new WeasyPrint objects every time, automatic garbage
   collection), same HTML, renders interleaved.          Targets: letter <= 0.85x, packet <= 0.9x.
   The warm renderer also collects a render's garbage in one pass at its end (see
   ``pdf._one_collection_per_render``); a second interleaved run prints what object reuse alone
   gives (the warm objects, automatic collection).
   Also the warm letter's render time called from 0 to 60 extra Python frames deep: before 3.13,
   CPython frees a frame-stack chunk as soon as the call that opened it returns, so a render that
   keeps crossing a chunk boundary was up to 25 % slower depending only on the caller's depth (see
   ``pdf.ROOMY_STACK_SLOTS``); the spread printed should stay within the machine's noise.
2. packet build time (``assembly.build_pdf``) without and with a ready support letter of the same
   snapshot, and that the real render of the packet sets ``reused_letter_id``.
3. request-to-ready time of one letter (request_document + commit + enqueue -> status ready in
   PostgreSQL) through Redis and a warm ``celery worker``, against the bare render time of the same
   letter (in-process warm Renderer).                   Target: <= 1.3x.
4. N letters (--letters, 200) requested at once (rows committed first, then all tasks sent): time
   from the first send until all are ready, with a worker of two processes (--pool=prefork
   --concurrency=2) against one process (--concurrency=1); --rounds bursts each, in the order
   1, 2, 2, 1 (both workers stay up on their own queues, so load drift hits both alike).
                                                         Target: <= 0.6x.
5. RSS of a rendering process (a fresh subprocess: app + warm Renderer, letters built with
   ``assembly.build_pdf`` from snapshots whose text varies) over --rss-docs documents after a
   warm-up of --rss-warmup.                             Targets: <= 160 MB, growth < 10 MB.
   For contrast it also measures the naive renderer's growth over --naive-rss-docs renders, and
   prints the RSS of the real worker processes after part 4.
6. the approval of a packet (``approval.approved_copy``: approval page, merge, PAdES signature,
   atomic write) and the signature alone (``signing.sign``), medians.  Target: signature <= 50 ms.

Exits 0 whatever the figures (it is a report); non-zero only when the setup itself fails.
"""

from __future__ import annotations

import argparse
import contextlib
import copy
import gc
import importlib.util
import json
import os
import resource
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, date, datetime
from pathlib import Path
from unittest import mock

import psycopg
import redis
import yaml
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from flask_babel import force_locale
from flask_migrate import upgrade
from sqlalchemy.engine import make_url

from portal import create_app
from portal.documents import approval, assembly, content, pdf, rendering, requests, signing, store
from portal.extensions import db
from portal.models import Case, Document, Organization, User
from workers.tasks.documents import render_document, send_render, warm_renderer
from workers.tasks.documents import render_document as render_task

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

PG_SERVER = os.environ.get("BENCH_PG_SERVER", "postgresql+psycopg://postgres@127.0.0.1:5432")
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/14")
SECRET_KEY = "bench-secret-key-that-is-long-enough-0123456789"
CASE = ROOT / "tests" / "rules" / "cases" / "case02-us-executive.yaml"

clock = time.perf_counter


def log(msg: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {msg}", flush=True)


def rss_mb(pid: int | str = "self") -> float:
    """VmRSS of a process in MB (from /proc; psutil is not a dependency)."""
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def median_ms(samples: list[float]) -> float:
    return statistics.median(samples) * 1000


# ----------------------------------------------------------------------------------- setup
def plain(url: str) -> str:
    return url.replace("+psycopg", "")


def create_database(url: str) -> None:
    parsed = make_url(url)
    admin = plain(parsed.set(database="postgres").render_as_string(hide_password=False))
    with psycopg.connect(admin, autocommit=True, connect_timeout=5) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{parsed.database}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{parsed.database}"')


def drop_database(url: str) -> None:
    parsed = make_url(url)
    admin = plain(parsed.set(database="postgres").render_as_string(hide_password=False))
    with psycopg.connect(admin, autocommit=True, connect_timeout=5) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{parsed.database}" WITH (FORCE)')


def make_app(db_url: str, workdir: Path, queue: str | None = None):
    config = {
        "TESTING": True,
        "SECRET_KEY": SECRET_KEY,
        "SQLALCHEMY_DATABASE_URI": db_url,
        "MAIL_BACKEND": "locmem",
        "RATELIMIT_STORAGE_URI": "memory://",
        "INSTANCE_PATH": str(workdir / "instance"),
        "DOCUMENT_STORE": str(workdir / "documents"),
        "SERVER_NAME": None,
    }
    if queue:
        config["CELERY"] = {
            "broker_url": REDIS_URL,
            "result_backend": REDIS_URL,
            "task_always_eager": False,
            "task_default_queue": queue,
        }
    return create_app(config)


def compile_translations() -> None:
    for po in ROOT.glob("portal/translations/*/LC_MESSAGES/messages.po"):
        mo = po.with_suffix(".mo")
        if not mo.exists() or mo.stat().st_mtime < po.stat().st_mtime:
            with po.open("rb") as src, mo.open("wb") as dst:
                write_mo(dst, read_po(src))


def enter_case02(app):
    """Worked case 02 entered through the services (tests/portal/test_worked_cases.py ``enter``)."""

    spec = importlib.util.spec_from_file_location(
        "_worked_cases", ROOT / "tests" / "portal" / "test_worked_cases.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    data = yaml.safe_load(CASE.read_text(encoding="utf-8"))
    outcome, _snapshot, on = module.enter(app, data)
    if outcome["recommended"] != "T37":
        raise SystemExit(f"setup: case 02 recommends {outcome['recommended']}, expected T37")
    return on


def case_and_people(app):
    case = db.session.query(Case).one()
    org = db.session.get(Organization, case.organization_id)
    user = db.session.query(User).order_by(User.id).first()
    return case, org, user


def new_document(kind: str, on: date, **kwargs):
    case, org, user = case_and_people(None)
    document = requests.request_document(case, org, kind=kind, lang="en", actor=user, on=on, **kwargs)
    db.session.commit()
    return document


# ----------------------------------------------------------------------------------- workers
class Worker:
    """A real ``celery -A workers.celery_app worker`` subprocess on the bench queue."""

    def __init__(self, name: str, concurrency: int, db_url: str, workdir: Path, queue: str):
        self.log_path = workdir / f"worker-{name}.log"
        env = {
            **os.environ,
            "DATABASE_URL": db_url,
            "CELERY_BROKER_URL": REDIS_URL,
            "CELERY_RESULT_BACKEND": REDIS_URL,
            "DOCUMENT_STORE": str(workdir / "documents"),
            "SECRET_KEY": SECRET_KEY,
            "MAIL_BACKEND": "locmem",
            "PYTHONUNBUFFERED": "1",
        }
        env.pop("PORTAL_ENV", None)
        with open(self.log_path, "wb") as out:
            self.proc = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "celery",
                    "-A",
                    "workers.celery_app",
                    "worker",
                    "--pool=prefork",
                    f"--concurrency={concurrency}",
                    "--loglevel=INFO",
                    "--without-gossip",
                    "--without-mingle",
                    "--without-heartbeat",
                    "-Q",
                    queue,
                    "--hostname",
                    f"bench-{name}-{os.getpid()}@%h",
                ],
                cwd=ROOT,
                env=env,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        self.concurrency = concurrency

    def wait_ready(self, timeout: float = 90) -> None:
        # "ready." (INFO) once consuming; the pool's children must exist too.
        deadline = time.monotonic() + timeout
        while True:
            if self.proc.poll() is not None:
                raise SystemExit(
                    "setup: the Celery worker exited:\n" + self.log_path.read_text(errors="replace")[-3000:]
                )
            if b"ready." in self.log_path.read_bytes() and len(self.children()) >= self.concurrency:
                return
            if time.monotonic() > deadline:
                self.stop()
                raise SystemExit(
                    "setup: the Celery worker did not start:\n"
                    + self.log_path.read_text(errors="replace")[-3000:]
                )
            time.sleep(0.2)

    def children(self) -> list[int]:
        try:
            with open(f"/proc/{self.proc.pid}/task/{self.proc.pid}/children") as f:
                return [int(p) for p in f.read().split()]
        except OSError:
            return []

    def rss(self) -> dict[str, float]:
        out = {"main": rss_mb(self.proc.pid)}
        for i, pid in enumerate(self.children()):
            with contextlib.suppress(OSError):
                out[f"child{i + 1}"] = rss_mb(pid)
        return out

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()


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
    """What the documents page does: request (commit), then send the task (send_render)."""

    document = new_document("support_letter", on)
    if marks is not None:
        marks["requested"] = time.time()
    send_render([document.id])
    if marks is not None:
        marks["enqueued"] = time.time()
    return document.id


# ----------------------------------------------------------------------------------- RSS child
def rss_child(args) -> None:
    """Runs in a fresh process: the RSS of a process that renders letters with the warm Renderer."""

    app = make_app(args.db_url, Path(args.workdir))
    result: dict = {}
    with app.app_context():
        template = db.session.get(Document, args.document_id)
        snapshot, language, kind = template.snapshot, template.language, template.kind
        db.session.remove()
        db.engine.dispose()

        def letter(i: int):
            s = copy.deepcopy(snapshot)
            s["letter"]["worker"]["family_name"] = f"Bench{i:05d}"
            s["letter"]["position"]["title"] = f"Vice-President, Operations Canada #{i}"
            return Document(kind=kind, language=language, snapshot=s)

        if args.child_mode == "warm":
            result["rss_start"] = rss_mb()
            pdf.renderer().warm_up()  # what worker_process_init does
            for i in range(args.rss_warmup):
                assembly.build_pdf(letter(i))
            gc.collect()
            samples = [rss_mb()]
            t0 = clock()
            for i in range(args.rss_docs):
                assembly.build_pdf(letter(args.rss_warmup + i))
                if (i + 1) % 10 == 0:
                    samples.append(rss_mb())
            result["seconds"] = clock() - t0
        else:  # naive: same letters, new WeasyPrint objects each time

            def html(i):
                return assembly.render_html(
                    "documents/support_letter.html",
                    language,
                    content.letter_context(letter(i).snapshot["letter"]),
                )

            for i in range(args.rss_warmup):
                pdf.naive_render(html(i))
            gc.collect()
            samples = [rss_mb()]
            t0 = clock()
            for i in range(args.rss_docs):
                pdf.naive_render(html(args.rss_warmup + i))
                if (i + 1) % 10 == 0:
                    samples.append(rss_mb())
            result["seconds"] = clock() - t0
    result.update(samples=samples, after_warmup=samples[0], peak=max(samples), end=samples[-1])
    print("RSS-RESULT " + json.dumps(result), flush=True)


def run_rss_child(mode: str, docs: int, warmup: int, db_url: str, workdir: Path, document_id: int) -> dict:
    cmd = [
        sys.executable,
        str(Path(__file__).resolve()),
        "--_rss-child",
        mode,
        "--db-url",
        db_url,
        "--workdir",
        str(workdir),
        "--document-id",
        str(document_id),
        "--rss-docs",
        str(docs),
        "--rss-warmup",
        str(warmup),
    ]
    proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=3600, check=False)
    for line in proc.stdout.splitlines():
        if line.startswith("RSS-RESULT "):
            return json.loads(line[len("RSS-RESULT ") :])
    raise SystemExit(
        f"RSS subprocess failed ({proc.returncode}):\n{proc.stdout[-2000:]}\n{proc.stderr[-3000:]}"
    )


def growth(samples: list[float]) -> float:
    """End minus start, each the median of a few samples (RSS moves by a few pages either way)."""
    k = max(1, min(5, len(samples) // 10))
    return statistics.median(samples[-k:]) - statistics.median(samples[:k])


# ----------------------------------------------------------------------------------- main
def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--quick", action="store_true", help="smoke run: small numbers")
    ap.add_argument("--repeat", type=int, default=21, help="renders per variant in parts 1-2 (default 21)")
    ap.add_argument(
        "--requests", type=int, default=20, help="sequential letter requests in part 3 (default 20)"
    )
    ap.add_argument(
        "--letters", type=int, default=200, help="letters requested at once in part 4 (default 200)"
    )
    ap.add_argument(
        "--rounds",
        type=int,
        default=2,
        help="bursts per worker size in part 4, in the order 1,2,2,1 (default 2)",
    )
    ap.add_argument("--rss-docs", type=int, default=1000, help="documents rendered in part 5 (default 1000)")
    ap.add_argument(
        "--rss-warmup", type=int, default=50, help="untimed documents before RSS sampling (default 50)"
    )
    ap.add_argument(
        "--naive-rss-docs", type=int, default=100, help="naive renders for the growth contrast (0: skip)"
    )
    ap.add_argument(
        "--parts",
        default="1,2,3,4,5,6",
        help="which parts to run, comma-separated (default 1,2,3,4,5,6; e.g. --parts 3)",
    )
    ap.add_argument("--keep", action="store_true", help="keep the database and the temp dir")
    # internal: the RSS subprocess
    ap.add_argument("--_rss-child", dest="child_mode", choices=["warm", "naive"], help=argparse.SUPPRESS)
    ap.add_argument("--db-url", help=argparse.SUPPRESS)
    ap.add_argument("--workdir", help=argparse.SUPPRESS)
    ap.add_argument("--document-id", type=int, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child_mode:
        rss_child(args)
        return 0
    try:
        args.parts = {int(p) for p in args.parts.split(",") if p.strip()}
    except ValueError:
        ap.error("--parts takes numbers from 1 to 6, e.g. --parts 1,3")
    if not args.parts or not args.parts <= {1, 2, 3, 4, 5, 6}:
        ap.error("--parts takes numbers from 1 to 6, e.g. --parts 1,3")
    if args.quick:
        args.repeat, args.requests, args.letters, args.rounds = 3, 3, 10, 1
        args.rss_docs, args.rss_warmup, args.naive_rss_docs = 30, 5, 10

    started = clock()
    db_url = f"{PG_SERVER}/imp_portal_bench_{os.getpid()}"
    workdir = Path(tempfile.mkdtemp(prefix="imp-render-bench-"))
    queue = f"bench-render-{os.getpid()}"
    results: list[tuple[str, str, str, bool | None]] = []
    workers: list[Worker] = []
    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=3).ping()
        compile_translations()
        log(f"database {db_url.rsplit('/', 1)[1]}, store {workdir}, queue {queue}")
        create_database(db_url)
        app = make_app(db_url, workdir, queue)

        with app.app_context():
            upgrade()
        on = enter_case02(app)
        with app.app_context():
            run_parts(app, args, on, db_url, workdir, queue, results, workers)
    finally:
        for w in workers:
            w.stop()
        try:
            client = redis.Redis.from_url(REDIS_URL)
            for name in (queue, queue + "-c2"):  # the queues and kombu's bindings of them
                client.delete(name, *client.keys(f"_kombu.binding*.{name}"))
        except Exception as exc:  # noqa: BLE001 - best effort
            print(f"could not remove the bench queue: {exc}", file=sys.stderr)
        if not args.keep:
            try:
                if "app" in locals():
                    with app.app_context():
                        db.session.remove()
                        db.engine.dispose()
                drop_database(db_url)
            except Exception as exc:  # noqa: BLE001
                print(f"could not drop the bench database: {exc}", file=sys.stderr)
            shutil.rmtree(workdir, ignore_errors=True)
        else:
            print(f"kept: {db_url} and {workdir}")

    print()
    print(
        f"IMP Portal render benchmark — WeasyPrint {__import__('weasyprint').__version__}, "
        f"{os.cpu_count()} CPUs, {'quick' if args.quick else 'full'} run, {clock() - started:.0f} s"
    )
    w1 = max(len(r[0]) for r in results)
    w2 = max(len(r[1]) for r in results)
    w3 = max(len(r[2]) for r in results)
    line = f"{'measure':<{w1}}  {'value':<{w2}}  {'target':<{w3}}  result"
    print(line)
    print("-" * len(line))
    for measure, value, target, ok in results:
        verdict = "" if ok is None else ("PASS" if ok else "FAIL")
        print(f"{measure:<{w1}}  {value:<{w2}}  {target:<{w3}}  {verdict}")
    return 0


def run_parts(app, args, on, db_url, workdir, queue, results, workers) -> None:
    def add(measure, value, target="", ok=None):
        results.append((measure, value, target, ok))
        log(f"{measure}: {value} {target} {'' if ok is None else ('PASS' if ok else 'FAIL')}")

    # ------------------------------------------------------------------ 1. warm vs naive
    letter_doc = new_document("support_letter", on)
    snapshot = letter_doc.snapshot
    letter_html = assembly.render_html(
        "documents/support_letter.html", "en", content.letter_context(snapshot["letter"])
    )
    renderer = pdf.renderer()
    t0 = clock()
    renderer.warm_up()
    add("renderer warm-up (once per process)", f"{(clock() - t0) * 1000:.0f} ms")
    _letter_pdf, letter_pages = renderer.render(letter_html)
    packet_doc = new_document("packet", on)
    with force_locale("en"):
        packet_context = content.packet_context(packet_doc.snapshot, letter_pages=letter_pages, evidence=[])
    packet_html = assembly.render_html("documents/packet.html", "en", packet_context)
    for html in (letter_html, packet_html):  # untimed: imports and first-use caches of both paths
        pdf.naive_render(html)
        renderer.render(html)

    warm_renderer()  # as in a worker process: warmed, then its long-lived objects frozen (gc.freeze)

    def warm_auto_gc(html):
        # The warm renderer without its one collection per render: what object reuse alone gives.
        with mock.patch.object(pdf, "_one_collection_per_render", contextlib.nullcontext):
            return renderer.render(html)

    def interleaved(fa, fb, html) -> tuple[float, float]:
        """Medians of fa and fb run alternately (each first half the time). Only two variants at a time:
        a variant that leaves its garbage to the automatic collector would make the others free it."""
        a, b = [], []
        for i in range(args.repeat):
            order = ((a, fa), (b, fb))
            for samples, fn in order if i % 2 == 0 else order[::-1]:
                t = clock()
                fn(html)
                samples.append(clock() - t)
        return statistics.median(a), statistics.median(b)

    def compare(name, html, target):
        naive, warm = interleaved(pdf.naive_render, renderer.render, html)
        add(f"1. {name}: naive render median", f"{naive * 1000:.1f} ms")
        add(f"1. {name}: warm render median", f"{warm * 1000:.1f} ms")
        add(f"1. {name}: warm / naive", f"{warm / naive:.2f}x", f"<= {target}x", warm / naive <= target)

    def reuse_alone(name, html):
        naive, auto = interleaved(pdf.naive_render, warm_auto_gc, html)
        add(
            f"1. {name}, object reuse alone (warm objects, automatic collection) / naive",
            f"{auto / naive:.2f}x",
        )

    if 1 in args.parts:
        log(f"part 1: {args.repeat} interleaved naive/warm renders of the letter and of the packet")
        compare("letter", letter_html, 0.85)
        compare("packet", packet_html, 0.9)
        depth_spread(renderer, letter_html, add)
        # Last: garbage left to the automatic collector changes the heap that the figures above saw.
        reuse_alone("letter", letter_html)
        reuse_alone("packet", packet_html)
    if 2 in args.parts:
        part2(args, on, letter_doc, add)
    if 3 in args.parts or 4 in args.parts:
        parts3_4(args, on, db_url, workdir, queue, workers, add, renderer, letter_html)
    if 5 in args.parts:
        part5(args, db_url, workdir, letter_doc.id, add)
    if 6 in args.parts:
        part6(args, on, add)


def part6(args, on, add) -> None:
    # ------------------------------------------------------------------ 6. approval: stamp and signature
    log("part 6: the approval page and the PAdES signature of an approved packet")
    document = new_document("packet", on)
    if rendering.render_document(document.id) != "rendered":
        raise SystemExit("setup: the packet did not render")
    db.session.expire_all()
    document = db.session.get(Document, document.id)
    reviewed = store.read_verified(document.storage_path, document.pdf_sha256)
    user = db.session.get(User, document.requested_by_id)
    signing.sign(reviewed, name="warm-up", reason="warm-up")  # the key pair is generated once
    copies, signs = [], []
    for _ in range(args.repeat):
        t = clock()
        approval.approved_copy(
            document, consultant=user, approved_at=datetime.now(UTC), reviewed_sha256=document.pdf_sha256
        )
        copies.append(clock() - t)
        t = clock()
        signing.sign(reviewed, name=user.name, reason="Approved")
        signs.append(clock() - t)
        db.session.rollback()  # the approved copies written here are removed with the transaction
    add("6. approved copy: page, merge, signature, store (median)", f"{median_ms(copies):.1f} ms")
    add("6. signature alone (median)", f"{median_ms(signs):.1f} ms", "<= 50 ms", median_ms(signs) <= 50)


def depth_spread(renderer, html: str, add) -> None:
    """Median render time (CPU) and page faults of the letter over five renders at each depth from 0 to 60 frames."""

    def at_depth(k: int, fn):
        return fn() if k == 0 else at_depth(k - 1, fn)

    def measure():
        faults = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
        t = time.process_time()
        renderer.render(html)
        return time.process_time() - t, resource.getrusage(resource.RUSAGE_SELF).ru_minflt - faults

    # Five rounds over the depths, in turn up and down, so that the machine's drift spreads over all.
    depths = list(range(0, 61, 6))
    runs = {k: [] for k in depths}
    for r in range(5):
        for k in depths if r % 2 == 0 else depths[::-1]:
            runs[k].append(at_depth(k, measure))
    figures = [
        (k, statistics.median(t for t, _f in runs[k]), statistics.median(f for _t, f in runs[k]))
        for k in depths
    ]
    times = [t for _k, t, _f in figures]
    add(
        "1. letter warm render at 0..60 extra frames deep: fastest / slowest (CPU)",
        f"{min(times) * 1000:.1f} / {max(times) * 1000:.1f} ms ({max(times) / min(times):.2f}x)",
    )
    add(
        "1.   page faults per render, fewest / most",
        f"{min(f for *_x, f in figures):.0f} / {max(f for *_x, f in figures):.0f}",
    )


def part2(args, on, letter_doc, add) -> None:
    # ------------------------------------------------------------------ 2. packet reuses a ready letter
    log("part 2: packet build with and without a ready letter of the same snapshot")
    # A packet whose letter snapshot has no ready letter (another signatory), and one that has.
    lonely = new_document("packet", on, signatory_name="Another Signatory")
    if rendering.render_document(letter_doc.id) != "rendered":
        raise SystemExit("setup: the support letter did not render")
    paired = new_document("packet", on)
    without, with_letter = [], []
    for i in range(args.repeat):
        order = ((without, lonely), (with_letter, paired))
        for samples, doc in order if i % 2 == 0 else order[::-1]:
            doc = db.session.get(Document, doc.id)
            t = clock()
            assembly.build_pdf(doc)
            samples.append(clock() - t)
            db.session.rollback()  # build_pdf's UPDATE of reused_letter_id: the real run below records it
    add("2. packet build, no ready letter (median)", f"{median_ms(without):.1f} ms")
    add("2. packet build, ready letter reused (median)", f"{median_ms(with_letter):.1f} ms")
    ratio = statistics.median(with_letter) / statistics.median(without)
    add("2. with / without ready letter", f"{ratio:.2f}x", "< 1x", ratio < 1)
    lonely_id, paired_id = lonely.id, paired.id

    for document_id in (lonely_id, paired_id):  # the task's code, in-process (app context, no request)
        if render_task(document_id) != "rendered":
            raise SystemExit(f"setup: packet {document_id} did not render")
    db.session.expire_all()
    lonely, paired = db.session.get(Document, lonely_id), db.session.get(Document, paired_id)
    add(
        "2. packet render: reused_letter_id",
        f"{paired.reused_letter_id} (letter {letter_doc.id})",
        "= the ready letter",
        paired.status == "ready" and paired.reused_letter_id == letter_doc.id,
    )
    add(
        "2. packet without ready letter: reused_letter_id",
        str(lonely.reused_letter_id),
        "None",
        lonely.status == "ready" and lonely.reused_letter_id is None,
    )
    db.session.commit()


def parts3_4(args, on, db_url, workdir, queue, workers, add, renderer, letter_html) -> None:
    # ------------------------------------------------------------------ 3. request-to-ready
    db.session.commit()
    poller = Poller(db_url)
    try:
        log("part 3: starting a worker (prefork, concurrency 1)")
        w1 = Worker("c1", 1, db_url, workdir, queue)
        workers.append(w1)
        w1.wait_ready()
        for _ in range(2):  # the worker's first jobs open its DB pool: not part of "warm"
            poller.wait_one(request_and_enqueue(on))
        if 3 in args.parts:
            packet_id = new_document("packet", on).id  # a packet through the real worker: reuses the letter?
            send_render([packet_id])
            poller.wait_one(packet_id)
            db.session.expire_all()
            via_worker = db.session.get(Document, packet_id)
            reused = (
                db.session.get(Document, via_worker.reused_letter_id) if via_worker.reused_letter_id else None
            )
            add(
                "2. packet via Redis + worker: reused_letter_id",
                f"{via_worker.reused_letter_id} (a ready letter)",
                "a ready letter, same snapshot",
                reused is not None
                and reused.kind == "support_letter"
                and reused.status == "ready"
                and reused.snapshot_sha256 == via_worker.snapshot["letter_sha256"],
            )
            db.session.commit()
            bare = []
            for _ in range(3):
                t = clock()
                renderer.render(letter_html)
                bare.append(clock() - t)
            latencies, ids = [], []
            phases: dict[str, list[float]] = {
                "request_document + commit": [],
                "committed -> claimed (delay, Redis, worker hand-off)": [],
                "claimed -> ready (render + store, in the worker)": [],
                "ready -> seen (NOTIFY)": [],
            }
            for _ in range(args.requests):
                marks = {"start": time.time()}
                t = clock()
                document_id = request_and_enqueue(on, marks)
                latencies.append(poller.wait_one(document_id) - t)
                seen = time.time()
                claimed, ready = poller.stamps(document_id)
                for name, value in zip(
                    phases,
                    (
                        marks["requested"] - marks["start"],
                        claimed - marks["requested"],
                        ready - claimed,
                        seen - ready,
                    ),
                    strict=True,
                ):
                    phases[name].append(value)
                ids.append(document_id)
                time.sleep(0.02)  # let the worker finish its post-commit bookkeeping before the bare render
                t = clock()
                renderer.render(
                    letter_html
                )  # bare render interleaved with the requests: same machine conditions
                bare.append(clock() - t)
            bare_ms = median_ms(bare)
            lat_ms = median_ms(latencies)
            add("3. letter bare render (warm, in-process, median)", f"{bare_ms:.1f} ms")
            add("3. letter request-to-ready via Redis + worker (median)", f"{lat_ms:.1f} ms")
            for name, values in phases.items():
                add(f"3.   {name} (median)", f"{median_ms(values):.1f} ms")
            add(
                "3. request-to-ready / bare render",
                f"{lat_ms / bare_ms:.2f}x",
                "<= 1.3x",
                lat_ms / bare_ms <= 1.3,
            )

        if 4 in args.parts:
            # -------------------------------------------------------------- 4. N letters, 1 vs 2 processes
            # Both workers stay up, each on its own queue (an idle worker uses no CPU), and the bursts run
            # in the order 1, 2, 2, 1, ... so that a slow drift of the shared machine's load hits both alike.

            def burst(worker_queue: str) -> float:
                ids = [new_document("support_letter", on).id for _ in range(args.letters)]
                t = clock()
                for document_id in ids:
                    render_document.apply_async((document_id,), queue=worker_queue)
                requests.mark_enqueued(ids)
                db.session.commit()
                done = poller.wait(ids, timeout=1800)
                return done - t

            log("part 4: starting a second worker (prefork, concurrency 2) on its own queue")
            w2 = Worker("c2", 2, db_url, workdir, queue + "-c2")
            workers.append(w2)
            w2.wait_ready()
            warm_ids = [new_document("support_letter", on).id for _ in range(4)]
            for document_id in warm_ids:
                render_document.apply_async((document_id,), queue=queue + "-c2")
            poller.wait(warm_ids, timeout=120)
            times: dict[int, list[float]] = {1: [], 2: []}
            order = [1, 2, 2, 1] * (args.rounds // 2) + [1, 2] * (args.rounds % 2)
            for processes in order:
                log(f"part 4: {args.letters} letters at once, {processes} worker process(es)")
                times[processes].append(burst(queue if processes == 1 else queue + "-c2"))
            one, two = statistics.mean(times[1]), statistics.mean(times[2])
            for processes, value in ((1, one), (2, two)):
                runs = " + ".join(f"{v:.1f}" for v in times[processes])
                add(
                    f"4. {args.letters} letters, {processes} process{'es' if processes > 1 else ''} (mean of {len(times[processes])})",
                    f"{value:.1f} s ({value / args.letters * 1000:.0f} ms/letter; runs {runs} s)",
                )
            add("4. 2 processes / 1 process", f"{two / one:.2f}x", "<= 0.6x", two / one <= 0.6)
            add(
                "4. worker RSS after the bursts, concurrency 1 (MB)",
                ", ".join(f"{k} {v:.0f}" for k, v in w1.rss().items()),
            )
            add(
                "4. worker RSS after the bursts, concurrency 2 (MB)",
                ", ".join(f"{k} {v:.0f}" for k, v in w2.rss().items()),
            )
            w2.stop()
        w1.stop()
    finally:
        db.session.commit()
        poller.close()


def part5(args, db_url, workdir, letter_id, add) -> None:
    # ------------------------------------------------------------------ 5. RSS
    db.session.remove()
    log(f"part 5: RSS of a rendering process over {args.rss_docs} letters (after {args.rss_warmup} warm-up)")
    warm = run_rss_child("warm", args.rss_docs, args.rss_warmup, db_url, workdir, letter_id)
    g = growth(warm["samples"])
    add("5. rendering process RSS after warm-up", f"{warm['after_warmup']:.1f} MB")
    add(
        f"5. rendering process RSS peak over {args.rss_docs} docs",
        f"{warm['peak']:.1f} MB",
        "<= 160 MB",
        warm["peak"] <= 160,
    )
    quarter = [warm["samples"][round(q * (len(warm["samples"]) - 1))] for q in (0, 0.25, 0.5, 0.75, 1)]
    add("5.   RSS at 0/25/50/75/100 % of the documents", " / ".join(f"{v:.1f}" for v in quarter) + " MB")
    add(
        f"5. RSS growth over {args.rss_docs} docs",
        f"{g:+.1f} MB ({warm['seconds']:.0f} s)",
        "< 10 MB",
        g < 10,
    )
    if args.naive_rss_docs:
        log(f"part 5: naive contrast over {args.naive_rss_docs} renders")
        naive = run_rss_child(
            "naive", args.naive_rss_docs, min(args.rss_warmup, 20), db_url, workdir, letter_id
        )
        gn = growth(naive["samples"])
        add(
            f"5. (contrast) naive RSS growth over {args.naive_rss_docs} renders",
            f"{gn:+.1f} MB ({gn / args.naive_rss_docs:+.3f} MB/render)",
        )


if __name__ == "__main__":
    sys.exit(main())
