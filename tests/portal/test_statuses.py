"""Statuses are StrEnums: PostgreSQL's CHECK constraints refuse any other value, the ORM refuses it
before the database does, and every member has its label in English and French."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from flask_babel import force_locale
from sqlalchemy import select, text
from sqlalchemy.exc import IntegrityError, StatementError

from portal import labels
from portal.cases.lifecycle import CaseStage
from portal.extensions import db
from portal.models import (
    Case,
    CaseStatus,
    Document,
    DocumentStatus,
    Engagement,
    EngagementStatus,
    Review,
    ReviewDecision,
)
from tests.portal.test_consult import accept, consultant, employer, engage, packet  # noqa: F401 (fixtures)

COLUMNS = [("cases", "status"), ("documents", "status"), ("engagements", "status"), ("reviews", "decision")]


@pytest.fixture
def one_of_each(app, client, employer, consultant):  # noqa: F811 (fixtures)
    """A case, a ready packet, an active engagement and a review of the packet (through the pages)."""
    _account, case_id = employer
    engage(client)
    _c, rc = consultant
    accept(app, rc)
    document_id = packet(client, case_id)
    assert (
        rc.post_form(
            f"/documents/{document_id}/review", {"decision": "approved", "as_it_is": "y"}
        ).status_code
        == 302
    )
    with app.app_context():
        assert db.session.scalar(select(Review.decision)) == "approved"
        return {
            "cases": case_id,
            "documents": document_id,
            "engagements": db.session.scalar(select(Engagement.id)),
            "reviews": db.session.scalar(select(Review.id)),
        }


@pytest.mark.postgres
@pytest.mark.parametrize(("table", "column"), COLUMNS)
def test_postgresql_refuses_a_status_outside_the_enum(app, one_of_each, table, column):
    with app.app_context():
        with pytest.raises(IntegrityError, match=f"ck_{table}_{column}"):
            db.session.execute(
                text(f"UPDATE {table} SET {column} = 'bogus' WHERE id = :id"), {"id": one_of_each[table]}
            )
        db.session.rollback()
        # a member is accepted (the constraint is not refusing everything)
        value = db.session.execute(text(f"SELECT {column} FROM {table}")).scalar()
        db.session.execute(
            text(f"UPDATE {table} SET {column} = :v WHERE id = :id"), {"v": value, "id": one_of_each[table]}
        )
        db.session.rollback()


@pytest.mark.parametrize("model", [Case, Document, Engagement])
def test_the_orm_refuses_a_status_outside_the_enum_before_the_database(app, one_of_each, model):
    with app.app_context():
        row = db.session.get(model, one_of_each[model.__tablename__])
        row.status = "bogus"
        with pytest.raises(StatementError, match="bogus"):
            db.session.flush()
        db.session.rollback()


def test_every_status_has_its_label_in_both_languages(app):
    for statuses, table in labels.STATUS_LABELS:
        assert set(table) == set(statuses), statuses.__name__
        with app.test_request_context():
            for lang in ("en", "fr"):
                with force_locale(lang):
                    assert all(str(table[member]).strip() for member in statuses)
            with force_locale("fr"):
                translated = {str(table[m]) for m in statuses}
            with force_locale("en"):
                assert translated != {str(table[m]) for m in statuses}, statuses.__name__


# A status, stage or decision compared with a quoted value of its enum, in Python or in a template
# (`status == "ready"`, `stage == 'returned'`, `decision in ("approved", ...)`): the enum's member is
# meant (DocumentStatus.READY, CaseStage.RETURNED), so a renamed value cannot silently stop matching.
ROOT = Path(__file__).resolve().parents[2]
ENUM_VALUES = {
    m.value
    for enum in (CaseStatus, DocumentStatus, EngagementStatus, ReviewDecision, CaseStage)
    for m in enum
}
BARE_COMPARISON = re.compile(
    r"\b(?:status|stage|decision)\s*(?:==|!=|\bin\b|\bnot in\b)\s*[(\[{]?\s*['\"](?P<value>\w+)['\"]"
)


def bare_status_comparisons(root):
    for path in sorted([*root.rglob("*.py"), *root.rglob("*.html")]):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            for match in BARE_COMPARISON.finditer(line):
                if match["value"] in ENUM_VALUES:
                    yield f"{path.relative_to(root)}:{number}: {line.strip()}"


def test_no_status_is_compared_with_a_bare_string_in_code_or_templates():
    found = [*bare_status_comparisons(ROOT / "portal"), *bare_status_comparisons(ROOT / "templates")]
    assert found == []


def test_the_bare_status_check_finds_a_bare_comparison(tmp_path):
    (tmp_path / "t.html").write_text(
        "{% if d.status == 'ready' %}{% endif %}\n{% if stage != \"returned\" %}"
    )
    (tmp_path / "ok.html").write_text(
        "{% if d.status == DocumentStatus.READY %}{% endif %} {{ c.status == 'missing' }}"
    )
    found = list(bare_status_comparisons(tmp_path))
    assert [line.split(":")[0] for line in found] == ["t.html", "t.html"]
