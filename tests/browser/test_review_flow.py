"""In real headless Chromium: an owner engages a consultant, who returns a packet with a comment; the
employer fixes the case and regenerates; the consultant approves; the employer downloads the approved
packet, records the offer number and the permit dates, and sees the compliance calendar."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import sign_in
from tests.portal.test_cases import _create_case
from tests.portal.test_consult import T37_ANSWERS

pytestmark = pytest.mark.browser


def make_packet(page, base, case_id):
    page.goto(f"{base}/cases/{case_id}/documents")
    page.get_by_label("Document", exact=True).select_option("packet")
    page.get_by_role("button", name="Make the document").click()
    expect(page.locator("#document-list tbody tr").first.locator(".doc-download")).to_be_visible(
        timeout=30_000
    )


def test_engage_return_fix_approve_download_record_and_calendar(
    browser, live_server, app, make_employer, make_consultant, login
):
    owner = make_employer(legal_name="Maple Invented Analytics Ltd.")
    setup = app.test_client()
    login(setup, owner)
    case_id = _create_case(setup)
    setup.post_form(f"/cases/{case_id}/answers", T37_ANSWERS)
    rcic = make_consultant(email="rae@consult.example.com", licence="R512345")

    contexts = [browser.new_context(), browser.new_context()]
    employer, consultant = (c.new_page() for c in contexts)
    for p in (employer, consultant):
        p.set_default_timeout(15_000)
    sign_in(employer, live_server, owner)
    sign_in(consultant, live_server, rcic)

    # The owner engages the consultant, who accepts.
    employer.get_by_role("link", name="Organization", exact=True).click()
    employer.locator("#consultants-link").click()
    employer.get_by_label("Consultant's email").fill("rae@consult.example.com")
    employer.get_by_role("button", name="Engage the consultant").click()
    expect(employer.locator("#access-register")).to_contain_text("rae@consult.example.com")
    consultant.reload()
    consultant.locator("#pending-engagements").get_by_role("button", name="Accept").click()
    consultant.wait_for_url("**/cases/")
    expect(consultant.locator("#cases")).to_contain_text("Avery Inventedname")

    # v1 is returned with a comment.
    make_packet(employer, live_server, case_id)
    consultant.goto(f"{live_server}/cases/{case_id}/documents")
    consultant.locator(".doc-review").first.click()
    consultant.get_by_label("Decision").select_option("returned")
    consultant.get_by_label("Comment").fill("Describe the duties in the role.")
    consultant.get_by_role("button", name="Record the decision").click()
    expect(consultant.locator(".alert-success").first).to_contain_text("recorded")
    employer.reload()
    expect(employer.locator("#last-review")).to_contain_text("Describe the duties in the role.")

    # The employer fixes the role and makes v2; the consultant approves it.
    employer.goto(f"{live_server}/roles/1/edit")
    employer.get_by_label("Main duties").fill("Leads the Canadian operations and its managers.")
    employer.get_by_role("button", name="Save the role").click()
    make_packet(employer, live_server, case_id)
    expect(employer.locator("#document-list tbody tr").first).to_contain_text("v2")
    consultant.goto(f"{live_server}/cases/{case_id}/documents")
    consultant.locator(".doc-review").first.click()
    consultant.get_by_label("Decision").select_option("approved")
    consultant.get_by_role("button", name="Record the decision").click()
    expect(consultant.locator("#review-form").locator("..")).to_contain_text("Approved on")

    # The employer downloads exactly the approved packet.
    employer.reload()
    with employer.expect_download() as download_info:
        employer.locator(".doc-approved").first.click()
    download = download_info.value
    assert download.suggested_filename.endswith("-approved.pdf")
    with open(download.path(), "rb") as f:
        assert f.read(5) == b"%PDF-"

    # ...records the offer number and the permit dates, and sees the calendar.
    employer.goto(f"{live_server}/cases/{case_id}/compliance")
    expect(employer.locator("#approval-status")).to_contain_text("Approved")
    employer.get_by_label("Offer of employment number").fill("A7654321")
    employer.get_by_label("Submitted in the Employer Portal on").fill("2026-11-20")
    employer.get_by_label("Compliance fee paid on").fill("2026-11-20")
    employer.get_by_label("Work permit issued on").fill("2026-12-15")
    employer.get_by_label("First day of work").fill("2027-01-04")
    employer.get_by_label("Work permit expires on").fill("2029-12-31")
    employer.get_by_role("button", name="Save").click()
    expect(employer.locator("#calendar")).to_contain_text("2033-01-04")
    expect(employer.locator("#calendar")).to_contain_text("2029-12-31")
    employer.get_by_role("link", name="Calendar").click()
    expect(employer.locator("#calendar-items")).to_contain_text("Avery Inventedname")
    for c in contexts:
        c.close()
