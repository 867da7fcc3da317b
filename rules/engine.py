"""``assess(facts, as_of)``: evaluation order of imp-rules.md section 5, one step per function.

1. worker already authorized by an open permit (or IEC Working Holiday), or the spouse or common-law partner
   of a foreign worker whose permit gives the spouse an open one (an agreement's T45/F64/T53/T25/F36/F73,
   else C41: rules/spouse.py) -> open_permit, no employer step;
2. every code in force on ``as_of`` (agreement codes, ICT, specific R205 codes, IEC, C10 last) is
   evaluated criterion by criterion (met / not met / unknown);
3. codes_fit -> recommended (priority; FTA-vs-R205(a) ICT tie-break on the planned assignment);
4. none fits but some code is still undecided -> pending, with the most likely code; none can fit ->
   TFWP (LMIA), with the reasons and the fixes. Missing facts give questions, never a silent TFWP;
5. the questions: needed when the answer could change the route or the recommended code;
6. the employer's step (rules/employer_step.py) and the place of application (rules/place.py);
7. durations, evidence, obligations, warnings and what is still to verify (rules/warnings.py).
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import date
from functools import cache, lru_cache
from operator import attrgetter
from typing import Any

from . import params
from .assessment import Assessment
from .categories import ALL_RULES, iec
from .categories.base import CodeRule, Ctx, and3
from .categories.fta import (
    CLIENT_AGREEMENT,
    IP_CONTRACT_EVIDENCE,
    IP_EXPERIENCE_EVIDENCE,
    PASSPORT_OF_THE_AGREEMENT,
    SERVICE_CONTRACT_EVIDENCE,
    SERVICE_QUALIFICATIONS,
)
from .categories.ict import (
    ACTIVE_EVIDENCE,
    BOTH_DOING_BUSINESS,
    FOREIGN_DOING_BUSINESS_EVIDENCE,
    INCORPORATION_EVIDENCE,
)
from .employer_step import business_size, employer_step
from .fields import FIELDS
from .kinds import FactsError
from .model import (
    MET,
    NOT_MET,
    UNKNOWN,
    CaseFacts,
    Criterion,
    Question,
    Worker,
)
from .params import (
    OBLIGATIONS,
    RULESET_VERSION,
    CodeInfo,
    Recommended,
    code_table,
    epoch_of,
    epoch_start,
    param_text,
    value_at,
)
from .place import place_of_application
from .spouse import SpouseRoute, spouse_route
from .warnings import case_warnings, duration_warnings, iec_date_unconfirmed, to_verify, verification, warning

__all__ = ["EVIDENCE_RENAMED", "assess", "business_size", "evidence_in", "evidence_item_of"]

_FIELD_ORDER = {f.path: i for i, f in enumerate(FIELDS)}
_EMPTY: tuple[Any, ...] = ()
_PlanRow = tuple[CodeInfo, str, CodeRule]  # (code info, emitted code, its rule)
_RawRow = tuple[
    CodeInfo, str, str, tuple[bool | None, ...], bool
]  # (info, emitted, status, values, candidate)
_Undecided = tuple[CodeInfo, str, CodeRule, tuple[bool | None, ...]]  # (info, emitted, rule, values)
# a code still undecided: (sort key, info, emitted code, every fact it waits for, the facts that decide it)
_Pending = tuple[tuple[int, int, int], CodeInfo, str, tuple[str, ...], tuple[str, ...]]
_FALSE1 = (False,)


@cache
def _plan(epoch: int) -> tuple[tuple[Criterion, tuple[_PlanRow, ...], tuple[_RawRow, ...], bool], ...]:
    """Codes in force for a code-table epoch, grouped by their first gate criterion (e.g. one
    citizenship test for the five CUSMA codes), groups in priority order, C10 last. Each group carries
    the precomputed rows to add when its gate fails."""
    rows = [(info, emitted, ALL_RULES[info.code]) for info, emitted in code_table(epoch_start(epoch))]
    rows.sort(key=lambda r: r[0].priority)
    groups: dict[Criterion, list[_PlanRow]] = {}
    for row in rows:
        groups.setdefault(row[2].criteria[0], []).append(row)
    return tuple(
        (gate, tuple(rs), tuple((i, e, NOT_MET, _FALSE1, False) for i, e, _ in rs), rs[0][0].code == "C10")
        for gate, rs in groups.items()
    )


@cache
def _readers(cr: Criterion) -> tuple[tuple[str, Any], ...]:
    """(path, getter) for each fact a criterion reads: ``getter(facts)`` is the fact, read in C."""
    return tuple((p, attrgetter(p)) for p in cr.reads)


_MISSING = object()


# --------------------------------------------------------------------------- the steps
def assess(facts: CaseFacts, as_of: date) -> Assessment:
    """Assess ``facts`` under the rules in force on ``as_of`` (no clock is read)."""
    _check_arguments(facts, as_of)
    c = Ctx(facts, as_of)
    not_foreign = _not_a_foreign_national(facts.worker)  # 0
    if not_foreign:
        return _no_permit(facts, c, not_foreign)
    open_reason, open_waits = _already_authorized(facts.worker, c)  # 1
    if open_reason:
        return _open_permit(facts, c, open_reason)
    # the spouse or common-law partner of a foreign worker: an agreement's spouse permit, else C41
    spouse, spouse_waits, spouse_why = spouse_route(c)
    if spouse is not None:
        return _open_permit(facts, c, "spouse_open_permit", spouse)
    open_waits += tuple(p for p in spouse_waits if p not in open_waits)
    raw, fit, undecided = _evaluate_codes(c)  # 2
    c._cache["annex_10e_decides"] = _sector_alone_failed(raw)
    rec = _recommend(fit, c) if fit else None  # 3
    pend = _pending(undecided, {e for _, e in fit}, facts)  # 4
    # TFWP only when nothing fits on known facts and nothing could still spare the employer any step: a
    # worker who may already hold an open permit (or a Working Holiday one) leaves the case pending
    route = "IMP" if fit else ("pending" if pend or open_waits else "TFWP")
    # nor while the worker's citizenship is unknown: a Canadian citizen needs no permit at all (IRPA s. 2(1),
    # 30(1)), and the place of application depends on it (imp-rules.md §8 item 5): asked, not "LMIA needed"
    nationality_waits = (
        ("worker.citizenships",) if route == "TFWP" and facts.worker.citizenships is None else ()
    )
    # nor, for a worker who lives in Canada with no temporary permit, while it is unknown whether they are a
    # permanent resident of Canada (no foreign national, no permit needed): the answer is asked first. A
    # worker known to live abroad, or to hold a temporary permit, is not asked (most files leave it out)
    if route == "TFWP" and not nationality_waits and _may_be_canadian_pr(facts.worker):
        nationality_waits = ("worker.permanent_residences",)
    if nationality_waits:
        route = "pending"
    likely = (pend[0][1], pend[0][2]) if route == "pending" and pend else None
    qmap, needed = _decisive_questions(pend, fit, rec, likely, c)  # 5
    for path in open_waits:
        qmap.setdefault(path, []).append("open_permit")
        needed.add(path)
    for path in nationality_waits:
        qmap.setdefault(path, []).append("no_permit")
        needed.add(path)
    step_q: dict[str, list[str]] = {}  # facts that decide the fee or the place of application
    step = employer_step(facts, c, rec, step_q, route)  # 6
    where = place_of_application(facts, c, rec or likely, step_q)
    _tie_break_question(fit, rec, c, step_q)
    questions = _questions(qmap, needed, step_q, route)
    rec_rule = ALL_RULES[rec[0].code] if rec else None  # 7
    durations = _durations(rec, c, {q.fact for q in questions}) if rec else None
    return Assessment(
        as_of,
        RULESET_VERSION,
        route,
        rec[1] if rec else None,
        tuple(e for _, e in fit),
        tuple(raw),
        c.details,
        questions,
        step,
        where,
        durations,
        _evidence(rec_rule, route, step, as_of),
        _obligations(as_of, self_employed(rec_rule))
        if (route == "IMP" and step["kind"] != "none")
        else _EMPTY,
        case_warnings(facts, c, route, rec)
        + tuple(duration_warnings(durations, c))
        + tuple(warning(key, c.on, **values) for key, values in spouse_why),
        facts,
        None,
        tuple((emitted, waits) for _key, _info, emitted, waits, _d in pend),
        business_size(facts.employer, as_of),
        to_verify(facts, c, route, rec),
    )


def _check_arguments(facts: CaseFacts, as_of: date) -> None:
    if not isinstance(as_of, date):
        raise FactsError("as_of", "expected a date")
    if as_of < params.EARLIEST_AS_OF:
        raise FactsError("as_of", f"the rule set covers dates from {params.EARLIEST_AS_OF.isoformat()}")
    if not isinstance(facts, CaseFacts):
        raise FactsError("facts", "expected CaseFacts (use rules.facts_from_dict for plain dicts)")


def _not_a_foreign_national(w: Worker) -> str | None:
    """Step 0: a Canadian citizen or permanent resident is no foreign national (IRPA s. 2(1)), and only a
    foreign national needs to be authorized to work in Canada (IRPA s. 30(1)): no work permit, no code,
    no employer step. A dual citizen one of whose citizenships is Canadian is a Canadian citizen."""
    if "CA" in (w.citizenships or ()):
        return "canadian_citizen"
    if "CA" in (w.permanent_residences or ()):
        return "canadian_permanent_resident"
    return None


def _may_be_canadian_pr(w: Worker) -> bool:
    """The permanent residences are not given, and the worker lives in Canada (or is there, where they live is
    not given) holding no temporary permit: a Canadian permanent resident looks exactly so (IRPA s. 2(1))."""
    if w.permanent_residences is not None or w.current_permit_type != "none":
        return False
    return w.residence_country == "CA" or (w.residence_country is None and w.in_canada is True)


def _already_authorized(w: Worker, c: Ctx) -> tuple[str | None, tuple[str, ...]]:
    """Step 1: the worker may already work on an open permit (or IEC Working Holiday): no employer step.
    Returns the reason when so, else the facts that could still make it so (asked; empty: it cannot)."""
    # an open permit authorizes the job only if it is still valid when the job starts: one that expires
    # before leaves the worker without authorization on the first day (IRPA s. 30(1), R196)
    if w.current_permit_type == "open" and (
        w.current_permit_expiry is None or w.current_permit_expiry >= c.first_day()
    ):
        return "open_permit", ()
    waits: tuple[str, ...] = ()
    if w.current_permit_type is None and w.in_canada is not False:
        waits = ("worker.current_permit_type",)
    if w.iec_category == "working_holiday":
        # an open permit only for a citizen of a partner whose agreement offers Working Holiday, within its
        # age limits on the day of the invitation, and invited (imp-rules.md §3.11, §8 item 3): claiming the
        # category is not enough
        # an unknown age waits on the date of birth, or (born, one birthday past the limit) on the invitation:
        # a known date of birth is never asked again
        age = iec.AGE.fn(c)
        known = {
            "worker.citizenships": and3(iec.PARTNER.fn(c), iec.category_offered(c, "working_holiday")),
            "worker.date_of_birth": True if age is None and w.date_of_birth is not None else age,
            "worker.iec_invited": w.iec_invited,
        }
        if all(v is True for v in known.values()):
            return "iec_working_holiday", ()
        if False not in known.values():
            waits += tuple(path for path, v in known.items() if v is None and path not in waits)
    return None, waits


def _evaluate_codes(c: Ctx) -> tuple[list[_RawRow], list[Recommended], list[_Undecided]]:
    """Step 2: every code in force, criterion by criterion; the codes that fit, best first.

    A criterion shared by several codes is evaluated once (``memo``); a group of codes sharing a failed
    gate (e.g. the citizenship of another agreement) takes its precomputed rows. The codes left undecided
    (a few of the ~70) are returned apart, with their rule, for the pending step."""
    raw: list[_RawRow] = []
    undecided: list[_Undecided] = []
    fit: list[Recommended] = []
    seen_emitted: set[str] = set()
    memo: dict[Criterion, Any] = {}
    memo_get = memo.get
    missing = _MISSING
    for gate, rows, fail_rows, is_c10 in _plan(epoch_of(c.on)):
        if is_c10:
            c._cache["specific_fit"] = bool(fit)
            # a specific code undecided although its first test (gate) is met, or close to fitting (one answer
            # away, or most of its tests met and none failed: C11 for an owner who runs the business, whose
            # share and funds are not given): C10 waits for it (imp-rules.md §5 step 6, last resort; §3.6)
            c._cache["specific_pending"] = any(
                all(v is True for v in vals[: rule.n_gate]) or _close(vals)
                for _i, _e, rule, vals in undecided
            )
        v0 = memo[gate] = gate.fn(c)
        if v0 is False:  # fast path: the shared gate fails
            raw.extend(fail_rows)
            continue
        for info, emitted, rule in rows:
            # status, values and candidate of one code; values[i] is criteria[i]'s True/False/None,
            # truncated when a gate criterion fails (the code is then no candidate)
            vals: list[bool | None] = []
            status = MET
            n_gate = rule.n_gate
            candidate = True
            for i, cr in enumerate(rule.criteria):
                v = memo_get(cr, missing)
                if v is missing:
                    v = memo[cr] = cr.fn(c)
                vals.append(v)
                if v is False:
                    status = NOT_MET
                    if i < n_gate:
                        candidate = False
                        break
                elif v is None and status is MET:
                    status = UNKNOWN
            values = tuple(vals)
            raw.append((info, emitted, status, values, candidate))
            if status is UNKNOWN:
                undecided.append((info, emitted, rule, values))
            elif status is MET and emitted not in seen_emitted:
                seen_emitted.add(emitted)
                fit.append((info, emitted))
    if len(fit) > 1:
        fit.sort(key=lambda x: x[0].priority)
    return raw, fit, undecided


# CETA's and CUKTCA's service suppliers and independent professionals, whose sectors are Annex 10-E's
_ANNEX_10E_CODES = frozenset({"T47", "T43", "F66", "F60"})
_SECTOR_CRITERIA = frozenset({"css.sector", "ip.sector"})


def _sector_alone_failed(raw: list[_RawRow]) -> bool:
    """A service supplier's or independent professional's code failed on its Annex 10-E sector alone: the
    unconfirmed sector list (imp-rules.md §8 item 12) decides the outcome (rules/README.md item 64)."""
    for info, _emitted, status, values, candidate in raw:
        if info.code in _ANNEX_10E_CODES and status is NOT_MET and candidate:
            crits = ALL_RULES[info.code].criteria
            failed = {crits[i].id for i, v in enumerate(values) if v is False}
            if failed and failed <= _SECTOR_CRITERIA:
                return True
    return False


def _one_answer_away(vals: tuple[bool | None, ...] | list[bool | None]) -> bool:
    """Every criterion of the code is met on known facts but one, still unknown: one answer decides it."""
    return sum(v is None for v in vals) == 1 and all(v is not False for v in vals)


def _close(vals: tuple[bool | None, ...] | list[bool | None]) -> bool:
    """The code is close to fitting: no criterion fails, and one answer decides it or most of its criteria
    are already met on known facts (C11 for an owner-operator whose share and funds are not given; not C16
    or C20 for a worker of whom nothing they test is known, worked case 17)."""
    if _one_answer_away(vals):
        return True
    unknown = sum(v is None for v in vals)
    return False not in vals and len(vals) - unknown > unknown


def _pending(undecided: list[_Undecided], fitting: set[str], facts: CaseFacts) -> list[_Pending]:
    """Step 4: the codes undecided on the facts given, in recommendation order (codes whose gate is met
    on known facts or one answer away first, then codes close to fitting, then the others; then priority,
    then the fewest answers away), each with every unknown fact it
    waits for and the facts that decide it."""
    pend: list[_Pending] = []
    seen: set[str] = set()
    missing_of: dict[Criterion, dict[str, None]] = {}  # criterion -> the facts it waits for (shared)
    for info, emitted, rule, vals in undecided:
        if emitted in fitting or emitted in seen:
            continue
        seen.add(emitted)
        n_gate = rule.n_gate
        criteria = rule.criteria
        waits: dict[str, None] = {}  # ordered sets
        gate_waits: dict[str, None] | None = None  # the facts of its first unknown gate criterion
        for i, v in enumerate(vals):
            if v is not None:
                continue
            cr = criteria[i]
            miss = missing_of.get(cr)
            if miss is None:
                readers = _readers(cr)
                miss = missing_of[cr] = dict.fromkeys(
                    [p for p, get in readers if get(facts) is None] or [p for p, _get in readers[:1]]
                )  # a criterion that reads no fact (C10's "no specific code") waits for none of its own
            waits.update(miss)
            if i < n_gate and gate_waits is None:
                gate_waits = miss
        if not waits:  # C10 waiting only for a specific code to be decided: that code is the pending one
            continue
        gate_open = gate_waits is not None or any(v is not True for v in vals[:n_gate])
        # a code whose gate is still open (e.g. citizenship or PR of the agreement country) is decided
        # first by its first unknown gate criterion: while the worker's nationality is unknown, the
        # agreement's occupation list cannot make it fit alone; its other facts are optional
        decisive = tuple(gate_waits if gate_waits is not None else ({} if gate_open else waits))
        # a code one answer away from fitting ranks with the codes whose gate is met (C11 for an owner
        # running the business whose share is unknown: the likely code, its question needed); one close to
        # fitting (most of its tests met, none failed: C11 with the share and the funds not given) right
        # after them, before the codes whose gate is still open
        tier = 2 if gate_open and not _close(vals) else 1 if gate_open and not _one_answer_away(vals) else 0
        pend.append(((tier, info.priority, len(waits)), info, emitted, tuple(waits), decisive))
    pend.sort(key=lambda x: x[0])
    return pend


def _decisive_questions(
    pend: list[_Pending],
    fit: list[Recommended],
    rec: Recommended | None,
    likely: Recommended | None,
    c: Ctx,
) -> tuple[dict[str, list[str]], set[str]]:
    """Step 5: fact -> the codes waiting for it, and the facts that are needed: those that could change
    the route or the recommended code. Pending: the likely code stands in for the recommendation (its
    facts are all needed); in both cases a code that would outrank it if it fitted makes its decisive
    facts needed."""
    qmap: dict[str, list[str]] = {}
    needed: set[str] = set()
    ref = rec or likely
    if ref is None:
        return qmap, needed
    ref_fit = fit if rec else [ref]
    ref_info = ref[0]
    fta_ict_ref = ref_info.ict and ref_info.program != "ict"
    for _key, info, emitted, waits, decisive in pend:
        for p in waits:
            lst = qmap.setdefault(p, [])
            if emitted not in lst:
                lst.append(emitted)
        if likely is not None and emitted == likely[1]:
            needed.update(waits)
        elif (info.priority < ref_info.priority or (fta_ict_ref and info.program == "ict")) and _recommend(
            [*ref_fit, (info, emitted)], c
        ) is not ref:  # it would outrank the reference code if it fitted
            needed.update(decisive)
    return qmap, needed


def _questions(
    qmap: dict[str, list[str]], needed: set[str], step_q: dict[str, list[str]], route: str
) -> tuple[Question, ...]:
    """Needed questions first, then in the order of the fact registry; a fact that decides where and how
    the recommended code is filed is needed."""
    opens = {p: tuple(codes) for p, codes in qmap.items()}
    for p, codes in step_q.items():
        lst = qmap.setdefault(p, [])
        lst.extend(x for x in codes if x not in lst)
        if route == "IMP":
            needed.add(p)
    return tuple(
        Question(p, tuple(codes), p in needed, opens.get(p, ()), p in step_q)
        for p, codes in sorted(
            qmap.items(), key=lambda kv: (kv[0] not in needed, _FIELD_ORDER.get(kv[0], 999))
        )
    )


def _tie_break_question(
    fit: list[Recommended], rec: Recommended | None, c: Ctx, step_q: dict[str, list[str]]
) -> None:
    """imp-rules.md §5 tie-break: an agreement's transferee code recommended while an R205(a) one with a longer
    total cap also fits, and the plan unknown (no planned total, no length of the job): the job's length decides
    which of the two is filed, so it is asked (needed on the IMP route, like the facts of the filing step)."""
    if rec is None or not rec[0].ict or rec[0].program == "ict":
        return
    p = c.p
    if p.planned_total_months is not None or c.duration_months() is not None:
        return
    cap = rec[0].durations.get("total_cap")
    if cap is None:
        return
    for info, emitted in fit:
        if info.program == "ict" and info.code != "C61" and info.durations.get("total_cap", 0) > cap:
            lst = step_q.setdefault("position.duration_months", [])
            if emitted not in lst:
                lst.append(emitted)


# --------------------------------------------------------------------------- helpers
def _recommend(fit: list[Any], c: Ctx) -> Any:
    best = min(fit, key=lambda x: x[0].priority)
    info = best[0]
    if info.ict and info.program != "ict":
        r205 = [x for x in fit if x[0].program == "ict" and x[0].code != "C61"]
        if r205:
            # the plan: the planned total, else this offer's length, given in months or by its dates (§5)
            p = c.p
            plan = p.planned_total_months if p.planned_total_months is not None else c.duration_months()
            used = c.w.ict_months_used or 0
            fta_cap = info.durations.get("total_cap")
            if plan is not None and fta_cap is not None and plan + used > fta_cap:
                alt = r205[0]
                alt_cap = alt[0].durations.get("total_cap")
                if alt_cap is not None and plan + used <= alt_cap:
                    return alt
    return best


def _durations(rec: Recommended, c: Ctx, asked: set[str]) -> dict[str, Any]:
    info = rec[0]
    d = {k: v for k, v in info.durations.items() if not k.startswith("note")}
    out = {"code": rec[1], **{k: v for k, v in d.items()}}
    out["note_en"] = info.durations.get("note_en")
    out["note_fr"] = info.durations.get("note_fr")
    if "startup_initial_max" in d and c.e.start_up is True:
        # opening a new office in Canada (T37): initial 1 year, renewal at most 6 months (imp-rules.md §3.1,
        # imp-parameters.yaml durations T37 startup), not the general 3 years + 2
        out["initial_max"] = d["startup_initial_max"]
        out["extension_max"] = d.get("startup_extension_max", d.get("extension_max"))
    elif "startup_initial_max" in d and (c.e.start_up is False or "employer.start_up" not in asked):
        # a Canadian office that is not new (or that no question of the case asks about) has the general
        # lengths only: the start-up's are not the case's (rules/README.md item 62)
        del out["startup_initial_max"]
        out.pop("startup_extension_max", None)
    if info.code == "C11" and "c11_max_months" in c.v:
        # "the validity of the work permit should not be longer than 18 months": IRCC's update of the C11
        # instructions of 2025-05-27 (values.yaml c11_max_months); no limit of its own before
        out["initial_max"] = c.v["c11_max_months"]
    if "max_in_window" in d:  # service suppliers: a cap on the permit, not an eligibility test (§8 item 9)
        out["permit_max_months"] = d["max_in_window"]
    if info.ict and "total_cap" in d:
        used = c.w.ict_months_used or 0
        out["ict_cap_remaining"] = max(0, d["total_cap"] - used)
        out["ict_cap_pooled"] = True
    if info.code == "C21":
        by = c.v["iec_max_months_by_country"]  # per country and category (IE/AU Co-op: 12, not 24)
        cat = c.w.iec_category
        months = [by[x][cat] for x in c.eligible_citizenships("iec_partners") if cat in by.get(x, {})]
        if months:
            out["initial_max"] = max(months)
    return out


_PASSPORT = ("Passport (the one entered in the offer)", "Passeport (celui inscrit dans l'offre)")
_AGREEMENT = ("Signed employment agreement", "Contrat de travail signé")
_GENERAL_EVIDENCE = (
    _PASSPORT,
    _AGREEMENT,
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
        "Salaire égal ou supérieur au salaire en vigueur ; plan de transition pour les postes à haut salaire",
    ),
)


# An offer whose compliance fee is waived (R303.1(5)): the employer uploads the proof with it (imp-rules.md
# §1.2, §4.3; imp-cases.md case 29: "offer still mandatory with proof of fee exemption").
_FEE_EXEMPT_EVIDENCE = (
    (
        "Proof of the employer compliance fee exemption, uploaded with the offer (unremunerated religious or "
        "charitable work: EC1, R303.1(5))",
        "Preuve de l'exemption des frais relatifs à la conformité de l'employeur, téléversée avec l'offre "
        "(travail religieux ou de bienfaisance non rémunéré : EC1, R303.1(5))",
    ),
)


OPEN_PERMIT_EVIDENCE = (
    (
        "Copy of the worker's open work permit (verify conditions and expiry)",
        "Copie du permis de travail ouvert du travailleur (vérifier les conditions et l'expiration)",
    ),
)


# the day the CETA professionals' codes began (codes.yaml T43, T47): their checklists' parameters are those of that day
_CETA_FROM = date(2017, 9, 21)
# Evidence items renamed or merged since files were first uploaded against them, old English text -> the
# item that takes its place. The portal stores each uploaded file under its item's English text: such a
# file counts for the item that replaced it when that item is listed (``evidence_item_of``).
EVIDENCE_RENAMED: dict[str, str] = {
    # 2026.12.10: a professional's passport was listed twice, the general one and the agreement country's
    "Passport of the agreement country": PASSPORT_OF_THE_AGREEMENT[0],
    _PASSPORT[0]: PASSPORT_OF_THE_AGREEMENT[0],
    # 2026.12.10: a service supplier's employment agreement is the one the Canadian client signs (imp-rules.md
    # §3.2 "must sign the employment agreement with the worker"): listed once, the general item dropped
    _AGREEMENT[0]: CLIENT_AGREEMENT[0],
    # 2026.12.12-40: a new Canadian office (C61) is asked for the foreign enterprise's business and its own
    # incorporation, not for "both" doing business nor for T2 returns and a payroll account it cannot have
    # yet (rules/README.md item 53); a file uploaded against the old items counts for these in a C61 case
    # (in a C62 or C63 case the old items are still listed, and the file counts for them)
    BOTH_DOING_BUSINESS: FOREIGN_DOING_BUSINESS_EVIDENCE[0],
    ACTIVE_EVIDENCE[0]: INCORPORATION_EVIDENCE[0],
    # 2026.12.12-55: a self-employed independent professional (T43, F60) is asked for their own contract for
    # services with the client, not the enterprise's (rules/README.md item 65); a file uploaded against the old
    # item counts for it in such a case (in a T47 or T48 case the old item is still listed, and counts for it)
    SERVICE_CONTRACT_EVIDENCE[0]: IP_CONTRACT_EVIDENCE[0],
    # 2026.12.12-57: a self-employed independent professional (T43, F60) is asked for proof of their years of
    # experience in the sector, not of the service suppliers' 12 months of employment (rules/README.md item 68);
    # a file uploaded against the old item (its text as the checklist stored it: the parameters have not changed
    # since the CETA codes began) counts for it in such a case (in a T47 or T48 case the old item is still listed)
    param_text(SERVICE_QUALIFICATIONS[1][0], _CETA_FROM): param_text(IP_EXPERIENCE_EVIDENCE[0], _CETA_FROM),
}
# A general item a code's own item stands for, listed once as the code names it: the renamed items above,
# and the employment agreement, for which a self-employed independent professional, employed by no one, gives
# the contract for services (rules/README.md item 65)
_STANDS_FOR: dict[str, frozenset[str]] = {
    general: frozenset({own, *((IP_CONTRACT_EVIDENCE[0],) if general == _AGREEMENT[0] else ())})
    for general, own in EVIDENCE_RENAMED.items()
}
# the French of the old items, for a file still stored under one (shown as uploaded for it)
_RENAMED_EVIDENCE = (("Passport of the agreement country", "Passeport du pays de l'accord"),)


def evidence_item_of(item: str, listed: Collection[str]) -> str | None:
    """The checklist item a file uploaded for ``item`` counts for, among the ``listed`` ones (English
    texts): the item itself, else the one that replaced it, else None (no longer asked for)."""
    if item in listed:
        return item
    renamed = EVIDENCE_RENAMED.get(item)
    return renamed if renamed is not None and renamed in listed else None


@lru_cache(maxsize=8)
def _evidence_in_french(on: date) -> dict[str, str]:
    """Every evidence item the rules can ask for, English -> French, the parameters of ``on`` filled in."""
    every = (
        *_GENERAL_EVIDENCE,
        *_RENAMED_EVIDENCE,
        *_FEE_EXEMPT_EVIDENCE,
        *_TFWP_EVIDENCE,
        *OPEN_PERMIT_EVIDENCE,
        *NO_PERMIT_EVIDENCE,
        *(pair for rule in ALL_RULES.values() for pair in rule.evidence),
    )
    return {param_text(en, on): param_text(fr, on, "fr") for en, fr in every}


def evidence_in(text_en: str, lang: str, on: date) -> str:
    """An evidence item given in English (as a case's checklist and its uploads name it, the date's
    parameters filled in) in ``lang``; the English text when the rules do not know it."""
    return _evidence_in_french(on).get(text_en, text_en) if lang == "fr" else text_en


# evidence items a code asks for only from a day (English text -> the date parameter of that day): C11's funds
# from IRCC's update of 2025-05-27 (values.yaml c11_funds_required_from; rules/README.md item 44)
_EVIDENCE_FROM = {
    "Proof of support funds and of business funds with their lawful source": "c11_funds_required_from",
}


def _evidence(
    rule: CodeRule | None, route: str, employer_step: dict[str, Any], on: date
) -> tuple[tuple[str, str], ...]:
    if route == "TFWP":
        return _TFWP_EVIDENCE
    if rule is None:  # pending: the checklist comes with the code
        return _EMPTY
    gen: tuple[tuple[str, str], ...] = (
        _GENERAL_EVIDENCE if employer_step["kind"] != "none" else _GENERAL_EVIDENCE[:2]
    )
    if employer_step["kind"] == "offer, fee-exempt":
        gen += _FEE_EXEMPT_EVIDENCE
    own = {en for en, _fr in rule.evidence}
    # a general item the code names more precisely (the agreement country's passport, the employment
    # agreement the Canadian client signs) or that the code's own item stands for (a self-employed
    # professional's contract for services, for the employment agreement) is listed once, as the code names it
    gen = tuple(pair for pair in gen if not _STANDS_FOR.get(pair[0], frozenset()) & own)
    mine = tuple(
        pair
        for pair in rule.evidence
        if pair[0] not in _EVIDENCE_FROM or on >= value_at(_EVIDENCE_FROM[pair[0]], on)
    )
    return mine + gen


def self_employed(rule: CodeRule | None) -> bool:
    """The code is a self-employed independent professional's (T43, F60): engaged by a contract for services,
    which its checklist asks for, rather than employed."""
    return rule is not None and IP_CONTRACT_EVIDENCE in rule.evidence


@lru_cache(maxsize=64)
def _obligations(on: date, contract_for_services: bool = False) -> tuple[dict[str, Any], ...]:
    """The employer's conditions on ``on``; for a self-employed independent professional's code
    (``contract_for_services``), the contract for services takes the place of the employment agreement
    (obligations.yaml ``replaces``; rules/README.md item 68)."""
    replaced = {o["replaces"] for o in OBLIGATIONS if o.get("replaces")} if contract_for_services else set()
    return tuple(
        o
        for o in OBLIGATIONS
        if (o["effective_from"] is None or o["effective_from"] <= on)
        and o["id"] not in replaced
        and (contract_for_services or not o.get("replaces"))
    )


NO_PERMIT_EVIDENCE = (
    (
        "Proof of Canadian citizenship or permanent residence (Canadian passport, citizenship certificate "
        "or permanent resident card), kept with the hiring records",
        "Preuve de citoyenneté canadienne ou de résidence permanente (passeport canadien, certificat de "
        "citoyenneté ou carte de résident permanent), conservée au dossier d'embauche",
    ),
)


def _no_permit(facts: CaseFacts, c: Ctx, reason: str) -> Assessment:
    """A Canadian citizen or permanent resident: no work permit, so no code, fee or place of application."""
    source = params.source_url("irpa_s30")
    step = {"kind": "none", "fee_cad": 0, "payer": None, "reason": reason, "source": source}
    where: dict[str, Any] = {"place": None, "reason": "no_permit", "passport": None, "options": []}
    return Assessment(
        c.on,
        RULESET_VERSION,
        "no_permit",
        None,
        (),
        (),
        {},
        (),
        step,
        where,
        None,
        NO_PERMIT_EVIDENCE,
        _EMPTY,
        (),
        facts,
        {"reason": reason, "source": source},
    )


def _open_permit(facts: CaseFacts, c: Ctx, reason: str, spouse: SpouseRoute | None = None) -> Assessment:
    w = facts.worker
    end = c.job_end()
    if spouse is not None:
        # the worker applies for the permit as the principal's spouse: it runs no longer than the principal's
        # (imp-parameters.yaml durations: T45, F64, T53 "same validity as principal"; C41/C46 instructions)
        warnings = [warning("spouse_open_permit", c.on, code=spouse.code, principal=spouse.principal_code)]
        expiry = w.principal_permit_expiry
        if expiry is not None and end is not None and expiry < end:
            warnings.append(warning("spouse_permit_expiry", c.on, date=expiry.isoformat()))
    else:
        warnings = [warning("open_permit_verify", c.on)]
    if (
        reason == "open_permit"
        and w.current_permit_expiry is not None
        and end is not None
        and w.current_permit_expiry < end
    ):
        warnings.append(warning("open_permit_expiry", c.on, date=w.current_permit_expiry.isoformat()))
    step = {
        "kind": "none",
        "fee_cad": 0,
        "payer": None,
        "reason": reason,
        "source": params.source_url(spouse.source if spouse is not None else "general_processing"),
    }
    if spouse is not None:
        # the worker applies for the open permit: its holder fee (R303.2, imp-rules.md §4.1 "spousal OWPs")
        step["worker_fee_cad"] = c.v["open_work_permit_holder_fee"]
    if reason == "iec_working_holiday":
        # the worker applies for the open permit: its holder fee (R303.2) and the IEC participation fee
        # (§3.11, §4.1); an open permit already held was paid for when it was issued (imp-cases.md case 09)
        step["worker_fee_cad"] = c.v["open_work_permit_holder_fee"]
        step["iec_participation_fee_cad"] = c.v["iec_participation_fee"]
    where: dict[str, Any] = {
        "place": None,
        "reason": {"open_permit": "already_authorized", "spouse_open_permit": "spouse_applies"}.get(
            reason, "iec_online"
        ),
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
        OPEN_PERMIT_EVIDENCE,
        _EMPTY,
        tuple(warnings),
        facts,
        spouse.note(c)
        if spouse is not None
        else {
            "reason": reason,
            "permit_expiry": w.current_permit_expiry.isoformat() if w.current_permit_expiry else None,
        },
        # a Working Holiday permit from an arrangement whose day of taking effect is not established (Iceland, South
        # Korea's new arrangement) depends on that day, as C21 does (rules/README.md items 45, 48)
        to_verify=(verification("iec_partner_date", c.on),)
        if reason == "iec_working_holiday" and iec_date_unconfirmed(c)
        # a CPTPP spouse permit from a party whose day of joining is not established (PE, MY, CL, BN)
        else (verification("cptpp_party_date", c.on),)
        if spouse is not None
        and spouse.program == "cptpp"
        and c.w.principal_country in params.unconfirmed_members("cptpp_parties")
        else (),
    )
