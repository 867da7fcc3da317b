"""Facts in, assessment out: frozen dataclasses.

A missing fact is ``None``. A criterion that needs it is *unknown* and becomes a question, never a
silent "no". The fact dataclasses are generated from the field registry in ``rules/fields.py`` so
that validation, the JSON Schema, the questions and the dataclasses cannot drift apart; their
field names are the names documented in rules/README.md.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, make_dataclass
from dataclasses import fields as dc_fields
from datetime import date
from typing import TYPE_CHECKING, Any, NamedTuple, cast

from .decides import decides_text
from .fields import BY_PATH, EMPLOYMENT_FIELDS, FIELDS, SECTIONS, Field
from .kinds import KINDS, FactsError


def _make(name: str, prefix: str, specs: Iterable[Field]) -> type:
    fs = [(s.path[len(prefix) :], KINDS[s.kind].pytype | None, field(default=None)) for s in specs]
    cls = make_dataclass(name, fs, frozen=True, slots=True)
    cls.__module__ = __name__
    return cls


if TYPE_CHECKING:
    # What the type checker sees of the fact classes built from FIELDS at import time (below);
    # tests/rules/test_model_types.py checks that these declarations match FIELDS.
    @dataclass(frozen=True, slots=True)
    class Employment:
        employer_name: str | None = None
        country: str | None = None
        start_date: date | None = None
        end_date: date | None = None
        full_time: bool | None = None
        hours_per_week: float | None = None
        capacity: str | None = None
        with_foreign_enterprise: bool | None = None

    @dataclass(frozen=True, slots=True)
    class Employer:
        name: str | None = None
        kind: str | None = None
        province: str | None = None
        employees: int | None = None
        gross_revenue_cad: float | None = None
        actively_engaged: bool | None = None
        start_up: bool | None = None
        physical_premises: bool | None = None
        business_plan: bool | None = None
        staffing_plan: bool | None = None
        financial_capacity: bool | None = None
        ownership_by_nationality: dict[str, float] | None = None
        substantial_trade: bool | None = None
        trade_share_with_treaty_country_pct: float | None = None
        canada_council_funded: bool | None = None
        arts_reciprocity_letter: bool | None = None
        reciprocity_agreement: bool | None = None
        canadians_sent_abroad: int | None = None
        foreign_workers_received: int | None = None

    @dataclass(frozen=True, slots=True)
    class ForeignEnterprise:
        name: str | None = None
        country: str | None = None
        countries_of_operation: tuple[str, ...] | None = None
        relationship: str | None = None
        doing_business: bool | None = None
        establishment_in_canada: bool | None = None

    @dataclass(frozen=True, slots=True)
    class Position:
        title: str | None = None
        noc_code: str | None = None
        duties: str | None = None
        work_type: str | None = None
        capacity: str | None = None
        wage_hourly_cad: float | None = None
        hours_per_week: float | None = None
        prevailing_wage_hourly_cad: float | None = None
        paid: bool | None = None
        paid_by: str | None = None
        province: str | None = None
        city: str | None = None
        start_date: date | None = None
        end_date: date | None = None
        duration_months: float | None = None
        planned_total_months: float | None = None
        licence_required: bool | None = None
        service_sector: str | None = None
        fta_listed_occupation: bool | None = None
        significant_benefit: bool | None = None
        named_production: bool | None = None
        production_stage: str | None = None
        union_occupation: bool | None = None
        repair_kind: str | None = None
        oem_presence_in_canada: bool | None = None
        canadian_jobs_at_risk: bool | None = None
        arts_discipline: str | None = None
        residential_camp: bool | None = None
        internship_required_by_program: bool | None = None

    @dataclass(frozen=True, slots=True)
    class Worker:
        citizenships: tuple[str, ...] | None = None
        permanent_residences: tuple[str, ...] | None = None
        residence_country: str | None = None
        date_of_birth: date | None = None
        in_canada: bool | None = None
        current_permit_type: str | None = None
        current_permit_code: str | None = None
        current_permit_expiry: date | None = None
        principal_permit_code: str | None = None
        principal_country: str | None = None
        principal_noc_code: str | None = None
        principal_permit_expiry: date | None = None
        principal_pr_track: bool | None = None
        passport_expiry: date | None = None
        employment: tuple[Employment, ...] | None = None
        education_level: str | None = None
        education_field: str | None = None
        professional_licence: bool | None = None
        canadian_licence: bool | None = None
        profession: str | None = None
        experience_years: float | None = None
        french_nclc_speaking: int | None = None
        french_nclc_listening: int | None = None
        english_clb: int | None = None
        ownership_pct: float | None = None
        investment_substantial: bool | None = None
        self_employed: bool | None = None
        specialized_knowledge: bool | None = None
        retains_position_abroad: bool | None = None
        ict_months_used: float | None = None
        iec_category: str | None = None
        iec_invited: bool | None = None
        support_funds: bool | None = None
        business_funds: bool | None = None
        temporary_intent: bool | None = None
        provincial_business_candidate: bool | None = None
        eta_eligible: bool | None = None
        french_proof: str | None = None
        passport_country: str | None = None
        position_abroad_letter: bool | None = None

else:
    Employment = _make("Employment", "worker.employment[].", EMPLOYMENT_FIELDS)
    Employer = _make("Employer", "employer.", [f for f in FIELDS if f.path.startswith("employer.")])
    ForeignEnterprise = _make(
        "ForeignEnterprise",
        "foreign_enterprise.",
        [f for f in FIELDS if f.path.startswith("foreign_enterprise.")],
    )
    Position = _make("Position", "position.", [f for f in FIELDS if f.path.startswith("position.")])
    Worker = _make("Worker", "worker.", [f for f in FIELDS if f.path.startswith("worker.")])
Employment.__doc__ = "One employment record of the worker (abroad). end_date None = current job."
Employer.__doc__ = "The Canadian employer (or the service consumer that files the offer)."
ForeignEnterprise.__doc__ = "The foreign enterprise and its relationship to the Canadian employer."
Position.__doc__ = "The job in Canada."
Worker.__doc__ = "The foreign national."

_SECTION_CLS = {
    "employer": Employer,
    "foreign_enterprise": ForeignEnterprise,
    "position": Position,
    "worker": Worker,
}


@dataclass(frozen=True, slots=True)
class CaseFacts:
    employer: Employer = field(default_factory=Employer)
    foreign_enterprise: ForeignEnterprise = field(default_factory=ForeignEnterprise)
    position: Position = field(default_factory=Position)
    worker: Worker = field(default_factory=Worker)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict; only facts that are set (None facts are left out)."""
        out: dict[str, Any] = {}
        for sec in SECTIONS:
            obj = getattr(self, sec)
            d = {k: _dump(v) for k in _names(type(obj)) if (v := getattr(obj, k)) is not None}
            if d:
                out[sec] = d
        return out

    def get(self, path: str) -> Any:
        sec, _, name = path.partition(".")
        return getattr(getattr(self, sec), name)


