"""Portal pages under load (prints figures as ratios measured in one run; not a timed test).

    .venv/bin/pip install -e '.[bench]'                     # Locust (once)
    .venv/bin/python bench/portal_bench.py                  # about 4 minutes on 2 cores
    .venv/bin/python bench/portal_bench.py --duration 10    # shorter phases
    .venv/bin/python bench/portal_bench.py --keep-db pbench # seed once into database pbench, reuse it after

Needs PostgreSQL (127.0.0.1:5432, user postgres, trust) and Redis (127.0.0.1:6379). The script
starts the production shape itself: a fresh database (imp_portal_pbench_<pid>, migrated, dropped at
the end), Redis database 8 for the rate limiter and the Celery broker (flushed at the start and the
end), and ``gunicorn -c gunicorn.conf.py portal.wsgi:app`` on a free port with the workers
gunicorn.conf.py gives for this machine's CPUs. PORTAL_ENV stays ``development`` only so that the
session cookie is not ``Secure`` (Locust talks plain HTTP to 127.0.0.1); nothing else differs.

It seeds --orgs employers (50) through the portal's services — an owner each, a group company,
10 roles, 30 transferees with their employment abroad, 30 cases answered like worked cases and,
for each case, a support letter and a packet requested (their rows marked ready, no PDF rendered:
the pages list them) — all invented.

Part 1, pages near the framework's limit. Locust (headless, FastHttpUser) with --users users:
  * trivial: anonymous users asking ``/livez`` (no database, no template, no session) — the
    framework's own limit on this machine under the same server;
  * pages: each user signs in as the owner of its own employer (before the measured window), then
    loops dashboard -> cases -> a case page -> its documents page.
Phases alternate trivial, pages, trivial, pages (--rounds 2) so that load from other people on the
machine hits both alike; a phase measures the requests started after its --warmup seconds, for
--duration seconds. Prints throughput, p50/p95/p99, errors of each, and the ratios against the
targets: pages >= 0.5x trivial throughput, pages p99 <= 3x trivial p99, 0 errors.

Part 2 (--parts 2), flat costs: one employer with --big-cases (10,000) cases and one with 100;
``/cases/`` (paginated, first page) and a filtered page asked by --list-users users, interleaved;
target: p99 at 10,000 <= 2x p99 at 100.

Exits 0 whatever the figures (it is a report); non-zero only when the setup itself fails.
"""

from __future__ import annotations

import argparse
import contextlib
import cProfile
import csv
import importlib.util
import io
import json
import os
import pstats
import random
import re
import resource
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import psutil
import redis
from flask_migrate import upgrade
from sqlalchemy import event, func, insert, select

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchlib import (  # noqa: E402
    Background,
    bench_app,
    create_database,
    database_exists,
    drop_database,
    log,
    verdict,
)

from portal.auth import services as auth  # noqa: E402
from portal.cases import services as cases  # noqa: E402
from portal.clock import today  # noqa: E402
from portal.documents import requests as documents  # noqa: E402
from portal.documents.errors import DocumentError  # noqa: E402
from portal.extensions import db  # noqa: E402
from portal.group.services import save_enterprise  # noqa: E402
from portal.imports import applying, parsing, pending  # noqa: E402
from portal.imports.kinds import KINDS, columns  # noqa: E402
from portal.models import Case, DocumentStatus, Transferee, User  # noqa: E402
from portal.models._types import utcnow  # noqa: E402
from portal.people.services import add_employment, save_transferee  # noqa: E402
from portal.process import settle  # noqa: E402
from portal.roles.services import save_position  # noqa: E402

PG_SERVER = os.environ.get("BENCH_PG_SERVER", "postgresql+psycopg://postgres@127.0.0.1:5432")
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/8")
SECRET_KEY = "bench-secret-key-that-is-long-enough-0123456789"
PASSWORD = "bench-password-2026"
LOCUSTFILE = Path(__file__).with_name("portal_locustfile.py")
PROFILE_REQUESTS = 21  # requests per page timed by --profile
SIGN_IN_ALLOWANCE = 180  # seconds a phase may take to sign its users in before its window opens

clock = time.perf_counter


