"""Display text of the audit log's action codes, in English and French (the history page, the dashboard's
recent changes); a code without a label is shown as it is."""

from __future__ import annotations

from portal.cases import lifecycle
from portal.i18n import lazy_gettext as _l

ACTIONS = {
    "case.created": _l("Case opened"),
    "case.assessed": _l("Case re-assessed"),
    "case.answered": _l("Questions answered"),
    "case.code_chosen": _l("Exemption code chosen"),
    "case.submission_recorded": _l("Offer or permit recorded"),
    lifecycle.STAGE_CHANGED: _l("Stage changed"),
    "document.requested": _l("Document requested"),
    "document.ready": _l("Document ready"),
    "document.failed": _l("Document failed"),
    "document.retried": _l("Document sent again"),
    "document.approved": _l("Packet approved"),
    "document.returned": _l("Packet returned"),
    "document.hash_mismatch": _l("Approved file does not match its approval"),
    "evidence.uploaded": _l("Evidence uploaded"),
    "evidence.removed": _l("Evidence removed"),
    "transferee.created": _l("Transferee added"),
    "transferee.updated": _l("Transferee updated"),
    "employment.added": _l("Employment added"),
    "employment.removed": _l("Employment removed"),
    "employment.updated": _l("Employment updated"),
    "position.created": _l("Role added"),
    "position.updated": _l("Role updated"),
    "position.archived": _l("Role archived"),
    "position.restored": _l("Role restored"),
    "enterprise.created": _l("Group company added"),
    "enterprise.updated": _l("Group company updated"),
    "engagement.invited": _l("Consultant invited"),
    "engagement.accepted": _l("Consultant engagement accepted"),
    "engagement.revoked": _l("Consultant access revoked"),
    "engagement.scope_changed": _l("Consultant's cases changed"),
    "organization.created": _l("Organization registered"),
    "organization.updated": _l("Organization updated"),
    "organization.business_number_released": _l("Business number released (registration never confirmed)"),
    "organization.letterhead": _l("Letterhead changed"),
    "invitation.sent": _l("Member invited"),
    "invitation.accepted": _l("Invitation accepted"),
    "invitation.revoked": _l("Invitation revoked"),
    "membership.removed": _l("Member removed"),
    "membership.role_changed": _l("Member's role changed"),
    "calendar_feed.created": _l("Calendar link created"),
    "calendar_feed.revoked": _l("Calendar link revoked"),
    "user.registered": _l("Account registered"),
    "user.email_verified": _l("Email address confirmed"),
    "user.licence_released": _l("CICC licence number released (account never confirmed)"),
    "user.licence_entered": _l("CICC licence number entered"),
    "user.password_changed": _l("Password changed"),
    "user.password_reset": _l("Password reset"),
    "user.taken_over": _l("Address taken over from an account never confirmed"),
    "membership.sessions_ended": _l("Member signed out everywhere"),
    "letter.edited": _l("Support letter edited"),
    "login.failed": _l("Sign-in refused"),
    "case.ruleset_changed": _l("Outcome changed under a new rule set"),
}


def action_label(action: str) -> str:
    return str(ACTIONS.get(action, action))
