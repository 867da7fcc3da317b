"""cases.assessment in the rules' language-neutral form (a few kB, no text) instead of both languages

Revision ID: 0014_assessment_stored_form
Revises: 0013_review_comments
Create Date: 2026-12-03 18:30:00

A case stored the rules' output in English and in French (~64 kB of JSON, ~16 kB on disk); it now
stores ``rules.stored_form`` (the outcome, each criterion's value, the questions' facts, the warnings'
ids and values) and the texts are rendered from the rules' tables when read (``Case.assessment_in``).

Each row is recomputed from the facts it stored (``facts_snapshot``, as of ``assessed_as_of``) with the
rules engine installed, and converted only when the recomputation says what the row says: the same
rule-set version, date, outcome, codes, criteria statuses, questions, evidence, warnings, ... (every
value but the texts). A row it cannot reproduce (assessed under another rule-set version, facts the
engine no longer reads) is left as it is: readers take both shapes, and the next re-assessment of the
case (the book, for every open case) stores the new form. So this migration never changes what a row
says, whatever engine runs it. Downgrading renders each converted row back into both languages.
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import sqlalchemy as sa
from alembic import op

import rules

# revision identifiers, used by Alembic.
revision = "0014_assessment_stored_form"
down_revision = "0013_review_comments"
branch_labels = None
depends_on = None

BATCH = 500
# the keys whose values are texts (or a text's address) in the rules' output of the day
TEXT_KEYS = frozenset({"text", "label", "question", "decides", "note", "url", "lang"})

cases = sa.table(
    "cases",
    sa.column("id", sa.Integer),
    sa.column("assessment", sa.JSON),
    sa.column("facts_snapshot", sa.JSON),
    sa.column("assessed_as_of", sa.Date),
)


def _values(data: Any) -> Any:
    """Everything of an assessment's output but its texts (lists keep their order)."""
    if isinstance(data, dict):
        return {k: _values(v) for k, v in data.items() if k not in TEXT_KEYS}
    if isinstance(data, (list, tuple)):
        return [_values(v) for v in data]
    return data


def _converted(stored: Any, facts: Any, as_of: Any) -> dict[str, Any] | None:
    """The stored form of a row in both languages, or None when it cannot be reproduced."""
    if not isinstance(stored, dict) or rules.is_stored_form(stored) or not facts or as_of is None:
        return None
    english = stored.get("en")
    if not isinstance(english, dict):
        return None
    if isinstance(as_of, str):  # SQLite without type conversion
        as_of = date.fromisoformat(as_of)
    try:
        assessment = rules.assess(rules.facts_from_dict(facts), as_of=as_of)
    except (rules.FactsError, ValueError, KeyError, TypeError):
        return None
    again = json.loads(json.dumps(assessment.to_dict("en")))
    if _values(again) != _values(english):
        return None
    return rules.stored_form(assessment)


def _rows(bind: sa.Connection, after: int) -> list[Any]:
    return list(
        bind.execute(
            sa.select(cases.c.id, cases.c.assessment, cases.c.facts_snapshot, cases.c.assessed_as_of)
            .where(cases.c.id > after, cases.c.assessment.is_not(None))
            .order_by(cases.c.id)
            .limit(BATCH)
        )
    )


def upgrade() -> None:
    bind = op.get_bind()
    after = 0
    while rows := _rows(bind, after):
        for row in rows:
            new = _converted(row.assessment, row.facts_snapshot, row.assessed_as_of)
            if new is not None:
                bind.execute(sa.update(cases).where(cases.c.id == row.id).values(assessment=new))
        after = rows[-1].id


def downgrade() -> None:
    bind = op.get_bind()
    after = 0
    while rows := _rows(bind, after):
        for row in rows:
            if rules.is_stored_form(row.assessment):
                assessment = rules.from_stored(row.assessment)
                both = json.loads(json.dumps({lang: assessment.to_dict(lang) for lang in ("en", "fr")}))
                bind.execute(sa.update(cases).where(cases.c.id == row.id).values(assessment=both))
        after = rows[-1].id