def gunicorn_settings():
    """gunicorn.conf.py itself (its name has a dot, so it is loaded from its path)."""
    spec = importlib.util.spec_from_file_location("gunicorn_settings", ROOT / "gunicorn.conf.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def server_env(db_url: str, workdir: Path) -> dict[str, str]:
    env = {
        **os.environ,
        "DATABASE_URL": db_url,
        "SECRET_KEY": SECRET_KEY,
        "RATELIMIT_STORAGE_URI": REDIS_URL,
        "CELERY_BROKER_URL": REDIS_URL,
        "DOCUMENT_STORE": str(workdir / "documents"),
        "MAIL_BACKEND": "file",
        "MAIL_FILE_PATH": str(workdir / "outbox"),
        "PYTHONUNBUFFERED": "1",
    }
    env.pop("PORTAL_ENV", None)  # development: the cookie is not Secure over plain HTTP
    return env


def make_app(db_url: str, workdir: Path):
    return bench_app(db_url, workdir, SECRET_KEY)


# ----------------------------------------------------------------------------------- invented data
GIVEN = "Avery Blake Casey Dana Emery Finley Gray Harper Indigo Jules Kai Lane Marlow Noor Oakley".split()
FAMILY = "Ashgrove Birchwell Cedarly Dunmore Elmsworth Fernhill Glenholt Hazeldene Ivywood Juniper".split()
# (city, province, a postal code of the province: its first letter is the province's, as the forms check)
CITIES = [
    ("Toronto", "ON", "M5V 2T6"),
    ("Montréal", "QC", "H2X 1Y4"),
    ("Vancouver", "BC", "V6B 1A1"),
    ("Calgary", "AB", "T2P 1J9"),
    ("Halifax", "NS", "B3J 1S9"),
]
# (title, NOC 2021, capacity, yearly wage): roles of a multinational's Canadian office.
ROLES = [
    ("Vice-President, Operations Canada", "00012", "executive", 190000),
    ("Director of Software Engineering", "20012", "manager", 175000),
    ("Engineering Manager, Platform", "20012", "manager", 160000),
    ("Finance Director", "10010", "manager", 165000),
    ("Head of Supply Chain", "00013", "manager", 158000),
    ("Senior Data Scientist", "21211", "specialized_knowledge", 140000),
    ("Principal Software Developer", "21232", "specialized_knowledge", 150000),
    ("Marketing Director", "10022", "manager", 150000),
    ("Plant Manager", "90010", "manager", 145000),
    ("Human Resources Director", "10011", "manager", 148000),
]
# Worker origins: (citizenship, the group company's country) — CUSMA, CETA, other treaties, ICT.
ORIGINS = [("US", "US"), ("MX", "MX"), ("FR", "FR"), ("DE", "DE"), ("GB", "GB"), ("IN", "IN"), ("JP", "JP")]
CASE_ANSWERS = {"worker.retains_position_abroad": True, "worker.position_abroad_letter": True}
ORG_ANSWERS = {"employer.actively_engaged": True, "employer.physical_premises": True}


def seed_employer(n: int, *, roles: int, people: int, with_documents: bool, rng: random.Random):
    """One employer, its owner (email bench-owner-<n>@...), roles, people and cases, through the services."""
    city, province, postal_code = CITIES[n % len(CITIES)]
    owner, org = auth.register_employer(
        {
            "name": f"{rng.choice(GIVEN)} {rng.choice(FAMILY)}",
            "email": f"bench-owner-{n}@bench-employer.example.com",
            "password": PASSWORD,
            "legal_name": f"{FAMILY[n % len(FAMILY)]} Invented Systems {n} Canada Inc.",
            "operating_name": f"{FAMILY[n % len(FAMILY)]} Systems {n}",
            "business_number": f"{710000000 + n}",
            "street_address": f"{100 + n} Example Street",
            "city": city,
            "province": province,
            "postal_code": postal_code,
            "telephone": "613-555-0100",
            "employees": 200 + n,
            "gross_annual_revenue": 50_000_000 + n,
        }
    )
    auth.mark_verified(owner, now=utcnow())
    db.session.flush()
    companies = {}
    for _cit, country in ORIGINS:
        companies[country] = save_enterprise(
            org,
            {
                "name": f"{FAMILY[n % len(FAMILY)]} Systems {country}",
                "country": country,
                "relationship": "parent" if country == "US" else "affiliate",
                "countries_of_operation": [country, "CA"],
                "doing_business": "yes",
            },
            actor=owner,
        )
    positions = []
    for i in range(roles):
        title, noc, capacity, wage = ROLES[i % len(ROLES)]
        positions.append(
            save_position(
                org,
                {
                    "title": title if i < len(ROLES) else f"{title} {i // len(ROLES) + 1}",
                    "noc_code": noc,
                    "capacity": capacity,
                    "work_type": "regular",
                    "wage_amount": Decimal(wage),
                    "wage_unit": "year",
                    "hours_per_week": Decimal(40),
                    "prevailing_wage_hourly": Decimal(45),
                    "duties": f"Leads the {title.lower()} work of the Canadian office and its teams.",
                    "street_address": f"{100 + n} Example Street",
                    "city": city,
                    "province": province,
                    "start_date": date(2027, 3, 1) + timedelta(days=i),
                    "duration_months": 24 + 6 * (i % 3),
                    "paid": "yes",
                },
                actor=owner,
            )
        )
    case_rows = []
    for i in range(people):
        citizenship, country = ORIGINS[(n + i) % len(ORIGINS)]
        person = save_transferee(
            org,
            {
                "given_names": GIVEN[(n + i) % len(GIVEN)],
                "family_name": f"{FAMILY[i % len(FAMILY)]}-{n}-{i}",
                "date_of_birth": date(1975 + i % 20, 1 + i % 12, 1 + i % 27),
                "citizenships": [citizenship],
                "permanent_residences": [],
                "residence_country": citizenship,
                "in_canada": "no",
                "current_permit_type": "none",
                "passport_number": f"X{n:03d}{i:04d}",
                "passport_country": citizenship,
                "education_level": "master",
                "education_field": "Engineering",
                "profession": "Manager",
                "english_clb": 9,
            },
            actor=owner,
        )
        role = positions[i % len(positions)]
        add_employment(
            org,
            person,
            {
                "foreign_enterprise_id": str(companies[country].id),
                "job_title": role.title,
                "capacity": role.capacity,
                "start_date": date(2019, 1, 1) + timedelta(days=30 * i),
                "full_time": True,
            },
            actor=owner,
            on=today(),
        )
        case = cases.create_case(
            org, {"transferee_id": person.id, "position_id": role.id}, actor=owner, on=today()
        )
        answers = {**CASE_ANSWERS, **(ORG_ANSWERS if i == 0 else {})}
        cases.answer_questions(case, org, answers, actor=owner, on=today())
        case_rows.append(case)
    if with_documents:
        for case in case_rows:
            for kind in ("support_letter", "packet"):
                try:
                    document = documents.request_document(
                        case, org, kind=kind, lang="en", actor=owner, on=today()
                    )
                except DocumentError:
                    continue  # a case still pending gets no document (as in the portal)
                document.status = DocumentStatus.READY
                document.pdf_sha256 = f"{document.id:064x}"
                document.page_count = 3 if kind == "support_letter" else 14
                document.size_bytes = 48_000 if kind == "support_letter" else 420_000
                document.finished_at = utcnow()
    db.session.commit()
    return org, owner


def seed(app, orgs: int, *, roles: int, people: int) -> list[str]:
    rng = random.Random(17)
    emails = []
    with app.test_request_context():
        for n in range(orgs):
            _org, owner = seed_employer(n, roles=roles, people=people, with_documents=True, rng=rng)
            emails.append(owner.email)
            if (n + 1) % 10 == 0:
                log(f"  {n + 1} employers seeded")
    return emails


def analyze(app) -> None:
    """ANALYZE the tables after bulk writes, as autovacuum does in the production shape (PostgreSQL's
    default). This machine's server runs with autovacuum off: without it the planner kept the statistics
    of an empty database and, taking the big employer for 58 cases, sorted all 10,000 for each page of
    the case list instead of reading them in the order of ix_cases_organization_updated."""
    with app.app_context(), db.engine.connect() as conn:
        conn.execution_options(isolation_level="AUTOCOMMIT").exec_driver_sql("ANALYZE")


def seeded_emails(app, orgs: int) -> list[str]:
    """The owners of a kept database's employers, if it holds all ``orgs`` of them (else [])."""
    emails = [f"bench-owner-{n}@bench-employer.example.com" for n in range(orgs)]
    with app.app_context():
        found = db.session.scalar(select(func.count()).select_from(User).where(User.email.in_(emails)))
        db.session.remove()
    return emails if found == orgs else []


def clone_cases(app, org_email: str, total: int) -> None:
    """Grow one employer to ``total`` transferees and cases by bulk inserts copying its assessed cases
    (each case its own new transferee, in one of the employer's roles): the list's cost is what grows."""
    with app.test_request_context():
        owner = auth.find_user(org_email)
        org_id = owner.memberships[0].organization_id
        sources = list(db.session.scalars(select(Case).where(Case.organization_id == org_id)))
        persons = {
            p.id: p
            for p in db.session.scalars(select(Transferee).where(Transferee.organization_id == org_id))
        }
        existing = len(sources)
        person_cols = [c.key for c in Transferee.__table__.columns if c.key != "id"]
        case_cols = [c.key for c in Case.__table__.columns if c.key != "id"]
        batch = 1000
        for start in range(existing, total, batch):
            count = min(batch, total - start)
            people_rows, case_rows = [], []
            for k in range(count):
                source = sources[(start + k) % existing]
                person = {c: getattr(persons[source.transferee_id], c) for c in person_cols}
                person["family_name"] = f"Clone-{start + k}"
                person["passport_number"] = f"C{start + k:08d}"
                people_rows.append(person)
                case_rows.append({c: getattr(source, c) for c in case_cols})
            ids = db.session.scalars(insert(Transferee).returning(Transferee.id), people_rows).all()
            for row, person_id in zip(case_rows, ids, strict=True):
                row["transferee_id"] = person_id
            db.session.execute(insert(Case), case_rows)
            db.session.commit()


# ----------------------------------------------------------------------------------- servers
def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Gunicorn(Background):
    def __init__(self, env: dict[str, str], port: int, workdir: Path, workers: int):
        self.name, self.log_path, self.port = "gunicorn", workdir / "gunicorn.log", port
        self.start(
            [
                str(Path(sys.executable).with_name("gunicorn")),
                "-c",
                "gunicorn.conf.py",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                str(workers),
                "--access-logfile",
                "/dev/null",  # the access log's write per request is not what is measured
                "portal.wsgi:app",
            ],
            env,
        )

    def wait_ready(self, timeout: float = 60) -> None:
        self.wait_until(self.answers, timeout, 0.3)

    def answers(self) -> bool:
        with (
            contextlib.suppress(OSError),
            urllib.request.urlopen(f"http://127.0.0.1:{self.port}/livez", timeout=2) as r,
        ):
            return r.status == 200
        return False


# ----------------------------------------------------------------------------------- load
def run_locust(
    host: str,
    user_class: str,
    users: int,
    warmup: float,
    duration: float,
    workdir: Path,
    extra: dict,
    *,
    measure: bool = True,
) -> dict:
    """One headless Locust run; returns the samples its users recorded in the measured window."""
    out = workdir / f"samples-{user_class}-{time.monotonic_ns()}.json"
    env = {
        **os.environ,
        "BENCH_SAMPLES": str(out),
        "BENCH_WARMUP": str(warmup),
        "BENCH_DURATION": str(duration),
        "BENCH_PASSWORD": PASSWORD,
        **{k: str(v) for k, v in extra.items()},
    }
    cmd = [
        str(Path(sys.executable).with_name("locust")),
        "-f",
        str(LOCUSTFILE),
        "--headless",
        "--host",
        host,
        "-u",
        str(users),
        "-r",
        str(users),
        "--run-time",  # a cap: the locustfile stops the run when its measured window closes
        f"{int(warmup + duration + SIGN_IN_ALLOWANCE)}s",
        "--stop-timeout",
        "10",
        "--only-summary",
        "--loglevel",
        "WARNING",
        user_class,
    ]
    result = subprocess.run(
        cmd,
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=warmup + duration + SIGN_IN_ALLOWANCE + 120,
    )
    if not out.exists():
        raise SystemExit(f"locust wrote no samples (exit {result.returncode}):\n{result.stderr[-3000:]}")
    data = json.loads(out.read_text())
    if measure and not data["samples"]:
        raise SystemExit(f"locust measured nothing (exit {result.returncode}):\n{result.stderr[-3000:]}")
    return data


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q / 100 * len(ordered) + 0.5) - 1))
    return ordered[index]


