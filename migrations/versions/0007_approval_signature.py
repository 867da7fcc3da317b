"""reviews.approved_path and approved_sha256: the signed approved copy of the reviewed PDF

Revision ID: 0007_approval_signature
Revises: 0006_statuses
Create Date: 2026-12-03 11:30:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0007_approval_signature"
down_revision = "0006_statuses"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("reviews", schema=None) as batch_op:
        batch_op.add_column(sa.Column("approved_path", sa.String(length=300), nullable=True))
        batch_op.add_column(sa.Column("approved_sha256", sa.String(length=64), nullable=True))


def downgrade():
    with op.batch_alter_table("reviews", schema=None) as batch_op:
        batch_op.drop_column("approved_sha256")
        batch_op.drop_column("approved_path")
