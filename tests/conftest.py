"""Shared fixtures. The portal's tests run against the real PostgreSQL server.

* ``pg_url``   — the test database (created if missing, migrated to head once per session).
* ``app``      — a fresh app bound to it; every table is truncated after the test.
* ``client``   — a test client whose ``post_form`` adds the CSRF token like a browser would.
* ``make_employer`` / ``make_consultant`` — factories that go through the real services.
* ``login``    — signs a client in.
* ``make_app`` — extra apps on the test database (other settings).

The real Redis and Celery worker (``redis_url``, ``celery_worker``, ``celery_settings``) are in
tests/fixtures/queue.py, loaded here as a plugin for the few tests that use them.
"""

from __future__ import annotations

import os
import re
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import itsdangerous
import psycopg
import pytest
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from flask.testing import FlaskClient
from flask_migrate import upgrade
from sqlalchemy import text
from sqlalchemy.engine import make_url

from portal import create_app, tokens
from portal.auth import services
from portal.cases import display
from portal.extensions import db, limiter
from portal.models import AccountType, Membership, Role
from portal.models._types import utcnow

pytest_plugins = ("tests.fixtures.queue",)

# pytest-xdist runs the tests in worker processes "gw0", "gw1", ...; without it there is one, index 0.
XDIST_WORKER = os.environ.get("PYTEST_XDIST_WORKER", "")
WORKER_INDEX = int(XDIST_WORKER.removeprefix("gw")) if XDIST_WORKER else 0


def _worker_database(url: str) -> str:
    """``url`` with the xdist worker's name appended to the database name (unchanged outside xdist)."""
    if not XDIST_WORKER:
        return url
    parsed = make_url(url)
    return parsed.set(database=f"{parsed.database}_{XDIST_WORKER}").render_as_string(hide_password=False)


# Each test process (each xdist worker) gets its own database (dropped at the end), so parallel runs
# never collide; TEST_DATABASE_URL names a fixed one instead (kept; one per worker under xdist).
PG_SERVER = os.environ.get("TEST_PG_SERVER", "postgresql+psycopg://postgres@127.0.0.1:5432")
PG_URL = _worker_database(os.environ.get("TEST_DATABASE_URL") or f"{PG_SERVER}/imp_portal_test_{os.getpid()}")
PASSWORD = "correct-horse-battery"  # invented test data

_CSRF_META = re.compile(r'<meta name="csrf-token" content="([^"]+)"')


def ensure_database(url: str) -> str:
    """Create the PostgreSQL database of ``url`` if it does not exist; fail loudly if the server is down."""
    parsed = make_url(url)
    admin = parsed.set(database="postgres").render_as_string(hide_password=False).replace("+psycopg", "")
    try:
        with psycopg.connect(admin, autocommit=True, connect_timeout=5) as conn:
            exists = conn.execute(
                "SELECT 1 FROM pg_database WHERE datname = %s", (parsed.database,)
            ).fetchone()
            if not exists:
                conn.execute(f'CREATE DATABASE "{parsed.database}"')
    except psycopg.OperationalError as exc:
        pytest.fail(
            f"PostgreSQL is not reachable at {parsed.host}:{parsed.port} ({exc}). "
            "Start it (scripts/ensure-services.sh) or set TEST_DATABASE_URL.",
            pytrace=False,
        )
    return url


def drop_database(url: str) -> None:
    parsed = make_url(url)
    admin = parsed.set(database="postgres").render_as_string(hide_password=False).replace("+psycopg", "")
    with psycopg.connect(admin, autocommit=True, connect_timeout=5) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{parsed.database}" WITH (FORCE)')


def reset_schema(url: str) -> None:
    engine_url = make_url(url).render_as_string(hide_password=False).replace("+psycopg", "")
    with psycopg.connect(engine_url, autocommit=True) as conn:
        conn.execute("DROP SCHEMA public CASCADE")
        conn.execute("CREATE SCHEMA public")


def make_test_app(database_url: str, tmp_path, **overrides):
    config = {
        "TESTING": True,
        "SECRET_KEY": "test-secret-key-that-is-long-enough-0123456789",
        "SQLALCHEMY_DATABASE_URI": database_url,
        "MAIL_BACKEND": "locmem",
        "RATELIMIT_STORAGE_URI": "memory://",
        "INSTANCE_PATH": str(tmp_path / "instance"),
        "DOCUMENT_STORE": str(tmp_path / "documents"),
        "SERVER_NAME": None,
    }
    config.update(overrides)
    app = create_app(config)
    # The limiter is one object for every app of the test process (a web process has one app):
    # each test app starts with no counts and no outage left by an earlier test.
    # (An app built on a Redis limiter storage is an outage test, which sets up its own state.)
    if app.config["RATELIMIT_STORAGE_URI"].startswith("memory://"):
        limiter._storage_dead = False
        with app.app_context():
            limiter.reset()
    return app


@pytest.fixture(scope="session", autouse=True)
def compiled_translations():
    """Compile the French catalogue when it is newer than its .mo (``make install`` does it too)."""

    for po in Path(__file__).resolve().parents[1].glob("portal/translations/*/LC_MESSAGES/messages.po"):
        mo = po.with_suffix(".mo")
        if not mo.exists() or mo.stat().st_mtime < po.stat().st_mtime:
            # written aside then renamed: another xdist worker may be reading the .mo meanwhile
            partial = mo.with_name(f"{mo.name}.{os.getpid()}.tmp")
            with po.open("rb") as src, partial.open("wb") as dst:
                write_mo(dst, read_po(src))
            partial.replace(mo)