def summarize(runs: list[dict], names: set[str] | None = None) -> dict:
    times, errors, seconds = [], 0, 0.0
    by_name: dict[str, list[float]] = {}
    for run in runs:
        seconds += run["seconds"]
        for name, ms, ok in run["samples"]:
            if names is not None and name not in names:
                continue
            times.append(ms)
            by_name.setdefault(name, []).append(ms)
            errors += not ok
    return {
        "requests": len(times),
        "rps": len(times) / seconds if seconds else 0.0,
        "p50": percentile(times, 50),
        "p95": percentile(times, 95),
        "p99": percentile(times, 99),
        "errors": errors,
        "by_name": {n: (len(v), percentile(v, 50), percentile(v, 99)) for n, v in sorted(by_name.items())},
        "errors_seen": [e for run in runs for e in run.get("errors", [])][:5],
    }


def show(label: str, s: dict) -> None:
    print(
        f"  {label:<26} {s['rps']:8.1f} req/s   p50 {s['p50']:7.1f} ms   p95 {s['p95']:7.1f} ms"
        f"   p99 {s['p99']:7.1f} ms   errors {s['errors']} of {s['requests']}"
    )
    for name, (n, p50, p99) in s["by_name"].items():
        if len(s["by_name"]) > 1:
            print(f"      {name:<22} {n:6d} requests   p50 {p50:7.1f} ms   p99 {p99:7.1f} ms")
    for error in s["errors_seen"]:
        print(f"      error: {error}")


