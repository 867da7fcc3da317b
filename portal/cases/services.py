"""Cases: a transferee in a role, assessed by the rules engine. Services flush; the caller commits.

Every save of a fact (role, transferee, group company, an answered question) re-assesses the
cases that use it, and stores the assessment snapshot with the rule-set version and the date
it was assessed as of.
"""

from __future__ import annotations

import math
from collections.abc import Collection
from dataclasses import dataclass
from datetime import date
from functools import cache
from typing import Any

from sqlalchemy import BindParameter, Integer, Select, bindparam, func, select
from sqlalchemy.orm import joinedload, selectinload
from werkzeug.datastructures import MultiDict

import rules
from portal import audit
from portal.cases import decision, lifecycle
from portal.cases import facts as facts_map
from portal.cases.answers import WIDGETS, NoneAndCountries
from portal.errors import ServiceError
from portal.extensions import db
from portal.messages import N_, Message
from portal.models import (
    Case,
    CaseStatus,
    Document,
    EmploymentRecord,
    ForeignEnterprise,
    Organization,
    Position,
    Transferee,
    User,
    list_options,
)
from portal.models._types import utcnow
from portal.models.case import stored_codes_fit
from portal.tenancy import TP, T, column, hold, scoped
from portal.validation import birth_date_problem, valid_id, work_date_problem
from rules.fields import BY_PATH


class CaseError(ServiceError):
    """A case, answer or code choice the rules refuse."""


class AnswersRefused(CaseError):
    """Some answers of a form cannot be stored; ``errors`` maps each fact (``_form`` for the form) to
    its message (``portal.errors.translate`` gives it in the reader's language). Nothing is stored."""

    def __init__(self, errors: dict[str, str]):
        super().__init__("; ".join(errors.values()))
        self.errors = errors


def _owned(org: Organization, model: type[T], object_id: object) -> T | None:
    try:
        wanted = int(str(object_id))
    except ValueError:
        return None
    if not valid_id(wanted):  # beyond the integer column: no such row (and no database error)
        return None
    return db.session.scalars(scoped(select(model), org).where(column(model, "id") == wanted)).first()


def beside_value(org: Organization, data: dict[str, Any]) -> str:
    """What a case form that offers to open a second case carries (its ``beside`` field): the person,
    the role and the newest of their cases it knew, "7-3-12" ("" when they have none)."""
    transferee = _owned(org, Transferee, data.get("transferee_id"))
    position = _owned(org, Position, data.get("position_id"))
    if transferee is None or position is None:
        return ""
    others = _cases_of(org.id, transferee.id, position.id)
    return f"{transferee.id}-{position.id}-{others[-1]}" if others else ""


def _newest_seen(beside: object, transferee: Transferee, position: Position) -> int | None:
    """The newest case the form knew of this person in this role (``beside_value``), else None."""
    parts = str(beside or "").split("-")
    if len(parts) != 3 or not all(part.isdigit() and len(part) <= 10 for part in parts):
        return None
    if (int(parts[0]), int(parts[1])) != (transferee.id, position.id):
        return None  # the form named another person or role when it offered the box
    return int(parts[2])


def create_case(org: Organization, data: dict[str, Any], *, actor: User, on: date) -> Case:
    transferee = _owned(org, Transferee, data.get("transferee_id"))
    position = _owned(org, Position, data.get("position_id"))
    if transferee is None:
        raise CaseError(N_("Choose one of your transferees."), "transferee_id")
    if position is None:
        raise CaseError(N_("Choose one of your roles."), "position_id")
    enterprise = None
    if data.get("foreign_enterprise_id"):
        enterprise = _owned(org, ForeignEnterprise, data["foreign_enterprise_id"])
        if enterprise is None:
            raise CaseError(N_("Choose one of your group companies."), "foreign_enterprise_id")
    hold(org)  # a second request at once (a double click) waits for this one's commit, then sees it
    others = _cases_of(org.id, transferee.id, position.id)
    if data.get("again"):
        # "open a second one" sent twice (a double click on the box's form): the page that offered the box
        # named the newest case it knew (``beside``); a case newer than it is the one the first click
        # opened, and the second click leads to it instead of opening a third
        seen = _newest_seen(data.get("beside"), transferee, position)
        newer = [i for i in others if seen is not None and i > seen]
        if newer:
            opened = db.session.get(Case, newer[-1])
            if opened is not None:
                return opened
    elif others:  # a second case of one person in one role is opened on purpose only
        raise CaseError(
            N_(
                "%(name)s already has a case for this role (case %(ids)s): continue it from the case list, "
                "or tick the box to open a second one (a new assignment, a renewal).",
                name=transferee.full_name,
                ids=", ".join(str(i) for i in others),
            ),
            "again",
        )
    case = Case(
        organization_id=org.id,
        transferee=transferee,
        position=position,
        foreign_enterprise=enterprise,
        answers={},
    )
    db.session.add(case)
    db.session.flush()
    assess_case(case, org, on=on)
    audit.record(
        "case.created",
        actor=actor,
        organization=org,
        obj=case,
        data={"transferee_id": transferee.id, "position_id": position.id},
    )
    return case


