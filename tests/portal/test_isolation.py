"""Tenant isolation: another organization's objects answer 404; anonymous users go to sign-in."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from sqlalchemy import select

from portal import signin
from portal.compliance import feeds
from portal.consult import services as consult_services
from portal.documents import uploads as documents
from portal.extensions import db
from portal.imports import kinds, pending
from portal.models import (
    Case,
    EmploymentRecord,
    Engagement,
    Invitation,
    Membership,
    Organization,
    Role,
    RulesetChange,
    RulesetRun,
    User,
)
from portal.models._types import utcnow
from portal.orgs import services
from tests.conftest import PASSWORD, Account
from tests.helpers import count
from tests.portal.document_helpers import png_bytes
from tests.portal.test_cases import PERSON, _create_case
from tests.portal.test_consult import T37_ANSWERS


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


# ---------------------------------------------------------------------------- the route table
# Every route of the application, found by walking app.url_map: a route added tomorrow is covered
# without being listed here. Each id in its URL is filled with an object of organization A (linked
# to A's first case where it can be), and four outsiders try it with GET and with POST (with a valid
# CSRF token): an owner of organization B, a consultant without any engagement, a consultant engaged
# by A but limited to A's other case, and an anonymous visitor.

# The views anyone may open (marked @public). A new public view must be added here on purpose.
PUBLIC_ENDPOINTS = {
    "static",
    "main.index",
    "main.set_language",
    "main.healthz",
    "main.livez",
    "auth.login",
    "auth.register",
    "auth.register_consultant",
    "auth.request_reset",
    "auth.reset_password",
    "auth.verify_email",
    "orgs.accept_invitation",
    "consult.engagement_invitation",
    "compliance.ics_feed",
}
# What an engagement grants: the consultant limited to A's other case may still switch to A.
GRANTED_TO_ENGAGED_CONSULTANT = {"org_id"}
# URL parameters that do not name an object (the kind of import: roles or transferees).
NOT_OBJECTS = {"kind"}
SECRET = "Alpha Secret Corp."
FIRST_CASE_PERSON = "Avery"  # the transferee of A's first case, the one the limited consultant may not see


@dataclass
class World:
    values: dict  # URL parameter name -> a value naming an object of organization A
    outsiders: dict  # name -> signed-in test client (None: anonymous)


@pytest.fixture
def world(app, client, make_employer, make_consultant, add_member, login):
    a = make_employer(legal_name=SECRET)
    login(client, a)
    case_id = _create_case(client)  # enterprise 1, position 1, transferee 1 and its employment record
    response = client.post_form("/transferees/new", {**PERSON, "given_names": "Robin"})
    other_transferee = int(response.location.rstrip("/").split("/")[-1])
    response = client.post_form("/cases/new", {"transferee_id": str(other_transferee), "position_id": "1"})
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    other_case_id = int(response.location.rstrip("/").split("/")[-1])
    assert client.post_form(f"/cases/{case_id}/answers", T37_ANSWERS).status_code == 302
    response = client.post_form(
        f"/cases/{case_id}/documents",
        {"kind": "packet", "language": "en", "signatory_name": "Ada", "signatory_title": "HR"},
    )
    assert response.status_code == 302, response.get_data(as_text=True)[-1500:]
    document_id = int(response.location.split("#document-")[1])
    member = add_member(a.org_id)

    limited = make_consultant(email="limited@consult.example.com")
    unengaged = make_consultant(email="unengaged@consult.example.com")
    make_consultant(email="engaged@consult.example.com")
    for email, case_ids in (("engaged@consult.example.com", []), (limited.email, [other_case_id])):
        response = client.post_form(
            "/org/consultants", {"email": email, "case_ids": [str(i) for i in case_ids]}
        )
        assert response.status_code == 302, response.get_data(as_text=True)[-1500:]

    with app.test_request_context():
        org = db.session.get(Organization, a.org_id)
        owner = db.session.get(User, a.user_id)
        case = db.session.get(Case, case_id)
        evidence = documents.add_evidence(
            case, org, item="Proof of employment", filename="proof.png", data=png_bytes(), actor=owner
        )
        invitation = services.invite(org, email="alpha.invitee@example.com", role="member", actor=owner)
        token = pending.store(org, owner, kinds.KINDS["roles"], b"title\n")
        feed, _feed_token = feeds.create_feed(org, actor=owner)
        run = RulesetRun(
            organization_id=org.id, ruleset_version="2025.1-old", finished_at=utcnow(), changed_count=1
        )
        db.session.add(run)
        db.session.flush()
        db.session.add(
            RulesetChange(
                run_id=run.id,
                organization_id=org.id,
                case_id=case_id,
                old_version="2025.1-old",
                old_route="TFWP",
                new_version="2026",
                new_route=case.route,
                new_code=case.recommended_code,
            )
        )
        db.session.commit()
        engagements = {e.email: e.id for e in db.session.scalars(select(Engagement))}
        values = {
            "case_id": case_id,
            "document_id": document_id,
            "evidence_id": evidence.id,
            "engagement_id": engagements["engaged@consult.example.com"],
            "enterprise_id": 1,
            "position_id": 1,
            "transferee_id": case.transferee_id,
            "record_id": db.session.scalars(
                select(EmploymentRecord.id).where(EmploymentRecord.transferee_id == case.transferee_id)
            ).one(),
            "membership_id": db.session.scalars(
                select(Membership.id).where(Membership.user_id == member.user_id)
            ).one(),
            "invitation_id": invitation.id,
            "feed_id": feed.id,
            "org_id": a.org_id,
            "kind": "roles",
            "lang": "en",  # the support letter's language (/cases/<id>/letter/<lang>)
            "token": token,
            "run_id": run.id,
        }

    b_owner = app.test_client()
    login(b_owner, make_employer(legal_name="Bravo Ltd."))
    limited_client = app.test_client()
    login(limited_client, limited)
    response = limited_client.post_form(f"/engagements/{engagements[limited.email]}/accept")
    assert response.status_code == 302
    unengaged_client = app.test_client()
    login(unengaged_client, unengaged)
    return World(
        values=values,
        outsiders={
            "owner of B": b_owner,
            "consultant without engagement": unengaged_client,
            "consultant limited to A's other case": limited_client,
            "anonymous": app.test_client(),
        },
    )


def _fingerprint(app) -> dict:
    """Every row of every table, as text: what a refused request must leave unchanged."""
    with app.app_context():
        return {
            table.name: sorted(map(repr, db.session.execute(table.select()).all()))
            for table in db.metadata.sorted_tables
        }


def test_the_public_views_are_exactly_the_listed_ones(app):
    marked = {endpoint for endpoint, view in app.view_functions.items() if signin.is_public(endpoint, view)}
    assert marked == PUBLIC_ENDPOINTS


def test_every_route_refuses_organization_a_objects_to_every_outsider(app, world):
    before = _fingerprint(app)
    checked, failures = 0, []
    tokens = {name: c.csrf_token() for name, c in world.outsiders.items()}
    adapter = app.url_map.bind("localhost")
    for rule in app.url_map.iter_rules():
        if rule.endpoint in PUBLIC_ENDPOINTS:
            continue
        missing = rule.arguments - world.values.keys()
        assert not missing, f"{rule.rule}: give the world fixture an organization A value for {missing}"
        url = adapter.build(rule.endpoint, {k: world.values[k] for k in rule.arguments})
        objects = rule.arguments - NOT_OBJECTS
        for method in sorted(rule.methods & {"GET", "POST"}):
            for name, outsider in world.outsiders.items():
                if method == "POST" and not objects and name != "anonymous":
                    continue  # a POST without ids acts on the outsider's own organization
                if method == "GET":
                    response = outsider.get(url)
                else:
                    response = outsider.post(url, data={"csrf_token": tokens[name]})
                checked += 1
                status, body = response.status_code, response.get_data()
                if name == "anonymous":
                    ok = status == 302 and response.location.startswith("/login")
                elif not objects:  # a page of the outsider's own: nothing of what it may not see
                    hidden = FIRST_CASE_PERSON if name.startswith("consultant limited") else SECRET
                    ok = hidden.encode() not in body
                elif name.startswith("consultant limited") and objects <= GRANTED_TO_ENGAGED_CONSULTANT:
                    ok = True
                else:
                    ok = status == 404
                if not ok:
                    failures.append(f"{method} {url} by {name}: {status}")
    assert not failures, "\n".join(failures)
    assert checked > 200, checked
    assert _fingerprint(app) == before


# The views only an owner may use: a member of the same organization gets 403 and changes nothing.
OWNER_ONLY_ENDPOINTS = {
    "orgs.edit",
    "orgs.invite",
    "orgs.revoke_invitation",
    "orgs.change_role",
    "orgs.remove_member",
    "orgs.end_sessions",
    "documents.letterhead",
    "consult.engagements",
    "consult.revoke",
    "consult.scope",
}


def test_a_consultant_whose_engagement_was_revoked_reaches_nothing_and_a_member_no_owner_view(
    app, world, login
):
    """The route table again, for two insiders the walk above leaves out: the consultant engaged by A
    who accepted and was then revoked (every route with A's objects: 404, pages of their own: nothing of
    A), and a member of A without the owner's role (every owner's view: 403)."""
    with app.app_context():
        engagement = db.session.scalars(
            select(Engagement).where(Engagement.email == "engaged@consult.example.com")
        ).one()
        consultant = db.session.scalars(select(User).where(User.email == engagement.email)).one()
        member = db.session.get(Membership, world.values["membership_id"]).user
        engagement_id, consultant_account = engagement.id, Account(consultant.id, consultant.email, PASSWORD)
        member_account = Account(member.id, member.email, PASSWORD)
    revoked = app.test_client()
    login(revoked, consultant_account)
    assert revoked.post_form(f"/engagements/{engagement_id}/accept").status_code == 302
    assert revoked.get(f"/cases/{world.values['case_id']}").status_code == 200  # engaged: it sees A's case
    with app.app_context():
        engagement = db.session.get(Engagement, engagement_id)
        consult_services.revoke(engagement, actor=db.session.get(User, engagement.invited_by_id))
        db.session.commit()
    plain_member = app.test_client()
    login(plain_member, member_account)

    before = _fingerprint(app)
    tokens = {"revoked": revoked.csrf_token(), "member": plain_member.csrf_token()}
    adapter = app.url_map.bind("localhost")
    failures, checked = [], 0
    for rule in app.url_map.iter_rules():
        if rule.endpoint in PUBLIC_ENDPOINTS or rule.endpoint == "auth.logout":
            continue
        url = adapter.build(rule.endpoint, {k: world.values[k] for k in rule.arguments})
        objects = rule.arguments - NOT_OBJECTS
        for method in sorted(rule.methods & {"GET", "POST"}):
            for name, outsider in (("revoked", revoked), ("member", plain_member)):
                if name == "member" and rule.endpoint not in OWNER_ONLY_ENDPOINTS:
                    continue
                if name == "revoked" and method == "POST" and not objects:
                    continue  # a POST without ids acts on the consultant's own account
                if method == "GET":
                    response = outsider.get(url)
                else:
                    response = outsider.post(url, data={"csrf_token": tokens[name]})
                checked += 1
                if name == "member":
                    ok = response.status_code == 403
                elif objects:
                    ok = response.status_code == 404 or (
                        rule.endpoint == "consult.accept" and response.status_code == 302
                    )  # the engagement is its own: refused, it stays revoked (the fingerprint below)
                else:
                    ok = SECRET.encode() not in response.get_data()
                if not ok:
                    failures.append(f"{method} {url} by {name}: {response.status_code}")
    assert not failures, "\n".join(failures)
    assert checked > 70, checked
    assert _fingerprint(app) == before


def test_every_post_route_refuses_a_request_without_its_csrf_token(app, client, world):
    """Every POST of the route table, sent by organization A's owner (``client``, who may use them all)
    with A's objects and without the CSRF token: 400, and nothing is written."""
    before = _fingerprint(app)
    adapter = app.url_map.bind("localhost")
    failures, checked = [], 0
    for rule in app.url_map.iter_rules():
        if "POST" not in rule.methods:
            continue
        url = adapter.build(rule.endpoint, {k: world.values[k] for k in rule.arguments})
        response = client.post(url, data={"email": "x@example.com", "role": "owner", "lang": "fr"})
        checked += 1
        if response.status_code != 400 or "The form expired" not in response.get_data(as_text=True):
            failures.append(f"POST {url}: {response.status_code}")
    assert not failures, "\n".join(failures)
    assert checked > 40, checked
    assert _fingerprint(app) == before
    assert client.get("/dashboard").status_code == 200  # still signed in: the sign-out was refused too