class CpuSplit:
    """Where the machine's CPU goes during a Locust run: the gunicorn processes (master and workers),
    PostgreSQL's processes, Locust (the child process the run waits for: its rusage once it has exited)
    and the rest (the kernel's busy time minus those). CPU seconds, not wall time: on a shared machine
    they say what each side cost whatever the load from elsewhere."""

    PARTS = ("gunicorn", "PostgreSQL", "Locust", "other")

    def __init__(self, server_pid: int) -> None:
        self.server_pid = server_pid
        self.totals = {name: 0.0 for name in self.PARTS}
        self.seconds = 0.0
        self.requests = 0

    @staticmethod
    def _tree(root) -> float:
        """CPU seconds of a process tree, its exited members included: each live process's own time and
        that of the children it has reaped (gunicorn's master reaps the workers it recycles after
        max_requests, the postmaster the backends of closed connections)."""
        total = 0.0
        for process in [root, *root.children(recursive=True)]:
            try:
                t = process.cpu_times()
            except psutil.Error:  # gone meanwhile: its parent's reaped children count it
                continue
            total += t.user + t.system + t.children_user + t.children_system
        return total

    @staticmethod
    def _postmaster():
        for process in psutil.process_iter(["name", "ppid"]):
            if process.info["name"] == "postgres":
                with contextlib.suppress(psutil.Error):
                    if psutil.Process(process.info["ppid"]).name() != "postgres":
                        return process
        return None

    def snapshot(self) -> dict[str, float]:
        postmaster = self._postmaster()
        children = resource.getrusage(resource.RUSAGE_CHILDREN)
        machine = psutil.cpu_times()
        return {
            "gunicorn": self._tree(psutil.Process(self.server_pid)),
            "PostgreSQL": self._tree(postmaster) if postmaster is not None else 0.0,
            "Locust": children.ru_utime + children.ru_stime,
            "busy": machine.user
            + machine.system
            + machine.nice
            + getattr(machine, "softirq", 0.0)
            + getattr(machine, "irq", 0.0),
            "wall": time.monotonic(),
        }

    def add(self, before: dict[str, float], after: dict[str, float], run: dict) -> None:
        delta = {k: after[k] - before[k] for k in before}
        for name in ("gunicorn", "PostgreSQL", "Locust"):
            self.totals[name] += delta[name]
        self.totals["other"] += max(
            0.0, delta["busy"] - delta["gunicorn"] - delta["PostgreSQL"] - delta["Locust"]
        )
        # the whole run (sign-in and warm-up included) at the measured window's rate
        self.seconds += delta["wall"]
        self.requests += round(len(run["samples"]) / run["seconds"] * delta["wall"]) if run["seconds"] else 0

    def show(self, label: str) -> None:
        busy = sum(self.totals.values())
        if not busy or not self.requests:
            return
        shares = ", ".join(f"{name} {self.totals[name] / busy:.0%}" for name in self.PARTS)
        per = ", ".join(f"{name} {self.totals[name] / self.requests * 1000:.1f}" for name in self.PARTS)
        print(f"      CPU during {label}: {busy:.1f} CPU-s in {self.seconds:.0f} s: {shares}")
        print(f"      CPU per request (ms, ~{self.requests} requests at the measured rate): {per}")


