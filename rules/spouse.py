"""Step 1 of the evaluation (rules/engine.py), the worker as a spouse: the spouse or common-law partner of a
foreign worker (the "principal") may get an open work permit of their own, with no employer step.

- A trade agreement's spouse permit (codes.yaml ``spouse_permits``): CETA T45 and CUKTCA F64 (T45 until
  2022-12-14) for the spouse of a transferee, CPTPP T53 depending on the principal's citizenship, Colombia
  T25, Korea F36 (T25 until 2022-12-14), CUFTA F73 (from 2024-07-01). The principal's code says which
  agreement; a code several agreements used before the renumbering (T21-T24, T44) needs the principal's
  country. CUSMA, Chile, Peru, Panama and GATS give none (imp-rules.md §3.1, §3.3).
- Otherwise C41 (R205(c)(ii)), the spouse of a worker in a skilled occupation (values.yaml ``c41_*``):
  TEER 0-3 and 6 months of authorization left; from 2025-01-21 TEER 0 or 1 (or a select TEER 2 or 3
  occupation, IRCC's list: not decided here) and 16 months left, unless the principal is transitioning to
  permanent residence.
- Otherwise C47 (R205(c)(ii)), the spouse of a worker in a TEER 4 or 5 occupation (values.yaml ``c47_*``): from
  2023-01-30 until 2025-01-20, and after it for the family of a worker transitioning to permanent residence.

Nothing here applies unless ``worker.principal_permit_code`` is given: a worker who is nobody's spouse is
never asked about a partner.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from . import noc
from .categories.base import Ctx, add_months
from .params import (
    PROGRAMS_OF_CODE,
    SPOUSE_PERMITS,
    TRADE_AGREEMENT_PROGRAMS,
    SpousePermit,
    kind_of_code,
    source_url,
)
from .place import NATIONALITY_PROGRAMS

# an answer that says the worker is no one's spouse (or the partner holds no permit)
NOT_A_SPOUSE = frozenset({"", "NONE", "NO", "NON", "AUCUN", "-"})
C41_SOURCE = "c41_c46"
C41_RESTRICTED_SOURCE = "family_owp_2025"
C47_SOURCE = "c47_c48"
# the answer worker.principal_permit_code takes for a partner's permit issued on an LMIA
LMIA_CODES = frozenset({"LMIA", "EIMT"})

_CODE, _PROGRAM, _REG = "code", "program", "regulation"


@dataclass(frozen=True, slots=True)
class SpouseRoute:
    """The open permit the worker applies for as the principal's spouse."""

    code: str  # the spouse's code on the assessment date (T45, F64, T53, T25, F36, F73, C41)
    program: str  # the agreement's program, or "c41"
    principal_code: str
    regulation: str
    source: str  # a key of sources.yaml
    label_en: str
    label_fr: str

    def note(self, c: Ctx) -> dict[str, Any]:
        """The assessment's open-permit note (``Assessment.open_permit``)."""
        w = c.w
        return {
            "reason": "spouse_open_permit",
            _CODE: self.code,
            _PROGRAM: self.program,
            "principal_code": self.principal_code,
            _REG: self.regulation,
            "label_en": self.label_en,
            "label_fr": self.label_fr,
            "source": source_url(self.source),
            "permit_expiry": w.principal_permit_expiry.isoformat() if w.principal_permit_expiry else None,
        }


# why the spouse route did not apply: (warning key, its values) for rules/warnings.py
Why = tuple[str, dict[str, Any]]


def principal_code(c: Ctx) -> str | None:
    """The principal's code as given (upper case), None when the worker is no one's spouse."""
    raw = c.w.principal_permit_code
    if raw is None:
        return None
    code = raw.strip().upper()
    return None if code in NOT_A_SPOUSE else code


def spouse_route(c: Ctx) -> tuple[SpouseRoute | None, tuple[str, ...], tuple[Why, ...]]:
    """The open permit the worker gets as the principal's spouse, else the facts that could still give one
    (asked), and why none applies (said in the warnings)."""
    code = principal_code(c)
    if code is None:
        return None, (), ()
    expiry = c.w.principal_permit_expiry
    if expiry is not None and expiry < c.first_day():
        # the spouse's permit runs no longer than the partner's: one ending before the job starts authorizes
        # nothing on its first day (IRPA s. 30(1), as for an open permit held: rules/engine.py step 1)
        return None, (), (("spouse_partner_permit_ends_first", {"date": expiry.isoformat()}),)
    route, waits, why = _agreement_route(code, c)
    if route is not None or waits:
        return route, waits, ()
    c41, c41_waits, c41_why = _c41_route(code, c)
    # why no agreement's permit applies is said once C41 is decided against too (while it waits, the questions)
    return c41, c41_waits, ((*why, *c41_why) if c41_why else ())


