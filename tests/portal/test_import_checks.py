"""How the import checks and writes a file (issue 17, flat costs): the rows are checked by the fields of
the kind's form built once per file, with the same data and messages as a form per row, in English and
French; the rows checked at the preview are kept with the file, so the file is parsed once from the
upload to the confirmation (parsed again only when the kept rows do not match the stored bytes); the
confirmation writes the people, their jobs and the audit in a number of statements that does not grow
with the rows."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
from flask_babel import force_locale
from flask_migrate import upgrade
from sqlalchemy import select
from werkzeug.datastructures import MultiDict

from portal.auth import services as auth
from portal.extensions import db
from portal.imports import applying, parsing
from portal.imports.kinds import KINDS, empty_form, form_fields
from portal.messages import N_
from portal.models import AuditEvent, Case, EmploymentRecord, Transferee
from tests.conftest import make_test_app
from tests.helpers import statements_sent
from tests.portal.test_cases import PERSON, _create_case
from tests.portal.test_imports import _token, _upload

# Rows chosen so that a cell already checked on an earlier row comes back with other cells around it
# (the form's cross-field rules: the passport among the citizenships, the wage's hours).
PEOPLE = [
    {"given_names": "Ana", "family_name": "Silva", "citizenships": "IN", "passport_country": "IN"},
    {"given_names": "Ben", "family_name": "Okafor", "citizenships": "US", "passport_country": "IN"},
    {"given_names": "", "family_name": "Roe", "citizenships": "", "passport_country": ""},
    {
        "given_names": "Chloé",
        "family_name": "Marchand",
        "date_of_birth": "12/31/1989",
        "citizenships": "Atlantis;IN;fr",
        "education_level": "phd",
        "english_clb": "nine",
        "french_nclc": "13",
        "ownership_pct": "101",
        "in_canada": "maybe",
        "passport_expiry": "2031-02-30",
    },
    {"given_names": "Ana", "family_name": "Silva", "citizenships": "IN", "passport_country": "IN"},
    {"given_names": "Dev", "family_name": "Rao", "citizenships": "India;US", "passport_country": "us"},
    {"given_names": "Eve", "family_name": "X" * 201, "citizenships": "CA", "current_permit_type": "Work"},
    {"given_names": "Fay", "family_name": "Rivera", "citizenships": "Puerto Rico", "passport_country": "PR"},
]
ROLES = [
    {"title": "Analyst", "noc_code": "21211", "wage_amount": "100000", "wage_unit": "year"},
    {"title": "Analyst", "noc_code": "21211", "wage_amount": "100000", "hours_per_week": "40"},
    {"title": "", "noc_code": "2171", "wage_amount": "", "province": "on", "paid": "maybe"},
    {"title": "Lead", "noc_code": "software engineer", "duration_months": "0", "wage_amount": "-5"},
    {
        "title": "Lead",
        "noc_code": "99999",
        "wage_amount": "12.5",
        "wage_unit": "HOUR",
        "start_date": "1 mars 2027",
    },
    {
        "title": "Lead",
        "noc_code": "21211",
        "wage_amount": "100000",
        "wage_unit": "year",
        "hours_per_week": "37.5",
    },
    # hours that are not a number: their own message only, not also the wage's "give the hours" (the wage's
    # check reads what was typed: the comparison with a form per row, on the fourth row, which has no hours
    # after rows that had some, keeps the shared form from handing it an earlier row's hours)
    {
        "title": "Lead",
        "noc_code": "21211",
        "wage_amount": "90000",
        "wage_unit": "year",
        "hours_per_week": "forty",
    },
]


def _one_form_per_row(kind, values: dict[str, str]) -> tuple[dict | None, list[tuple[str, str]]]:
    """The check as it was before the rows shared a form: a new form of the kind for each row."""
    fields = form_fields(empty_form(kind))
    formdata: MultiDict[str, str] = MultiDict()
    read_errors: list[tuple[str, str]] = []
    for f in fields:
        sent, errors = parsing._read_cell(f, values.get(f.name, ""))
        read_errors += errors
        for value in sent or ():
            formdata.add(f.name, value)
    form = kind.form_class(formdata=formdata, meta={"csrf": False})
    if form.validate() and not read_errors:
        return form.data, []
    already = {name for name, _m in read_errors}
    errors = list(read_errors)
    for name, messages in form.errors.items():
        if name in already:
            continue
        f, value = form[name], values.get(name, "")
        choices = [str(c.value) for c in getattr(f, "choices", None) or []]
        for message in messages:
            if choices and len(choices) <= 50 and value and f.data not in choices:
                message = N_(
                    "“%(value)s” is not one of: %(choices)s.",
                    value=value,
                    choices=", ".join(c for c in choices if c),
                )
            elif f.type in ("IntegerField", "DecimalField") and value and f.data is None:
                message = N_(
                    "“%(value)s” is not a number: write digits, with a dot for decimals (e.g. 37.5).",
                    value=value,
                )
            errors.append((name, str(message)))
    return None, errors


@pytest.mark.parametrize("lang", ["en", "fr"])
@pytest.mark.parametrize(("kind", "rows"), [("transferees", PEOPLE), ("roles", ROLES)])
def test_rows_checked_by_one_form_give_the_data_and_messages_of_a_form_per_row(app, lang, kind, rows):
    found = KINDS[kind]
    expected = []
    with app.test_request_context(), force_locale(lang):
        for values in rows:
            expected.append(_one_form_per_row(found, values))
    with app.test_request_context(), force_locale(lang):
        checker = parsing.RowChecker(found)
        got = []
        for number, values in enumerate(rows, start=2):
            row = parsing.Row(number=number, values=values)
            checker.check(row)
            got.append((row.data, row.errors))
    assert got == expected
    assert [bool(e) for _d, e in got].count(False) >= 2, "some rows are valid"
    assert all(e for _d, e in got[2:4]), "some are not"
    if lang == "fr":
        assert any("Ce champ est requis." in m for _d, e in got for _n, m in e), got
    if kind == "roles":
        assert [name for name, _m in got[-1][1]] == ["hours_per_week"], got[-1]
    else:  # a place whose people are US citizens, refused as a citizenship with the country to choose
        assert [m for name, m in got[-1][1] if name == "citizenships"] == [
            "“Puerto Rico” is not a citizenship. Choose the country whose citizens its people are: United States."
            if lang == "en"
            else "«\u00a0Porto Rico\u00a0» n'est pas une citoyenneté. Choisissez le pays dont ses habitants sont citoyens\u00a0: États-Unis."
        ], got[-1]


def _people_file(count: int, first: int = 0) -> bytes:
    """``count`` invented people with a job each."""
    lines = ["given_names,family_name,date_of_birth,citizenships,job_employer,job_start,job_hours"]
    lines += [
        f"Invented{k},Person-{k},1980-01-{1 + k % 28:02d},IN;US,Example Group {k % 3},2019-06-01,40"
        for k in range(first, first + count)
    ]
    return ("\n".join(lines) + "\n").encode()


def _count_reads(monkeypatch) -> list[bytes]:
    reads: list[bytes] = []
    real = parsing.read_table

    def counted(raw: bytes):
        reads.append(raw)
        return real(raw)

    monkeypatch.setattr(parsing, "read_table", counted)
    return reads


def _people(app, org_id: int) -> list[tuple[str, int]]:
    with app.app_context():
        return sorted(
            (t.family_name, len(t.employment))
            for t in db.session.scalars(select(Transferee).where(Transferee.organization_id == org_id))
        )


def test_a_file_is_parsed_once_from_the_upload_to_the_confirmation(
    app, client, make_employer, login, monkeypatch
):
    owner = make_employer()
    login(client, owner)
    reads = _count_reads(monkeypatch)
    page = _upload(client, "transferees", _people_file(30)).get_data(as_text=True)
    response = client.post_form(f"/import/transferees/{_token(page, 'transferees')}/confirm")
    assert response.status_code == 302
    assert len(reads) == 1  # the confirmation used the rows kept at the preview
    assert _people(app, owner.org_id) == sorted((f"Person-{k}", 1) for k in range(30))
    with app.app_context():
        hours = db.session.scalars(select(EmploymentRecord.hours_per_week)).all()
        actions = db.session.scalars(select(AuditEvent.action)).all()
    assert len(hours) == 30 and {str(h) for h in hours} == {"40.0"}
    assert actions.count("transferee.created") == 30 and actions.count("employment.added") == 30
    store = Path(app.config["DOCUMENT_STORE"]) / "imports"
    assert not [p for p in store.rglob("*") if p.is_file()]  # the file and its rows are gone


@pytest.mark.parametrize("change", ["file", "rows"])
def test_kept_rows_that_do_not_match_the_file_are_not_used(
    app, client, make_employer, login, monkeypatch, change
):
    owner = make_employer()
    login(client, owner)
    reads = _count_reads(monkeypatch)
    page = _upload(client, "transferees", _people_file(3)).get_data(as_text=True)
    token = _token(page, "transferees")
    (stored,) = (Path(app.config["DOCUMENT_STORE"]) / "imports").rglob(f"{token}.transferees.csv")
    if change == "file":  # the stored bytes are not those the rows were read from: read them again
        stored.write_bytes(_people_file(2, first=10))
    else:  # no kept rows (a preview stored before they were kept)
        stored.with_suffix(".rows").unlink()
    response = client.post_form(f"/import/transferees/{token}/confirm")
    assert response.status_code == 302
    assert len(reads) == 2
    expected = [10, 11] if change == "file" else [0, 1, 2]
    assert _people(app, owner.org_id) == sorted((f"Person-{k}", 1) for k in expected)


def test_the_confirmation_writes_in_a_number_of_statements_that_does_not_grow_with_the_rows(
    app, client, make_employer, login
):
    owner = make_employer()
    login(client, owner)
    counts = {}
    for count, first in ((4, 0), (60, 100)):
        page = _upload(client, "transferees", _people_file(count, first)).get_data(as_text=True)
        url = f"/import/transferees/{_token(page, 'transferees')}/confirm"
        csrf = client.csrf_token()
        with statements_sent(app) as statements:
            assert client.post(url, data={"csrf_token": csrf}).status_code == 302
        counts[count] = len(statements)
        assert not [s for s in statements if re.search(r"INSERT INTO \w+ .*RETURNING", s, re.S)]
    assert counts[4] == counts[60], counts
    assert len(_people(app, owner.org_id)) == 64


def _import_people(app, count: int) -> int:
    """Register an invented employer and import ``count`` people with a job each through the import's
    functions (no page); returns the organization's id."""
    with app.test_request_context():
        owner, org = auth.register_employer(
            {
                "name": "Invented Owner",
                "email": "owner@invented-import.example.com",
                "password": "a-long-enough-password",
                "legal_name": "Invented Import Systems Inc.",
                "operating_name": "Invented Import",
                "business_number": "123456782",
                "street_address": "1 Example Street",
                "city": "Ottawa",
                "province": "ON",
                "postal_code": "K1A 0B1",
                "telephone": "613-555-0100",
                "employees": 20,
                "gross_annual_revenue": 1_000_000,
            }
        )
        parsed = parsing.parse(KINDS["transferees"], _people_file(count), on=date(2026, 12, 1))
        assert parsed.valid
        applying.import_rows(org, parsed, actor=owner, on=date(2026, 12, 1))
        db.session.commit()
        return org.id