def part_pages(host: str, args, workdir: Path, server_pid: int | None = None) -> None:
    log(
        f"part 1: pages vs trivial endpoint, {args.users} users, {args.rounds} rounds of "
        f"{args.warmup:.0f}+{args.duration:.0f} s each"
    )
    # Every gunicorn worker compiles the templates and loads the catalogues on its first pages.
    run_locust(host, "PortalUser", args.users, 0, args.server_warmup, workdir, {}, measure=False)
    trivial_runs, page_runs = [], []
    splits = {"trivial": CpuSplit(server_pid), "pages": CpuSplit(server_pid)} if server_pid else {}

    def measured(kind: str, user_class: str) -> dict:
        before = splits[kind].snapshot() if splits else None
        run = run_locust(host, user_class, args.users, args.warmup, args.duration, workdir, {})
        if before is not None:
            splits[kind].add(before, splits[kind].snapshot(), run)
        return run

    for r in range(args.rounds):
        trivial_runs.append(measured("trivial", "TrivialUser"))
        log(f"  round {r + 1}: trivial {len(trivial_runs[-1]['samples'])} requests")
        page_runs.append(measured("pages", "PortalUser"))
        log(f"  round {r + 1}: pages {len(page_runs[-1]['samples'])} requests")
    trivial = summarize(trivial_runs)
    pages = summarize(page_runs)
    print()
    print("Part 1 — pages near the framework's limit")
    show("trivial /livez", trivial)
    if splits:
        splits["trivial"].show("the trivial runs")
    show("pages (mixed)", pages)
    if splits:
        splits["pages"].show("the pages runs")
    rps_ratio = pages["rps"] / trivial["rps"] if trivial["rps"] else float("nan")
    p99_ratio = pages["p99"] / trivial["p99"] if trivial["p99"] else float("nan")
    print(f"  throughput pages / trivial = {rps_ratio:.2f}x   (target >= 0.5x: {verdict(rps_ratio >= 0.5)})")
    print(f"  p99 pages / trivial        = {p99_ratio:.2f}x   (target <= 3x: {verdict(p99_ratio <= 3)})")
    errors = pages["errors"] + trivial["errors"]
    print(f"  errors                     = {errors}       (target 0: {verdict(errors == 0)})")
    print("  anchor of issue 17 on this machine: 93.5 req/s, p50/p95/p99 554/703/769 ms")


