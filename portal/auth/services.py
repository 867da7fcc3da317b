"""Accounts: registration, sign-in, password reset. Services flush; the caller commits."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache
from typing import Any

from flask import current_app
from sqlalchemy import delete, func, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.attributes import set_committed_value
from werkzeug.security import check_password_hash, generate_password_hash

from portal import audit, tokens
from portal.auth import sessions, throttle
from portal.errors import ServiceError
from portal.extensions import db, rows_changed
from portal.messages import N_
from portal.models import AccountType, CalendarFeed, Membership, Organization, RegistrationHold, Role, User
from portal.models._types import utcnow

ORG_FIELDS = (
    "legal_name",
    "operating_name",
    "business_number",
    "street_address",
    "city",
    "province",
    "postal_code",
    "telephone",
    "employees",
    "gross_annual_revenue",
)


def org_value(data: dict[str, Any], key: str) -> Any:
    """What the organization stores of a field of its form: nothing typed is None, but 0 (a gross annual
    revenue, where ``or None`` stored NULL and the insert failed) is a value."""
    value = data.get(key)
    return None if value == "" else value


class AccountError(ServiceError):
    """An account, sign-in or organization request the rules refuse."""


def find_user(email: str) -> User | None:
    return db.session.scalars(select(User).where(func.lower(User.email) == email.strip().lower())).first()


def new_user(*, name: str, email: str, password: str, account_type: AccountType, **extra: Any) -> User:
    if find_user(email) is not None:
        raise AccountError(
            N_("An account with this email already exists. Sign in, or reset your password."), "email"
        )
    user = User(name=name, email=email.strip().lower(), account_type=account_type, **extra)
    user.set_password(password)
    db.session.add(user)
    return user


def check_business_number_free(
    business_number: str, *, except_org: Organization | None = None, now: datetime | None = None
) -> None:
    """Refuse a number another organization has, or (given ``now``) a registration holds (``hold``)."""
    query = select(Organization).where(Organization.business_number == business_number)
    if except_org is not None:
        query = query.where(Organization.id != except_org.id)
    held = now is not None and is_held(BUSINESS_NUMBER, business_number, now=now)
    if held or db.session.scalars(query).first() is not None:
        raise _business_number_taken()


def _business_number_taken() -> AccountError:
    return AccountError(
        N_(
            "An employer with this business number is already registered. Ask one of its owners to invite you."
        ),
        "business_number",
    )


@contextmanager
def business_number_kept() -> Iterator[None]:
    """Add or change an organization's row in a savepoint, flushed: when another request took the same
    business number in the same moment (two tabs, a double click on "Register"), the unique index refuses
    this row once that one commits, and the answer is the check's above, not a 500 (found by the outside
    probe: three clicks at once on the new-organization form made one organization and a 500)."""
    try:
        with db.session.begin_nested():
            yield
            db.session.flush()
    except IntegrityError as error:
        if "business_number" not in str(error.orig):
            raise
        raise _business_number_taken() from None


def create_organization(data: dict[str, Any], *, owner: User, now: datetime | None = None) -> Organization:
    if now is not None:  # a number held by a registration never confirmed in time is free again
        release_lapsed_business_number(data["business_number"], now=now)
    check_business_number_free(data["business_number"], now=now)
    org = Organization(**{k: org_value(data, k) for k in ORG_FIELDS})
    with business_number_kept():
        db.session.add(org)
    db.session.add(Membership(organization=org, user=owner, role=Role.OWNER))
    audit.record("organization.created", actor=owner, organization=org, obj=org)
    return org


def register_employer(data: dict[str, Any], *, ip_address: str | None = None) -> tuple[User, Organization]:
    """Create the user and the organization they own, in one transaction (flushed, not committed)."""
    user = new_user(
        name=data["name"], email=data["email"], password=data["password"], account_type=AccountType.EMPLOYER
    )
    check_business_number_free(data["business_number"])
    db.session.flush()
    org = create_organization(data, owner=user)
    audit.record("user.registered", actor=user, organization=org, obj=user, ip_address=ip_address)
    return user, org


def register_consultant(data: dict[str, Any], *, ip_address: str | None = None) -> User:
    licence = data["cicc_licence"]
    if licence_holder(licence) is not None:
        raise AccountError(
            N_("This CICC licence number is already registered to another account."), "cicc_licence"
        )
    user = new_user(
        name=data["name"],
        email=data["email"],
        password=data["password"],
        account_type=AccountType.CONSULTANT,
        cicc_licence=licence,
    )
    db.session.flush()
    audit.record(
        "user.registered", actor=user, obj=user, data={"account_type": "consultant"}, ip_address=ip_address
    )
    return user


@dataclass(frozen=True)
class SignUp:
    """What a registration did; the page answers the same whatever it was (``email``: where we wrote).

    ``user``: the new account, to be mailed its confirmation link. ``holder``: the account that already
    uses this address (nothing was created): mailed that someone tried. ``licence``: the CICC licence
    number another account holds (nothing was created): the registering address is told by mail."""

    email: str
    user: User | None = None
    holder: User | None = None
    licence: str | None = None


def _same_cost(password: str) -> None:
    # A registration that creates nothing costs the password hash a new account costs, so the answer's
    # time says nothing about the address.
    generate_password_hash(password)


def sign_up_employer(
    data: dict[str, Any], *, now: datetime, ip_address: str | None = None, language: str | None = None
) -> SignUp:
    """A registration from the public page: the employer and its owner, unless the address already has an
    account (then nothing is written and its holder is told). The business number is checked first, the
    same for any address (an organization's number, refused on the form: it reveals no person's account
    and, checked before the address, it cannot tell whether an address is taken). A number held by a
    registration never confirmed in time is released first (``release_lapsed_business_number``)."""
    release_lapsed_business_number(data["business_number"], now=now)
    check_business_number_free(data["business_number"], now=now)
    holder = find_user(data["email"])
    if holder is not None:
        _same_cost(data["password"])
        return _taken(holder, data, now=now)
    made = _made_unless_taken(lambda: register_employer(data, ip_address=ip_address)[0], data, now=now)
    return made if isinstance(made, SignUp) else _signed_up(made, now=now, language=language)


def sign_up_consultant(
    data: dict[str, Any], *, now: datetime, ip_address: str | None = None, language: str | None = None
) -> SignUp:
    """A consultant's registration from the public page: the account, unless the address already has one
    (its holder is told) or the CICC licence number belongs to another account (the registering address is
    told, by mail: only who reads that mailbox learns the clash). Nothing is written in either case. A
    licence held by an account never confirmed in time is released first (``release_lapsed_licence``)."""
    email = data["email"].strip().lower()
    holder = find_user(email)
    if holder is not None:
        _same_cost(data["password"])
        return _taken(holder, data, now=now)
    release_lapsed_licence(data["cicc_licence"], now=now)
    if licence_held(data["cicc_licence"], now=now):
        _same_cost(data["password"])
        return SignUp(email=email, licence=data["cicc_licence"])
    made = _made_unless_taken(lambda: register_consultant(data, ip_address=ip_address), data, now=now)
    return made if isinstance(made, SignUp) else _signed_up(made, now=now, language=language)


def _signed_up(user: User, *, now: datetime, language: str | None = None) -> SignUp:
    """``language``: the one the registration page was read in (chosen with the switch or by the browser's
    own language): the account's (``User.locale``), so that the mails sent without a request (a consultant's
    decision, the reminders) are written in it; left None, they came in English to a person who had only
    ever read the portal in French (tour)."""
    if language is not None:
        user.locale = language
    user.verification_sent_at = now  # the caller mails its first link after the commit
    user.sign_in_needs_confirmation = True
    return SignUp(email=user.email, user=user)


def _taken(holder: User, data: dict[str, Any], *, now: datetime) -> SignUp:
    """The registration of an address that has an account: nothing is created, but the business number or
    licence number it named is held as the new account would have held it (``hold``)."""
    if data.get("business_number"):
        hold(BUSINESS_NUMBER, data["business_number"], now=now)
    elif data.get("cicc_licence") and not licence_held(data["cicc_licence"], now=now):
        hold(LICENCE, data["cicc_licence"], now=now)
    return SignUp(email=holder.email, holder=holder)


# ------------------------------------------------------------------------------ numbers held
# A registration of a new address holds the business number (or CICC licence number) it names, from its
# first moment; a registration of an address that has an account created nothing and held nothing. So
# registering an address, then the same number again from another, told whether the first address had an
# account (refused, or mailed 'already registered', only if it had not). A registration of a taken address
# now holds its number for as long as the unconfirmed account it did not make would (until its link expires).
BUSINESS_NUMBER = "business_number"
LICENCE = "licence"


def hold(kind: str, value: str, *, now: datetime) -> None:
    """Hold ``value`` (a ``kind`` of number) for the lifetime of a confirmation link (flushed by the caller)."""
    expires = now + timedelta(seconds=current_app.config["EMAIL_VERIFICATION_MAX_AGE"])
    db.session.add(RegistrationHold(kind=kind, value=value, expires_at=expires))


def is_held(kind: str, value: str, *, now: datetime) -> bool:
    query = select(RegistrationHold.id).where(
        RegistrationHold.kind == kind, RegistrationHold.value == value, RegistrationHold.expires_at > now
    )
    return db.session.scalars(query.limit(1)).first() is not None


def prune_holds(*, now: datetime) -> int:
    """Delete the holds that have expired (beat, daily, with the sessions); how many."""
    return rows_changed(delete(RegistrationHold).where(RegistrationHold.expires_at <= now))


def licence_held(licence: str, *, now: datetime) -> bool:
    """Whether an account has the CICC licence number, or a registration holds it."""
    return licence_holder(licence) is not None or is_held(LICENCE, licence, now=now)


# ------------------------------------------------------------------------------ lapsed registrations
# A registration holds its employer's business number (or a consultant's CICC licence number) while its
# address is unconfirmed only as long as its first confirmation link lives (EMAIL_VERIFICATION_MAX_AGE):
# someone who registered a company's number with an address they never confirmed blocked the real
# employer for ever. Past that, the next registration of the number takes it. The lapsed registration keeps
# its rows (nothing typed is deleted) but no longer the number: confirming its address later makes it the
# owner of an organization without a business number, never of the employer that registered the number.
def _lapsed_before(now: datetime) -> datetime:
    return now - timedelta(seconds=current_app.config["EMAIL_VERIFICATION_MAX_AGE"])


BUSINESS_NUMBER_RELEASED = "organization.business_number_released"
LICENCE_RELEASED = "user.licence_released"


def release_lapsed_business_number(business_number: str, *, now: datetime) -> Organization | None:
    """Free ``business_number`` if the organization holding it was registered before the confirmation
    link's lifetime and its members are all accounts of the registration page that never confirmed their
    address (accounts from before confirmations existed are left alone: they used the portal as it was);
    the organization released (flushed, with an audit event), or None."""
    # a member who confirmed an address, or whose account was not made by the registration page (an
    # invitation, an account from before confirmations: it has used the portal as it was)
    established_member = (
        select(Membership.id)
        .join(User, User.id == Membership.user_id)
        .where(
            Membership.organization_id == Organization.id,
            or_(User.email_verified_at.is_not(None), User.sign_in_needs_confirmation.is_(False)),
        )
        .exists()
    )
    org = db.session.scalars(
        select(Organization)
        .where(
            Organization.business_number == business_number,
            Organization.created_at < _lapsed_before(now),
            ~established_member,
        )
        .with_for_update()
    ).first()
    if org is None:
        return None
    org.business_number = None
    audit.record(
        BUSINESS_NUMBER_RELEASED,
        actor=None,
        organization=org,
        obj=org,
        data={"business_number": business_number},
    )
    db.session.flush()
    return org


def release_lapsed_licence(licence: str, *, now: datetime) -> User | None:
    """Free the CICC licence number ``licence`` if the account holding it was made by the registration page
    before the confirmation link's lifetime and never confirmed its address; the account released
    (flushed), or None."""
    user = db.session.scalars(
        select(User)
        .where(
            User.cicc_licence == licence,
            User.email_verified_at.is_(None),
            User.sign_in_needs_confirmation.is_(True),  # made by the registration page, never confirmed
            User.created_at < _lapsed_before(now),
        )
        .with_for_update()
    ).first()
    if user is None:
        return None
    user.cicc_licence = None
    audit.record(LICENCE_RELEASED, actor=None, obj=user, data={"cicc_licence": licence})
    db.session.flush()
    return user


def released_licence(user: User) -> str | None:
    """The CICC licence number ``user`` (a consultant) registered with and lost to a later registration (its
    address was not confirmed in time: ``release_lapsed_licence``), while the account has none since; else
    None. Read only for a consultant without a licence: no statement for the others."""
    if not user.is_consultant or user.cicc_licence is not None:
        return None
    event = audit.latest(LICENCE_RELEASED, obj=user)
    number = event.data.get("cicc_licence") if event is not None else None
    return number if isinstance(number, str) else None


# ------------------------------------------------------------------------------ a licence entered later
def _licence_taken() -> AccountError:
    # registration's own words (``register_consultant``), and the advice its mail gives (``send_licence_taken``)
    return AccountError(
        N_(
            "This CICC licence number is already registered to another account. If you hold it and did not "
            "register it here, contact the organization that runs this portal."
        ),
        "cicc_licence",
    )


def _licence_kept(licence: str | None) -> AccountError:
    return AccountError(
        N_(
            "Your account already has the CICC licence number %(licence)s. It is stated on your approvals: "
            "to change it, contact the organization that runs this portal.",
            licence=licence or "",
        ),
        "cicc_licence",
    )


def enter_licence(user: User, licence: str, *, now: datetime, ip_address: str | None = None) -> User:
    """A consultant whose account has no CICC licence number (it went to a later registration:
    ``release_lapsed_licence``) enters one on their account page; flushed, with an audit event.

    The registration's rules: a number another account has, or a registration holds, is refused (said on the
    page: the address is confirmed, so only who reads its mailbox learns it, as registration's mail tells
    it); a number held by an account never confirmed in time is released first. Only with a confirmed
    address (as accepting an engagement). A consultant who has a number keeps it: it is stated on the
    approvals they gave, so it is not changed here. Two requests at once: the row is updated only while it
    has no number, and the unique index refuses a number another account took meanwhile."""
    if not user.is_consultant:
        raise AccountError(N_("Only a consultant's account has a CICC licence number."), "cicc_licence")
    if user.cicc_licence is not None:
        raise _licence_kept(user.cicc_licence)
    if not user.email_verified:
        raise AccountError(
            N_(
                "Confirm your email address first (with the link we mailed you), then enter your licence number."
            ),
            "cicc_licence",
        )
    release_lapsed_licence(licence, now=now)
    if licence_held(licence, now=now):
        raise _licence_taken()
    try:
        with db.session.begin_nested():
            entered = rows_changed(
                update(User)
                .where(User.id == user.id, User.cicc_licence.is_(None))
                .values(cicc_licence=licence)
                .execution_options(synchronize_session=False)
            )
    except IntegrityError:  # another account took the number since the check above
        raise _licence_taken() from None
    if entered != 1:  # another request of this account entered one since it was read
        db.session.refresh(user, ["cicc_licence"])
        raise _licence_kept(user.cicc_licence)
    set_committed_value(user, "cicc_licence", licence)
    audit.record(
        "user.licence_entered", actor=user, obj=user, data={"cicc_licence": licence}, ip_address=ip_address
    )
    return user


def _made_unless_taken(make: Callable[[], User], data: dict[str, Any], *, now: datetime) -> User | SignUp:
    """The new account ``make`` creates, in a savepoint; or, when another registration took the same address,
    licence or business number in the same moment (the unique index refused the row once that one
    committed), the answer the checks above would have given had it come a moment later."""
    try:
        with db.session.begin_nested():
            return make()
    except IntegrityError:
        holder = find_user(data["email"])  # (the password was hashed: the same cost as any registration)
        if holder is not None:
            return _taken(holder, data, now=now)
        licence = data.get("cicc_licence")
        if licence and licence_held(licence, now=now):
            return SignUp(email=data["email"].strip().lower(), licence=licence)
        if data.get("business_number"):
            check_business_number_free(data["business_number"])  # raises its message on the form
        raise


def licence_holder(licence: str) -> User | None:
    return db.session.scalars(select(User).where(User.cicc_licence == licence)).first()


class SignInBlocked(AccountError):
    """Too many failed sign-ins for this address: wait ``seconds`` (or reset the password)."""

    def __init__(self, seconds: int):
        minutes = max(1, (seconds + 59) // 60)
        super().__init__(
            N_(
                "Too many failed sign-ins for this account. Try again in %(minutes)d minutes, "
                "or reset your password.",
                minutes=minutes,
            )
        )
        self.seconds = seconds


@cache
def _dummy_hash() -> str:
    # Checked against the password of an unknown email, so that the answer takes as long as for
    # a known one (the same algorithm and cost as real password hashes).
    return generate_password_hash("not-a-real-password-0123456789")


def throttle_policy() -> throttle.Policy:
    config = current_app.config
    return throttle.Policy(
        free_tries=config["LOGIN_ACCOUNT_FREE_TRIES"],
        base=config["LOGIN_BACKOFF_BASE_SECONDS"],
        maximum=config["LOGIN_BACKOFF_MAX_SECONDS"],
    )


@dataclass(frozen=True)
class SignIn:
    """What a sign-in did: ``user`` signed in, or nobody (the page answers 'wrong email or password').
    ``unconfirmed``: the password was right, but the account was made by the registration page and its
    address is not confirmed yet: refused like a wrong password (only the mailbox learns more: the caller
    mails it a new link), since whoever registers an address chooses the password."""

    user: User | None = None
    unconfirmed: User | None = None


def authenticate(email: str, password: str, *, now: datetime, ip_address: str | None = None) -> SignIn:
    """The user if the password matches; otherwise nobody and an audit event (flushed).

    Raises SignInBlocked while the address is in back-off (the same for known and unknown
    addresses). Known and unknown addresses cost one password hash check each.
    """
    wait = throttle.seconds_blocked(email, now=now)
    if wait:
        raise SignInBlocked(wait)
    user = find_user(email)
    if user is None:
        check_password_hash(_dummy_hash(), password)
        ok = False
    else:
        ok = user.check_password(password)
    unconfirmed = user if ok and user is not None and must_confirm_first(user) else None
    if not ok or user is None or unconfirmed is not None:
        audit.record(
            "login.failed", actor=user, data={"email": email.strip().lower()[:254]}, ip_address=ip_address
        )
        throttle.record_failure(email, now=now, policy=throttle_policy())
        return SignIn(unconfirmed=unconfirmed)
    throttle.clear(email)
    user.last_login_at = now
    return SignIn(user=user)


def must_confirm_first(user: User) -> bool:
    """An account made by the registration page signs in once its address is confirmed."""
    return user.sign_in_needs_confirmation and not user.email_verified


def _reset_fingerprint(user: User) -> str:
    # A used link dies with the password it was made for.
    return user.password_hash[-16:]


def password_reset_token(email: str) -> tuple[User | None, str, str]:
    """(the user or None, the name to greet, a signed reset token). An unknown address costs the same
    lookup and token as a known one (``notify.send_password_reset`` mails only a known one)."""
    user = find_user(email)
    if user is not None:
        payload = {"uid": user.id, "fp": _reset_fingerprint(user)}
        name = user.name
    else:
        payload = {"uid": 0, "fp": _dummy_hash()[-16:]}
        name = email
    return user, name, tokens.make("reset", payload)


def user_for_reset_token(token: str, *, lock: bool = False) -> User:
    """The user a reset link is for; raises tokens.TokenError if forged, expired or used.

    With ``lock`` the user's row is read afresh and locked until the commit (SELECT ... FOR UPDATE on
    PostgreSQL; SQLite writes one transaction at a time anyway), so the link is checked against the
    password of that moment: of two requests sent at once with one link, the second waits for the first
    to commit, then finds the password changed and the link used."""
    data = tokens.read("reset", token, current_app.config["PASSWORD_RESET_MAX_AGE"])
    uid = data.get("uid")
    user: User | None = None
    if isinstance(uid, int) and lock:
        query = select(User).where(User.id == uid).with_for_update()
        user = db.session.scalars(query.execution_options(populate_existing=True)).first()
    elif isinstance(uid, int):
        user = db.session.get(User, uid)
    if user is None or data.get("fp") != _reset_fingerprint(user):
        raise tokens.TokenError(expired=False)
    return user


def reset_password(token: str, new_password: str, *, ip_address: str | None = None) -> User:
    """Set the new password, end every session of the user and clear the sign-in back-off. The link is
    used once only, even by two requests at once (``lock``: the second raises tokens.TokenError)."""
    user = user_for_reset_token(token, lock=True)
    user.set_password(new_password)
    ended = sessions.end_all(user.id)
    throttle.clear(user.email)
    if user.email_verified_at is None:  # the link reached this mailbox
        user.email_verified_at = utcnow()
    audit.record(
        "user.password_reset", actor=user, obj=user, data={"sessions_ended": ended}, ip_address=ip_address
    )
    return user


def change_password(user: User, current: str, new_password: str, *, ip_address: str | None = None) -> int:
    """Change a signed-in user's password; every session of the user ends (the caller starts a new one)."""
    if not user.check_password(current):
        raise AccountError(N_("This is not your current password."), "current")
    user.set_password(new_password)
    ended = sessions.end_all(user.id)
    audit.record(
        "user.password_changed", actor=user, obj=user, data={"sessions_ended": ended}, ip_address=ip_address
    )
    return ended