_READ = object()


def stored_assessment(assessment: rules.Assessment) -> dict[str, Any]:
    """The assessment as a case stores it: its language-neutral form (``rules.stored_form``: the outcome,
    each criterion's value, the questions' facts, the warnings' ids and values; a few kB, no text).
    ``Case.assessment_in(lang)`` renders it with the rules' texts."""
    return rules.stored_form(assessment)


def assess_case(
    case: Case,
    org: Organization,
    *,
    on: date,
    record_stage: bool = True,
    previous_codes_fit: Any = _READ,
) -> rules.Assessment:
    """Run the rules engine on the case's facts and store the snapshot on the case. ``record_stage``
    False: the caller records the stages of many cases at once (``lifecycle.record_stages_of``);
    ``previous_codes_fit``: the stored codes_fit when the caller loaded it without the whole snapshot."""
    raw = facts_map.facts_dict(case, org)
    facts = rules.facts_from_dict(raw)
    assessment = rules.assess(facts, as_of=on)
    codes_fit = list(assessment.codes_fit)
    if previous_codes_fit is _READ:
        previous_codes_fit = stored_codes_fit(case.assessment)
    before = (case.route, case.recommended_code, case.open_questions, previous_codes_fit)
    case.assessment = stored_assessment(assessment)
    case.facts_snapshot = facts.to_dict()
    case.ruleset_version = assessment.ruleset_version
    case.assessed_as_of = on
    case.assessed_at = utcnow()
    case.route = assessment.route
    case.recommended_code = assessment.recommended
    case.open_questions = len(assessment.needed_questions)  # optional ones could only add another code
    case.likely_code, case.ict_blocked = decision.stored_columns(case.assessment)
    if (
        case.chosen_code
        and case.chosen_code not in codes_fit
        and case.status in (CaseStatus.DRAFT, CaseStatus.READY)
    ):  # the code the employer chose no longer fits: back to the recommendation (a filed code stays)
        case.chosen_code = None
    if before != (case.route, case.recommended_code, case.open_questions, codes_fit):
        audit.record(
            "case.assessed",
            actor=None,
            organization=org,
            obj=case,
            data={
                "route": case.route,
                "recommended": case.recommended_code,
                "codes_fit": codes_fit,
                "open_questions": case.open_questions,
                "ruleset_version": case.ruleset_version,
                "as_of": on.isoformat(),
            },
        )
    if (
        case.status == CaseStatus.DRAFT
        and assessment.route in lifecycle.DOCUMENT_ROUTES
        and assessment.complete
    ):
        case.status = CaseStatus.READY
    elif case.status == CaseStatus.READY and (
        not assessment.complete or assessment.route not in lifecycle.DOCUMENT_ROUTES
    ):
        case.status = CaseStatus.DRAFT
    if record_stage:
        lifecycle.record_stage(case, org, actor=None, on=on)
    return assessment


