"""Engagements of consultants (RCICs) and their reviews of document versions.

Services flush; the caller commits. An approval is bound to the SHA-256 of the exact PDF it was
made on: a new version needs a new approval, and "download approved" re-checks the stored
bytes against that hash before serving them.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from functools import cache
from typing import Any

from sqlalchemy import Integer, Select, bindparam, func, select
from sqlalchemy.orm import defer, joinedload

from portal import audit, tokens
from portal.auth.services import find_user, take_licence, take_over
from portal.cases.lifecycle import NO_PERMIT, OPEN_PERMIT, TFWP, reviewable_cases
from portal.documents import letters, signing, store
from portal.documents.approval import approved_copy
from portal.documents.errors import DocumentError
from portal.documents.requests import lock_case
from portal.errors import ServiceError
from portal.extensions import db, rows_by_id
from portal.messages import N_, Count
from portal.models import (
    AccountType,
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
from portal.models._types import utcnow
from portal.tenancy import hold, hold_row, scoped

log = logging.getLogger(__name__)


class ConsultError(ServiceError):
    """An engagement or review the rules refuse."""


def find_consultant(email: str) -> User | None:
    user = find_user(email)
    return user if user is not None and user.is_consultant else None


def engagements_of(org: Organization) -> list[Engagement]:
    return list(db.session.scalars(scoped(select(Engagement), org).order_by(Engagement.id.desc())))


def invite_consultant(
    org: Organization,
    *,
    email: str,
    case_ids: list[int] | None,
    actor: User,
    cicc_licence: str | None = None,
) -> Engagement:
    """Engage a consultant by email. Only the holder of a *verified* account with this address
    (and, when given, this CICC licence) can accept it."""
    email = email.strip().lower()
    cicc_licence = (cicc_licence or "").strip().upper() or None
    hold(org)  # a second request at once for the same address waits for this one's commit, then sees it
    for existing in engagements_of(org):
        if existing.email == email and existing.status in (EngagementStatus.INVITED, EngagementStatus.ACTIVE):
            raise ConsultError(N_("This consultant is already invited or engaged."), "email")
    if case_ids:
        owned = set(db.session.scalars(scoped(select(Case.id), org).where(Case.id.in_(case_ids))))
        if owned != set(case_ids):
            raise ConsultError(N_("Choose cases of this organization."), "case_ids")
    member = find_user(email)
    if (
        member is not None
        and not member.is_consultant
        and any(m.organization_id == org.id for m in member.memberships)
    ):
        # one of this employer's own people: an employer account cannot accept (and a consultant account
        # cannot be registered with its email), so the invitation would wait for ever
        raise ConsultError(
            N_(
                "This email belongs to someone in your organization, not to a consultant: enter the consultant's own email."
            ),
            "email",
        )
    consultant = member if member is not None and member.is_consultant else None
    if consultant is not None and not consultant.email_verified:
        consultant = None  # an unverified account proves nothing: it binds when it accepts, verified
    if consultant is not None and cicc_licence and consultant.cicc_licence != cicc_licence:
        # Not said here: any employer (registration is open) could then learn whether an address has a
        # consultant account, and its licence. The account cannot accept it (``accept`` checks the licence).
        consultant = None
    engagement = Engagement(
        organization_id=org.id,
        email=email,
        cicc_licence=cicc_licence,
        consultant_id=consultant.id if consultant else None,
        status=EngagementStatus.INVITED,
        case_ids=sorted(case_ids) if case_ids else None,
        invited_by_id=actor.id,
    )
    audit.add_and_record(
        engagement,
        "engagement.invited",
        actor=actor,
        organization=org,
        data={"email": email, "case_ids": engagement.case_ids, "cicc_licence": cicc_licence},
    )
    return engagement


@cache
def _invitations() -> Select[tuple[Engagement]]:
    """The open invitations to the address bound as ``email`` (a consultant's dashboard asks on every
    visit: the statement is built once)."""
    return (
        select(Engagement)
        .where(Engagement.email == bindparam("email"), Engagement.status == EngagementStatus.INVITED)
        .order_by(Engagement.id)
    )


def pending_for(user: User) -> list[Engagement]:
    """The open engagements of the user's address, once that address is confirmed: anyone can register
    an account with an address they do not hold, and its dashboard listed the employers that had engaged
    that address (who works with whom) before any proof."""
    if not user.email_verified:
        return []
    return list(db.session.scalars(_invitations(), {"email": user.email.lower()}))


def accept(engagement: Engagement, user: User) -> Engagement:
    """The consultant takes up the engagement: only with a verified address equal to the one the
    employer engaged, the expected CICC licence if the employer gave one, and the account the
    engagement was bound to if it was bound at invitation."""
    hold_row(engagement)  # a second request at once waits for this one's commit, then finds it taken up
    if (
        not user.is_consultant
        or engagement.email != user.email.lower()
        or engagement.status != EngagementStatus.INVITED
    ):
        raise ConsultError(N_("This engagement is not open to you."))
    if not user.email_verified:
        raise ConsultError(
            N_("Confirm your email address first (with the link we mailed you), then accept the engagement.")
        )
    if engagement.consultant_id is not None and engagement.consultant_id != user.id:
        raise ConsultError(N_("This engagement is not open to you."))
    if engagement.cicc_licence and engagement.cicc_licence != user.cicc_licence:
        raise ConsultError(
            N_(
                "The employer expects the consultant holding CICC licence %(licence)s. Ask the employer to check it.",
                licence=engagement.cicc_licence,
            )
        )
    engagement.status, engagement.consultant_id, engagement.accepted_at = (
        EngagementStatus.ACTIVE,
        user.id,
        utcnow(),
    )
    audit.record(
        "engagement.accepted",
        actor=user,
        organization=engagement.organization,
        obj=engagement,
        data={"cicc_licence": user.cicc_licence},
    )
    return engagement


def revoke(engagement: Engagement, *, actor: User) -> Engagement:
    hold_row(engagement)  # a second request at once waits for this one's commit, then is refused below
    if engagement.status == EngagementStatus.REVOKED:
        raise ConsultError(N_("This engagement is already revoked."))
    engagement.status, engagement.revoked_at = EngagementStatus.REVOKED, utcnow()
    audit.record("engagement.revoked", actor=actor, organization=engagement.organization, obj=engagement)
    return engagement


def limit(engagement: Engagement, case_ids: list[int] | None, *, actor: User) -> Engagement:
    org = engagement.organization
    if case_ids:
        owned = set(db.session.scalars(scoped(select(Case.id), org).where(Case.id.in_(case_ids))))
        if owned != set(case_ids):
            raise ConsultError(N_("Choose cases of this organization."), "case_ids")
    old = engagement.case_ids
    engagement.case_ids = sorted(case_ids) if case_ids else None
    audit.record(
        "engagement.scope_changed",
        actor=actor,
        organization=org,
        obj=engagement,
        data={"from": old, "to": engagement.case_ids},
    )
    return engagement


def access_register(org: Organization) -> list[dict[str, Any]]:
    """Who could see what, from when to when. The consultant's account (name, CICC licence) is shown once
    they accepted: an invitation binds to an existing verified account at once, and showing it then told
    any employer who typed an address whether it had a consultant account, with its name and licence."""
    rows: list[dict[str, Any]] = []
    for e in engagements_of(org):
        rows.append(
            {
                "engagement": e,
                "consultant": e.consultant if e.accepted_at is not None else None,
                "email": e.email,
                "status": e.status,
                "expected_licence": e.cicc_licence,
                "scope": e.case_ids,
                "from": e.accepted_at,
                "to": e.revoked_at,
            }
        )
    return rows


# ------------------------------------------------------------------------------ reviews
def reviews_of(document: Document) -> list[Review]:
    return rows_by_id(Review, Review.document_id == document.id)


@cache
def _reviews_of_documents() -> Select[tuple[Review]]:
    """``reviews_by_document``'s statement, built once (the documents page runs it on every request)."""
    return (
        select(Review)
        .where(Review.document_id.in_(bindparam("document_ids", expanding=True, type_=Integer)))
        .options(joinedload(Review.consultant), joinedload(Review.comments))
        .order_by(Review.id)
    )


