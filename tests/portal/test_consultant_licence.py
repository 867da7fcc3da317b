"""A consultant whose CICC licence number went to a later registration (``release_lapsed_licence``): they
read, comment and return, but approve nothing (an approval states their licence: it read "CICC —"), and
they enter a number on their account page, under the registration's rules (PostgreSQL)."""

from __future__ import annotations

import html
import io
import re
from datetime import timedelta
from pathlib import Path

import pytest
from pypdf import PdfReader

from portal.auth import services as auth_services
from portal.consult import services as consult_services
from portal.extensions import db
from portal.models import AuditEvent, Document, Engagement, EngagementStatus, Review, User
from portal.models._types import utcnow
from tests.conftest import PASSWORD
from tests.portal.document_helpers import pdf_text
from tests.portal.test_auth import _registered_days_ago, registers_consultant
from tests.portal.test_cases import _create_case
from tests.portal.test_consult import T37_ANSWERS, accept, packet

RCIC = "rae@consult.example.com"
LOST = "R512345"  # the number the consultant registered with, taken by a later registration
OWN = "R634521"  # the number they enter on their account page


def lose_licence(app, account) -> None:
    """The account's licence goes to a later registration as ``sign_up_consultant`` gives it
    (``release_lapsed_licence``): the account was made by the registration page and left unconfirmed past
    its link's lifetime; another registration of the number takes it; the address is confirmed afterwards."""
    with app.app_context():
        user = db.session.get(User, account.user_id)
        user.email_verified_at, user.sign_in_needs_confirmation = None, True
        user.created_at -= timedelta(days=3)
        licence = user.cicc_licence
        assert auth_services.release_lapsed_licence(licence, now=utcnow()) is user
        auth_services.register_consultant(
            {
                "name": "T. Aker",
                "email": "taker@invented.example.com",
                "password": PASSWORD,
                "cicc_licence": licence,
            }
        )
        auth_services.mark_verified(user, now=utcnow())
        db.session.commit()


def entered(app) -> int:
    with app.app_context():
        return db.session.query(AuditEvent).filter_by(action="user.licence_entered").count()


@pytest.fixture
def employer(app, client, make_employer, login):
    """An employer signed in on ``client`` with worked case 02 (T37, its questions answered)."""
    login(client, make_employer(legal_name="Maple Invented Analytics Ltd."))
    case_id = _create_case(client)
    assert client.post_form(f"/cases/{case_id}/answers", T37_ANSWERS).status_code == 302
    return case_id


@pytest.fixture
def licenceless(app, make_consultant, login):
    """A consultant signed in on their own client whose licence number went to a later registration."""
    account = make_consultant(email=RCIC, licence=LOST)
    lose_licence(app, account)
    rc = app.test_client()
    login(rc, account)
    return account, rc


@pytest.fixture
def under_review(app, client, employer, licenceless):
    """The employer engaged the licence-less consultant (no licence expected), who accepted; a packet is
    ready for review: (its document id, the consultant's account, the consultant's client)."""
    account, rc = licenceless
    assert client.post_form("/org/consultants", {"email": RCIC}).status_code == 302
    accept(app, rc)
    return packet(client, employer), account, rc


