"""Re-assessing the book when the rule set changes: runs, changed outcomes, banner dismissals

Revision ID: 0008_book
Revises: 0007_approval_signature
Create Date: 2026-12-03 11:30:00
"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0008_book"
down_revision = "0007_approval_signature"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "ruleset_runs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organization_id", sa.Integer(), nullable=False),
        sa.Column("ruleset_version", sa.String(length=40), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("mailed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("changed_count", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["organization_id"], ["organizations.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("organization_id", "ruleset_version"),
    )
    op.create_index("ix_ruleset_runs_organization_id", "ruleset_runs", ["organization_id"])
    op.create_table(
        "ruleset_changes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("organization_id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("old_version", sa.String(length=40), nullable=True),
        sa.Column("old_route", sa.String(length=20), nullable=True),
        sa.Column("old_code", sa.String(length=10), nullable=True),
        sa.Column("new_version", sa.String(length=40), nullable=False),
        sa.Column("new_route", sa.String(length=20), nullable=True),
        sa.Column("new_code", sa.String(length=10), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["run_id"], ["ruleset_runs.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["organization_id"], ["organizations.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["case_id"], ["cases.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("run_id", "case_id"),
    )
    op.create_index("ix_ruleset_changes_run_id", "ruleset_changes", ["run_id"])
    op.create_index("ix_ruleset_changes_organization_id", "ruleset_changes", ["organization_id"])
    op.create_index("ix_ruleset_changes_case_id", "ruleset_changes", ["case_id"])
    op.create_table(
        "ruleset_notices_seen",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("seen_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["run_id"], ["ruleset_runs.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("run_id", "user_id"),
    )
    op.create_index("ix_ruleset_notices_seen_run_id", "ruleset_notices_seen", ["run_id"])
    op.create_index("ix_ruleset_notices_seen_user_id", "ruleset_notices_seen", ["user_id"])


def downgrade():
    op.drop_table("ruleset_notices_seen")
    op.drop_table("ruleset_changes")
    op.drop_table("ruleset_runs")
