"""transferees.form_of_address: how the support letter names the worker after its first mention

A letter that writes the worker's full name in every sentence ("Jordan Sampleton will start ...; Jordan
Sampleton keeps a position ...") reads like a form, and a consultant sends it back. The employer may now
say how the letter refers to the person after the first mention: "Mr.", "Ms." or "Mx." and the family name
(in French "M." or "Mme"; French has no established neutral title, so "Mx." keeps the full name there).
Empty: the full name each time, as before.

Revision ID: 0026_form_of_address
Revises: 0025_lookup_indexes
Create Date: 2026-12-07 23:30:00
"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0026_form_of_address"
down_revision = "0025_lookup_indexes"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("transferees", schema=None) as batch_op:
        batch_op.add_column(sa.Column("form_of_address", sa.String(length=8), nullable=True))


def downgrade():
    with op.batch_alter_table("transferees", schema=None) as batch_op:
        batch_op.drop_column("form_of_address")