# ------------------------------------------------------------------------------ email verification
def claim_verification_mail(user: User, *, now: datetime) -> bool:
    """Whether a new confirmation link may be mailed to ``user`` now (at most one per
    VERIFICATION_RESEND_SECONDS); if so, it is recorded as sent (flushed: the caller commits, then mails).
    One conditional UPDATE, so two sign-ins at once mail one link."""
    since = now - timedelta(seconds=current_app.config["VERIFICATION_RESEND_SECONDS"])
    claimed = rows_changed(
        update(User)
        .where(
            User.id == user.id,
            User.email_verified_at.is_(None),
            or_(User.verification_sent_at.is_(None), User.verification_sent_at <= since),
        )
        .values(verification_sent_at=now)
        .execution_options(synchronize_session=False)
    )
    if claimed != 1:
        return False
    user.verification_sent_at = now
    return True


def verification_wait_minutes(user: User, *, now: datetime) -> int:
    """How many minutes until a new confirmation link may be mailed to ``user`` (at least 1)."""
    sent = user.verification_sent_at
    if sent is None:
        return 1
    if sent.tzinfo is None:  # SQLite gives back naive UTC
        sent = sent.replace(tzinfo=now.tzinfo)
    left = current_app.config["VERIFICATION_RESEND_SECONDS"] - (now - sent).total_seconds()
    return max(1, int((left + 59) // 60))


def verification_token(user: User) -> str:
    """A signed link payload bound to the user and the exact address it is mailed to."""
    return tokens.make("verify", {"uid": user.id, "email": user.email.lower()})


def verify_email(token: str, *, now: datetime) -> User:
    """Mark the address verified; raises tokens.TokenError if the link is forged, expired or stale."""
    data = tokens.read("verify", token, current_app.config["EMAIL_VERIFICATION_MAX_AGE"])
    user = db.session.get(User, data["uid"]) if isinstance(data.get("uid"), int) else None
    if user is None or data.get("email") != user.email.lower():
        raise tokens.TokenError(expired=False)
    if user.email_verified_at is None:
        user.email_verified_at = now
        throttle.clear(user.email)  # the sign-ins refused before the address was confirmed
        audit.record("user.email_verified", actor=user, obj=user, data={"email": user.email})
    return user


def mark_verified(user: User, *, now: datetime) -> None:
    """For accounts whose address is proven otherwise (an invitation link; the demo data)."""
    if user.email_verified_at is None:
        user.email_verified_at = now


# ------------------------------------------------------------------------------ an address taken back
# Anyone can register an account with an address they do not hold (it signs in once confirmed, and a
# stranger never confirms it). An invitation mailed to that address then said "an account with this email
# exists, sign in", and the invitee who took the account by a password reset had the wrong kind of account
# (a consultant account cannot join as a member, an employer account cannot accept an engagement): stuck.
# The invitation link reached the mailbox, which proves the address: an account whose address was never
# confirmed and holds nothing of its own is taken over from it (``take_over``); one that holds something is
# refused (``TakeOverRefused``), never merged.

# Rows that are not "something of the account's own": the audit trail, its sessions (ended), the calendar
# links (revoked), the notices it saw, and the memberships (read apart: the organization's own data decides).
_NOT_HELD = {"audit_events", "user_sessions", "calendar_feeds", "ruleset_notices_seen", "memberships"}


class TakeOverRefused(AccountError):
    """The unconfirmed account of the invited address holds something (an organization with data, an
    engagement, a membership of another organization): it is not taken over from an invitation link."""


def _user_columns() -> list[Any]:
    return [
        column
        for table in db.metadata.sorted_tables
        if table.name not in _NOT_HELD
        for column in table.columns
        if any(fk.column.table.name == "users" for fk in column.foreign_keys)
    ]


def _organization_columns() -> list[Any]:
    return [
        table.c.organization_id
        for table in db.metadata.sorted_tables
        if table.name not in _NOT_HELD and "organization_id" in table.c
    ]


def _any_row(column: Any, value: Any) -> bool:
    return db.session.execute(select(column).where(column == value).limit(1)).first() is not None


def own_organizations(user: User) -> list[Organization] | None:
    """The organizations ``user`` is the only member of, when none of them holds anything (the empty one
    the registration page made); None when the account holds something: a row that names it (an
    engagement, a review, a document asked for, an invitation sent), a membership of an organization it
    shares, or an organization of its own with any data (people, positions, cases...). Every table that
    names a user or an organization is read, so that a table added later counts too."""
    if any(_any_row(column, user.id) for column in _user_columns()):
        return None
    organizations = []
    for membership in db.session.scalars(select(Membership).where(Membership.user_id == user.id)):
        others = db.session.scalar(
            select(func.count())
            .select_from(Membership)
            .where(Membership.organization_id == membership.organization_id, Membership.user_id != user.id)
        )
        if others or any(_any_row(column, membership.organization_id) for column in _organization_columns()):
            return None
        organizations.append(membership.organization)
    return organizations


def can_take_over(user: User) -> bool:
    """Whether an invitation link to ``user``'s address may take the account over: its address was never
    confirmed (a confirmed account signs in to accept, as before)."""
    return user.email_verified_at is None


def take_over(
    user: User,
    *,
    name: str,
    password: str,
    account_type: AccountType,
    now: datetime,
    reason: dict[str, Any],
    ip_address: str | None = None,
) -> User:
    """The invitee who followed the link mailed to ``user``'s address takes the account over: their name
    and password, the address confirmed, every session of the former holder ended (its password no longer
    works, nor any reset link made for it), its calendar links revoked, the kind of account the invitation
    expects. The organization of its own it was the only member of, empty (the registration page made
    it), is left without members and its business number freed (kept: the audit trail names it); its CICC
    licence number is released. Refused
    (``TakeOverRefused``) when the address was confirmed meanwhile or the account holds something. The
    caller then accepts the invitation; flushed, with audit events (``reason``: which invitation)."""
    locked = db.session.scalars(
        select(User).where(User.id == user.id).with_for_update().execution_options(populate_existing=True)
    ).one()
    if not can_take_over(locked):  # confirmed meanwhile (by its own confirmation link): signing in accepts
        raise AccountError(
            N_("An account with this email exists. Sign in with it, then open this link again.")
        )
    organizations = own_organizations(locked)
    if organizations is None:
        raise TakeOverRefused(_held_message())
    former = {
        "name": locked.name,
        "account_type": locked.account_type.value,
        "cicc_licence": locked.cicc_licence,
        "organizations": [
            {"id": org.id, "legal_name": org.legal_name, "business_number": org.business_number}
            for org in organizations
        ],
    }
    for org in organizations:  # left without members nor number (the audit trail names it: never deleted)
        db.session.execute(delete(Membership).where(Membership.organization_id == org.id))
        org.business_number = None
    db.session.expire(locked, ["memberships"])
    ended = sessions.end_all(locked.id)
    feeds = rows_changed(
        update(CalendarFeed)
        .where(CalendarFeed.user_id == locked.id, CalendarFeed.revoked_at.is_(None))
        .values(revoked_at=now)
    )
    locked.name = name
    locked.set_password(password)
    locked.account_type = account_type
    locked.cicc_licence = None
    locked.email_verified_at = now
    locked.sign_in_needs_confirmation = False
    throttle.clear(locked.email)
    db.session.flush()
    audit.record(
        "user.taken_over",
        actor=locked,
        obj=locked,
        data={
            "former": former,
            "account_type": account_type.value,
            "sessions_ended": ended,
            "feeds_revoked": feeds,
            **reason,
        },
        ip_address=ip_address,
    )
    return locked


def _held_message() -> str:
    return N_(
        "An account with this email was registered here but its address was never confirmed, and it already "
        "holds data: it cannot be taken over from this link, and nothing was changed. Contact the person who "
        "invited you: they can invite another address of yours."
    )


def take_licence(user: User, licence: str, *, now: datetime) -> None:
    """Give the CICC licence number typed by the consultant who took ``user`` over (registration's rules: a
    number another account has, or a registration holds, is refused; one held by an account never confirmed
    in time is released first); flushed."""
    release_lapsed_licence(licence, now=now)
    holder = licence_holder(licence)
    if (holder is not None and holder.id != user.id) or (
        holder is None and is_held(LICENCE, licence, now=now)
    ):
        raise _licence_taken()
    try:
        with db.session.begin_nested():
            user.cicc_licence = licence
            db.session.flush()
    except IntegrityError:  # another account took the number since the check above
        raise _licence_taken() from None
