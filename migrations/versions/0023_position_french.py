"""positions.title_fr and positions.duties_fr: the role's job title and main duties in French

A French support letter or packet quoted the job title and duties as the employer typed them, in English
(a consultant returns a French letter that says "Director of Software Engineering"). The role may now give
both in French too; French documents use them, English ones the role's own.

Revision ID: 0023_position_french
Revises: 0022_registration_holds
Create Date: 2026-12-07 13:45:00
"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0023_position_french"
down_revision = "0022_registration_holds"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("positions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("title_fr", sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column("duties_fr", sa.Text(), nullable=True))


def downgrade():
    with op.batch_alter_table("positions", schema=None) as batch_op:
        batch_op.drop_column("duties_fr")
        batch_op.drop_column("title_fr")
