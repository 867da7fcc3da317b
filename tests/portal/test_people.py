"""The transferee form takes the employment history on the same page (issue 16 "Type less"): job rows
saved with the person in one transaction, hours a week and duties (issue 15), "Add a job" without
JavaScript, per-row errors with a 400 and nothing written (PostgreSQL)."""

from __future__ import annotations

import html
import re
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import select

from portal import clock
from portal.extensions import db
from portal.models import AuditEvent, EmploymentRecord, ForeignEnterprise, Transferee
from portal.people.forms import JOBS_MAX
from portal.security import CSP
from rules.params import full_time_hours
from tests.helpers import count
from tests.portal.test_cases import ENTERPRISE, PERSON


@pytest.fixture
def owner(make_employer, client, login):
    account = make_employer(legal_name="Maple Invented Analytics Ltd.")
    login(client, account)
    return account


def enterprise_id(app) -> str:
    with app.app_context():
        return str(db.session.scalar(select(ForeignEnterprise.id).order_by(ForeignEnterprise.id.desc())))


def row(n: int, **values) -> dict:
    """Job row ``n`` of the transferee form as the browser posts it (``jobs-<n>-<field>``)."""
    return {f"jobs-{n}-{k}": v for k, v in values.items()}


def feedback(page: str, field_id: str) -> list[str]:
    """The error messages shown under the field with this id."""
    start = page.index(f'id="{field_id}"')
    block = page[
        start : page.index('<div class="mb-3">', start) if '<div class="mb-3">' in page[start:] else None
    ]
    return [html.unescape(m) for m in re.findall(r'invalid-feedback d-block">([^<]*)', block)]


def jobs_of(app, transferee_id: int) -> list[EmploymentRecord]:
    with app.app_context():
        records = db.session.scalars(
            select(EmploymentRecord)
            .where(EmploymentRecord.transferee_id == transferee_id)
            .order_by(EmploymentRecord.start_date)
        ).all()
        for r in records:
            db.session.expunge(r)
        return list(records)


GROUP_JOB = {
    "job_title": "Head of logistics",
    "capacity": "manager",
    "start_date": "2021-03-01",
    "hours_per_week": "40",
    "full_time": "y",
    "duties": "Leads the logistics team of 12.\nSets the yearly transport budget.",
}
EARLIER_JOB = {
    "employer_name": "Invented Freight GmbH",
    "country": "DE",
    "job_title": "Planner",
    "start_date": "2017-01-09",
    "end_date": "2021-02-26",
    "hours_per_week": "20",
    "full_time": "y",  # ticked by default; the 20 hours say part time
}


def test_new_transferee_with_two_jobs_in_one_post(app, client, owner):
    assert client.post_form("/group/new", ENTERPRISE).status_code == 302
    group = enterprise_id(app)
    response = client.post_form(
        "/transferees/new",
        {
            **PERSON,
            **row(0, foreign_enterprise_id=group, **GROUP_JOB),
            **row(1, **EARLIER_JOB),
            **row(2, full_time="y"),  # an empty row (its box ticked by default) is no job
        },
    )
    assert response.status_code == 302, response.get_data(as_text=True)[:3000]
    transferee_id = int(response.location.rstrip("/").split("/")[-1])
    earlier, group_job = jobs_of(app, transferee_id)
    assert (group_job.foreign_enterprise_id, group_job.country) == (int(group), "US")
    assert group_job.hours_per_week == Decimal("40") and group_job.full_time is True
    assert group_job.duties == GROUP_JOB["duties"]
    assert (earlier.employer_name, earlier.hours_per_week, earlier.full_time) == (
        "Invented Freight GmbH",
        Decimal("20"),
        False,
    )
    with app.app_context():
        actions = db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)).all()
    assert actions[-3:] == ["transferee.created", "employment.added", "employment.added"]
    page = client.get(f"/transferees/{transferee_id}").get_data(as_text=True)
    assert "Head of logistics" in page and "Leads the logistics team of 12." in page and "20" in page


