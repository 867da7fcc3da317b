"""Employer obligations (R209.2) and the compliance calendar (imp-rules.md 4.4, 4.8). Pure functions."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from .categories.base import add_months
from .params import CODES, OBLIGATIONS, param_text, value_at

# A former ICT code whose permits the calendar still follows, and the codes that took it over for
# executives and managers, and for specialized knowledge (imp-rules.md §2: C12 became C61-C63); its cap is
# theirs by the worker's capacity.
_FORMER_ICT = {"C12": ("C62", "C63")}
# C61 has no cap of its own (a year, then C62 or C63), but its time counts in the pooled ICT cap (imp-rules.md
# §3.4 "caps cumulative across ICT codes", §4.8 ict_cap_end): the cap of the code that follows it, as the
# criterion ``ict.c61_cap_left`` counts it.
_CAP_OF_SUCCESSOR = {**_FORMER_ICT, "C61": ("C62", "C63")}


def _former_ict_cap(code: str, capacity: str | None) -> int | None:
    """The pooled cap of a former ICT code, or of C61: the executives' and managers' successor's for them, else
    the specialized-knowledge successor's (the shorter, also while the capacity is not known); None for any
    other code."""
    if code not in _CAP_OF_SUCCESSOR:
        return None
    executives, specialists = _CAP_OF_SUCCESSOR[code]
    successor = executives if capacity in ("executive", "manager") else specialists
    return int(CODES[successor].durations["total_cap"])


def obligations_for(on: date) -> tuple[dict[str, Any], ...]:
    """R209.2 conditions (with citations) that apply to an employer-specific IMP permit issued on ``on``."""
    return tuple(
        {**o, "text_en": param_text(o["text_en"], on), "text_fr": param_text(o["text_fr"], on, "fr")}
        for o in OBLIGATIONS
        if (o["effective_from"] is None or o["effective_from"] <= on) and not o.get("replaces")
    )


def compliance_calendar(
    code: str | None,
    first_day: date,
    permit_expiry: date | None = None,
    *,
    ict_first_entry: date | None = None,
    ict_recaptured_days: int = 0,
    capacity: str | None = None,
) -> dict[str, Any]:
    """Key dates for an employer-specific IMP permit.

    - records_keep_until / inspection_window_end: first day of work + 6 years (R209.2(1)(b), R209.6);
    - renewal_offer_due: permit expiry minus the planning lead time (a new offer + fee is needed for
      every extension; the worker must apply before expiry to keep maintained status);
    - ict_cap_end: first ICT entry + the code's pooled cap (+ recaptured absences >= 30 days); a former
      code that covered several of today's (C12: C62's 7 years for executives and managers, C63's 5 for
      specialized knowledge, imp-rules.md §4.8), and C61, whose time counts towards the cap of the code
      that follows it, take the cap of the worker's ``capacity``, the shorter one while it is unknown (the
      renewal is then planned early rather than late);
    - c61_switch_date: first day + 12 months (C61 permits end; plan C62/C63);
    - service_months_used_up / service_window_end: for the service suppliers' codes (CETA/CUKTCA T47, T43, T48,
      F66, F60, F67: 12 months in any 24-month period, imp-rules.md §3.2, §4.8 ``cetacss_window``), the day the
      12 months are used up if the stay runs on from the first day, and the day the 24-month window ends.
    Codes with no employer compliance (open permits, code None) give None for the employer dates.
    """
    on = first_day
    out: dict[str, Any] = {
        "code": code,
        "first_day": first_day.isoformat(),
        "permit_expiry": permit_expiry.isoformat() if permit_expiry else None,
        "records_keep_until": None,
        "inspection_window_end": None,
        "renewal_offer_due": None,
        "ict_cap_end": None,
        "c61_switch_date": None,
        "service_months_used_up": None,
        "service_window_end": None,
    }
    info = CODES.get(code) if code else None
    former_cap = _former_ict_cap(code, capacity) if code else None  # a former ICT code (C12, T24...)
    if code is None or (info is None and former_cap is None):
        return out
    keep = value_at("retention_years", on)
    insp = value_at("inspection_window_years", on)
    out["records_keep_until"] = add_months(first_day, 12 * keep).isoformat()
    out["inspection_window_end"] = add_months(first_day, 12 * insp).isoformat()
    if permit_expiry is not None:
        out["renewal_offer_due"] = (
            permit_expiry - timedelta(days=value_at("renewal_offer_lead_days", on))
        ).isoformat()
    cap = (info.durations.get("total_cap") if info and info.ict else None) or former_cap
    if cap:
        start = ict_first_entry or first_day
        out["ict_cap_end"] = (
            add_months(start, int(cap)) + timedelta(days=max(0, ict_recaptured_days))
        ).isoformat()
    if code == "C61":
        out["c61_switch_date"] = add_months(first_day, 12).isoformat()
    window = info.durations.get("window_months") if info else None
    if info and window:
        out["service_months_used_up"] = add_months(
            first_day, int(info.durations["max_in_window"])
        ).isoformat()
        out["service_window_end"] = add_months(first_day, int(window)).isoformat()
    return out
