"""documents.queued_at: when a failed document was asked again (its wait is counted from there)

Revision ID: 0020_document_queued_at
Revises: 0019_case_decision_columns
Create Date: 2026-12-06 15:30:00

A document queued for a minute or more says how long it has waited (the documents page, its status JSON).
A version asked again after it failed keeps its ``created_at``: counted from there, it said at once that it
had waited since the day it was first asked. ``queued_at`` is set by the retry; None (every document before,
and a version never retried): its ``created_at``.
"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0020_document_queued_at"
down_revision = "0019_case_decision_columns"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("documents", schema=None) as batch_op:
        batch_op.add_column(sa.Column("queued_at", sa.DateTime(timezone=True), nullable=True))


def downgrade():
    with op.batch_alter_table("documents", schema=None) as batch_op:
        batch_op.drop_column("queued_at")