# --------------------------------------------------------------------------- trade agreements
def _countries(program: str, c: Ctx) -> frozenset[str]:
    key = NATIONALITY_PROGRAMS.get(program)
    return frozenset(c.v.get(key) or ()) if key else frozenset()


def _agreement_outcome(program: str, code: str, c: Ctx) -> tuple[str, SpousePermit | None, str | None]:
    """("fits", permit, emitted code) | ("waits", None, fact) | (why not, None, None) for one agreement."""
    sp = SPOUSE_PERMITS.get(program)
    if sp is None:
        return "spouse_agreement_none", None, None
    emitted = sp.emitted_on(c.on)
    if emitted is None:
        return "spouse_agreement_excludes", None, None
    if sp.principal_kinds is not None and kind_of_code(code, program) not in sp.principal_kinds:
        return "spouse_agreement_excludes", None, None
    if sp.principal_countries is not None:
        country = c.w.principal_country
        if country is None:
            return "waits", None, "worker.principal_country"
        if country not in _countries(program, c) or country not in sp.principal_countries:
            return "spouse_agreement_excludes", None, None
        codes = sp.principal_countries[country]
        if codes is not None and code not in codes:
            return "spouse_agreement_excludes", None, None
    return "fits", sp, emitted


def _agreement_route(code: str, c: Ctx) -> tuple[SpouseRoute | None, tuple[str, ...], tuple[Why, ...]]:
    programs = PROGRAMS_OF_CODE.get(code, frozenset()) & TRADE_AGREEMENT_PROGRAMS
    if not programs:
        return None, (), ()  # a code of no trade agreement (C62, LMIA ...): C41 decides
    country = c.w.principal_country
    if country is not None and len(programs) > 1:
        # a code several agreements used (T44 before the renumbering, T21-T24): the principal's country says which
        programs = frozenset(p for p in programs if country in _countries(p, c))
        if not programs:
            return None, (), ()
    outcomes = {p: _agreement_outcome(p, code, c) for p in sorted(programs)}
    fits = [(sp, emitted) for key, sp, emitted in outcomes.values() if key == "fits"]
    if len(outcomes) == 1 and fits:
        sp, emitted = fits[0]
        assert sp is not None and emitted is not None
        return SpouseRoute(emitted, sp.program, code, sp.reg, sp.source, sp.label_en, sp.label_fr), (), ()
    if fits or any(o[0] == "waits" for o in outcomes.values()):
        return None, ("worker.principal_country",), ()  # which agreement (or, CPTPP, which country) decides
    program = sorted(programs)[0]
    return None, (), ((outcomes[program][0], {"principal": code, "program": program}),)


# --------------------------------------------------------------------------- C41
def _teer(code: str | None) -> int | None:
    """The TEER of the principal's job (88888, the entrepreneurs' code, is TEER 0: C41/C46 instructions)."""
    return noc.teer(code)


def _c41_test(
    teers: frozenset[int],
    select: frozenset[int],
    months: int,
    c: Ctx,
    select_groups: frozenset[str] = frozenset(),
) -> tuple[bool | str | None, tuple[str, ...]]:
    """One version of the C41 test: True, False, "select" (a TEER 2 or 3 occupation that IRCC's list of select
    occupations may hold: not decided here) or None (unknown), with the facts it waits for. An occupation of
    ``select_groups`` (NOC 2021 major groups every TEER 2 or 3 occupation of which is on the list) is True."""
    w = c.w
    teer = _teer(w.principal_noc_code)
    t: bool | str | None = (
        None if teer is None else True if teer in teers else "select" if teer in select else False
    )
    if t == "select" and (w.principal_noc_code or "")[:2] in select_groups:
        t = True
    expiry = w.principal_permit_expiry
    m = None if expiry is None else expiry >= add_months(c.on, months)
    if t is False or m is False:
        return False, ()
    waits = tuple(
        p for p, v in (("worker.principal_noc_code", t), ("worker.principal_permit_expiry", m)) if v is None
    )
    if t == "select":
        return ("select" if m is True else None), waits
    return (True if not waits else None), waits


