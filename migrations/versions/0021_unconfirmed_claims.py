"""organizations.business_number may be empty; users.verification_sent_at

A registration whose address was never confirmed no longer holds its business number once the first
confirmation link has expired: the next registration of that number takes it, and the unconfirmed
registration's organization keeps its rows without a number (``business_number`` NULL). Signing in to an
unconfirmed account mailed a new confirmation link each time; ``verification_sent_at`` is when the last one
was mailed (None: none since this column exists), so a new one goes at most once per
VERIFICATION_RESEND_SECONDS.

Revision ID: 0021_unconfirmed_claims
Revises: 0020_document_queued_at
Create Date: 2026-12-06 22:30:00
"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0021_unconfirmed_claims"
down_revision = "0020_document_queued_at"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("organizations", schema=None) as batch_op:
        batch_op.alter_column("business_number", existing_type=sa.String(length=9), nullable=True)
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(sa.Column("verification_sent_at", sa.DateTime(timezone=True), nullable=True))


def downgrade():
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_column("verification_sent_at")
    # An organization released from its number has none to get back: refused rather than deleted.
    released = op.get_bind().execute(
        sa.text("SELECT count(*) FROM organizations WHERE business_number IS NULL")
    )
    if released.scalar():
        raise RuntimeError(
            "organizations without a business number (released registrations): give them one first"
        )
    with op.batch_alter_table("organizations", schema=None) as batch_op:
        batch_op.alter_column("business_number", existing_type=sa.String(length=9), nullable=False)
