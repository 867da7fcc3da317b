"""Registration, sign-in, sign-out and password reset, against PostgreSQL."""

from __future__ import annotations

import contextlib
import html
import re
import threading
from datetime import timedelta

import pytest

from portal import labels, mail, tokens
from portal.auditlog.services import ObjectRef
from portal.auth import services
from portal.extensions import db
from portal.models import AuditEvent, Membership, Organization, RegistrationHold, Role, User
from tests.conftest import ORG_DATA, PASSWORD
from tests.helpers import count
from workers.tasks import auth as auth_tasks


def registration(**changes) -> dict:
    data = {
        **ORG_DATA,
        "name": "Priya Invented",
        "email": "priya@newco.example.com",
        "password": PASSWORD,
        "confirm": PASSWORD,
        "legal_name": "Newco Canada Ltd.",
        "operating_name": "Newco",
        "business_number": "123 456 789",
    }
    data.update(changes)
    return data


def _verify_link(message) -> str:
    return re.search(r"https?://[^/\s]+(/verify/\S+)", message.body).group(1)


def test_employer_registration_creates_owner_and_organization(app, client, outbox):
    response = client.post_form("/register", registration())
    # Not signed in yet: the page says where the confirmation went (the same words for a taken address).
    assert response.status_code == 302 and response.location.endswith("/login")
    assert "We sent a message to priya@newco.example.com" in client.get("/login").get_data(as_text=True)
    with app.app_context():
        user = db.session.query(User).one()
        org = db.session.query(Organization).one()
        membership = db.session.query(Membership).one()
        assert (user.email, org.business_number, org.province) == (
            "priya@newco.example.com",
            "123456789",
            "ON",
        )
        assert (membership.user_id, membership.organization_id, membership.role) == (
            user.id,
            org.id,
            Role.OWNER,
        )
        assert user.password_hash.startswith("scrypt:") and PASSWORD not in user.password_hash
        actions = {e.action for e in db.session.query(AuditEvent)}
        assert {"user.registered", "organization.created"} <= actions
    assert client.get("/dashboard").status_code == 302
    # signs in once the address is confirmed (the link mailed)
    sign_in = {"email": "priya@newco.example.com", "password": PASSWORD}
    assert client.post_form("/login", sign_in).status_code == 401
    assert client.get(_verify_link(outbox[-1])).status_code == 302
    assert client.post_form("/login", sign_in).status_code == 302
    dashboard = client.get("/dashboard")
    assert dashboard.status_code == 200 and "Newco" in dashboard.get_data(as_text=True)


@pytest.mark.parametrize(
    ("changes", "field_message"),
    [
        ({"business_number": "12345678"}, "9 digits"),
        ({"business_number": "12345678A"}, "9 digits"),
        ({"postal_code": "12345"}, "Canadian postal code"),
        # Ottawa's postal code with British Columbia (tour): the packet's data sheet was inconsistent
        (
            {"province": "BC", "postal_code": "K1A 0B1"},
            "The postal code K1A 0B1 is in Ontario, not British Columbia: check the province or the postal code.",
        ),
        ({"telephone": "call me"}, "telephone number"),
        ({"employees": "many"}, "whole number"),
        # empty: what every other empty required field says (it said "Enter a whole number.", tour)
        ({"employees": ""}, "This field is required."),
        ({"employees": "  "}, "This field is required."),
        ({"gross_annual_revenue": ""}, "This field is required."),
        ({"gross_annual_revenue": "lots"}, "Enter a whole number of dollars."),
        # 0 is a whole number: the range says what is wrong with it, not "Enter a whole number"
        ({"employees": "0"}, "Number must be between 1 and 10,000,000."),
        ({"email": "not-an-email"}, "valid email"),
        ({"confirm": "something-else"}, "passwords differ"),
        ({"password": "short", "confirm": "short"}, "at least 10"),
        ({"province": "XX"}, "Not a valid choice"),
        ({"province": ""}, "This field is required"),
        # the bound in the reader's format, not "10000000000000"
        (
            {"gross_annual_revenue": "-5"},
            "Number must be between 0 and 10,000,000,000,000.",
        ),  # none chosen beforehand (the form once showed Alberta)
    ],
)
def test_bad_registration_input_is_refused_with_a_message_and_writes_nothing(
    app, client, changes, field_message
):
    response = client.post_form("/register", registration(**changes))
    assert response.status_code == 400
    assert field_message in response.get_data(as_text=True)
    assert count(app, User) == 0 and count(app, Organization) == 0 and count(app, AuditEvent) == 0


def _answer(response, client) -> tuple:
    """What a registering visitor sees: the status, where it leads and the message shown there."""
    shown = client.get(response.location).get_data(as_text=True) if response.status_code == 302 else ""
    flashed = re.findall(r'alert-dismissible[^>]*role="alert">(.*?)<button', shown, re.S)
    return response.status_code, response.location, [html.unescape(" ".join(f.split())) for f in flashed]


def test_registering_an_address_that_has_an_account_answers_as_a_new_one_and_mails_its_holder(
    app, make_employer, outbox
):
    """Registering with an address that had an account answered 'An account with this email already
    exists': anyone learned who has an account. The answer is now the same as for a new address (the
    status, the page, the words with the address typed), nothing is written, and the holder is mailed that
    someone tried, with the sign-in and reset pages, in the holder's language."""
    existing = make_employer(email="taken@example.com")
    with app.app_context():
        db.session.get(User, existing.user_id).locale = "fr"
        db.session.commit()
    before = (count(app, User), count(app, Organization), count(app, AuditEvent))
    taken = app.test_client()
    answer = _answer(taken.post_form("/register", registration(email="Taken@Example.com")), taken)
    assert (count(app, User), count(app, Organization), count(app, AuditEvent)) == before
    fresh = app.test_client()  # (another business number: the first registration holds its own)
    free = _answer(
        fresh.post_form("/register", registration(email="free@example.com", business_number="123456780")),
        fresh,
    )
    assert answer[:2] == free[:2] == (302, "/login")
    assert answer[2] == [m.replace("free@example.com", "taken@example.com") for m in free[2]]
    assert "already" not in " ".join(answer[2])

    [to_holder, to_new] = outbox
    assert to_holder.to == ["taken@example.com"] and to_new.to == ["free@example.com"]
    assert "inscrire" in to_holder.subject  # the holder's language
    assert "/login" in to_holder.body and "/reset" in to_holder.body
    assert "/verify/" in to_new.body


