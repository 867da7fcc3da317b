"""The duties of a job abroad in French (employment_records.duties_fr, migration 0026): the transferee's forms
keep them, the transferees import takes them as a column (job_duties_fr), French letters and packets quote
them, English ones the duties as typed; without them a French document quotes the duties as typed and the
documents page says so, as it does for a role without its French title or duties (test_role_in_french.py).
A French letter quoted the duties abroad in English, and a consultant returns it (PostgreSQL; Celery
eager: the request renders the document)."""

from __future__ import annotations

import html
import re

from sqlalchemy import select

from portal.extensions import db
from portal.models import EmploymentRecord
from tests.portal import document_helpers as docs
from tests.portal.test_cases import PERSON
from tests.portal.test_imports import _token, _upload
from tests.portal.test_role_in_french import FRENCH as ROLE_IN_FRENCH

DUTIES = "Directs the United States operations.\nSets the yearly budget of the group."
DUTIES_FR = "Dirige les opérations aux États-Unis.\nÉtablit le budget annuel du groupe."
NO_FRENCH_DUTIES = (
    "A job of the employment history has no French duties: this French document quotes them as typed."
)


def _records(app) -> list[EmploymentRecord]:
    with app.app_context():
        records = list(db.session.scalars(select(EmploymentRecord).order_by(EmploymentRecord.id)))
        for record in records:
            db.session.expunge(record)
        return records


def _textarea(page: str, name: str) -> str:
    match = re.search(rf'<textarea[^>]*name="{name}"[^>]*>(.*?)</textarea>', page, re.S)
    assert match, f"no textarea {name}"
    return html.unescape(match.group(1)).strip()


def _errors_of(response) -> list[str]:
    return [html.unescape(e) for e in docs.errors(response)]


def test_the_transferee_form_keeps_the_french_duties_of_each_job(app, client, owner):
    job = {"employer_name": "Invented Freight GmbH", "country": "DE", "start_date": "2019-01-07"}
    response = client.post_form(
        "/transferees/new",
        {
            **PERSON,
            **{f"jobs-0-{k}": v for k, v in job.items()},
            "jobs-0-duties": DUTIES,
            "jobs-0-duties_fr": DUTIES_FR,
        },
    )
    assert response.status_code == 302, _errors_of(response)
    transferee_id = int(response.location.rstrip("/").split("/")[-1])
    (record,) = _records(app)
    assert (record.duties, record.duties_fr) == (DUTIES, DUTIES_FR)
    assert record.duties_in("fr") == DUTIES_FR and record.duties_in("en") == DUTIES

    # the form opens with them, under their bilingual label and help
    page = client.get(f"/transferees/{transferee_id}/edit").get_data(as_text=True)
    assert _textarea(page, "jobs-0-duties_fr") == DUTIES_FR
    assert "French version of the duties" in page
    assert "For documents in French; if empty, they give the duties as typed above." in html.unescape(page)
    client.post_form("/language", {"lang": "fr"})
    french = html.unescape(client.get(f"/transferees/{transferee_id}/edit").get_data(as_text=True))
    assert "Version française des fonctions" in french
    assert "Fonctions en français (pour les documents en français)" in french
    client.post_form("/language", {"lang": "en"})

    # changed, then emptied: the record follows (empty is None: the documents quote the duties as typed)
    base = {**PERSON, "jobs-0-record_id": str(record.id), **{f"jobs-0-{k}": v for k, v in job.items()}}
    changed = client.post_form(
        f"/transferees/{transferee_id}/edit",
        {**base, "jobs-0-duties": DUTIES, "jobs-0-duties_fr": "Dirige tout."},
    )
    assert changed.status_code == 302, _errors_of(changed)
    assert _records(app)[0].duties_fr == "Dirige tout."
    emptied = client.post_form(
        f"/transferees/{transferee_id}/edit", {**base, "jobs-0-duties": DUTIES, "jobs-0-duties_fr": "  "}
    )
    assert emptied.status_code == 302, _errors_of(emptied)
    (record,) = _records(app)
    assert record.duties_fr is None and record.duties_in("fr") == DUTIES

    # too long: refused on that row, nothing written
    too_long = client.post_form(
        f"/transferees/{transferee_id}/edit", {**base, "jobs-0-duties_fr": "x" * 2001}
    )
    assert too_long.status_code == 400
    assert "At most 2000 characters." in _errors_of(too_long)
    assert _records(app)[0].duties_fr is None


