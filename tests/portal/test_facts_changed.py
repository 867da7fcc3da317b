"""The one "facts changed" step (portal.cases.changes.facts_changed): the roles, people and group services
save rows and know nothing of cases; the caller re-assesses the cases that use them (PostgreSQL)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from portal.cases.changes import facts_changed
from portal.extensions import db
from portal.models import Case, ForeignEnterprise, Organization, Transferee, User
from portal.people.services import add_employment
from portal.roles.services import FIELDS, save_position
from portal.tenancy import Access
from tests.portal.test_cases import _create_case

ON = date(2026, 12, 1)


def _case(case_id: int) -> Case:
    return db.session.get(Case, case_id)


def test_a_service_saves_the_row_only_and_facts_changed_reassesses_its_cases(app, client, owner):
    case_id = _create_case(client)
    with app.app_context():
        case = _case(case_id)
        org, user = db.session.get(Organization, case.organization_id), db.session.get(User, owner.user_id)
        first = case.assessed_at
        data = {key: getattr(case.position, key) for key in FIELDS}
        save_position(
            org, {**data, "wage_amount": Decimal(99), "paid": "yes"}, actor=user, position=case.position
        )
        db.session.flush()
        assert _case(case_id).assessed_at == first  # the service did not touch the case
        assert facts_changed(org, position=case.position, on=ON) == [case]
        db.session.commit()
        case = _case(case_id)
        assert case.facts_snapshot["position"]["wage_hourly_cad"] == 99.0
        assert case.assessed_at > first and case.assessed_as_of == ON


def test_the_employment_history_and_the_group_company_pages_reassess_the_case(app, client, owner):
    case_id = _create_case(client)
    with app.app_context():
        transferee_id = _case(case_id).transferee_id
        assert len(_case(case_id).facts_snapshot["worker"]["employment"]) == 1
    response = client.post_form(
        f"/transferees/{transferee_id}/employment",
        {
            "employer_name": "Invented Works",
            "country": "US",
            "start_date": "2015-01-05",
            "end_date": "2021-12-31",
        },
    )
    assert response.status_code == 302
    with app.app_context():
        jobs = _case(case_id).facts_snapshot["worker"]["employment"]
        assert len(jobs) == 2
        employment = db.session.get(Transferee, transferee_id).employment
        record_id = next(r.id for r in employment if r.employer_name == "Invented Works")
    client.post_form(f"/transferees/{transferee_id}/employment/{record_id}/remove", {})
    with app.app_context():
        assert len(_case(case_id).facts_snapshot["worker"]["employment"]) == 1
        enterprise_id = db.session.query(ForeignEnterprise.id).scalar()
        first = _case(case_id).assessed_at
    response = client.post_form(
        f"/group/{enterprise_id}/edit",
        {
            "name": "Rocky Invented Inc.",
            "country": "US",
            "relationship": "subsidiary",
            "countries_of_operation": ["US"],
            "doing_business": "yes",
        },
    )
    assert response.status_code == 302
    with app.app_context():
        assert _case(case_id).assessed_at > first


def test_facts_changed_takes_the_access_or_the_organization_and_stays_in_it(
    app, client, owner, make_employer
):
    case_id = _create_case(client)
    other = make_employer(legal_name="Other Invented Ltd.")
    with app.app_context():
        case = _case(case_id)
        stranger = db.session.get(Organization, other.org_id)
        # Another organization's re-assessment never reaches this case, even named by its rows.
        assert facts_changed(stranger, position=case.position, on=ON) == []
        assert facts_changed(stranger, on=ON) == []
        user = db.session.get(User, owner.user_id)
        org = db.session.get(Organization, case.organization_id)
        add_employment(
            org,
            case.transferee,
            {"employer_name": "Invented Co", "country": "GB", "start_date": date(2010, 1, 1)},
            actor=user,
        )
        changed = facts_changed(Access(organization=org), transferee=case.transferee, on=ON)
        assert [c.id for c in changed] == [case_id]
        assert [c.id for c in facts_changed(org, on=ON)] == [case_id]  # nothing named: every case