def test_an_address_with_an_account_gets_its_mail_within_the_registration_limit(app, make_app, make_employer):
    """Every registration counts towards the limit now (a refused one only did): registering again and
    again with someone's address mails them each time, so the limit must cap it."""
    app = make_app(REGISTER_RATE_LIMIT="3 per hour")
    outbox = app.extensions["mailman"].outbox = []
    with app.app_context():
        user, _org = services.register_employer(
            {**registration(email="taken@example.com"), "business_number": "555444333"}
        )
        db.session.commit()
    statuses = [  # each from a new browser (not signed in), all from one address
        app.test_client()
        .post_form("/register", registration(email=e, business_number=f"12345678{i}"))
        .status_code
        for i, e in enumerate(["new1@example.com"] + ["taken@example.com"] * 3)
    ]
    assert statuses == [302, 302, 302, 429]
    assert [m.to for m in outbox].count(["taken@example.com"]) == 2


def test_duplicate_business_number_is_refused_and_writes_nothing(app, client, make_employer):
    make_employer(business_number="987654321")
    response = client.post_form("/register", registration(business_number="987654321"))
    assert response.status_code == 400
    assert "already registered" in response.get_data(as_text=True)
    assert count(app, User) == 1 and count(app, Organization) == 1


def test_consultant_registration_checks_the_cicc_licence(app, client, outbox):
    bad = client.post_form(
        "/register/consultant",
        {
            "name": "R. Consult",
            "email": "rc@example.com",
            "cicc_licence": "R12345",
            "password": PASSWORD,
            "confirm": PASSWORD,
        },
    )
    assert bad.status_code == 400 and "R followed by 6 digits" in bad.get_data(as_text=True)
    assert count(app, User) == 0
    good = client.post_form(
        "/register/consultant",
        {
            "name": "R. Consult",
            "email": "rc@example.com",
            "cicc_licence": "r512345",
            "password": PASSWORD,
            "confirm": PASSWORD,
        },
    )
    assert good.status_code == 302
    with app.app_context():
        user = db.session.query(User).one()
        assert user.is_consultant and user.cicc_licence == "R512345"
        assert db.session.query(Membership).count() == 0
    assert client.get(_verify_link(outbox[-1])).status_code == 302
    assert client.post_form("/login", {"email": "rc@example.com", "password": PASSWORD}).status_code == 302
    page = client.get("/dashboard").get_data(as_text=True)
    assert "R512345" in page
    assert client.get("/org/").status_code == 404  # a consultant belongs to no employer


def consultant(email: str, licence: str) -> dict:
    return {
        "name": "R. Consult",
        "email": email,
        "cicc_licence": licence,
        "password": PASSWORD,
        "confirm": PASSWORD,
    }


def registers_consultant(app, email: str, licence: str) -> bool:
    """Whether a consultant's registration from a fresh client got the usual answer (302 to the sign-in)."""
    return app.test_client().post_form("/register/consultant", consultant(email, licence)).status_code == 302


def test_a_consultant_registering_a_taken_address_or_licence_gets_the_answer_of_a_new_one(
    app, make_consultant, outbox
):
    """A CICC licence number held by another account was refused on the form ('already registered to
    another account'), and so was an address with an account: anyone learned which RCICs use the portal.
    The page now answers as for a new account and writes nothing; the holder of a taken address is told
    that someone tried; a taken licence is told by mail to the address that registered (only who reads
    that mailbox learns of the clash, as a confirmation link would)."""
    rcic = make_consultant(email="rae@consult.example.com", licence="R512345")
    before = (count(app, User), count(app, AuditEvent))
    answers = {}
    for name, data in {
        "free": consultant("new@consult.example.com", "R600001"),
        "address taken": consultant("RAE@consult.example.com", "R600002"),
        "licence taken": consultant("sam@consult.example.com", "r512345"),
    }.items():
        visitor = app.test_client()
        answers[name] = _answer(visitor.post_form("/register/consultant", data), visitor)
    # the same answer, but for the address it names
    words = {n: (a[0], a[1], [m.split(" sent a message to ")[0] for m in a[2]]) for n, a in answers.items()}
    assert words["free"] == words["address taken"] == words["licence taken"]
    assert answers["licence taken"][2] == [
        "We sent a message to sam@consult.example.com. Open it to confirm your address, then sign in."
    ]
    assert (count(app, User), count(app, AuditEvent)) == (before[0] + 1, before[1] + 1)  # the free one only
    with app.app_context():
        assert db.session.get(User, rcic.user_id).email == "rae@consult.example.com"
        assert db.session.query(User).filter_by(cicc_licence="R600002").count() == 0

    to = {m.to[0]: m for m in outbox}
    assert set(to) == {"new@consult.example.com", "rae@consult.example.com", "sam@consult.example.com"}
    assert "/verify/" in to["new@consult.example.com"].body
    assert "already has an account" in to["rae@consult.example.com"].body
    clash = to["sam@consult.example.com"]
    assert "R512345" in clash.body and "already registered to another account" in clash.body
    assert "/verify/" not in clash.body


