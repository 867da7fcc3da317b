"""Submission, compliance calendar, reminders and the audit log (PostgreSQL)."""

from __future__ import annotations

import csv
import html
import io
import re
from datetime import date, timedelta
from types import SimpleNamespace

import icalendar
import psycopg
import pytest
from sqlalchemy.engine import make_url

from portal import clock
from portal.documents import content
from portal.extensions import db
from portal.models import AuditEvent, Case, Reminder
from tests.helpers import count
from tests.portal.test_cases import _create_case
from tests.portal.test_consult import T37_ANSWERS
from workers.tasks.compliance import send_reminders

GOOD = {
    "offer_number": "A1234567",
    "submitted_on": "2026-11-20",
    "fee_paid_on": "2026-11-20",
    "permit_issued_on": "2026-12-01",
    "first_day_on": "2027-01-04",
    "permit_expiry_on": "2029-12-31",
}


@pytest.fixture
def case_id(client, make_employer, login):
    login(client, make_employer(legal_name="Maple Invented Analytics Ltd."))
    cid = _create_case(client)
    client.post_form(f"/cases/{cid}/answers", T37_ANSWERS)
    return cid


def _case(app, cid) -> Case:
    with app.app_context():
        case = db.session.get(Case, cid)
        db.session.expunge(case)
        return case


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"offer_number": "A123456"}, "letter A followed by 7 digits"),
        ({"offer_number": "AB123456"}, "letter A followed by 7 digits"),
        ({"offer_number": "12345678"}, "letter A followed by 7 digits"),
        ({"offer_number": "A12345678"}, "letter A followed by 7 digits"),
        ({"fee_paid_on": "2026-11-01"}, "cannot be paid before"),
        ({"permit_expiry_on": "2026-11-25"}, "cannot expire before it was issued"),
        ({"first_day_on": "2030-01-15"}, "before the permit expires"),
        ({"fee_exempt": "y"}, "not both"),
        ({"submitted_on": "not a date"}, "Not a valid date"),
        ({"permit_expiry_on": "9999-12-31"}, "Give a date from"),  # a slip for 2029: no calendar from it
        # tour of 2026-12-06: a first day before the permit moved the calendar; a filing still to come
        ({"first_day_on": "2026-11-30"}, "cannot be before the permit was issued"),
        ({"submitted_on": (clock.today() + timedelta(days=30)).isoformat()}, "still to come"),
        ({"permit_issued_on": (clock.today() + timedelta(days=40)).isoformat()}, "still to come"),
    ],
)
def test_bad_submission_input_gets_a_message_and_writes_nothing(app, client, case_id, change, message):
    events = count(app, AuditEvent)
    response = client.post_form(f"/cases/{case_id}/compliance", {**GOOD, **change})
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    case = _case(app, case_id)
    assert case.offer_number is None and case.permit_expiry_on is None
    assert count(app, AuditEvent) == events


def test_submission_is_recorded_audited_and_lowercase_is_accepted(app, client, case_id):
    response = client.post_form(f"/cases/{case_id}/compliance", {**GOOD, "offer_number": "a1234567"})
    assert response.status_code == 302
    case = _case(app, case_id)
    assert case.offer_number == "A1234567" and case.status == "submitted"
    assert case.first_day_on.isoformat() == "2027-01-04"

    with app.app_context():
        event = db.session.query(AuditEvent).filter_by(action="case.submission_recorded").one()
        assert event.data["offer_number"] == [None, "A1234567"] and len(event.state_hash) == 64


