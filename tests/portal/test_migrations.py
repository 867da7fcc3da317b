"""Every table comes from a migration that upgrades and downgrades on SQLite and PostgreSQL."""

from __future__ import annotations

import os

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect

from portal.extensions import db
from tests.conftest import PG_URL, drop_database, ensure_database, make_test_app, reset_schema

EXPECTED = {
    "organizations",
    "users",
    "memberships",
    "invitations",
    "audit_events",
    "foreign_enterprises",
    "positions",
    "transferees",
    "employment_records",
    "cases",
}


def _tables(db) -> set[str]:
    return set(inspect(db.engine).get_table_names()) - {"alembic_version"}


def _round_trip(url, tmp_path):
    app = make_test_app(url, tmp_path)

    with app.app_context():
        upgrade()
        tables = _tables(db)
        assert tables >= EXPECTED
        assert tables == {t.name for t in db.metadata.sorted_tables}, "models and migrations disagree"
        downgrade(revision="base")
        assert _tables(db) == set()
        upgrade()
        assert _tables(db) >= EXPECTED
        db.engine.dispose()


def test_migrations_round_trip_on_sqlite(tmp_path):
    _round_trip(f"sqlite:///{tmp_path / 'm.sqlite3'}", tmp_path)


@pytest.mark.postgres
def test_migrations_round_trip_on_postgresql(tmp_path):
    url = PG_URL.rsplit("/", 1)[0] + f"/imp_portal_migrations_test_{os.getpid()}"
    ensure_database(url)
    reset_schema(url)
    try:
        _round_trip(url, tmp_path)
    finally:
        drop_database(url)


def test_models_have_no_change_missing_from_the_migrations(pg_url, tmp_path):
    """Alembic's autogenerate finds nothing to add: the schema is fully described by migrations."""

    app = make_test_app(pg_url, tmp_path)

    with app.app_context():
        with db.engine.connect() as conn:
            diff = compare_metadata(
                MigrationContext.configure(conn, opts={"compare_type": True}), db.metadata
            )
        db.engine.dispose()
    assert diff == []