def test_bulk_insert_gives_each_row_its_own_id_on_sqlite_too(tmp_path):
    """The embedded default (SQLite) has no sequence to take ids from: one INSERT … RETURNING, in the
    rows' order; each job and each audit event is its own person's."""
    app = make_test_app(f"sqlite:///{tmp_path / 'import.sqlite3'}", tmp_path)
    with app.app_context():
        upgrade()
    org_id = _import_people(app, 25)
    with app.app_context():
        people = {t.id: t.family_name for t in db.session.scalars(select(Transferee))}
        assert sorted(people.values()) == sorted(f"Person-{k}" for k in range(25))
        for job in db.session.scalars(select(EmploymentRecord)):
            k = int(people[job.transferee_id].split("-")[1])
            assert job.employer_name == f"Example Group {k % 3}"
        events = db.session.scalars(
            select(AuditEvent).where(
                AuditEvent.organization_id == org_id, AuditEvent.object_type == "Transferee"
            )
        ).all()
        created = {e.object_id: e.data["name"] for e in events if e.action == "transferee.created"}
        assert created == {i: f"Invented{name.split('-')[1]} {name}" for i, name in people.items()}
        jobs = {j.id: j.transferee_id for j in db.session.scalars(select(EmploymentRecord))}
        added = {e.data["record_id"]: e.object_id for e in events if e.action == "employment.added"}
        assert added == jobs and len(jobs) == 25
        db.engine.dispose()