def test_calendar_shows_the_dates_from_the_rules_engine_and_exports_ics(app, client, case_id):
    client.post_form(f"/cases/{case_id}/compliance", GOOD)
    page = client.get(f"/cases/{case_id}/compliance").get_data(as_text=True)
    assert "January 4, 2033" in page  # records kept six years from the first day of work
    assert "December 31, 2029" in page  # permit expiry
    assert (
        "Canadian Experience Class" in page and "January 4, 2028" in page
    )  # TEER 0: 12 months of skilled work
    org_calendar = client.get("/calendar").get_data(as_text=True)
    assert "Avery Inventedname" in org_calendar and "January 4, 2033" in org_calendar
    ics = client.get("/calendar.ics")
    body = ics.get_data(as_text=True)
    assert ics.mimetype == "text/calendar" and body.startswith("BEGIN:VCALENDAR")
    assert "DTSTART;VALUE=DATE:20291231" in body and body.count("BEGIN:VEVENT") >= 4
    # The private feed link works without signing in (calendar apps cannot), and only when signed.
    assert client.post_form("/calendar/feeds").status_code == 302
    with_link = client.get("/calendar").get_data(as_text=True)
    feed = re.search(r'id="ics-feed">https?://[^/<]+([^<]+)<', with_link).group(1)
    anonymous = app.test_client()

    def events(text):
        return [line for line in text.splitlines() if not line.startswith("DTSTAMP:")]

    assert events(anonymous.get(feed).get_data(as_text=True)) == events(body)
    assert anonymous.get(feed[:-8] + "AAAA.ics").status_code == 404


def test_ics_is_folded_has_stable_uids_and_alarms_and_parses_back(app, client, case_id):
    client.post_form(f"/cases/{case_id}/compliance", GOOD)
    # A long organization name and transferee name make lines longer than 75 octets unless folded.
    raw = client.get("/calendar.ics").data
    assert raw.endswith(b"\r\n") and b"\n" not in raw.replace(b"\r\n", b"")
    physical = raw.split(b"\r\n")
    assert max(len(line) for line in physical) <= 75
    assert any(line.startswith(b" ") for line in physical)  # folded continuation lines

    calendar = icalendar.Calendar.from_ical(raw)
    events = calendar.walk("VEVENT")
    assert len(events) >= 4
    expiry = [e for e in events if e.decoded("dtstart") == date(2029, 12, 31)]
    assert len(expiry) == 1
    assert "Avery Inventedname" in str(expiry[0]["summary"])
    for event in events:
        alarms = event.walk("VALARM")
        assert sorted(a.decoded("trigger") for a in alarms) == [timedelta(days=-30), timedelta(days=-7)]
        assert {str(a["action"]) for a in alarms} == {"DISPLAY"}
    uids = {str(e["uid"]): e.decoded("dtstart") for e in events}
    assert len(uids) == len(events)

    # The permit is extended: the expiry event keeps its UID (calendar apps move it, not copy it).
    client.post_form(f"/cases/{case_id}/compliance", {**GOOD, "permit_expiry_on": "2030-06-30"})
    again = icalendar.Calendar.from_ical(client.get("/calendar.ics").data).walk("VEVENT")
    moved = {str(e["uid"]): e.decoded("dtstart") for e in again}
    assert set(moved) == set(uids)
    assert moved[str(expiry[0]["uid"])] == date(2030, 6, 30)


def test_reminders_are_sent_once_even_if_beat_runs_twice(app, client, case_id, outbox):
    client.post_form(f"/cases/{case_id}/compliance", GOOD)

    outbox.clear()
    with app.app_context():
        assert send_reminders.delay("2029-12-10").get() == 1  # permit expiry within 30 days
        assert send_reminders.delay("2029-12-10").get() == 0
        assert send_reminders.delay("2029-12-11").get() == 0
        assert send_reminders.delay("2027-01-01").get() == 0  # nothing falls due then
    assert count(app, Reminder) == 1
    assert len(outbox) == 1 and "Work permit expires" in outbox[0].subject  # one member: the owner


def test_a_reminder_is_mailed_in_the_language_the_member_chose(app, client, case_id, add_member, outbox):
    client.post_form(f"/cases/{case_id}/compliance", GOOD)
    client.post_form("/language", {"lang": "fr"})  # kept on the owner's account
    with app.app_context():
        org_id = db.session.get(Case, case_id).organization_id
    english_member = add_member(org_id, "member")
    outbox.clear()
    with app.app_context():
        assert send_reminders.delay("2029-12-10").get() == 1
    french = [m for m in outbox if m.to != [english_member.email]]
    english = [m for m in outbox if m.to == [english_member.email]]
    assert len(french) == 1 and len(english) == 1
    assert "Rappel\u00a0: Expiration du permis de travail le 31 décembre 2029" in french[0].subject
    assert "Expiration du permis de travail le 31 décembre 2029 pour" in french[0].body
    assert english[0].subject == "Reminder: Work permit expires on December 31, 2029"


