"""Consultants: engagements, case scope, revocation, reviews bound to the PDF hash (PostgreSQL)."""

from __future__ import annotations

import html
import re
import threading
from datetime import timedelta

import pytest

from portal import clock
from portal.documents import store
from portal.documents.store import sha256_bytes
from portal.extensions import db
from portal.models import AuditEvent, Document, Engagement, Invitation, Review, User
from tests.helpers import count, stamp_zones
from tests.portal.document_helpers import evidence_keys, pdf_bytes, upload
from tests.portal.test_cases import PERSON, ROLE, _create_case

T37_ANSWERS = {
    "employer.actively_engaged": "yes",
    "employer.physical_premises": "yes",
    "worker.retains_position_abroad": "yes",
    "worker.position_abroad_letter": "yes",
}


@pytest.fixture
def employer(app, client, make_employer, login):
    account = make_employer(legal_name="Maple Invented Analytics Ltd.")
    login(client, account)
    case_id = _create_case(client)
    assert client.post_form(f"/cases/{case_id}/answers", T37_ANSWERS).status_code == 302
    return account, case_id


def packet(client, case_id, lang: str = "en", signatory: str = "Ada") -> int:
    """A packet asked for through the documents page (the same request again, with nothing changed, gives
    the latest version back: another ``signatory`` makes a new one)."""
    response = client.post_form(
        f"/cases/{case_id}/documents",
        {"kind": "packet", "language": lang, "signatory_name": signatory, "signatory_title": "HR"},
    )
    assert response.status_code == 302, response.get_data(as_text=True)[-2000:]
    return int(response.location.split("#document-")[1])


@pytest.fixture
def consultant(app, make_consultant, login):
    account = make_consultant(email="rae@consult.example.com", licence="R512345")
    client = app.test_client()
    login(client, account)
    return account, client


def engage(client, email="rae@consult.example.com", case_ids=()):
    response = client.post_form("/org/consultants", {"email": email, "case_ids": [str(i) for i in case_ids]})
    assert response.status_code == 302, response.get_data(as_text=True)[-1500:]


def accept(app, consultant_client):
    with app.app_context():
        engagement_id = db.session.query(Engagement).order_by(Engagement.id.desc()).first().id
    assert consultant_client.post_form(f"/engagements/{engagement_id}/accept").status_code == 302
    return engagement_id


def reviewing(app, employer_client, consultant):
    """The employer engages the consultant, who accepts: the consultant's signed-in client."""
    engage(employer_client)
    _account, consultant_client = consultant
    accept(app, consultant_client)
    return consultant_client


def approve(consultant_client, document_id: int):
    """The consultant approves the document as it is (what its letter leaves to complete included)."""
    return consultant_client.post_form(
        f"/documents/{document_id}/review", {"decision": "approved", "as_it_is": "y"}
    )


def test_an_employer_cannot_invite_one_of_its_own_people_as_its_consultant(app, client, employer):
    """The owner's own email (or a member's) made an invitation nobody could accept: an employer account
    cannot accept one, and no consultant account can be registered with that email."""
    account, _case_id = employer
    for email in (account.email, account.email.upper()):
        before = count(app, Engagement)
        response = client.post_form("/org/consultants", {"email": email})
        assert response.status_code == 400
        assert "belongs to someone in your organization, not to a consultant" in response.get_data(
            as_text=True
        )
        assert count(app, Engagement) == before


def test_an_employer_cannot_invite_its_consultant_as_a_member(app, client, employer):
    """Browser tour of 2026-12-06: the engaged consultant's email was accepted as a colleague's ("Invitation
    sent"), and the consultant learned at the end, from a refusal page, that a consultant account cannot
    join. The invitation is refused with the reason; another address is still invited."""
    engage(client, "Rae@Consult.example.com")
    before = count(app, Invitation)
    response = client.post_form("/org/invitations", {"email": "rae@consult.example.com", "role": "member"})
    assert response.status_code == 400
    assert "address of your consultant" in html.unescape(response.get_data(as_text=True))
    assert count(app, Invitation) == before
    ok = client.post_form("/org/invitations", {"email": "colleague@maple.example.com", "role": "member"})
    assert ok.status_code == 302 and count(app, Invitation) == before + 1


