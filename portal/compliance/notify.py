"""Compliance mail: a reminder of a dated item to every member of the case's organization, with the
link to the case's calendar (the caller's side: the beat task gives the URL base)."""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import select

from portal import mail
from portal.compliance.services import CalendarItem
from portal.extensions import db
from portal.models import Case, Membership


def mail_reminder(case: Case, item: CalendarItem) -> None:
    """Mail the members of the case's organization that ``item`` falls due."""
    members = db.session.scalars(
        select(Membership).where(Membership.organization_id == case.organization_id)
    ).all()
    for m in members:
        mail.send(
            m.user.email,
            _("Reminder: %(what)s on %(date)s", what=item["label"], date=item["date"].isoformat()),
            _(
                "%(what)s on %(date)s for %(name)s (%(title)s).\n\n%(link)s\n",
                what=item["label"],
                date=item["date"].isoformat(),
                name=case.transferee.full_name,
                title=case.position.title,
                link=mail.link("compliance.case_calendar", case_id=case.id),
            ),
        )
