"""Book re-assessment benchmark (prints figures; not a timed test).

    .venv/bin/python bench/book_bench.py [--cases 20000] [--orgs 50] [--workers 2]

Issue 17's target: after a rule-set change, re-assessing every case of the portal runs at >= 20,000
cases per minute with two workers, in batches, without holding locks that block the pages.

1. A fresh PostgreSQL database (migrated), five worked cases typed in through the services
   (tests/portal/test_worked_cases.py ``enter``) as templates; each template's organization (owner,
   group company, role) is cloned into ``--orgs`` organizations in all and their case (transferee,
   employment records, case) into ``--cases`` cases, with bulk inserts; every case is marked as
   assessed under an older rule set (some with another outcome, so that changes are recorded and
   owners mailed).
2. ``--workers`` real ``celery -A workers.celery_app worker --pool=solo`` processes on a Redis database
   of their own; the beat's task ``cases.reassess_book`` is sent once: it plans the book and sends one
   ``cases.reassess_chunk`` per chunk of case ids, which the workers share.
3. The clock runs from the send until the last case is re-assessed; it prints cases per minute
   against the target, the workers' CPU time per case (and what a core per worker would give, on this
   shared machine) and, while the book runs, how long a page's write to a case waits for a lock (one of
   50 case rows updated in its own short transaction every 50 ms) -- the longest wait must stay under a
   second -- and the average size of a case's stored assessment (JSON, and on disk). A case the page
   writer held or changed meanwhile is left for the next beat: the bench sends the beat task once more
   for those, and checks that every run is finished and mailed.

Environment: BENCH_PG_SERVER (postgresql+psycopg://postgres@127.0.0.1:5432), BENCH_REDIS_URL
(redis://127.0.0.1:6379/13, flushed).
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import sys
import tempfile
import threading
import time
from datetime import date
from pathlib import Path
from typing import Any

import psycopg
import redis
from flask_migrate import upgrade
from sqlalchemy import func, select, text, update

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchlib import CeleryWorker, bench_app, create_database, drop_database, log  # noqa: E402

import rules  # noqa: E402 - after the sys.path line above
from portal.extensions import db  # noqa: E402
from portal.models import (  # noqa: E402
    Case,
    CaseStatus,
    EmploymentRecord,
    ForeignEnterprise,
    Membership,
    Organization,
    Position,
    RulesetRun,
    Transferee,
    User,
)
from rules.params import load_text  # noqa: E402

PG_SERVER = os.environ.get("BENCH_PG_SERVER", "postgresql+psycopg://postgres@127.0.0.1:5432")
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/13")
SECRET_KEY = "bench-secret-key-that-is-long-enough-0123456789"
TEMPLATES = (
    "case02-us-executive",
    "case04-french-developer-montreal",
    "case10-german-graduate-trainee",
    "case07-dual-national-accountant",
    "case26-employee-exchange",
)
OLD = "2025.1-bench-old"
ON = date(2026, 11, 24)
TARGET_PER_MINUTE = 20_000


def make_app(db_url: str, workdir: Path):
    return bench_app(
        db_url,
        workdir,
        SECRET_KEY,
        TESTING=True,
        SERVER_NAME=None,
        CELERY={"broker_url": REDIS_URL, "result_backend": REDIS_URL, "task_always_eager": False},
    )


# ----------------------------------------------------------------------------------- seeding
def _enter_templates(app) -> list[int]:
    """The template cases, typed in through the services as a user would."""
    spec = importlib.util.spec_from_file_location(
        "_worked", ROOT / "tests" / "portal" / "test_worked_cases.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    ids = []
    for name in TEMPLATES:
        data = load_text((ROOT / "tests" / "rules" / "cases" / f"{name}.yaml").read_text(encoding="utf-8"))
        module.enter(app, data)
        with app.app_context():
            ids.append(db.session.scalars(select(Case.id).order_by(Case.id.desc())).first())
    return ids


def _row(model, obj_id: int) -> dict[str, Any]:
    table = model.__table__
    row = db.session.execute(select(table).where(table.c.id == obj_id)).mappings().one()
    return {k: v for k, v in row.items() if k != "id"}


def _insert(model, rows: list[dict[str, Any]]) -> list[int]:
    if not rows:
        return []
    table = model.__table__
    result = db.session.execute(table.insert().returning(table.c.id, sort_by_parameter_order=True), rows)
    return [r[0] for r in result]


def seed(app, n_cases: int, n_orgs: int) -> int:
    """Clone the templates into ``n_orgs`` organizations and ``n_cases`` cases (bulk inserts)."""
    templates = _enter_templates(app)
    with app.app_context():
        per_template_orgs = max(1, n_orgs // len(templates))
        per_org = max(1, n_cases // (per_template_orgs * len(templates)))
        total = 0
        serial = 0
        for case_id in templates:
            case = db.session.get(Case, case_id)
            org_row = _row(Organization, case.organization_id)
            owner = db.session.scalars(
                select(Membership).where(Membership.organization_id == case.organization_id)
            ).first()
            user_row = _row(User, owner.user_id)
            member_row = _row(Membership, owner.id)
            fe_rows = {
                fe.id: _row(ForeignEnterprise, fe.id)
                for fe in db.session.scalars(
                    select(ForeignEnterprise).where(ForeignEnterprise.organization_id == case.organization_id)
                )
            }
            pos_row = _row(Position, case.position_id)
            tr_row = _row(Transferee, case.transferee_id)
            emp_rows = [_row(EmploymentRecord, e.id) for e in case.transferee.employment]
            case_row = _row(Case, case.id)
            for _k in range(per_template_orgs):
                serial += 1
                org_id = _insert(
                    Organization,
                    [
                        {
                            **org_row,
                            "legal_name": f"{org_row['legal_name']} {serial}",
                            "business_number": f"{700000000 + serial}",
                        }
                    ],
                )[0]
                user_id = _insert(User, [{**user_row, "email": f"owner{serial}@bench.example.com"}])[0]
                _insert(Membership, [{**member_row, "organization_id": org_id, "user_id": user_id}])
                fe_map = {
                    old: _insert(ForeignEnterprise, [{**row, "organization_id": org_id}])[0]
                    for old, row in fe_rows.items()
                }
                pos_id = _insert(Position, [{**pos_row, "organization_id": org_id}])[0]
                tr_ids = _insert(
                    Transferee,
                    [
                        {
                            **tr_row,
                            "organization_id": org_id,
                            "family_name": f"{tr_row.get('family_name') or 'Bench'}{i}",
                        }
                        for i in range(per_org)
                    ],
                )
                _insert(
                    EmploymentRecord,
                    [
                        {
                            **e,
                            "transferee_id": tid,
                            "foreign_enterprise_id": fe_map.get(e["foreign_enterprise_id"]),
                        }
                        for tid in tr_ids
                        for e in emp_rows
                    ],
                )
                _insert(
                    Case,
                    [
                        {
                            **case_row,
                            "organization_id": org_id,
                            "transferee_id": tid,
                            "position_id": pos_id,
                            "foreign_enterprise_id": fe_map.get(case_row["foreign_enterprise_id"]),
                            "status": CaseStatus.SUBMITTED if i % 10 == 0 else case_row["status"],
                        }
                        for i, tid in enumerate(tr_ids)
                    ],
                )
                total += len(tr_ids)
            db.session.commit()
        # every case as if assessed under an older rule set; one in five with another outcome
        db.session.execute(update(Case).values(ruleset_version=OLD))
        db.session.execute(update(Case).where(Case.id % 5 == 0).values(route="TFWP", recommended_code=None))
        db.session.commit()
        return db.session.scalar(select(func.count(Case.id)))


# ----------------------------------------------------------------------------------- workers
def worker(name: str, db_url: str, workdir: Path) -> CeleryWorker:
    """A ``--pool=solo`` worker on the bench's Redis database."""
    return CeleryWorker(
        f"book-{name}",
        db_url=db_url,
        workdir=workdir,
        redis_url=REDIS_URL,
        secret_key=SECRET_KEY,
        options=["--pool=solo"],
        processes=0,
    )