def test_every_case_list_of_the_consultants_page_has_its_own_id_and_label(app, client, employer):
    """Each engagement's scope list and the engage form's list were all id="case_ids": the engage form's
    label "Limit to these cases" pointed at the first engagement's list."""
    engage(client, "rae@consult.example.com")
    engage(client, "sam@consult.example.com")
    page = client.get("/org/consultants").get_data(as_text=True)
    ids = re.findall(r'\bid="([^"]+)"', page)
    assert [i for i in set(ids) if ids.count(i) > 1] == []
    for target in re.findall(r'<label[^>]*\bfor="([^"]+)"', page):
        assert target in ids, target


def test_consultant_without_engagement_gets_404_everywhere(app, client, employer, consultant):
    _account, case_id = employer
    doc_id = packet(client, case_id)
    _c, other = consultant
    urls = [
        "/cases/",
        f"/cases/{case_id}",
        f"/cases/{case_id}/documents",
        f"/documents/{doc_id}/status",
        f"/documents/{doc_id}/download",
        f"/documents/{doc_id}/review",
        f"/documents/{doc_id}/approved",
        f"/cases/{case_id}/compliance",
        "/calendar",
        f"/audit/cases/{case_id}",
        "/org/",
        "/roles/",
        "/transferees/",
        "/group/",
        "/audit/",
    ]
    for url in urls:
        assert other.get(url).status_code == 404, url
    assert (
        other.post_form(f"/documents/{doc_id}/review", {"decision": "approved", "as_it_is": "y"}).status_code
        == 404
    )
    assert count(app, Review) == 0


def test_engaged_consultant_sees_cases_and_documents_but_not_employer_pages(
    app, client, employer, consultant, outbox
):
    _account, case_id = employer
    doc_id = packet(client, case_id)
    engage(client)
    assert "rae@consult.example.com" in outbox[-1].to
    _c, rc = consultant
    assert "Maple Invented" in rc.get("/dashboard").get_data(as_text=True)  # the invitation to accept
    assert rc.get(f"/cases/{case_id}").status_code == 404  # not before accepting
    accept(app, rc)
    assert rc.get("/cases/").status_code == 200 and rc.get(f"/cases/{case_id}").status_code == 200
    assert rc.get(f"/documents/{doc_id}/download").status_code == 200
    for url in ["/org/", "/roles/", "/transferees/", "/group/", "/import/", "/audit/"]:
        assert rc.get(url).status_code == 404, url
    # A consultant reads; the employer changes the case and requests documents.
    assert rc.post_form(f"/cases/{case_id}/answers", {"employer.start_up": "no"}).status_code == 404
    assert (
        rc.post_form(f"/cases/{case_id}/documents", {"kind": "packet", "language": "en"}).status_code == 404
    )
    register = client.get("/org/consultants").get_data(as_text=True)
    assert "R512345" in register and "every case" in register
    # the evidence files open for the consultant, who is offered no removal (a 404 if tried)
    keys = evidence_keys(app, case_id)
    assert upload(client, case_id, keys[0], pdf_bytes(1), "contract.pdf").status_code == 302
    seen = rc.get(f"/cases/{case_id}/documents").get_data(as_text=True)
    assert "contract.pdf" in seen and "/remove" not in seen and 'id="evidence-form"' not in seen
    assert "/remove" in client.get(f"/cases/{case_id}/documents").get_data(as_text=True)


def test_revoked_consultant_loses_access_on_the_next_request(app, client, employer, consultant):
    _account, case_id = employer
    engage(client)
    _c, rc = consultant
    engagement_id = accept(app, rc)
    assert rc.get(f"/cases/{case_id}").status_code == 200
    # The button asks first (a page without JavaScript, a dialog with it): nothing changes yet.
    register = client.get("/org/consultants").get_data(as_text=True)
    assert (
        f'action="/org/consultants/{engagement_id}/revoke" class="d-inline" data-confirm="Revoke the access'
        in register
    )
    asked = client.post_form(f"/org/consultants/{engagement_id}/revoke")
    page = asked.get_data(as_text=True)
    assert asked.status_code == 200 and 'id="confirm-page"' in page and "It ends now" in page
    assert 'name="confirmed" value="1"' in page
    assert rc.get(f"/cases/{case_id}").status_code == 200
    response = client.post_form(f"/org/consultants/{engagement_id}/revoke", {"confirmed": "1"})
    assert response.status_code == 302
    assert rc.get(f"/cases/{case_id}").status_code == 404
    assert rc.get("/cases/").status_code == 404
    page = client.get("/org/consultants").get_data(as_text=True)
    assert ">Revoked<" in page


