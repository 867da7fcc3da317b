"""Where the worker may apply for the permit: at a port of entry, online from outside Canada or in
Canada, with the reason and every option; the passport that decides the visa requirement (§8 items 5,
8 and 11). Facts that decide the place are added to ``qmap``."""

from __future__ import annotations

from collections.abc import Iterable
from functools import partial
from typing import Any

from .categories import ALL_RULES
from .categories.base import Ctx
from .model import CaseFacts
from .params import CodeInfo, Recommended

NATIONALITY_PROGRAMS = {
    "cusma": "cusma_citizens",
    "ceta": "eu_member_states",
    "cuktca": "cuktca_citizens",
    "cptpp": "cptpp_parties",
    "chile": "chile_citizens",
    "colombia": "colombia_citizens",
    "korea": "korea_citizens",
    "panama": "panama_citizens",
    "peru": "peru_citizens",
    "ukraine": "ukraine_citizens",
    "iec": "iec_partners",
}


def nationality_key(info: CodeInfo) -> str | None:
    """The list of citizenships that give the code: the code's own (a CPTPP category), else its program's."""
    rule = ALL_RULES.get(info.code)
    return (rule.citizens_key if rule else None) or NATIONALITY_PROGRAMS.get(info.program)


def trv_exempt(c: Ctx, passports: Iterable[str]) -> bool | None:

    exempt = c.v["visa_exempt_citizens"]
    unknown = False
    for x in passports:
        if x in exempt:
            return True
        if x == "MX" and c.v["mexico_eta_rule"]:
            if c.w.eta_eligible is True:
                return True
            if c.w.eta_eligible is None:
                unknown = True
    return None if unknown else False


def visa_exempt_first(c: Ctx, passports: Iterable[str]) -> tuple[str, ...]:
    """``passports`` with the visa-exempt ones first (otherwise in their order): of several passports that
    give the code, the one to file on is one the worker can travel on without a visa (§1.4, §8 item 11)."""
    return tuple(sorted(passports, key=lambda x: trv_exempt(c, (x,)) is not True))


def filing_passport(c: Ctx, eligible: Iterable[str]) -> str | None:
    """The passport to file on among those that give the code: the one the worker travels on when it is
    one of them, else a visa-exempt one, else the first."""
    ordered = visa_exempt_first(c, eligible)
    travels = c.w.passport_country
    return travels if travels in ordered else (ordered[0] if ordered else None)


# A permit whose holder may apply for a work permit from inside Canada (R199(a) a work permit, (c) a study
# permit), while it is valid.
R199_PERMITS = ("open", "employer_specific", "study")


def _r199_cusma(c: Ctx, info: CodeInfo | None) -> bool:
    """R199(h), as IRCC applies it ("Persons who may apply from within Canada"): a temporary resident who
    is a Mexican citizen, in any CUSMA category; a US citizen only as a professional or an intra-company
    transferee (reciprocity)."""
    if info is None or info.program != "cusma" or c.w.current_permit_type != "visitor":
        return False
    cits = c.cits or ()
    return "MX" in cits or ("US" in cits and info.kind in ("professional", "ict"))


def may_apply_inside(c: Ctx, info: CodeInfo | None) -> tuple[bool | None, str]:
    """Whether a worker in Canada may apply from inside (R199), with the reason; None while the permit the
    worker holds is not known. A visitor or a person with no status may not, except under R199(h)
    (``_r199_cusma``) and, from August 2020 to 2024-08-27, a visitor under the temporary public policy.
    R199's other grounds (a family member of a permit holder, a temporary resident permit, ...) are not
    facts here: the reason says "usually"."""
    w = c.w
    kind = w.current_permit_type
    if kind in R199_PERMITS and (w.current_permit_expiry is None or w.current_permit_expiry >= c.on):
        return True, "r199_in_canada"
    if _r199_cusma(c, info):
        return True, "r199_cusma"
    if kind is None:
        return None, "permit_unknown"
    if kind == "visitor" and c.v["visitors_may_apply_in_canada"]:
        return True, "visitor_public_policy"
    return False, ("permit_expired" if kind in R199_PERMITS else "r199_not_eligible")


def _from_inside_canada(
    c: Ctx, info: CodeInfo | None, poe_ok: bool, exempt_flag: bool, poe_first: bool, passport_unknown: bool
) -> tuple[str | None, str, list[dict[str, Any]]]:
    """The place, its reason and the options of a worker in Canada: inside as R199 allows; else from
    outside Canada once gone, or at a port of entry where the flagpoling restriction leaves it open."""
    inside, reason = may_apply_inside(c, info)
    flag = c.v["flagpoling_restriction"]
    poe_ok = poe_ok and (not flag or exempt_flag)
    options = [
        {
            "place": "online-outside",
            "allowed": inside is False,
            "reason": "after_leaving_canada" if inside is False else "worker_in_canada",
        },
        {"place": "in-Canada", "allowed": inside is True, "reason": reason},
        {
            "place": "POE",
            "allowed": poe_ok,
            "reason": "flagpoling_restricted"
            if flag and not exempt_flag
            else ("trv_exempt" if poe_ok else "trv_required"),
        },
    ]
    if inside is True:
        return "in-Canada", reason, options
    if inside is None:
        return None, reason, options
    if passport_unknown:  # leaving to apply: the passport decides the visa and the port of entry (§8 item 5)
        return None, "citizenship_unknown", options
    # a visitor, no status, or an expired permit: from outside Canada once gone, or at a POE where it is
    # allowed and the code's own page prefers it (as for a worker outside Canada)
    return ("POE" if poe_ok and poe_first else "online-outside"), reason, options


