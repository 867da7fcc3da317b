"""Answers live where the fact lives: extra_facts on organizations and group companies

Revision ID: 0010_facts
Revises: 0009_org_time_zone
Create Date: 2026-12-03 11:40:00

Answers stored on cases move to the row that owns the fact: employer.* to the organization,
foreign_enterprise.* to the case's group company (the one chosen on the case, else the worker's
latest), position.* to the role, worker.* to the transferee. The section map and the facts about
one transfer only are written out here (not read from portal.cases.facts): a migration describes
the data of its day. When several cases answered the same fact, the most recently updated case
wins; a value the role or transferee already had wins over a case's. Downgrading copies the
organization's and group company's answers back onto each of their cases.
"""

from datetime import date

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0010_facts"
down_revision = "0009_org_time_zone"
branch_labels = None
depends_on = None

OWNERS = {"employer": "organizations", "foreign_enterprise": "foreign_enterprises"}
OWNERS |= {"position": "positions", "worker": "transferees"}
CASE_FACTS = {"worker.retains_position_abroad", "worker.position_abroad_letter"}

cases = sa.table(
    "cases",
    sa.column("id", sa.Integer),
    sa.column("organization_id", sa.Integer),
    sa.column("transferee_id", sa.Integer),
    sa.column("position_id", sa.Integer),
    sa.column("foreign_enterprise_id", sa.Integer),
    sa.column("answers", sa.JSON),
    sa.column("updated_at", sa.DateTime),
)
records = sa.table(
    "employment_records",
    sa.column("transferee_id", sa.Integer),
    sa.column("foreign_enterprise_id", sa.Integer),
    sa.column("start_date", sa.Date),
    sa.column("end_date", sa.Date),
)


def _owner_table(name: str) -> sa.Table:
    return sa.table(name, sa.column("id", sa.Integer), sa.column("extra_facts", sa.JSON))


def _enterprise_of(conn, case) -> int | None:
    if case.foreign_enterprise_id is not None:
        return case.foreign_enterprise_id
    rows = conn.execute(
        sa.select(records.c.foreign_enterprise_id, records.c.start_date, records.c.end_date).where(
            records.c.transferee_id == case.transferee_id, records.c.foreign_enterprise_id.is_not(None)
        )
    ).all()
    if not rows:
        return None
    return max(rows, key=lambda r: (r.end_date or date.max, r.start_date)).foreign_enterprise_id


def upgrade():
    for table in ("organizations", "foreign_enterprises"):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(
                sa.Column("extra_facts", sa.JSON(), server_default=sa.text("'{}'"), nullable=False)
            )

    conn = op.get_bind()
    moved: dict[tuple[str, int], dict] = {}  # (table, id) -> answers, the latest case last
    query = sa.select(cases).order_by(cases.c.updated_at, cases.c.id)
    for case in conn.execute(query).all():
        answers = dict(case.answers or {})
        kept = {}
        for path, value in answers.items():
            table = None if path in CASE_FACTS else OWNERS.get(path.partition(".")[0])
            row_id = {
                "organizations": case.organization_id,
                "foreign_enterprises": _enterprise_of(conn, case) if table == "foreign_enterprises" else None,
                "positions": case.position_id,
                "transferees": case.transferee_id,
            }.get(table)
            if row_id is None:
                kept[path] = value
            else:
                moved.setdefault((table, row_id), {})[path] = value
        if kept != answers:
            conn.execute(sa.update(cases).where(cases.c.id == case.id).values(answers=kept))
    for (table, row_id), values in moved.items():
        owner = _owner_table(table)
        current = conn.execute(sa.select(owner.c.extra_facts).where(owner.c.id == row_id)).scalar()
        merged = {**values, **(current or {})}
        conn.execute(sa.update(owner).where(owner.c.id == row_id).values(extra_facts=merged))


def downgrade():
    conn = op.get_bind()
    orgs, enterprises = _owner_table("organizations"), _owner_table("foreign_enterprises")
    for case in conn.execute(sa.select(cases)).all():
        extra = conn.execute(sa.select(orgs.c.extra_facts).where(orgs.c.id == case.organization_id)).scalar()
        enterprise_id = _enterprise_of(conn, case)
        if enterprise_id is not None:
            extra = {
                **(extra or {}),
                **(
                    conn.execute(
                        sa.select(enterprises.c.extra_facts).where(enterprises.c.id == enterprise_id)
                    ).scalar()
                    or {}
                ),
            }
        if extra:
            answers = {**extra, **(case.answers or {})}
            conn.execute(sa.update(cases).where(cases.c.id == case.id).values(answers=answers))
    for table in ("foreign_enterprises", "organizations"):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column("extra_facts")