def reviews_by_document(documents: list[Document]) -> dict[int, list[Review]]:
    """The reviews of every document of the list (oldest first), with their consultants and their
    section comments: one query."""
    out: dict[int, list[Review]] = {d.id: [] for d in documents}
    if out:
        for item in db.session.scalars(_reviews_of_documents(), {"document_ids": list(out)}).unique():
            out[item.document_id].append(item)
    return out


def newer_version(document: Document) -> Document | None:
    """The latest version of the document's kind on its case when it is newer than ``document`` (only
    the latest can be reviewed), else None."""
    latest = db.session.scalars(
        select(Document)
        .where(Document.case_id == document.case_id, Document.kind == document.kind)
        .options(defer(Document.snapshot))
        .order_by(Document.version.desc())
        .limit(1)
    ).first()
    return latest if latest is not None and latest.version > document.version else None


def approval_in(document: Document, reviews: list[Review]) -> Review | None:
    """The approval among ``reviews`` (the document's, oldest first) that covers this exact version."""
    if (
        not reviews
        or reviews[-1].decision != ReviewDecision.APPROVED
        or reviews[-1].pdf_sha256 != document.pdf_sha256
    ):
        return None
    return reviews[-1]


# The parts of a packet a comment can name, in the order the PDF has them (the support letter's own
# sections come between the checklist and the annexed evidence).
PACKET_PARTS_BEFORE_LETTER = ("sheet", "checks", "obligations", "checklist")
PACKET_PARTS_AFTER_LETTER = ("annexes",)
MAX_COMMENT_CHARS = 4000