def test_audit_log_per_case_and_export(app, client, case_id):
    page = client.get(f"/audit/cases/{case_id}").get_data(as_text=True)
    assert "case.created" in page and "case.answered" in page and "case.assessed" in page
    csv = client.get(f"/audit/export.csv?case_id={case_id}").get_data(as_text=True)
    assert csv.splitlines()[0].lstrip("\ufeff") == "id,when,who,action,object_type,object_id,state_hash,data"
    assert "case.answered" in csv
    assert "organization.created" in client.get("/audit/").get_data(as_text=True)


@pytest.mark.parametrize("email", ["=cmd|'/ccalc'!a0@example.com", "+1+cmd@example.com", "-2+3@example.com"])
def test_the_audit_export_never_starts_a_cell_with_a_formula(
    app, client, make_employer, add_member, login, email
):
    """A member's address starting with = + - or @ is a formula to the spreadsheet that opens the export
    (CSV injection): the cell starts with an apostrophe, and reads as the address."""
    owner = make_employer()
    member = add_member(owner.org_id, email=email)
    member_client = app.test_client()
    login(member_client, member)
    assert member_client.post_form("/calendar/feeds").status_code == 302  # an audited action of the member
    login(client, owner)
    rows = list(csv.reader(io.StringIO(client.get("/audit/export.csv").get_data(as_text=True))))
    [who] = [row[2] for row in rows[1:] if row[3] == "calendar_feed.created"]
    assert who == "'" + email
    assert not any(cell.startswith(("=", "+", "-", "@")) for row in rows[1:] for cell in row)


def test_postgresql_refuses_update_and_delete_of_audit_events(app, pg_url, case_id):
    url = make_url(pg_url).render_as_string(hide_password=False).replace("+psycopg", "")
    with psycopg.connect(url) as conn:
        with pytest.raises(psycopg.errors.InsufficientPrivilege, match="append-only"):
            conn.execute("UPDATE audit_events SET action = 'forged'")
        conn.rollback()
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute("DELETE FROM audit_events")
        conn.rollback()
        assert conn.execute("SELECT count(*) FROM audit_events WHERE action = 'forged'").fetchone()[0] == 0


def test_a_case_without_a_code_records_no_filing_and_says_why_its_calendar_is_empty(
    app, client, make_employer, login
):
    """Browser tour of 2026-12-05: a case still waiting for answers took an offer number and the permit's
    dates, then read "Permit issued" beside "2 answers needed", and its calendar asked for the dates again.
    An offer is filed under a code: without one the filing is refused, and the calendar says what it waits for."""
    login(client, make_employer(legal_name="Maple Invented Analytics Ltd."))
    cid = _create_case(client)
    assert _case(app, cid).recommended_code is None  # its questions are not answered yet
    events = count(app, AuditEvent)
    response = client.post_form(f"/cases/{cid}/compliance", GOOD)
    assert response.status_code == 400
    assert "this case has none yet" in html.unescape(response.get_data(as_text=True))
    case = _case(app, cid)
    assert case.offer_number is None and case.permit_issued_on is None and count(app, AuditEvent) == events
    page = html.unescape(client.get(f"/cases/{cid}/compliance").get_data(as_text=True))
    assert "it has none yet: answer the case" in page and "Record the permit's issue date" not in page
    assert 'id="submission-form"' not in page and 'id="submission-waits"' in page  # no form to fill in vain
    assert client.post_form(f"/cases/{cid}/answers", T37_ANSWERS).status_code == 302  # a code now
    page = client.get(f"/cases/{cid}/compliance").get_data(as_text=True)
    assert 'id="submission-form"' in page and 'id="submission-waits"' not in page
    assert "<strong>T37</strong>" in page  # the code it is filed under, in the heading
    assert client.post_form(f"/cases/{cid}/compliance", GOOD).status_code == 302


