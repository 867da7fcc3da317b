"""organizations.time_zone: the zone times are shown in (None: the province's)

Revision ID: 0009_org_time_zone
Revises: 0008_book
Create Date: 2026-12-03 11:40:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0009_org_time_zone"
down_revision = "0008_book"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("organizations", schema=None) as batch_op:
        batch_op.add_column(sa.Column("time_zone", sa.String(length=40), nullable=True))


def downgrade():
    with op.batch_alter_table("organizations", schema=None) as batch_op:
        batch_op.drop_column("time_zone")
