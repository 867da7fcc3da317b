"""CHECK constraints on the statuses of cases, documents and engagements and on review decisions

Revision ID: 0006_statuses
Revises: 0005_auth
Create Date: 2026-12-03 11:00:00

The values are written out here (not read from portal.models.statuses): a migration describes the
schema of its day and must not change when the enums do; a new member gets its own migration.
"""

from alembic import op

# revision identifiers, used by Alembic.
revision = "0006_statuses"
down_revision = "0005_auth"
branch_labels = None
depends_on = None

CHECKS = {
    ("cases", "status"): ("draft", "ready", "submitted", "approved", "closed"),
    ("documents", "status"): ("queued", "rendering", "ready", "failed"),
    ("engagements", "status"): ("invited", "active", "revoked"),
    ("reviews", "decision"): ("approved", "returned"),
}


def upgrade():
    for (table, column), values in CHECKS.items():
        allowed = ", ".join(f"'{v}'" for v in values)
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.create_check_constraint(op.f(f"ck_{table}_{column}"), f"{column} IN ({allowed})")


def downgrade():
    for table, column in reversed(list(CHECKS)):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_constraint(op.f(f"ck_{table}_{column}"), type_="check")
