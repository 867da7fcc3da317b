"""Every link in a mail is on the configured PUBLIC_URL, never on the Host header of the request that
sent it: a forged Host would otherwise mail a victim a link to another site (PostgreSQL, locmem mail)."""

from __future__ import annotations

import re
from datetime import date

import pytest

from portal.book import notify as book_notify
from portal.compliance import notify as compliance_notify
from portal.compliance.services import CalendarItem
from portal.extensions import db
from portal.models import Case, RulesetRun
from tests.conftest import CSRFClient
from tests.portal.test_auth import registration
from tests.portal.test_cases import _create_case
from tests.portal.test_consult import T37_ANSWERS, accept, engage, packet
from tests.portal.test_review_page import _letter_key

PUBLIC = "https://portal.example.org"
FORGED = "attacker.example"


class ForgedHostClient(CSRFClient):
    """A client whose every request says ``Host: attacker.example`` (sign-in included)."""

    def open(self, *args, **kwargs):
        if args and isinstance(args[0], str):
            kwargs["headers"] = {"Host": FORGED, **dict(kwargs.get("headers") or {})}
        return super().open(*args, **kwargs)


@pytest.fixture
def public_app(app):
    app.config["PUBLIC_URL"] = PUBLIC
    return app


@pytest.fixture
def forged(public_app) -> ForgedHostClient:
    client = ForgedHostClient(public_app, public_app.response_class, use_cookies=True)
    assert FORGED in client.get("/login").request.host  # the forged header reaches the app
    return client


def links(message) -> list[str]:
    found = re.findall(r"https?://\S+", message.body)
    assert found, message.body
    return found


def assert_public(message) -> None:
    for link in links(message):
        assert link.startswith(PUBLIC + "/"), link
        assert FORGED not in link


def test_the_address_confirmation_link_is_on_public_url(forged, outbox):
    assert forged.post_form("/register", registration(email="victim@newco.example.com")).status_code == 302
    [message] = outbox
    assert message.to == ["victim@newco.example.com"]
    assert_public(message)
    assert "/verify/" in links(message)[0]


def test_the_password_reset_link_is_on_public_url(forged, make_employer, outbox):
    account = make_employer()
    assert forged.post_form("/reset", {"email": account.email}).status_code == 302
    [message] = outbox  # the broker of the tests runs the task in the request when it is down
    assert_public(message)
    assert "/reset/" in links(message)[0]


def test_the_invitation_link_is_on_public_url(forged, make_employer, login, outbox):
    login(forged, make_employer())
    assert (
        forged.post_form("/org/invitations", {"email": "victim@example.com", "role": "member"}).status_code
        == 302
    )
    [message] = outbox
    assert_public(message)
    assert "/invitations/" in links(message)[0]


def test_the_engagement_and_the_decision_mails_link_to_public_url(
    public_app, make_employer, make_consultant, login, outbox
):
    employer = ForgedHostClient(public_app, public_app.response_class, use_cookies=True)
    login(employer, make_employer(legal_name="Maple Invented Analytics Ltd."))
    case_id = _create_case(employer)
    assert employer.post_form(f"/cases/{case_id}/answers", T37_ANSWERS).status_code == 302
    engage(employer)
    [engagement] = outbox
    assert_public(engagement)
    # an address with no account yet: the registration, the address filled in, then the dashboard; and the
    # engagement's own link (the way in, also when an account never confirmed holds the address)
    assert links(engagement)[:2] == [
        PUBLIC + "/register/consultant?email=rae@consult.example.com",
        PUBLIC + "/dashboard",
    ]
    [own] = links(engagement)[2:]
    assert own.startswith(PUBLIC + "/engagements/invitation/")

    consultant = ForgedHostClient(public_app, public_app.response_class, use_cookies=True)
    login(consultant, make_consultant(email="rae@consult.example.com", licence="R512345"))
    accept(public_app, consultant)
    document_id = packet(employer, case_id)
    outbox.clear()
    key, _heading = _letter_key(public_app, document_id)
    response = consultant.post_form(
        f"/documents/{document_id}/review",
        {"decision": "returned", f"section-letter:{key}": "Add the hours."},
    )
    assert response.status_code == 302
    assert outbox, "the employer is mailed the decision"
    for message in outbox:
        assert_public(message)
    assert f"{PUBLIC}/cases/{case_id}/documents" in outbox[0].body


def test_the_reminder_and_rule_change_mails_link_to_public_url_even_inside_a_forged_request(
    public_app, client, make_employer, login, outbox
):
    """The worker tasks mail outside any request; called from inside one (a forged Host), the links
    are still PUBLIC_URL's."""
    account = make_employer()
    login(client, account)
    case_id = _create_case(client)
    with public_app.test_request_context(base_url=f"http://{FORGED}"):
        case = db.session.get(Case, case_id)
        item = CalendarItem(
            kind="permit_expiry",
            label="Work permit expires",
            date=date(2029, 12, 31),
            case=case,
            informational=False,
        )
        compliance_notify.mail_reminder(case, item)
        run = RulesetRun(organization_id=account.org_id, ruleset_version="test")
        db.session.add(run)
        db.session.flush()
        book_notify.mail_owners(run)
        db.session.rollback()
    assert len(outbox) == 2  # the reminder to the one member, the rule-change mail to the one owner
    for message in outbox:
        assert_public(message)


def test_the_private_calendar_feed_link_is_on_public_url(forged, make_employer, login):
    login(forged, make_employer())
    assert forged.post_form("/calendar/feeds").status_code == 302
    page = forged.get("/calendar").get_data(as_text=True)
    link = re.search(r'id="ics-feed">([^<]+)<', page).group(1)
    assert link.startswith(PUBLIC + "/calendar/") and FORGED not in link, link
