"""Builders of model rows for the tests that arrange the database directly (a page's query count over
many versions, a backup's odd rows): each returns an unsaved row with plain defaults; the keyword
arguments override them."""

from __future__ import annotations

from portal.models import Case, Document, DocumentStatus, Review
from portal.models._types import utcnow


def document_row(case: Case, **fields) -> Document:
    """Version 1 of the case's English packet, ready, with an empty snapshot (no PDF hash, no file)."""
    defaults = {
        "kind": "packet",
        "language": "en",
        "version": 1,
        "status": DocumentStatus.READY,
        "snapshot": {},
        "snapshot_sha256": "0" * 64,
    }
    return Document(organization_id=case.organization_id, case_id=case.id, **{**defaults, **fields})


def returned_review(document: Document, comment: str) -> Review:
    """A consultant's review returning ``document`` (flushed, so that it has its id), now."""
    return Review(
        organization_id=document.organization_id,
        document_id=document.id,
        decision="returned",
        comment=comment,
        pdf_sha256=document.pdf_sha256,
        created_at=utcnow(),
    )