def test_a_bad_job_row_refuses_the_whole_form_with_a_message_on_that_row(app, client, owner):
    response = client.post_form(
        "/transferees/new",
        {
            **PERSON,
            **row(0, **EARLIER_JOB),
            **row(1, employer_name="Invented Works", start_date="2022-05-01", end_date="2021-01-01"),
            **row(2, job_title="Analyst", hours_per_week="95"),  # no start, no employer, too many hours
        },
    )
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert feedback(page, "jobs-0-start_date") == []
    assert feedback(page, "jobs-1-end_date") == ["The end date is before the start date."]
    assert feedback(page, "jobs-2-start_date") == ["Give the start date."]
    assert feedback(page, "jobs-2-employer_name") == ["Choose a group company or give the employer's name."]
    assert feedback(page, "jobs-2-hours_per_week") == ["Between 1 and 80 hours a week."]
    assert 'value="Invented Freight GmbH"' in page  # what was typed stays
    assert count(app, Transferee) == 0 and count(app, EmploymentRecord) == 0


def test_a_job_rows_own_field_messages_are_in_the_readers_language(app, client, owner):
    """A job row is a form of its own inside the transferee form: WTForms' messages about its cells (a date
    that is no date) were in English on French pages."""
    client.post_form("/language", {"lang": "fr"})
    response = client.post_form(
        "/transferees/new",
        {**PERSON, **row(0, **{**EARLIER_JOB, "start_date": "2022-02-31", "hours_per_week": "vingt"})},
    )
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert feedback(page, "jobs-0-start_date") == ["N'est pas une date valide."]
    assert feedback(page, "jobs-0-hours_per_week") == ["Saisissez un nombre."]  # not WTForms' own words
    assert "Not a valid" not in page and count(app, Transferee) == 0


def test_duties_are_capped_and_a_foreign_group_company_is_refused(app, client, owner, make_employer, login):
    response = client.post_form(
        "/transferees/new", {**PERSON, **row(0, **{**EARLIER_JOB, "duties": "x" * 2001})}
    )
    assert response.status_code == 400
    assert feedback(response.get_data(as_text=True), "jobs-0-duties") == ["At most 2000 characters."]
    # another organization's group company is not a choice
    other = make_employer(legal_name="Other Invented Corp.")
    other_client = client.application.test_client()
    login(other_client, other)
    assert other_client.post_form("/group/new", ENTERPRISE).status_code == 302
    response = client.post_form(
        "/transferees/new", {**PERSON, **row(0, foreign_enterprise_id=enterprise_id(app), **GROUP_JOB)}
    )
    assert response.status_code == 400
    assert feedback(response.get_data(as_text=True), "jobs-0-foreign_enterprise_id")
    assert count(app, Transferee) == 0 and count(app, EmploymentRecord) == 0


@pytest.mark.parametrize("born", ["2030-01-01", "1800-01-01"])
def test_a_future_or_absurd_date_of_birth_is_refused_and_what_was_typed_kept(app, client, owner, born):
    response = client.post_form("/transferees/new", {**PERSON, "date_of_birth": born})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    [message] = feedback(page, "date_of_birth")
    assert message.startswith("A date of birth is in the past and at most 100 years ago: from ")
    assert f'value="{born}"' in page and 'value="Avery"' in page
    assert count(app, Transferee) == 0


def test_editing_a_person_refuses_a_future_date_of_birth(app, client, owner):
    assert client.post_form("/transferees/new", PERSON).status_code == 302
    with app.app_context():
        person_id = db.session.scalar(select(Transferee.id))
    response = client.post_form(f"/transferees/{person_id}/edit", {**PERSON, "date_of_birth": "2030-01-01"})
    assert response.status_code == 400 and feedback(response.get_data(as_text=True), "date_of_birth")
    with app.app_context():
        assert str(db.session.get(Transferee, person_id).date_of_birth) == "1980-05-05"


def test_the_persons_page_writes_every_date_the_same_way(app, client, owner):
    """Browser tour of 2026-12-05: the date of birth and the jobs' dates were ISO (1988-04-12) beside a
    passport expiry written out (May 1, 2032)."""
    response = client.post_form(
        "/transferees/new", {**PERSON, "date_of_birth": "1988-04-12", "passport_expiry": "2032-05-01"}
    )
    assert response.status_code == 302, response.get_data(as_text=True)[-2000:]
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "April 12, 1988" in page and "May 1, 2032" in page
    assert "1988-04-12" not in page


