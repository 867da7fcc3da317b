"""``assess(facts, as_of)``: evaluation order of imp-rules.md section 5.

1. worker already authorized by an open permit (or IEC Working Holiday) -> open_permit, no employer step;
2. every code in force on ``as_of`` (agreement codes, ICT, specific R205 codes, IEC, C10 last) is
   evaluated criterion by criterion (met / not met / unknown);
3. codes_fit -> recommended (priority; FTA-vs-R205(a) ICT tie-break on the planned assignment);
4. none fits -> TFWP (LMIA), with the reasons, the fixes and the questions whose answers could
   still make a code fit. Missing facts give questions, never a silent TFWP.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from functools import cache, lru_cache, partial
from typing import Any

from . import params
from .assessment import Assessment
from .categories import ALL_RULES
from .categories.base import CodeRule, Ctx, add_months, or3
from .fields import BY_PATH, FIELDS, REGIME_EXEMPT_KINDS
from .model import (
    MET,
    NOT_MET,
    UNKNOWN,
    CaseFacts,
    Criterion,
    Employer,
    FactsError,
    Question,
    Warning,
)
from .params import CODES, OBLIGATIONS, RULESET_VERSION, CodeInfo, code_table, epoch_of, param_text, value_at

_FIELD_ORDER = {f.path: i for i, f in enumerate(FIELDS)}
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
_EMPTY: tuple[Any, ...] = ()
_PlanRow = tuple[CodeInfo, str, CodeRule]  # (code info, emitted code, its rule)
_RawRow = tuple[
    CodeInfo, str, str, tuple[bool | None, ...], bool
]  # (info, emitted, status, values, candidate)
_Rec = tuple[CodeInfo, str] | None  # the recommended (or likely) code: (info, emitted code)
_FALSE1 = (False,)


@cache
def _plan(epoch: int) -> tuple[tuple[Criterion, tuple[_PlanRow, ...], tuple[_RawRow, ...], bool], ...]:
    """Codes in force for a code-table epoch, grouped by their first gate criterion (e.g. one
    citizenship test for the five CUSMA codes), groups in priority order, C10 last. Each group carries
    the precomputed rows to add when its gate fails."""
    on = params._CHANGE_DATES[epoch - 1] if epoch > 0 else date(1900, 1, 1)
    rows = [(info, emitted, ALL_RULES[info.code]) for info, emitted in code_table(on)]
    rows.sort(key=lambda r: r[0].priority)
    groups: dict[Criterion, list[_PlanRow]] = {}
    for row in rows:
        groups.setdefault(row[2].criteria[0], []).append(row)
    return tuple(
        (gate, tuple(rs), tuple((i, e, NOT_MET, _FALSE1, False) for i, e, _ in rs), rs[0][0].code == "C10")
        for gate, rs in groups.items()
    )


_MISSING = object()


def _evaluate(
    rule: CodeRule, c: Ctx, memo: dict[Criterion, Any]
) -> tuple[str, tuple[bool | None, ...], bool]:
    """(status, values, candidate); values[i] is True/False/None for criteria[i] (truncated when a gate fails)."""
    vals: list[bool | None] = []
    status = MET
    n_gate = rule.n_gate
    for i, cr in enumerate(rule.criteria):
        v = memo.get(cr, _MISSING)
        if v is _MISSING:
            v = memo[cr] = cr.fn(c)
        vals.append(v)
        if v is False:
            status = NOT_MET
            if i < n_gate:
                return NOT_MET, tuple(vals), False
        elif v is None and status is MET:
            status = UNKNOWN
    return status, tuple(vals), True


def assess(facts: CaseFacts, as_of: date) -> Assessment:
    """Assess ``facts`` under the rules in force on ``as_of`` (no clock is read)."""
    if not isinstance(as_of, date):
        raise FactsError("as_of", "expected a date")
    if as_of < params.EARLIEST_AS_OF:
        raise FactsError("as_of", f"the rule set covers dates from {params.EARLIEST_AS_OF.isoformat()}")
    if not isinstance(facts, CaseFacts):
        raise FactsError("facts", "expected CaseFacts (use rules.facts_from_dict for plain dicts)")
    c = Ctx(facts, as_of)
    w = facts.worker
    warnings: list[Warning] = []
    extra_q: dict[str, list[str]] = {}

    # 1. already authorized (open permit) ------------------------------------------------
    open_reason = None
    if w.current_permit_type == "open" and (
        w.current_permit_expiry is None or w.current_permit_expiry >= as_of
    ):
        open_reason = "open_permit"
    elif w.iec_category == "working_holiday":
        open_reason = "iec_working_holiday"
    if open_reason:
        return _open_permit(facts, c, open_reason)
    if w.current_permit_type is None and w.in_canada is not False:
        extra_q.setdefault("worker.current_permit_type", []).append("open_permit")

    # 2. evaluate every code in force --------------------------------------------------------
    raw: list[tuple[Any, ...]] = []  # (info, emitted, status, values, candidate)
    fit: list[Any] = []  # (info, emitted)
    seen_emitted: set[str] = set()
    memo: dict[Criterion, Any] = {}
    for gate, rows, fail_rows, is_c10 in _plan(epoch_of(as_of)):
        if is_c10:
            c._cache["specific_fit"] = bool(fit)
        v0 = memo[gate] = gate.fn(c)
        if v0 is False:  # fast path: the shared gate fails (e.g. citizenship of another agreement)
            raw.extend(fail_rows)
            continue
        for info, emitted, rule in rows:
            status, vals, candidate = _evaluate(rule, c, memo)
            raw.append((info, emitted, status, vals, candidate))
            if status is MET and emitted not in seen_emitted:
                seen_emitted.add(emitted)
                fit.append((info, emitted))
    if len(fit) > 1:
        fit.sort(key=lambda x: x[0].priority)

    codes_fit = tuple(e for _, e in fit)
    rec_info = _recommend(fit, c) if fit else None

    # pending codes: undecided on the facts given, in recommendation order (codes whose gate is met on
    # known facts first, then priority, then the fewest answers away); each with every unknown fact it waits for ------------------
    pend: list[tuple[Any, ...]] = []  # (sort key, info, emitted, waits_for)
    seen_pending: set[str] = set()
    missing_of: dict[
        Criterion, list[str]
    ] = {}  # criterion -> the facts it waits for (criteria are shared between codes)
    for info, emitted, status, vals, _candidate in raw:
        if status is not UNKNOWN or emitted in seen_emitted or emitted in seen_pending:
            continue
        seen_pending.add(emitted)
        rule = ALL_RULES[info.code]
        waits: list[str] = []
        gate_waits: list[str] = []
        for i, (cr, v) in enumerate(zip(rule.criteria, vals, strict=False)):
            if v is not None:
                continue
            miss = missing_of.get(cr)
            if miss is None:
                reads = cr.reads
                miss = missing_of[cr] = [p for p in reads if facts.get(p) is None] or list(reads[:1])
            for p in miss:
                if p not in waits:
                    waits.append(p)
                if i < rule.n_gate and p not in gate_waits:
                    gate_waits.append(p)
        gate_open = bool(gate_waits) or any(v is not True for v in vals[: rule.n_gate])
        # a code whose gate is still open (e.g. citizenship or PR of the agreement country) is decided
        # first by its gate facts; its other facts cannot make it fit alone: they are optional
        decisive = tuple(gate_waits) if gate_open else tuple(waits)
        pend.append(((gate_open, info.priority, len(waits)), info, emitted, tuple(waits), decisive))
    pend.sort(key=lambda x: x[0])

    if fit:
        route = "IMP"
    elif pend:
        route = "pending"
    else:
        route = "TFWP"
    recommended = rec_info[1] if rec_info else None
    likely = (pend[0][1], pend[0][2]) if route == "pending" else None

    # questions: needed when the answer could change the route or the recommended code -------------
    qmap: dict[str, list[str]] = {}
    needed: set[str] = set()
    # pending: the likely code stands in for the recommendation (its facts are all needed); in both
    # cases a code that would outrank it if it fitted makes its decisive facts needed
    ref = rec_info or likely
    ref_fit = fit if rec_info else [likely]
    ref_info = ref[0] if ref else None
    fta_ict_ref = ref_info is not None and ref_info.ict and ref_info.program != "ict"
    for _key, info, emitted, waits, decisive in pend:
        for p in waits:
            lst = qmap.setdefault(p, [])
            if emitted not in lst:
                lst.append(emitted)
        if likely is not None and emitted == likely[1]:
            needed.update(waits)
        elif (
            info.priority < ref_info.priority  # type: ignore[union-attr]  # ref is set whenever pend is not empty
            or (fta_ict_ref and info.program == "ict")
        ) and _recommend(
            [*ref_fit, (info, emitted)], c
        ) is not ref:  # it would outrank the reference code if it fitted
            needed.update(decisive)
    for p, codes in extra_q.items():
        qmap.setdefault(p, []).extend(codes)
        needed.add(p)

    # employer step ---------------------------------------------------------------------
    step_q: dict[str, list[str]] = {}  # facts that decide the fee or the place of application: needed
    employer_step = _employer_step(facts, c, rec_info, step_q, route)
    where = _where(facts, c, rec_info or likely, step_q, warnings)
    opens = {p: tuple(codes) for p, codes in qmap.items()}
    for p, codes in step_q.items():
        lst = qmap.setdefault(p, [])
        lst.extend(x for x in codes if x not in lst)
        if route == "IMP":  # where and how the recommended code is filed
            needed.add(p)
    questions = tuple(
        Question(p, tuple(codes), p in needed, opens.get(p, ()), p in step_q)
        for p, codes in sorted(
            qmap.items(), key=lambda kv: (kv[0] not in needed, _FIELD_ORDER.get(kv[0], 999))
        )
    )
    pending = tuple((emitted, waits) for _key, info, emitted, waits, _d in pend)

    rec_rule = ALL_RULES[rec_info[0].code] if rec_info else None
    durations = _durations(rec_info, c, warnings) if rec_info else None
    evidence = _evidence(rec_rule, route, employer_step)
    obligations = _obligations(as_of) if (route == "IMP" and employer_step["kind"] != "none") else _EMPTY
    _warnings(facts, c, route, rec_info, warnings)
    to_verify = _to_verify(facts, c, route, rec_info)
    return Assessment(
        as_of,
        RULESET_VERSION,
        route,
        recommended,
        codes_fit,
        tuple(raw),
        c.details,
        questions,
        employer_step,
        where,
        durations,
        evidence,
        obligations,
        tuple(warnings),
        facts,
        None,
        pending,
        business_size(facts.employer, as_of),
        to_verify,
    )


# --------------------------------------------------------------------------- helpers
def _recommend(fit: list[Any], c: Ctx) -> Any:
    best = min(fit, key=lambda x: x[0].priority)
    info = best[0]
    if info.ict and info.program != "ict":
        r205 = [x for x in fit if x[0].program == "ict" and x[0].code != "C61"]
        if r205:
            p = c.p
            plan = p.planned_total_months if p.planned_total_months is not None else p.duration_months
            used = c.w.ict_months_used or 0
            fta_cap = info.durations.get("total_cap")
            if plan is not None and fta_cap is not None and plan + used > fta_cap:
                alt = r205[0]
                alt_cap = alt[0].durations.get("total_cap")
                if alt_cap is not None and plan + used <= alt_cap:
                    return alt
    return best


def _employer_step(
    facts: CaseFacts, c: Ctx, rec: _Rec, qmap: dict[str, list[str]], route: str
) -> dict[str, Any]:
    on = c.on
    e, p = facts.employer, facts.position
    if route == "pending":
        return {
            "kind": "pending",
            "fee_cad": None,
            "payer": None,
            "reason": "answers_needed",
            "source": None,
        }
    if rec is None:
        return {
            "kind": "lmia",
            "fee_cad": value_at("lmia_processing_fee", on),
            "payer": "employer",
            "reason": "tfwp",
            "regulation": "R315.2(1)",
            "source": params.source_url(params.period_at("lmia_processing_fee", on).source),
            "esdc": params.source_url("lmia_esdc"),
        }
    if e.kind in REGIME_EXEMPT_KINDS:
        return {
            "kind": "none",
            "fee_cad": 0,
            "payer": None,
            "reason": "regime_exempt_employer",
            "source": params.source_url("irpr_209_91"),
        }
    fee = value_at("employer_compliance_fee", on)
    src = params.source_url(params.period_at("employer_compliance_fee", on).source)
    code = rec[0].code
    if code in ("C50", "C51"):
        if p.paid is False:
            return {
                "kind": "offer, fee-exempt",
                "fee_cad": 0,
                "payer": None,
                "reason": "unremunerated_r303_1_5",
                "exemption_codes": ["EC1", "E02"],
                "source": params.source_url("irpr_303_1"),
            }
        if p.paid is None:
            qmap.setdefault("position.paid", []).append(rec[1])
    step = {
        "kind": "offer+fee",
        "fee_cad": fee,
        "payer": "employer",
        "reason": "employer_specific_imp",
        "source": src,
    }
    if code == "C11":
        step["payer"] = "worker_as_employer"
    if p.work_type == "service_contract":
        step["payer"] = "canadian_client"
    if code == "C23":
        step["group_max_cad"] = value_at("employer_compliance_fee_group_max", on)
    return step


def business_size(e: Employer, on: date) -> dict[str, Any]:
    """R209.93 penalty tier: small = fewer than 100 employees OR less than $5M annual gross revenue.
    Not an eligibility rule (imp-rules.md §8 item 7); ``tier`` is None while both are unknown or one
    is unknown and the other at or above its threshold."""
    emp_below = value_at("business_size_small_employees_below", on, None)
    rev_below = value_at("business_size_small_revenue_below_cad", on, None)
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


def _trv_exempt(c: Ctx, passports: Iterable[str]) -> bool | None:
    on = c.on
    exempt = value_at("visa_exempt_citizens", on)
    unknown = False
    for x in passports:
        if x in exempt:
            return True
        if x == "MX" and value_at("mexico_eta_rule", on):
            if c.w.eta_eligible is True:
                return True
            if c.w.eta_eligible is None:
                unknown = True
    return None if unknown else False


def _where(
    facts: CaseFacts, c: Ctx, rec: _Rec, qmap: dict[str, list[str]], warnings: list[Warning]
) -> dict[str, Any]:
    on, w = c.on, facts.worker
    info = rec[0] if rec else None
    key = NATIONALITY_PROGRAMS.get(info.program) if info else None
    passports = c.eligible_citizenships(key) if key else tuple(w.citizenships or ())
    if w.passport_country is not None:  # the passport the worker travels on decides (§8 item 11)
        passports = (w.passport_country,)
    elif w.citizenships is not None and len(set(map(partial(_trv_exempt, c), ((x,) for x in passports)))) > 1:
        qmap.setdefault("worker.passport_country", []).append(rec[1] if rec else "TFWP")
    trv = _trv_exempt(c, passports) if (w.citizenships is not None or w.passport_country) else None
    pr_us = bool(c.prs) and not c.prs.isdisjoint(  # type: ignore[union-attr]  # bool(c.prs) excludes None
        value_at("poe_permanent_residents_of", on)
    )
    res_ok = w.residence_country is not None and w.residence_country in value_at("poe_residents_of", on)
    us_cit = "US" in (c.cits or ())
    poe_exempt_person = trv is True or pr_us or res_ok
    code_poe = info.poe if info else True
    if info and not info.poe and (us_cit or pr_us):
        code_poe = True  # IEC: US citizens/PRs may apply at the POE
    poe_ok = poe_exempt_person and code_poe
    options = [
        {
            "place": "online-outside",
            "allowed": w.in_canada is not True,
            "reason": "always" if w.in_canada is not True else "worker_in_canada",
        }
    ]
    if w.in_canada is True:
        flag = value_at("flagpoling_restriction", on)
        exempt_flag = us_cit or pr_us or (info is not None and info.flagpole_exception)
        poe_ok = poe_ok and (not flag or exempt_flag)
        options.append({"place": "in-Canada", "allowed": True, "reason": "r199_in_canada"})
        options.append(
            {
                "place": "POE",
                "allowed": poe_ok,
                "reason": "flagpoling_restricted"
                if flag and not exempt_flag
                else ("trv_exempt" if poe_ok else "trv_required"),
            }
        )
        place, reason = ("in-Canada", "r199_in_canada")
    else:
        options.append(
            {
                "place": "POE",
                "allowed": poe_ok,
                "reason": (
                    "trv_exempt" if poe_ok else ("code_online_only" if not code_poe else "trv_required")
                ),
            }
        )
        if w.citizenships is None and w.passport_country is None and not (pr_us or res_ok):
            # the passport decides the visa requirement: unknown citizenship = unknown place (§8 item 5)
            place, reason = None, "citizenship_unknown"
            qmap.setdefault("worker.citizenships", []).append(rec[1] if rec else "TFWP")
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
        if trv is None and not (pr_us or res_ok):
            qmap.setdefault("worker.eta_eligible", []).append(rec[1] if rec else "TFWP")
    return {
        "place": place,
        "reason": reason,
        "passport": passports[0] if len(passports) == 1 or (passports and key) else None,
        "options": options,
    }


def _durations(rec: tuple[CodeInfo, str], c: Ctx, warnings: list[Warning]) -> dict[str, Any]:
    info = rec[0]
    d = {k: v for k, v in info.durations.items() if not k.startswith("note")}
    out = {"code": rec[1], **{k: v for k, v in d.items()}}
    out["note_en"] = info.durations.get("note_en")
    out["note_fr"] = info.durations.get("note_fr")
    if "max_in_window" in d:  # service suppliers: a cap on the permit, not an eligibility test (§8 item 9)
        out["permit_max_months"] = d["max_in_window"]
    if info.ict and "total_cap" in d:
        used = c.w.ict_months_used or 0
        out["ict_cap_remaining"] = max(0, d["total_cap"] - used)
        out["ict_cap_pooled"] = True
    if info.code == "C21":
        by = value_at("iec_max_months_by_country", c.on)
        months = [by[x] for x in c.eligible_citizenships("iec_partners") if x in by]
        if months:
            out["initial_max"] = max(months)
    return out


_GENERAL_EVIDENCE = (
    ("Passport (the one entered in the offer)", "Passeport (celui inscrit dans l'offre)"),
    ("Signed employment agreement", "Contrat de travail signé"),
    (
        "Offer of employment number (A#######) from the Employer Portal",
        "Numéro d'offre d'emploi (A#######) du Portail des employeurs",
    ),
)
_TFWP_EVIDENCE = (
    (
        "LMIA application to ESDC/Service Canada with proof of recruitment efforts",
        "Demande d'EIMT à EDSC/Service Canada avec preuve des efforts de recrutement",
    ),
    (
        "Wage at or above the prevailing wage; transition plan for high-wage positions",
        "Salaire égal ou supérieur au salaire en vigueur; plan de transition pour les postes à haut salaire",
    ),
)


def _evidence(
    rule: CodeRule | None, route: str, employer_step: dict[str, Any]
) -> tuple[tuple[str, str], ...]:
    if route == "TFWP":
        return _TFWP_EVIDENCE
    if rule is None:  # pending: the checklist comes with the code
        return _EMPTY
    gen = _GENERAL_EVIDENCE if employer_step["kind"] != "none" else _GENERAL_EVIDENCE[:2]
    return tuple(rule.evidence) + gen


@lru_cache(maxsize=64)
def _obligations(on: date) -> tuple[dict[str, Any], ...]:
    return tuple(o for o in OBLIGATIONS if o["effective_from"] is None or o["effective_from"] <= on)


W = {
    "quebec_imp": (
        "Quebec: an LMIA-exempt (IMP) work permit does not need a Quebec Acceptance Certificate (CAQ).",
        "Québec : un permis de travail dispensé d'EIMT (PMI) n'exige pas de certificat d'acceptation du Québec (CAQ).",
        "c14",
    ),
    "quebec_tfwp": (
        "Quebec: the LMIA follows the joint federal-Quebec process with a CAQ.",
        "Québec : l'EIMT suit le processus conjoint fédéral-Québec avec un CAQ.",
        "codes_table",
    ),
    "licensing": (
        "The occupation is regulated in the province of work: the packet must show the worker holds or can obtain the licence (R200(3)(a)).",
        "La profession est réglementée dans la province de travail : le dossier doit montrer que le travailleur détient ou peut obtenir le permis (R200(3)a)).",
        "cusma_professionals",
    ),
    "dual_national": (
        "Dual national: file on the passport of the country that gives eligibility ({passport}); the employer must enter that passport number and citizenship in the offer.",
        "Double nationalité : présenter la demande avec le passeport du pays qui donne l'admissibilité ({passport}); l'employeur doit inscrire ce numéro de passeport et cette citoyenneté dans l'offre.",
        "general_processing",
    ),
    "c10_discretionary": (
        "C10 is discretionary with a high evidence bar; if refused, an LMIA is needed.",
        "Le code C10 est discrétionnaire et exige une preuve solide; en cas de refus, une EIMT est nécessaire.",
        "c10",
    ),
    "c16_sunset": (
        "C16: some sources described the widening of {c16_allowed_teers_since} as temporary; re-verify that it is still in force before filing.",
        "C16 : certaines sources ont présenté l'élargissement du {c16_allowed_teers_since} comme temporaire; vérifier qu'il est toujours en vigueur avant de présenter la demande.",
        "c16",
    ),
    "wage_below_prevailing": (
        "The wage is below the prevailing wage: officers treat this as a red flag for this code.",
        "Le salaire est inférieur au salaire en vigueur : les agents y voient un signal d'alarme pour ce code.",
        "ict_r205",
    ),
    "mexico_eta": (
        "Mexican citizens need a visa since {mexico_eta_rule_since} (from late on the evening before) unless eTA-eligible; whether eTA-eligible workers may apply at a port of entry is not confirmed – apply online before travel.",
        "Les citoyens mexicains ont besoin d'un visa depuis le {mexico_eta_rule_since} (à compter de la fin de soirée de la veille) sauf s'ils sont admissibles à une AVE; la possibilité pour eux de présenter la demande au point d'entrée n'est pas confirmée – présenter la demande en ligne avant le voyage.",
        "mexico_eta",
    ),
    "c20_small_exchange": (
        "Small exchange: the flows need a similar order of magnitude at the officer's discretion (the {c20_min_reciprocity_ratio_pct} % expectation applies to large exchanges).",
        "Petit échange : les flux doivent être d'un ordre de grandeur semblable, à la discrétion de l'agent (l'attente de {c20_min_reciprocity_ratio_pct} % vise les échanges importants).",
        "c20",
    ),
    "service_supplier_cap": (
        "The contract is longer than {months} months: the permit is capped at {months} months in any {window}-month period.",
        "Le contrat dépasse {months} mois : le permis est limité à {months} mois par période de {window} mois.",
        "ceta_css_ip",
    ),
    "passport_cap": (
        "The permit cannot run past the passport's expiry date ({date}).",
        "Le permis ne peut pas dépasser la date d'expiration du passeport ({date}).",
        "general_processing",
    ),
    "open_permit_expiry": (
        "The worker's open permit expires on {date}, before the job ends: plan the next permit.",
        "Le permis ouvert du travailleur expire le {date}, avant la fin de l'emploi : prévoir le prochain permis.",
        "general_processing",
    ),
    "open_permit_verify": (
        "Open permit: no Employer Portal offer and no compliance fee; verify the permit and follow labour law. The IMP inspection regime (R209.2) does not apply.",
        "Permis ouvert : aucune offre dans le Portail des employeurs ni frais de conformité; vérifier le permis et respecter le droit du travail. Le régime d'inspection du PMI (R209.2) ne s'applique pas.",
        "general_processing",
    ),
    "regime_exempt": (
        "The employer is exempt from the compliance regime (R209.91): no offer and no fee; the worker files the contract with the application.",
        "L'employeur est dispensé du régime de conformité (R209.91) : aucune offre ni frais; le travailleur joint le contrat à sa demande.",
        "irpr_209_91",
    ),
}


def _w(key: str, on: date, **kw: Any) -> Warning:
    """Warning ``key`` in both languages, its numbers taken from the parameters in force on ``on``."""
    en, fr, src = W[key]
    return Warning(key, param_text(en, on, "en", **kw), param_text(fr, on, "fr", **kw), src)


def _warnings(facts: CaseFacts, c: Ctx, route: str, rec: _Rec, out: list[Warning]) -> None:
    p, e, w = facts.position, facts.employer, facts.worker
    if p.province == "QC":
        out.append(_w("quebec_imp" if route == "IMP" else "quebec_tfwp", c.on))
    if p.licence_required is True and route == "IMP":
        out.append(_w("licensing", c.on))
    if rec:
        info = rec[0]
        key = NATIONALITY_PROGRAMS.get(info.program)
        if key and w.citizenships and len(w.citizenships) > 1:
            elig = c.eligible_citizenships(key)
            if elig:
                out.append(_w("dual_national", c.on, passport=elig[0]))
        if info.code == "C10":
            out.append(_w("c10_discretionary", c.on))
        if (
            info.code == "C16"
            and params.period_at("c16_allowed_teers", c.on) is not params.VALUES["c16_allowed_teers"][0]
        ):
            out.append(_w("c16_sunset", c.on))  # the widening some sources called temporary is in force
        if (
            info.code in ("C62", "T44", "T41", "F61", "F63")
            and p.wage_hourly_cad is not None
            and p.prevailing_wage_hourly_cad is not None
            and p.wage_hourly_cad < p.prevailing_wage_hourly_cad
        ):
            out.append(_w("wage_below_prevailing", c.on))
        if e.kind in REGIME_EXEMPT_KINDS:
            out.append(_w("regime_exempt", c.on))
        if (
            w.passport_expiry is not None
            and "US" not in (c.cits or ())
            and p.end_date is not None
            and w.passport_expiry < p.end_date
        ):
            out.append(_w("passport_cap", c.on, date=w.passport_expiry.isoformat()))
    if "MX" in (c.cits or ()) and value_at("mexico_eta_rule", c.on) and w.in_canada is not True:
        out.append(_w("mexico_eta", c.on))
    if rec:
        if c.details.get("c20.similar_magnitude", {}).get("small_exchange") and rec[0].code == "C20":
            out.append(_w("c20_small_exchange", c.on))
        cap = rec[0].durations.get("max_in_window")
        months = c.duration_months()
        if cap is not None and months is not None and months > cap:
            out.append(_w("service_supplier_cap", c.on, months=cap, window=rec[0].durations["window_months"]))


TO_VERIFY = {  # imp-rules.md §8 item 12: still unconfirmed; shown where it decides the outcome
    "ceta_annex_10e": (
        "To verify: the CETA/CUKTCA Annex 10-E sector list (compare IRCC's NOC equivalency table on the contractual service suppliers page).",
        "À vérifier : la liste des secteurs de l'annexe 10-E de l'AECG/ACCRU (comparer avec le tableau d'équivalence CNP d'IRCC sur la page des fournisseurs de services contractuels).",
        "ceta_css_ip",
    ),
    "gats_wto_members": (
        "To verify: the worker's country is taken as a WTO member from a list compiled outside the reference.",
        "À vérifier : le pays du travailleur est considéré membre de l'OMC d'après une liste établie hors de la référence.",
        "wto_members",
    ),
    "gats_pdi_2026": (
        "To verify: the GATS (T33) instructions were reported revised on {gats_instructions_reported_revision} (secondary source).",
        "À vérifier : les instructions AGCS (T33) auraient été révisées le {gats_instructions_reported_revision} (source secondaire).",
        "gats",
    ),
    "c16_status": (
        "To verify: Francophone Mobility (C16) shows no end date on IRCC's page; confirm it is still in force before filing.",
        "À vérifier : la Mobilité francophone (C16) n'indique aucune date de fin sur la page d'IRCC; confirmer qu'elle est toujours en vigueur avant de présenter la demande.",
        "c16",
    ),
    "quebec_pr_policy_2026": (
        "To verify: a temporary public policy of {quebec_pr_public_policy_from} for Quebec permanent-residence candidates may apply (code not found).",
        "À vérifier : une politique d'intérêt public temporaire du {quebec_pr_public_policy_from} pour les candidats à la résidence permanente au Québec pourrait s'appliquer (code introuvable).",
        "general_processing",
    ),
    "cufta_ict_split": (
        "To verify: which of F71 and F74 IRCC uses for this transferee (the split is not established).",
        "À vérifier : lequel des codes F71 et F74 IRCC utilise pour cette personne mutée (la répartition n'est pas établie).",
        "codes_table",
    ),
    "cptpp_party_date": (
        "To verify: the date the CPTPP entered into force for the worker's country (IRCC's CPTPP overview).",
        "À vérifier : la date d'entrée en vigueur du PTPGP pour le pays du travailleur (aperçu du PTPGP d'IRCC).",
        "cptpp",
    ),
}


def _to_verify(facts: CaseFacts, c: Ctx, route: str, rec: _Rec) -> tuple[Warning, ...]:
    ids: list[str] = []
    code = rec[0].code if rec else None
    if code in ("T47", "T43", "F66", "F60"):
        ids.append("ceta_annex_10e")
    if code == "T33":
        ids += ["gats_wto_members", "gats_pdi_2026"]
    if code == "C16":
        ids.append("c16_status")
    if code in ("F71", "F74"):
        ids.append("cufta_ict_split")
    if rec and rec[0].program == "cptpp" and c.cits and not c.cits.isdisjoint({"PE", "MY", "CL", "BN"}):
        ids.append("cptpp_party_date")
    if (
        route != "IMP"
        and facts.position.province == "QC"
        and facts.worker.in_canada is True
        and c.on >= value_at("quebec_pr_public_policy_from", c.on)
    ):
        ids.append("quebec_pr_policy_2026")
    return tuple(
        Warning(
            i, param_text(TO_VERIFY[i][0], c.on), param_text(TO_VERIFY[i][1], c.on, "fr"), TO_VERIFY[i][2]
        )
        for i in ids
    )


def _open_permit(facts: CaseFacts, c: Ctx, reason: str) -> Assessment:
    w, p = facts.worker, facts.position
    warnings = [_w("open_permit_verify", c.on)]
    if reason == "open_permit" and w.current_permit_expiry is not None:
        end = p.end_date
        if end is None and p.start_date is not None and p.duration_months is not None:
            end = add_months(p.start_date, int(p.duration_months))
        if end is not None and w.current_permit_expiry < end:
            warnings.append(_w("open_permit_expiry", c.on, date=w.current_permit_expiry.isoformat()))
    step = {
        "kind": "none",
        "fee_cad": 0,
        "payer": None,
        "reason": reason,
        "worker_fee_cad": value_at("open_work_permit_holder_fee", c.on),
        "source": params.source_url("general_processing"),
    }
    where: dict[str, Any] = {
        "place": None,
        "reason": "already_authorized" if reason == "open_permit" else "iec_online",
        "passport": None,
        "options": [],
    }
    return Assessment(
        c.on,
        RULESET_VERSION,
        "open_permit",
        None,
        (),
        (),
        {},
        (),
        step,
        where,
        None,
        (
            (
                "Copy of the worker's open work permit (verify conditions and expiry)",
                "Copie du permis de travail ouvert du travailleur (vérifier les conditions et l'expiration)",
            ),
        ),
        _EMPTY,
        tuple(warnings),
        facts,
        {
            "reason": reason,
            "permit_expiry": w.current_permit_expiry.isoformat() if w.current_permit_expiry else None,
        },
    )


_ = (BY_PATH, CODES)
