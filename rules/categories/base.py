"""Building blocks for the criteria: the evaluation context and three-valued helpers.

A criterion function takes the context ``c`` and returns True (met), False (not met) or None
(unknown: a fact it needs is missing). Details (e.g. the date a rule will be met) go into
``c.details[criterion_id]``.
"""

from __future__ import annotations

import calendar
from collections.abc import Callable, Container, Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from .. import noc as _noc
from ..model import CaseFacts, Criterion
from ..params import CODES, CUSMA_PROFESSIONS, GATS_PROFESSIONS, NOC_TO_PROFESSION, is_full_time, values_on

EDU_RANK = {
    "none": 0,
    "secondary": 1,
    "post_secondary_1y": 2,
    "post_secondary_2y": 3,
    "post_secondary_3y": 4,
    "bachelor": 5,
    "master": 6,
    "doctorate": 7,
}
EXEC_MGR = frozenset({"executive", "manager"})


def C(
    id: str,
    en: str,
    fr: str,
    reads: tuple[Any, ...] | list[Any] | str,
    reg: str,
    src: str,
    fn: Callable[..., Any],
    fix_en: str | None = None,
    fix_fr: str | None = None,
) -> Criterion:
    if isinstance(reads, str):
        reads = (reads,)
    return Criterion(id, en, fr, tuple(reads), reg, src, fn, fix_en, fix_fr)


@dataclass(frozen=True, slots=True)
class CodeRule:
    code: str
    criteria: tuple[Criterion, ...]
    n_gate: int = 1  # the first n criteria decide whether the code is a candidate
    evidence: tuple[tuple[str, str], ...] = ()
    # The nationality list of the code when it is not its program's (the CPTPP categories, §8 item 2).
    citizens_key: str | None = None


def and3(*vals: bool | None) -> bool | None:
    """Three-valued and: False if any is False, else unknown (None) if any is unknown, else True."""
    return False if False in vals else None if None in vals else True


def not3(val: bool | None) -> bool | None:
    """Three-valued not: unknown (None) stays unknown."""
    return None if val is None else not val


def or3(*vals: bool | None) -> bool | None:
    """Three-valued or: True if any is True, else unknown (None) if any is unknown, else False."""
    return True if True in vals else None if None in vals else False


def ge(a: Any, b: Any) -> bool | None:
    if a is None or b is None:
        return None
    result: bool = a >= b
    return result


def le(a: Any, b: Any) -> bool | None:
    if a is None or b is None:
        return None
    result: bool = a <= b
    return result


def months_between(a: date, b: date) -> int:
    """Whole months from ``a`` to ``b`` (``b`` not counted: 2025-01-01 to 2026-01-01 is 12)."""
    m = (b.year - a.year) * 12 + (b.month - a.month)
    if b.day < a.day:
        m -= 1
    return m


def months_worked(start: date, last_day: date | None, on: date) -> int:
    """Whole months of a job from its first day to its last day, both worked (an employment record's
    ``end_date``): a job from 2025-01-01 to 2025-12-31 is a full year, 12 months. A job going on after
    ``on`` counts up to ``on`` (its months so far: one started on 2025-11-25 has its year on 2026-11-25)."""
    if last_day is None or last_day > on or last_day == date.max:
        return max(0, months_between(start, on))
    return max(0, months_between(start, last_day + timedelta(days=1)))


def add_months(d: date, n: int) -> date:
    """``d`` moved by ``n`` calendar months (the 31st to the month's last day); past the calendar's ends
    (a start typed as 9999) the last or the first day there is, never an error."""
    y, m = divmod(d.month - 1 + n, 12)
    y += d.year
    m += 1
    if y > date.max.year:
        return date.max
    if y < date.min.year:
        return date.min
    return date(y, m, min(d.day, calendar.monthrange(y, m)[1]))


def _norm(s: str) -> str:
    return "".join(ch if ch.isalnum() else "_" for ch in s.strip().lower()).strip("_")