@pytest.mark.parametrize(
    ("lang", "heading", "other"),
    [
        ("en", "Employment history", ("Employment abroad",)),
        ("fr", "Antécédents professionnels", ("Emploi à l'étranger", "Antécédents d'emploi")),
    ],
)
def test_the_jobs_are_the_employment_history_on_every_page(app, client, owner, lang, heading, other):
    """Tour: the person's page headed the jobs "Employment abroad", its edit page "Employment history" (and
    the French said "antécédents d'emploi" here, "antécédents professionnels" there): one name now, the
    one an HR user knows, on the person's page, its edit form and the consultant's review."""
    client.post_form("/language", {"lang": lang})
    response = client.post_form("/transferees/new", PERSON)
    assert response.status_code == 302, response.get_data(as_text=True)[-2000:]
    for url in (response.headers["Location"], response.headers["Location"] + "/edit"):
        page = html.unescape(client.get(url).get_data(as_text=True))
        assert heading in page, url
        assert not any(o in page for o in other), url


def test_an_expired_passport_is_saved_and_flagged_on_the_persons_page(app, client, owner):
    response = client.post_form("/transferees/new", {**PERSON, "passport_expiry": "2020-01-31"})
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "January 31, 2020" in page and "This passport has expired" in page
    response = client.post_form(
        "/transferees/new", {**PERSON, "given_names": "Blair", "passport_expiry": "2034-01-31"}
    )
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "January 31, 2034" in page and "This passport has expired" not in page


@pytest.mark.parametrize(
    ("lang", "message"),
    [
        ("en", "A passport number has only letters and digits, as printed in the passport."),
        (
            "fr",
            "Un numéro de passeport ne contient que des lettres et des chiffres, tels qu'ils sont imprimés",
        ),
    ],
)
@pytest.mark.parametrize("typed", ["!!@@##", "XK123<4567", "AB--123", "X_1234567", "-AB123"])
def test_a_passport_number_of_punctuation_is_refused_and_nothing_written(
    app, client, owner, lang, message, typed
):
    """Tour: "!!@@##" was saved as the passport number, and printed in the support letter and in the Employer
    Portal's data sheet of the packet."""
    client.post_form("/language", {"lang": lang})
    response = client.post_form("/transferees/new", {**PERSON, "passport_number": typed})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    [shown] = feedback(page, "passport_number")
    assert shown.startswith(message), shown
    assert html.escape(typed) in page  # what was typed is kept, to correct it
    assert count(app, Transferee) == 0


@pytest.mark.parametrize("typed", ["XK1234567", "ab 123456", "P-1234567", "Ж12345678"])
def test_a_passport_number_as_printed_is_saved(app, client, owner, typed):
    response = client.post_form("/transferees/new", {**PERSON, "passport_number": typed})
    assert response.status_code == 302, response.get_data(as_text=True)[-1500:]
    with app.app_context():
        assert db.session.scalar(select(Transferee.passport_number)) == typed


def test_the_date_of_birth_message_reads_as_french(app, client, owner):
    """Tour (fr-CA): "Une date de naissance est passée et date d’au plus 100 ans" said a rule as a fact, with
    the only typographic apostrophe of the form's messages."""
    client.post_form("/language", {"lang": "fr"})
    response = client.post_form("/transferees/new", {**PERSON, "date_of_birth": "2030-01-01"})
    assert response.status_code == 400
    [message] = feedback(response.get_data(as_text=True), "date_of_birth")
    assert message.startswith(
        "La date de naissance doit être passée et remonter à 100 ans au plus\u00a0: du "
    ), message


def test_the_persons_page_shows_the_permit_held_the_language_proof_and_the_share_owned(app, client, owner):
    """What the form asks is on the person's page: the permit held now, how the language levels are proven
    and the share owned were typed in and never shown again (tour)."""
    data = {
        **PERSON,
        "in_canada": "yes",
        "current_permit_type": "open",
        "current_permit_expiry": "2027-08-31",
        "language_proof": "CELPIP General",
        "ownership_pct": "12.5",
    }
    response = client.post_form("/transferees/new", data)
    assert response.status_code == 302, response.get_data(as_text=True)[-2000:]
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert re.search(r'id="in-canada">Yes<', page)
    assert "Open work permit · Permit expiry August 31, 2027" in page
    assert re.search(r'id="language-proof">CELPIP General<', page)
    assert re.search(r'id="ownership-pct">12.5%<', page)
    client.post_form("/language", {"lang": "fr"})
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert re.search(r'id="in-canada">Oui<', page) and re.search(r'id="ownership-pct">12,5\xa0%<', page)


