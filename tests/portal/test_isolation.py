"""Tenant isolation: another organization's objects answer 404; anonymous users go to sign-in."""

from __future__ import annotations

import pytest

from portal.extensions import db
from portal.models import Invitation, Membership, Organization, Role, User
from portal.orgs import services
from tests.helpers import count


@pytest.fixture
def two_orgs(app, make_employer, add_member, client, login):
    """Organization A (owner + member + a pending invitation) and organization B's owner signed in."""

    a = make_employer(legal_name="Alpha Secret Corp.")
    add_member(a.org_id)
    with app.test_request_context():
        org = db.session.get(Organization, a.org_id)
        services.invite(
            org, email="alpha.invitee@example.com", role="member", actor=db.session.get(User, a.user_id)
        )
        db.session.commit()
        ids = {
            "membership": db.session.query(Membership)
            .filter_by(organization_id=a.org_id, role=Role.MEMBER)
            .one()
            .id,
            "owner_membership": db.session.query(Membership)
            .filter_by(organization_id=a.org_id, role=Role.OWNER)
            .one()
            .id,
            "invitation": db.session.query(Invitation).one().id,
            "org": a.org_id,
        }
    b = make_employer(legal_name="Bravo Ltd.")
    login(client, b)
    return ids


def org_a_urls(ids):
    return [
        ("POST", f"/org/members/{ids['membership']}/role", {"role": "owner"}),
        ("POST", f"/org/members/{ids['owner_membership']}/role", {"role": "member"}),
        ("POST", f"/org/members/{ids['membership']}/remove", {}),
        ("POST", f"/org/invitations/{ids['invitation']}/revoke", {}),
        ("POST", f"/orgs/{ids['org']}/switch", {}),
    ]


def test_owner_of_b_gets_404_on_every_organization_a_url_and_changes_nothing(app, client, two_orgs):
    for _method, url, data in org_a_urls(two_orgs):
        response = client.post_form(url, data)
        assert response.status_code == 404, (url, response.status_code)

    with app.app_context():
        assert db.session.get(Membership, two_orgs["membership"]).role == Role.MEMBER
        assert db.session.get(Membership, two_orgs["owner_membership"]).role == Role.OWNER
        assert db.session.get(Invitation, two_orgs["invitation"]).revoked_at is None
    page = client.get("/org/").get_data(as_text=True)
    assert "Bravo Ltd." in page and "Alpha Secret Corp." not in page
    assert "Alpha Secret Corp." not in client.get("/dashboard").get_data(as_text=True)
    assert count(app, Membership) == 3


def test_a_member_of_another_org_cannot_reach_a_by_guessing_ids_either(
    app, two_orgs, make_employer, add_member, login
):
    c = make_employer(legal_name="Charlie Inc.")
    member_of_c = add_member(c.org_id, role="owner")
    other = app.test_client()
    login(other, member_of_c)
    for _method, url, data in org_a_urls(two_orgs):
        assert other.post_form(url, data).status_code == 404


PROTECTED_GET = ["/dashboard", "/org/", "/org/edit", "/orgs/new"]
PROTECTED_POST = [
    "/org/invitations",
    "/org/members/1/role",
    "/org/members/1/remove",
    "/org/invitations/1/revoke",
    "/orgs/1/switch",
    "/logout",
]


@pytest.mark.parametrize("url", PROTECTED_GET)
def test_anonymous_get_is_sent_to_sign_in(client, url):
    response = client.get(url)
    assert response.status_code == 302 and "/login" in response.location


@pytest.mark.parametrize("url", PROTECTED_POST)
def test_anonymous_post_is_sent_to_sign_in(client, url):
    response = client.post_form(url, {})
    assert response.status_code == 302 and "/login" in response.location
