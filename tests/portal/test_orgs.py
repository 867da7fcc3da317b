"""Invitations, roles, members and switching organizations, against PostgreSQL."""

from __future__ import annotations

import html
import re
from datetime import UTC, datetime

import pytest

from portal import labels
from portal.cli import DEMO_ORG
from portal.extensions import db
from portal.forms_common import POSTAL_CODE_PROVINCES
from portal.models import AuditEvent, CalendarFeed, Invitation, Membership, Role, User
from tests.conftest import ORG_DATA, PASSWORD
from tests.helpers import POSTAL_CODES, count


def _invite(client, email, role="member"):
    return client.post_form("/org/invitations", {"email": email, "role": role})


def _link(outbox) -> str:
    return re.search(r"https?://[^/\s]+(/invitations/\S+)", outbox[-1].body).group(1)


def _membership(app, user_id, org_id) -> Membership | None:
    with app.app_context():
        m = db.session.query(Membership).filter_by(user_id=user_id, organization_id=org_id).one_or_none()
        if m is not None:
            db.session.expunge(m)
        return m


def test_owner_invites_a_new_colleague_who_registers_through_the_link(
    app, client, make_employer, login, outbox
):
    owner = make_employer()
    login(client, owner)
    response = _invite(client, "new.hire@example.com", "member")
    assert response.status_code == 302
    link = _link(outbox)
    assert "new.hire@example.com" in outbox[-1].to
    client.post_form("/logout")

    page = client.get(link)
    assert page.status_code == 200 and "new.hire@example.com" in page.get_data(as_text=True)
    response = client.post_form(link, {"name": "Nia Newhire", "password": PASSWORD, "confirm": PASSWORD})
    assert response.status_code == 302
    with app.app_context():
        user = db.session.query(User).filter_by(email="new.hire@example.com").one()
        invitation = db.session.query(Invitation).one()
        assert invitation.accepted_at is not None
        user_id = user.id
    membership = _membership(app, user_id, owner.org_id)
    assert membership.role == Role.MEMBER
    assert client.get("/org/").status_code == 200
    # The link is single-use.
    client.post_form("/logout")
    again = client.get(link)
    assert again.status_code == 400 and "not valid" in again.get_data(as_text=True)


def test_existing_user_accepts_an_invitation_after_signing_in(app, client, make_employer, login, outbox):
    owner = make_employer()
    other = make_employer()  # owns another organization: will belong to two
    login(client, owner)
    _invite(client, other.email, "owner")
    link = _link(outbox)
    client.post_form("/logout")

    page = client.get(link)
    assert "Sign in" in page.get_data(as_text=True)
    login(client, other)
    response = client.post_form(link)
    assert response.status_code == 302
    assert _membership(app, other.user_id, owner.org_id).role == Role.OWNER


def test_invitation_for_someone_else_is_refused(app, client, make_employer, login, outbox):
    owner = make_employer()
    stranger = make_employer()
    login(client, owner)
    _invite(client, "intended@example.com")
    link = _link(outbox)
    client.post_form("/logout")
    login(client, stranger)
    response = client.post_form(link)
    assert response.status_code == 403 and "intended@example.com" in response.get_data(as_text=True)
    assert _membership(app, stranger.user_id, owner.org_id) is None


def test_expired_forged_and_revoked_invitations_are_refused_and_write_nothing(
    app, client, make_employer, login, outbox, backdated_links
):
    owner = make_employer()
    login(client, owner)
    with backdated_links(8 * 24 * 3600):
        _invite(client, "late@example.com")
    expired = _link(outbox)
    _invite(client, "revoked@example.com")
    revoked = _link(outbox)
    with app.app_context():
        revoked_id = db.session.query(Invitation).filter_by(email="revoked@example.com").one().id
    assert client.post_form(f"/org/invitations/{revoked_id}/revoke", {"confirmed": "1"}).status_code == 302
    client.post_form("/logout")
    users_before = count(app, User)

    form = {"name": "Late Person", "password": PASSWORD, "confirm": PASSWORD}
    response = client.post_form(expired, form)
    assert response.status_code == 400 and "expired" in response.get_data(as_text=True)
    response = client.post_form(revoked, form)
    assert response.status_code == 400 and "revoked" in response.get_data(as_text=True)
    response = client.post_form(revoked[:-4] + "AAAA", form)
    assert response.status_code == 400 and "not valid" in response.get_data(as_text=True)
    assert count(app, User) == users_before