def test_the_role_page_warns_that_a_filed_offer_is_not_changed_by_an_edit(app, client, case_id):
    """Editing a role whose offer is filed (the wage, hours, duties) does not change the offer: the role's
    page says which cases are filed and what a change needs, in both languages."""
    position_id = _case(app, case_id).position_id
    page = html.unescape(client.get(f"/roles/{position_id}/edit").get_data(as_text=True))
    assert 'id="role-filed"' not in page  # nothing filed yet
    assert client.post_form(f"/cases/{case_id}/compliance", GOOD).status_code == 302
    page = html.unescape(client.get(f"/roles/{position_id}/edit").get_data(as_text=True))
    assert 'id="role-filed"' in page and "(A1234567)" in page
    assert f'href="/cases/{case_id}/compliance"' in page
    assert "needs a new offer of employment first" in page
    client.post_form("/language", {"lang": "fr"})
    page = html.unescape(client.get(f"/roles/{position_id}/edit").get_data(as_text=True))
    assert (
        "L'offre d'emploi de ce poste a été présentée dans le Portail des employeurs pour 1 dossier" in page
    )


def test_the_case_page_says_the_employer_s_step_is_done_once_the_offer_is_filed(app, client, case_id):
    """Tour of 2026-12-06: a filed, active case still read "Submit the offer of employment ..." alone."""
    page = html.unescape(client.get(f"/cases/{case_id}").get_data(as_text=True))
    assert 'id="step-done"' not in page
    assert client.post_form(f"/cases/{case_id}/compliance", GOOD).status_code == 302
    page = html.unescape(client.get(f"/cases/{case_id}").get_data(as_text=True))
    assert "Done: the offer A1234567 was submitted on November 20, 2026." in page
    client.post_form("/language", {"lang": "fr"})
    page = html.unescape(client.get(f"/cases/{case_id}").get_data(as_text=True))
    assert "Fait\u00a0: l'offre A1234567 a été présentée le 20 novembre 2026." in page


def test_the_code_of_a_filed_offer_cannot_be_changed(app, client, case_id):
    """The offer is filed under a code (pinned when recorded): the case page no longer offers another, and
    a post asking for one is refused with the reason (it set the filed code back to 'recommended')."""
    assert 'id="choose-code-form"' in client.get(f"/cases/{case_id}").get_data(as_text=True)
    assert client.post_form(f"/cases/{case_id}/compliance", GOOD).status_code == 302
    assert _case(app, case_id).chosen_code == "T37"
    page = html.unescape(client.get(f"/cases/{case_id}").get_data(as_text=True))
    assert 'id="choose-code-form"' not in page and "Filed under T37 (offer A1234567)." in page
    refused = client.post_form(f"/cases/{case_id}/code", {"code": "C62"})
    assert refused.status_code in (302, 400)
    assert _case(app, case_id).chosen_code == "T37"
    shown = html.unescape(client.get(f"/cases/{case_id}").get_data(as_text=True))
    assert "Filing under another code needs a new offer of employment" in (
        html.unescape(refused.get_data(as_text=True)) + shown
    )


def test_before_the_first_day_is_recorded_the_calendar_counts_from_the_planned_start(app, client, case_id):
    """Browser tour of 2026-12-06: with the permit issued on December 1 for a job planned to start on
    January 4, the calendar counted the six years of records (R209.2(1)(b): from the first day of work)
    and the Canadian experience from December 1, before the job could have started: the compliance page
    said the records may be discarded a month before the packet's date. Until the first day is recorded,
    it is the planned start when that is after the permit's issue, the same on the dashboard's columns."""
    from portal.cases.services import _rows_query, case_row  # noqa: PLC0415
    from portal.compliance.services import calendar_dates, first_day_of  # noqa: PLC0415

    client.post_form(f"/cases/{case_id}/compliance", {**GOOD, "first_day_on": ""})
    case = _case(app, case_id)
    assert case.first_day_on is None and case.permit_issued_on == date(2026, 12, 1)
    page = client.get(f"/cases/{case_id}/compliance").get_data(as_text=True)
    assert "January 4, 2033" in page and "January 4, 2028" in page  # six years, and 12 months, from January 4
    assert "December 1, 2032" not in page and "December 1, 2027" not in page
    # named as the packet's calendar names them (tour: "Records may be discarded after" beside the
    # packet's "End of record keeping")
    assert "End of record keeping" in page and "Records may be discarded" not in page
    with app.test_request_context():
        from portal.documents.content import calendar_names  # noqa: PLC0415

        names = calendar_names({"first_day_recorded": False})
        assert names["records_keep_until"] == "End of record keeping"
        assert names["inspection_window_end"] in page  # the packet's row names are the page's
    with app.app_context():
        [row] = [case_row(r) for r in db.session.execute(_rows_query(case.organization_id))]
        on_dashboard = {d["kind"]: d["date"] for d in calendar_dates(row, row.noc_code)}
        assert on_dashboard["records_keep_until"] == date(2033, 1, 4)
    # a permit issued after the planned start: the job starts with it at the earliest; a recorded first
    # day is the first day
    issued_late = SimpleNamespace(
        first_day_on=None, permit_issued_on=date(2027, 2, 1), planned_start=date(2027, 1, 4)
    )
    assert first_day_of(issued_late) == date(2027, 2, 1)
    assert first_day_of(SimpleNamespace(**{**vars(issued_late), "first_day_on": date(2027, 3, 1)})) == date(
        2027, 3, 1
    )
    assert first_day_of(SimpleNamespace(**{**vars(issued_late), "permit_issued_on": None})) is None