def _words_match(typed: str, aliases: dict[str, str]) -> str:
    """The profession whose name's words (or key's) all appear in the typed title, the one with the most
    words when several do ("computer systems analyst" over a one-word name); "" when none does."""
    words = set(typed.split("_"))
    best, size = "", 0
    for alias, key in aliases.items():
        needed = set(alias.split("_")) - {""}
        if needed and needed <= words and len(needed) > size:
            best, size = key, len(needed)
    return best


def _alias_map(profs: dict[str, Any]) -> dict[str, str]:
    out = {}
    for key, p in profs.items():
        out[_norm(key)] = key
        out[_norm(p["name"])] = key
    return out


# The codes of an intra-company transferee's permit, current and former (C12 before 2022-12-15, ...): a
# worker in Canada on one asks for an extension, or to switch from C61 to C62/C63.
ICT_PERMIT_CODES = frozenset(
    {info.code for info in CODES.values() if info.ict}
    | {info.legacy for info in CODES.values() if info.ict and info.legacy}
)

_CUSMA_ALIASES = _alias_map(CUSMA_PROFESSIONS)
_GATS_ALIASES = _alias_map(GATS_PROFESSIONS)


class Ctx:
    """Per-assessment view of the facts with derived values computed once."""

    __slots__ = (
        "_cache",
        "cits",
        "details",
        "e",
        "edu",
        "f",
        "fe",
        "noc",
        "on",
        "p",
        "prs",
        "teer",
        "v",
        "w",
    )

    def __init__(self, facts: CaseFacts, on: date) -> None:
        self.f = facts
        self.on = on
        self.v = values_on(on)  # every parameter in force on ``on``, looked up once per date range
        self.e = facts.employer
        self.fe = facts.foreign_enterprise
        self.p = facts.position
        self.w = facts.worker
        w = self.w
        self.cits = frozenset(w.citizenships) if w.citizenships is not None else None
        self.prs = frozenset(w.permanent_residences) if w.permanent_residences is not None else None
        self.noc = self.p.noc_code
        self.teer = _noc.teer(self.noc)
        self.edu = EDU_RANK.get(w.education_level) if w.education_level is not None else None
        self.details: dict[str, Any] = {}
        self._cache: dict[
            str | tuple[str, bool, bool, bool, bool, bool], Any
        ] = {}  # fe_months keys, "specific_fit"

    # ---------------------------------------------------------------- nationality
    def citizen_of(self, key: str) -> bool | None:
        if self.cits is None:
            return None
        return not self.cits.isdisjoint(self.v[key])

    def citizen_or_pr_of(self, key: str) -> bool | None:
        allowed = self.v[key]
        if self.cits is not None and not self.cits.isdisjoint(allowed):
            return True
        if self.prs is not None and not self.prs.isdisjoint(allowed):
            return True
        if self.cits is None or self.prs is None:
            return None
        return False

    def eligible_citizenships(self, key: str) -> tuple[str, ...]:
        if self.cits is None:
            return ()
        allowed = self.v[key]
        # self.cits is None exactly when worker.citizenships is
        return tuple(c for c in self.w.citizenships if c in allowed)  # type: ignore[union-attr]

    # ---------------------------------------------------------------- position
    def teer_in(self, teers: Container[int]) -> bool | None:
        return None if self.teer is None else self.teer in teers

    def work_type_is(self, *kinds: str) -> bool | None:
        wt = self.p.work_type
        return None if wt is None else wt in kinds

    def capacity_in(self, caps: Container[str]) -> bool | None:
        cap = self.p.capacity
        return None if cap is None else cap in caps

    def duration_days(self) -> int | None:
        p = self.p
        if p.start_date is not None and p.end_date is not None:
            return (p.end_date - p.start_date).days + 1
        if p.duration_months is not None:
            return round(p.duration_months * 30)
        return None

    def first_day(self) -> date:
        """The job's first day as far as a permit or a passport must last: its start, or today when it has
        started already (or its start is not known)."""
        return max(self.on, self.p.start_date or self.on)

    def job_end(self) -> date | None:
        """The job's last day: its end date, else its start plus its length in months; None if unknown."""
        p = self.p
        if p.end_date is not None:
            return p.end_date
        if p.start_date is not None and p.duration_months is not None:
            return add_months(p.start_date, int(p.duration_months))
        return None

    def duration_months(self) -> float | None:
        """The job's length in months: as given, else from its dates in calendar months (the end date a
        day worked: 2027-09-01 to 2029-08-31 is 24 months, 29 February or not) plus the days left over as
        a fraction of an average month."""
        p = self.p
        if p.duration_months is not None:
            return p.duration_months
        if p.start_date is not None and p.end_date is not None:
            after = p.end_date + timedelta(days=1) if p.end_date < date.max else p.end_date
            whole = max(0, months_between(p.start_date, after))
            return whole + (after - add_months(p.start_date, whole)).days / 30.4375
        return None

    def wage_at_least_prevailing(self) -> bool | None:
        p = self.p
        return ge(p.wage_hourly_cad, p.prevailing_wage_hourly_cad)

    def licence_ok(self) -> bool | None:
        req = self.p.licence_required
        if req is False:
            return True
        if req is None:
            return None if self.w.canadian_licence is not True else True
        return self.w.canadian_licence

    # ---------------------------------------------------------------- worker
    def edu_at_least(self, level: str) -> bool | None:
        return None if self.edu is None else self.edu >= EDU_RANK[level]

    def exp_at_least(self, years: float) -> bool | None:
        return ge(self.w.experience_years, years)

    def profession_key(self, aliases: dict[str, str]) -> str | None:
        """Profession key in ``aliases``, "" if known not to be on the list, None if unknown.

        The profession is typed freely ("Civil Engineer", "ingénieure civile"): a name or key of the list
        as such; else the profession the job's NOC maps to (imp-rules.md §3.1: "titles may vary if duties
        are interchangeable, checked against NOC"), or "" when the NOC is one known to be off it; else a listed
        name all of whose words the title holds ("Senior mechanical engineer": engineer); else not on it."""
        prof = self.w.profession
        derived = NOC_TO_PROFESSION.get(self.noc) if self.noc is not None else None
        if prof is not None:
            typed = _norm(prof)
            if typed in aliases:
                return aliases[typed]
            if derived and derived in aliases:
                return aliases[derived]
            if self.noc in NOC_TO_PROFESSION and not derived:  # the job's NOC is known to be off the list
                return ""
            return _words_match(typed, aliases)
        if self.noc is not None and self.noc in NOC_TO_PROFESSION:
            return aliases.get(derived, "") if derived else ""
        return None

    def cusma_profession(self) -> str | None:
        return self.profession_key(_CUSMA_ALIASES)

    def gats_profession(self) -> str | None:
        return self.profession_key(_GATS_ALIASES)

    @staticmethod
    def profession_listed(key: str | None) -> bool | None:
        """The position is in a profession of an agreement's list (``key`` as ``cusma_profession`` gives
        it): True, False when it is in none (``""``), None while unknown."""
        return None if key is None else key != ""

    def credential_for(self, key: str | None, professions: Mapping[str, Any]) -> bool | None:
        """The worker holds a credential the listed profession ``key`` accepts (``professions[key]``);
        False for a profession off the list, None while the profession is unknown."""
        if not key:
            return None if key is None else False
        return self.credential(professions[key]["accepts"])

    def credential(self, accepts: Iterable[str]) -> bool | None:
        vals: list[bool | None] = []
        for tok in accepts:
            if tok == "bachelor":
                vals.append(self.edu_at_least("bachelor"))
            elif tok == "licence":
                vals.append(self.w.professional_licence)
            elif tok == "licenciatura":  # Mexico's first degree: a Mexican's bachelor-level degree only
                vals.append(
                    and3(self.edu_at_least("bachelor"), None if self.cits is None else "MX" in self.cits)
                )
            elif tok == "diploma_3y":
                vals.append(and3(self.edu_at_least("post_secondary_2y"), self.exp_at_least(3)))
            elif tok == "experience_5y":
                vals.append(self.exp_at_least(5))
            elif tok == "experience_3y":
                vals.append(self.exp_at_least(3))
            elif tok == "master":
                vals.append(self.edu_at_least("master"))
            elif tok == "master_10y":
                vals.append(and3(self.edu_at_least("master"), self.exp_at_least(10)))
            elif tok == "bachelor_4y":
                vals.append(and3(self.edu_at_least("bachelor"), self.exp_at_least(4)))
            elif tok == "bachelor_3y":
                vals.append(and3(self.edu_at_least("bachelor"), self.exp_at_least(3)))
            elif tok == "post_secondary_2y":
                vals.append(self.edu_at_least("post_secondary_2y"))
            elif tok == "doctorate":
                vals.append(self.edu_at_least("doctorate"))
        return or3(*vals)

    # ---------------------------------------------------------------- foreign enterprise
    def fe_country_in(self, key: str) -> bool | None:
        c = self.fe.country
        return None if c is None else c in self.v[key]

    def relationship_qualifies(self) -> bool | None:
        r = self.fe.relationship
        return None if r is None else r in self.v["ict_qualifying_relationships"]

    def holds_ict_permit(self) -> bool:
        """The worker is in Canada on an intra-company transferee's permit (``worker.current_permit_code``)."""
        code = self.w.current_permit_code
        return self.w.in_canada is True and code is not None and code.strip().upper() in ICT_PERMIT_CODES

    def _abroad_with_fe(self, r: Any) -> bool:
        return r.start_date is not None and r.country != "CA" and r.with_foreign_enterprise is not False

    def ict_application_day(self) -> date:
        """The day the ICT year is counted back from: the application's (``on``); for a worker in Canada on
        an ICT permit (an extension, or C61 to C62/C63), the initial application's (imp-rules.md §3.4 item
        2: "within the 3 years before the initial application"), taken as the last day of the last job
        abroad with the group — the transfer, when that job was still going on. A job abroad still going on
        today keeps ``on``."""
        emp = self.w.employment
        if not self.holds_ict_permit() or not emp:
            return self.on
        ends: list[date] = []
        for r in emp:
            if r.start_date is None or not self._abroad_with_fe(r) or r.start_date > self.on:
                continue
            if r.end_date is None or r.end_date >= self.on:
                return self.on
            ends.append(r.end_date)
        return max(ends) if ends else self.on

    def fe_months(
        self, *, full_time: bool, match_capacity: bool, window: bool, current_only: bool, abroad: bool = False
    ) -> tuple[int, int, date | None] | None:
        """Longest continuous stretch (months) with the foreign enterprise, as (confirmed, possible,
        current_start). ``possible`` also counts records whose flags are unknown. ``abroad``: a job
        recorded in Canada does not count (the ICT year is employment outside Canada), and the stretch and
        its window are read at the application's day (``ict_application_day``: the initial application's
        for a worker already in Canada on an ICT permit)."""
        key = ("fe", full_time, match_capacity, window, current_only, abroad)
        if key in self._cache:
            cached: tuple[int, int, date | None] | None = self._cache[key]
            return cached
        emp = self.w.employment
        if emp is None:
            self._cache[key] = None
            return None
        on = self.ict_application_day() if abroad else self.on
        lo = add_months(on, -self.v["ict_lookback_months"]) if window else date.min
        pos_cap = self.p.capacity

        def status(r: Any) -> bool | None:
            if abroad and r.country == "CA":
                return False
            flags: list[bool | None] = [r.with_foreign_enterprise]
            if full_time:
                flags.append(is_full_time(getattr(r, "hours_per_week", None), r.full_time, on))
            if match_capacity:
                if r.capacity is None or pos_cap is None:
                    flags.append(None)
                else:
                    flags.append(r.capacity == pos_cap or (r.capacity in EXEC_MGR and pos_cap in EXEC_MGR))
            return and3(*flags)

        def longest(include_unknown: bool) -> tuple[int, date | None]:
            # Each job as [first day, the day after its last] (a record's end date is a day worked, ``on``
            # included), or up to ``on`` for a job going on after it: back-to-back jobs (one ends on the
            # 31st, the next starts on the 1st) make one stretch; a job ending on the eve of ``on`` is not
            # current, one ending on ``on`` is.
            spans: list[tuple[date, date, bool]] = []  # (first day, end, going on at ``on``)
            for r in emp:
                if r.start_date is None:
                    continue
                st = status(r)
                if st is False or (st is None and not include_unknown):
                    continue
                going_on = r.end_date is None or r.end_date >= on
                ended = r.end_date is not None and r.end_date <= on and r.end_date < date.max
                end = r.end_date + timedelta(days=1) if ended and r.end_date is not None else on
                if end < r.start_date or r.start_date > on:
                    continue
                spans.append((r.start_date, end, going_on))
            spans.sort()
            merged: list[tuple[date, date, bool]] = []
            for s, e, going_on in spans:
                if merged and s <= merged[-1][1]:
                    first, last_end, last_going_on = merged[-1]
                    merged[-1] = (first, max(last_end, e), last_going_on or going_on)
                else:
                    merged.append((s, e, going_on))
            best: int = 0
            cur_start: date | None = None
            for s, e, current in merged:
                if current_only and not current:
                    continue
                s2 = max(s, lo)
                if e >= s2:
                    best = max(best, months_between(s2, e))
                if current:
                    cur_start = s
            return best, cur_start

        conf, cur_start = longest(False)
        poss, _ = longest(True)
        res = (conf, poss, cur_start)
        self._cache[key] = res
        return res

    def currently_with_fe(self) -> bool | None:
        """The worker works for the group now: a current job with the foreign enterprise, or, on an ICT
        permit in Canada, the current job in Canada (with the Canadian part of the group)."""
        emp = self.w.employment
        if emp is None:
            return None
        if self.holds_ict_permit():
            in_canada = [
                (r.start_date, r.end_date) for r in emp if r.country == "CA" and r.start_date is not None
            ]
            if any(start <= self.on and (end is None or end >= self.on) for start, end in in_canada if start):
                return True
            # The question asks for the employment history *abroad*: a transferee who answers it as asked leaves
            # out the job in Canada. The intra-company transferee's permit (employer-specific, with the Canadian
            # part of the group) is that job; only a job in Canada that is given and over says otherwise.
            if not in_canada:
                return True
        unknown = False
        for r in emp:
            cur = (
                r.start_date is not None
                and r.start_date <= self.on
                and (r.end_date is None or r.end_date >= self.on)
            )
            if r.start_date is None:
                unknown = unknown or r.with_foreign_enterprise is not False
                continue
            if cur:
                if r.with_foreign_enterprise is True:
                    return True
                if r.with_foreign_enterprise is None:
                    unknown = True
        return None if unknown else False

    def months_with_fe_check(self, cid: str, need: int, **kw: bool) -> bool | None:
        """At least ``need`` months with the foreign enterprise (``fe_months``). The criterion's detail is
        the count, met or not (``{"months", "needed"}``; ``met_on`` when a current stretch will reach it):
        the support letter states this count rather than counting again."""
        res = self.fe_months(**kw)
        if res is None:
            return None
        conf, poss, cur_start = res
        detail: dict[str, Any] = {"months": conf, "needed": need}
        self.details[cid] = detail
        if conf >= need:
            return True
        if poss >= need:
            return None
        if cur_start is not None:
            detail["met_on"] = add_months(cur_start, need).isoformat()
        return False

    def countries_of_operation(self, include_canada: bool) -> int | None:
        co = self.fe.countries_of_operation
        if co is None:
            return None
        s = set(co)
        if self.fe.country is not None:
            s.add(self.fe.country)
        s.discard("CA")
        n = len(s)
        if include_canada and self.e.actively_engaged is True and self.e.start_up is not True:
            n += 1
        return n

    def multinational(self) -> bool | None:
        """Operations in at least two countries, Canada counted once the Canadian enterprise is known to do
        business there (not a start-up): unknown while that answer alone could make the second country."""
        n = self.countries_of_operation(include_canada=False)
        if n is None:
            return None
        if n >= 2:
            return True
        if n == 0 or self.e.start_up is True or self.e.actively_engaged is False:
            return False
        return True if self.e.actively_engaged is True else None

    def ownership_pct_by(self, countries: Container[str]) -> float | None:
        own = self.e.ownership_by_nationality
        if own is None:
            return None
        return sum(v for k, v in own.items() if k in countries)