def test_inviting_a_current_member_gives_a_message(app, client, make_employer, add_member, login, outbox):
    owner = make_employer()
    member = add_member(owner.org_id)
    login(client, owner)
    response = _invite(client, member.email)
    assert response.status_code == 400 and "already a member" in response.get_data(as_text=True)
    assert count(app, Invitation) == 0 and outbox == []


def test_owner_changes_roles_and_the_last_owner_cannot_be_demoted(
    app, client, make_employer, add_member, login
):
    owner = make_employer()
    member = add_member(owner.org_id)
    login(client, owner)
    with app.app_context():
        member_mid = db.session.query(Membership).filter_by(user_id=member.user_id).one().id
        owner_mid = db.session.query(Membership).filter_by(user_id=owner.user_id).one().id

    refused = client.post_form(f"/org/members/{owner_mid}/role", {"role": "member"})
    assert refused.status_code == 409 and "at least one owner" in refused.get_data(as_text=True)
    assert _membership(app, owner.user_id, owner.org_id).role == Role.OWNER

    assert client.post_form(f"/org/members/{member_mid}/role", {"role": "owner"}).status_code == 302
    assert _membership(app, member.user_id, owner.org_id).role == Role.OWNER
    with app.app_context():
        event = db.session.query(AuditEvent).filter_by(action="membership.role_changed").one()
        assert event.data == {"user_id": member.user_id, "from": "member", "to": "owner"}

    bad = client.post_form(f"/org/members/{member_mid}/role", {"role": "emperor"})
    assert bad.status_code == 400
    assert _membership(app, member.user_id, owner.org_id).role == Role.OWNER


def test_members_cannot_manage_people(app, client, make_employer, add_member, login):
    owner = make_employer()
    member = add_member(owner.org_id)
    login(client, member)
    with app.app_context():
        owner_mid = db.session.query(Membership).filter_by(user_id=owner.user_id).one().id
    assert client.get("/org/").status_code == 200
    assert client.post_form(f"/org/members/{owner_mid}/role", {"role": "member"}).status_code == 403
    assert client.post_form(f"/org/members/{owner_mid}/remove").status_code == 403
    assert (
        client.post_form("/org/invitations", {"email": "x@example.com", "role": "owner"}).status_code == 403
    )
    assert client.get("/org/edit").status_code == 403
    assert _membership(app, owner.user_id, owner.org_id).role == Role.OWNER


def test_owner_removes_a_member_who_then_loses_access(app, client, make_employer, add_member, login):
    owner = make_employer()
    member = add_member(owner.org_id)
    member_client = app.test_client()
    login(member_client, member)
    assert member_client.get("/org/").status_code == 200

    login(client, owner)
    with app.app_context():
        member_mid = db.session.query(Membership).filter_by(user_id=member.user_id).one().id
    assert client.post_form(f"/org/members/{member_mid}/remove", {"confirmed": "1"}).status_code == 302
    assert _membership(app, member.user_id, owner.org_id) is None
    response = member_client.get("/org/")  # on the very next request: signed out (their sessions ended)
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_removing_a_member_revoking_an_invitation_or_a_calendar_link_asks_first(
    app, client, make_employer, add_member, login
):
    """An HR user removed a member (and revoked an invitation, a calendar link) with one click by mistake:
    it happened at once. Each button now asks first as the job's removal does: the form carries the
    question (data-confirm, a dialog with JavaScript, Cancel focused) and, without confirmed=1, the server
    answers with a page asking the same question, changing nothing."""
    owner = make_employer(legal_name="Invented Maple Ltd.")
    member = add_member(owner.org_id)
    login(client, owner)
    _invite(client, "pending@example.com")
    assert client.post_form("/calendar/feeds").status_code == 302
    with app.app_context():
        mid = db.session.query(Membership).filter_by(user_id=member.user_id).one().id
        invitation_id = db.session.query(Invitation).one().id
        member_name = db.session.get(User, member.user_id).name
        owner_name = db.session.get(User, owner.user_id).name
        feed_id = db.session.query(CalendarFeed).one().id
    settings = client.get("/org/").get_data(as_text=True)
    calendar = client.get("/calendar").get_data(as_text=True)
    cases = [
        (
            settings,
            f"/org/members/{mid}/remove",
            f"Remove {member_name} from Invented Maple Ltd.? They are signed out and lose access to its data now.",
        ),
        (
            settings,
            f"/org/invitations/{invitation_id}/revoke",
            "Revoke the invitation sent to pending@example.com? Its link stops working.",
        ),
        (
            calendar,
            f"/calendar/feeds/{feed_id}/revoke",
            f"Revoke the calendar link of {owner_name}? Calendar apps reading it stop receiving the dates.",
        ),
    ]
    for page, url, question in cases:
        form = re.search(rf'<form method="post" action="{re.escape(url)}"[^>]*>', page)
        assert form, url
        assert f'data-confirm="{question}' in html.unescape(form.group(0)), form.group(0)
        assert 'data-cancel="Cancel"' in form.group(0)
        asked = client.post_form(url)
        text = html.unescape(asked.get_data(as_text=True))
        assert asked.status_code == 200 and 'id="confirm-page"' in text and question in text, url
        assert 'name="confirmed" value="1"' in text
    # Nothing changed while it asked.
    assert _membership(app, member.user_id, owner.org_id) is not None
    with app.app_context():
        assert db.session.get(Invitation, invitation_id).revoked_at is None
        assert db.session.get(CalendarFeed, feed_id).revoked_at is None
    # Confirmed: done.
    for _page, url, _question in cases:
        assert client.post_form(url, {"confirmed": "1"}).status_code == 302, url
    assert _membership(app, member.user_id, owner.org_id) is None
    with app.app_context():
        assert db.session.get(Invitation, invitation_id).revoked_at is not None
        assert db.session.get(CalendarFeed, feed_id).revoked_at is not None


