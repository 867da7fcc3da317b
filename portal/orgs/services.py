"""Organizations, memberships and invitations. Services flush; the caller commits."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from flask import current_app
from sqlalchemy import func, select, update

from portal import audit, tokens
from portal.auth import sessions
from portal.auth.services import (
    BUSINESS_NUMBER_RELEASED,
    ORG_FIELDS,
    AccountError,
    business_number_kept,
    check_business_number_free,
    create_organization,
    new_user,
    org_value,
    release_lapsed_business_number,
    take_over,
)
from portal.extensions import db, rows_by_id, rows_changed
from portal.messages import N_, sentence_end
from portal.models import (
    AccountType,
    CalendarFeed,
    Engagement,
    Invitation,
    Membership,
    Organization,
    Role,
    User,
)
from portal.models._types import utcnow
from portal.models.org import TIME_ZONES
from portal.tenancy import hold, hold_row

__all__ = [
    "accept_invitation",
    "change_role",
    "end_member_sessions",
    "create_organization",
    "invite",
    "remove_member",
    "update_organization",
]


class MembershipError(AccountError):
    pass


def update_organization(
    org: Organization, data: dict[str, Any], *, actor: User, now: datetime | None = None
) -> Organization:
    if now is not None and data["business_number"] != org.business_number:
        # a registration never confirmed in time holds it no longer: the number typed again is free
        release_lapsed_business_number(data["business_number"], now=now)
    check_business_number_free(data["business_number"], except_org=org, now=now)
    changed: dict[str, list[str | None]] = {}
    with business_number_kept():
        for key in ORG_FIELDS:
            value = org_value(data, key)
            if getattr(org, key) != value:
                changed[key] = [str(getattr(org, key)), str(value)]
                setattr(org, key, value)
    if "time_zone" in data:
        zone = data.get("time_zone") or None
        if zone is not None and zone not in TIME_ZONES:
            raise AccountError(N_("Choose one of the listed time zones."), "time_zone")
        if org.time_zone != zone:
            changed["time_zone"] = [org.time_zone, zone]
            org.time_zone = zone
    if changed:
        audit.record("organization.updated", actor=actor, organization=org, obj=org, data=changed)
    return org


def released_business_number(membership: Membership) -> str | None:
    """The business number ``membership``'s organization was registered with and lost to a later
    registration (its address was not confirmed in time: ``release_lapsed_business_number``), when the
    organization has none since and the member belonged to it then (the account that registered it, not
    a colleague invited later); else None."""
    org = membership.organization
    if org.business_number is not None:  # given again since (the organization's page), or never lost
        return None
    event = audit.latest(BUSINESS_NUMBER_RELEASED, organization_id=org.id)
    if event is None or membership.created_at > event.created_at:
        return None
    number = event.data.get("business_number")
    return number if isinstance(number, str) else None


def memberships_of(org: Organization) -> list[Membership]:
    return rows_by_id(Membership, Membership.organization_id == org.id)


def pending_invitations(org: Organization) -> list[Invitation]:
    return rows_by_id(
        Invitation,
        Invitation.organization_id == org.id,
        Invitation.accepted_at.is_(None),
        Invitation.revoked_at.is_(None),
    )


def invite(org: Organization, *, email: str, role: str, actor: User) -> Invitation:
    """Record an invitation (an older pending one to the same address is revoked); the caller mails it
    (``notify.send_invitation``)."""
    email = email.strip().lower()
    hold(org)  # a second invitation at once to the same address waits for this one's commit, then revokes it
    already = db.session.scalars(
        select(Membership)
        .join(User)
        .where(Membership.organization_id == org.id, func.lower(User.email) == email)
    ).first()
    if already is not None:
        raise MembershipError(
            N_("This person is already a member of %(org)s.", org=sentence_end(org.display_name)), "email"
        )
    # the organization's own consultant (engaged, or invited to be): a consultant account can never join
    # as a member (join refuses it), so the invitation would end on a refusal page (tour of 2026-12-06);
    # only this organization's engagements are read: the answer reveals no other account
    engaged = db.session.scalars(
        select(Engagement.id).where(
            Engagement.organization_id == org.id,
            func.lower(Engagement.email) == email,
            Engagement.revoked_at.is_(None),
        )
    ).first()
    if engaged is not None:
        raise MembershipError(
            N_(
                "This is the address of your consultant: a consultant works on your cases through the engagement, not as a member."
            ),
            "email",
        )
    for pending in pending_invitations(org):
        if pending.email == email:
            pending.revoked_at = utcnow()  # a new invitation replaces the older one
    invitation = Invitation(
        organization_id=org.id,
        email=email,
        role=Role(role),
        invited_by_id=actor.id,
        expires_at=utcnow() + timedelta(seconds=current_app.config["INVITATION_MAX_AGE"]),
    )
    audit.add_and_record(
        invitation, "invitation.sent", actor=actor, organization=org, data={"email": email, "role": role}
    )
    return invitation


def invitation_for_token(token: str) -> Invitation:
    """The pending invitation a link is for; raises tokens.TokenError when forged, expired or used."""
    data = tokens.read("invite", token, current_app.config["INVITATION_MAX_AGE"])
    invitation = db.session.get(Invitation, data.get("iid")) if isinstance(data.get("iid"), int) else None
    if invitation is None or invitation.email != data.get("email") or not invitation.is_pending:
        raise tokens.TokenError(expired=False)
    return invitation


def _hold_pending(invitation: Invitation) -> None:
    """Hold the invitation's row until the commit and check, read again, that it is still pending: the same
    link sent twice at once (a double click on "Join") waits for the first's commit and is refused here,
    where the second made another account of the same address (a 500 on the address's unique index) or
    joined twice."""
    hold_row(invitation)
    if not invitation.is_pending:
        raise MembershipError(N_("This invitation link is not valid, was revoked or was already used."))


def accept_invitation(invitation: Invitation, user: User) -> Membership:
    """Join with the invited, verified address only."""
    if user.email.lower() != invitation.email:
        raise MembershipError(
            N_("This invitation is for %(email)s. Sign out and open the link again.", email=invitation.email)
        )
    if not user.email_verified:
        raise MembershipError(
            N_(
                "Confirm your email address first (with the link we mailed you), then open the invitation again."
            )
        )
    if user.is_consultant:
        raise MembershipError(N_("A consultant account cannot join an employer as a member."))
    _hold_pending(invitation)
    membership = db.session.scalars(
        select(Membership).where(
            Membership.organization_id == invitation.organization_id, Membership.user_id == user.id
        )
    ).first()
    if membership is None:
        membership = Membership(
            organization_id=invitation.organization_id, user_id=user.id, role=invitation.role
        )
        db.session.add(membership)
    invitation.accepted_at = utcnow()
    db.session.flush()
    audit.record(
        "invitation.accepted",
        actor=user,
        organization=invitation.organization,
        obj=invitation,
        data={"role": invitation.role.value},
    )
    return membership


def revoke_invitation(invitation: Invitation, *, actor: User) -> None:
    """Revoke a pending invitation, once: an accepted or revoked one is refused (it was revoked again, or
    marked revoked after it was used, and audited each time)."""
    hold_row(invitation)
    if not invitation.is_pending:
        raise MembershipError(N_("This invitation is already revoked or accepted."))
    invitation.revoked_at = utcnow()
    audit.record("invitation.revoked", actor=actor, organization=invitation.organization, obj=invitation)


def _owners(org: Organization) -> int:
    """The organization's owners, counted once its row is held (``tenancy.hold``): two owners who demote or
    remove each other at the same moment would each count two and leave it with none."""
    hold(org)
    return (
        db.session.scalar(
            select(func.count())
            .select_from(Membership)
            .where(Membership.organization_id == org.id, Membership.role == Role.OWNER)
        )
        or 0
    )


def change_role(membership: Membership, role: str, *, actor: User) -> Membership:
    new_role = Role(role)
    if membership.role == Role.OWNER and new_role != Role.OWNER and _owners(membership.organization) <= 1:
        raise MembershipError(N_("An organization needs at least one owner. Make someone else owner first."))
    old = membership.role
    membership.role = new_role
    audit.record(
        "membership.role_changed",
        actor=actor,
        organization=membership.organization,
        obj=membership,
        data={"user_id": membership.user_id, "from": old.value, "to": new_role.value},
    )
    return membership


def _revoke_feeds(org_id: int, user_id: int) -> int:
    return rows_changed(
        update(CalendarFeed)
        .where(
            CalendarFeed.organization_id == org_id,
            CalendarFeed.user_id == user_id,
            CalendarFeed.revoked_at.is_(None),
        )
        .values(revoked_at=utcnow())
    )


def remove_member(membership: Membership, *, actor: User) -> None:
    """Remove a member: their sessions end and their calendar feed links of this organization die."""
    if membership.role == Role.OWNER and _owners(membership.organization) <= 1:
        raise MembershipError(N_("An organization needs at least one owner. Make someone else owner first."))
    ended = sessions.end_all(membership.user_id)
    feeds = _revoke_feeds(membership.organization_id, membership.user_id)
    audit.record(
        "membership.removed",
        actor=actor,
        organization=membership.organization,
        obj=membership,
        data={
            "user_id": membership.user_id,
            "role": membership.role.value,
            "sessions_ended": ended,
            "feeds_revoked": feeds,
        },
    )
    db.session.delete(membership)


def end_member_sessions(membership: Membership, *, actor: User) -> int:
    """An owner signs a member out everywhere (e.g. a lost laptop). Returns how many sessions ended."""
    ended = sessions.end_all(membership.user_id)
    audit.record(
        "membership.sessions_ended",
        actor=actor,
        organization=membership.organization,
        obj=membership,
        data={"user_id": membership.user_id, "sessions_ended": ended},
    )
    return ended


def register_and_accept(invitation: Invitation, *, name: str, password: str) -> User:
    """An invited person without an account: create it with the invited email, and join."""
    _hold_pending(invitation)
    user = new_user(name=name, email=invitation.email, password=password, account_type=AccountType.EMPLOYER)
    user.email_verified_at = utcnow()  # the invitation link was mailed to this address
    db.session.flush()
    audit.record("user.registered", actor=user, organization=invitation.organization, obj=user)
    accept_invitation(invitation, user)
    return user


def take_over_and_accept(
    invitation: Invitation,
    user: User,
    *,
    name: str,
    password: str,
    now: datetime,
    ip_address: str | None = None,
) -> User:
    """The invitee takes over the unconfirmed account of the invited address (``auth.services.take_over``:
    the link reached that mailbox) as an employer's account, and joins."""
    _hold_pending(invitation)
    taken = take_over(
        user,
        name=name,
        password=password,
        account_type=AccountType.EMPLOYER,
        now=now,
        reason={"invitation_id": invitation.id, "organization_id": invitation.organization_id},
        ip_address=ip_address,
    )
    accept_invitation(invitation, taken)
    return taken
