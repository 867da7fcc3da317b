"""Compliance mail: a reminder of a dated item to every member of the case's organization, in the
member's own language, with the link to the case's calendar (the caller's side: the beat task gives the
URL base)."""

from __future__ import annotations

from portal import mail
from portal.compliance.services import CalendarItem
from portal.i18n import day
from portal.i18n import gettext as _
from portal.models import Case


def mail_reminder(case: Case, item: CalendarItem) -> None:
    """Mail the members of the case's organization that ``item`` falls due, each in their own language."""
    link = mail.link("compliance.case_calendar", case_id=case.id)
    for user in mail.members(case.organization_id):
        with mail.in_language_of(user):
            subject = _("Reminder: %(what)s on %(date)s", what=item["label"], date=day(item["date"]))
            body = _(
                "%(what)s on %(date)s for %(name)s (%(title)s).\n\n%(link)s\n",
                what=item["label"],
                date=day(item["date"]),
                name=case.transferee.full_name,
                title=case.position.title,
                link=link,
            )
        mail.send(user.email, subject, body)
