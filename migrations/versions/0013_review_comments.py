"""review_comments: a consultant's comments tied to a section of the reviewed letter or packet

Revision ID: 0013_review_comments
Revises: 0012_employment_hours_duties
Create Date: 2026-12-03 15:00:00
"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0013_review_comments"
down_revision = "0012_employment_hours_duties"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "review_comments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organization_id", sa.Integer(), nullable=False),
        sa.Column("review_id", sa.Integer(), nullable=False),
        sa.Column("section", sa.String(length=60), nullable=False),
        sa.Column("heading", sa.String(length=200), nullable=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["organization_id"], ["organizations.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["review_id"], ["reviews.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("review_comments", schema=None) as batch_op:
        batch_op.create_index("ix_review_comments_organization_id", ["organization_id"], unique=False)
        batch_op.create_index("ix_review_comments_review_id", ["review_id"], unique=False)


def downgrade():
    with op.batch_alter_table("review_comments", schema=None) as batch_op:
        batch_op.drop_index("ix_review_comments_review_id")
        batch_op.drop_index("ix_review_comments_organization_id")
    op.drop_table("review_comments")
