"""cases.likely_code and cases.ict_blocked: what the case list says of a case is what its page says

Revision ID: 0019_case_decision_columns
Revises: 0018_document_letter_gaps
Create Date: 2026-12-11 14:00:00

The case list read only the route and said "Needs answers" of a case whose page headlined "Likely T37 —
2 answers needed", or "No intra-company transfer" when the foreign group company is recorded as not doing
business. Both now say ``cases.decision.decide`` of the case's columns; the list stays one query, without
the assessment JSON, with two more columns written with every stored assessment: the code that could
still fit first (pending route) and whether the intra-company codes fail on the foreign company's not
doing business. The cases assessed before get them here from their stored assessment, either shape (the
rules' stored form, or both languages' before migration 0014).
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0019_case_decision_columns"
down_revision = "0018_document_letter_gaps"
branch_labels = None
depends_on = None

BATCH = 500
# cases.decision.FOREIGN_NOT_DOING_BUSINESS (frozen here)
FOREIGN_NOT_DOING_BUSINESS = "ict.foreign_doing_business"

cases = sa.table(
    "cases",
    sa.column("id", sa.Integer),
    sa.column("assessment", sa.JSON),
    sa.column("likely_code", sa.String),
    sa.column("ict_blocked", sa.Boolean),
)


def _columns(stored: Any) -> tuple[str | None, bool]:
    """``(likely_code, ict_blocked)`` of a stored assessment (``cases.decision.stored_columns``; a row
    stored in both languages before 0014: its English output, the criteria of its candidates)."""
    if not isinstance(stored, dict):
        return None, False
    if "format" in stored:  # rules.stored_form
        pending = stored.get("pending") or []
        likely = str(pending[0][0]) if stored.get("route") == "pending" and pending else None
        return likely, FOREIGN_NOT_DOING_BUSINESS in (stored.get("not_met") or ())
    shown = stored.get("en") or {}
    pending = shown.get("pending") or []
    likely = str(pending[0].get("code")) if shown.get("route") == "pending" and pending else None
    blocked = any(
        criterion.get("id") == FOREIGN_NOT_DOING_BUSINESS and criterion.get("status") == "not_met"
        for candidate in shown.get("candidates") or []
        for criterion in candidate.get("criteria") or []
    )
    return likely, blocked


def upgrade() -> None:
    op.add_column("cases", sa.Column("likely_code", sa.String(length=10), nullable=True))
    op.add_column("cases", sa.Column("ict_blocked", sa.Boolean(), server_default=sa.false(), nullable=False))
    bind = op.get_bind()
    after = 0
    while rows := list(
        bind.execute(
            sa.select(cases.c.id, cases.c.assessment)
            .where(cases.c.id > after, cases.c.assessment.is_not(None))
            .order_by(cases.c.id)
            .limit(BATCH)
        )
    ):
        for row in rows:
            likely, blocked = _columns(row.assessment)
            if likely is not None or blocked:
                bind.execute(
                    sa.update(cases)
                    .where(cases.c.id == row.id)
                    .values(likely_code=likely, ict_blocked=blocked)
                )
        after = rows[-1].id


def downgrade() -> None:
    op.drop_column("cases", "ict_blocked")
    op.drop_column("cases", "likely_code")
