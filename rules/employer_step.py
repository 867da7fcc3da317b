"""The employer's step for the recommended code: an offer and the compliance fee in the Employer
Portal, an LMIA with ESDC (TFWP), none (regime-exempt employer), or not yet known (pending); and the
R209.93 business-size tier. Facts that decide the fee or the payer are added to ``qmap``."""

from __future__ import annotations

from datetime import date
from typing import Any

from . import params
from .categories.base import Ctx, or3
from .fields import REGIME_EXEMPT_KINDS
from .model import CaseFacts, Employer
from .params import Recommended


def _step(
    kind: str, fee: Any, payer: str | None, reason: str, source: str | None, **extra: Any
) -> dict[str, Any]:
    """One employer step: what the employer does, the fee and who pays it, why, and where it is written
    (``extra``, e.g. the regulation, before the source)."""
    return {"kind": kind, "fee_cad": fee, "payer": payer, "reason": reason, **extra, "source": source}


def employer_step(
    facts: CaseFacts, c: Ctx, rec: Recommended | None, qmap: dict[str, list[str]], route: str
) -> dict[str, Any]:
    on = c.on
    e, p = facts.employer, facts.position
    if route == "pending":
        return _step("pending", None, None, "answers_needed", None)
    if rec is None:
        lmia = _step(
            "lmia",
            c.v["lmia_processing_fee"],
            "employer",
            "tfwp",
            params.source_url(params.period_at("lmia_processing_fee", on).source),
            regulation="R315.2(1)",
        )
        return lmia | {"esdc": params.source_url("lmia_esdc")}
    if e.kind in REGIME_EXEMPT_KINDS:
        return _step("none", 0, None, "regime_exempt_employer", params.source_url("irpr_209_91"))
    fee = c.v["employer_compliance_fee"]
    src = params.source_url(params.period_at("employer_compliance_fee", on).source)
    code = rec[0].code
    if code in ("C50", "C51"):
        if p.paid is False:
            return _step(
                "offer, fee-exempt",
                0,
                None,
                "unremunerated_r303_1_5",
                params.source_url("irpr_303_1"),
                exemption_codes=["EC1", "E02"],
            )
        if p.paid is None:
            qmap.setdefault("position.paid", []).append(rec[1])
    step = _step("offer+fee", fee, "employer", "employer_specific_imp", src)
    if code == "C11":
        step["payer"] = "worker_as_employer"
    if p.work_type == "service_contract":
        step["payer"] = "canadian_client"
    if code == "C23":
        step["group_max_cad"] = c.v["employer_compliance_fee_group_max"]
    return step


def business_size(e: Employer, on: date) -> dict[str, Any]:
    """R209.93 penalty tier: small = fewer than 100 employees OR less than $5M annual gross revenue.
    Not an eligibility rule (imp-rules.md §8 item 7); ``tier`` is None while both are unknown or one
    is unknown and the other at or above its threshold."""
    values = params.values_on(on)
    emp_below = values.get("business_size_small_employees_below")
    rev_below = values.get("business_size_small_revenue_below_cad")
    if emp_below is None or rev_below is None:  # before the penalty regime (2015-12-01)
        return {"tier": None, "regulation": "R209.93", "source": params.source_url("irpr_209_93")}
    small = or3(
        None if e.employees is None else e.employees < emp_below,
        None if e.gross_revenue_cad is None else e.gross_revenue_cad < rev_below,
    )
    return {
        "tier": None if small is None else ("small" if small else "large"),
        "regulation": "R209.93",
        "source": params.source_url("irpr_209_93"),
    }