def place_of_application(
    facts: CaseFacts, c: Ctx, rec: Recommended | None, qmap: dict[str, list[str]]
) -> dict[str, Any]:
    w = facts.worker
    info = rec[0] if rec else None
    key = nationality_key(info) if info else None
    # The passports that give the code; when the code comes from a permanent residence (a CPTPP category, a
    # bilateral agreement), any of the worker's own: the one they travel on decides the visa (§8 item 11).
    eligible = c.eligible_citizenships(key) if key else ()
    passports = visa_exempt_first(c, eligible or tuple(w.citizenships or ()))
    # the passport the worker travels on decides (§8 item 11), unless it is not one that gives the code:
    # the application is then filed on one that does, as the offer is (§1.4)
    if w.passport_country is not None and (not eligible or w.passport_country in eligible):
        passports = (w.passport_country,)
    elif (
        w.passport_country is None
        and w.citizenships is not None
        and len(set(map(partial(trv_exempt, c), ((x,) for x in passports)))) > 1
    ):
        qmap.setdefault("worker.passport_country", []).append(rec[1] if rec else "TFWP")
    trv = trv_exempt(c, passports) if (w.citizenships is not None or w.passport_country) else None
    # exempt only as a Mexican eligible for an eTA: whether they may apply at a port of entry is not
    # confirmed (README, departure 10; the mexico_eta warning): online is recommended, the POE possible
    eta_only = trv is True and not any(x in c.v["visa_exempt_citizens"] for x in passports)
    unknown_passport = w.citizenships is None and w.passport_country is None
    pr_us = bool(c.prs) and not c.prs.isdisjoint(  # type: ignore[union-attr]  # bool(c.prs) excludes None
        c.v["poe_permanent_residents_of"]
    )
    res_ok = w.residence_country is not None and w.residence_country in c.v["poe_residents_of"]
    us_cit = "US" in (c.cits or ())
    poe_exempt_person = trv is True or pr_us or res_ok
    code_poe = info.poe if info else True
    if info and not info.poe and info.program == "iec" and (us_cit or pr_us):
        # IEC only (R198(2)(c)): US citizens/PRs may apply at the POE. Not T50 (CPTPP investors), whose
        # page says applicants cannot apply at a port of entry at all (imp-rules.md §8 item 2)
        code_poe = True
    poe_ok = poe_exempt_person and code_poe
    if w.in_canada is True:
        exempt_flag = us_cit or pr_us or (info is not None and info.flagpole_exception)
        poe_first = (info is None or info.poe_preferred) and not eta_only
        place, reason, options = _from_inside_canada(
            c, info, poe_ok, exempt_flag, poe_first, unknown_passport and not (pr_us or res_ok)
        )
        asked = {"permit_unknown": "worker.current_permit_type", "citizenship_unknown": "worker.citizenships"}
        if reason in asked:  # what decides the place: asked
            qmap.setdefault(asked[reason], []).append(rec[1] if rec else "TFWP")
    else:
        options = [{"place": "online-outside", "allowed": True, "reason": "always"}]
        if poe_ok:
            poe_reason = "trv_exempt"
        elif not code_poe:
            poe_reason = "code_online_only"
        elif unknown_passport and not poe_exempt_person:
            poe_reason = "citizenship_unknown"  # the passport decides the visa: not known yet (§8 item 5)
        else:
            poe_reason = "trv_required"
        options.append({"place": "POE", "allowed": poe_ok, "reason": poe_reason})
        if unknown_passport and not (pr_us or res_ok):
            # the passport decides the visa requirement: unknown citizenship = unknown place (§8 item 5)
            place, reason = None, "citizenship_unknown"
            qmap.setdefault("worker.citizenships", []).append(rec[1] if rec else "TFWP")
        elif poe_ok and eta_only and not (pr_us or res_ok):
            place, reason = "online-outside", "mexico_eta_online_recommended"
        elif poe_ok and (info is None or info.poe_preferred):
            place, reason = "POE", ("us_permanent_resident" if (pr_us and trv is not True) else "trv_exempt")
        elif poe_ok:
            place, reason = "online-outside", "online_recommended_for_code"
        else:
            place, reason = (
                "online-outside",
                ("code_online_only" if poe_exempt_person and not code_poe else "trv_required"),
            )
        if w.in_canada is None:
            qmap.setdefault("worker.in_canada", []).append(rec[1] if rec else "TFWP")
        if trv is None and not (pr_us or res_ok) and "MX" in passports:  # only a Mexican's eTA is asked
            qmap.setdefault("worker.eta_eligible", []).append(rec[1] if rec else "TFWP")
    return {
        "place": place,
        "reason": reason,
        "passport": passports[0] if len(passports) == 1 or (passports and key) else None,
        "options": options,
    }
