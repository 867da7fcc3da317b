"""Indexes of two lookups that read a whole table: an object's audit events, a person's latest request

The documents page offers the signatory of the person's latest request in the organization unless the
letterhead was saved since (``lookups.remembered_signatory``). With no index on the object of an audit
event, PostgreSQL read the whole audit log of the portal, every organization's, to find the
letterhead's last save: 7.5 ms at 14,000 events (bench/portal_bench.py's 50 employers), growing with the
log; and the latest request was found by reading every document of the organization, each one's snapshot
unpacked before the sort (11 ms at 48 documents). ``(object_type, object_id, action)`` also serves the
case history's stages (``lifecycle.recorded_stages``), ``audit.latest`` and a case's audit log;
``(organization_id, requested_by_id, id)``, read backwards, hands the person's latest request first.

Revision ID: 0025_lookup_indexes
Revises: 0024_document_prechecks
Create Date: 2026-12-07 16:55:00
"""

from __future__ import annotations

from alembic import op

# revision identifiers, used by Alembic.
revision = "0025_lookup_indexes"
down_revision = "0024_document_prechecks"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_audit_events_object", "audit_events", ["object_type", "object_id", "action"])
    op.create_index(
        "ix_documents_organization_requester", "documents", ["organization_id", "requested_by_id", "id"]
    )


def downgrade() -> None:
    op.drop_index("ix_documents_organization_requester", table_name="documents")
    op.drop_index("ix_audit_events_object", table_name="audit_events")