def part_flat(host: str, args, app, workdir: Path, emails: list[str]) -> None:
    log(f"part 2: case list with {args.big_cases} cases vs 100")
    small, big = emails[0], emails[1]
    results = {}
    run_locust(
        host, "ListUser", args.list_users, 0, args.server_warmup, workdir, {"BENCH_EMAIL": big}, measure=False
    )
    for r in range(args.rounds):
        for label, email in (("100 cases", small), (f"{args.big_cases} cases", big)):
            run = run_locust(
                host, "ListUser", args.list_users, args.warmup, args.duration, workdir, {"BENCH_EMAIL": email}
            )
            results.setdefault(label, []).append(run)
            log(f"  round {r + 1}: {label} {len(run['samples'])} requests")
    print()
    print("Part 2 — the case list at 10,000 cases")
    summaries = {label: summarize(runs) for label, runs in results.items()}
    for label, s in summaries.items():
        show(f"/cases/ ({label})", s)
    a, b = summaries["100 cases"], summaries[f"{args.big_cases} cases"]
    ratio = b["p99"] / a["p99"] if a["p99"] else float("nan")
    print(f"  p99 {args.big_cases} / 100 cases = {ratio:.2f}x   (target <= 2x: {verdict(ratio <= 2)})")
    errors = a["errors"] + b["errors"]
    print(f"  errors = {errors}")


