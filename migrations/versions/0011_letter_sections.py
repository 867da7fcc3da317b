"""letter_sections: the edits of a letter's sections (every edit kept, with its author and time)

Revision ID: 0011_letter_sections
Revises: 0010_facts
Create Date: 2026-12-03 11:30:00
"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0011_letter_sections"
down_revision = "0010_facts"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "letter_sections",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organization_id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("document_kind", sa.String(length=20), nullable=False),
        sa.Column("language", sa.String(length=2), nullable=False),
        sa.Column("section_key", sa.String(length=40), nullable=False),
        sa.Column("text", sa.Text(), nullable=True),
        sa.Column("generated_sha256", sa.String(length=64), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["organization_id"], ["organizations.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["case_id"], ["cases.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["author_id"], ["users.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("letter_sections", schema=None) as batch_op:
        batch_op.create_index("ix_letter_sections_organization_id", ["organization_id"], unique=False)
        batch_op.create_index("ix_letter_sections_case_id", ["case_id"], unique=False)


def downgrade():
    with op.batch_alter_table("letter_sections", schema=None) as batch_op:
        batch_op.drop_index("ix_letter_sections_case_id")
        batch_op.drop_index("ix_letter_sections_organization_id")
    op.drop_table("letter_sections")
