"""Building blocks for the criteria: the evaluation context and three-valued helpers.

A criterion function takes the context ``c`` and returns True (met), False (not met) or None
(unknown: a fact it needs is missing). Details (e.g. the date a rule will be met) go into
``c.details[criterion_id]``.
"""

from __future__ import annotations

import calendar
from collections.abc import Callable, Container, Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from .. import noc as _noc
from ..model import CaseFacts, Criterion
from ..params import CUSMA_PROFESSIONS, GATS_PROFESSIONS, NOC_TO_PROFESSION, is_full_time, values_on

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
    m = (b.year - a.year) * 12 + (b.month - a.month)
    if b.day < a.day:
        m -= 1
    return m


def add_months(d: date, n: int) -> date:
    y, m = divmod(d.month - 1 + n, 12)
    y += d.year
    m += 1
    return date(y, m, min(d.day, calendar.monthrange(y, m)[1]))


def _norm(s: str) -> str:
    return "".join(ch if ch.isalnum() else "_" for ch in s.strip().lower()).strip("_")


def _alias_map(profs: dict[str, Any]) -> dict[str, str]:
    out = {}
    for key, p in profs.items():
        out[_norm(key)] = key
        out[_norm(p["name"])] = key
    return out


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

    def job_end(self) -> date | None:
        """The job's last day: its end date, else its start plus its length in months; None if unknown."""
        p = self.p
        if p.end_date is not None:
            return p.end_date
        if p.start_date is not None and p.duration_months is not None:
            return add_months(p.start_date, int(p.duration_months))
        return None

    def duration_months(self) -> float | None:
        p = self.p
        if p.duration_months is not None:
            return p.duration_months
        if p.start_date is not None and p.end_date is not None:
            return ((p.end_date - p.start_date).days + 1) / 30.4375
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
        """Profession key in ``aliases``, "" if known not to be on the list, None if unknown."""
        prof = self.w.profession
        if prof is not None:
            return aliases.get(_norm(prof), "")
        if self.noc is not None and self.noc in NOC_TO_PROFESSION:
            derived = NOC_TO_PROFESSION[self.noc]
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

    def fe_months(
        self, *, full_time: bool, match_capacity: bool, window: bool, current_only: bool, abroad: bool = False
    ) -> tuple[int, int, date | None] | None:
        """Longest continuous stretch (months) with the foreign enterprise, as (confirmed, possible,
        current_start). ``possible`` also counts records whose flags are unknown. ``abroad``: a job
        recorded in Canada does not count (the ICT year is employment outside Canada)."""
        key = ("fe", full_time, match_capacity, window, current_only, abroad)
        if key in self._cache:
            cached: tuple[int, int, date | None] | None = self._cache[key]
            return cached
        emp = self.w.employment
        if emp is None:
            self._cache[key] = None
            return None
        on = self.on
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
            spans: list[tuple[date, date]] = []
            for r in emp:
                if r.start_date is None:
                    continue
                st = status(r)
                if st is False or (st is None and not include_unknown):
                    continue
                end = r.end_date if r.end_date is not None and r.end_date < on else on
                if end < r.start_date or r.start_date > on:
                    continue
                spans.append((r.start_date, end))
            spans.sort()
            merged: list[list[date]] = []
            for s, e in spans:
                if merged and (s - merged[-1][1]).days <= 1:
                    merged[-1][1] = max(merged[-1][1], e)
                else:
                    merged.append([s, e])
            best: int = 0
            cur_start: date | None = None
            for s, e in merged:
                if current_only and e < on:
                    continue
                s2 = max(s, lo)
                if e >= s2:
                    best = max(best, months_between(s2, e))
                if e >= on:
                    cur_start = s
            return best, cur_start

        conf, cur_start = longest(False)
        poss, _ = longest(True)
        res = (conf, poss, cur_start)
        self._cache[key] = res
        return res

    def currently_with_fe(self) -> bool | None:
        emp = self.w.employment
        if emp is None:
            return None
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

    def ownership_pct_by(self, countries: Container[str]) -> float | None:
        own = self.e.ownership_by_nationality
        if own is None:
            return None
        return sum(v for k, v in own.items() if k in countries)