def test_after_entering_a_licence_the_consultant_approves_and_the_approval_states_it(app, under_review):
    """End to end: the review page's link, the account page, back to the review page, the approval; the
    approved copy's page and its PAdES signature's reason read the number (they read "CICC —")."""
    document_id, _account, rc = under_review
    review_url = f"/documents/{document_id}/review"
    saved = rc.post_form(f"/account/licence?next={review_url}", {"cicc_licence": OWN.lower()})
    assert saved.status_code == 302 and saved.location.endswith(review_url)
    page = html.unescape(rc.get(review_url).get_data(as_text=True))
    assert f"Your CICC licence number {OWN} is saved" in page
    assert 'id="no-licence"' not in page and 'value="approved"' in page

    assert rc.post_form(review_url, {"decision": "approved", "as_it_is": "y"}).status_code == 302
    approved = rc.get(f"/documents/{document_id}/approved")
    assert approved.status_code == 200
    data = approved.get_data()
    reader = PdfReader(io.BytesIO(data))
    last_page = " ".join(reader.pages[-1].extract_text().split())
    assert f"CICC licence {OWN}" in last_page, last_page
    [reason] = [f["/V"]["/Reason"] for f in reader.get_fields().values() if "/Reason" in f.get("/V", {})]
    assert re.fullmatch(rf"Approved by Consultant \d+ \(CICC {OWN}\)", reason), reason
    assert "CICC —" not in pdf_text(data)


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_the_account_page_takes_a_licence_number_as_registration_does_and_records_it(app, licenceless, lang):
    account, rc = licenceless
    rc.post_form("/language", {"lang": lang})
    dashboard = html.unescape(rc.get("/dashboard").get_data(as_text=True))
    assert 'id="licence-released"' in dashboard and 'id="enter-licence-again"' in dashboard
    assert 'href="/account/licence"' in html.unescape(rc.get("/account/password").get_data(as_text=True))
    page = html.unescape(rc.get("/account/licence").get_data(as_text=True))
    assert 'id="licence-form"' in page and LOST in page  # the number lost, named

    # CSRF: a post without the page's token changes nothing
    assert rc.post("/account/licence", data={"cicc_licence": OWN}).status_code == 400
    # the registration's validator
    wrong = rc.post_form("/account/licence", {"cicc_licence": "512345"})
    assert wrong.status_code == 400
    said = {"en": "the letter R followed by 6 digits", "fr": "la lettre R suivie de 6 chiffres"}[lang]
    assert said in html.unescape(wrong.get_data(as_text=True))
    with app.app_context():
        assert db.session.get(User, account.user_id).cicc_licence is None

    saved = rc.post_form("/account/licence", {"cicc_licence": f" {OWN.lower()} "})
    assert saved.status_code == 302 and saved.location.endswith("/dashboard")
    dashboard = html.unescape(rc.get("/dashboard").get_data(as_text=True))
    assert 'id="licence-released"' not in dashboard and OWN in dashboard
    with app.app_context():
        assert db.session.get(User, account.user_id).cicc_licence == OWN
        [event] = db.session.query(AuditEvent).filter_by(action="user.licence_entered").all()
        assert (event.actor_id, event.object_type, event.object_id, event.data) == (
            account.user_id,
            "User",
            account.user_id,
            {"cicc_licence": OWN},
        )

    # a number the account has is shown, not changed here
    page = html.unescape(rc.get("/account/licence").get_data(as_text=True))
    assert 'id="licence-held"' in page and 'id="licence-form"' not in page
    again = rc.post_form("/account/licence", {"cicc_licence": "R634522"})
    assert again.status_code == 400
    with app.app_context():
        assert db.session.get(User, account.user_id).cicc_licence == OWN
        assert entered(app) == 1


def test_a_licence_another_account_has_or_a_registration_holds_is_refused_without_naming_its_holder(
    app, licenceless, make_consultant
):
    account, rc = licenceless
    other = make_consultant(email="sam.holder@consult.example.com", licence=OWN)
    refused = rc.post_form("/account/licence", {"cicc_licence": OWN})
    page = html.unescape(refused.get_data(as_text=True))
    assert refused.status_code == 400
    assert "This CICC licence number is already registered to another account." in page
    assert other.email not in page and "sam.holder" not in page
    # the number the consultant lost is held by the account that took it (confirmed or not: within its
    # link's lifetime it keeps it), and a number a registration of a taken address holds is held too
    assert registers_consultant(app, RCIC, "R777771")  # the address has an account: holds the number
    for number in (LOST, "R777771"):
        assert rc.post_form("/account/licence", {"cicc_licence": number}).status_code == 400, number
    with app.app_context():
        assert db.session.get(User, account.user_id).cicc_licence is None
        assert entered(app) == 0


def test_a_licence_held_by_a_registration_never_confirmed_in_time_is_released_to_the_account_page(
    app, licenceless, outbox
):
    """The same rule as registration's: the number typed again is taken back from an account the
    registration page made and that never confirmed its address within its link's lifetime."""
    account, rc = licenceless
    assert registers_consultant(app, "squat@invented.example.com", OWN)
    assert rc.post_form("/account/licence", {"cicc_licence": OWN}).status_code == 400  # still held
    _registered_days_ago(app, "squat@invented.example.com", 2.1)
    assert rc.post_form("/account/licence", {"cicc_licence": OWN}).status_code == 302
    with app.app_context():
        assert db.session.get(User, account.user_id).cicc_licence == OWN
        assert auth_services.find_user("squat@invented.example.com").cicc_licence is None


