"""Every table comes from a migration that upgrades and downgrades on SQLite and PostgreSQL."""

from __future__ import annotations

import json
import os
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect, text

import rules
from portal.extensions import db
from portal.models import Case
from rules.params import load_text
from tests.conftest import PG_URL, drop_database, ensure_database, make_test_app, reset_schema

RULES_CASES = Path(__file__).parents[1] / "rules" / "cases"
# One invented organization as the old migrations' tables hold it (the data migrations' tests start from it).
ORGANIZATION_ROW = (
    "INSERT INTO organizations (id, legal_name, business_number, street_address, city, province, postal_code,"
    " telephone, employees, gross_annual_revenue, created_at) VALUES (1, 'Invented One Ltd.', '100000001',"
    " '1 Test Avenue', 'Toronto', 'ON', 'M5V 2T6', '416-555-0199', 40, 5000000, '2026-12-01 10:00:00+00')"
)
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


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def empty_database(request, tmp_path):
    """The URL of an empty database: a new SQLite file, or a PostgreSQL database of this test's own
    (dropped afterwards)."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'm.sqlite3'}"
        return
    url = PG_URL.rsplit("/", 1)[0] + f"/imp_portal_migrations_test_{os.getpid()}"
    ensure_database(url)
    reset_schema(url)
    try:
        yield url
    finally:
        drop_database(url)


def _tables(db) -> set[str]:
    return set(inspect(db.engine).get_table_names()) - {"alembic_version"}


def _upgrade_with_rows(revision: str, *rows: str) -> None:
    """Upgrades to ``revision`` and inserts ORGANIZATION_ROW then ``rows`` (SQL in that revision's schema):
    where a data migration's test starts."""
    upgrade(revision=revision)
    with db.engine.begin() as conn:
        for sql in (ORGANIZATION_ROW, *rows):
            conn.execute(text(sql))


def test_migrations_round_trip(empty_database, tmp_path):
    app = make_test_app(empty_database, tmp_path)

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


def test_the_facts_migration_moves_case_answers_to_their_owners(empty_database, tmp_path):
    app = make_test_app(empty_database, tmp_path)
    stamp = "'2026-12-01 10:00:00+00'"
    with app.app_context():
        _upgrade_with_rows(
            "0009_org_time_zone",
            "INSERT INTO foreign_enterprises (id, organization_id, name, country, relationship,"
            f" countries_of_operation, created_at) VALUES (1, 1, 'Invented Parent', 'US', 'parent', '[]',"
            f" {stamp})",
            "INSERT INTO positions (id, organization_id, title, noc_code, extra_facts, created_at,"
            f" updated_at) VALUES (1, 1, 'Manager', '00012', '{{}}', {stamp}, {stamp})",
            "INSERT INTO transferees (id, organization_id, given_names, family_name, citizenships,"
            " permanent_residences, extra_facts, created_at, updated_at) VALUES (1, 1, 'Avery',"
            f" 'Inventedname', '[\"IN\"]', '[]', '{{\"worker.self_employed\": false}}', {stamp}, {stamp})",
            "INSERT INTO cases (id, organization_id, transferee_id, position_id, foreign_enterprise_id,"
            " status, answers, open_questions, created_at, updated_at) VALUES (1, 1, 1, 1, 1, 'draft',"
            ' \'{"employer.actively_engaged": true, "foreign_enterprise.establishment_in_canada": false,'
            ' "position.significant_benefit": false, "worker.specialized_knowledge": true,'
            ' "worker.self_employed": true, "worker.retains_position_abroad": true}\','
            f" 0, {stamp}, {stamp})",
        )
        upgrade()
        with db.engine.connect() as conn:

            def row(sql):  # SQLite hands back JSON as text, PostgreSQL as values
                value = conn.execute(text(sql)).scalar()
                return json.loads(value) if isinstance(value, str) else value

            assert row("SELECT extra_facts FROM organizations") == {"employer.actively_engaged": True}
            assert row("SELECT extra_facts FROM foreign_enterprises") == {
                "foreign_enterprise.establishment_in_canada": False
            }
            assert row("SELECT extra_facts FROM positions") == {"position.significant_benefit": False}
            # The transferee's own value wins over the case's; a fact of this transfer stays on the case.
            assert row("SELECT extra_facts FROM transferees") == {
                "worker.specialized_knowledge": True,
                "worker.self_employed": False,
            }
            assert row("SELECT answers FROM cases") == {"worker.retains_position_abroad": True}
        downgrade(revision="0009_org_time_zone")
        with db.engine.connect() as conn:
            answers = conn.execute(text("SELECT answers FROM cases")).scalar()
        assert (json.loads(answers) if isinstance(answers, str) else answers) == {
            "employer.actively_engaged": True,
            "foreign_enterprise.establishment_in_canada": False,
            "worker.retains_position_abroad": True,
        }
        db.engine.dispose()


def _legacy(assessment) -> dict:
    """An assessment as cases stored it before 0014: both languages, a criterion's address left out when
    it was its code's."""
    both = json.loads(json.dumps(assessment.to_dicts()))
    for lang in both.values():
        for candidate in lang["candidates"]:
            for criterion in candidate["criteria"]:
                if criterion["citation"]["url"] == candidate["citation"]["url"]:
                    del criterion["citation"]["url"]
    return both


def test_the_assessment_migration_stores_the_neutral_form(empty_database, tmp_path):
    """Rows the engine reproduces from their stored facts are stored in the neutral form (and read back
    as the rules' output); the others are left as they were; downgrading renders both languages back."""
    data = load_text((RULES_CASES / "case02-us-executive.yaml").read_text(encoding="utf-8"))
    on = date.fromisoformat(str(data["as_of"]))
    facts = rules.facts_from_dict(data["facts"])
    assessment = rules.assess(facts, as_of=on)
    current = _legacy(assessment)
    older = _legacy(assessment)  # the same outcome, said by another rule-set version
    for lang in older.values():
        lang["ruleset_version"] = "2025.1-old"
    changed = _legacy(assessment)  # an outcome the engine does not reproduce on the stored facts
    changed["en"]["candidates"][0]["criteria"][0]["status"] = "unknown"
    app = make_test_app(empty_database, tmp_path)
    cases = sa.table(
        "cases",
        *(sa.column(c) for c in ("id", "organization_id", "transferee_id", "position_id", "status")),
        *(sa.column(c) for c in ("open_questions", "created_at", "updated_at", "assessed_as_of")),
        sa.column("answers", sa.JSON),
        sa.column("assessment", sa.JSON),
        sa.column("facts_snapshot", sa.JSON),
    )
    stamp = datetime(2026, 12, 1, 10, tzinfo=UTC)
    with app.app_context():
        _upgrade_with_rows(
            "0013_review_comments",
            "INSERT INTO positions (id, organization_id, title, noc_code, extra_facts, created_at,"
            " updated_at) VALUES (1, 1, 'Manager', '00012', '{}', '2026-12-01 10:00:00+00',"
            " '2026-12-01 10:00:00+00')",
            "INSERT INTO transferees (id, organization_id, given_names, family_name, citizenships,"
            " permanent_residences, extra_facts, created_at, updated_at) VALUES (1, 1, 'Avery',"
            " 'Inventedname', '[\"US\"]', '[]', '{}', '2026-12-01 10:00:00+00', '2026-12-01 10:00:00+00')",
        )
        with db.engine.begin() as conn:
            for case_id, stored in enumerate((current, older, changed, None), start=1):
                conn.execute(
                    cases.insert().values(
                        id=case_id,
                        organization_id=1,
                        transferee_id=1,
                        position_id=1,
                        status="draft",
                        answers={},
                        open_questions=0,
                        created_at=stamp,
                        updated_at=stamp,
                        assessment=stored,
                        facts_snapshot=facts.to_dict() if stored else None,
                        assessed_as_of=on if stored else None,
                    )
                )
        upgrade()

        def stored_rows() -> dict:
            with db.engine.connect() as conn:
                rows = conn.execute(text("SELECT id, assessment FROM cases ORDER BY id")).all()
            # SQLite hands back JSON as text, PostgreSQL as values
            return {i: json.loads(v) if isinstance(v, str) else v for i, v in rows}

        after = stored_rows()
        assert after[1] == json.loads(json.dumps(rules.stored_form(assessment)))
        assert len(json.dumps(after[1])) * 10 < len(json.dumps(current))
        for lang in ("en", "fr"):  # read back: the rules' output, every text and address
            shown = db.session.get(Case, 1).assessment_in(lang)
            assert shown == json.loads(json.dumps(assessment.to_dict(lang)))
            assert db.session.get(Case, 2).assessment_in(lang) == older[lang]  # kept as it was
        db.session.rollback()
        assert after[2] == older and after[3] == changed and after[4] is None
        downgrade(revision="0013_review_comments")
        before = stored_rows()
        assert before[1] == json.loads(json.dumps(assessment.to_dicts()))
        assert before[2] == older and before[3] == changed and before[4] is None
        db.engine.dispose()


def test_the_pin_migration_keeps_the_code_of_every_offer_already_filed(empty_database, tmp_path):
    """0017: a case filed before the pin existed gets its recommended code pinned (a re-assessment would
    otherwise change what was filed); a case not filed, or already pinned, is left alone."""
    app = make_test_app(empty_database, tmp_path)
    stamp = "'2026-12-01 10:00:00+00'"
    with app.app_context():
        case = (
            "INSERT INTO cases (id, organization_id, transferee_id, position_id, status, answers, open_questions,"
            " recommended_code, chosen_code, offer_number, created_at, updated_at) VALUES"
            " ({id}, 1, 1, 1, 'submitted', '{{}}', 0, {rec}, {chosen}, {offer}, {stamp}, {stamp})"
        )
        _upgrade_with_rows(
            "0016_enterprise_ownership_share",
            "INSERT INTO positions (id, organization_id, title, noc_code, extra_facts, created_at,"
            f" updated_at) VALUES (1, 1, 'Manager', '00012', '{{}}', {stamp}, {stamp})",
            "INSERT INTO transferees (id, organization_id, given_names, family_name, citizenships,"
            " permanent_residences, extra_facts, created_at, updated_at) VALUES (1, 1, 'Avery',"
            f" 'Inventedname', '[\"IN\"]', '[]', '{{}}', {stamp}, {stamp})",
            case.format(id=1, rec="'T37'", chosen="NULL", offer="'A1234567'", stamp=stamp),
            case.format(id=2, rec="'T37'", chosen="'C62'", offer="'A7654321'", stamp=stamp),
            case.format(id=3, rec="'T37'", chosen="NULL", offer="NULL", stamp=stamp),
        )
        upgrade()
        with db.engine.connect() as conn:
            pins = dict(conn.execute(text("SELECT id, chosen_code FROM cases ORDER BY id")).all())
        db.engine.dispose()
    assert pins == {1: "T37", 2: "C62", 3: None}


def test_the_letter_gaps_migration_records_what_each_document_still_leaves_to_complete(
    empty_database, tmp_path
):
    """0018: a document made before its letter's gaps were recorded gets them from its snapshot's sections
    (each once, in reading order), so the documents page warns beside it too; a snapshot without sections
    stays NULL (not known)."""
    app = make_test_app(empty_database, tmp_path)
    stamp = "'2026-12-01 10:00:00+00'"
    sections = [
        {"key": "relationship", "text": "Rocky holds [to complete: share of the capital and votes held]."},
        {
            "key": "evidence",
            "text": "- [to complete: enclose Passport]\n- [to complete: share of the capital\n and votes held]",
        },
        {"key": "closing", "text": "Sincerely."},
    ]
    document = (
        "INSERT INTO documents (id, organization_id, case_id, kind, language, version, status, snapshot,"
        " snapshot_sha256, attempts, created_at) VALUES ({id}, 1, 1, 'support_letter', 'en', {id}, 'ready',"
        " '{snapshot}', '{sha}', 0, {stamp})"
    )
    with app.app_context():
        _upgrade_with_rows(
            "0017_pin_filed_codes",
            "INSERT INTO positions (id, organization_id, title, noc_code, extra_facts, created_at,"
            f" updated_at) VALUES (1, 1, 'Manager', '00012', '{{}}', {stamp}, {stamp})",
            "INSERT INTO transferees (id, organization_id, given_names, family_name, citizenships,"
            " permanent_residences, extra_facts, created_at, updated_at) VALUES (1, 1, 'Avery',"
            f" 'Inventedname', '[\"US\"]', '[]', '{{}}', {stamp}, {stamp})",
            "INSERT INTO cases (id, organization_id, transferee_id, position_id, status, answers, open_questions,"
            f" created_at, updated_at) VALUES (1, 1, 1, 1, 'ready', '{{}}', 0, {stamp}, {stamp})",
            document.format(
                id=1, snapshot=json.dumps({"letter": {"sections": sections}}), sha="a" * 64, stamp=stamp
            ),
            document.format(id=2, snapshot=json.dumps({"letter": {"lang": "en"}}), sha="b" * 64, stamp=stamp),
        )
        upgrade()
        with db.engine.connect() as conn:
            rows = conn.execute(
                sa.select(sa.column("id"), sa.column("letter_gaps", sa.JSON))
                .select_from(sa.table("documents"))
                .order_by(sa.column("id"))
            ).all()
        db.engine.dispose()
    assert dict(rows) == {1: ["share of the capital and votes held", "enclose Passport"], 2: None}


def test_the_decision_migration_fills_the_columns_the_case_list_reads(empty_database, tmp_path):
    """0019: a case assessed before gets the code that could still fit first (pending route) and whether
    the intra-company codes fail on the foreign company's not doing business, from either shape of its
    stored assessment, so the list says what the page says (cases.decision)."""
    app = make_test_app(empty_database, tmp_path)
    stamp = "'2026-12-01 10:00:00+00'"
    stored = {"format": 1, "route": "pending", "pending": [["T37", [0]]], "not_met": []}
    legacy = {
        "en": {
            "route": "pending",
            "pending": [{"code": "T35"}],
            "candidates": [
                {"code": "T37", "criteria": [{"id": "ict.foreign_doing_business", "status": "not_met"}]}
            ],
        }
    }
    case = (
        "INSERT INTO cases (id, organization_id, transferee_id, position_id, status, answers, open_questions,"
        " route, assessment, created_at, updated_at) VALUES ({id}, 1, 1, 1, 'draft', '{{}}', 2, {route},"
        " {assessment}, {stamp}, {stamp})"
    )
    with app.app_context():
        _upgrade_with_rows(
            "0018_document_letter_gaps",
            "INSERT INTO positions (id, organization_id, title, noc_code, extra_facts, created_at,"
            f" updated_at) VALUES (1, 1, 'Manager', '00012', '{{}}', {stamp}, {stamp})",
            "INSERT INTO transferees (id, organization_id, given_names, family_name, citizenships,"
            " permanent_residences, extra_facts, created_at, updated_at) VALUES (1, 1, 'Avery',"
            f" 'Inventedname', '[\"US\"]', '[]', '{{}}', {stamp}, {stamp})",
            case.format(id=1, route="'pending'", assessment=f"'{json.dumps(stored)}'", stamp=stamp),
            case.format(id=2, route="'pending'", assessment=f"'{json.dumps(legacy)}'", stamp=stamp),
            case.format(
                id=3,
                route="'IMP'",
                assessment=f"'{json.dumps({**stored, 'route': 'IMP', 'pending': []})}'",
                stamp=stamp,
            ),
            case.format(id=4, route="NULL", assessment="NULL", stamp=stamp),
        )
        upgrade()
        with db.engine.connect() as conn:
            rows = conn.execute(text("SELECT id, likely_code, ict_blocked FROM cases ORDER BY id")).all()
        db.engine.dispose()
    assert [tuple(r) for r in rows] == [
        (1, "T37", False),
        (2, "T35", True),
        (3, None, False),
        (4, None, False),
    ]