def review_sections(document: Document) -> dict[str, str | None]:
    """The sections of this document version a comment can be tied to, in reading order:
    ``letter:<key>`` -> the letter section's heading (as the document has it), ``packet:<part>`` -> None
    (the page names the part in the reader's language)."""
    letter = (document.snapshot or {}).get("letter") or {}
    sections = letter.get("sections") or (letters.argue(letter) if letter else [])
    out: dict[str, str | None] = {}
    if document.kind == "packet":
        out.update({f"packet:{part}": None for part in PACKET_PARTS_BEFORE_LETTER})
    out.update({f"letter:{s['key']}": s.get("heading") for s in sections})
    if document.kind == "packet":
        out.update({f"packet:{part}": None for part in PACKET_PARTS_AFTER_LETTER})
    return out


def _section_comments(document: Document, section_comments: dict[str, str] | None) -> dict[str, str]:
    known = review_sections(document)
    texts = {key: (text or "").strip() for key, text in (section_comments or {}).items()}
    unknown = sorted(key for key, text in texts.items() if text and key not in known)
    if unknown:
        raise ConsultError(N_("Unknown section: %(key)s.", key=unknown[0][:60]))
    for key, text in texts.items():
        if len(text) > MAX_COMMENT_CHARS:
            raise ConsultError(
                N_("A comment has at most %(n)s characters.", n=Count(MAX_COMMENT_CHARS)), f"section-{key}"
            )
    return {key: texts[key] for key in known if texts.get(key)}


NO_LICENCE = N_(
    "Your account has no CICC licence number, and an approval states the licence of the consultant who gives "
    "it: enter your licence number on your account page, then approve the document. You can return it with "
    "comments meanwhile."
)


def _same_return(document: Document, comment: str | None, by_section: dict[str, str]) -> bool:
    """Whether the latest review of ``document`` is a return of this version with these very comments."""
    latest = db.session.scalars(
        select(Review)
        .where(Review.document_id == document.id)
        .options(joinedload(Review.comments))
        .order_by(Review.id.desc())
        .limit(1)
    ).first()
    return (
        latest is not None
        and latest.decision == ReviewDecision.RETURNED
        and latest.pdf_sha256 == document.pdf_sha256
        and latest.comment == comment
        and {c.section: c.text for c in latest.comments} == by_section
    )


def _refuse_on_route(document: Document, decision: str) -> None:
    """A packet made before the case's route was known, or before its facts changed, that nothing may be
    filed on: refused (every decision for no permit and an open one; approval for an LMIA, which a
    consultant may still return)."""
    if document.case.route == NO_PERMIT:  # made before the worker was known to be Canadian
        raise ConsultError(
            N_(
                "The worker is a Canadian citizen or permanent resident and needs no work permit: "
                "there is nothing to approve for filing."
            ),
            "decision",
        )
    if document.case.route == OPEN_PERMIT:  # made before the worker's open permit was known
        raise ConsultError(
            N_(
                "The worker holds or applies for an open work permit: the employer files no offer, so "
                "there is nothing to approve for filing."
            ),
            "decision",
        )
    if decision == ReviewDecision.APPROVED and document.case.route == TFWP:
        # made while a code fitted; the facts entered since fit none: returning it stays possible
        raise ConsultError(
            N_(
                "The case's facts now fit no LMIA exemption (the employer needs an LMIA): this packet's code no "
                "longer applies, so it cannot be approved for filing. Return it, or see the reasons on the case page."
            ),
            "decision",
        )


