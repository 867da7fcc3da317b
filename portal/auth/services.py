"""Accounts: registration, sign-in, password reset. Services flush; the caller commits."""

from __future__ import annotations

from flask import current_app, url_for
from flask_babel import gettext as _
from sqlalchemy import func, select

from portal import audit, mail, tokens
from portal.errors import ServiceError
from portal.extensions import db
from portal.models import AccountType, Membership, Organization, Role, User
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


class AccountError(ServiceError):
    """An account, sign-in or organization request the rules refuse."""


def load_user(user_id: str) -> User | None:
    try:
        return db.session.get(User, int(user_id))
    except (TypeError, ValueError):
        return None


def find_user(email: str) -> User | None:
    return db.session.scalars(select(User).where(func.lower(User.email) == email.strip().lower())).first()


def new_user(*, name: str, email: str, password: str, account_type: AccountType, **extra) -> User:
    if find_user(email) is not None:
        raise AccountError(
            _("An account with this email already exists. Sign in, or reset your password."), "email"
        )
    user = User(name=name, email=email.strip().lower(), account_type=account_type, **extra)
    user.set_password(password)
    db.session.add(user)
    return user


def check_business_number_free(business_number: str, *, except_org: Organization | None = None) -> None:
    query = select(Organization).where(Organization.business_number == business_number)
    if except_org is not None:
        query = query.where(Organization.id != except_org.id)
    if db.session.scalars(query).first() is not None:
        raise AccountError(
            _(
                "An employer with this business number is already registered. Ask one of its owners to invite you."
            ),
            "business_number",
        )


def create_organization(data: dict, *, owner: User) -> Organization:
    check_business_number_free(data["business_number"])
    org = Organization(**{k: data.get(k) or None for k in ORG_FIELDS})
    db.session.add(org)
    db.session.flush()
    db.session.add(Membership(organization=org, user=owner, role=Role.OWNER))
    audit.record("organization.created", actor=owner, organization=org, obj=org)
    return org


def register_employer(data: dict, *, ip_address: str | None = None) -> tuple[User, Organization]:
    """Create the user and the organization they own, in one transaction (flushed, not committed)."""
    user = new_user(
        name=data["name"], email=data["email"], password=data["password"], account_type=AccountType.EMPLOYER
    )
    check_business_number_free(data["business_number"])
    db.session.flush()
    org = create_organization(data, owner=user)
    audit.record("user.registered", actor=user, organization=org, obj=user, ip_address=ip_address)
    return user, org


def register_consultant(data: dict, *, ip_address: str | None = None) -> User:
    licence = data["cicc_licence"]
    if db.session.scalars(select(User).where(User.cicc_licence == licence)).first() is not None:
        raise AccountError(
            _("This CICC licence number is already registered to another account."), "cicc_licence"
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


def authenticate(email: str, password: str, *, ip_address: str | None = None) -> User | None:
    """The user if the password matches; otherwise None and an audit event (flushed)."""
    user = find_user(email)
    if user is None or not user.check_password(password):
        audit.record(
            "login.failed", actor=user, data={"email": email.strip().lower()[:254]}, ip_address=ip_address
        )
        return None
    user.last_login_at = utcnow()
    return user


def _reset_fingerprint(user: User) -> str:
    # A used link dies with the password it was made for.
    return user.password_hash[-16:]


def request_password_reset(email: str) -> None:
    """Mail a signed, expiring link if the account exists. Says nothing either way."""
    user = find_user(email)
    if user is None:
        return
    token = tokens.make("reset", {"uid": user.id, "fp": _reset_fingerprint(user)})
    link = url_for("auth.reset_password", token=token, _external=True)
    minutes = current_app.config["PASSWORD_RESET_MAX_AGE"] // 60
    mail.send(
        user.email,
        _("Reset your IMP Portal password"),
        _(
            "Hello %(name)s,\n\nTo choose a new password, open this link within %(minutes)d minutes:\n\n%(link)s\n\n"
            "If you did not ask for it, ignore this message: your password stays as it is.",
            name=user.name,
            minutes=minutes,
            link=link,
        ),
    )


def user_for_reset_token(token: str) -> User:
    """The user a reset link is for; raises tokens.TokenError if forged, expired or used."""
    data = tokens.read("reset", token, current_app.config["PASSWORD_RESET_MAX_AGE"])
    user = db.session.get(User, data.get("uid")) if isinstance(data.get("uid"), int) else None
    if user is None or data.get("fp") != _reset_fingerprint(user):
        raise tokens.TokenError(expired=False)
    return user


def reset_password(token: str, new_password: str, *, ip_address: str | None = None) -> User:
    user = user_for_reset_token(token)
    user.set_password(new_password)
    audit.record("user.password_reset", actor=user, obj=user, ip_address=ip_address)
    return user