def test_the_case_picker_tells_apart_cases_of_one_person_in_roles_of_one_title(app, client, employer):
    _account, case_id = employer
    assert client.post_form("/roles/new", ROLE).status_code == 302  # a second role, the same title
    response = client.post_form("/cases/new", {"transferee_id": "1", "position_id": "2"})
    other_case = int(response.location.rstrip("/").split("/")[-1])
    page = html.unescape(client.get("/org/consultants").get_data(as_text=True))
    options = re.findall(r'<label class="form-check-label" for="case_ids-(\d+)">([^<]*)</label>', page)
    labels = {int(value): text for value, text in options}
    assert set(labels) == {case_id, other_case}
    assert labels[case_id] != labels[other_case]
    assert (
        f"case {case_id}, opened " in labels[case_id] and f"case {other_case}, opened " in labels[other_case]
    )


def test_case_limited_engagement_shows_only_those_cases(app, client, employer, consultant):
    _account, case_id = employer
    # A second case for another transferee in the same role.

    response = client.post_form(
        "/transferees/new", {**PERSON, "given_names": "Second", "passport_number": "Y2"}
    )
    second_transferee = int(response.location.rstrip("/").split("/")[-1])
    response = client.post_form("/cases/new", {"transferee_id": str(second_transferee), "position_id": "1"})
    other_case = int(response.location.rstrip("/").split("/")[-1])
    engage(client, case_ids=[case_id])
    _c, rc = consultant
    accept(app, rc)
    listing = rc.get("/cases/").get_data(as_text=True)
    assert "Avery Inventedname" in listing and "Second Inventedname" not in listing
    assert rc.get(f"/cases/{case_id}").status_code == 200
    assert rc.get(f"/cases/{other_case}").status_code == 404
    assert rc.get(f"/cases/{other_case}/documents").status_code == 404


def test_approval_binds_to_the_pdf_and_a_change_needs_a_new_approval(
    app, client, employer, consultant, outbox
):
    _account, case_id = employer
    engage(client)
    _c, rc = consultant
    accept(app, rc)
    v1 = packet(client, case_id)
    # Return with a comment: the employer is notified.
    refused = rc.post_form(f"/documents/{v1}/review", {"decision": "returned", "comment": ""})
    assert refused.status_code == 400 and count(app, Review) == 0
    assert (
        rc.post_form(
            f"/documents/{v1}/review", {"decision": "returned", "comment": "Add the duties."}
        ).status_code
        == 302
    )
    assert any("returned" in m.subject.lower() for m in outbox)
    assert "Add the duties." in client.get(f"/cases/{case_id}/documents").get_data(as_text=True)
    # The employer fixes the case and regenerates; the consultant approves v2.

    client.post_form("/roles/1/edit", {**ROLE, "duties": "Runs the Canadian operations and its 40 staff."})
    v2 = packet(client, case_id)
    assert (
        rc.post_form(f"/documents/{v1}/review", {"decision": "approved", "as_it_is": "y"}).status_code == 400
    )  # not the latest
    assert approve(rc, v2).status_code == 302

    with app.app_context():
        document = db.session.get(Document, v2)
        review = db.session.query(Review).filter_by(document_id=v2).one()
        assert review.pdf_sha256 == document.pdf_sha256
        ready = db.session.query(AuditEvent).filter_by(action="document.ready", object_id=v2).one()
        assert ready.data["pdf_sha256"] == document.pdf_sha256
        assert db.session.query(AuditEvent).filter_by(action="document.approved", object_id=v2).count() == 1
    approved = client.get(f"/documents/{v2}/approved")
    assert approved.status_code == 200 and approved.data.startswith(b"%PDF")

    assert sha256_bytes(approved.data) == review.approved_sha256  # the signed approved copy (test_approval)
    assert client.get(f"/documents/{v1}/approved").status_code == 409  # v1 was never approved
    # A later change of the case: the approval stays on v2, and a new version needs a new approval.
    client.post_form("/roles/1/edit", {**ROLE, "wage_amount": "99"})
    page = client.get(f"/cases/{case_id}/compliance").get_data(as_text=True)
    assert "changed after the approval" in page
    # once the offer is filed, a new packet does not help: the page says what the change needs (tour of
    # 2026-12-06: it kept saying "make a new packet" after the permit was issued)
    filed = {"offer_number": "A7654321", "submitted_on": "2026-11-20", "fee_paid_on": "2026-11-20"}
    assert client.post_form(f"/cases/{case_id}/compliance", filed).status_code == 302
    client.post_form("/roles/1/edit", {**ROLE, "wage_amount": "98"})
    page = html.unescape(client.get(f"/cases/{case_id}/compliance").get_data(as_text=True))
    assert "changed after the offer A7654321 was filed" in page and "make a new packet" not in page
    v3 = packet(client, case_id)
    assert client.get(f"/documents/{v3}/approved").status_code == 409
    assert client.get(f"/documents/{v2}/approved").status_code == 200


