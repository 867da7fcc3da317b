"""employment_records.hours_per_week and duties: what a past job abroad was (the ICT letter states both)

Revision ID: 0012_employment_hours_duties
Revises: 0011_letter_sections
Create Date: 2026-12-03 14:40:00
"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0012_employment_hours_duties"
down_revision = "0011_letter_sections"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("employment_records", schema=None) as batch_op:
        batch_op.add_column(sa.Column("hours_per_week", sa.Numeric(precision=4, scale=1), nullable=True))
        batch_op.add_column(sa.Column("duties", sa.String(length=2000), nullable=True))


def downgrade():
    with op.batch_alter_table("employment_records", schema=None) as batch_op:
        batch_op.drop_column("duties")
        batch_op.drop_column("hours_per_week")