def test_login_logout(app, client, make_employer, login):
    account = make_employer()
    assert client.get("/dashboard").status_code == 302
    login(client, account)
    assert client.get("/dashboard").status_code == 200
    response = client.post_form("/logout")
    assert response.status_code == 302
    assert client.get("/dashboard").status_code == 302


def test_wrong_password_says_so_answers_401_and_is_audited(app, client, make_employer):
    account = make_employer()
    response = client.post_form("/login", {"email": account.email, "password": "wrong-password"})
    assert response.status_code == 401
    assert "Wrong email or password" in response.get_data(as_text=True)
    assert client.get("/dashboard").status_code == 302
    with app.app_context():
        events = db.session.query(AuditEvent).filter_by(action="login.failed").all()
        assert len(events) == 1 and events[0].actor_id == account.user_id


def _reset_link(outbox) -> str:
    assert len(outbox) == 1
    return re.search(r"https?://[^/\s]+(/reset/\S+)", outbox[0].body).group(1)  # on PUBLIC_URL


def test_password_reset_by_signed_link(app, client, make_employer, outbox):
    account = make_employer()
    response = client.post_form("/reset", {"email": account.email})
    assert response.status_code == 302
    link = _reset_link(outbox)
    assert client.get(link).status_code == 200
    new_password = "a-brand-new-password"
    response = client.post_form(link, {"password": new_password, "confirm": new_password})
    assert response.status_code == 302
    # The old password no longer works, the new one does; the link is dead once used.
    assert client.post_form("/login", {"email": account.email, "password": PASSWORD}).status_code == 401
    assert client.post_form("/login", {"email": account.email, "password": new_password}).status_code == 302
    client.post_form("/logout")
    used = client.post_form(link, {"password": "yet-another-password", "confirm": "yet-another-password"})
    assert used.status_code == 400 and "not valid" in used.get_data(as_text=True)


