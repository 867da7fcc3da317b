"""The case lifecycle everyone sees, derived from what happened (never a free-text status).

draft → needs answers → ready for documents (or no work permit / open permit / LMIA needed: nothing to file here) → in review → returned → approved → submitted (offer
number) → permit issued → active → ended. The stage is computed from the assessment, the latest
offer-submission packet and its latest review, the offer number and the permit dates, as of the
date ``on`` the caller passes in. A packet is *in review* only while a consultant can review it: an
accepted, unrevoked engagement covers its case; without one, a made packet leaves the case ready
for documents (the employer may engage a consultant, or file without one). A flow that changes the stage records it once in the audit log
(``case.stage_changed``): the last recorded stage is read back from the log, so no column is needed.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from functools import cache
from typing import Any, Protocol

from sqlalchemy import ColumnElement, Integer, Row, Select, bindparam, func, literal, select

from portal import audit
from portal.extensions import db
from portal.models import (
    AuditEvent,
    Case,
    Document,
    DocumentStatus,
    Engagement,
    EngagementStatus,
    Organization,
    Review,
    ReviewComment,
    ReviewDecision,
    User,
)

STAGE_CHANGED = "case.stage_changed"
EXEMPT_ROUTES = ("IMP", "open_permit")
PENDING = "pending"  # no code decided yet: the needed questions are open (no document can be made yet)
NO_PERMIT = "no_permit"  # a Canadian citizen or permanent resident: nothing is filed
# the worker holds or applies for an open work permit (IEC Working Holiday, a spouse's open permit, one
# already held): the employer files no offer, so the portal makes no support letter or packet
OPEN_PERMIT = "open_permit"
# no exemption code fits: the employer needs an LMIA from ESDC (the TFWP), which the portal does not file
TFWP = "TFWP"
NO_DOCUMENT_ROUTES = (NO_PERMIT, OPEN_PERMIT, TFWP)  # routes with no support letter or packet to make
DOCUMENT_ROUTES = ("IMP",)  # an exemption code: the case is ready for documents once complete
PACKET = "packet"


class CaseStage(enum.StrEnum):
    DRAFT = "draft"
    NEEDS_ANSWERS = "needs_answers"
    READY_FOR_DOCUMENTS = "ready_for_documents"
    NO_PERMIT = "no_permit"  # a Canadian citizen or permanent resident: no work permit, nothing to file
    OPEN_PERMIT = "open_permit"  # an open work permit: nothing for the employer to file
    LMIA_NEEDED = (
        "lmia_needed"  # no exemption fits (TFWP): the employer needs an LMIA, which the portal does not file
    )
    IN_REVIEW = "in_review"
    RETURNED = "returned"
    APPROVED = "approved"
    SUBMITTED = "submitted"
    PERMIT_ISSUED = "permit_issued"
    ACTIVE = "active"
    ENDED = "ended"


@dataclass(frozen=True)
class PacketState:
    """The latest packet of a case and the latest review of that version."""

    document_id: int
    version: int
    status: str
    decision: str | None = None  # "approved" (on this PDF's hash) | "returned" | None
    comment: str | None = None
    reviewed_at: object = None
    reviewer: bool = False  # an active engagement covers the case: a consultant can review this packet
    language: str = "en"  # the packet's language: a letter section's comment is about that letter
    # The review's comments tied to sections: {section, heading, text}.
    comments: tuple[dict[str, str | None], ...] = ()
    # What the packet's letter still leaves to complete (Document.letter_gaps), read when asked (``gaps``).
    letter_gaps: tuple[str, ...] = ()


class StageColumns(Protocol):
    """What ``derive`` reads of a case: a Case, or a row of these columns alone (the case list's stage filter)."""

    @property
    def route(self) -> str | None: ...
    @property
    def open_questions(self) -> int: ...
    @property
    def offer_number(self) -> str | None: ...
    @property
    def permit_issued_on(self) -> date | None: ...
    @property
    def first_day_on(self) -> date | None: ...
    @property
    def permit_expiry_on(self) -> date | None: ...


class StagedCase(StageColumns, Protocol):
    """A case whose stage a list derives: a Case, or a line of the case list (``services.CaseRow``)."""

    @property
    def id(self) -> int: ...


def derive(case: StageColumns, packet: PacketState | None, *, on: date) -> CaseStage:
    """The stage of ``case`` as of ``on``; pure (the packet state is passed in)."""
    if case.permit_issued_on:
        if case.permit_expiry_on and case.permit_expiry_on < on:
            return CaseStage.ENDED
        if case.first_day_on and case.first_day_on <= on:
            return CaseStage.ACTIVE
        return CaseStage.PERMIT_ISSUED
    if case.offer_number:
        return CaseStage.SUBMITTED
    # no work permit: a packet made before the worker was known to be Canadian leads nowhere
    if case.route == NO_PERMIT:
        return CaseStage.NO_PERMIT
    # an open work permit: no offer, no packet (one made before the route was known leads nowhere either)
    if case.route == OPEN_PERMIT and not case.open_questions:
        return CaseStage.OPEN_PERMIT
    # no exemption fits: an LMIA first (ESDC), no IMP offer; a packet made while a code fitted leads nowhere now
    # (its approval is refused, consult.services), so it no longer gives the stage
    if case.route == TFWP and not case.open_questions:
        return CaseStage.LMIA_NEEDED
    if packet is not None:
        if packet.decision == ReviewDecision.APPROVED:
            return CaseStage.APPROVED
        if packet.decision == ReviewDecision.RETURNED:
            return CaseStage.RETURNED
        if packet.status != DocumentStatus.FAILED and packet.reviewer:
            return CaseStage.IN_REVIEW
    # From the case's columns only: lists derive the stage of every case without loading (and
    # decoding) the assessment JSON. ``route`` is set by every assessment; the assessment is
    # complete exactly when no needed question is open (``open_questions`` counts them).
    if case.route is None:
        return CaseStage.DRAFT
    if case.route == PENDING or (case.open_questions or 0) > 0:
        return CaseStage.NEEDS_ANSWERS
    if case.route in EXEMPT_ROUTES:
        return CaseStage.READY_FOR_DOCUMENTS
    return CaseStage.DRAFT


def packet_states(
    case_ids: Iterable[int] | None = None,
    *,
    where: ColumnElement[bool] | None = None,
    comments: bool = True,
    gaps: bool = False,
) -> dict[int, PacketState]:
    """The latest packet of each case and its latest review: two queries whatever the number of cases
    (the packets with their latest review and its comments in one statement, then the engagements).

    ``case_ids`` or ``where`` (a condition on ``Document``) limit the cases; ``comments=False`` leaves
    the review's section comments out (a list that shows only the stage); ``gaps=True`` reads what each
    packet's letter still leaves to complete in the same statement (the dashboard)."""
    if where is None and case_ids is not None:  # the pages' case: the statement is built once
        query = _latest_packets_of_cases(comments, gaps)
        params: dict[str, Any] = {"case_ids": list(case_ids)}
    else:
        conditions = [] if where is None else [where]
        if case_ids is not None:
            conditions.append(Document.case_id.in_(list(case_ids)))
        query, params = _latest_packets(conditions, comments=comments, gaps=gaps), {}
    docs: dict[int, Row[Any]] = {}
    notes: dict[int, list[dict[str, str | None]]] = {}
    for row in db.session.execute(query, params):
        docs.setdefault(row.id, row)
        if row.section is not None:
            notes.setdefault(row.id, []).append(
                {"section": row.section, "heading": row.heading, "text": row.text}
            )
    covered = reviewable_cases({doc.organization_id for doc in docs.values()})
    out: dict[int, PacketState] = {}
    for doc in docs.values():
        reviewed = doc.decision is not None
        decision = None
        if reviewed and (doc.decision != ReviewDecision.APPROVED or doc.review_sha256 == doc.pdf_sha256):
            decision = str(doc.decision)
        out[doc.case_id] = PacketState(
            document_id=doc.id,
            version=doc.version,
            language=doc.language,
            status=str(doc.status),
            decision=decision,
            comment=doc.comment if reviewed else None,
            reviewed_at=doc.reviewed_at if reviewed else None,
            reviewer=covered(doc.organization_id, doc.case_id),
            comments=tuple(notes.get(doc.id, ())),
            letter_gaps=tuple(doc.letter_gaps or ()) if gaps else (),
        )
    return out


@cache
def _latest_packets_of_cases(comments: bool, gaps: bool = False) -> Select[Any]:
    """``_latest_packets`` of the cases bound as ``case_ids`` when it runs: built once (building it
    cost the dashboard more than running it)."""
    return _latest_packets(
        [Document.case_id.in_(bindparam("case_ids", expanding=True, type_=Integer))],
        comments=comments,
        gaps=gaps,
    )


def _latest_packets(
    conditions: list[ColumnElement[bool]], *, comments: bool, gaps: bool = False
) -> Select[Any]:
    """The latest packet of each case whose packets meet ``conditions`` (on ``Document``), outer-joined
    to its latest review and (``comments``) that review's comments, one row each; ``gaps``: with the
    letter's gaps (a JSON list, left out where no page shows them: the case list reads every packet)."""
    latest = select(Document.case_id, func.max(Document.version).label("version")).where(
        Document.kind == PACKET, *conditions
    )
    latest_versions = latest.group_by(Document.case_id).subquery()
    # The packet's latest review (the highest id, as the order the reviews were made in).
    last_review = (
        select(func.max(Review.id))
        .where(Review.document_id == Document.id)
        .correlate(Document)
        .scalar_subquery()
    )
    query = (
        select(
            Document.id,
            Document.organization_id,
            Document.case_id,
            Document.version,
            Document.language,
            Document.status,
            Document.pdf_sha256,
            (Document.letter_gaps if gaps else literal(None).label("letter_gaps")),
            Review.decision,
            Review.comment,
            Review.pdf_sha256.label("review_sha256"),
            Review.created_at.label("reviewed_at"),
            *(
                (ReviewComment.section, ReviewComment.heading, ReviewComment.text)
                if comments
                else (literal(None).label("section"),)
            ),
        )
        .join(
            latest_versions,
            (Document.case_id == latest_versions.c.case_id)
            & (Document.version == latest_versions.c.version)
            & (Document.kind == PACKET),
        )
        .outerjoin(Review, Review.id == last_review)
    )
    if comments:  # one row per comment (one row when there is none), in the order they were made
        query = query.outerjoin(ReviewComment, ReviewComment.review_id == Review.id).order_by(
            Document.id, ReviewComment.id
        )
    return query


@cache
def _engagements() -> Select[tuple[int, list[int] | None]]:
    """The active engagements' scopes in the organizations bound as ``org_ids``: built once (every page
    that shows a stage runs it)."""
    return select(Engagement.organization_id, Engagement.case_ids).where(
        Engagement.organization_id.in_(bindparam("org_ids", expanding=True, type_=Integer)),
        Engagement.status == EngagementStatus.ACTIVE,
        Engagement.consultant_id.is_not(None),
    )


def reviewable_cases(org_ids: set[int]) -> Callable[[int, int], bool]:
    """A test ``(organization_id, case_id) -> bool``: does an accepted, unrevoked engagement of a
    consultant cover the case? One query for all the organizations."""
    scopes: dict[int, list[list[int] | None]] = {}
    if org_ids:
        for org_id, case_ids in db.session.execute(_engagements(), {"org_ids": sorted(org_ids)}):
            scopes.setdefault(org_id, []).append(case_ids)

    def covered(org_id: int, case_id: int) -> bool:
        return any(ids is None or case_id in ids for ids in scopes.get(org_id, ()))

    return covered


def stage_of(case: Case, *, on: date) -> CaseStage:
    return derive(case, packet_states([case.id], comments=False).get(case.id), on=on)


def stages_of(cases: Sequence[StagedCase], *, on: date) -> dict[int, CaseStage]:
    """The stage of each case, in a constant number of queries."""
    packets = packet_states([c.id for c in cases], comments=False) if cases else {}
    return {c.id: derive(c, packets.get(c.id), on=on) for c in cases}


def recorded_stage(case: Case) -> str | None:
    """The stage the audit log last recorded for the case."""
    event = audit.latest(STAGE_CHANGED, obj=case)
    return event.data.get("to") if event is not None else None


def recorded_stages(case_ids: list[int]) -> dict[int, str | None]:
    """``recorded_stage`` of many cases in one query (the latest stage event of each)."""
    if not case_ids:
        return {}
    latest = (
        select(func.max(AuditEvent.id))
        .where(
            AuditEvent.action == STAGE_CHANGED,
            AuditEvent.object_type == "Case",
            AuditEvent.object_id.in_(sorted(case_ids)),
        )
        .group_by(AuditEvent.object_id)
    )
    events = db.session.scalars(select(AuditEvent).where(AuditEvent.id.in_(latest)))
    found = {e.object_id: e.data.get("to") for e in events}
    return {i: found.get(i) for i in case_ids}


def record_stages_of(cases: list[Case], org: Organization | None, *, actor: User | None, on: date) -> None:
    """``record_stage`` for many cases of one organization in a constant number of queries."""
    if not cases:
        return
    db.session.flush()
    stages = stages_of(cases, on=on)
    before = recorded_stages([c.id for c in cases])
    for case in cases:
        _record_transition(case, org, before[case.id], stages[case.id], actor=actor, on=on)


def record_stages(org: Organization, *, actor: User | None, on: date) -> None:
    """After an engagement is accepted, revoked or rescoped: record the stage of every case of ``org``
    that has a packet (whether it is in review depends on the engagement)."""
    case_ids = db.session.scalars(
        select(Document.case_id).where(Document.organization_id == org.id, Document.kind == PACKET).distinct()
    ).all()
    cases = list(db.session.scalars(select(Case).where(Case.id.in_(sorted(case_ids))).order_by(Case.id)))
    record_stages_of(cases, org, actor=actor, on=on)


def record_stage(case: Case, org: Organization | None, *, actor: User | None, on: date) -> CaseStage:
    """After a flow: when the derived stage differs from the last recorded one, audit the transition once."""
    db.session.flush()
    stage = stage_of(case, on=on)
    _record_transition(case, org, recorded_stage(case), stage, actor=actor, on=on)
    return stage


def _record_transition(
    case: Case,
    org: Organization | None,
    before: str | None,
    stage: CaseStage,
    *,
    actor: User | None,
    on: date,
) -> None:
    """Audit the move from the ``before`` stage recorded last to ``stage``, when they differ."""
    if before != stage.value:
        audit.record(
            STAGE_CHANGED,
            actor=actor,
            organization=org,
            organization_id=case.organization_id,
            obj=case,
            data={"from": before, "to": stage.value, "on": on.isoformat()},
        )