def reassess_related(
    org: Organization,
    *,
    position: Position | None = None,
    transferee: Transferee | None = None,
    enterprise: ForeignEnterprise | None = None,
    transferees: Collection[Transferee] = (),
    on: date,
) -> list[Case]:
    """Re-assess every case that uses a row whose facts just changed; ``transferees``: the cases of many
    people (an import), loaded with what their facts read in a few queries, their stages recorded at
    once."""
    if transferees:
        cases = list(
            db.session.scalars(
                scoped(select(Case), org)
                .where(Case.transferee_id.in_(sorted({t.id for t in transferees})))
                .order_by(Case.id)
                .options(
                    selectinload(Case.position),
                    selectinload(Case.foreign_enterprise),
                    selectinload(Case.transferee)
                    .selectinload(Transferee.employment)
                    .selectinload(EmploymentRecord.foreign_enterprise),
                )
            )
        )
        for case in cases:
            assess_case(case, org, on=on, record_stage=False)
        lifecycle.record_stages_of(cases, org, actor=None, on=on)
        return cases
    query = scoped(select(Case), org)
    if position is not None:
        query = query.where(Case.position_id == position.id)
    elif transferee is not None:
        query = query.where(Case.transferee_id == transferee.id)
    elif enterprise is None:
        pass  # the organization itself changed: every case
    cases = list(db.session.scalars(query))
    if enterprise is not None:
        cases = [c for c in cases if (facts_map.enterprise_for(c) or c.foreign_enterprise) is enterprise]
    for case in cases:
        assess_case(case, org, on=on)
    return cases


def parse_answer(path: str, raw: str | list[str] | None) -> Any:
    """A form value for a fact, in the type the rules engine expects; raises CaseError with a message."""
    spec = BY_PATH.get(path)
    widget = WIDGETS[spec.kind] if spec is not None else None
    if widget is None or widget.read is None:
        raise CaseError(N_("This question is answered on the transferee's page."), path)
    if raw is None or raw == "" or raw == []:
        return None
    try:
        return widget.read(raw)
    except NoneAndCountries:
        raise CaseError(N_("Choose countries or “None”, not both."), path) from None
    except (KeyError, ValueError) as exc:
        raise CaseError(_unreadable(spec.kind if spec is not None else ""), path) from exc


def _unreadable(kind: str) -> Message:
    """What an answer of ``kind`` that cannot be read should look like."""
    if kind in ("int", "number"):
        return N_("Enter a number.")
    if kind == "pct_map":
        return N_("Each share is a country code and a percent between 0 and 100 (US:60, CA:40).")
    if kind == "date":
        return N_("Enter a date as YYYY-MM-DD.")
    return N_("This answer is not in the expected form.")


def answer_questions(
    case: Case,
    org: Organization,
    answers: dict[str, Any],
    *,
    actor: User,
    on: date,
    replaced: Collection[str] = (),
) -> None:
    """Validate every answer with the rules engine first; store them all or none; re-assess.

    ``replaced``: facts answered before whose answer is changed or, when their value here is None,
    cleared (the fact is unknown again). Their old answer is removed wherever it sits first, so an
    older copy on the case cannot outlive the new one."""
    section_values: dict[str, dict[str, Any]] = {}
    for path, value in answers.items():
        if value is None:
            continue
        section, _sep, name = path.partition(".")
        section_values.setdefault(section, {})[name] = value.isoformat() if isinstance(value, date) else value
    cleared = [p for p in replaced if answers.get(p) is None]
    if not section_values and not cleared:
        raise CaseError(N_("Answer at least one question."))
    try:
        rules.facts_from_dict(section_values)
    except rules.FactsError as exc:
        raise CaseError(exc.message, exc.field) from exc
    owners = {kind for p in replaced if (kind := facts_map.clear_answer(case, org, p)) is not None}
    owners |= {
        facts_map.store_answer(case, org, path, value) for path, value in answers.items() if value is not None
    }
    db.session.flush()
    data: dict[str, Any] = {
        p: (v.isoformat() if isinstance(v, date) else v) for p, v in answers.items() if v is not None
    }
    data.update(dict.fromkeys(cleared))  # a cleared answer is recorded as None
    audit.record("case.answered", actor=actor, organization=org, obj=case, data=data)
    # The answer lives on the row that owns the fact, shared with other cases: re-assess them too.
    if "organization" in owners:
        reassess_related(org, on=on)  # every case of the employer
    else:
        if "enterprise" in owners:
            reassess_related(org, enterprise=facts_map.enterprise_for(case), on=on)
        if "position" in owners:
            reassess_related(org, position=case.position, on=on)
        if "transferee" in owners:
            reassess_related(org, transferee=case.transferee, on=on)
        assess_case(case, org, on=on)