_NAMES: dict[Any, tuple[str, ...]] = {}  # per class: dataclasses.fields() was a tenth of a book run's time
_NAME_SETS: dict[Any, frozenset[str]] = {}


def _names(cls: Any) -> tuple[str, ...]:
    names = _NAMES.get(cls)
    if names is None:
        names = _NAMES[cls] = tuple(f.name for f in dc_fields(cls))
    return names


def _name_set(cls: Any) -> frozenset[str]:
    names = _NAME_SETS.get(cls)
    if names is None:
        names = _NAME_SETS[cls] = frozenset(_names(cls))
    return names


def _dump(v: Any) -> Any:
    if isinstance(v, date):
        return v.isoformat()
    if isinstance(v, tuple):
        return [_dump(x) for x in v]
    if isinstance(v, dict):
        return {k: _dump(x) for k, x in v.items()}
    if isinstance(v, Employment):
        return {k: _dump(x) for k in _names(Employment) if (x := getattr(v, k)) is not None}
    return v


# --------------------------------------------------------------------------- parsing
def _value(spec: Field, value: Any, path: str) -> Any:
    return None if value is None else KINDS[spec.kind].parse(spec, value, path, _employment)


def _employment(rec: Any, where: str) -> Employment:
    """One record of the employment history (an Employment as it is, or a dict checked field by field)."""
    if isinstance(rec, Employment):
        return rec
    return cast(Employment, _section(Employment, "worker.employment[].", rec, where))


