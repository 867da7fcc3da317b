"""An invitation link takes back an address a stranger registered and never confirmed (probe of the
production shape): a member invitation or an engagement, squatted by an account of the other kind.

The link was mailed to the invited address, so following it proves the address: an account whose address
was never confirmed and that holds nothing of its own is taken over (the invitee's name and password, the
address confirmed, the squatter's password and sessions dead, the kind of account the invitation expects);
one that holds something is refused with the way out; a confirmed account signs in, as before."""

from __future__ import annotations

import html
import re

import pytest
from sqlalchemy import select

from portal.extensions import db
from portal.models import (
    AccountType,
    AuditEvent,
    Engagement,
    EngagementStatus,
    Membership,
    Organization,
    Role,
    User,
)
from tests.conftest import ORG_DATA, PASSWORD

INVITED = "kit.invited@invented-firm.example.com"  # invented
NEW_PASSWORD = "taken-back-password-2026"
# what the invitee types on the takeover form: a colleague's, and a consultant's (with a licence number)
MEMBER_FORM = {"name": "Kit Invited", "password": NEW_PASSWORD, "confirm": NEW_PASSWORD}
CONSULTANT_FORM = {**MEMBER_FORM, "cicc_licence": "R765432"}


def _link(outbox, path: str) -> str:
    [found] = [
        match.group(1)
        for m in outbox
        if INVITED in m.to and (match := re.search(rf"https?://[^/\s]+(/{path}/\S+)", m.body))
    ]
    return found


def _user(app) -> User:
    with app.app_context():
        user = db.session.scalars(select(User).where(User.email == INVITED)).one()
        db.session.expunge(user)
        return user


def _events(app, action: str) -> list[AuditEvent]:
    with app.app_context():
        events = list(db.session.scalars(select(AuditEvent).where(AuditEvent.action == action)))
        for event in events:
            db.session.expunge(event)
        return events


def _invite_member(client, owner, login, outbox) -> str:
    login(client, owner)
    assert client.post_form("/org/invitations", {"email": INVITED, "role": "member"}).status_code == 302
    client.post_form("/logout")
    return _link(outbox, "invitations")


def _engage(client, owner, login, outbox) -> str:
    login(client, owner)
    assert client.post_form("/org/consultants", {"email": INVITED}).status_code == 302
    client.post_form("/logout")
    return _link(outbox, "engagements/invitation")


def _squatter_session(app, login, squatter):
    """The squatter signed in on a browser of their own (an account made before sign-in needed a confirmed
    address signs in unconfirmed; one made by today's registration page cannot sign in at all)."""
    browser = app.test_client()
    login(browser, squatter)
    assert browser.get("/dashboard").status_code == 200
    return browser


def _squatter_is_locked_out(app, squatter_browser):
    assert squatter_browser.get("/dashboard").status_code == 302  # its session ended
    again = app.test_client()
    assert again.post_form("/login", {"email": INVITED, "password": PASSWORD}).status_code == 401
    assert again.post_form("/login", {"email": INVITED, "password": NEW_PASSWORD}).status_code == 302


def test_a_member_invitation_takes_back_the_address_from_an_unconfirmed_consultant_account(
    app, client, make_employer, make_consultant, login, outbox
):
    owner = make_employer(legal_name="Invented Harbour Works Ltd.")
    squatter = make_consultant(email=INVITED, licence="R654321", verified=False)
    squatter_browser = _squatter_session(app, login, squatter)
    link = _invite_member(client, owner, login, outbox)

    invitee = app.test_client()
    page = invitee.get(link).get_data(as_text=True)
    assert "its address was never confirmed" in page and "Take over the address and join" in page
    assert "An account with this email exists. Sign in" not in page
    # the form is CSRF-protected
    refused = invitee.post(link, data=MEMBER_FORM)
    assert refused.status_code == 400 and _user(app).name != "Kit Invited"

    response = invitee.post_form(link, MEMBER_FORM)
    assert response.status_code == 302 and response.location.endswith("/dashboard")
    user = _user(app)
    assert (user.id, user.name, user.account_type) == (squatter.user_id, "Kit Invited", AccountType.EMPLOYER)
    assert user.email_verified_at is not None and user.cicc_licence is None
    with app.app_context():
        membership = db.session.scalars(select(Membership).where(Membership.user_id == user.id)).one()
        assert (membership.organization_id, membership.role) == (owner.org_id, Role.MEMBER)
    assert "Invented Harbour Works" in invitee.get("/org/").get_data(as_text=True)
    [event] = _events(app, "user.taken_over")
    assert event.data["former"]["account_type"] == "consultant"
    assert event.data["former"]["cicc_licence"] == "R654321"
    assert event.data["sessions_ended"] == 1 and event.data["invitation_id"]
    assert _events(app, "invitation.accepted")
    _squatter_is_locked_out(app, squatter_browser)
    assert invitee.get(link).status_code == 400  # the link is used