def test_add_a_job_without_javascript_keeps_what_was_typed_and_writes_nothing(app, client, owner):
    page = client.get("/transferees/new").get_data(as_text=True)
    assert 'name="jobs-0-employer_name"' in page and 'name="jobs-1-employer_name"' in page
    assert 'name="jobs-2-employer_name"' not in page
    response = client.post_form(
        "/transferees/new",
        {**PERSON, **row(0, **EARLIER_JOB), **row(1, employer_name="Second Invented Ltd."), "add_job": "1"},
    )
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert 'name="jobs-2-employer_name"' in page and 'name="jobs-3-employer_name"' not in page
    assert 'value="Second Invented Ltd."' in page and 'value="Avery"' in page
    assert "invalid-feedback d-block" not in page  # row 1 has no start date yet: no error until saved
    assert count(app, Transferee) == 0 and count(app, EmploymentRecord) == 0


def test_edit_updates_and_removes_recorded_jobs_and_a_tampered_row_is_refused(app, client, owner):
    response = client.post_form("/transferees/new", {**PERSON, **row(0, **EARLIER_JOB)})
    assert response.status_code == 302
    transferee_id = int(response.location.rstrip("/").split("/")[-1])
    (record,) = jobs_of(app, transferee_id)
    page = client.get(f"/transferees/{transferee_id}/edit").get_data(as_text=True)
    assert re.search(rf'<input[^>]*name="jobs-0-record_id"[^>]*value="{record.id}"', page)
    assert 'name="jobs-1-employer_name"' in page  # one empty row to add a job

    # Update the hours of the recorded job and add a new one, in one save.
    response = client.post_form(
        f"/transferees/{transferee_id}/edit",
        {
            **PERSON,
            **row(0, record_id=str(record.id), **{**EARLIER_JOB, "hours_per_week": "37.5"}),
            **row(1, employer_name="Later Invented SA", start_date="2021-03-01", hours_per_week="40"),
        },
    )
    assert response.status_code == 302, response.get_data(as_text=True)[:3000]
    first, later = jobs_of(app, transferee_id)
    assert first.id == record.id and first.hours_per_week == Decimal("37.5") and first.full_time is True
    assert later.employer_name == "Later Invented SA"

    # A record id that is not this person's: refused, nothing changes.
    response = client.post_form(
        f"/transferees/{transferee_id}/edit",
        {**PERSON, **row(0, record_id="999999", **EARLIER_JOB)},
    )
    assert response.status_code == 400
    assert "not in the person's history" in html.unescape(response.get_data(as_text=True))
    assert len(jobs_of(app, transferee_id)) == 2

    # Remove the first job.
    response = client.post_form(
        f"/transferees/{transferee_id}/edit",
        {
            **PERSON,
            **row(0, record_id=str(first.id), remove="y", **EARLIER_JOB),
            **row(
                1,
                record_id=str(later.id),
                employer_name="Later Invented SA",
                start_date="2021-03-01",
                hours_per_week="40",
            ),
        },
    )
    assert response.status_code == 302
    assert [r.id for r in jobs_of(app, transferee_id)] == [later.id]
    with app.app_context():
        actions = db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)).all()
    assert "employment.updated" in actions and actions[-2:] == ["transferee.updated", "employment.removed"]


@pytest.mark.parametrize(
    "hostile",
    [
        row(0, employer_name="X", start_date="2020-01-01", hours_per_week="nan"),
        row(0, employer_name="X", start_date="2020-01-01", hours_per_week="1e400"),
        row(0, employer_name="X", start_date="0000-00-00"),
        row(0, employer_name="X", start_date="2020-01-01", record_id="99999999999999999999"),
        row(0, employer_name="X", start_date="2020-01-01", record_id="²"),  # isdigit(), not int(): was a 500
        row(0, employer_name="X", start_date="2020-01-01", record_id="abc"),  # was added as a new job
        row(0, employer_name="X", start_date="2020-01-01", foreign_enterprise_id="99999999999999999999"),
        row(0, employer_name="X", start_date="2020-01-01", capacity="king"),
        row(99999, employer_name="X", start_date="2020-01-01", country="ZZ"),
        {f"jobs-{n}-employer_name": "X" for n in range(40)},  # more rows than the form takes
    ],
)
def test_hostile_job_rows_are_refused_without_a_500_or_a_write(app, client, owner, hostile):
    response = client.post_form("/transferees/new", {**PERSON, **hostile})
    assert response.status_code == 400, response.status_code
    assert count(app, Transferee) == 0 and count(app, EmploymentRecord) == 0