@pytest.fixture(scope="session")
def pg_url(tmp_path_factory):
    url = ensure_database(PG_URL)
    reset_schema(url)

    app = make_test_app(url, tmp_path_factory.mktemp("migrate"))
    with app.app_context():
        upgrade()

        db.engine.dispose()
    yield url
    if not os.environ.get("TEST_DATABASE_URL"):
        drop_database(url)


class CSRFClient(FlaskClient):
    """A test client that sends forms with the CSRF token of its session, as the pages do."""

    def csrf_token(self) -> str:
        response = self.get("/", follow_redirects=True)
        match = _CSRF_META.search(response.get_data(as_text=True))
        assert match, "every page carries the CSRF token in <meta name=csrf-token>"
        return match.group(1)

    def post_form(self, url: str, data: dict | None = None, **kwargs):
        data = dict(data or {})
        data.setdefault("csrf_token", self.csrf_token())
        return self.post(url, data=data, **kwargs)


def truncate_all(app) -> None:
    with app.app_context():
        tables = ", ".join(t.name for t in db.metadata.sorted_tables)
        db.session.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
        db.session.commit()
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def app(pg_url, tmp_path):
    # A new app is a new deploy: the case page's rendered parts (kept per process, keyed by the
    # assessment) start empty, as after a restart, so a test that changes parameters or templates
    # never reads a part another test rendered in this worker.
    display.PARTS.clear()
    app = make_test_app(pg_url, tmp_path)
    app.test_client_class = CSRFClient
    yield app
    truncate_all(app)


@pytest.fixture
def client(app) -> CSRFClient:
    return app.test_client()


@pytest.fixture
def outbox(app):
    """Mail sent during the test (Flask-Mailman's locmem backend)."""
    mailman = app.extensions["mailman"]
    mailman.outbox = []
    return mailman.outbox


@dataclass
class Account:
    user_id: int
    email: str
    password: str
    org_id: int | None = None


ORG_DATA = {
    "legal_name": "Northwind Test Systems Inc.",
    "operating_name": "",
    "street_address": "1 Test Avenue",
    "city": "Toronto",
    "province": "ON",
    "postal_code": "M5V 2T6",
    "telephone": "416-555-0199",
    "employees": 40,
    "gross_annual_revenue": 5_000_000,
}

_counter = {"n": 0}


def _next() -> int:
    _counter["n"] += 1
    return _counter["n"]


@pytest.fixture
def make_employer(app):
    """Register an employer (user + organization) through the service; returns an Account."""

    def make(
        email: str | None = None,
        legal_name: str | None = None,
        business_number: str | None = None,
        verified: bool = True,
    ) -> Account:

        n = _next()
        data = {
            **ORG_DATA,
            "name": f"Tester {n}",
            "email": email or f"owner{n}@employer{n}.example.com",
            "password": PASSWORD,
            "legal_name": legal_name or f"Employer {n} Ltd.",
            "business_number": business_number or f"{100000000 + n}",
        }
        with app.app_context():
            user, org = services.register_employer(data)
            if verified:  # an established account; tests of verification pass verified=False
                services.mark_verified(user, now=utcnow())
            db.session.commit()
            return Account(user.id, user.email, PASSWORD, org.id)

    return make


@pytest.fixture
def add_member(app):
    """Add an existing or new user to an organization with a role; returns an Account."""

    def add(org_id: int, role: str = "member", email: str | None = None) -> Account:
        n = _next()
        with app.app_context():
            user = services.find_user(email) if email else None
            if user is None:
                user = services.new_user(
                    name=f"Member {n}",
                    email=email or f"member{n}@example.com",
                    password=PASSWORD,
                    account_type=AccountType.EMPLOYER,
                )
                services.mark_verified(user, now=utcnow())
                db.session.flush()
            db.session.add(Membership(organization_id=org_id, user_id=user.id, role=Role(role)))
            db.session.commit()
            return Account(user.id, user.email, PASSWORD, org_id)

    return add


@pytest.fixture
def make_consultant(app):
    def make(email: str | None = None, licence: str | None = None, verified: bool = True) -> Account:
        n = _next()
        with app.app_context():
            user = services.register_consultant(
                {
                    "name": f"Consultant {n}",
                    "email": email or f"rcic{n}@consulting.example.com",
                    "password": PASSWORD,
                    "cicc_licence": licence or f"R{700000 + n}",
                }
            )
            if verified:
                services.mark_verified(user, now=utcnow())
            db.session.commit()
            return Account(user.id, user.email, PASSWORD)

    return make


@pytest.fixture
def login():
    def do_login(client: CSRFClient, account: Account):
        response = client.post_form("/login", {"email": account.email, "password": account.password})
        assert response.status_code == 302, response.get_data(as_text=True)[:500]
        return response

    return do_login


@pytest.fixture
def backdated_links(monkeypatch):
    """Within ``with backdated_links(seconds):`` the portal signs its links as if made that long ago."""

    @contextmanager
    def backdate(seconds: int):
        class OldSigner(itsdangerous.TimestampSigner):
            def get_timestamp(self) -> int:
                return super().get_timestamp() - seconds

        original = tokens._serializer

        def serializer(purpose):
            s = original(purpose)
            s.signer = OldSigner
            return s

        with monkeypatch.context() as m:
            m.setattr(tokens, "_serializer", serializer)
            yield

    return backdate


@pytest.fixture
def make_app(pg_url, tmp_path):
    """Build extra apps (other settings) on the test database; their connections are closed afterwards."""
    apps = []

    def make(database_url: str | None = None, **overrides):
        app = make_test_app(database_url or pg_url, tmp_path, **overrides)
        app.test_client_class = CSRFClient
        apps.append(app)
        return app

    yield make

    for app in apps:
        with app.app_context():
            db.session.remove()
            db.engine.dispose()