def _section(cls: Any, prefix: str, data: Any, where: str) -> Any:
    if not isinstance(data, dict):
        raise FactsError(where, f"expected an object, got {type(data).__name__}")
    names = _name_set(cls)
    kwargs = {}
    for key, value in data.items():
        if key not in names:
            raise FactsError(f"{where}.{key}", "unknown field")
        kwargs[key] = _value(BY_PATH[prefix + key], value, f"{where}.{key}")
    return cls(**kwargs)


def facts_from_dict(data: Any) -> CaseFacts:
    """Validate a plain dict (e.g. parsed JSON) and build CaseFacts.

    Raises FactsError naming the field, e.g.
    ``FactsError("position.noc_code: '99999' is not a NOC 2021 unit group")``."""
    if not isinstance(data, dict):
        raise FactsError("facts", f"expected an object, got {type(data).__name__}")
    kwargs = {}
    for key, value in data.items():
        if key not in _SECTION_CLS:
            raise FactsError(key, f"unknown field (expected one of: {', '.join(SECTIONS)})")
        kwargs[key] = _section(_SECTION_CLS[key], key + ".", {} if value is None else value, key)
    return CaseFacts(**kwargs)


# --------------------------------------------------------------------------- assessment
MET, NOT_MET, UNKNOWN = "met", "not_met", "unknown"


@dataclass(frozen=True, slots=True, eq=False)  # identity hash: criteria are memoized per assessment
class Criterion:
    """A rule a code needs. ``fn(ctx)`` returns True (met), False (not met) or None (unknown)."""

    id: str
    text_en: str
    text_fr: str
    reads: tuple[str, ...]
    regulation: str
    source: str
    fn: Any = None
    fix_en: str | None = None
    fix_fr: str | None = None

    def text(self, lang: str) -> str:
        return self.text_fr if lang == "fr" else self.text_en


@dataclass(frozen=True, slots=True)
class CriterionResult:
    criterion: Criterion
    status: str
    detail: dict[str, Any] | None = None


@dataclass(frozen=True, slots=True)
class CodeResult:
    code: str  # code emitted on as_of (legacy code before the renumbering)
    current_code: str  # today's code for the same situation
    legacy_code: str | None  # the pre-2022-12-15 code that maps to it, if any
    status: str
    criteria: tuple[CriterionResult, ...]
    candidate: bool  # False when a gate criterion (e.g. citizenship) failed


# a named tuple: built several times faster than a frozen dataclass (~9 per assessment)
class Question(NamedTuple):
    fact: str
    codes: tuple[str, ...]
    needed: bool = True  # its answer could change the route, the recommended code, the fee or the place
    opens: tuple[str, ...] = ()  # the codes (or "open_permit") it could make fit
    step: bool = False  # it decides the fee or the place of application of the (likely) code

    def to_dict(self, lang: str) -> dict[str, Any]:
        spec = BY_PATH[self.fact]
        return {
            "fact": self.fact,
            "question": spec.q_fr if lang == "fr" else spec.q_en,
            "needed": self.needed,
            "decides": decides_text(self.fact, self.opens, self.step, lang),
            "codes": list(self.codes),
        }


class Warning(NamedTuple):
    id: str
    text_en: str
    text_fr: str
    source: str | None = None
    values: dict[str, Any] | None = None  # the case's own values in the texts (rules.stored keeps them)
