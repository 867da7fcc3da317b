"""In real headless Chromium: an owner engages a consultant, who returns a packet with a comment; the
employer fixes the case and regenerates; the consultant approves; the employer downloads the approved
packet, records the offer number and the permit dates, and sees the compliance calendar."""

from __future__ import annotations

import io
import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader
from sqlalchemy import select

from portal.documents import signing, store
from portal.documents.store import sha256_bytes
from portal.extensions import db
from portal.models import Document, Review
from tests.browser.conftest import ARTIFACTS_DIR
from tests.browser.helpers import fill_form, sign_in
from tests.portal.test_cases import _create_case
from tests.portal.test_consult import T37_ANSWERS, engage

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
    employer.get_by_label("Main duties", exact=True).fill("Leads the Canadian operations and its managers.")
    employer.get_by_role("button", name="Save the role").click()
    make_packet(employer, live_server, case_id)
    expect(employer.locator("#document-list tbody tr").first).to_contain_text("v2")
    consultant.goto(f"{live_server}/cases/{case_id}/documents")
    consultant.locator(".doc-review").first.click()
    approve_and_read_in_french(consultant)

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
    fill_form(
        employer,
        {
            "Offer of employment number": "A7654321",
            "Submitted in the Employer Portal on": "2026-11-20",
            "Compliance fee paid on": "2026-11-20",
            "Work permit issued on": "2026-12-01",  # a date that has happened (a later one is refused)
            "First day of work": "2027-01-04",
            "Work permit expires on": "2029-12-31",
        },
    )
    employer.get_by_role("button", name="Save").click()
    expect(employer.locator("#calendar")).to_contain_text("January 4, 2033")
    expect(employer.locator("#calendar")).to_contain_text("December 31, 2029")
    employer.get_by_role("link", name="Calendar").click()
    expect(employer.locator("#calendar-items")).to_contain_text("Avery Inventedname")
    for c in contexts:
        c.close()


def approve_and_read_in_french(consultant) -> None:
    """The consultant approves the version on the review page, then reads the page in French: labels,
    values and dates in the reader's language (screenshot review-v3-fr.png)."""
    consultant.get_by_label("Decision").select_option("approved")
    if consultant.locator(
        "#letter-gaps"
    ).count():  # the letter still has places to complete: said, then ticked
        consultant.get_by_label("Approve it as it is").check()
    consultant.get_by_role("button", name="Record the decision").click()
    expect(consultant.locator("#review-form").locator("..")).to_contain_text("Approved on")
    # approved: the page links the approved copy and offers only the withdrawal (a return), not a second approval
    expect(consultant.locator("#approved")).to_contain_text("Download the approved copy")
    expect(consultant.locator("#review-form option[value=approved]")).to_have_count(0)
    consultant.locator("#lang-switch").click()
    expect(consultant.locator("#assessment")).to_contain_text("Lien avec l'employeur canadien")
    expect(consultant.locator("#assessment")).to_contain_text("Société mère")
    expect(consultant.locator("#employment-history")).to_contain_text("du 10 janvier 2022 à aujourd'hui")
    expect(consultant.locator("#review-state")).to_contain_text("Approuvé")
    _shot(consultant, "review-v3-fr.png")


def _shot(page, name: str) -> None:
    """A screenshot of the review page to $REVIEW_SHOTS (default: test-artifacts/), to look at."""
    folder = Path(os.environ.get("REVIEW_SHOTS") or ARTIFACTS_DIR)
    folder.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(folder / name), full_page=True)


def _pdf_text(data: bytes) -> list[str]:
    return [" ".join((p.extract_text() or "").split()) for p in PdfReader(io.BytesIO(data)).pages]


def _latest_packet(app, case_id) -> Document:
    with app.app_context():
        return db.session.scalars(
            select(Document).where(Document.case_id == case_id).order_by(Document.id.desc())
        ).first()


