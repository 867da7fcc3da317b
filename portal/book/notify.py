"""The owners' mail of a run (needs an app context and a URL base: the CLI and the task provide them)."""

from __future__ import annotations

from portal import labels, mail
from portal.i18n import gettext as _
from portal.i18n import ngettext
from portal.models import Role, RulesetChange, RulesetRun


def _outcome(route: str | None, code: str | None) -> str:
    """The outcome in words: the code when there is one, else the route ("No work permit needed")."""
    return code or labels.label(labels.ROUTE, route) or "-"


def mail_owners(run: RulesetRun) -> int:
    """Mail each owner of the run's organization the list of changed outcomes, in the owner's own
    language (``User.locale``, the language they chose; the portal's default when they never chose).
    Returns how many mails."""
    owners = mail.members(run.organization_id, role=Role.OWNER)
    changes = list(run.changes)
    for user in owners:
        with mail.in_language_of(user):
            subject, body = _message(run, changes)
        mail.send(user.email, subject, body)
    return len(owners)


def _message(run: RulesetRun, changes: list[RulesetChange]) -> tuple[str, str]:
    lines = [
        _(
            "%(name)s (%(title)s): %(old)s -> %(new)s",
            name=change.case.transferee.full_name,
            title=change.case.position.title,
            old=_outcome(change.old_route, change.old_code),
            new=_outcome(change.new_route, change.new_code),
        )
        for change in changes
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
        link=mail.link("book.changes"),
    )
    return subject, body
