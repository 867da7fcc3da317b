"""A group company's share of capital and votes (what the support letter states of the relationship)

Revision ID: 0016_enterprise_ownership_share
Revises: 0015_case_list_indexes
Create Date: 2026-12-06 00:40:00

The intra-company transfer letter states the relationship with its share: "Maplewood Robotics Inc. holds
100% of the capital and votes of Maplewood Robotics Canada Inc.". No form asked for it, so every such
letter read "[to complete: share of the capital and votes held]" and had to be edited by hand in both
languages. ``ownership_pct``: for a parent company, what it holds of the Canadian employer; for a
subsidiary, what the Canadian employer holds of it; for an affiliate, what their common owner holds of the
Canadian employer. NULL: not given (the letter keeps its placeholder).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0016_enterprise_ownership_share"
down_revision = "0015_case_list_indexes"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("foreign_enterprises", sa.Column("ownership_pct", sa.Numeric(5, 2), nullable=True))


def downgrade() -> None:
    op.drop_column("foreign_enterprises", "ownership_pct")