def test_an_approved_version_offers_its_copy_and_the_withdrawal_not_a_second_approval(
    app, client, employer, consultant
):
    """Once a version is approved, its review page still offered "Approve" (a second signed copy of the same
    file): it now links the approved copy and offers only to return the document, which withdraws the
    approval; a second approval is refused with a message."""
    _account, case_id = employer
    rc = reviewing(app, client, consultant)
    v1 = packet(client, case_id)
    assert approve(rc, v1).status_code == 302
    page = html.unescape(rc.get(f"/documents/{v1}/review").get_data(as_text=True))
    approved = page.partition('id="approved"')[2].partition("</div>")[0]
    assert f"/documents/{v1}/approved" in approved and "To withdraw the approval" in approved
    decision = page.partition('name="decision"')[2].partition("</select>")[0]
    assert 'value="returned"' in decision and 'value="approved"' not in decision
    assert "Choose: return it to withdraw the approval" in decision
    assert 'name="as_it_is"' not in page  # the box that goes with an approval: no approval to give

    again = approve(rc, v1)
    assert again.status_code == 400
    assert "This version is approved already" in html.unescape(again.get_data(as_text=True))
    with app.app_context():
        assert db.session.query(Review).filter_by(document_id=v1).count() == 1
    withdrawn = rc.post_form(f"/documents/{v1}/review", {"decision": "returned", "comment": "Wrong wage."})
    assert withdrawn.status_code == 302
    assert client.get(f"/documents/{v1}/approved").status_code == 409  # the approval no longer covers it
    page = html.unescape(rc.get(f"/documents/{v1}/review").get_data(as_text=True))
    assert 'id="approved"' not in page and 'value="approved"' in page  # returned: it may be approved again


def test_tampered_approved_file_is_refused_and_recorded(app, client, employer, consultant):
    _account, case_id = employer
    engage(client)
    _c, rc = consultant
    accept(app, rc)
    doc_id = packet(client, case_id)
    rc.post_form(f"/documents/{doc_id}/review", {"decision": "approved", "as_it_is": "y"})

    with app.app_context():
        path = store.absolute(db.session.get(Document, doc_id).storage_path)
    path.write_bytes(path.read_bytes() + b"\n% tampered")
    response = client.get(f"/documents/{doc_id}/approved")
    assert response.status_code == 409
    assert "altered" in response.get_data(as_text=True) and not response.data.startswith(b"%PDF")
    with app.app_context():
        assert db.session.query(AuditEvent).filter_by(action="document.hash_mismatch").count() == 1


def test_review_and_register_times_are_in_the_organization_zone_with_the_zone_named(
    app, client, employer, consultant
):
    """The "returned" note on the documents page and the From/To of the consultants register read in the
    organization's zone (Ontario: Toronto), named, in both languages, like the audit log."""
    _account, case_id = employer
    engage(client)
    _c, rc = consultant
    engagement_id = accept(app, rc)
    doc_id = packet(client, case_id)
    assert (
        rc.post_form(
            f"/documents/{doc_id}/review", {"decision": "returned", "comment": "Add it."}
        ).status_code
        == 302
    )
    assert client.post_form(f"/org/consultants/{engagement_id}/revoke", {"confirmed": "1"}).status_code == 302
    for lang, zones in (("en", {"EST", "EDT"}), ("fr", {"HNE", "HAE"})):
        client.post_form("/language", {"lang": lang})
        documents = client.get(f"/cases/{case_id}/documents").get_data(as_text=True)
        note = documents[documents.index('id="last-review"') :]
        note = note[: note.index("</div>")]
        assert stamp_zones(note) and set(stamp_zones(note)) <= zones, note
        register = client.get("/org/consultants").get_data(as_text=True)
        table = register[register.index('id="access-register"') :]
        table = table[: table.index("</table>")]
        assert len(stamp_zones(table)) == 2 and set(stamp_zones(table)) <= zones, table