def test_a_person_with_more_jobs_than_the_form_holds_opens_with_the_latest(app, client, owner):
    response = client.post_form("/transferees/new", PERSON)
    transferee_id = int(response.location.rstrip("/").split("/")[-1])
    for year in range(1990, 1990 + JOBS_MAX + 2):  # as an import may leave it
        response = client.post_form(
            f"/transferees/{transferee_id}/employment",
            {
                "employer_name": f"Invented Employer {year}",
                "start_date": f"{year}-01-01",
                "end_date": f"{year}-12-31",
            },
        )
        assert response.status_code == 302
    page = client.get(f"/transferees/{transferee_id}/edit")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert f'name="jobs-{JOBS_MAX - 1}-employer_name"' in text and f'name="jobs-{JOBS_MAX}-' not in text
    assert f"Invented Employer {1990 + JOBS_MAX + 1}" in text and "Invented Employer 1990" not in text
    # Saving the form as it comes back keeps every job, the ones not shown included.
    response = client.post_form(f"/transferees/{transferee_id}/edit", {**PERSON, **_form_rows(text)})
    assert response.status_code == 302, response.status_code
    assert len(jobs_of(app, transferee_id)) == JOBS_MAX + 2


def _form_rows(page: str) -> dict:
    """The job rows' values as the page shows them (inputs and the selected options)."""
    values = {}
    for tag in re.findall(r"<input[^>]*>", page):
        found = re.search(r'name="(jobs-\d+-[a-z_]+)"[^>]*value="([^"]*)"', tag)
        if found and 'type="checkbox"' not in tag:  # a box is sent only when ticked (below)
            values[found.group(1)] = html.unescape(found.group(2))
    for name in re.findall(r'<input[^>]*checked[^>]*name="(jobs-\d+-full_time)"', page):
        values[name] = "y"
    return values


def test_hours_help_gives_the_full_time_threshold_of_the_rules(app, client, owner, monkeypatch):
    """The jobs' hours help states the threshold of values.yaml full_time_hours_per_week, not a number
    written into the form: a different parameter shows in the page, in English and in French."""
    threshold = full_time_hours(clock.today())
    page = client.get("/transferees/new").get_data(as_text=True)
    assert f"Full time is {threshold} hours a week or more" in page
    monkeypatch.setattr("portal.people.forms.full_time_hours", lambda on: Decimal("37.5"))
    assert "Full time is 37.5 hours a week or more" in client.get("/transferees/new").get_data(as_text=True)
    client.post_form("/language", {"lang": "fr"})
    page = html.unescape(client.get("/transferees/new").get_data(as_text=True))
    assert "Le temps plein, c'est 37,5 heures par semaine ou plus" in page


def test_hours_read_as_people_write_them_and_take_a_decimal_comma(app, client, owner):
    """The edit page shows "40", not the Decimal's "40.0"; "37,5" (French decimal comma) is 37.5."""
    response = client.post_form(
        "/transferees/new",
        {
            **PERSON,
            **row(0, **{**EARLIER_JOB, "hours_per_week": "37,5"}),
            **row(
                1,
                **{
                    **EARLIER_JOB,
                    "employer_name": "Invented Port AG",
                    "start_date": "2012-01-09",
                    "end_date": "2016-12-30",
                    "hours_per_week": "40",
                },
            ),
        },
    )
    assert response.status_code == 302, response.get_data(as_text=True)[:3000]
    transferee_id = int(response.location.rstrip("/").split("/")[-1])
    older, newer = jobs_of(app, transferee_id)
    assert (older.hours_per_week, newer.hours_per_week) == (Decimal("40"), Decimal("37.5"))
    page = client.get(f"/transferees/{transferee_id}/edit").get_data(as_text=True)
    values = re.findall(r'name="jobs-\d+-hours_per_week"[^>]*value="([^"]*)"', page) or re.findall(
        r'value="([^"]*)"[^>]*name="jobs-\d+-hours_per_week"', page
    )
    assert sorted(v for v in values if v) == ["37.5", "40"], values


