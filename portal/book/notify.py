"""The owners' mail of a run (needs an app context and a URL base: the CLI and the task provide them)."""

from __future__ import annotations

from flask import url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import select

from portal import mail
from portal.extensions import db
from portal.models import Membership, Role, RulesetRun, User


def _outcome(route: str | None, code: str | None) -> str:
    return " ".join(x for x in (route, code) if x) or "-"


def mail_owners(run: RulesetRun) -> int:
    """Mail each owner of the run's organization the list of changed outcomes. Returns how many mails."""
    owners = db_owners(run.organization_id)
    lines = [
        _(
            "%(name)s (%(title)s): %(old)s -> %(new)s",
            name=change.case.transferee.full_name,
            title=change.case.position.title,
            old=_outcome(change.old_route, change.old_code),
            new=_outcome(change.new_route, change.new_code),
        )
        for change in run.changes
    ]
    subject = ngettext(
        "%(num)d case changed under rule set %(version)s",
        "%(num)d cases changed under rule set %(version)s",
        run.changed_count,
        version=run.ruleset_version,
    )
    body = _(
        "The rules were updated (rule set %(version)s) and every open case was re-assessed. "
        "These outcomes changed:\n\n%(lines)s\n\nSee the changes: %(link)s\n",
        version=run.ruleset_version,
        lines="\n".join(lines),
        link=url_for("book.changes", _external=True),
    )
    for user in owners:
        mail.send(user.email, subject, body)
    return len(owners)


def db_owners(org_id: int) -> list[User]:
    return [
        m.user
        for m in db.session.scalars(
            select(Membership).where(Membership.organization_id == org_id, Membership.role == Role.OWNER)
        )
    ]