def test_the_compliance_page_says_who_will_review_the_packet(app, client, employer, consultant):
    """Tour of 2026-12-06: "Waiting for review." with no consultant engaged: nobody would ever review it."""
    _account, case_id = employer
    packet(client, case_id)
    page = html.unescape(client.get(f"/cases/{case_id}/compliance").get_data(as_text=True))
    assert "No consultant reviews this case" in page and "Waiting for review." not in page
    engage(client)
    _c, rc = consultant
    accept(app, rc)
    page = html.unescape(client.get(f"/cases/{case_id}/compliance").get_data(as_text=True))
    assert "Waiting for review." in page and "No consultant reviews this case" not in page
    assert "e.g. A1234567" in page  # the offer number's example reads as one


def test_the_engagement_mail_is_in_the_consultants_language(app, client, employer, consultant, outbox):
    """The employer invites in English; the consultant, who reads the portal in French, is mailed in French."""
    account, _rc = consultant
    with app.app_context():
        db.session.get(User, account.user_id).locale = "fr"
        db.session.commit()
    engage(client)
    (message,) = [m for m in outbox if m.to == [account.email]]
    assert (
        message.subject
        == "Maple Invented Analytics Ltd. vous demande d'examiner ses dossiers sur le Portail PMI"
    )


def test_an_invited_address_without_an_account_is_listed_once_and_said_not_registered(
    app, client, employer, make_consultant
):
    """Tour: an invited consultant with no name yet was listed with the email twice (the name fell back to
    the email, then the email again)."""
    engage(client, email="new.rcic@consult.example.com")
    row = client.get("/org/consultants").get_data(as_text=True)
    row = row[row.index("<tbody", row.index('id="access-register"')) :]
    row = html.unescape(re.sub(r"<[^>]+>", " ", row[: row.index("</tr>")]))  # as read
    assert row.count("new.rcic@consult.example.com") == 1, row
    assert "Invited, not accepted yet" in row
    make_consultant(email="new.rcic@consult.example.com")  # registers, has not accepted
    row = client.get("/org/consultants").get_data(as_text=True)
    row = row[row.index("<tbody", row.index('id="access-register"')) :]
    row = html.unescape(re.sub(r"<[^>]+>", " ", row[: row.index("</tr>")]))  # as read
    # the same words once the address has an account: the employer does not learn who is registered
    assert row.count("new.rcic@consult.example.com") == 1 and "Invited, not accepted yet" in row, row


def test_the_compliance_page_of_a_filed_offer_does_not_advise_filing_without_a_review(app, client, employer):
    """Once the offer number is recorded, "engage one ... or file without a review" made no sense: the page says
    the offer is filed and that nobody reviewed the packet (English and French)."""
    _account, case_id = employer
    packet(client, case_id)
    filing = {"offer_number": "A1234567", "submitted_on": "2026-11-20", "fee_paid_on": "2026-11-20"}
    assert client.post_form(f"/cases/{case_id}/compliance", filing).status_code == 302
    for lang, filed, advice in (
        ("en", "The offer A1234567 is filed; no consultant reviewed this packet.", "file without a review"),
        (
            "fr",
            "L'offre A1234567 est présentée\u00a0; aucun consultant n'a examiné",
            "présentez-la sans examen",
        ),
    ):
        client.post_form("/language", {"lang": lang})
        page = html.unescape(client.get(f"/cases/{case_id}/compliance").get_data(as_text=True))
        status = page[page.index('id="approval-status"') :]
        status = status[: status.index("</p>")]
        assert filed in status and advice not in page, status


def test_an_offer_recorded_as_filed_before_the_approval_is_pointed_out(app, client, employer, consultant):
    """Browser tour of 2026-12-06: an offer dated the day before the consultant approved the packet was
    recorded without a word: either the date is wrong, or what was filed is not what was approved."""
    _account, case_id = employer
    rc = reviewing(app, client, consultant)
    v1 = packet(client, case_id)
    assert approve(rc, v1).status_code == 302
    yesterday = (clock.today() - timedelta(days=1)).isoformat()
    filing = {"offer_number": "A1234567", "submitted_on": yesterday, "fee_paid_on": yesterday}
    assert client.post_form(f"/cases/{case_id}/compliance", filing).status_code == 302
    page = html.unescape(client.get(f"/cases/{case_id}/compliance").get_data(as_text=True))
    assert 'id="filed-before-approval"' in page and "before the packet was approved" in page
    today = clock.today().isoformat()
    assert (
        client.post_form(
            f"/cases/{case_id}/compliance", {**filing, "submitted_on": today, "fee_paid_on": today}
        ).status_code
        == 302
    )
    assert 'id="filed-before-approval"' not in client.get(f"/cases/{case_id}/compliance").get_data(
        as_text=True
    )