def test_user_switches_between_organizations(app, client, make_employer, add_member, login):
    first = make_employer(legal_name="First Employer Inc.")
    second = make_employer(legal_name="Second Employer Inc.")
    add_member(second.org_id, role="member", email=first.email)
    login(client, first)
    assert "First Employer Inc." in client.get("/org/").get_data(as_text=True)
    response = client.post_form(f"/orgs/{second.org_id}/switch")
    assert response.status_code == 302
    page = client.get("/org/").get_data(as_text=True)
    assert "Second Employer Inc." in page and "First Employer Inc." not in page.split("<main")[1]


def test_owner_edits_the_organization_and_bad_input_changes_nothing(app, client, make_employer, login):
    owner = make_employer(legal_name="Before Ltd.")
    login(client, owner)
    page = client.get("/org/edit").get_data(as_text=True)
    assert "Before Ltd." in page

    data = {**ORG_DATA, "legal_name": "After Ltd.", "business_number": "555666777"}
    bad = client.post_form("/org/edit", {**data, "business_number": "55566677"})
    assert bad.status_code == 400 and "9 digits" in bad.get_data(as_text=True)
    assert "Before Ltd." in client.get("/org/").get_data(as_text=True)
    assert client.post_form("/org/edit", data).status_code == 302
    assert "After Ltd." in client.get("/org/").get_data(as_text=True)


@pytest.mark.parametrize(
    ("lang", "required", "not_whole"),
    [
        ("en", "This field is required.", "Enter a whole number."),
        ("fr", "Ce champ est requis.", "Saisissez un nombre entier."),
    ],
)
def test_an_empty_number_of_employees_says_the_field_is_required_as_the_others_do(
    app, client, make_employer, login, lang, required, not_whole
):
    """Tour: the organization form's empty "Number of employees in Canada" said "Enter a whole number."
    where every other empty required field says "This field is required."; text that is no number still asks
    for a whole number."""
    owner = make_employer(legal_name="Before Ltd.")
    login(client, owner)
    client.post_form("/language", {"lang": lang})
    empty = client.post_form("/org/edit", {**ORG_DATA, "employees": "", "city": ""})
    page = html.unescape(empty.get_data(as_text=True))
    assert empty.status_code == 400
    employees = page.split('name="employees"', 1)[1].split("</div>", 2)
    assert required in "".join(employees) and not_whole not in "".join(employees), employees
    assert page.count(required) == 2  # the city's and the number's: the same words
    many = client.post_form("/org/edit", {**ORG_DATA, "employees": "many"})
    assert not_whole in html.unescape(many.get_data(as_text=True))