def choose_code(case: Case, org: Organization, code: str | None, *, actor: User) -> Case:
    """File under another code that fits (e.g. C62 rather than T37), or back to the recommendation."""
    if case.offer_number:  # what was filed keeps its code (compliance.services.record_submission pins it)
        raise CaseError(
            N_(
                "The offer %(offer)s is filed under %(code)s: that does not change. Filing under another code needs a new offer of employment.",
                offer=case.offer_number,
                code=case.filing_code or "",
            ),
            "code",
        )
    fitting = stored_codes_fit(case.assessment)
    if code and code not in fitting:
        raise CaseError(N_("Choose one of the codes that fit this case."), "code")
    old = case.chosen_code
    case.chosen_code = None if code in (None, "", case.recommended_code) else code
    audit.record(
        "case.code_chosen",
        actor=actor,
        organization=org,
        obj=case,
        data={"from": old, "to": case.chosen_code, "recommended": case.recommended_code},
    )
    return case


def open_question_values(case: Case, form: MultiDict[str, str]) -> dict[str, Any]:
    """The values a form sent for the case's open questions (lists for multi-country facts)."""
    paths = [q["fact"] for q in case.assessment_in("en").get("questions", [])]
    widgets = {p: WIDGETS[BY_PATH[p].kind] for p in paths if p in BY_PATH}
    return {
        p: (form.getlist(p) if widget.multiple else form.get(p))
        for p, widget in widgets.items()
        if widget.read is not None
    }


def given_answer_values(case: Case, org: Organization, form: MultiDict[str, str]) -> dict[str, Any]:
    """The values a form sent for answers given before (``facts_map.given_answers``): a fact the form
    names (its field, or a ``given`` field naming it, which a multiple choice left empty needs) is
    changed, an empty value clears it; a fact the form does not name is left as it is."""
    named = set(form.keys()) | set(form.getlist("given"))
    out: dict[str, Any] = {}
    for path in facts_map.given_answers(case, org):
        spec = BY_PATH.get(path)
        widget = WIDGETS[spec.kind] if spec is not None else None
        if path not in named or widget is None or widget.read is None:
            continue
        out[path] = form.getlist(path) if widget.multiple else form.get(path, "")
    return out


@dataclass(frozen=True)
class GivenAnswer:
    """An answer given before, as the case page shows it: the fact, its stored value (shown in words by
    ``labels.fact_value``) and the same value as its input sends it."""

    path: str
    value: Any
    form_value: str | list[str]


def _form_value(value: Any) -> str | list[str]:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        return [str(v) for v in value] or ["NONE"]  # an explicit "none" of a list of countries
    if isinstance(value, dict):
        return ", ".join(f"{k}:{v:g}" if isinstance(v, int | float) else f"{k}:{v}" for k, v in value.items())
    return "" if value is None else str(value)


def given_answers(case: Case, org: Organization) -> list[GivenAnswer]:
    """The answers given through the case's questions that can be changed on the case page (those with
    no field of their own on another page), in the registry's order."""
    shown = []
    for path, value in facts_map.given_answers(case, org).items():
        spec = BY_PATH.get(path)
        if spec is not None and WIDGETS[spec.kind].read is not None:
            shown.append(GivenAnswer(path, value, _form_value(value)))
    return shown


def _bounds_message(path: str) -> str:
    """What a number of the fact must be, in the words of the portal's forms ("Between 1 and 168.")."""
    spec = BY_PATH[path]
    low = None if spec.minimum is None else f"{spec.minimum:g}"
    high = None if spec.maximum is None else f"{spec.maximum:g}"
    if low is not None and high is not None:
        return N_("Between %(low)s and %(high)s.", low=low, high=high)
    if low is not None:
        return N_("%(low)s or more.", low=low)
    if high is not None:
        return N_("%(high)s or less.", high=high)
    return N_("Enter a number.")


def same_person_and_role(case: Case) -> list[int]:
    """The ids of the organization's other cases of the same person in the same role, oldest first."""
    return [i for i in _cases_of(case.organization_id, case.transferee_id, case.position_id) if i != case.id]


def _cases_of(org_id: int, transferee_id: int, position_id: int) -> list[int]:
    """The ids of the organization's cases of this person in this role, oldest first."""
    return list(
        db.session.scalars(
            select(Case.id)
            .where(
                Case.organization_id == org_id,
                Case.transferee_id == transferee_id,
                Case.position_id == position_id,
            )
            .order_by(Case.id)
        )
    )


# the shares of a percent-per-country answer add up to at most this: one whole, typed rounded
PCT_TOTAL_MAX = 100.5


