"""Organization mail: the invitation, in the language of the owner's request, with its link (the
caller's side; ``services.invite`` only records the invitation)."""

from __future__ import annotations

from flask import current_app

from portal import mail, tokens
from portal.i18n import gettext as _
from portal.models import Invitation, Role, User


def invitation_token(invitation: Invitation) -> str:
    return tokens.make("invite", {"iid": invitation.id, "email": invitation.email})


def send_invitation(invitation: Invitation, *, actor: User) -> None:
    """Mail the invited address its signed link (valid ``INVITATION_MAX_AGE``)."""
    org = invitation.organization
    link = mail.link("orgs.accept_invitation", token=invitation_token(invitation))
    mail.send(
        invitation.email,
        _("%(name)s invites you to %(org)s on IMP Portal", name=actor.name, org=org.display_name),
        _(
            "Hello,\n\n%(name)s invites you to join %(org)s on IMP Portal as %(role)s.\n\n"
            "Open this link within %(days)d days to accept:\n\n%(link)s\n",
            days=current_app.config["INVITATION_MAX_AGE"] // 86400,
            name=actor.name,
            org=org.display_name,
            role=_("owner") if invitation.role == Role.OWNER else _("member"),
            link=link,
        ),
    )
