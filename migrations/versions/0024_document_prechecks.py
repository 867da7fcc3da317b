"""documents.prechecks: a packet's pre-checks before filing, recorded when it is requested

The documents page said nothing of a packet's pre-checks (a passport number missing, "see attached" in the
duties, evidence still to upload): they were read only on the packet's "Pre-checks before filing" page, in
the PDF. They are computed from the packet's snapshot when it is requested (``content.recorded_prechecks``,
in the packet's language, as its PDF says them) and kept on its row, so the page shows them beside the
packet without reading the snapshots or the PDFs. The packets made before stay NULL (not known: their
pre-checks are in their PDF); a support letter has none.

Revision ID: 0024_document_prechecks
Revises: 0023_position_french
Create Date: 2026-12-07 13:20:00
"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0024_document_prechecks"
down_revision = "0023_position_french"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("documents", sa.Column("prechecks", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("documents", schema=None) as batch_op:
        batch_op.drop_column("prechecks")