class PageWriter(threading.Thread):
    """A page's write while the book runs: update one open case every 50 ms in a short transaction of
    its own and keep how long each waited."""

    def __init__(self, db_url: str, case_ids: list[int]):
        super().__init__(daemon=True)
        self.url = db_url.replace("+psycopg", "")
        self.case_ids = case_ids
        self.waits: list[float] = []
        self.stop_event = threading.Event()

    def run(self) -> None:
        with psycopg.connect(self.url, autocommit=True) as conn:
            i = 0
            while not self.stop_event.is_set():
                case_id = self.case_ids[i % len(self.case_ids)]
                i += 1
                t0 = time.perf_counter()
                with conn.transaction():
                    conn.execute("UPDATE cases SET updated_at = now() WHERE id = %s", (case_id,))
                self.waits.append(time.perf_counter() - t0)
                time.sleep(0.05)


def cpu_seconds(w: CeleryWorker) -> float:
    """User + system CPU time of a worker process so far (/proc; psutil is not a dependency)."""
    fields = Path(f"/proc/{w.proc.pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _wait(app, version: str, started: float, page: PageWriter | None) -> tuple[float, int]:
    """Until the workers stop making progress: (seconds until the last case was re-assessed, cases
    left). A run's finish follows its last chunk; the page writer stops at the end of the pass."""
    last_left, last_change = None, time.perf_counter()
    with app.app_context():
        while True:
            left = db.session.scalar(
                select(func.count(Case.id)).where(
                    Case.status != CaseStatus.CLOSED, Case.ruleset_version != version
                )
            )
            unfinished = db.session.scalar(
                select(func.count(RulesetRun.id)).where(
                    RulesetRun.ruleset_version == version,
                    (RulesetRun.finished_at.is_(None))
                    | ((RulesetRun.mailed_at.is_(None)) & (RulesetRun.changed_count > 0)),
                )
            )
            db.session.rollback()
            now = time.perf_counter()
            if left != last_left:
                last_left, last_change = left, now
            if (not left and not unfinished) or now - last_change > 8:
                if page is not None:
                    page.stop_event.set()
                    page.join()
                return last_change - started, left or 0
            if now - started > 1800:
                raise SystemExit(f"not done after 30 minutes: {left} cases left")
            time.sleep(0.25)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--cases", type=int, default=20_000)
    ap.add_argument("--orgs", type=int, default=50)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--keep", action="store_true", help="keep the database")
    args = ap.parse_args()
    db_url = f"{PG_SERVER}/imp_book_bench_{os.getpid()}"
    workdir = Path(tempfile.mkdtemp(prefix="book-bench-"))
    redis.Redis.from_url(REDIS_URL).flushdb()
    create_database(db_url)
    workers: list[CeleryWorker] = []
    try:
        app = make_app(db_url, workdir)
        with app.app_context():
            upgrade(directory=str(ROOT / "migrations"))
        t0 = time.perf_counter()
        total = seed(app, args.cases, args.orgs)
        log(f"seeded {total:,} cases in {args.orgs} organizations in {time.perf_counter() - t0:.1f} s")
        workers = [worker(str(i), db_url, workdir) for i in range(args.workers)]
        for w in workers:
            w.wait_ready()
        log(f"{len(workers)} Celery worker processes ready")
        with app.app_context():
            sample = list(db.session.scalars(select(Case.id).order_by(Case.id.desc()).limit(50)))
        page = PageWriter(db_url, sample)
        celery = app.extensions["celery"]
        version = rules.RULESET_VERSION
        page.start()
        cpu_before = sum(cpu_seconds(w) for w in workers)
        started = time.perf_counter()
        plan = celery.send_task("cases.reassess_book", args=[ON.isoformat()]).get(timeout=600)
        log(f"planned: {plan}")
        first_pass, left_after = _wait(app, version, started, page)
        cpu_used = sum(cpu_seconds(w) for w in workers) - cpu_before
        done_first = total - left_after
        if left_after:  # cases a page held or changed meanwhile: the next beat takes them
            log(f"{left_after} case(s) left for the next beat (the page writer held or changed them)")
            celery.send_task("cases.reassess_book", args=[ON.isoformat()]).get(timeout=600)
            _wait(app, version, time.perf_counter(), None)
        with app.app_context():
            runs = db.session.scalar(
                select(func.count(RulesetRun.id)).where(RulesetRun.mailed_at.is_not(None))
            )
            changed = db.session.scalar(select(func.sum(RulesetRun.changed_count)))
            events = db.session.scalar(
                text("SELECT count(*) FROM audit_events WHERE action = 'case.ruleset_changed'")
            )
            unfinished = db.session.scalar(
                select(func.count(RulesetRun.id)).where(RulesetRun.finished_at.is_(None))
            )
            stored = db.session.execute(
                text(
                    "SELECT avg(octet_length(assessment::text)), avg(pg_column_size(assessment)),"
                    " pg_total_relation_size('cases') FROM cases"
                )
            ).one()
        rate = done_first / first_pass * 60
        worst = max(page.waits) if page.waits else 0.0
        print(
            f"machine: {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f} (shared with other work)"
        )
        print(
            f"re-assessed {done_first:,} of {total:,} cases in {args.orgs} organizations with {args.workers} workers "
            f"in {first_pass:.1f} s: {rate:,.0f} cases/minute -- target >= {TARGET_PER_MINUTE:,}: "
            f"{'met' if rate >= TARGET_PER_MINUTE else 'NOT MET'}"
        )
        per_case = cpu_used / max(done_first, 1)
        print(
            f"workers' CPU: {cpu_used:.1f} s in all, {per_case * 1000:.2f} ms a case; with a core per worker "
            f"that is {args.workers * 60 / per_case:,.0f} cases/minute (PostgreSQL's own work not included)"
        )
        print(
            f"changed outcomes recorded: {changed:,} ({events:,} audit events); organizations mailed: {runs}; "
            f"runs unfinished: {unfinished}"
        )
        print(
            f"stored assessment per case: {stored[0]:,.0f} bytes of JSON, {stored[1]:,.0f} bytes on disk "
            f"(TOAST-compressed); the cases table with its indexes and TOAST: {stored[2] / 2**20:,.0f} MB"
        )
        print(
            f"a page's write to a case meanwhile: {len(page.waits)} writes, longest wait {worst * 1000:.0f} ms, "
            f"median {sorted(page.waits)[len(page.waits) // 2] * 1000:.1f} ms -- no lock held over the book: "
            f"{'met' if worst < 1.0 else 'NOT MET'}"
        )
    finally:
        for w in workers:
            w.stop(timeout=20)
        if not args.keep:
            drop_database(db_url)


if __name__ == "__main__":
    main()
