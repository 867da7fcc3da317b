"""In real headless Chromium: the demo employer's dashboard and a consultant's, engaged by the demo
employer and by a second organization (on one of its cases only). Screenshots of both dashboards are
written to $DASHBOARD_SHOTS (default: test-artifacts/)."""

from __future__ import annotations

import os
import re
from datetime import timedelta
from pathlib import Path

import pytest
from playwright.sync_api import expect

from portal import clock
from portal.cli import DEMO_PASSWORD, DEMO_USERS, seed_demo
from portal.extensions import db
from portal.models import Case
from tests.browser.conftest import ARTIFACTS_DIR
from tests.browser.helpers import sign_in
from tests.conftest import Account
from tests.portal.test_consult import packet
from tests.portal.test_dashboard import _engage_and_accept, _open_case

pytestmark = pytest.mark.browser


def _shot(page, name: str) -> None:
    folder = Path(os.environ.get("DASHBOARD_SHOTS") or ARTIFACTS_DIR)
    folder.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(folder / name), full_page=True)


def test_demo_employer_and_consultant_dashboards(
    browser, live_server, app, make_employer, make_consultant, login
):
    with app.app_context():
        seed_demo()
        demo_case = db.session.query(Case).order_by(Case.id).first().id
        demo_org = db.session.get(Case, demo_case).organization_id
    owner = Account(0, DEMO_USERS[0][1], DEMO_PASSWORD, demo_org)
    demo = app.test_client()
    login(demo, owner)
    rcic = make_consultant(email="rae@consult.example.com", licence="R512345")
    rc = app.test_client()
    login(rc, rcic)

    asking = _open_case(app, demo, "Morgan", answers=False)
    returned = _open_case(app, demo, "Riley")
    approved = _open_case(app, demo, "Casey")
    permit = _open_case(app, demo, "Devon")
    _engage_and_accept(app, demo, rc)
    v_returned, v_approved, v_permit = packet(demo, returned), packet(demo, approved), packet(demo, permit)
    # A second organization engages the consultant on one of its two cases.
    other = app.test_client()
    login(other, make_employer(legal_name="Birch Invented Robotics Inc."))
    in_scope = _open_case(app, other, "Skyler", setup=True)
    hidden = _open_case(app, other, "Hidden")
    _engage_and_accept(app, other, rc, case_ids=[in_scope])
    packet(other, in_scope)
    packet(other, hidden)

    pages = [browser.new_context().new_page() for _ in range(2)]
    employer, consultant = pages
    # The consultant reviews in the browser (an approval is signed in the server's thread: the test
    # client would sign inside Playwright's running event loop, where asyncio.run is refused).
    sign_in(consultant, live_server, rcic)
    for document_id, decision, comment in (
        (v_returned, "returned", "Add the reporting line."),
        (v_approved, "approved", ""),
        (v_permit, "approved", ""),
    ):
        consultant.goto(f"{live_server}/documents/{document_id}/review")
        consultant.get_by_label("Decision").select_option(decision)
        consultant.get_by_label("Comment").fill(comment)
        if decision == "approved" and consultant.locator("#letter-gaps").count():
            consultant.get_by_label("Approve it as it is").check()  # the letter still has places to complete
        consultant.get_by_role("button", name="Record the decision").click()
        expect(consultant.get_by_text("Your decision is recorded")).to_be_visible()
    today = clock.today()
    demo.post_form(
        f"/cases/{permit}/compliance",
        {
            "offer_number": "A7654321",
            "submitted_on": (today - timedelta(days=1080)).isoformat(),
            "permit_issued_on": (today - timedelta(days=1070)).isoformat(),
            "first_day_on": (today - timedelta(days=1060)).isoformat(),
            "permit_expiry_on": (today + timedelta(days=45)).isoformat(),
        },
    )
    sign_in(employer, live_server, owner)
    expect(employer.locator("#panel-needs-answers")).to_contain_text("Morgan")
    expect(employer.locator("#panel-returned")).to_contain_text("Add the reporting line.")
    expect(employer.locator("#panel-offers")).to_contain_text("Casey")
    expect(employer.locator("#panel-deadlines")).to_contain_text("Devon")
    expect(employer.locator("#work-queue")).not_to_contain_text("Skyler")
    # Recent changes name their objects (the latest: Devon's permit recorded), linked to their page.
    expect(employer.locator("#panel-recent a.recent-object").first).to_contain_text("Devon")
    _shot(employer, "dashboard-demo-employer.png")
    employer.locator("#panel-needs-answers a").first.click()
    employer.wait_for_url(re.compile(rf".*/cases/{asking}#questions"))

    consultant.goto(f"{live_server}/dashboard")
    expect(consultant.locator("#panel-review")).to_contain_text("Skyler")
    expect(consultant.locator("#panel-returned")).to_contain_text("Riley")
    expect(consultant.locator("#work-queue")).not_to_contain_text("Hidden")
    _shot(consultant, "dashboard-consultant.png")
    # Skyler's packet belongs to the other organization: the link switches to it, then opens the review.
    consultant.locator("#panel-review").get_by_role("button", name=re.compile("Skyler")).click()
    consultant.wait_for_url(re.compile(r".*/documents/\d+/review"))
    expect(consultant.locator("body")).to_contain_text("Skyler")
    for p in pages:
        p.context.close()
