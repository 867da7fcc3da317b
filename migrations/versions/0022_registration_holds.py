"""users.sign_in_needs_confirmation; registration_holds

Registering an address then signing in with the password just chosen told whether the address had an
account (only a new one let you in); registering a business number or licence number after registering an
address told it too (only a new account held the number). An account made by the registration page now
signs in once its address is confirmed (``sign_in_needs_confirmation``; False for every account before,
which sign in as they did), and a registration whose address had an account holds the number it named for
as long as a new unconfirmed account would (``registration_holds``).

Revision ID: 0022_registration_holds
Revises: 0021_unconfirmed_claims
Create Date: 2026-12-06 22:40:00
"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0022_registration_holds"
down_revision = "0021_unconfirmed_claims"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("sign_in_needs_confirmation", sa.Boolean(), server_default=sa.false(), nullable=False)
        )
    op.create_table(
        "registration_holds",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("value", sa.String(length=20), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_registration_holds")),
    )
    with op.batch_alter_table("registration_holds", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_registration_holds_value"), ["value"], unique=False)


def downgrade():
    with op.batch_alter_table("registration_holds", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_registration_holds_value"))
    op.drop_table("registration_holds")
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_column("sign_in_needs_confirmation")
