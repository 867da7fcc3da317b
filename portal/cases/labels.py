"""Display of a case's stage: its name in English and French and its badge colour (pages only; the
stages themselves are ``lifecycle.CaseStage``)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from portal.cases.lifecycle import CaseStage

STAGE_LABELS = {
    CaseStage.DRAFT: _l("Draft"),
    CaseStage.NEEDS_ANSWERS: _l("Needs answers"),
    CaseStage.READY_FOR_DOCUMENTS: _l("Ready for documents"),
    CaseStage.IN_REVIEW: _l("In review"),
    CaseStage.RETURNED: _l("Returned"),
    CaseStage.APPROVED: _l("Approved"),
    CaseStage.SUBMITTED: _l("Submitted"),
    CaseStage.PERMIT_ISSUED: _l("Permit issued"),
    CaseStage.ACTIVE: _l("Active"),
    CaseStage.ENDED: _l("Ended"),
}
# Bootstrap badge colour of each stage: what needs the employer's hand stands out.
STAGE_BADGE = {
    CaseStage.DRAFT: "secondary",
    CaseStage.NEEDS_ANSWERS: "warning",
    CaseStage.READY_FOR_DOCUMENTS: "info",
    CaseStage.IN_REVIEW: "primary",
    CaseStage.RETURNED: "danger",
    CaseStage.APPROVED: "success",
    CaseStage.SUBMITTED: "primary",
    CaseStage.PERMIT_ISSUED: "success",
    CaseStage.ACTIVE: "success",
    CaseStage.ENDED: "dark",
}