def test_a_filed_offer_without_a_packet_is_not_told_to_make_one(app, client, employer):
    """Found after the fix above: once the offer number is recorded, "No packet yet. Make one" no longer
    applies; the page says the offer is filed and no packet was made here."""
    _account, case_id = employer
    assert 'id="approval-status"' not in client.get(f"/cases/{case_id}/compliance").get_data(as_text=True)
    filing = {"offer_number": "A1234567", "submitted_on": "2026-11-20", "fee_paid_on": "2026-11-20"}
    assert client.post_form(f"/cases/{case_id}/compliance", filing).status_code == 302
    page = html.unescape(client.get(f"/cases/{case_id}/compliance").get_data(as_text=True))
    assert "The offer A1234567 is filed; no packet was made here." in page and "No packet yet." not in page


def test_the_documents_page_says_a_version_was_returned_and_the_offer_number_came(
    app, client, employer, consultant
):
    """Browser tour of 2026-12-06: the documents page listed a packet sent back as "ready" only, and its
    checklist still read "after filing" beside the offer number once it was recorded."""
    _account, case_id = employer
    engage(client)
    _c, rc = consultant
    accept(app, rc)
    v1 = packet(client, case_id)
    returned = {"decision": "returned", "comment": "Add the duties."}
    assert rc.post_form(f"/documents/{v1}/review", returned).status_code == 302
    page = html.unescape(client.get(f"/cases/{case_id}/documents").get_data(as_text=True))
    row = page[page.index(f'id="document-{v1}"') :]
    assert "Returned" in row[: row.index("</tr>")]
    assert "Recorded: A1234567" not in page and "After filing" in page
    filing = {"offer_number": "A1234567", "submitted_on": "2026-11-20", "fee_paid_on": "2026-11-20"}
    assert client.post_form(f"/cases/{case_id}/compliance", filing).status_code == 302
    page = html.unescape(client.get(f"/cases/{case_id}/documents").get_data(as_text=True))
    checklist = page[page.index('id="evidence"') :]
    assert "Recorded: A1234567" in checklist and "After filing" not in checklist


def test_a_letter_still_to_complete_is_quoted_as_the_document_writes_it(app, client, employer, consultant):
    """Read in French, the review page and the documents page said an English letter still reads
    « [à compléter : …] » over a list of its English gaps: the document writes "[to complete: …]"."""
    _account, case_id = employer
    rc = reviewing(app, client, consultant)
    v1 = packet(client, case_id)  # in English
    for reader, url in ((rc, f"/documents/{v1}/review"), (client, f"/cases/{case_id}/documents")):
        reader.post_form("/language", {"lang": "fr"})
        page = html.unescape(reader.get(url).get_data(as_text=True))
        assert "«\u00a0[to complete: …]\u00a0»" in page and "[à compléter\u00a0: …]" not in page, url


def test_a_letter_still_to_complete_is_shown_on_the_review_page_and_approved_only_as_it_is(
    app, client, employer, consultant
):
    """Browser tour of 2026-12-06: a consultant approved and signed a packet whose letter still read
    "[to complete: ...]" (six documents to enclose, the group's share), the review page saying nothing of
    it. The page lists what is left; an approval then needs the box that says it is approved as it is."""
    _account, case_id = employer
    rc = reviewing(app, client, consultant)
    v1 = packet(client, case_id)
    with app.app_context():
        gaps = db.session.get(Document, v1).letter_gaps
    assert gaps, "the test case's letter leaves something to complete"
    page = html.unescape(rc.get(f"/documents/{v1}/review").get_data(as_text=True))
    assert 'id="letter-gaps"' in page and 'name="as_it_is"' in page
    reviews = count(app, Review)
    refused = rc.post_form(f"/documents/{v1}/review", {"decision": "approved"})
    assert refused.status_code == 400
    assert "tick the box to approve it as it is" in html.unescape(refused.get_data(as_text=True))
    assert count(app, Review) == reviews
    assert approve(rc, v1).status_code == 302
    with app.app_context():
        event = db.session.query(AuditEvent).filter_by(action="document.approved").one()
        assert event.data["letter_gaps_left"] == len(gaps)


