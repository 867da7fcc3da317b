"""The code of every offer already filed, pinned on its case (cases.chosen_code)

Revision ID: 0017_pin_filed_codes
Revises: 0016_enterprise_ownership_share
Create Date: 2026-12-06 04:20:00

From now on, recording an offer's number pins the code it is filed under (compliance.services
record_submission), so that a later assessment — a corrected fact, a new rule set re-assessing the book —
never changes the code, the calendar or the edit form of what was filed. Cases filed before had only
their recommendation: they get the same pin here, before any re-assessment runs. Downgrade leaves the
pins (they are what the employer filed under).
"""

from __future__ import annotations

from alembic import op

# revision identifiers, used by Alembic.
revision = "0017_pin_filed_codes"
down_revision = "0016_enterprise_ownership_share"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute(
        "UPDATE cases SET chosen_code = recommended_code "
        "WHERE offer_number IS NOT NULL AND chosen_code IS NULL AND recommended_code IS NOT NULL"
    )


def downgrade() -> None:
    pass  # the pins stay: they name what was filed