def test_an_engagement_takes_back_the_address_from_an_unconfirmed_employer_account(
    app, client, make_employer, login, outbox
):
    owner = make_employer(legal_name="Invented Cedar Foods Inc.")
    squatter = make_employer(
        email=INVITED, legal_name="Squatted Name Ltd.", business_number="123456780", verified=False
    )
    squatter_browser = _squatter_session(app, login, squatter)
    link = _engage(client, owner, login, outbox)

    consultant = app.test_client()
    page = consultant.get(link).get_data(as_text=True)
    assert "its address was never confirmed" in page and "Take over the address and accept" in page
    form = CONSULTANT_FORM
    response = consultant.post_form(link, form)
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    user = _user(app)
    assert (user.id, user.account_type, user.cicc_licence) == (
        squatter.user_id,
        AccountType.CONSULTANT,
        "R765432",
    )
    with app.app_context():
        engagement = db.session.scalars(select(Engagement)).one()
        assert (engagement.status, engagement.consultant_id) == ("active", user.id)
        # the squatter's empty organization has no member left, and the business number it named is free again
        assert db.session.get(Organization, squatter.org_id).business_number is None
        assert db.session.scalars(select(Membership).where(Membership.user_id == user.id)).all() == []
    [event] = _events(app, "user.taken_over")
    assert event.data["former"]["organizations"][0]["business_number"] == "123456780"
    assert _events(app, "engagement.accepted")
    assert "Invented Cedar Foods" in consultant.get("/dashboard").get_data(as_text=True)
    _squatter_is_locked_out(app, squatter_browser)


def test_a_squatter_made_by_the_registration_page_is_taken_over_too(
    app, client, make_employer, login, outbox
):
    """The production shape: the stranger registers an employer on the public page and never confirms."""
    owner = make_employer()
    link = _invite_member(client, owner, login, outbox)
    stranger = app.test_client()
    registration = {
        **ORG_DATA,
        "name": "Sly Stranger",
        "email": INVITED,
        "password": PASSWORD,
        "confirm": PASSWORD,
        "business_number": "987654321",
    }
    assert stranger.post_form("/register", registration).status_code == 302
    assert stranger.post_form("/login", {"email": INVITED, "password": PASSWORD}).status_code == 401

    invitee = app.test_client()
    response = invitee.post_form(link, MEMBER_FORM)
    assert response.status_code == 302
    with app.app_context():
        user = db.session.scalars(select(User).where(User.email == INVITED)).one()
        orgs = [m.organization_id for m in user.memberships]
        assert orgs == [owner.org_id]
        assert (
            db.session.scalars(select(Organization).where(Organization.business_number == "987654321")).all()
            == []
        )


@pytest.mark.parametrize("kind", ["member", "engagement"])
def test_an_unconfirmed_account_that_holds_data_is_refused_and_nothing_changes(
    app, client, make_employer, make_consultant, add_member, login, outbox, kind
):
    owner = make_employer(legal_name="Invented Lakeside Ltd.")
    if kind == "member":  # a consultant squatter bound to another employer's engagement
        squatter = make_consultant(email=INVITED, verified=False)
        other = make_employer()
        with app.app_context():
            db.session.add(
                Engagement(
                    organization_id=other.org_id,
                    email=INVITED,
                    consultant_id=squatter.user_id,
                    status=EngagementStatus.ACTIVE,
                )
            )
            db.session.commit()
        link = _invite_member(client, owner, login, outbox)
        form = MEMBER_FORM
    else:  # an employer squatter whose organization has a colleague
        squatter = make_employer(email=INVITED, verified=False)
        add_member(squatter.org_id)
        link = _engage(client, owner, login, outbox)
        form = CONSULTANT_FORM
    before = _user(app)

    invitee = app.test_client()
    page = invitee.get(link)
    text = page.get_data(as_text=True)
    assert page.status_code == 409 and "it already holds data" in text
    assert "Contact Tester" in text and "Invented Lakeside Ltd." in text  # the way out: the inviter
    response = invitee.post_form(link, form)
    assert response.status_code == 409
    after = _user(app)
    assert (after.name, after.password_hash, after.account_type, after.email_verified_at) == (
        before.name,
        before.password_hash,
        before.account_type,
        None,
    )
    assert _events(app, "user.taken_over") == []
    assert app.test_client().post_form("/login", {"email": INVITED, "password": PASSWORD}).status_code == 302


@pytest.mark.parametrize("kind", ["member", "engagement"])
def test_a_confirmed_account_is_not_taken_over(
    app, client, make_employer, make_consultant, login, outbox, kind
):
    owner = make_employer()
    if kind == "member":
        make_consultant(email=INVITED)
        link = _invite_member(client, owner, login, outbox)
        form = MEMBER_FORM
    else:
        make_employer(email=INVITED)
        link = _engage(client, owner, login, outbox)
        form = CONSULTANT_FORM
    before = _user(app)
    invitee = app.test_client()
    page = invitee.get(link).get_data(as_text=True)
    assert "An account with this email exists. Sign in" in page and "Take over" not in page
    invitee.post_form(link, form)
    after = _user(app)
    assert (after.name, after.password_hash, after.account_type) == (
        before.name,
        before.password_hash,
        before.account_type,
    )
    assert _events(app, "user.taken_over") == []


def test_an_engagement_link_without_an_account_leads_to_the_registration(
    app, client, make_employer, login, outbox
):
    owner = make_employer()
    link = _engage(client, owner, login, outbox)
    response = app.test_client().get(link)
    assert response.status_code == 302 and "/register/consultant" in response.location
    assert app.test_client().get(link[:-4] + "AAAA").status_code == 400


def test_the_takeover_page_reads_in_french(app, client, make_employer, make_consultant, login, outbox):
    owner = make_employer()
    make_consultant(email=INVITED, verified=False)
    link = _invite_member(client, owner, login, outbox)
    page = app.test_client().get(link, headers={"Accept-Language": "fr"}).get_data(as_text=True)
    assert "n'a jamais été confirmée" in html.unescape(page)
    assert "Reprendre l'adresse et rejoindre" in html.unescape(page)