def test_an_engagement_expecting_the_licence_is_accepted_once_the_consultant_entered_it(
    app, client, employer, licenceless
):
    """The employer named the licence to expect: refused while the account has none (accept's own check),
    accepted once that number is entered on the account page."""
    _account, rc = licenceless
    engaged = client.post_form("/org/consultants", {"email": RCIC, "cicc_licence": OWN})
    assert engaged.status_code == 302
    engagement_id = re.findall(r"/engagements/(\d+)/accept", rc.get("/dashboard").get_data(as_text=True))[-1]
    rc.post_form(f"/engagements/{engagement_id}/accept")
    with app.app_context():
        assert db.session.get(Engagement, int(engagement_id)).status == EngagementStatus.INVITED
    assert rc.post_form("/account/licence", {"cicc_licence": OWN}).status_code == 302
    assert rc.post_form(f"/engagements/{engagement_id}/accept").status_code == 302
    with app.app_context():
        assert db.session.get(Engagement, int(engagement_id)).status == EngagementStatus.ACTIVE
    assert html.unescape(client.get("/org/consultants").get_data(as_text=True)).count(f"CICC {OWN}") == 1


def test_only_a_consultant_has_the_licence_page_and_an_unconfirmed_one_confirms_first(
    app, client, employer, make_consultant, login
):
    assert client.get("/account/licence").status_code == 404  # the employer signed in on ``client``
    older = make_consultant(verified=False)  # an account from before confirmations: signs in unconfirmed
    with app.app_context():
        db.session.get(User, older.user_id).cicc_licence = None
        db.session.commit()
    rc = app.test_client()
    login(rc, older)
    refused = rc.post_form("/account/licence", {"cicc_licence": OWN})
    assert refused.status_code == 400 and "Confirm your email address first" in refused.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(User, older.user_id).cicc_licence is None


# ------------------------------------------------------------------------------ no approval without a licence
def approved_files(app) -> list[Path]:
    return [p for p in Path(app.config["DOCUMENT_STORE"]).rglob("*.pdf") if "approved" in p.parts]


def nothing_approved(app, document_id: int) -> bool:
    with app.app_context():
        reviews = db.session.query(Review).filter_by(document_id=document_id).count()
        events = db.session.query(AuditEvent).filter_by(action="document.approved").count()
    return reviews == 0 and events == 0 and approved_files(app) == []


def test_the_service_refuses_an_approval_by_a_consultant_without_a_licence_and_writes_nothing(
    app, under_review
):
    document_id, account, _rc = under_review
    with app.test_request_context():
        user, document = db.session.get(User, account.user_id), db.session.get(Document, document_id)
        assert user.cicc_licence is None
        with pytest.raises(consult_services.ConsultError) as refused:
            consult_services.review(document, decision="approved", comment=None, actor=user, as_it_is=True)
        db.session.rollback()
        assert refused.value.field == "decision"
        assert "no CICC licence number" in str(refused.value) and "account page" in str(refused.value)
    assert nothing_approved(app, document_id)


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_the_review_page_of_a_consultant_without_a_licence_says_why_they_cannot_approve_and_refuses_it(
    app, under_review, lang
):
    document_id, _account, rc = under_review
    rc.post_form("/language", {"lang": lang})
    page = html.unescape(rc.get(f"/documents/{document_id}/review").get_data(as_text=True))
    note = {
        "en": "You cannot approve this document: your account has no CICC licence number",
        "fr": "Vous ne pouvez pas approuver ce document\u00a0: votre compte n'a pas de numéro de permis du CCIC",
    }[lang]
    assert 'id="no-licence"' in page and note in page, page
    assert f'href="/account/licence?next=/documents/{document_id}/review"' in page
    assert 'value="approved"' not in page and 'value="returned"' in page  # only a return is offered
    assert 'name="as_it_is"' not in page

    refused = rc.post_form(f"/documents/{document_id}/review", {"decision": "approved", "as_it_is": "y"})
    assert refused.status_code == 400
    assert nothing_approved(app, document_id)


def test_a_consultant_without_a_licence_still_returns_a_document_and_the_mail_says_they_have_none(
    app, under_review, outbox
):
    document_id, _account, rc = under_review
    outbox.clear()
    returned = rc.post_form(
        f"/documents/{document_id}/review", {"decision": "returned", "comment": "Add the org chart."}
    )
    assert returned.status_code == 302
    with app.app_context():
        assert [r.decision for r in db.session.query(Review).filter_by(document_id=document_id)] == [
            "returned"
        ]
    [mail] = outbox
    assert "(no CICC licence number on their account) returned version 1" in mail.body
    assert "CICC —" not in mail.body