def review(
    document: Document,
    *,
    decision: str,
    comment: str | None,
    actor: User,
    now: datetime | None = None,
    section_comments: dict[str, str] | None = None,
    as_it_is: bool = False,
) -> Review:
    """Approve or return ``document``; a return says what must change, in a general comment or in
    comments tied to sections of the document (``section_comments``: section key -> text). Only a
    consultant whose account has a CICC licence number approves (``NO_LICENCE``). A document
    whose letter still reads "[to complete: ...]" (``Document.letter_gaps``) is approved only ``as_it_is``:
    the consultant says so, knowing what is left (tour: a packet was approved and signed over its gaps
    without a word on the review page)."""
    if decision not in tuple(ReviewDecision):
        raise ConsultError(N_("Approve or return the document."), "decision")
    if decision == ReviewDecision.APPROVED and not actor.cicc_licence:
        # the approval page and its signature state the approving consultant's licence (it read "CICC —"):
        # an account without one (it went to a later registration) reads, comments and returns only
        raise ConsultError(NO_LICENCE, "decision")
    # one review or document request at a time per case (a double click, two tabs, a new version being
    # asked meanwhile): the checks below read what the one before committed
    lock_case(document.case_id)
    if document.status != DocumentStatus.READY or not document.pdf_sha256:
        raise ConsultError(N_("Only a ready document can be reviewed."))
    _refuse_on_route(document, decision)
    by_section = _section_comments(document, section_comments)
    if decision == ReviewDecision.APPROVED and document.letter_gaps and not as_it_is:
        raise ConsultError(
            N_(
                "The letter still has places to complete (listed above): return it saying what must be "
                "filled in, or tick the box to approve it as it is."
            ),
            "as_it_is",
        )
    if decision == ReviewDecision.APPROVED and by_section:
        raise ConsultError(
            N_(
                "Comments tied to sections say what must change: return the document, or empty them to approve it."
            ),
            "decision",
        )
    if decision == ReviewDecision.RETURNED and not (comment or "").strip() and not by_section:
        raise ConsultError(N_("Say what must change when you return a document."), "comment")
    if newer_version(document) is not None:
        raise ConsultError(N_("A newer version exists: review the latest one."))
    if decision == ReviewDecision.APPROVED and approval_of(document) is not None:
        raise ConsultError(
            N_(
                "This version is approved already: download the approved copy, or return it with comments "
                "to withdraw the approval."
            ),
            "decision",
        )
    if decision == ReviewDecision.RETURNED and _same_return(
        document, (comment or "").strip() or None, by_section
    ):
        # a double click on "Return" (the second waits for the first's commit, lock_case above) recorded the
        # return twice and mailed every member of the employer twice (found by the outside probe)
        raise ConsultError(N_("This version is returned already with these comments."), "comment")
    item = Review(
        organization_id=document.organization_id,
        document_id=document.id,
        consultant_id=actor.id,
        decision=decision,
        comment=(comment or "").strip() or None,
        pdf_sha256=document.pdf_sha256,
        created_at=now or utcnow(),
    )
    headings = review_sections(document)
    for key, text in by_section.items():
        item.comments.append(
            ReviewComment(
                organization_id=document.organization_id, section=key, heading=headings.get(key), text=text
            )
        )
    db.session.add(item)
    db.session.flush()
    if decision == ReviewDecision.APPROVED:
        try:
            item.approved_path, item.approved_sha256 = approved_copy(
                document,
                consultant=actor,
                approved_at=item.created_at,
                reviewed_sha256=document.pdf_sha256,
                comment=item.comment,
            )
        except DocumentError as exc:
            raise ConsultError(exc.message) from exc
        db.session.flush()
    audit.record(
        f"document.{decision}",
        actor=actor,
        organization_id=document.organization_id,
        obj=document,
        data={
            "review_id": item.id,
            "pdf_sha256": document.pdf_sha256,
            "comment": item.comment,
            "sections": by_section,
            "approved_sha256": item.approved_sha256,
            "letter_gaps_left": len(document.letter_gaps or []) if decision == ReviewDecision.APPROVED else 0,
        },
    )
    return item


def approval_of(document: Document) -> Review | None:
    """The approval that covers this exact version (its latest review, if that is an approval on its hash)."""
    return approval_in(document, reviews_of(document))