def test_an_import_updating_people_reassesses_their_cases_together(app, client, owner):
    """The people of a file already in the portal, updated, have their cases re-assessed in one go: the
    cases are read in one query whatever the number of people (not one query per person)."""
    _create_case(client)  # the group company, the role, Avery Inventedname and their case
    names = ["Blake", "Casey", "Dana", "Emery"]
    for name in names:
        response = client.post_form("/transferees/new", {**PERSON, "given_names": name})
        person_id = int(response.location.rstrip("/").split("/")[-1])
        assert (
            client.post_form("/cases/new", {"transferee_id": str(person_id), "position_id": "1"}).status_code
            == 302
        )
    with app.app_context():
        before = {c.id: c.assessed_at for c in db.session.scalars(select(Case))}
    reads = {}
    for people in (names[:1], names):
        rows = "".join(f"{n},Inventedname,1980-05-05,US;FR,Invented Co,2001-01-01\n" for n in people)
        content = (
            "given_names,family_name,date_of_birth,citizenships,job_employer,job_start\n" + rows
        ).encode()
        page = _upload(client, "transferees", content).get_data(as_text=True)
        url = f"/import/transferees/{_token(page, 'transferees')}/confirm"
        csrf = client.csrf_token()
        with statements_sent(app) as statements:
            response = client.post(url, data={"csrf_token": csrf, "update_existing": "y"})
        assert response.status_code == 302
        reads[len(people)] = len([s for s in statements if re.search(r"SELECT .*\sFROM cases\s", s, re.S)])
    assert reads[1] == reads[4], reads
    with app.app_context():
        cases = {c.id: c for c in db.session.scalars(select(Case))}
        updated = [c for c in cases.values() if c.transferee.given_names in names]
        assert len(updated) == 4
        assert all(c.assessed_at > before[c.id] for c in updated)
        assert all(set(c.facts_snapshot["worker"]["citizenships"]) == {"US", "FR"} for c in updated)