def _gap_notes(client, case_id: int, lang: str) -> dict[int, str]:
    """Each version's cell of the documents page, read in ``lang``: what it says beside the document."""
    client.post_form("/language", {"lang": lang})
    page = html.unescape(client.get(f"/cases/{case_id}/documents").get_data(as_text=True))
    return {
        int(row.split('"', 1)[0]): row.split("</td>", 1)[0] for row in page.split('<tr id="document-')[1:]
    }


@pytest.mark.parametrize(
    ("lang", "call", "warning", "superseded"),
    [
        ("en", "Complete the letter, then make a new version", "Do not send it", "Superseded by version 2"),
        ("fr", "Complétez la lettre", "Ne l'envoyez pas tel quel", "Remplacé par la version 2"),
    ],
)
def test_only_the_latest_unapproved_version_says_to_complete_its_letter(
    app, client, employer, consultant, lang, call, warning, superseded
):
    """Tour: every old version of a packet repeated "Complete the letter, then make a new version", and an
    approved packet still said "Do not send it as it is". Only the latest version of the kind says what to
    complete; an older one says it was superseded; an approved one carries no warning."""
    _account, case_id = employer
    rc = reviewing(app, client, consultant)
    v1 = packet(client, case_id)
    v2 = packet(client, case_id, signatory="Bea")
    with app.app_context():
        assert db.session.get(Document, v1).letter_gaps and db.session.get(Document, v2).letter_gaps
    notes = _gap_notes(client, case_id, lang)
    assert call in notes[v2] and warning in notes[v2]
    assert call not in notes[v1] and warning not in notes[v1] and superseded in notes[v1]
    assert approve(rc, v2).status_code == 302
    notes = _gap_notes(client, case_id, lang)
    assert warning not in notes[v2] and call not in notes[v2], notes[v2]
    assert call not in notes[v1] and warning not in notes[v1]


def test_a_later_version_approved_after_the_filing_is_no_warning(app, client, employer, consultant):
    """Review finding: the offer filed the day v1 was approved, then v2 (a fix, a translation) approved
    later: what was filed was approved before it, so the page does not warn."""
    _account, case_id = employer
    rc = reviewing(app, client, consultant)
    v1 = packet(client, case_id)
    assert approve(rc, v1).status_code == 302
    today = clock.today().isoformat()
    filing = {"offer_number": "A1234567", "submitted_on": today, "fee_paid_on": today}
    assert client.post_form(f"/cases/{case_id}/compliance", filing).status_code == 302
    with app.app_context():  # v1's approval moved a day back, v2 approved now: filed after the first approval
        review = db.session.query(Review).one()
        review.created_at = review.created_at - timedelta(days=1)
        db.session.commit()
    v2 = packet(client, case_id, "fr")
    assert approve(rc, v2).status_code == 302
    page = client.get(f"/cases/{case_id}/compliance").get_data(as_text=True)
    assert 'id="approval-status"' in page and 'id="filed-before-approval"' not in page


def test_accepting_an_engagement_names_the_employer_without_a_doubled_full_stop(
    app, client, employer, consultant
):
    """ "Maple Invented Analytics Ltd." ends the sentence: its own full stop ends it ("Ltd.." before)."""
    consultant_client = reviewing(app, client, consultant)
    page = consultant_client.get("/cases/").get_data(as_text=True)
    assert "You now have access to Maple Invented Analytics Ltd." in page
    assert "Analytics Ltd.." not in page


def test_the_scope_form_says_that_no_case_chosen_means_every_case(app, client, employer, consultant):
    """An owner who takes a limited consultant's last case off the scope gives them every case: the scope
    form said "Cases" only (the engage form said it), so the widening came as a surprise."""
    _account, case_id = employer
    engage(client, case_ids=[case_id])
    with app.app_context():
        engagement_id = db.session.query(Engagement).one().id
    page = client.get("/org/consultants").get_data(as_text=True)
    label = re.search(rf'<fieldset[^>]*id="scope-{engagement_id}">\s*<legend[^>]*>([^<]*)</legend>', page)
    assert label and "none chosen: every case" in label.group(1), label
    assert client.post_form(f"/org/consultants/{engagement_id}/scope", {}).status_code == 302
    with app.app_context():
        assert db.session.get(Engagement, engagement_id).case_ids is None  # as the label says


