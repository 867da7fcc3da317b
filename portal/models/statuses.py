"""The statuses of cases, documents, engagements and reviews: one StrEnum each.

Stored as their string values in a VARCHAR column with a CHECK constraint (migration
0006_statuses), so the database itself refuses a value that is not a member. Members compare
equal to their strings, so JSON, URLs and the browser's scripts keep the same values. Their
display labels (English and French) are in portal/labels.py, one table per enum.
"""

from __future__ import annotations

import enum

from sqlalchemy import Enum


class CaseStatus(enum.StrEnum):
    DRAFT = "draft"
    READY = "ready"
    SUBMITTED = "submitted"
    APPROVED = "approved"
    CLOSED = "closed"


class DocumentStatus(enum.StrEnum):
    """queued -> rendering -> ready | failed (a failed one may be queued again)."""

    QUEUED = "queued"
    RENDERING = "rendering"
    READY = "ready"
    FAILED = "failed"


class EngagementStatus(enum.StrEnum):
    INVITED = "invited"
    ACTIVE = "active"
    REVOKED = "revoked"


class ReviewDecision(enum.StrEnum):
    APPROVED = "approved"
    RETURNED = "returned"


def status_column_type(statuses: type[enum.StrEnum], *, length: int, name: str) -> Enum:
    """A VARCHAR holding the enum's values, with its CHECK constraint ``ck_<table>_<name>``."""
    return Enum(
        statuses,
        native_enum=False,
        length=length,
        values_callable=lambda members: [m.value for m in members],
        create_constraint=True,
        validate_strings=True,
        name=name,
    )