def _posted_at_once(monkeypatch, clients, request) -> dict:
    """Two POSTs, one a client, sent at once and both past their checks before either writes: each waits
    (up to 3 s) in ``User.set_password`` for the other; a barrier broken because the other is held back (by
    a lock) lets it go on alone. ``request(i, csrf_token)`` gives the i-th (url, form data). The answers
    by i."""
    tokens_ = [c.csrf_token() for c in clients]
    meet = threading.Barrier(2)
    real_set_password = User.set_password

    def set_password(self, password):
        with contextlib.suppress(threading.BrokenBarrierError):
            meet.wait(timeout=3)
        real_set_password(self, password)

    monkeypatch.setattr(User, "set_password", set_password)
    answers: dict[int, object] = {}

    def post(i: int) -> None:
        url, data = request(i, tokens_[i])
        answers[i] = clients[i].post(url, data=data)

    threads = [threading.Thread(target=post, args=(i,)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    monkeypatch.undo()
    return answers


def test_one_reset_link_posted_twice_at_once_changes_the_password_once(
    app, make_employer, outbox, monkeypatch
):
    """Two requests sent at once with the same reset link (two tabs, a double click, an attacker racing the
    owner) both read the link as unused and both changed the password. The second now waits for the first
    (the user's row locked on PostgreSQL), finds the link used and is told so (400): one password wins."""
    account = make_employer()
    clients = [app.test_client(), app.test_client()]
    clients[0].post_form("/reset", {"email": account.email})
    link = _reset_link(outbox)
    passwords = ["first-new-password-1", "second-new-password-2"]
    answers = _posted_at_once(
        monkeypatch,
        clients,
        lambda i, token: (link, {"password": passwords[i], "confirm": passwords[i], "csrf_token": token}),
    )
    statuses = sorted(answers[i].status_code for i in range(2))
    assert statuses == [302, 400], statuses
    [refused] = [answers[i] for i in range(2) if answers[i].status_code == 400]
    assert "not valid or was already used" in refused.get_data(as_text=True)
    [winner] = [passwords[i] for i in range(2) if answers[i].status_code == 302]
    with app.app_context():
        user = db.session.get(User, account.user_id)
        assert user.check_password(winner)
        assert db.session.query(AuditEvent).filter_by(action="user.password_reset").count() == 1


def test_reset_request_for_unknown_email_sends_nothing_and_reveals_nothing(client, outbox):
    response = client.post_form("/reset", {"email": "nobody@example.com"}, follow_redirects=True)
    assert response.status_code == 200
    assert "If an account uses this email" in response.get_data(as_text=True)
    assert outbox == []


def test_a_reset_request_does_the_same_work_for_a_known_and_an_unknown_address(
    app, client, make_employer, outbox, monkeypatch
):
    """The request only queues the mail task, with the same arguments shape and the same answer, so
    its time says nothing about the address; the task, run for each, mails only the real account
    (after the same lookup, token and message: both run the whole service)."""
    account = make_employer()
    queued, steps = [], []
    monkeypatch.setattr(auth_tasks.send_password_reset, "delay", lambda *a: queued.append(a))
    answers = [
        client.post_form("/reset", {"email": email}) for email in (account.email, "nobody@example.com")
    ]
    assert [(r.status_code, r.location) for r in answers] == [(302, "/login")] * 2
    assert queued == [(account.email, "en"), ("nobody@example.com", "en")]
    assert outbox == []  # nothing was looked up or sent in the request

    real_make, real_send, real_compose = tokens.make, mail.send, mail.compose
    monkeypatch.setattr(tokens, "make", lambda *a, **k: steps.append("token") or real_make(*a, **k))
    monkeypatch.setattr(mail, "send", lambda *a: steps.append("sent") or real_send(*a))
    monkeypatch.setattr(mail, "compose", lambda *a: steps.append("composed") or real_compose(*a))
    with app.app_context():
        for email, lang in queued:
            auth_tasks.send_password_reset.run(email, lang)
    # The unknown address cost the same token and a message built as if it were sent.
    assert steps == ["token", "sent", "token", "composed"]
    assert [m.to for m in outbox] == [[account.email]]
    assert re.search(r"^http://127\.0\.0\.1:5000/reset/", outbox[0].body, re.M)  # PUBLIC_URL, not Host


def test_a_reset_request_is_mailed_in_the_language_of_the_page(client, make_employer, outbox):
    account = make_employer()
    client.post_form("/language", {"lang": "fr"})
    assert client.post_form("/reset", {"email": account.email}).status_code == 302
    assert "mot de passe" in outbox[0].subject.lower()


def test_a_reset_request_is_answered_when_the_broker_is_down(client, make_employer, outbox, monkeypatch):
    def refuse(*_args):
        raise ConnectionError("broker down")

    account = make_employer()
    monkeypatch.setattr(auth_tasks.send_password_reset, "delay", refuse)
    assert client.post_form("/reset", {"email": account.email}).status_code == 302
    assert [m.to for m in outbox] == [[account.email]]  # sent in the request instead


def test_expired_reset_link_is_refused(app, client, make_employer, outbox, backdated_links):
    account = make_employer()
    with backdated_links(2 * 3600):
        client.post_form("/reset", {"email": account.email})
    link = _reset_link(outbox)
    before = count(app, AuditEvent)
    response = client.post_form(link, {"password": "a-brand-new-password", "confirm": "a-brand-new-password"})
    assert response.status_code == 400 and "expired" in response.get_data(as_text=True)
    assert client.post_form("/login", {"email": account.email, "password": PASSWORD}).status_code == 302
    assert count(app, AuditEvent) == before + 0  # the successful login writes no event; the reset wrote none


def test_forged_reset_link_is_refused(app, client, make_employer, outbox):
    account = make_employer()
    client.post_form("/reset", {"email": account.email})
    link = _reset_link(outbox)
    forged = link[:-3] + ("abc" if not link.endswith("abc") else "xyz")
    response = client.post_form(
        forged, {"password": "a-brand-new-password", "confirm": "a-brand-new-password"}
    )
    assert response.status_code == 400 and "not valid" in response.get_data(as_text=True)
    assert client.post_form("/login", {"email": account.email, "password": PASSWORD}).status_code == 302


def test_the_registration_form_chooses_no_province_beforehand(client):
    page = client.get("/register").get_data(as_text=True)
    province = re.search(r'<select[^>]*name="province".*?</select>', page, re.S).group(0)
    assert "selected" not in province
    assert re.search(r'<option[^>]*value=""', province)  # a blank first choice: no province shown as chosen


@pytest.mark.parametrize(
    ("lang", "message"),
    [("en", "Sign in to see this page."), ("fr", "Connectez-vous pour voir cette page.")],
)
def test_the_sign_in_redirect_says_why_in_the_visitors_language(app, client, lang, message):
    """Browser tour of 2026-12-06: a French visitor sent to the sign-in page read Flask-Login's English
    "Please log in to access this page."."""
    response = client.get("/cases/", headers={"Accept-Language": lang})
    assert response.status_code == 302 and "/login" in response.location
    page = client.get(response.location, headers={"Accept-Language": lang}).get_data(as_text=True)
    assert message in html.unescape(page) and "Please log in" not in page


def test_an_audit_entry_names_a_case_in_french_with_elision_and_its_route_in_words(app):
    ref = ObjectRef("Case", True, "Olek Inventedname", {"route": "pending"})
    with app.test_request_context(headers={"Accept-Language": "fr"}):
        assert labels.object_label(ref) == "Dossier d'Olek Inventedname (Réponses requises)"
    with app.test_request_context(headers={"Accept-Language": "en"}):
        assert labels.object_label(ref) == "Case of Olek Inventedname (Needs answers)"
    # only the label's own "de" is elided, never one inside the name
    maria = ObjectRef("Case", True, "Maria de Oliveira", {"code": "T37"})
    with app.test_request_context(headers={"Accept-Language": "fr"}):
        assert labels.object_label(maria) == "Dossier de Maria de Oliveira (T37)"


def test_a_gross_annual_revenue_of_zero_is_a_revenue(app, client):
    """A new employer may have no revenue yet: 0 is within the field's range, and DataRequired refused it
    as "Enter a whole number of dollars"."""
    response = client.post_form("/register", registration(gross_annual_revenue="0"))
    assert response.status_code == 302, response.get_data(as_text=True)[-1500:]
    with app.app_context():
        assert db.session.query(Organization).one().gross_annual_revenue == 0
    # and the organization's page keeps it when saved again
    assert (
        client.post_form("/org/edit", {**ORG_DATA, **registration(gross_annual_revenue="0")}).status_code
        == 302
    )
    with app.app_context():
        assert db.session.query(Organization).one().gross_annual_revenue == 0


def test_one_new_address_registered_twice_at_once_makes_one_account_and_answers_both_alike(
    app, outbox, monkeypatch
):
    """Two registrations of the same new address sent at once (a double click, two tabs) both found the
    address free; the second's row was refused by the unique index and the page answered 500. Now the
    second answers as every registration does, and the account made by the first is told someone tried."""
    answers = _posted_at_once(
        monkeypatch,
        [app.test_client(), app.test_client()],
        lambda i, token: (
            "/register",
            {**registration(email="twice@example.com", business_number=f"98765432{i}"), "csrf_token": token},
        ),
    )
    assert [answers[i].status_code for i in range(2)] == [302, 302]
    assert {answers[i].location for i in range(2)} == {"/login"}
    with app.app_context():
        assert db.session.query(User).filter_by(email="twice@example.com").count() == 1
        assert db.session.query(Organization).count() == 1
    assert sorted("/verify/" in m.body for m in outbox) == [False, True]  # its link; "someone tried"


def _registered_days_ago(app, email: str, days: float) -> None:
    """Move the account of ``email`` (and the organization it registered) ``days`` into the past."""
    with app.app_context():
        user = services.find_user(email)
        when = user.created_at - timedelta(days=days)
        user.created_at = when
        if user.verification_sent_at is not None:  # its link was mailed then too
            user.verification_sent_at = when
        for membership in user.memberships:
            membership.organization.created_at = when
        db.session.commit()


def test_a_business_number_registered_by_an_address_never_confirmed_is_released_once_its_link_expired(
    app, outbox, backdated_links
):
    """Someone who registered a company's business number with an address they never confirmed held it for
    ever: the real employer was told 'already registered, ask one of its owners'. Once the confirmation
    link's lifetime (EMAIL_VERIFICATION_MAX_AGE, 2 days) is over, the next registration of the number takes
    it, with the answer any registration gets; the stale registration keeps its rows but not the number,
    and confirming its address later does not make it that employer."""
    squatter = app.test_client()
    with backdated_links(int(2.1 * 24 * 3600)):  # its link, made as long ago as its registration
        answer = squatter.post_form("/register", registration(email="squat@invented.example.com"))
    assert answer.status_code == 302
    [squatters_link] = [m for m in outbox if m.to == ["squat@invented.example.com"]]

    # Within the link's lifetime the number is still held: refused on the form, as before.
    real = registration(email="hr@newco-real.example.com", name="Real Owner")
    assert app.test_client().post_form("/register", real).status_code == 400

    _registered_days_ago(app, "squat@invented.example.com", 2.1)
    visitor = app.test_client()
    answer = _answer(visitor.post_form("/register", real), visitor)
    fresh = app.test_client()
    other = _answer(
        fresh.post_form("/register", registration(email="x@other.example.com", business_number="111222333")),
        fresh,
    )
    assert answer[:2] == other[:2] == (302, "/login")
    assert answer[2] == [m.replace("x@other.example.com", "hr@newco-real.example.com") for m in other[2]]
    with app.app_context():
        employer = db.session.query(Organization).filter_by(business_number="123456789").one()
        assert [m.user.email for m in employer.memberships] == ["hr@newco-real.example.com"]
        stale = services.find_user("squat@invented.example.com")
        [stale_org] = [m.organization for m in stale.memberships]
        assert stale_org.id != employer.id and stale_org.business_number is None
        assert "organization.business_number_released" in {e.action for e in db.session.query(AuditEvent)}

    # The stale account confirms its address after all (a link asked again): still not that employer.
    assert (
        squatter.get(re.search(r"https?://[^/\s]+(/verify/\S+)", squatters_link.body).group(1)).status_code
        == 400
    )
    # (refused: not confirmed; the mailbox gets a new link)
    assert (
        squatter.post_form(
            "/login", {"email": "squat@invented.example.com", "password": PASSWORD}
        ).status_code
        == 401
    )
    link = [m for m in outbox if m.to == ["squat@invented.example.com"]][-1]
    assert squatter.get(re.search(r"https?://[^/\s]+(/verify/\S+)", link.body).group(1)).status_code == 302
    sign_in = {"email": "squat@invented.example.com", "password": PASSWORD}
    assert squatter.post_form("/login", sign_in).status_code == 302
    with app.app_context():
        stale = services.find_user("squat@invented.example.com")
        assert stale.email_verified and employer.id not in {m.organization_id for m in stale.memberships}
        employer = db.session.query(Organization).filter_by(business_number="123456789").one()
        assert [m.user.email for m in employer.memberships] == ["hr@newco-real.example.com"]
    assert "123456789" not in squatter.get("/org/").get_data(as_text=True)


@pytest.mark.parametrize("verified", [True, False])
def test_a_confirmed_or_older_employer_keeps_its_business_number_however_old(app, make_employer, verified):
    """Confirmed, or made otherwise than by the registration page (an account from before confirmations,
    unconfirmed until its next sign-in, has used the portal as it was): never released."""
    make_employer(email="kept@invented.example.com", business_number="123456789", verified=verified)
    _registered_days_ago(app, "kept@invented.example.com", 400)
    response = app.test_client().post_form("/register", registration())
    assert response.status_code == 400 and "already registered" in response.get_data(as_text=True)
    with app.app_context():
        assert services.find_user("priya@newco.example.com") is None


def test_a_licence_of_an_account_from_before_confirmations_is_kept_however_old(app, make_consultant, outbox):
    make_consultant(email="rae@consult.example.com", licence="R512345", verified=False)
    _registered_days_ago(app, "rae@consult.example.com", 400)
    assert registers_consultant(app, "sam@consult.example.com", "R512345")
    with app.app_context():
        assert services.find_user("rae@consult.example.com").cicc_licence == "R512345"
        assert services.find_user("sam@consult.example.com") is None


def test_a_licence_registered_by_an_address_never_confirmed_is_released_once_its_link_expired(app, outbox):
    """The same for a consultant's CICC licence number: the real holder registering it was told by mail that
    another account holds it, for ever. Past the link's lifetime the unconfirmed account loses it."""
    assert registers_consultant(app, "squat@invented.example.com", "R512345")
    assert registers_consultant(app, "rae@consult.example.com", "R512345")
    with app.app_context():
        assert services.find_user("rae@consult.example.com") is None  # within the lifetime: still held
    _registered_days_ago(app, "squat@invented.example.com", 2.1)
    outbox.clear()
    assert registers_consultant(app, "rae@consult.example.com", "R512345")
    with app.app_context():
        assert services.find_user("rae@consult.example.com").cicc_licence == "R512345"
        assert services.find_user("squat@invented.example.com").cicc_licence is None
    [mail] = outbox
    assert mail.to == ["rae@consult.example.com"] and "/verify/" in mail.body


def test_registering_then_signing_in_does_not_tell_whether_the_address_had_an_account(
    app, make_employer, outbox
):
    """Registering an address with a password of one's choosing, then signing in with it, let anyone in only
    if the address had no account: a probe of any address in two requests. An account made by the
    registration page now signs in once its address is confirmed; before, its right password is answered as
    a wrong one (401, the same page, counted in the back-off) and its mailbox gets a new link."""
    make_employer(email="taken@example.com")  # its own password (PASSWORD)
    chosen = "a-probers-password-9"
    answers = {}
    for name, email, bn in (
        ("taken", "taken@example.com", "111111118"),
        ("free", "free@example.com", "222222226"),
    ):
        prober = app.test_client()
        assert (
            prober.post_form(
                "/register", registration(email=email, business_number=bn, password=chosen, confirm=chosen)
            ).status_code
            == 302
        )
        response = prober.post_form("/login", {"email": email, "password": chosen})
        page = response.get_data(as_text=True)
        answers[name] = (response.status_code, re.findall(r'class="alert[^"]*"[^>]*>(.*?)</', page, re.S))
        assert "Wrong email or password" in page, name
    assert answers["taken"] == answers["free"]
    assert answers["free"][0] == 401

    # The person who registered confirms the address with the link mailed, then signs in.
    links = [m for m in outbox if m.to == ["free@example.com"] and "/verify/" in m.body]
    assert len(links) == 1  # (the refused sign-in sends none within 10 minutes of the first)
    person = app.test_client()
    assert person.get(_verify_link(links[-1])).status_code == 302
    assert person.post_form("/login", {"email": "free@example.com", "password": chosen}).status_code == 302


def test_registering_a_number_again_does_not_tell_whether_the_first_address_had_an_account(
    app, make_employer, make_consultant, outbox
):
    """A registration of a new address holds its business number (or CICC licence number); one of an
    address with an account created nothing and held nothing. So registering an address, then its number
    again from an address of one's own, was refused ('already registered', or a mail saying the licence is
    taken) only if the first address had no account. Now both hold the number alike, until the link's
    lifetime is over."""
    make_employer(email="taken@example.com")
    make_consultant(email="rtaken@example.com")
    for email, bn in (("taken@example.com", "111111118"), ("free@example.com", "222222226")):
        assert (
            app.test_client()
            .post_form("/register", registration(email=email, business_number=bn))
            .status_code
            == 302
        )
    second = {}
    for bn in ("111111118", "222222226"):
        response = app.test_client().post_form(
            "/register", registration(email=f"me{bn}@own.example.com", business_number=bn)
        )
        second[bn] = (response.status_code, "already registered" in response.get_data(as_text=True))
    assert second["111111118"] == second["222222226"] == (400, True)

    for email, licence in (("rtaken@example.com", "R611111"), ("rfree@example.com", "R622222")):
        assert registers_consultant(app, email, licence)
    outbox.clear()
    for licence in ("R611111", "R622222"):
        own = f"me{licence}@own.example.com"
        assert registers_consultant(app, own, licence)
    mails = {m.to[0]: m for m in outbox}
    for licence in ("R611111", "R622222"):
        body = mails[f"me{licence.lower()}@own.example.com"].body
        assert "already registered to another account" in body and "/verify/" not in body, licence

    # Past the confirmation link's lifetime both numbers are free again alike.
    with app.app_context():
        for hold in db.session.query(RegistrationHold):
            hold.expires_at -= timedelta(days=2, minutes=1)
        db.session.commit()
    for email in ("free@example.com", "rfree@example.com"):
        _registered_days_ago(app, email, 2.1)
    for bn in ("111111118", "222222226"):
        response = app.test_client().post_form(
            "/register", registration(email=f"late{bn}@own.example.com", business_number=bn)
        )
        assert response.status_code == 302, bn
    with app.app_context():
        assert {o.business_number for o in db.session.query(Organization)} >= {"111111118", "222222226"}


def _sign_in_box(client) -> str | None:
    """The value the sign-in page's email box starts with (None: empty)."""
    page = client.get("/login")
    assert page.status_code == 200
    box = re.search(r'<input[^>]*\bid="email"[^>]*>', page.get_data(as_text=True)).group(0)
    value = re.search(r'\bvalue="([^"]*)"', box)
    return html.unescape(value.group(1)) if value and value.group(1) else None


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_the_sign_in_page_starts_with_the_address_this_browser_just_registered(
    app, make_employer, outbox, lang
):
    """After registering, the person was sent to an empty sign-in page and typed the address again. The page
    now starts with the address registered (the password box takes the focus), carried in this browser's own
    session, never in the address bar; another browser's page starts empty. A registration of a taken address
    gets the same page: the prefill tells nothing the person did not type."""
    make_employer(email="taken@newco.example.com")
    for email, bn in (("priya@newco.example.com", "123456789"), ("taken@newco.example.com", "111111118")):
        browser = app.test_client()
        browser.post_form("/language", {"lang": lang})
        answer = browser.post_form("/register", registration(email=email, business_number=bn))
        assert answer.status_code == 302 and answer.location == "/login"  # no address in the URL
        assert _sign_in_box(browser) == email
        page = browser.get("/login").get_data(as_text=True)
        assert re.search(r'<input[^>]*\bautofocus[^>]*\bid="password"', page)
        assert not re.search(r'<input[^>]*\bautofocus[^>]*\bid="email"', page)  # the first one wins
        assert ("Se connecter" if lang == "fr" else "Sign in") in page
        assert _sign_in_box(app.test_client()) is None
    # a consultant's registration too
    browser = app.test_client()
    browser.post_form("/register/consultant", consultant("rae@consult.example.com", "R512345"))
    assert _sign_in_box(browser) == "rae@consult.example.com"


def test_a_confirmation_link_or_a_password_reset_leads_to_a_sign_in_page_with_the_address(
    app, make_employer, outbox
):
    """The confirmation link opened in another browser (the mail read on a phone), a reset asked for, a new
    password chosen: each ends on the sign-in page, which now starts with the account's address."""
    app.test_client().post_form("/register", registration())
    phone = app.test_client()
    assert _sign_in_box(phone) is None
    assert phone.get(_verify_link(outbox[-1])).location == "/login"
    assert _sign_in_box(phone) == "priya@newco.example.com"
    assert (
        phone.post_form("/login", {"email": "priya@newco.example.com", "password": PASSWORD}).status_code
        == 302
    )
    phone.post_form("/logout")
    assert _sign_in_box(phone) is None  # signing in forgot it

    account = make_employer(email="sam@invented.example.com")
    outbox.clear()
    asked = app.test_client()
    asked.post_form("/reset", {"email": account.email})
    assert _sign_in_box(asked) == account.email
    other = app.test_client()  # the link opened elsewhere
    link = _reset_link(outbox)
    assert (
        other.post_form(
            link, {"password": "a-brand-new-password", "confirm": "a-brand-new-password"}
        ).status_code
        == 302
    )
    assert _sign_in_box(other) == account.email


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_a_registration_whose_business_number_was_taken_is_told_so_on_its_dashboard(
    app, outbox, backdated_links, lang
):
    """A registration confirmed after its business number went to a later registration (its link had
    expired) found a dashboard with an organization and no word of the number: the dashboard now says plainly
    that another registration took it and what to do, to that account only (not to the employer that took
    the number, nor to a colleague invited later). Typing the number again on the organization's page gets
    it back once the other registration has lapsed too, and the banner goes."""
    squatter = app.test_client()
    squatter.post_form("/language", {"lang": lang})
    with backdated_links(int(2.1 * 24 * 3600)):
        squatter.post_form("/register", registration(email="first@invented.example.com"))
    _registered_days_ago(app, "first@invented.example.com", 2.1)
    real = app.test_client()
    real.post_form("/language", {"lang": lang})
    assert real.post_form("/register", registration(email="hr@newco-real.example.com")).status_code == 302

    sign_in = {"email": "first@invented.example.com", "password": PASSWORD}
    assert squatter.post_form("/login", sign_in).status_code == 401  # a new link is mailed
    link = [m for m in outbox if m.to == ["first@invented.example.com"]][-1]
    assert squatter.get(_verify_link(link)).status_code == 302
    assert squatter.post_form("/login", sign_in).status_code == 302
    page = html.unescape(squatter.get("/dashboard").get_data(as_text=True))
    assert 'id="business-number-released"' in page and "123456789" in page
    words = {
        "en": ("Another registration took your business number", "within 48 hours", "ask one of its owners"),
        "fr": (
            "Une autre inscription a pris votre numéro d'entreprise",
            "dans les 48 heures",
            "propriétaires",
        ),
    }[lang]
    assert all(w in page for w in words), page
    assert 'id="org-bn">—<' in squatter.get("/org/").get_data(as_text=True)  # not an empty line

    # the employer that took the number is told nothing
    real_link = [m for m in outbox if m.to == ["hr@newco-real.example.com"]][-1]
    real.get(_verify_link(real_link))
    assert (
        real.post_form("/login", {"email": "hr@newco-real.example.com", "password": PASSWORD}).status_code
        == 302
    )
    assert 'id="business-number-released"' not in real.get("/dashboard").get_data(as_text=True)

    # a colleague invited later to the released organization: not told either
    assert (
        squatter.post_form(
            "/org/invitations", {"email": "pat@invented.example.com", "role": "member"}
        ).status_code
        == 302
    )
    invitation = re.search(r"https?://[^/\s]+(/invitations/\S+)", outbox[-1].body).group(1)
    colleague = app.test_client()
    joined = colleague.post_form(
        invitation, {"name": "Pat Invented", "password": PASSWORD, "confirm": PASSWORD}
    )
    assert joined.status_code == 302
    assert 'id="business-number-released"' not in colleague.get("/dashboard").get_data(as_text=True)

    # the number typed again on the organization's page: refused, the employer that took it is confirmed
    refused = squatter.post_form("/org/edit", {**ORG_DATA, **registration()})
    assert refused.status_code == 400
    assert 'id="business-number-released"' in squatter.get("/dashboard").get_data(as_text=True)


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_a_consultant_whose_licence_was_taken_is_told_so_and_so_are_the_employers_engaging_them(
    app, outbox, backdated_links, make_employer, login, lang
):
    """Tour: the consultant's side of the released business number. A consultant confirmed after their CICC
    licence number went to a later registration (their link had expired) read "CICC licence number: None"
    and nothing else; an employer engaging them saw the account without a licence and no word why. The
    consultant's dashboard now says what happened and what it means (to that account only), and the
    employer's consultants page says the account has no licence number and to check it."""
    squatter = app.test_client()
    squatter.post_form("/language", {"lang": lang})
    with backdated_links(int(2.1 * 24 * 3600)):
        squatter.post_form("/register/consultant", consultant("first@invented.example.com", "R512345"))
    _registered_days_ago(app, "first@invented.example.com", 2.1)
    assert registers_consultant(app, "rae@consult.example.com", "R512345")  # takes the number

    sign_in = {"email": "first@invented.example.com", "password": PASSWORD}
    assert squatter.post_form("/login", sign_in).status_code == 401  # a new link is mailed
    link = [m for m in outbox if m.to == ["first@invented.example.com"]][-1]
    assert squatter.get(_verify_link(link)).status_code == 302
    assert squatter.post_form("/login", sign_in).status_code == 302
    page = html.unescape(squatter.get("/dashboard").get_data(as_text=True))
    assert 'id="licence-released"' in page and "R512345" in page
    words = {
        "en": (
            "Another registration took your CICC licence number",
            "within 48 hours",
            "CICC public register",
        ),
        "fr": (
            "Une autre inscription a pris votre numéro de permis du CCIC",
            "dans les 48 heures",
            "registre public du CCIC",
        ),
    }[lang]
    assert all(w in page for w in words), page
    assert "None" not in page

    # the consultant who took the number is told nothing
    real = app.test_client()
    real.get(_verify_link([m for m in outbox if m.to == ["rae@consult.example.com"]][-1]))
    assert (
        real.post_form("/login", {"email": "rae@consult.example.com", "password": PASSWORD}).status_code
        == 302
    )
    assert 'id="licence-released"' not in real.get("/dashboard").get_data(as_text=True)

    # an employer that engages the account without a licence is told, on its consultants page
    employer = app.test_client()
    login(employer, make_employer(legal_name="Maple Invented Analytics Ltd."))
    employer.post_form("/language", {"lang": lang})
    assert employer.post_form("/org/consultants", {"email": "first@invented.example.com"}).status_code == 302
    engagement_id = re.findall(
        r"/engagements/(\d+)/accept", squatter.get("/dashboard").get_data(as_text=True)
    )[-1]
    assert squatter.post_form(f"/engagements/{engagement_id}/accept").status_code == 302
    page = html.unescape(employer.get("/org/consultants").get_data(as_text=True))
    note = {
        "en": "No CICC licence number: the one this consultant registered with",
        "fr": "Aucun numéro de permis du CCIC",
    }
    assert "licence-released" in page and note[lang] in page, page


def test_a_business_number_lost_to_a_registration_that_lapsed_too_is_had_back_by_typing_it_again(
    app, outbox, backdated_links
):
    """The banner's second way out: the later registration never confirmed its address either, so the number
    typed again on the organization's page is released to it (as a registration of it would be)."""
    first = app.test_client()
    with backdated_links(int(2.1 * 24 * 3600)):
        first.post_form("/register", registration(email="first@invented.example.com"))
    _registered_days_ago(app, "first@invented.example.com", 2.1)
    app.test_client().post_form("/register", registration(email="second@invented.example.com"))
    sign_in = {"email": "first@invented.example.com", "password": PASSWORD}
    first.post_form("/login", sign_in)
    first.get(_verify_link([m for m in outbox if m.to == ["first@invented.example.com"]][-1]))
    assert first.post_form("/login", sign_in).status_code == 302
    assert 'id="business-number-released"' in first.get("/dashboard").get_data(as_text=True)
    _registered_days_ago(app, "second@invented.example.com", 2.1)
    assert first.post_form("/org/edit", {**ORG_DATA, **registration()}).status_code == 302
    assert 'id="business-number-released"' not in first.get("/dashboard").get_data(as_text=True)
    with app.app_context():
        owners = {m.user.email: m.organization.business_number for m in db.session.query(Membership)}
        assert owners == {"first@invented.example.com": "123456789", "second@invented.example.com": None}


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_the_confirmation_mail_of_a_registration_says_it_signs_in_once_confirmed(
    app, client, make_employer, outbox, lang
):
    """Tour: the mail of a registration said "until then you cannot accept an engagement or an invitation", as
    if the account could sign in meanwhile; it cannot. It now says to sign in once confirmed. An account from
    before confirmations, which signs in unconfirmed, keeps the old sentence."""
    client.post_form("/language", {"lang": lang})
    client.post_form("/register", registration())
    [message] = outbox
    said = {"en": "Then sign in: until your address is confirmed", "fr": "Connectez-vous ensuite"}[lang]
    assert said in message.body
    assert "engagement" not in message.body and "mandat" not in message.body
    older = make_employer(verified=False)
    other = app.test_client()
    other.post_form("/language", {"lang": lang})
    other.post_form("/login", {"email": older.email, "password": older.password})
    [later] = [m for m in outbox if m.to == [older.email]]
    assert {"en": "accept an engagement", "fr": "ni un mandat"}[lang] in later.body


@pytest.mark.parametrize("browser_language", ["fr-CA,fr;q=0.9", "en-CA,en;q=0.9"])
def test_an_account_registered_in_a_language_keeps_it_for_the_mails_sent_later(app, browser_language):
    """Tour: a person whose browser asks for French read every page in French, registered, confirmed, and
    never touched the language switch: the account had no language, so the mails sent without a request (a
    consultant's decision, the reminders) came in English. The account now keeps the language the
    registration page was read in, as the switch would have kept it."""
    visitor = app.test_client()
    visitor.environ_base["HTTP_ACCEPT_LANGUAGE"] = browser_language
    assert "Inscrire" in visitor.get("/register").get_data(as_text=True) or browser_language.startswith("en")
    assert visitor.post_form("/register", registration()).status_code == 302
    assert registers_consultant(
        app, "rae@consult.example.com", "R512345"
    )  # (no language: English, the default)
    with app.app_context():
        assert services.find_user("priya@newco.example.com").locale == browser_language[:2]
        assert services.find_user("rae@consult.example.com").locale == "en"
