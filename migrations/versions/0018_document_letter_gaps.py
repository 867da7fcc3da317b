"""documents.letter_gaps: what a document's letter still leaves to complete ("[to complete: ...]")

Revision ID: 0018_document_letter_gaps
Revises: 0017_pin_filed_codes
Create Date: 2026-12-07 09:00:00

A support letter (or a packet, whose Annex A it is) that still read "[to complete: share of the capital and
votes held]" looked like any other on the documents page: an employer could send it as it was. The gaps
are read from the letter's sections when the document is requested (``content.letter_gaps``) and kept on
its row, so the page warns beside it without reading the snapshots or the PDFs. The documents made before
get theirs from their snapshot's sections; one whose snapshot has no sections stays NULL (not known).
"""

from __future__ import annotations

import re
from typing import Any

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0018_document_letter_gaps"
down_revision = "0017_pin_filed_codes"
branch_labels = None
depends_on = None

BATCH = 500
# the placeholder of letters.common.missing, as content.LETTER_GAP reads it (frozen here)
LETTER_GAP = re.compile(r"\[(?:to complete|à compléter)\s*:\s*([^\]]+)\]")

documents = sa.table(
    "documents",
    sa.column("id", sa.Integer),
    sa.column("snapshot", sa.JSON),
    sa.column("letter_gaps", sa.JSON),
)


def _gaps(snapshot: Any) -> list[str] | None:
    """The gaps of a snapshot's letter, each once in reading order; None without its sections."""
    letter = snapshot.get("letter") if isinstance(snapshot, dict) else None
    sections = letter.get("sections") if isinstance(letter, dict) else None
    if not isinstance(sections, list):
        return None
    gaps: list[str] = []
    for section in sections:
        for found in LETTER_GAP.finditer(str(section.get("text") or "") if isinstance(section, dict) else ""):
            what = " ".join(found.group(1).split())
            if what not in gaps:
                gaps.append(what)
    return gaps


def upgrade() -> None:
    op.add_column("documents", sa.Column("letter_gaps", sa.JSON(), nullable=True))
    bind = op.get_bind()
    after = 0
    while rows := list(
        bind.execute(
            sa.select(documents.c.id, documents.c.snapshot)
            .where(documents.c.id > after)
            .order_by(documents.c.id)
            .limit(BATCH)
        )
    ):
        for row in rows:
            gaps = _gaps(row.snapshot)
            if gaps is not None:
                bind.execute(sa.update(documents).where(documents.c.id == row.id).values(letter_gaps=gaps))
        after = rows[-1].id


def downgrade() -> None:
    op.drop_column("documents", "letter_gaps")
