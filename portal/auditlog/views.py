from __future__ import annotations

import csv
import io
import json

from flask import Blueprint, Response, render_template, request
from flask.typing import ResponseReturnValue
from sqlalchemy import or_, select

from portal import tenancy
from portal.auditlog.services import describe_objects
from portal.extensions import db
from portal.models import AuditEvent, Case, Document, EvidenceFile, User

bp = Blueprint("auditlog", __name__, url_prefix="/audit")


def _events(case: Case | None = None, limit: int | None = 500) -> tuple[list[AuditEvent], dict[int, User]]:
    org = tenancy.require_org()
    query = select(AuditEvent).where(AuditEvent.organization_id == org.id)
    if case is not None:
        doc_ids = select(Document.id).where(Document.case_id == case.id)
        evidence_ids = select(EvidenceFile.id).where(EvidenceFile.case_id == case.id)
        query = query.where(
            or_(
                (AuditEvent.object_type == "Case") & (AuditEvent.object_id == case.id),
                (AuditEvent.object_type == "Document") & AuditEvent.object_id.in_(doc_ids),
                (AuditEvent.object_type == "EvidenceFile") & AuditEvent.object_id.in_(evidence_ids),
                (AuditEvent.object_type == "Position") & (AuditEvent.object_id == case.position_id),
                (AuditEvent.object_type == "Transferee") & (AuditEvent.object_id == case.transferee_id),
            )
        )
    query = query.order_by(AuditEvent.id.desc())
    if limit:
        query = query.limit(limit)
    events = list(db.session.scalars(query))
    actors = {
        u.id: u
        for u in db.session.scalars(
            select(User).where(User.id.in_({e.actor_id for e in events if e.actor_id}))
        )
    }
    return events, actors


@bp.route("/")
@tenancy.org_required
def organization() -> ResponseReturnValue:
    events, actors = _events()
    objects = describe_objects(events, tenancy.require_org().id)
    return render_template("auditlog/list.html", events=events, actors=actors, objects=objects, case=None)


@bp.route("/cases/<int:case_id>")
@tenancy.case_access_required
def case(case_id: int) -> ResponseReturnValue:
    item = tenancy.get_or_404(Case, case_id)
    events, actors = _events(item)
    objects = describe_objects(events, item.organization_id)
    return render_template("auditlog/list.html", events=events, actors=actors, objects=objects, case=item)


# A spreadsheet opening the export runs a cell that starts with one of these as a formula (CSV
# injection): an actor's email address may ("=cmd|'/C calc'!A0@example.com" is a valid one).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_cell(value: object) -> object:
    """``value`` as text a spreadsheet shows and never runs: a leading apostrophe before a formula's start."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


@bp.route("/export.csv")
@tenancy.org_required
def export() -> ResponseReturnValue:
    case_id = request.args.get("case_id", type=int)
    item = tenancy.get_or_404(Case, case_id) if case_id else None
    events, actors = _events(item, limit=None)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["id", "when", "who", "action", "object_type", "object_id", "state_hash", "data"])

    for e in events:
        who = actors.get(e.actor_id) if e.actor_id is not None else None
        writer.writerow(
            [
                spreadsheet_cell(value)
                for value in (
                    e.id,
                    e.created_at.isoformat(),
                    who.email if who else "",
                    e.action,
                    e.object_type or "",
                    e.object_id or "",
                    e.state_hash or "",
                    json.dumps(e.data, ensure_ascii=False, default=str),
                )
            ]
        )
    return Response(
        "\ufeff" + out.getvalue(),
        mimetype="text/csv",
        headers={"Content-Disposition": 'attachment; filename="imp-audit.csv"'},
    )