def test_a_scope_with_a_case_not_of_the_organization_is_refused_with_a_message(
    app, client, employer, consultant
):
    """The scope forms are drawn afresh for every engagement: a refused one (a case of another organization,
    a tampered post) answered 400 with no word."""
    _account, case_id = employer
    reviewing(app, client, consultant)
    with app.app_context():
        engagement_id = db.session.query(Engagement).one().id
    response = client.post_form(
        f"/org/consultants/{engagement_id}/scope", {"case_ids": [str(case_id + 1000)]}
    )
    assert response.status_code == 400
    assert "The consultant&#39;s access is not changed: " in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Engagement, engagement_id).case_ids is None


def test_an_offer_recorded_as_filed_while_the_packet_is_returned_is_pointed_out(
    app, client, employer, consultant
):
    """Tour of 2026-12-10: the offer could be recorded as filed while the consultant had returned the latest
    packet, without a word. A version approved by the filing day (then a later one returned) is no warning."""
    _account, case_id = employer
    rc = reviewing(app, client, consultant)
    v1 = packet(client, case_id)
    returned = {"decision": "returned", "comment": "Add the duties."}
    assert rc.post_form(f"/documents/{v1}/review", returned).status_code == 302
    today = clock.today().isoformat()
    filing = {"offer_number": "A1234567", "submitted_on": today, "fee_paid_on": today}
    assert client.post_form(f"/cases/{case_id}/compliance", filing).status_code == 302
    page = html.unescape(client.get(f"/cases/{case_id}/compliance").get_data(as_text=True))
    assert 'id="filed-while-returned"' in page and "A1234567 is recorded as filed" in page
    client.post_form("/language", {"lang": "fr"})
    french = html.unescape(client.get(f"/cases/{case_id}/compliance").get_data(as_text=True))
    assert 'id="filed-while-returned"' in french and "A1234567 est inscrite comme présentée" in french
    client.post_form("/language", {"lang": "en"})
    # approved (v2), then filed, then a v3 returned: what was filed had been approved
    v2 = packet(client, case_id)
    assert approve(rc, v2).status_code == 302
    v3 = packet(client, case_id)
    assert rc.post_form(f"/documents/{v3}/review", returned).status_code == 302
    page = client.get(f"/cases/{case_id}/compliance").get_data(as_text=True)
    assert "Returned: Add the duties." in page and 'id="filed-while-returned"' not in page


def test_documents_to_enclose_are_the_employer_s_to_upload_as_the_consultant_reads_it(
    app, client, employer, consultant
):
    """Tour of 2026-12-11 (FR): the consultant's documents page told them to upload the documents to
    enclose ("téléversez-les"), where only the employer's users can (the consultant has no upload form)."""
    _account, case_id = employer
    rc = reviewing(app, client, consultant)
    packet(client, case_id)
    for reader, words in (
        (client, ("documents to enclose: upload them", "pièces à joindre\u00a0: téléversez-les")),
        (
            rc,
            (
                "documents to enclose: the employer uploads them",
                "pièces à joindre\u00a0: l'employeur les téléverse",
            ),
        ),
    ):
        for lang, said in zip(("en", "fr"), words, strict=True):
            reader.post_form("/language", {"lang": lang})
            page = html.unescape(reader.get(f"/cases/{case_id}/documents").get_data(as_text=True))
            assert said in page, (lang, page.split('class="alert alert-warning', 1)[-1][:600])
    assert "téléversez" not in page


def test_two_approvals_of_one_version_at_once_give_one_approval(app, client, employer, consultant):
    """The consultant's double click (or two tabs): both requests read the version as not approved yet and
    both approved it, two signed copies of one file. The case's row is now locked by a review as by a
    document request, so the second waits, finds the approval and is told so (400)."""
    _account, case_id = employer
    rc = reviewing(app, client, consultant)
    v1 = packet(client, case_id)
    token = rc.csrf_token()
    tabs = [app.test_client(), app.test_client()]
    for tab in tabs:
        tab.set_cookie("session", rc.get_cookie("session").value)
    answers: dict[int, object] = {}

    def post(i: int) -> None:
        answers[i] = tabs[i].post(
            f"/documents/{v1}/review", data={"csrf_token": token, "decision": "approved", "as_it_is": "y"}
        )

    threads = [threading.Thread(target=post, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert sorted(r.status_code for r in answers.values()) == [302, 400]
    refused = next(r for r in answers.values() if r.status_code == 400)
    assert "This version is approved already" in html.unescape(refused.get_data(as_text=True))
    with app.app_context():
        assert db.session.query(Review).filter_by(document_id=v1).count() == 1