def _c41_route(code: str, c: Ctx) -> tuple[SpouseRoute | None, tuple[str, ...], tuple[Why, ...]]:
    v = c.v
    restricted = bool(v["c41_select_teers"])  # from 2025-01-21 (values.yaml)
    now, waits = _c41_test(
        v["c41_teers"],
        v["c41_select_teers"],
        v["c41_min_months_left"],
        c,
        frozenset(v["c41_select_noc_groups"]),
    )
    source = C41_RESTRICTED_SOURCE if restricted else C41_SOURCE
    if now is not True and restricted:
        pr_test, pr_waits = _c41_test(
            v["c41_pr_track_teers"], frozenset(), v["c41_pr_track_min_months_left"], c
        )
        pr = c.w.principal_pr_track
        if pr is True:
            now, waits, source = pr_test, pr_waits, C41_RESTRICTED_SOURCE
        elif pr is None and pr_test is not False and now in (False, "select"):
            # the known facts fail today's rule, and the earlier rule still applies to the family of a worker
            # transitioning to permanent residence: whether the partner is decides
            waits, now = (*pr_waits, "worker.principal_pr_track"), None
    if now is True:
        return SpouseRoute("C41", "c41", code, "R205(c)(ii)", source, _C41_LABEL[0], _C41_LABEL[1]), (), ()
    if now is None:
        return None, waits, ()
    c47, c47_waits, c47_why = _c47_route(code, c)
    if c47 is not None or c47_waits or c47_why:
        return c47, c47_waits, c47_why
    if now == "select":
        return None, (), (("c41_select_occupation", {"teer": _teer(c.w.principal_noc_code)}),)
    return None, (), (("c41_not_met", {}),)


def _c47_route(code: str, c: Ctx) -> tuple[SpouseRoute | None, tuple[str, ...], tuple[Why, ...]]:
    """C47 (R205(c)(ii)), the spouse of a worker in a TEER 4 or 5 occupation: from 2023-01-30 (IRCC's C47/C48
    instructions) until 2025-01-20; from 2025-01-21 only for the family of a worker transitioning to permanent
    residence (IRCC's update of 2025-02-03: "not subject to these changes"). A partner whose permit was issued
    on an LMIA is not decided: the instructions leave out the families of workers whose LMIA was in the Seasonal
    Agricultural Worker Program, the Agricultural Stream or the low-wage stream, and no fact gives the stream
    (said in the warning ``c47_lmia_stream``). rules/README.md item 66."""
    v = c.v
    if not v["c47_pr_track_teers"]:  # before 2023-01-30: none for the family of a TEER 4 or 5 worker
        return None, (), ()
    months = v["c47_min_months_left"]
    now, waits = _c41_test(v["c47_teers"], frozenset(), months, c)
    source = C47_SOURCE
    if now is not True and not v["c47_teers"]:  # from 2025-01-21: the worker transitioning to PR only
        pr_test, pr_waits = _c41_test(v["c47_pr_track_teers"], frozenset(), months, c)
        pr = c.w.principal_pr_track
        if pr is True:
            now, waits, source = pr_test, pr_waits, C41_RESTRICTED_SOURCE
        elif pr is None and pr_test is not False:
            now, waits = None, (*pr_waits, "worker.principal_pr_track")
    if now is True and code in LMIA_CODES:
        return None, (), (("c47_lmia_stream", {"teer": _teer(c.w.principal_noc_code)}),)
    if now is True:
        return SpouseRoute("C47", "c47", code, "R205(c)(ii)", source, _C47_LABEL[0], _C47_LABEL[1]), (), ()
    return None, (waits if now is None else ()), ()


_C41_LABEL = (
    "Spouses and common-law partners of workers in skilled occupations",
    "Époux et conjoints de fait de travailleurs exerçant une profession spécialisée",
)
_C47_LABEL = (
    "Spouses and common-law partners of workers in TEER 4 or 5 occupations",
    "Époux et conjoints de fait de travailleurs exerçant une profession de la FEER 4 ou 5",
)
