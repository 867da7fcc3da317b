"""The dashboard: a work queue for the signed-in person and organization.

Every panel is computed from the data the person may see (an employer: the current organization;
a consultant: every engaged organization, limited to the engagement's cases), in a fixed number
of queries whatever the number of cases: the cases (with their person and role), the latest
packets and their reviews, the failed documents, the recent changes and their authors.
The caller passes the date ``on``; nothing here reads the clock, the request or ``url_for``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from typing import Any

from sqlalchemy import ColumnElement, Integer, Select, and_, bindparam, false, or_, select
from sqlalchemy.orm import QueryableAttribute, aliased, defer

from portal.auditlog.services import ObjectRef, described, latest_events
from portal.cases import lifecycle
from portal.cases.lifecycle import CaseStage
from portal.cases.services import ROW_COLUMNS, CaseRow, case_row
from portal.compliance.services import calendar_dates
from portal.extensions import db
from portal.models import (
    AuditEvent,
    Case,
    Document,
    DocumentStatus,
    Organization,
    Position,
    Transferee,
    User,
)

DEADLINE_WINDOWS = (30, 60, 90)
RECENT_LIMIT = 10


@dataclass(frozen=True)
class Reach:
    """One organization the person works in, and the cases there (None: every case)."""

    organization: Organization
    case_ids: frozenset[int] | None = None


@dataclass
class Item:
    case: CaseRow
    organization: Organization
    stage: CaseStage
    packet: lifecycle.PacketState | None = None
    document: Document | None = None
    due: date | None = None
    label: str | None = None
    window: int | None = None


@dataclass
class Queue:
    needs_answers: list[Item] = field(default_factory=list)
    to_request: list[Item] = field(default_factory=list)
    failed: list[Item] = field(default_factory=list)
    returned: list[Item] = field(default_factory=list)
    waiting_review: list[Item] = field(default_factory=list)
    offers: list[Item] = field(default_factory=list)
    deadlines: list[Item] = field(default_factory=list)
    # a case has its permit (or first day) recorded: its dates are on the calendar, beyond 90 days if not here
    dates_recorded: bool = False
    recent: list[AuditEvent] = field(default_factory=list)
    objects: dict[tuple[str, int], ObjectRef] = field(default_factory=dict)  # what each recent event is about
    actors: dict[int, User] = field(default_factory=dict)
    stage_counts: dict[CaseStage, int] = field(default_factory=dict)
    case_count: int = 0
    organizations: dict[int, Organization] = field(default_factory=dict)

    @property
    def empty(self) -> bool:
        return not any(
            (
                self.needs_answers,
                self.to_request,
                self.failed,
                self.returned,
                self.waiting_review,
                self.offers,
                self.deadlines,
            )
        )


def _shape(reaches: list[Reach]) -> tuple[str, ...]:
    """What the statements of ``reaches`` look like, whatever the ids: each reach's cases are all, some
    or none of its organization's."""
    return tuple("all" if r.case_ids is None else "some" if r.case_ids else "none" for r in reaches)


def _case_condition(
    shape: tuple[str, ...],
    case_id_column: QueryableAttribute[Any],
    org_column: QueryableAttribute[Any],
    values: dict[str, Any] | None = None,
) -> ColumnElement[bool]:
    """The rows of the cases of reaches shaped ``shape`` (``_shape``), the ids as parameters named as
    ``_params`` names them: bound now with ``values``, or when the statement runs (one built per shape)."""

    def param(name: str, **kw: Any) -> Any:
        return (
            bindparam(name, values[name], type_=Integer, **kw)
            if values
            else bindparam(name, type_=Integer, **kw)
        )

    parts: list[ColumnElement[bool]] = []
    for i, kind in enumerate(shape):
        part = org_column == param(f"org_{i}")
        if kind == "some":
            part = and_(part, case_id_column.in_(param(f"cases_{i}", expanding=True)))
        elif kind == "none":
            part = and_(part, false())
        parts.append(part)
    return or_(*parts) if parts else false()


def _params(reaches: list[Reach]) -> dict[str, Any]:
    params: dict[str, Any] = {}
    for i, reach in enumerate(reaches):
        params[f"org_{i}"] = reach.organization.id
        if reach.case_ids:
            params[f"cases_{i}"] = sorted(reach.case_ids)
    return params


@lru_cache(maxsize=64)
def _cases_statement(shape: tuple[str, ...]) -> Select[Any]:
    # Every case the person may see, as columns: what the panels read of it, of its person (the name)
    # and of its role (the title, the NOC code of the compliance calendar).
    return (
        select(*ROW_COLUMNS)
        .join(Transferee, Case.transferee_id == Transferee.id)
        .join(Position, Case.position_id == Position.id)
        .where(_case_condition(shape, Case.id, Case.organization_id))
        .order_by(Case.updated_at.desc(), Case.id.desc())
    )


