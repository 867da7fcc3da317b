"""Display of a case's stage: its name in English and French and its badge colour (pages only; the
stages themselves are ``lifecycle.CaseStage``)."""

from __future__ import annotations

from datetime import date
from typing import Any

from portal.cases.decision import Decision, DecisionKind
from portal.cases.lifecycle import CaseStage
from portal.i18n import gettext as _
from portal.i18n import lazy_gettext as _l
from portal.i18n import money, ngettext, number
from rules import params

STAGE_LABELS = {
    CaseStage.DRAFT: _l("Draft"),
    CaseStage.NEEDS_ANSWERS: _l("Needs answers"),
    CaseStage.READY_FOR_DOCUMENTS: _l("Ready for documents"),
    CaseStage.NO_PERMIT: _l("No work permit needed — nothing to file"),
    CaseStage.OPEN_PERMIT: _l("Open permit — nothing to file"),
    CaseStage.LMIA_NEEDED: _l("LMIA needed — nothing to file here"),
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
    CaseStage.NO_PERMIT: "secondary",
    CaseStage.OPEN_PERMIT: "secondary",
    CaseStage.LMIA_NEEDED: "secondary",
    CaseStage.IN_REVIEW: "primary",
    CaseStage.RETURNED: "danger",
    CaseStage.APPROVED: "success",
    CaseStage.SUBMITTED: "primary",
    CaseStage.PERMIT_ISSUED: "success",
    CaseStage.ACTIVE: "success",
    CaseStage.ENDED: "dark",
}


def decision_text(decision: Decision) -> str:
    """A case's decision in words (``decision.decide``), the same on the case page's headline and in the
    case list: "T37", "Likely T37 — 2 answers needed", "No intra-company transfer", "1 answer needed",
    "Open work permit", "No work permit needed", "LMIA needed (TFWP)"; "—" before any assessment."""
    kind = decision.kind
    if kind == DecisionKind.CODE:
        return decision.code or "—"
    if kind == DecisionKind.LIKELY:
        return ngettext(
            "Likely %(code)s — %(num)d answer needed",
            "Likely %(code)s — %(num)d answers needed",
            decision.needed,
            code=decision.code,
        )
    if kind == DecisionKind.NO_TRANSFER:
        return _("No intra-company transfer")
    if kind == DecisionKind.ANSWERS:
        return ngettext("%(num)d answer needed", "%(num)d answers needed", decision.needed)
    if kind == DecisionKind.OPEN_PERMIT:
        return _("Open work permit")
    if kind == DecisionKind.NO_PERMIT:
        return _("No work permit needed")
    if kind == DecisionKind.TFWP:
        return _("LMIA needed (TFWP)")
    return "—"


# The R209.93 thresholds of a small business, read from the rules' parameters (values.yaml).
_SMALL_EMPLOYEES = "business_size_small_employees_below"
_SMALL_REVENUE = "business_size_small_revenue_below_cad"
_MILLION = 1_000_000


def _dollars(amount: int) -> str:
    """``5000000`` -> "$5 million" / "5 millions $"; other amounts in the reader's currency format."""
    if amount % _MILLION == 0:
        return _("$%(num)s million", num=number(amount // _MILLION))
    return money(amount)


def business_size_line(business_size: dict[str, Any] | None, on: date) -> str | None:
    """The employer's R209.93 penalty tier in words, with the thresholds in force on ``on`` (the
    assessment's date); None while the tier is unknown (employees or revenue missing)."""
    tier = (business_size or {}).get("tier")
    if tier not in ("small", "large"):
        return None
    values = params.values_on(on)
    employees = number(values[_SMALL_EMPLOYEES])
    revenue = _dollars(int(values[_SMALL_REVENUE]))
    if tier == "small":
        return _(
            "Small business (fewer than %(employees)s employees or under %(revenue)s gross annual "
            "revenue): the lower penalty tier of R209.93 applies.",
            employees=employees,
            revenue=revenue,
        )
    return _(
        "Not a small business (%(employees)s employees or more and %(revenue)s or more gross annual "
        "revenue): the higher penalty tier of R209.93 applies.",
        employees=employees,
        revenue=revenue,
    )