# The largest number an answer on the case page may be: the largest any form of the portal takes (an
# employer's gross annual revenue); no count, year or percent of a case comes near it.
ANSWER_NUMBER_LIMIT = 10**13

# Numbers the rules bound below only, bounded here by what a person can have: "1e9" years of experience
# was saved from the case page and the case re-assessed on it (tour). A working life is under 80 years; a
# role's duration is at most 120 months, as the role form takes it, and so are the whole stay planned and the
# months already spent on intra-company transfer permits (the longest ICT cap is 7 years); a week has 168 hours.
ANSWER_MAXIMUM = {
    "worker.experience_years": 80,
    "position.duration_months": 120,
    "position.planned_total_months": 120,
    "worker.ict_months_used": 120,
    "position.hours_per_week": 168,
}


def refusal(path: str, value: Any) -> str | None:
    """Why the rules engine refuses ``value`` for the fact at ``path`` on its own, as a message for the
    form (None: accepted). Each answer is checked alone, so every bad one of a form is named at once."""
    if value is None:
        return None
    kind = BY_PATH[path].kind if path in BY_PATH else ""
    if (
        kind in ("int", "number")
        and isinstance(value, (int, float))
        and not isinstance(value, bool)
        and abs(value) > ANSWER_NUMBER_LIMIT  # "1e999" (infinite) too
    ):
        # the rules bound some counts below only: 26 nines were saved, and every case page of the
        # employer answered 500 (Babel could not write the number); 400 digits overflowed the check
        return N_("This number is too large.")
    if (
        path in ANSWER_MAXIMUM
        and isinstance(value, (int, float))
        and not isinstance(value, bool)
        and value > ANSWER_MAXIMUM[path]
    ):
        low = BY_PATH[path].minimum
        return N_("Between %(low)s and %(high)s.", low=f"{low or 0:g}", high=f"{ANSWER_MAXIMUM[path]:g}")
    section, _sep, name = path.partition(".")
    try:
        rules.facts_from_dict({section: {name: value.isoformat() if isinstance(value, date) else value}})
    except rules.FactsError:
        if kind in ("int", "number"):
            if isinstance(value, float) and math.isnan(value):  # "nan" reads as a float but is no number
                return N_("Enter a number.")
            if isinstance(value, float) and value == math.inf:  # "1e999": no bound makes it right
                return N_("This number is too large.")
            return _bounds_message(path)
        if kind == "pct_map":
            return N_("Each share is a country code and a percent between 0 and 100 (US:60, CA:40).")
        return N_("This answer is not in the expected form.")
    # shares of one whole (60 + 40, never 90 + 90), typed rounded (33.4 + 33.3 + 33.4) accepted; checked
    # on the way in only: the rules take a stored answer as it is, so an old one never stops a re-assessment
    spec = BY_PATH.get(path)
    if (
        spec is not None
        and spec.kind == "pct_map"
        and isinstance(value, dict)
        and sum(v for v in value.values() if isinstance(v, (int, float))) > PCT_TOTAL_MAX
    ):
        return N_("The shares add up to more than 100%: give each country's share of the whole.")
    return None


def answer_from_form(
    case: Case,
    org: Organization,
    raw: dict[str, Any],
    *,
    actor: User,
    on: date,
    given: Collection[str] = (),
) -> None:
    """Parse and check every answer, then store them all or none (``AnswersRefused`` names each refused
    one). ``given``: facts answered before that the form changes (an empty value clears them)."""
    parsed, errors = {}, {}
    for path, value in raw.items():
        try:
            parsed[path] = parse_answer(path, value)
        except CaseError as exc:
            errors[path] = exc.message
            continue
        message = refusal(path, parsed[path])
        # the forms' bounds on dates hold here too (a date of birth is stored on the transferee's page)
        if message is None and isinstance(parsed[path], date):
            check = birth_date_problem if path == "worker.date_of_birth" else work_date_problem
            message = check(parsed[path], on)
        if message is not None:
            errors[path] = message
    if errors:
        raise AnswersRefused(errors)
    try:
        answer_questions(case, org, parsed, actor=actor, on=on, replaced=[p for p in given if p in parsed])
    except CaseError as exc:
        raise AnswersRefused({exc.field or "_form": exc.message}) from exc