@pytest.mark.parametrize(("citizenship", "warned"), [("GB", True), ("US", False)])
def test_a_permit_recorded_past_the_passport_s_expiry_is_warned_about(
    app, client, case_id, citizenship, warned
):
    """Tour: a permit expiry after the passport's was saved with no word. A permit is not issued beyond the
    passport's validity (the rules engine's passport_cap), except to a US citizen (imp-rules.md §1.5)."""
    with app.app_context():
        person = db.session.get(Case, case_id).transferee
        person.citizenships, person.passport_expiry = [citizenship], date(2028, 6, 30)
        db.session.commit()
    response = client.post_form(f"/cases/{case_id}/compliance", GOOD)
    assert response.status_code == 302  # saved: the date on the permit is what it is
    page = html.unescape(client.get(f"/cases/{case_id}/compliance").get_data(as_text=True))
    notice = (
        "The permit is recorded as expiring on December 31, 2029, after the passport (June 30, 2028): a work "
        "permit is not issued beyond the passport's validity."
    )
    assert (notice in page) is warned
    response = client.post_form(f"/cases/{case_id}/compliance", {**GOOD, "permit_expiry_on": "2028-06-30"})
    assert response.status_code == 302
    assert 'id="permit-after-passport"' not in client.get(f"/cases/{case_id}/compliance").get_data(
        as_text=True
    )


def test_before_the_permit_the_page_shows_the_planned_dates_of_the_packet(app, client, case_id):
    """Browser tour of 2026-12-06: before a permit was recorded, the packet's calendar gave the dates from
    the planned start ("End of record keeping ... 2033") where the page said only to record the permit.
    The page shows them as planned; nothing is reminded or put in the feed from a plan."""
    page = html.unescape(client.get(f"/cases/{case_id}/compliance").get_data(as_text=True))
    assert 'id="calendar-planned"' in page and "if the job starts on January 4, 2027" in page
    assert "January 4, 2033" in page and "End of record keeping" in page
    assert 'id="calendar-empty"' not in page
    ics = client.get("/calendar.ics").get_data(as_text=True)
    assert "20330104" not in ics  # a plan is not a date to remind
    client.post_form(f"/cases/{case_id}/compliance", GOOD)
    page = client.get(f"/cases/{case_id}/compliance").get_data(as_text=True)
    assert 'id="calendar-planned"' not in page and "January 4, 2033" in page


@pytest.mark.parametrize(
    ("lang", "records", "expiry"),
    [("en", "January 4, 2033", "December 31, 2029"), ("fr", "4 janvier 2033", "31 décembre 2029")],
)
def test_calendar_dates_are_written_as_the_portal_writes_dates_and_stay_iso_for_machines(
    app, client, case_id, lang, records, expiry
):
    """Tour of 2026-12-11: the compliance calendar gave its dates as "2033-01-04" where every other page
    writes "January 4, 2033" / "4 janvier 2033" (the ``day`` filter). The case's page, the organization's
    calendar and the dashboard's deadlines write them in the reader's language; the ISO date stays for
    machines only (the ``datetime`` of the <time> element, and the .ics feed)."""
    client.post_form(f"/cases/{case_id}/compliance", GOOD)
    client.post_form("/language", {"lang": lang})
    for url in (f"/cases/{case_id}/compliance", "/calendar"):
        page = html.unescape(client.get(url).get_data(as_text=True))
        assert f'<time datetime="2033-01-04">{records}</time>' in page, url
        assert f'<time datetime="2029-12-31">{expiry}</time>' in page, url
        assert not re.search(r">\s*20\d\d-\d\d-\d\d\s*<", page), url  # no ISO date shown as text
    with app.app_context():
        case = db.session.get(Case, case_id)
        case.permit_expiry_on = clock.today() + timedelta(days=20)  # within the dashboard's 30 days
        db.session.commit()
        due = case.permit_expiry_on
    dashboard = html.unescape(client.get("/dashboard").get_data(as_text=True))
    with app.test_request_context():
        from portal.i18n import day  # noqa: PLC0415

        shown = day(due, lang)
    assert f'datetime="{due.isoformat()}">{shown}</time>' in dashboard
    assert "DTSTART;VALUE=DATE:20330104" in client.get("/calendar.ics").get_data(as_text=True)