@pytest.mark.parametrize(
    ("province", "postal_code", "message"),
    [
        ("BC", "K1A 0B1", "The postal code K1A 0B1 is in Ontario, not British Columbia"),
        ("ON", "v6b 1a1", "The postal code V6B 1A1 is in British Columbia, not Ontario"),
        ("AB", "X0A 0H0", "The postal code X0A 0H0 is in Northwest Territories or Nunavut, not Alberta"),
        ("QC", "M5V 2T6", "The postal code M5V 2T6 is in Ontario, not Quebec"),
    ],
)
def test_a_postal_code_of_another_province_is_refused_and_the_address_kept(
    app, client, make_employer, login, province, postal_code, message
):
    owner = make_employer(legal_name="Before Ltd.")
    login(client, owner)
    data = {**ORG_DATA, "legal_name": "After Ltd.", "province": province, "postal_code": postal_code}
    response = client.post_form("/org/edit", data)
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert message in page
    assert 'value="After Ltd."' in page and f'value="{postal_code.upper()}"' in page
    assert "Before Ltd." in client.get("/org/").get_data(as_text=True)
    response = client.post_form("/orgs/new", {**data, "business_number": "444555666"})
    assert response.status_code == 400 and message in response.get_data(as_text=True)


@pytest.mark.parametrize(
    ("province", "postal_code"),
    [("NU", "X0A 0H0"), ("NT", "X1A 2P7"), ("QC", "H2X 1Y4"), ("NL", "A1C 5M2"), ("YT", "Y1A 2C6")],
)
def test_a_postal_code_of_the_province_is_accepted(app, client, make_employer, login, province, postal_code):
    login(client, make_employer())
    data = {**ORG_DATA, "province": province, "postal_code": postal_code}
    assert client.post_form("/org/edit", data).status_code == 302


def test_every_province_has_postal_codes_and_the_tests_invented_ones_match():
    provinces = {p for codes in POSTAL_CODE_PROVINCES.values() for p in codes}
    assert provinces == set(labels.PROVINCE) == set(POSTAL_CODES)
    assert all(p in POSTAL_CODE_PROVINCES[code[0]] for p, code in POSTAL_CODES.items())
    assert ORG_DATA["province"] in POSTAL_CODE_PROVINCES[str(ORG_DATA["postal_code"])[0]]
    assert DEMO_ORG["province"] in POSTAL_CODE_PROVINCES[DEMO_ORG["postal_code"][0]]


def test_a_user_can_register_another_employer(app, client, make_employer, login):
    owner = make_employer()
    login(client, owner)

    response = client.post_form(
        "/orgs/new", {**ORG_DATA, "legal_name": "Sister Co Ltd.", "business_number": "444555666"}
    )
    assert response.status_code == 302
    assert "Sister Co Ltd." in client.get("/org/").get_data(as_text=True)


def test_a_pending_invitation_expires_on_the_organizations_clock(app, client, make_employer, login, outbox):
    """The organization page printed an invitation's expiry as a UTC date with no zone: a day late for an
    invitation expiring in the evening in Canada. It gives the time in the organization's zone, named."""
    login(client, make_employer())
    assert _invite(client, "late@example.com").status_code == 302
    with app.app_context():
        invitation = db.session.query(Invitation).filter_by(email="late@example.com").one()
        invitation.expires_at = datetime(2030, 1, 10, 3, 30, tzinfo=UTC)  # 22:30 on the 9th in Toronto
        org = invitation.organization
        org.time_zone = "America/Toronto"
        db.session.commit()
    page = client.get("/org/").get_data(as_text=True)
    assert "expires Jan 9, 2030, 10:30\u202fp.m. EST" in page and "Jan 10" not in page


def test_switching_to_an_organization_whose_name_ends_with_a_full_stop_writes_one(
    app, client, make_employer, add_member, login
):
    first = make_employer(legal_name="First Employer Inc.")
    second = make_employer(legal_name="Second Employer Inc.")
    add_member(second.org_id, role="member", email=first.email)
    login(client, first)
    client.post_form(f"/orgs/{second.org_id}/switch")
    page = client.get("/org/").get_data(as_text=True)
    assert "You are now working in Second Employer Inc." in page and "Inc.." not in page


def test_an_invitation_to_an_existing_account_leads_to_a_sign_in_page_with_its_address(
    app, client, make_employer, login, outbox
):
    owner = make_employer()
    other = make_employer()
    login(client, owner)
    _invite(client, other.email, "member")
    link = _link(outbox)
    client.post_form("/logout")
    assert client.get(link).status_code == 200
    page = client.get("/login?next=" + link).get_data(as_text=True)
    assert re.search(rf'<input[^>]*\bid="email"[^>]*\bvalue="{re.escape(other.email)}"', page)
