"""One full-time rule (``rules.params.is_full_time``) for the rules engine, the job services and the
import's check: a job's hours decide by the threshold in force on the day the question is asked (the
assessment's, the save's, the check's), not on the day the job began. With a threshold that changes
between a job's start and that day (an invented change: 35 hours from 2026), the three agree."""

from __future__ import annotations

import copy
from datetime import date
from decimal import Decimal

import pytest
from flask_babel import force_locale

import rules
import rules.params
from portal.consult import display
from portal.documents import content
from portal.extensions import db
from portal.imports import parsing
from portal.imports.kinds import KINDS
from portal.models import Case, Organization, Transferee, User
from portal.people.services import add_employment
from rules.params import load_text
from tests.portal.document_helpers import enter_worked_case
from tests.rules.conftest import CASES_DIR

BEFORE, AFTER = date(2025, 6, 1), date(2026, 11, 24)  # the jobs began in 2019 and 2022, before both
JOB_START = date(2019, 6, 1)


@pytest.fixture
def threshold_changed(monkeypatch):
    """full_time_hours_per_week: 30 until 2025, 35 from 2026-01-01 (as values.yaml would date it)."""
    real = rules.params.value_at

    def value_at(key, on, *args, **kwargs):
        if key == "full_time_hours_per_week":
            return 30 if on < date(2026, 1, 1) else 35
        return real(key, on, *args, **kwargs)

    monkeypatch.setattr(rules.params, "value_at", value_at)


def _engine(hours, on: date) -> bool:
    """Whether worked case 02's transfer codes count its job (from 2022) as full time, assessed on ``on``."""
    data = load_text((CASES_DIR / "case02-us-executive.yaml").read_text(encoding="utf-8"))
    facts = copy.deepcopy(data["facts"])
    facts["worker"]["employment"][0].update(hours_per_week=float(hours), full_time=True)
    codes = rules.assess(rules.facts_from_dict(facts), as_of=on).to_dict("en")["codes_fit"]
    return "T37" in codes and "C62" in codes


def _service(app, owner, hours, on: date) -> bool:
    """The full-time flag the job service stores for a job ticked full time, saved on ``on``."""
    with app.test_request_context():
        org = db.session.get(Organization, owner.org_id)
        person = Transferee(organization_id=org.id, given_names="Ana", family_name="Invented", extra_facts={})
        db.session.add(person)
        db.session.flush()
        record = add_employment(
            org,
            person,
            {
                "employer_name": "Invented Co",
                "start_date": JOB_START,
                "full_time": True,
                "hours_per_week": hours,
            },
            actor=db.session.get(User, owner.user_id),
            on=on,
        )
        flag = record.full_time
        db.session.rollback()
        return flag


def _import(app, hours, on: date) -> bool:
    """What the import's check says of a row whose job is ticked full time with these hours, on ``on``."""
    content = (
        "given_names,family_name,citizenships,job_employer,job_start,job_full_time,job_hours\n"
        f"Ana,Invented,IN,Invented Co,{JOB_START.isoformat()},yes,{hours}\n"
    ).encode()
    with app.test_request_context(), force_locale("en"):
        (row,) = parsing.parse(KINDS["transferees"], content, on=on).rows
    messages = [m for column, m in row.errors if column == "job_full_time"]
    assert not [e for e in row.errors if e[0] != "job_full_time"], row.errors
    if messages:
        threshold = 30 if on < date(2026, 1, 1) else 35
        assert f"{hours} hours a week is part time (full time is {threshold} hours or more)" in messages[0]
    return not messages


@pytest.mark.parametrize(
    ("hours", "on", "full_time"),
    [
        (Decimal("32"), BEFORE, True),
        (Decimal("32"), AFTER, False),  # by the rule of the day, not of the job's start (30 then)
        (Decimal("35"), AFTER, True),
        (Decimal("29.5"), BEFORE, False),
        (Decimal("40"), AFTER, True),
    ],
)
def test_the_engine_the_job_services_and_the_import_agree_on_full_time(
    app, make_employer, threshold_changed, hours, on, full_time
):
    owner = make_employer()
    assert rules.params.is_full_time(hours, True, on) is full_time
    assert (_engine(hours, on), _service(app, owner, hours, on), _import(app, hours, on)) == (
        full_time,
        full_time,
        full_time,
    )


def test_without_hours_the_box_decides():
    assert rules.params.is_full_time(None, True, AFTER) is True
    assert rules.params.is_full_time("", False, AFTER) is False
    assert rules.params.is_full_time(None, None, AFTER) is None
    assert rules.params.is_full_time("37,5", None, AFTER) is True


def _letter_says(case: Case) -> list[bool]:
    """The full-time flags of the jobs in a support letter of ``case`` dated AFTER."""
    org = db.session.get(Organization, case.organization_id)
    snapshot = content.letter_snapshot(
        case, org, lang="en", on=AFTER, signatory_name="Sam Invented", signatory_title="HR"
    )
    return [job["full_time"] for job in snapshot["worker"]["employment"]]


def test_the_letter_and_the_review_page_say_full_time_as_the_assessment_judged_it(app, threshold_changed):
    """A job of 32 hours saved in 2025 (full time then: 30 hours) is part time for an assessment of
    2026 (35 hours): the support letter and the consultant's review page say what the engine said,
    not the flag stored when the job was saved."""
    case_id, _account, _code = enter_worked_case(app, "case02-us-executive")
    with app.test_request_context(), force_locale("en"):
        case = db.session.get(Case, case_id)
        (job,) = case.transferee.employment
        job.hours_per_week, job.full_time = Decimal("32"), True  # as saved on BEFORE
        case.assessed_as_of = AFTER
        assert not _engine(Decimal("32"), AFTER)
        assert _letter_says(case) == [False]
        assert [j["full_time"] for j in display.employment(case.transferee, "en", AFTER)] == ["No"]
        case.assessed_as_of = BEFORE  # assessed in 2025: full time by that day's rule
        assert _letter_says(case) == [True]
        db.session.rollback()
