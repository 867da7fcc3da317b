"""One rule says when a job abroad is one the person's history holds already (``people.services.job_key``:
the same company, a group company's name or the employer's name typed, case and spaces aside, and the same
start date), and the person's form, the import of a new person and the import updating a person agree on it.
The form refused the same company, title, start and end dates while the import skipped the same employer's
name and start date: a job typed by the group company's name was added again by the import, and the same job
with its end date now known was added again by the form (PostgreSQL)."""

from __future__ import annotations

import html

import pytest
from sqlalchemy import select

from portal.extensions import db
from portal.models import EmploymentRecord, ForeignEnterprise, Transferee
from tests.portal.test_cases import ENTERPRISE, PERSON
from tests.portal.test_imports import _token, _upload

RECORDED = {
    "employer": "Invented Freight GmbH",
    "title": "Planner",
    "start": "2017-01-09",
    "end": "2021-02-26",
}
GROUP = {
    "employer": ENTERPRISE["name"],
    "group": True,
    "title": "Head of logistics",
    "start": "2021-03-01",
    "end": "",
}

# (the recorded job, the job given again, whether it is the same job)
CASES = {
    "identical": (RECORDED, RECORDED, True),
    "name in another case and spacing": (
        RECORDED,
        {**RECORDED, "employer": " invented  FREIGHT gmbh "},
        True,
    ),
    "another title": (RECORDED, {**RECORDED, "title": "Senior planner"}, True),
    "its end date now known": (GROUP, {**GROUP, "end": "2024-06-28"}, True),
    "the group company's name typed": (GROUP, {**GROUP, "group": False}, True),
    "another start date": (RECORDED, {**RECORDED, "start": "2017-01-10"}, False),
    "another company": (RECORDED, {**RECORDED, "employer": "Invented Freight AG"}, False),
}
HEADER = "given_names,family_name,date_of_birth,citizenships,job_employer,job_title,job_start,job_end"


def _form(job: dict, group_id: int) -> dict:
    """The job as the person's page's "Add a job" posts it (a group company chosen, or a name typed)."""
    company = (
        {"foreign_enterprise_id": str(group_id)} if job.get("group") else {"employer_name": job["employer"]}
    )
    return {**company, "job_title": job["title"], "start_date": job["start"], "end_date": job["end"]}


def _row(person: tuple[str, str, str], job: dict, first: bool) -> str:
    given, family, born = person
    return f"{given},{family},{born},{'US' if first else ''},{job['employer']},{job['title']},{job['start']},{job['end']}"


def _jobs(app, transferee_id: int | None = None) -> int:
    with app.app_context():
        query = select(EmploymentRecord)
        if transferee_id is not None:
            query = query.where(EmploymentRecord.transferee_id == transferee_id)
        return len(db.session.scalars(query).all())


def _imported(client, lines: list[str], **confirm) -> str:
    """Import the file (header and ``lines``): the page the confirmation leads to, with its messages."""
    preview = _upload(client, "transferees", "\r\n".join([HEADER, *lines, ""]).encode("utf-8"))
    page = preview.get_data(as_text=True)
    assert preview.status_code == 200, page[:3000]
    response = client.post_form(f"/import/transferees/{_token(page, 'transferees')}/confirm", confirm)
    assert response.status_code == 302
    return html.unescape(client.get(response.location).get_data(as_text=True))


@pytest.mark.parametrize(("recorded", "again", "same"), CASES.values(), ids=CASES.keys())
def test_the_form_and_the_import_agree_on_the_same_job_abroad(app, client, owner, recorded, again, same):
    assert client.post_form("/group/new", ENTERPRISE).status_code == 302
    with app.app_context():
        group_id = db.session.scalars(select(ForeignEnterprise.id)).one()

    # the person's form: the job given again is refused, or added
    response = client.post_form("/transferees/new", PERSON)
    person_id = int(response.location.rstrip("/").split("/")[-1])
    url = f"/transferees/{person_id}/employment"
    assert client.post_form(url, _form(recorded, group_id)).status_code == 302
    by_form = client.post_form(url, _form(again, group_id))
    assert by_form.status_code == (400 if same else 302)
    if same:
        assert "This job is already in the employment history" in html.unescape(
            by_form.get_data(as_text=True)
        )
    form_jobs = _jobs(app, person_id)

    # the import of a new person whose rows give both: one job, the second row skipped and said
    noor = ("Noor", "Inventedname", "1988-02-03")
    page = _imported(client, [_row(noor, recorded, True), _row(noor, again, False)])
    with app.app_context():
        noor_id = db.session.scalars(select(Transferee.id).where(Transferee.given_names == "Noor")).one()
    new_jobs = _jobs(app, noor_id)
    assert ("Row 3 is not imported" in page) is same

    # the import updating the person of the form with the job given again: the recorded job, updated
    person = (PERSON["given_names"], PERSON["family_name"], PERSON["date_of_birth"])
    _imported(client, [_row(person, again, True)], update_existing="y")
    updated_jobs = _jobs(app, person_id)

    expected = 1 if same else 2
    assert (form_jobs, new_jobs, updated_jobs) == (expected, expected, expected)