def _filtered(
    query: Select[TP],
    *,
    status: str | None = None,
    code: str | None = None,
    open_questions: bool | None = None,
    case_ids: frozenset[int] | None = None,
) -> Select[TP]:
    if case_ids is not None:  # a consultant whose engagement is limited to some cases
        query = query.where(Case.id.in_(case_ids))
    if status:
        query = query.where(Case.status == status)
    if code == "TFWP":
        query = query.where(Case.route == "TFWP")
    elif code == "PENDING":  # "Needs answers": no code fits yet, one still could
        query = query.where(Case.route == "pending")
    elif code:
        query = query.where(Case.recommended_code == code)
    if open_questions is True:
        query = query.where(Case.open_questions > 0)
    elif open_questions is False:
        query = query.where(Case.open_questions == 0)
    return query


LIST_ORDER = (Case.updated_at.desc(), Case.id.desc())


def list_cases(
    org: Organization,
    *,
    status: str | None = None,
    code: str | None = None,
    open_questions: bool | None = None,
    case_ids: frozenset[int] | None = None,
    limit: int | None = None,
    offset: int = 0,
) -> list[Case]:
    query = _filtered(
        scoped(select(Case), org), status=status, code=code, open_questions=open_questions, case_ids=case_ids
    )
    # Its callers show the person's name and the role's title: not their JSON facts, nor the case's
    # assessment JSON (list_options).
    query = query.options(
        joinedload(Case.transferee).load_only(Transferee.given_names, Transferee.family_name),
        joinedload(Case.position).load_only(Position.title, Position.noc_code),
        *list_options(),
    )
    query = query.order_by(*LIST_ORDER).offset(offset).limit(limit)
    return list(db.session.scalars(query).unique())


@dataclass(frozen=True)
class CaseRow:
    """What a line of the case list (and a case on the dashboard) shows of a case, and what its stage is
    derived from: columns read as they are (no ORM object, nothing deferred, no JSON)."""

    id: int
    organization_id: int
    route: str | None
    open_questions: int
    offer_number: str | None
    permit_issued_on: date | None
    first_day_on: date | None
    permit_expiry_on: date | None
    chosen_code: str | None
    recommended_code: str | None
    likely_code: str | None
    ict_blocked: bool | None
    assessed_as_of: date | None
    transferee_name: str
    position_title: str
    noc_code: str | None
    planned_start: date | None

    @property
    def filing_code(self) -> str | None:
        """The code the case is filed under (``Case.filing_code``)."""
        return self.chosen_code or self.recommended_code


@dataclass
class CasePage:
    """One page of the case list: its cases with their stages, and where it sits in the whole list."""

    cases: list[CaseRow]
    stages: dict[int, lifecycle.CaseStage]
    total: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


# The columns ``lifecycle.derive`` reads: the stage filter derives every case's stage from these alone.
_STAGE_COLUMNS = (
    Case.id,
    Case.route,
    Case.open_questions,
    Case.offer_number,
    Case.permit_issued_on,
    Case.first_day_on,
    Case.permit_expiry_on,
)
# A line of the list (a case on the dashboard too, ``case_row``): the stage's columns, the organization,
# the codes and date shown, the person's name and the role.
ROW_COLUMNS = (
    *_STAGE_COLUMNS,
    Case.organization_id,
    Case.chosen_code,
    Case.recommended_code,
    Case.likely_code,
    Case.ict_blocked,
    Case.assessed_as_of,
    Transferee.given_names,
    Transferee.family_name,
    Position.title,
    Position.noc_code,
    Position.start_date,
)


def _rows_query(org_id: int | BindParameter[int], **filters: Any) -> Select[Any]:
    """The organization's cases (filtered) as list lines, newest change first."""
    return _filtered(
        select(*ROW_COLUMNS)
        .join(Transferee, Case.transferee_id == Transferee.id)
        .join(Position, Case.position_id == Position.id)
        .where(Case.organization_id == org_id),
        **filters,
    ).order_by(*LIST_ORDER)


@cache
def _unfiltered_page() -> Select[Any]:
    """The lines of an organization bound as ``org_id``: the list as it opens, built once."""
    return _rows_query(bindparam("org_id", type_=Integer))