def test_job_duties_keep_their_line_breaks_without_an_inline_style(app, client, owner):
    """The content security policy (style-src 'self', no 'unsafe-inline') blocks style="..."
    attributes: the duties' line breaks come from the portal's stylesheet, and no page template has
    an inline style at all."""
    assert "style-src 'self'" in CSP and "unsafe-inline" not in CSP
    response = client.post_form("/transferees/new", PERSON)
    transferee_id = int(response.location.rstrip("/").split("/")[-1])
    duties = "Leads the robotics team.\nPlans the releases."
    response = client.post_form(
        f"/transferees/{transferee_id}/employment",
        {"employer_name": "Invented Employer", "start_date": "2020-01-01", "duties": duties},
    )
    assert response.status_code == 302
    page = client.get(f"/transferees/{transferee_id}").get_data(as_text=True)
    assert f'<div class="small job-duties">{duties}</div>' in page
    assert not re.search(r"<[^>]*\sstyle=", page)
    stylesheet = (Path(app.static_folder) / "css" / "app.css").read_text()
    assert re.search(r"\.job-duties\s*\{\s*white-space:\s*pre-line", stylesheet)
    templates = Path(app.root_path).parent / "templates"
    inline = [str(p) for p in templates.rglob("*.html") if re.search(r"\sstyle=", p.read_text())]
    assert inline == []


def test_a_job_added_on_the_persons_page_needs_its_employer(app, client, owner):
    """Tour: "Add a job" on the person's page saved a job with neither a group company nor an employer's
    name (the check never ran: an empty optional field stops its validators), and the history showed
    "None" as its employer. It is refused beside the field, as in the transferee form's job rows."""
    response = client.post_form("/transferees/new", PERSON)
    transferee_id = int(response.location.rstrip("/").split("/")[-1])
    job = {"job_title": "Junior engineer", "start_date": "2015-01-01", "end_date": "2016-01-01"}
    response = client.post_form(f"/transferees/{transferee_id}/employment", job)
    assert response.status_code == 400
    assert "Choose a group company or give the employer's name." in html.unescape(
        response.get_data(as_text=True)
    )
    assert jobs_of(app, transferee_id) == []
    response = client.post_form(
        f"/transferees/{transferee_id}/employment", {**job, "employer_name": "Invented Startup Inc"}
    )
    assert response.status_code == 302 and len(jobs_of(app, transferee_id)) == 1
    assert "<td>Invented Startup Inc<div" in client.get(f"/transferees/{transferee_id}").get_data(
        as_text=True
    )


def test_a_job_of_the_history_cannot_start_in_the_future(app, client, owner):
    """Tour of 2026-12-06: a job "from 2030-01-01" was saved as the worker's latest and changed the case's
    outcome. Its start is refused beside the field, on the person's page and in the transferee form."""
    response = client.post_form("/transferees/new", PERSON)
    transferee_id = int(response.location.rstrip("/").split("/")[-1])
    later = (clock.today() + timedelta(days=1)).isoformat()
    response = client.post_form(
        f"/transferees/{transferee_id}/employment",
        {"employer_name": "Invented Future GmbH", "start_date": later},
    )
    assert response.status_code == 400
    assert "A job of the history has already started" in html.unescape(response.get_data(as_text=True))
    response = client.post_form(
        f"/transferees/{transferee_id}/edit",
        {**PERSON, "jobs-0-employer_name": "Invented Future GmbH", "jobs-0-start_date": later},
    )
    assert response.status_code == 400 and jobs_of(app, transferee_id) == []
    today = clock.today().isoformat()
    response = client.post_form(
        f"/transferees/{transferee_id}/employment",
        {"employer_name": "Invented Now GmbH", "start_date": today},
    )
    assert response.status_code == 302