def test_edit_regenerate_review_with_a_section_comment_fix_approve_and_download(
    browser, live_server, app, make_employer, make_consultant, login
):
    """Issue 15 in the browser: the employer edits a letter section, changes a fact and makes the packet
    again (the edit kept, the changed generated section flagged); the consultant reviews it in the page
    (the PDF in its frame, what changed) and returns it with a comment on one section; the employer sees
    the comment under that section, fixes the section and makes the packet again; the consultant
    approves; the employer downloads the approved packet, whose approval page and signature check out,
    and a stored file changed afterwards is refused. Screenshots go to $REVIEW_SHOTS (default:
    test-artifacts/)."""
    owner = make_employer(legal_name="Maple Invented Analytics Ltd.")
    setup = app.test_client()
    login(setup, owner)
    case_id = _create_case(setup)
    setup.post_form(f"/cases/{case_id}/answers", T37_ANSWERS)
    engage(setup)
    rcic = make_consultant(email="rae@consult.example.com", licence="R512345")

    contexts = [browser.new_context(accept_downloads=True), browser.new_context()]
    employer, consultant = (c.new_page() for c in contexts)
    for p in (employer, consultant):
        p.set_default_timeout(15_000)
    sign_in(employer, live_server, owner)
    sign_in(consultant, live_server, rcic)
    consultant.locator("#pending-engagements").get_by_role("button", name="Accept").click()
    consultant.wait_for_url("**/cases/")

    # 1. The employer types over the capacity section, then makes packet v1.
    employer.goto(f"{live_server}/cases/{case_id}/letter/en")
    employer.locator("#text-capacity").fill(
        "Ms. Inventedname directs the Canadian operations as its executive: she sets its goals and policies."
    )
    employer.get_by_role("button", name="Save the letter").click()
    expect(employer.locator(".alert-success").first).to_contain_text("The letter is saved")
    make_packet(employer, live_server, case_id)

    # 2. A fact changes (the role's duties); the packet is made again: the edit is kept, and the editor
    #    flags that the capacity section's generated text changed under it.
    employer.goto(f"{live_server}/roles/1/edit")
    employer.get_by_label("Main duties", exact=True).fill(
        "Directs the Canadian subsidiary, sets its budget and supervises its three department managers."
    )
    employer.get_by_role("button", name="Save the role").click()
    make_packet(employer, live_server, case_id)
    expect(employer.locator("#document-list tbody tr").first).to_contain_text("v2")
    employer.goto(f"{live_server}/cases/{case_id}/letter/en")
    expect(employer.locator("#text-capacity")).to_have_value(re.compile("directs the Canadian operations"))
    expect(employer.locator("#section-capacity .generated-changed")).to_be_visible()
    v2 = _latest_packet(app, case_id)
    assert v2.version == 2

    # 3. The consultant reviews v2 in the page: the PDF in its frame, what changed since v1.
    consultant.goto(f"{live_server}/documents/{v2.id}/review")
    frame = consultant.locator("#review-pdf")
    expect(frame).to_have_attribute("src", f"/documents/{v2.id}/pdf")
    content = frame.element_handle().content_frame()
    assert content is not None and content.url == f"{live_server}/documents/{v2.id}/pdf", content.url
    # on a phone, whose browser shows a framed PDF as a blank box or its first page only, a button opens it instead
    consultant.set_viewport_size({"width": 390, "height": 844})
    expect(frame).to_be_hidden()
    expect(consultant.locator("#review-pdf-open")).to_be_visible()
    expect(consultant.locator("#review-pdf-open")).to_have_attribute("href", f"/documents/{v2.id}/pdf")
    expect(consultant.locator("#review-pdf-open")).to_contain_text(
        f"Read the document ({v2.page_count} pages)"
    )
    consultant.set_viewport_size({"width": 1280, "height": 720})
    expect(frame).to_be_visible()
    expect(consultant.locator("#review-pdf-open")).to_be_hidden()
    inline = consultant.request.get(f"{live_server}/documents/{v2.id}/pdf")
    assert inline.ok and inline.headers["content-type"] == "application/pdf"
    assert inline.headers["x-frame-options"] == "SAMEORIGIN"
    v2_text = " ".join(_pdf_text(inline.body()))
    assert "directs the Canadian operations as its executive" in v2_text  # the edit, in the PDF
    changes = consultant.locator("#changes")
    expect(changes).to_contain_text("What changed since version 1")
    expect(changes.locator("#changed-facts")).to_contain_text("Main duties")
    expect(changes.locator("#changed-facts")).to_contain_text("supervises its three department managers")
    expect(consultant.locator("#assessment")).to_contain_text("Relationship to the Canadian employer")
    expect(consultant.locator("#employment-history")).to_contain_text("VP Operations")
    expect(consultant.locator("#review-state")).to_contain_text("Not reviewed")
    _shot(consultant, "review-v2.png")

    # 4. ...and returns it with a comment on the section about the Canadian role.
    section = consultant.locator('details.section-comment[data-section="letter:canadian_role"]')
    section.locator("summary").click()
    section.get_by_label(re.compile("What must change")).fill(
        "State the annual salary, not only the hourly wage."
    )
    consultant.get_by_label("Decision").select_option("returned")
    consultant.get_by_role("button", name="Record the decision").click()
    expect(consultant.locator(".alert-success").first).to_contain_text("recorded")
    expect(consultant.locator("#review-state")).to_contain_text("Returned")

    # 5. The employer sees the comment under that section (documents page and dashboard).
    employer.goto(f"{live_server}/cases/{case_id}/documents")
    comment = employer.locator('#last-review [data-section="letter:canadian_role"]')
    expect(comment).to_contain_text("Support letter: “The position in Canada”")
    expect(comment).to_contain_text("State the annual salary")
    employer.goto(f"{live_server}/dashboard")
    expect(employer.locator("#panel-returned")).to_contain_text("The position in Canada")
    expect(employer.locator("#panel-returned")).to_contain_text("State the annual salary")
    _shot(employer, "returned-dashboard.png")

    # 6. The fix: from the comment to the section, which states the annual salary now; packet v3.
    employer.goto(f"{live_server}/cases/{case_id}/documents")
    employer.locator('#last-review [data-section="letter:canadian_role"] .edit-section').click()
    employer.wait_for_url(f"**/cases/{case_id}/letter/en#section-canadian_role")
    expect(employer.locator("#section-canadian_role .consultant-comment")).to_contain_text(
        "State the annual salary"
    )
    employer.locator("#text-canadian_role").fill(
        "She will be Vice-President, Operations Canada (NOC 00012) in Toronto, Ontario, for 36 months, "
        "40 hours a week at $95.00 per hour: an annual salary of $197,600.00."
    )
    employer.get_by_role("button", name="Save the letter").click()
    make_packet(employer, live_server, case_id)
    v3 = _latest_packet(app, case_id)
    assert v3.version == 3

    # 7. The consultant sees the changed section and approves v3.
    consultant.goto(f"{live_server}/documents/{v3.id}/review")
    changed = consultant.locator('#changed-sections [data-section="letter:canadian_role"]')
    expect(changed).to_contain_text("The position in Canada")
    changed.locator("summary").click()
    expect(changed).to_contain_text("an annual salary of $197,600.00")
    _shot(consultant, "review-v3.png")
    approve_and_read_in_french(consultant)

    # 8. The employer downloads the approved packet: the reviewed pages, then the approval page; the
    #    route served it after checking both hashes and the signature, and so does this test.
    employer.goto(f"{live_server}/cases/{case_id}/documents")
    with employer.expect_download() as download_info:
        employer.locator(".doc-approved").first.click()
    download = download_info.value
    assert download.suggested_filename.endswith("-approved.pdf")
    with open(download.path(), "rb") as f:
        data = f.read()
    with app.app_context():
        review = db.session.scalars(select(Review).where(Review.document_id == v3.id)).one()
        consultant_name = review.consultant.name
        assert sha256_bytes(data) == review.approved_sha256 and signing.verify(data)
        reviewed = store.read_verified(v3.storage_path, v3.pdf_sha256)
        path = store.absolute(review.approved_path)
    pages = _pdf_text(data)
    assert pages[:-1] == _pdf_text(reviewed)  # exactly the reviewed version, then the approval page
    last = pages[-1]
    for expected in ("Approval by a licensed consultant", f"Approved by {consultant_name}", "R512345"):
        assert expected in last, expected
    assert v3.pdf_sha256 in last.replace(" ", "")
    assert "an annual salary of $197,600.00" in " ".join(pages)

    # 9. One byte of the stored approved file changed: the route refuses it (409), nothing downloads.
    altered = bytearray(data)
    index = data.index(b"/Contents", len(data) // 4) - 20
    altered[index] = ord("A") if altered[index] != ord("A") else ord("B")
    path.write_bytes(bytes(altered))
    response = employer.goto(f"{live_server}/documents/{v3.id}/approved")
    assert response is not None and response.status == 409
    expect(employer.locator("body")).to_contain_text("The approved file was altered")
    for c in contexts:
        c.close()