def case_row(row: Any) -> CaseRow:
    """A row of ``ROW_COLUMNS`` (joined with the transferee and the position) as a ``CaseRow``."""
    return CaseRow(
        id=row.id,
        organization_id=row.organization_id,
        route=row.route,
        open_questions=row.open_questions,
        offer_number=row.offer_number,
        permit_issued_on=row.permit_issued_on,
        first_day_on=row.first_day_on,
        permit_expiry_on=row.permit_expiry_on,
        chosen_code=row.chosen_code,
        recommended_code=row.recommended_code,
        likely_code=row.likely_code,
        ict_blocked=row.ict_blocked,
        assessed_as_of=row.assessed_as_of,
        transferee_name=Transferee.name_of(row.given_names, row.family_name),
        position_title=row.title,
        noc_code=row.noc_code,
        planned_start=row.start_date,
    )


def case_page(
    org: Organization,
    *,
    on: date,
    page: int = 1,
    per_page: int = 50,
    stage: str | None = None,
    status: str | None = None,
    code: str | None = None,
    open_questions: bool | None = None,
    case_ids: frozenset[int] | None = None,
) -> CasePage:
    """A page of the organization's cases, filtered, newest change first, in a fixed number of queries.

    The column filters run in SQL with LIMIT/OFFSET and a COUNT; a stage filter (a stage is derived,
    not stored) first derives the stage of every matching case from a few columns and the latest
    packets (no JSON, no joined rows), then loads only the page's cases."""
    filters: dict[str, Any] = {
        "status": status,
        "code": code,
        "open_questions": open_questions,
        "case_ids": case_ids,
    }
    page = max(1, page)
    offset = (page - 1) * per_page
    if stage is None:
        # The page's lines (the LIMIT stops the scan of the list's order early: the cost stays flat
        # however many cases there are) and, in a statement of its own, how many match. A window count
        # beside each line would read and join every matching case before the LIMIT: the list at 10,000
        # cases then took 2.1x its time at 100 (bench/portal_bench.py part 2; target 2x).
        if all(value is None for value in filters.values()):
            lines, params = _unfiltered_page(), {"org_id": org.id}
        else:
            lines, params = _rows_query(org.id, **filters), {}
        cases = [case_row(row) for row in db.session.execute(lines.offset(offset).limit(per_page), params)]
        total = (
            db.session.scalar(
                _filtered(select(func.count(Case.id)).where(Case.organization_id == org.id), **filters)
            )
            or 0
        )
        return CasePage(cases, lifecycle.stages_of(cases, on=on), total, page, per_page)
    rows = db.session.execute(
        _filtered(select(*_STAGE_COLUMNS).where(Case.organization_id == org.id), **filters).order_by(
            *LIST_ORDER
        )
    ).all()
    packets = (
        lifecycle.packet_states(where=Document.organization_id == org.id, comments=False) if rows else {}
    )
    matching = [r.id for r in rows if lifecycle.derive(r, packets.get(r.id), on=on) == stage]
    wanted = matching[offset : offset + per_page]
    cases = (
        [case_row(row) for row in db.session.execute(_rows_query(org.id, case_ids=frozenset(wanted)))]
        if wanted
        else []
    )
    return CasePage(cases, {c.id: lifecycle.CaseStage(stage) for c in cases}, len(matching), page, per_page)


def codes_in_use(org: Organization, *, case_ids: frozenset[int] | None = None) -> list[str]:
    """The recommended codes of the organization's cases (the list's code filter), in one query."""
    query = (
        select(Case.recommended_code)
        .where(Case.organization_id == org.id, Case.recommended_code.is_not(None))
        .distinct()
    )
    if case_ids is not None:
        query = query.where(Case.id.in_(case_ids))
    return sorted(db.session.scalars(query))


@dataclass(frozen=True)
class PassportBeforeStart:
    expiry: date
    start: date


def passport_before_start(case: Case, assessment: dict[str, Any]) -> PassportBeforeStart | None:
    """The person's passport expires before the role starts, and the rules engine's warnings do not say
    so (a US citizen needs no passport to enter, R52(2), so the engine is silent): the worker applies on a
    renewed passport, whose number the offer must give (it is matched to the application by it). Tour: a
    passport expiring 2027-01-15 before a 2027-03-01 start showed nothing on the case page."""
    expiry, start = case.transferee.passport_expiry, case.position.start_date
    if expiry is None or start is None or expiry >= start:
        return None
    if any(w.get("id") == "passport_expired" for w in assessment.get("warnings") or []):
        return None
    return PassportBeforeStart(expiry, start)
