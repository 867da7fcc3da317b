"""After approval: what was filed in IRCC's Employer Portal, the permit, and the compliance calendar.

The calendar dates come from the rules engine (``rules.compliance_calendar``); reminders are
sent by a beat task, each exactly once (a unique row per case, kind and date is inserted before
the mail goes out).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import Any, Protocol, TypedDict

from sqlalchemy import ColumnElement, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

import rules
from portal import audit
from portal.cases import lifecycle
from portal.compliance.labels import CALENDAR_ITEMS
from portal.errors import ServiceError
from portal.extensions import db
from portal.messages import N_
from portal.models import Case, CaseStatus, Organization, Reminder, User
from portal.models._types import utcnow
from portal.tenancy import scoped

log = logging.getLogger(__name__)

OFFER_NUMBER = re.compile(r"^A\d{7}$")
REMIND_BEFORE = timedelta(days=30)


class SubmissionError(ServiceError):
    """Offer, fee or permit dates that do not fit together."""


SUBMISSION_FIELDS = (
    "offer_number",
    "chosen_code",
    "fee_paid_on",
    "fee_exempt",
    "submitted_on",
    "permit_issued_on",
    "first_day_on",
    "permit_expiry_on",
)


def normalize_offer_number(value: str | None) -> str | None:
    if not value:
        return None
    return value.strip().upper()


def record_submission(
    case: Case, org: Organization, data: dict[str, Any], *, actor: User, on: date | None = None
) -> Case:
    """Validate everything first; write all of it or nothing; audit the change. ``on``: today (the dates
    of what was filed and paid, and of the permit's issue, are not after it)."""
    offer = normalize_offer_number(data.get("offer_number"))
    recorded = offer or any(
        data.get(key)
        for key in ("submitted_on", "fee_paid_on", "permit_issued_on", "first_day_on", "permit_expiry_on")
    )
    if recorded and not case.filing_code:
        # the offer is filed, and the permit issued, under an exemption code: without one the case would
        # read "Permit issued" while its assessment still waits for answers, and no calendar follows
        raise SubmissionError(
            N_(
                "An offer is filed under an exemption code, and this case has none yet: answer its open questions, or choose the code it was filed under, first."
            ),
            "offer_number",
        )
    if offer and not OFFER_NUMBER.match(offer):
        raise SubmissionError(
            N_("An offer of employment number is the letter A followed by 7 digits, like A1234567."),
            "offer_number",
        )
    fee_paid, exempt = data.get("fee_paid_on"), bool(data.get("fee_exempt"))
    if fee_paid and exempt:
        raise SubmissionError(
            N_("Give the date the fee was paid, or mark the offer fee-exempt, not both."), "fee_paid_on"
        )
    for key in ("submitted_on", "fee_paid_on", "permit_issued_on"):  # what has happened, not a plan
        if on is not None and data.get(key) and data[key] > on:
            raise SubmissionError(N_("This date is still to come: record it once it has happened."), key)
    pairs = [
        (
            "submitted_on",
            "fee_paid_on",
            N_(
                "The fee is paid in the Employer Portal when the offer is submitted: it cannot be paid before."
            ),
        ),
        (
            "submitted_on",
            "permit_issued_on",
            N_("The permit cannot be issued before the offer was submitted."),
        ),
        ("permit_issued_on", "permit_expiry_on", N_("The permit cannot expire before it was issued.")),
        (
            "permit_issued_on",
            "first_day_on",
            N_("The first day of work cannot be before the permit was issued: the worker starts with it."),
        ),
        ("first_day_on", "permit_expiry_on", N_("The first day of work must be before the permit expires.")),
    ]
    for earlier, later, message in pairs:
        a, b = data.get(earlier), data.get(later)
        if a and b and b < a:
            raise SubmissionError(message, later)
    if (data.get("permit_issued_on") or data.get("first_day_on")) and not offer and not case.offer_number:
        raise SubmissionError(N_("Record the offer of employment number first."), "offer_number")
    before = {k: _plain(getattr(case, k)) for k in SUBMISSION_FIELDS}
    if offer and not case.chosen_code:
        # the offer is filed under this code: pinned, so that a later assessment (a fact corrected, a new
        # rule set) changes what the case page says, never the code of what was filed nor its calendar
        case.chosen_code = case.recommended_code
    case.offer_number = offer
    for key in ("fee_paid_on", "submitted_on", "permit_issued_on", "first_day_on", "permit_expiry_on"):
        setattr(case, key, data.get(key) or None)
    case.fee_exempt = exempt or None
    if offer and case.status in (CaseStatus.DRAFT, CaseStatus.READY, CaseStatus.APPROVED):
        case.status = CaseStatus.SUBMITTED
    after = {k: _plain(getattr(case, k)) for k in SUBMISSION_FIELDS}
    changed = {k: [before[k], after[k]] for k in SUBMISSION_FIELDS if before[k] != after[k]}
    if changed:
        audit.record("case.submission_recorded", actor=actor, organization=org, obj=case, data=changed)
    return case


def _plain(value: object) -> object:
    return value.isoformat() if isinstance(value, date) else value


class CalendarItem(TypedDict):
    """One compliance date of a case (``kind`` is the rules engine's key, ``label`` its display text)."""

    kind: str
    label: str
    date: date
    case: Case
    informational: bool


class CalendarDate(TypedDict):
    """One compliance date, of whatever case (``CalendarItem`` without the case)."""

    kind: str
    label: str
    date: date
    informational: bool


class CalendarCase(lifecycle.StagedCase, Protocol):
    """What the calendar reads of a case (its dates, from the stage's columns, and its codes): a Case, or
    a case read as columns (``CaseRow``)."""

    @property
    def chosen_code(self) -> str | None: ...
    @property
    def recommended_code(self) -> str | None: ...
    @property
    def filing_code(self) -> str | None: ...
    @property
    def planned_start(self) -> date | None: ...


def first_day_of(case: CalendarCase) -> date | None:
    """The first day of work the calendar counts from: the one recorded; else, once the permit is issued,
    the day the job is planned to start if it is later (a permit issued in December for a job starting in
    March starts nothing in December: records are kept six years from the first day of work, R209.2(1)(b)),
    else the permit's issue date. None before the permit is issued."""
    if case.first_day_on:
        return case.first_day_on
    if case.permit_issued_on is None:
        return None
    if case.planned_start and case.planned_start > case.permit_issued_on:
        return case.planned_start
    return case.permit_issued_on


def case_calendar(case: Case) -> list[CalendarItem]:
    """The dates that matter for one case, earliest first."""
    noc_code = case.position.noc_code if case.position else None
    return [
        CalendarItem(
            kind=d["kind"], label=d["label"], date=d["date"], case=case, informational=d["informational"]
        )
        for d in calendar_dates(case, noc_code)
    ]


def planned_calendar(case: Case) -> list[CalendarItem]:
    """Before the permit is issued: the dates as they would fall from the job's planned start (what the
    packet's calendar shows), for the case's page only — no reminder, feed or dashboard deadline counts
    from a plan (tour: the packet gave dates where the page said only to record the permit)."""
    if first_day_of(case) is not None or case.planned_start is None:
        return []
    noc_code = case.position.noc_code if case.position else None
    return [
        CalendarItem(
            kind=d["kind"], label=d["label"], date=d["date"], case=case, informational=d["informational"]
        )
        for d in calendar_dates(case, noc_code, start=case.planned_start)
    ]


def calendar_dates(case: CalendarCase, noc_code: str | None, start: date | None = None) -> list[CalendarDate]:
    """The dates that matter for ``case`` (its role in the occupation ``noc_code``), earliest first: from
    the code it is filed under and its first day of work (``first_day_of``: the planned start or the
    permit's issue date while the first day is not recorded). For a page that read the case as columns
    too (the dashboard)."""
    code = case.filing_code
    first_day = start or first_day_of(case)
    if not code or not first_day:
        return []
    try:
        dates = rules.compliance_calendar(code, first_day, case.permit_expiry_on)
    except (ValueError, LookupError, TypeError):  # LookupError: KeyError, and rules.ParameterError for a
        # first day before the rule set's parameters (a role planned to start in 1970: a 500 on the case's
        # compliance page)
        log.exception("No compliance calendar for case %s (%s)", case.id, code)
        return []
    items: list[CalendarDate] = []
    for key, label in CALENDAR_ITEMS.items():
        value = dates.get(key)
        if key == "cec_12_months" and noc_code and noc_code[1] in "0123":
            value = rules.add_months(first_day, 12).isoformat()
        if value:
            items.append(
                {
                    "kind": key,
                    "label": label,
                    "date": date.fromisoformat(value) if isinstance(value, str) else value,
                    "informational": key == "cec_12_months",
                }
            )
    return sorted(items, key=lambda i: i["date"])


def _has_first_day() -> ColumnElement[bool]:
    """The cases ``first_day_of`` gives a day for (a first day recorded, or a permit issued): the only ones
    with a date in the calendar."""
    return Case.first_day_on.is_not(None) | Case.permit_issued_on.is_not(None)


def organization_calendar(org: Organization, *, case_ids: frozenset[int] | None = None) -> list[CalendarItem]:
    """The dates of the organization's cases (those of ``case_ids`` only, when given), earliest first: one
    statement reads the cases that have a first day with their role (whose occupation and planned start
    the dates depend on) and their worker (the page names them), whatever the number of cases."""
    query = scoped(
        select(Case).where(_has_first_day()).options(joinedload(Case.position), joinedload(Case.transferee)),
        org,
    )
    if case_ids is not None:
        query = query.where(Case.id.in_(case_ids))
    items = [item for case in db.session.scalars(query) for item in case_calendar(case)]
    return sorted(items, key=lambda i: (i["date"], i["case"].id))


ALARM_DAYS_BEFORE = (30, 7)


def ics(org: Organization, items: list[CalendarItem], *, now: datetime | None = None) -> str:
    """An iCalendar feed of the compliance dates (all-day events), for calendar apps, written with
    the ``icalendar`` library (lines folded at 75 octets, text escaped). Each event keeps the same
    UID when its date moves (case, kind of date), so a calendar app updates it instead of adding
    a second one; each has a reminder 30 days and 7 days before."""
    # icalendar is imported here, not with the module: about 3 MB of memory that the workers' processes
    # would otherwise hold for a feed only the web server writes (bench part 5).
    import icalendar

    stamp = now or utcnow()
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//IMP Portal//Compliance calendar//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", f"{org.display_name} — IMP")
    for item in items:
        case = item["case"]
        day = item["date"]
        summary = f"{item['label']} — {case.transferee.full_name}"
        event = icalendar.Event()
        event.add("uid", f"imp-portal-org-{org.id}-case-{case.id}-{item['kind']}@imp-portal")
        event.add("dtstamp", stamp)
        event.add("dtstart", day)
        event.add("dtend", day + timedelta(days=1))
        event.add("summary", summary)
        event.add("description", f"{case.position.title} · {case.filing_code or ''}")
        event.add("transp", "TRANSPARENT")
        for days in ALARM_DAYS_BEFORE:
            alarm = icalendar.Alarm()
            alarm.add("action", "DISPLAY")
            alarm.add("description", summary)
            alarm.add("trigger", timedelta(days=-days))
            event.add_component(alarm)
        calendar.add_component(event)
    ical: bytes = calendar.to_ical()
    return ical.decode("utf-8")


def send_due_reminders(today: date, *, notify: Callable[[Case, CalendarItem], object]) -> int:
    """Mail every reminder that falls due (within REMIND_BEFORE of its date), once each.

    Safe to run twice, or on two beat hosts at once: the reminder row is inserted (unique on
    case, kind and date) in its own transaction before the mail is sent; a second run finds
    the row and sends nothing.
    """
    sent = 0
    cases = db.session.scalars(select(Case).where(_has_first_day()).options(joinedload(Case.position)))
    for case in list(cases):
        for item in case_calendar(case):
            if item["informational"] or not (today <= item["date"] <= today + REMIND_BEFORE):
                continue
            try:
                with db.session.begin_nested():
                    db.session.add(
                        Reminder(
                            organization_id=case.organization_id,
                            case_id=case.id,
                            kind=item["kind"],
                            due_on=item["date"],
                        )
                    )
                db.session.commit()
            except IntegrityError:
                db.session.rollback()
                continue  # already sent
            notify(case, item)
            sent += 1
    return sent


def permit_after_passport(case: Case) -> date | None:
    """The passport's expiry when the permit is recorded as expiring after it: a work permit is not issued
    beyond the passport's validity (the rules engine's ``passport_cap``), except to a US citizen
    (imp-rules.md §1.5), so the date is mistyped or the passport entered is not the one the permit was
    issued on. Tour: such a date was saved with no word."""
    expiry, permit = case.transferee.passport_expiry, case.permit_expiry_on
    if expiry is None or permit is None or permit <= expiry or "US" in (case.transferee.citizenships or ()):
        return None
    return expiry
