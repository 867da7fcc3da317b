"""documents.heartbeat_at: renewed while a worker renders, so a dead worker's render is retried in seconds

Revision ID: 0005_document_heartbeat
Revises: 0004
Create Date: 2026-12-03 10:05:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0005_document_heartbeat"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("documents", schema=None) as batch_op:
        batch_op.add_column(sa.Column("heartbeat_at", sa.DateTime(timezone=True), nullable=True))


def downgrade():
    with op.batch_alter_table("documents", schema=None) as batch_op:
        batch_op.drop_column("heartbeat_at")