def test_a_job_added_on_the_persons_page_keeps_its_french_duties(app, client, owner):
    response = client.post_form("/transferees/new", PERSON)
    transferee_id = int(response.location.rstrip("/").split("/")[-1])
    page = client.get(f"/transferees/{transferee_id}").get_data(as_text=True)
    assert 'name="duties_fr"' in page
    added = client.post_form(
        f"/transferees/{transferee_id}/employment",
        {
            "employer_name": "Invented Freight GmbH",
            "start_date": "2019-01-07",
            "duties": DUTIES,
            "duties_fr": DUTIES_FR,
        },
    )
    assert added.status_code == 302, _errors_of(added)
    (record,) = _records(app)
    assert (record.duties, record.duties_fr) == (DUTIES, DUTIES_FR)


def test_the_transferees_import_takes_the_french_duties_of_a_job(app, client, owner):
    header = "given_names,family_name,date_of_birth,citizenships,job_employer,job_start,job_duties,job_duties_fr\r\n"
    row = (
        "Noor,Inventedname,1988-02-03,IN,Invented Tech Pvt Ltd,2018-04-02,Leads the team,Dirige l’équipe\r\n"
    )
    preview = _upload(client, "transferees", (header + row).encode("utf-8"), "people.csv")
    page = preview.get_data(as_text=True)
    assert preview.status_code == 200, page[:3000]
    response = client.post_form(f"/import/transferees/{_token(page, 'transferees')}/confirm")
    assert response.status_code == 302
    (record,) = _records(app)
    assert (record.duties, record.duties_fr) == ("Leads the team", "Dirige l’équipe")

    # the column is optional; a cell over the limit is refused by its name
    long_row = f"Kai,Inventedname,1990-01-01,IN,Invented Tech Pvt Ltd,2018-04-02,Leads,{'x' * 2001}\r\n"
    refused = _upload(client, "transferees", (header + long_row).encode("utf-8"), "people.csv")
    text = html.unescape(refused.get_data(as_text=True))
    assert "job_duties_fr" in text and "At most 2000 characters." in text

    # the import page's help names the column, the template has it with its example
    help_page = html.unescape(client.get("/import/").get_data(as_text=True))
    assert "job_duties_fr" in help_page and "if empty, they give job_duties" in help_page
    template = client.get("/import/transferees/template.csv").get_data().decode("utf-8-sig")
    header, example = template.splitlines()[:2]
    assert header.endswith(",job_duties,job_duties_fr") and example.endswith(
        ",Dirige l’équipe de 8 ingénieurs de la plateforme de paiement"
    )


def test_french_documents_quote_the_duties_abroad_in_french_and_english_ones_as_typed(app, client, owner):
    case_id = docs.create_case(
        app, client, role=ROLE_IN_FRENCH, job={"duties": DUTIES, "duties_fr": DUTIES_FR}
    )
    (record,) = _records(app)
    assert record.duties_fr == DUTIES_FR

    french = docs.requested(app, client, case_id, "support_letter", lang="fr")
    assert french.status == "ready", french.error
    text = docs.squash(docs.pdf_text(docs.download(client, french.id)))
    assert docs.squash("Dirige les opérations aux États-Unis") in text
    assert docs.squash("Établit le budget annuel du groupe") in text
    assert docs.squash("Directs the United States operations") not in text
    assert docs.squash("Sets the yearly budget") not in text

    packet = docs.requested(app, client, case_id, "packet", lang="fr")
    assert packet.status == "ready", packet.error
    body = docs.squash(docs.pdf_text(docs.download(client, packet.id)))
    assert docs.squash("Dirige les opérations aux États-Unis") in body
    assert docs.squash("Directs the United States operations") not in body

    english = docs.requested(app, client, case_id, "support_letter", lang="en")
    text = docs.squash(docs.pdf_text(docs.download(client, english.id)))
    assert docs.squash("Directs the United States operations") in text
    assert docs.squash("Dirige les opérations") not in text


