"""Account mail: the password-reset and address-confirmation messages, in the reader's language, with
their links (the caller's side: a view or the worker task gives the URL base and the locale; the
services only make tokens)."""

from __future__ import annotations

from flask import current_app

from portal import mail
from portal.auth import services
from portal.i18n import gettext as _
from portal.models import User


def send_password_reset(email: str) -> None:
    """Mail a signed, expiring link if the account exists. Says nothing either way, and takes the
    same time either way: an unknown address costs the same lookup, token and message (built,
    MIME and all, by ``mail.compose``), only the sending is left out. Run by the worker task
    ``auth.send_password_reset``: the request itself only queues it
    (``workers.tasks.auth.queue_password_reset``), whatever the address."""
    user, name, token = services.password_reset_token(email)
    link = mail.link("auth.reset_password", token=token)
    minutes = current_app.config["PASSWORD_RESET_MAX_AGE"] // 60
    subject = _("Reset your IMP Portal password")
    body = _(
        "Hello %(name)s,\n\nTo choose a new password, open this link within %(minutes)d minutes:\n\n%(link)s\n\n"
        "If you did not ask for it, ignore this message: your password stays as it is.",
        name=name,
        minutes=minutes,
        link=link,
    )
    if user is not None:
        mail.send(user.email, subject, body)
    else:
        mail.compose(email, subject, body)  # built as if sent: this branch costs about the same


def send_verification(user: User) -> None:
    """Mail ``user`` the link that confirms their address."""
    link = mail.link("auth.verify_email", token=services.verification_token(user))
    hours = current_app.config["EMAIL_VERIFICATION_MAX_AGE"] // 3600
    if user.sign_in_needs_confirmation:
        # an account of the registration page signs in only once confirmed (it was told it could not accept
        # an engagement or an invitation, as if it could sign in meanwhile: tour)
        body = _(
            "Hello %(name)s,\n\nTo confirm that %(email)s is your address, open this link within %(hours)d hours:"
            "\n\n%(link)s\n\nThen sign in: until your address is confirmed, the portal does not let you in. "
            "If you did not create this account, ignore this message.",
            name=user.name,
            email=user.email,
            hours=hours,
            link=link,
        )
    else:  # an account from before confirmations: it signs in, but some steps wait for the confirmation
        body = _(
            "Hello %(name)s,\n\nTo confirm that %(email)s is your address, open this link within %(hours)d hours:"
            "\n\n%(link)s\n\nUntil then you cannot accept an engagement or an invitation. "
            "If you did not create this account, ignore this message.",
            name=user.name,
            email=user.email,
            hours=hours,
            link=link,
        )
    mail.send(user.email, _("Confirm your email address for IMP Portal"), body)


def send_registration_attempt(holder: User) -> None:
    """Tell the holder of an address that someone registered with it (perhaps they forgot their account):
    the registration page answered as for a new address, so only this mailbox learns it is taken. In the
    holder's language, with the sign-in and password-reset pages on ``PUBLIC_URL``."""
    with mail.in_language_of(holder):
        mail.send(
            holder.email,
            _("Someone tried to register with your address on IMP Portal"),
            _(
                "Hello %(name)s,\n\nSomeone, perhaps you, tried to register a new IMP Portal account with "
                "%(email)s. This address already has an account, so nothing was created.\n\n"
                "If it was you, sign in:\n\n%(login)s\n\nForgot your password? Choose a new one:\n\n%(reset)s\n\n"
                "If it was not you, ignore this message: your account is unchanged.",
                name=holder.name,
                email=holder.email,
                login=mail.link("auth.login"),
                reset=mail.link("auth.request_reset"),
            ),
        )


def send_licence_taken(email: str, licence: str) -> None:
    """Tell the address a consultant registered with that the CICC licence number belongs to another
    account (nothing was created). Only who reads that mailbox learns it, not whoever filled in the form."""
    mail.send(
        email,
        _("Your IMP Portal registration was not completed"),
        _(
            "Hello,\n\nSomeone, perhaps you, tried to register a consultant account on IMP Portal with %(email)s "
            "and the CICC licence number %(licence)s. That licence number is already registered to another "
            "account, so nothing was created.\n\nIf that account is yours, sign in with it:\n\n%(login)s\n\n"
            "If you hold this licence and did not register it here, contact the organization that runs this "
            "portal. If it was not you, ignore this message.",
            email=email,
            licence=licence,
            login=mail.link("auth.login"),
        ),
    )