def case_review_state(case: Case) -> dict[str, Any]:
    """For the case page: the latest packet, its review, and whether the case changed since the approval."""
    latest = db.session.scalars(
        select(Document)
        .where(Document.case_id == case.id, Document.kind == "packet")
        .options(defer(Document.snapshot))
        .order_by(Document.version.desc())
        .limit(1)
    ).first()
    reviews = reviews_of(latest) if latest else []
    approval = approval_in(latest, reviews) if latest else None
    changed = bool(approval and case.assessed_at and case.assessed_at > approval.created_at)
    first_approval = _first_approval_of(case) if case.submitted_on else None
    approved_on = None
    if first_approval is not None:
        org = db.session.get(Organization, case.organization_id)  # the request's, loaded already
        when = (
            first_approval if first_approval.tzinfo else first_approval.replace(tzinfo=UTC)
        )  # SQLite: naive UTC
        approved_on = when.astimezone(org.zone).date() if org else when.date()
    return {
        # a consultant's engagement covers the case: "waiting for review" means someone will review it
        "reviewer": reviewable_cases({case.organization_id})(case.organization_id, case.id),
        "latest": latest,
        "last_review": reviews[-1] if reviews else None,
        "approval": approval,
        "changed_since_approval": changed,
        # the offer recorded as filed before any version of the packet was approved (the employer's day of
        # each): a later version approved after the filing (a translation, a fix) is no warning
        "filed_before_approval": bool(approved_on and case.submitted_on and case.submitted_on < approved_on),
        # the offer recorded as filed while the consultant has returned the latest packet and approved no
        # version by the filing day: what was filed may lack the corrections asked for
        "filed_while_returned": bool(
            case.offer_number
            and reviews
            and reviews[-1].decision == ReviewDecision.RETURNED
            and (approved_on is None or (case.submitted_on is not None and case.submitted_on < approved_on))
        ),
    }


def _first_approval_of(case: Case) -> datetime | None:
    """When a version of the case's packet was first approved, or None."""
    return db.session.scalar(
        select(func.min(Review.created_at))
        .join(Document, Document.id == Review.document_id)
        .where(
            Document.case_id == case.id,
            Document.kind == "packet",
            Review.decision == ReviewDecision.APPROVED,
        )
    )


class ApprovedFileMismatch(RuntimeError):
    pass


def approved_bytes(document: Document, *, actor: User) -> tuple[bytes, Review]:
    """Exactly the approved bytes, or an error (logged and audited) — never a silent download."""
    approval = approval_of(document)
    if approval is None:
        raise ConsultError(N_("This version has no approval."))
    try:
        if document.storage_path is None:  # an approved version always has its file: treated as missing
            raise FileNotFoundError(f"document {document.id} has no stored file")
        data = store.read_verified(document.storage_path, approval.pdf_sha256)
        if approval.approved_path:  # the signed approved copy, checked by its hash and its signature
            data = store.read_verified(approval.approved_path, approval.approved_sha256 or "")
            if not signing.verify(data):
                raise store.StoredFileMismatch(
                    approval.approved_path, approval.approved_sha256 or "", "signature not valid"
                )
    except (OSError, store.StoredFileMismatch) as exc:
        digest = getattr(exc, "found", "missing")
        log.error(
            "Approved document %s: stored file hash %s does not match the approval %s",
            document.id,
            digest,
            approval.pdf_sha256,
        )
        audit.record(
            "document.hash_mismatch",
            actor=actor,
            organization_id=document.organization_id,
            obj=document,
            data={"expected": approval.pdf_sha256, "found": digest},
        )
        raise ApprovedFileMismatch(document.id) from exc
    return data, approval


# ------------------------------------------------------------------------------ the engagement's link
def engagement_for_token(token: str, *, max_age: int) -> Engagement:
    """The open engagement a mailed link is for; raises tokens.TokenError when forged, expired, revoked or
    taken up."""
    data = tokens.read("engage", token, max_age)
    engagement = db.session.get(Engagement, data.get("eid")) if isinstance(data.get("eid"), int) else None
    if (
        engagement is None
        or engagement.email != data.get("email")
        or engagement.status != EngagementStatus.INVITED
    ):
        raise tokens.TokenError(expired=False)
    return engagement


def take_over_and_accept(
    engagement: Engagement,
    user: User,
    *,
    name: str,
    password: str,
    cicc_licence: str,
    now: datetime,
    ip_address: str | None = None,
) -> User:
    """The engaged consultant takes over the unconfirmed account of the engaged address
    (``auth.services.take_over``: the link reached that mailbox) as a consultant's account with their CICC
    licence number, and accepts the engagement."""
    hold_row(engagement)
    if engagement.status != EngagementStatus.INVITED:
        raise ConsultError(N_("This engagement is not open to you."))
    taken = take_over(
        user,
        name=name,
        password=password,
        account_type=AccountType.CONSULTANT,
        now=now,
        reason={"engagement_id": engagement.id, "organization_id": engagement.organization_id},
        ip_address=ip_address,
    )
    take_licence(taken, cicc_licence, now=now)
    accept(engagement, taken)
    return taken
