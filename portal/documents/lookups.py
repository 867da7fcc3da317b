"""Reads that both the snapshot builder (content) and the services need.

Kept apart from services so that content does not import services (services import content).
"""

from __future__ import annotations

import base64

from sqlalchemy import select

from portal.documents import store
from portal.extensions import db
from portal.models import Case, EvidenceFile, Organization


def logo_data_uri(org: Organization) -> str | None:
    if not org.logo_path:
        return None
    data = store.absolute(org.logo_path).read_bytes()
    return "data:image/png;base64," + base64.b64encode(data).decode()


def evidence_of(case: Case) -> list[EvidenceFile]:
    return list(
        db.session.scalars(
            select(EvidenceFile).where(EvidenceFile.case_id == case.id).order_by(EvidenceFile.id)
        )
    )