def test_a_service_supplier_calendar_lists_the_12_months_in_24(app):
    """imp-rules.md §4.8 ``cetacss_window`` (rules/README.md item 38): a CETA or CUKTCA service supplier's
    calendar lists the day the 12 months allowed in any 24 are used up and the end of the 24-month period,
    named in both languages; a transferee's calendar lists neither."""
    from flask_babel import force_locale  # noqa: PLC0415

    from portal.compliance.services import calendar_dates  # noqa: PLC0415

    def case(code):
        return SimpleNamespace(
            id=1,
            filing_code=code,
            chosen_code=code,
            recommended_code=code,
            first_day_on=date(2027, 1, 4),
            permit_issued_on=date(2026, 12, 1),
            planned_start=date(2027, 1, 4),
            permit_expiry_on=date(2027, 9, 3),
        )

    with app.test_request_context(), force_locale("fr"):
        items = {d["kind"]: d for d in calendar_dates(case("T47"), "21231")}
        assert items["service_months_used_up"]["date"] == date(2028, 1, 4)
        assert items["service_window_end"]["date"] == date(2029, 1, 4)
        assert (
            str(items["service_window_end"]["label"])
            == "Fournisseur de services\u00a0: fin de la période de 24 mois"
        )
        other = {d["kind"] for d in calendar_dates(case("C62"), "00012")}
    assert "service_window_end" not in other and "ict_cap_end" in other


def test_a_start_before_the_rule_set_s_parameters_gives_no_calendar_rather_than_an_error(
    app, client, case_id
):
    """Production probe of 2026-12-07: a role planned to start on 1970-01-01 (the role form takes dates from
    60 years back) made the case's compliance page answer 500 and its packet fail in the worker: the rules
    have no record-keeping period before 2013 (rules.ParameterError, a LookupError that neither caller
    caught). The page now shows no planned dates, and the packet no calendar."""
    with app.app_context():
        case = db.session.get(Case, case_id)
        case.position.start_date = date(1970, 1, 1)
        db.session.commit()
    response = client.get(f"/cases/{case_id}/compliance")
    assert response.status_code == 200
    assert 'id="calendar-planned"' not in response.get_data(as_text=True)
    with app.test_request_context():
        letter = {"code": "T37", "position": {"start_date": "1970-01-01", "capacity": "executive"}}
        assert content.calendar(letter, {}) is None


def test_a_permit_recorded_before_the_rule_set_s_parameters_leaves_the_calendars_working(
    app, client, case_id
):
    """The same with a permit recorded for a job that began in 1970 (the compliance form takes it): the
    organization's calendar, its .ics file and the reminders counted every case's dates, so one such case
    answered 500 on /calendar and /calendar.ics for the whole organization."""
    dates = {"submitted_on": "1970-01-01", "fee_paid_on": "1970-01-02", "permit_issued_on": "1970-01-03"}
    dates |= {"first_day_on": "1970-01-04", "permit_expiry_on": "1972-01-01"}
    assert client.post_form(f"/cases/{case_id}/compliance", {**GOOD, **dates}).status_code == 302
    for path in (f"/cases/{case_id}/compliance", "/calendar", "/calendar.ics", "/dashboard"):
        assert client.get(path).status_code == 200, path
    with app.app_context():
        assert send_reminders(today="1971-12-01") == 0