def _cases(reaches: list[Reach]) -> list[CaseRow]:
    """Every case the person may see (the statement is built once per shape of ``reaches``: building it
    cost more than running it)."""
    return [case_row(row) for row in db.session.execute(_cases_statement(_shape(reaches)), _params(reaches))]


@lru_cache(maxsize=64)
def _failed_statement(shape: tuple[str, ...]) -> Select[tuple[Document]]:
    newer = aliased(Document)
    return (
        select(Document)
        .options(defer(Document.snapshot))  # the panel names the document; its input is not read
        .where(
            Document.status == DocumentStatus.FAILED,
            _case_condition(shape, Document.case_id, Document.organization_id),
            ~select(newer.id)
            .where(
                newer.case_id == Document.case_id,
                newer.kind == Document.kind,
                newer.version > Document.version,
            )
            .exists(),
        )
        .order_by(Document.id.desc())
    )


def _failed_documents(reaches: list[Reach]) -> list[Document]:
    """Failed documents that are the latest version of their kind for their case."""
    return list(db.session.scalars(_failed_statement(_shape(reaches)), _params(reaches)))


@lru_cache(maxsize=64)
def _recent_statement(shape: tuple[str, ...], consultant: bool) -> Select[tuple[int, str | None]]:
    """The latest changes' ids and kinds for reaches shaped ``shape``, the ids bound per request (built
    once per shape, like the cases' statement): an employer sees its organizations' changes; a
    consultant, those of the cases it may see."""
    if consultant:
        condition = and_(
            AuditEvent.object_type == "Case",
            _case_condition(shape, AuditEvent.object_id, AuditEvent.organization_id),
        )
    else:
        condition = (
            or_(
                *(
                    AuditEvent.organization_id == bindparam(f"org_{i}", type_=Integer)
                    for i in range(len(shape))
                )
            )
            if shape
            else false()
        )
    return latest_events(condition, RECENT_LIMIT)


def _recent(
    reaches: list[Reach], *, consultant: bool, actors: dict[int, User]
) -> tuple[list[AuditEvent], dict[tuple[str, int], ObjectRef]]:
    """The latest changes, what each is about and who made it (``actors``, filled by id), in two
    statements whatever the number of events."""
    shape = _shape(reaches)
    params = (
        _params(reaches) if consultant else {f"org_{i}": r.organization.id for i, r in enumerate(reaches)}
    )
    return described(_recent_statement(shape, consultant), params, actors=actors)


def deadline_window(due: date, on: date) -> int | None:
    days = (due - on).days
    return next((w for w in DEADLINE_WINDOWS if 0 <= days <= w), None)


def work_queue(reaches: list[Reach], *, on: date, consultant: bool = False) -> Queue:
    """Every panel of the dashboard for what ``reaches`` allows, as of ``on``."""
    queue = Queue(organizations={r.organization.id: r.organization for r in reaches})
    if not reaches:
        return queue
    cases = _cases(reaches)
    queue.case_count = len(cases)
    packets = lifecycle.packet_states([c.id for c in cases], gaps=True) if cases else {}
    by_id = {}
    for case in cases:
        by_id[case.id] = case
        org = queue.organizations[case.organization_id]
        packet = packets.get(case.id)
        stage = lifecycle.derive(case, packet, on=on)
        queue.stage_counts[stage] = queue.stage_counts.get(stage, 0) + 1
        item = Item(case=case, organization=org, stage=stage, packet=packet)
        panel = {
            CaseStage.NEEDS_ANSWERS: queue.needs_answers,
            CaseStage.READY_FOR_DOCUMENTS: queue.to_request,
            CaseStage.RETURNED: queue.returned,
            CaseStage.APPROVED: queue.offers,
        }.get(stage)
        if panel is not None:
            panel.append(item)
        if stage == CaseStage.IN_REVIEW and packet is not None and packet.status == DocumentStatus.READY:
            queue.waiting_review.append(item)
        if case.permit_issued_on or case.first_day_on:
            queue.dates_recorded = True
            for entry in calendar_dates(case, case.noc_code):
                window = deadline_window(entry["date"], on)
                if window is None or entry.get("informational"):
                    continue
                queue.deadlines.append(
                    Item(
                        case=case,
                        organization=org,
                        stage=stage,
                        due=entry["date"],
                        label=entry["label"],
                        window=window,
                    )
                )
    queue.deadlines.sort(key=lambda i: (i.due, i.case.id))
    for document in _failed_documents(reaches):
        failed_case = by_id.get(document.case_id)
        if failed_case is not None:
            org = queue.organizations[failed_case.organization_id]
            queue.failed.append(
                Item(
                    case=failed_case,
                    organization=org,
                    stage=lifecycle.derive(failed_case, packets.get(failed_case.id), on=on),
                    document=document,
                )
            )
    queue.recent, queue.objects = _recent(reaches, consultant=consultant, actors=queue.actors)
    return queue
