"""Consultant mail: the engagement to the consultant, a decision on a packet to the employer's members,
each in the recipient's own language (the engagement of an address with no account yet: in the
language of the request that caused it), with their links (the caller's side; the services record
only)."""

from __future__ import annotations

import re
from contextlib import AbstractContextManager, nullcontext
from typing import Any

from flask import current_app

from portal import labels, mail, tokens
from portal.consult.services import find_consultant
from portal.i18n import gettext as _
from portal.models import Document, Engagement, Review, ReviewDecision, User


def engagement_token(engagement: Engagement) -> str:
    return tokens.make("engage", {"eid": engagement.id, "email": engagement.email})


def send_engagement(engagement: Engagement, *, actor: User) -> None:
    """Mail the engaged address how to accept."""
    org = engagement.organization
    recipient = find_consultant(engagement.email)
    language: AbstractContextManager[None] = (
        mail.in_language_of(recipient) if recipient is not None and recipient.locale else nullcontext()
    )
    with language:
        subject = _("%(org)s asks you to review its IMP Portal cases", org=org.display_name)
        if recipient is None:  # no account yet: the registration, the address filled in, then the dashboard
            body = _(
                "Hello,\n\n%(name)s of %(org)s engages you as immigration consultant on IMP Portal.\n\n"
                "Register as a consultant with this address:\n\n%(register)s\n\n"
                "then sign in and accept the engagement on your dashboard:\n\n%(link)s\n",
                name=actor.name,
                org=org.display_name,
                register=mail.link("auth.register_consultant", email=engagement.email),
                link=mail.link("main.dashboard"),
            )
        else:
            body = _(
                "Hello,\n\n%(name)s of %(org)s engages you as immigration consultant on IMP Portal.\n\n"
                "Sign in (or register as a consultant with this email) and accept the engagement on your dashboard:\n\n%(link)s\n",
                name=actor.name,
                org=org.display_name,
                link=mail.link("main.dashboard"),
            )
        body += _(
            "\nThis link shows the engagement and the way in with this address, also when an account you "
            "did not make already uses it (valid %(days)d days):\n\n%(link)s\n",
            days=current_app.config["INVITATION_MAX_AGE"] // 86400,
            link=mail.link("consult.engagement_invitation", token=engagement_token(engagement)),
        )
    mail.send(engagement.email, subject, body)


def _decision_mail(document: Document, item: Review, link: str) -> tuple[str, str]:
    """The subject and body of the mail of ``item``, in the current locale."""
    case = document.case
    consultant = item.consultant  # the reviewer, just now: only a later account deletion clears it
    subject = (
        _("Packet approved: %(name)s", name=case.transferee.full_name)
        if item.decision == ReviewDecision.APPROVED
        else _("Packet returned: %(name)s", name=case.transferee.full_name)
    )
    licence = consultant.cicc_licence if consultant is not None else None
    values: dict[str, Any] = {
        "consultant": consultant.name if consultant is not None else "—",
        "decision": _("approved") if item.decision == ReviewDecision.APPROVED else _("returned"),
        "version": document.version,
        "name": case.transferee.full_name,
        "comment": "\n\n".join(
            [item.comment or ""]
            + [
                # the separator is the language's: "Section: text", "Section : texte"
                _("%(section)s: %(text)s", section=labels.section_label(c.section, c.heading), text=c.text)
                for c in item.comments
            ]
        ).strip(),
        "link": link,
    }
    if licence or consultant is None:
        body = _(
            "%(consultant)s (CICC %(licence)s) %(decision)s version %(version)d of the document for %(name)s.\n\n%(comment)s\n\n%(link)s\n",
            licence=licence or "—",
            **values,
        )
    else:  # a return by a consultant without a licence number (none approves: services.NO_LICENCE), said so
        body = _(
            "%(consultant)s (no CICC licence number on their account) %(decision)s version %(version)d of the document for %(name)s.\n\n%(comment)s\n\n%(link)s\n",
            **values,
        )
    # no comment: its place between two blank lines left four line breaks before the link (tour)
    return subject, re.sub(r"\n{3,}", "\n\n", body)


def notify_employer(document: Document, item: Review) -> None:
    """Mail every member of the document's organization the consultant's decision, each in their own
    language (not the consultant's)."""
    link = mail.link("documents.case_documents", case_id=document.case_id)
    for user in mail.members(document.organization_id):
        with mail.in_language_of(user):
            subject, body = _decision_mail(document, item, link)
        mail.send(user.email, subject, body)