@pytest.mark.parametrize(
    ("lang", "place", "message"),
    [
        (
            "en",
            "PR",
            "“Puerto Rico” is not a citizenship. Choose the country whose citizens its people are: United States.",
        ),
        (
            "fr",
            "RE",  # pycountry's French name, as the list shows it
            "«\u00a0Réunion, Île de la\u00a0» n'est pas une citoyenneté. Choisissez le pays dont ses habitants sont citoyens\u00a0: France.",
        ),
    ],
)
def test_a_place_whose_people_hold_another_citizenship_is_refused_as_one(
    app, client, owner, lang, place, message
):
    """CUSMA, CETA... read the citizenship: a worker from Puerto Rico is a US citizen (a US passport), one
    from Réunion a French one; chosen as a citizenship, the place is refused with the country to choose,
    and nothing is written. As a country of residence it is a place like another."""
    client.post_form("/language", {"lang": lang})
    response = client.post_form(
        "/transferees/new", {**PERSON, "citizenships": ["US", place], "passport_country": "US"}
    )
    assert response.status_code == 400
    assert feedback(response.get_data(as_text=True), "citizenships") == [message]
    assert count(app, Transferee) == 0
    response = client.post_form("/transferees/new", {**PERSON, "residence_country": place})
    assert response.status_code == 302
    assert count(app, Transferee) == 1


def test_the_same_job_abroad_is_not_added_twice(app, client, owner):
    """The same job (same foreign company and start date: ``people.services.job_key``, the import's rule too)
    could be added again to the employment history (a double click, the form sent again): a second identical
    row. It is refused with a message above the form (400), in the reader's language, and no row or event is
    written, also with another end date or title (the recorded job is the one to change); a job at another
    company or from another day is still added, and so is a new row of the person's form unless it repeats a
    recorded job."""
    assert client.post_form("/group/new", ENTERPRISE).status_code == 302
    group = enterprise_id(app)
    response = client.post_form("/transferees/new", PERSON)
    transferee_id = int(response.location.rstrip("/").split("/")[-1])
    url = f"/transferees/{transferee_id}/employment"
    job = {"foreign_enterprise_id": group, **GROUP_JOB, "end_date": "2024-06-28"}
    assert client.post_form(url, job).status_code == 302
    events = count(app, AuditEvent)

    # the same again, the title typed in another case and with a stray space: refused
    again = client.post_form(url, {**job, "job_title": " head of  Logistics"})
    assert again.status_code == 400
    page = html.unescape(again.get_data(as_text=True))
    errors = page.split('id="employment"', 1)[1] if 'id="employment"' in page else page
    assert "This job is already in the employment history" in errors
    assert len(jobs_of(app, transferee_id)) == 1 and count(app, AuditEvent) == events

    # by the employer's name, not a group company: the same rule
    named = {**EARLIER_JOB}
    assert client.post_form(url, named).status_code == 302
    assert client.post_form(url, {**named, "employer_name": "invented freight gmbh"}).status_code == 400
    assert len(jobs_of(app, transferee_id)) == 2

    # another end date or title: the same job, to change where it is recorded
    assert client.post_form(url, {**job, "end_date": "2025-01-31"}).status_code == 400
    assert client.post_form(url, {**named, "job_title": "Senior planner"}).status_code == 400
    # the group company's name typed instead of choosing it: the same company
    typed = {**GROUP_JOB, "employer_name": " rocky  invented inc. ", "end_date": "2024-06-28"}
    assert client.post_form(url, typed).status_code == 400
    assert len(jobs_of(app, transferee_id)) == 2
    # another company, or another start date: another job
    assert client.post_form(url, {**job, "start_date": "2021-03-02"}).status_code == 302
    assert client.post_form(url, {**named, "employer_name": "Invented Freight AG"}).status_code == 302
    assert len(jobs_of(app, transferee_id)) == 4

    # the person's form: a new row repeating a recorded job is refused on that row
    edit = client.post_form(f"/transferees/{transferee_id}/edit", {**PERSON, **row(0, **job)})
    assert edit.status_code == 400
    assert feedback(edit.get_data(as_text=True), "jobs-0-start_date") == [
        "This job is already in the employment history (same employer and start date): it is not added a "
        "second time. Change the recorded job if something about it differs."
    ]
    assert len(jobs_of(app, transferee_id)) == 4

    client.post_form("/language", {"lang": "fr"})
    again = client.post_form(url, job)
    assert again.status_code == 400
    assert "Cet emploi figure déjà dans l'historique d'emploi" in html.unescape(again.get_data(as_text=True))
