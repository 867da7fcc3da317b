"""employment_records.duties_fr: the duties of a job abroad in French

A French support letter or packet quoted the duties a transferee performed abroad as typed, in English (a
consultant returns a French letter that lists "Leads the payments platform team"). A job abroad may now
give its duties in French too, as a role does since 0023_position_french; French documents use them,
English ones the job's own.

Revision ID: 0027_employment_duties_fr
Revises: 0026_form_of_address
Create Date: 2026-12-07 23:20:00
"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0027_employment_duties_fr"
down_revision = "0026_form_of_address"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("employment_records", schema=None) as batch_op:
        batch_op.add_column(sa.Column("duties_fr", sa.String(length=2000), nullable=True))


def downgrade():
    with op.batch_alter_table("employment_records", schema=None) as batch_op:
        batch_op.drop_column("duties_fr")