def profile_pages(app, email: str, top: int) -> None:
    """Queries and the time of each main page in-process (Flask test client), then cProfile of each."""
    client = app.test_client()
    page = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    response = client.post("/login", data={"csrf_token": token, "email": email, "password": PASSWORD})
    if response.status_code != 302:
        raise SystemExit(f"profile: sign-in answered {response.status_code}")
    case_id = re.findall(r'href="/cases/(\d+)"', client.get("/cases/").get_data(as_text=True))[0]
    urls = {
        "dashboard": "/dashboard",
        "cases": "/cases/",
        "case page": f"/cases/{case_id}",
        "documents": f"/cases/{case_id}/documents",
    }
    timed = {**urls, "livez": "/livez"}  # the trivial endpoint: timed, not profiled
    statements: list[str] = []

    def count(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    with app.app_context():
        engine = db.engine
    print()
    print(
        f"Profile — one signed-in user, in-process (test client), medians of {PROFILE_REQUESTS} requests after "
        "one warm-up each (CPU: this process's, the stable figure on a shared machine; wall adds the database)"
    )
    for name, url in timed.items():
        client.get(url)  # warm: templates compiled, catalogues loaded
        statements.clear()
        event.listen(engine, "before_cursor_execute", count)
        try:
            times, cpu = [], []
            for _ in range(PROFILE_REQUESTS):
                t0, c0 = clock(), time.process_time()
                assert client.get(url).status_code == 200, url
                times.append(clock() - t0)
                cpu.append(time.process_time() - c0)
        finally:
            event.remove(engine, "before_cursor_execute", count)
        print(
            f"  {name:<10} {len(statements) // PROFILE_REQUESTS:3d} queries   median wall "
            f"{statistics.median(times) * 1000:7.1f} ms   CPU {statistics.median(cpu) * 1000:6.1f} ms"
        )
    for name, url in urls.items():
        profiler = cProfile.Profile()
        profiler.enable()
        for _ in range(5):
            client.get(url)
        profiler.disable()
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(top)
        print(f"\n--- cProfile of {name} ({url}), 5 requests, top {top} by cumulative time")
        lines = out.getvalue().splitlines()
        start = next(i for i, line in enumerate(lines) if "ncalls" in line)
        print("\n".join(lines[start : start + top + 1]))


def import_csv(first: int, count: int) -> bytes:
    """``count`` invented transferees, one job each, in the import template's columns."""
    names = columns(KINDS["transferees"])
    example = KINDS["transferees"].example
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(names)
    for k in range(first, first + count):
        citizenship = ORIGINS[k % len(ORIGINS)][0]
        row = {
            **example,
            "given_names": GIVEN[k % len(GIVEN)],
            "family_name": f"Importé-{k}",
            "date_of_birth": f"{1970 + k % 30}-{1 + k % 12:02d}-{1 + k % 28:02d}",
            "citizenships": citizenship,
            "residence_country": citizenship,
            "passport_country": citizenship,
            "passport_number": f"I{k:08d}",
            "job_employer": f"{FAMILY[k % len(FAMILY)]} Group Holdings",
            "job_title": ROLES[k % len(ROLES)][0],
        }
        writer.writerow([row.get(name, "") for name in names])
    return buffer.getvalue().encode("utf-8")


def part_imports(app, args, email: str) -> None:
    """10 files of 1,000 transferees (the per-file bound) imported as a user does it: upload (parse,
    duplicates, preview, the file and its checked rows kept) then confirm (the kept rows, duplicates,
    save, commit)."""
    files = args.import_rows // 1000
    log(f"part 3: importing {files} files of 1,000 transferees into an employer of {args.big_cases} cases")
    kind = KINDS["transferees"]
    timings = {"preview": 0.0, "confirm": 0.0, "cpu": 0.0}
    profiler = cProfile.Profile() if args.profile else None
    with app.test_request_context():
        owner = auth.find_user(email)
        org = owner.memberships[0].organization
        for n in range(files):
            raw = import_csv(n * 1000, 1000)
            t0, c0 = clock(), time.process_time()
            parsed = parsing.parse(kind, raw, on=today())
            parsing.mark_duplicates(org, parsed)
            if not parsed.valid:
                raise SystemExit(
                    f"import: row errors {[(r.number, r.errors) for r in parsed.rows if r.errors][:3]}"
                )
            token = pending.store(org, owner, kind, raw, parsing.dump(parsed))
            t1 = clock()
            if profiler is not None and n == 0:
                profiler.enable()
            claimed = pending.claim(org, owner, kind, token)
            parsed = pending.checked(kind, claimed, on=today())
            parsing.mark_duplicates(org, parsed)
            done = applying.import_rows(org, parsed, actor=owner, on=today())
            db.session.commit()
            pending.discard(claimed)
            if profiler is not None and n == 0:
                profiler.disable()
            t2 = clock()
            timings["preview"] += t1 - t0
            timings["confirm"] += t2 - t1
            timings["cpu"] += time.process_time() - c0
            if done.created != 1000:
                raise SystemExit(f"import: {done.created} created of 1000")
    total = timings["preview"] + timings["confirm"]
    print()
    print(f"Part 3 — importing {files * 1000} rows")
    print(f"  upload + preview  {timings['preview']:7.2f} s")
    print(f"  confirm (save)    {timings['confirm']:7.2f} s")
    print(
        f"  total             {total:7.2f} s   ({files * 1000 / total:.0f} rows/s; target <= 10 s: "
        f"{verdict(total <= 10)})"
    )
    print(f"  CPU of this process {timings['cpu']:7.2f} s   (the database's own work not counted)")
    if profiler is not None:
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats(args.sort).print_stats(args.profile)
        lines = out.getvalue().splitlines()
        start = next(i for i, line in enumerate(lines) if "ncalls" in line)
        print(f"\n--- cProfile of the confirm of file 1, top {args.profile} by {args.sort}")
        print("\n".join(lines[start : start + args.profile + 1]))


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--parts",
        default="1",
        help="comma-separated: 1 pages vs trivial, 2 case list at 10,000, 3 importing 10,000 rows",
    )
    parser.add_argument(
        "--profile",
        type=int,
        default=0,
        metavar="N",
        help="first profile the four pages in-process (queries, time, cProfile top N)",
    )
    parser.add_argument("--sort", default="tottime", help="order of the import's profile (pstats key)")
    parser.add_argument("--orgs", type=int, default=50)
    parser.add_argument("--roles", type=int, default=10)
    parser.add_argument("--people", type=int, default=30)
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--list-users", type=int, default=10)
    parser.add_argument("--big-cases", type=int, default=10_000)
    parser.add_argument(
        "--import-rows", type=int, default=10_000, help="rows imported in part 3 (files of 1,000)"
    )
    parser.add_argument("--warmup", type=float, default=5, help="seconds of each phase not measured")
    parser.add_argument("--server-warmup", type=float, default=15, help="seconds of pages before any phase")
    parser.add_argument("--duration", type=float, default=30)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument(
        "--workers", type=int, default=None, help="gunicorn workers (default: gunicorn.conf.py's)"
    )
    parser.add_argument(
        "--keep-db",
        metavar="NAME",
        default=None,
        help="use the database NAME and keep it: seeded (--orgs employers) on the first run, migrated and "
        "reused as it is by the next ones (parts 1 and 2 only: part 3 adds rows)",
    )
    args = parser.parse_args()
    parts = {int(p) for p in args.parts.split(",") if p}
    if args.keep_db and 3 in parts:
        raise SystemExit("--keep-db: part 3 imports rows into the database; run it on a fresh one")
    if shutil.which("locust", path=str(Path(sys.executable).parent)) is None:
        raise SystemExit("Locust is not installed: .venv/bin/pip install -e '.[bench]'")

    workdir = Path(tempfile.mkdtemp(prefix="portal-bench-"))
    db_url = f"{PG_SERVER}/{args.keep_db or f'imp_portal_pbench_{os.getpid()}'}"
    broker = redis.Redis.from_url(REDIS_URL)
    broker.flushdb()
    if not (args.keep_db and database_exists(db_url)):
        create_database(db_url)
    server = None
    try:
        app = make_app(db_url, workdir)
        settle()  # as the web server's processes do once the app is built (portal/wsgi.py): part 3 imports here
        with app.app_context():
            upgrade(directory=str(ROOT / "migrations"))
        emails = seeded_emails(app, args.orgs) if args.keep_db else []
        if emails:
            log(f"reusing the {len(emails)} employers seeded in {args.keep_db}")
        else:
            t0 = clock()
            log(
                f"seeding {args.orgs} employers ({args.roles} roles, {args.people} transferees and cases each)"
            )
            emails = seed(app, args.orgs, roles=args.roles, people=args.people)
            log(f"seeded in {clock() - t0:.1f} s")
        analyze(app)
        (workdir / "emails.json").write_text(json.dumps(emails))
        if args.profile and 1 in parts:
            profile_pages(app, emails[0], args.profile)
        settings = gunicorn_settings()
        workers = args.workers or settings.workers_for(settings.cpu_count())
        host = ""
        if parts & {1, 2}:
            port = free_port()
            env = server_env(db_url, workdir)
            env["BENCH_EMAILS"] = str(workdir / "emails.json")
            os.environ["BENCH_EMAILS"] = env["BENCH_EMAILS"]
            server = Gunicorn(env, port, workdir, workers)
            server.wait_ready()
            log(
                f"gunicorn on 127.0.0.1:{port}, {workers} workers ({settings.cpu_count()} CPUs); "
                f"Redis {REDIS_URL}"
            )
            host = f"http://127.0.0.1:{port}"
        if 1 in parts:  # first: every employer its 30 cases (the big one is grown after)
            part_pages(host, args, workdir, server.proc.pid if server is not None else None)
        if 2 in parts or 3 in parts:
            clone_cases(app, emails[0], 100)
            t0 = clock()
            clone_cases(app, emails[1], args.big_cases)
            log(f"grew {emails[1]} to {args.big_cases} transferees and cases in {clock() - t0:.1f} s")
            analyze(app)
        if 3 in parts:
            try:
                part_imports(app, args, emails[1])
            except Exception as exc:  # a report: the other parts still run
                print(f"\nPart 3 failed: {exc!r}")
                db.session.rollback()
        if 2 in parts:
            part_flat(host, args, app, workdir, emails)
    finally:
        if server is not None:
            server.stop()
        with contextlib.suppress(Exception):
            db.session.remove()
        with app.app_context():
            db.engine.dispose()
        if not args.keep_db:
            drop_database(db_url)
        broker.flushdb()
        shutil.rmtree(workdir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