def _asked(client, case_id: int, lang: str) -> tuple[str, int]:
    """Ask for a support letter: the documents page after it (its flashed messages) and the document's id."""
    document_id = docs.document_id_of(docs.request_document(client, case_id, "support_letter", lang))
    return html.unescape(client.get(f"/cases/{case_id}/documents").get_data(as_text=True)), document_id


def _flashed_after_request(client, case_id: int, lang: str) -> str:
    return _asked(client, case_id, lang)[0]


def test_without_french_duties_a_french_letter_quotes_them_as_typed_and_the_page_says_so(app, client, owner):
    """As for a role without its French title or duties: the document is made with the duties as typed, and
    the documents page, once it is asked for, says so and where to give them."""
    case_id = docs.create_case(app, client, role=ROLE_IN_FRENCH, job={"duties": DUTIES})
    assert NO_FRENCH_DUTIES not in _flashed_after_request(client, case_id, "en")
    page, document_id = _asked(client, case_id, "fr")
    assert NO_FRENCH_DUTIES in page and "under “Duties in French”" in page
    text = docs.squash(docs.pdf_text(docs.download(client, document_id)))
    assert docs.squash("Directs the United States operations") in text


def test_a_french_document_of_jobs_given_in_french_says_nothing_of_them(app, client, owner):
    case_id = docs.create_case(
        app, client, role=ROLE_IN_FRENCH, job={"duties": DUTIES, "duties_fr": DUTIES_FR}
    )
    assert NO_FRENCH_DUTIES not in _flashed_after_request(client, case_id, "fr")
    # a job without duties at all has nothing to translate
    other = docs.create_case(
        app, client, role=ROLE_IN_FRENCH, person={"given_names": "Robin", "passport_number": "X7654321"}
    )
    assert NO_FRENCH_DUTIES not in _flashed_after_request(client, other, "fr")


def test_updating_people_from_a_file_without_the_column_keeps_the_french_duties(app, client, owner):
    """A file without job_duties_fr (an older template) imported again with "Update the people" ticked says
    nothing of the French duties: the ones typed on the form stay; a file with the column replaces them."""
    header = "given_names,family_name,date_of_birth,citizenships,job_employer,job_start,job_duties"
    row = "Noor,Inventedname,1988-02-03,IN,Invented Tech Pvt Ltd,2018-04-02,Leads the team"

    def imported(text: str) -> None:
        preview = _upload(client, "transferees", text.encode("utf-8"), "people.csv")
        page = preview.get_data(as_text=True)
        assert preview.status_code == 200, page[:3000]
        confirm = f"/import/transferees/{_token(page, 'transferees')}/confirm"
        assert client.post_form(confirm, {"update_existing": "y"}).status_code == 302

    imported(f"{header}\r\n{row}\r\n")
    (record,) = _records(app)
    transferee_id = record.transferee_id
    job = {
        "jobs-0-record_id": str(record.id),
        "jobs-0-employer_name": "Invented Tech Pvt Ltd",
        "jobs-0-start_date": "2018-04-02",
        "jobs-0-duties": "Leads the team",
        "jobs-0-duties_fr": "Dirige l’équipe",
    }
    person = {**PERSON, "given_names": "Noor", "date_of_birth": "1988-02-03", "citizenships": ["IN"]}
    person.pop("passport_country")
    saved = client.post_form(f"/transferees/{transferee_id}/edit", {**person, **job})
    assert saved.status_code == 302, _errors_of(saved)
    assert _records(app)[0].duties_fr == "Dirige l’équipe"

    imported(f"{header}\r\n{row}, now\r\n".replace("Leads the team, now", '"Leads the team, now"'))
    (record,) = _records(app)
    assert (record.duties, record.duties_fr) == ("Leads the team, now", "Dirige l’équipe")

    imported(f"{header},job_duties_fr\r\n{row},Dirige toute l’équipe\r\n")
    (record,) = _records(app)
    assert (record.duties, record.duties_fr) == ("Leads the team", "Dirige toute l’équipe")
