"""Account security under attack (issue 12, items 1-5 and 10; the Outbox of issue 16).

Each test replays the failure an outside probe found, against the real services (PostgreSQL,
Redis where the limiter is concerned). Marked ``faults`` so the fault suite can run alone.
"""

from __future__ import annotations

import logging
import re
import shutil
import socket
import statistics
import subprocess
import time
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

import limits.storage.memory
import pytest
import redis
from sqlalchemy import select

from portal.auth import services, throttle
from portal.extensions import db, limiter
from portal.models import (
    AuditEvent,
    CalendarFeed,
    Engagement,
    Membership,
    RegistrationHold,
    User,
    UserSession,
)
from portal.models._types import utcnow
from tests.conftest import ORG_DATA, PASSWORD
from tests.helpers import STAMP, stamp_zones, statements_sent
from tests.portal.test_cases import _create_case
from tests.portal.test_consult import T37_ANSWERS, packet
from workers.tasks import auth as auth_tasks

pytestmark = pytest.mark.faults

VICTIM = "rae.victim@consult.example.com"  # invented


def _link(message, path: str) -> str:
    return re.search(rf"https?://[^/\s]+(/{path}/\S+)", message.body).group(1)


def _mails_to(outbox, email: str, subject_part: str) -> list:
    return [m for m in outbox if email in m.to and subject_part in m.subject]


def _packet(client, case_id) -> int:
    assert client.post_form(f"/cases/{case_id}/answers", T37_ANSWERS).status_code == 302
    return packet(client, case_id)


@pytest.fixture
def team(app, client, make_employer, add_member, login):
    """An owner signed in on ``client`` and a member signed in on a client of their own:
    (owner, member, member_client, the member's membership id)."""
    owner = make_employer()
    member = add_member(owner.org_id)
    login(client, owner)
    member_client = app.test_client()
    login(member_client, member)
    with app.app_context():
        mid = db.session.scalars(select(Membership.id).where(Membership.user_id == member.user_id)).one()
    return owner, member, member_client, mid


def _register_consultant(client, email: str, licence: str):
    return client.post_form(
        "/register/consultant",
        {
            "name": "Sam Stranger",
            "email": email,
            "password": PASSWORD,
            "confirm": PASSWORD,
            "cicc_licence": licence,
        },
    )


def _engagement(app) -> Engagement:

    with app.app_context():
        e = db.session.scalars(select(Engagement).order_by(Engagement.id.desc())).first()
        db.session.expunge(e)
        return e


# ------------------------------------------------------------------------ 1. engagement takeover
def test_a_stranger_who_registers_an_engaged_email_cannot_accept_nor_download_until_verified(
    app, client, make_employer, login, outbox
):
    employer = make_employer(legal_name="Maple Invented Analytics Ltd.")
    login(client, employer)
    case_id = _create_case(client)
    doc_id = _packet(client, case_id)
    # The employer engages an address that has no account yet.
    assert client.post_form("/org/consultants", {"email": VICTIM}).status_code == 302
    engagement = _engagement(app)

    # Anyone registers a consultant account with that address ...
    stranger = app.test_client()
    assert _register_consultant(stranger, VICTIM, "R999999").status_code == 302
    # ... and is asked to verify it (a signed link, through the mail module): until then the account does not
    # sign in (answered as a wrong password), so nothing of the employer is reachable and nothing accepted.
    [verification] = _mails_to(outbox, VICTIM, "Confirm your email")
    assert stranger.post_form("/login", {"email": VICTIM, "password": PASSWORD}).status_code == 401
    assert stranger.post_form(f"/engagements/{engagement.id}/accept").status_code == 302  # to sign-in
    assert _engagement(app).status == "invited" and _engagement(app).consultant_id is None
    for url in ("/dashboard", "/cases/", f"/cases/{case_id}", f"/documents/{doc_id}/download"):
        response = stranger.get(url)
        assert response.status_code == 302 and "/login" in response.location, url

    # Once the address is verified (the person reads that mailbox), the binding works as intended.
    assert stranger.get(_link(verification, "verify")).status_code == 302
    assert stranger.post_form("/login", {"email": VICTIM, "password": PASSWORD}).status_code == 302
    assert "Maple Invented Analytics" in stranger.get("/dashboard").get_data(as_text=True)
    assert stranger.post_form(f"/engagements/{engagement.id}/accept").status_code == 302
    bound = _engagement(app)
    assert bound.status == "active" and bound.consultant_id is not None
    download = stranger.get(f"/documents/{doc_id}/download")
    assert download.status_code == 200 and download.data.startswith(b"%PDF")
    # The employer sees who accepted, with the CICC licence of the account.
    register = client.get("/org/consultants").get_data(as_text=True)
    assert "Sam Stranger" in register and "CICC R999999" in register


def test_an_engagement_with_an_expected_licence_binds_to_that_licence_only(
    app, client, make_employer, make_consultant, login
):
    employer = make_employer()
    login(client, employer)
    response = client.post_form("/org/consultants", {"email": VICTIM, "cicc_licence": "r512345"})
    assert response.status_code == 302
    engagement = _engagement(app)
    assert engagement.cicc_licence == "R512345"
    assert "Expected CICC licence: R512345" in client.get("/org/consultants").get_data(as_text=True)

    # Even with a verified address, another licence cannot accept.
    other = make_consultant(email=VICTIM, licence="R999999", verified=True)
    other_client = app.test_client()
    login(other_client, other)
    response = other_client.post_form(f"/engagements/{engagement.id}/accept", follow_redirects=True)
    assert "expects the consultant holding CICC licence R512345" in response.get_data(as_text=True)
    assert _engagement(app).status == "invited"


def test_any_employer_engaging_an_address_learns_nothing_of_its_account_until_it_accepts(
    app, client, make_employer, make_consultant, login
):
    """Registration is open: anyone registers an employer and engages any address. The engagement bound at
    once to the verified consultant account of that address, and the register showed its name and CICC
    licence (a wrong licence typed was refused naming the right one), before the consultant did anything."""
    rcic = make_consultant(email=VICTIM, licence="R512345")
    with app.app_context():
        name = db.session.get(User, rcic.user_id).name
    prober = make_employer()
    login(client, prober)
    assert client.post_form("/org/consultants", {"email": VICTIM}).status_code == 302
    page = client.get("/org/consultants").get_data(as_text=True)
    assert name not in page and "R512345" not in page and "Invited, not accepted yet" in page
    other = make_employer()
    other_client = app.test_client()
    login(other_client, other)
    response = other_client.post_form("/org/consultants", {"email": VICTIM, "cicc_licence": "R000001"})
    assert response.status_code == 302
    assert "R512345" not in other_client.get("/org/consultants").get_data(as_text=True)

    # The consultant accepts the first: that employer now sees who accepted; the second (a wrong licence)
    # cannot be accepted by this account.
    rcic_client = app.test_client()
    login(rcic_client, rcic)
    with app.app_context():
        first, second = db.session.scalars(select(Engagement.id).order_by(Engagement.id)).all()
    assert rcic_client.post_form(f"/engagements/{first}/accept").status_code == 302
    page = client.get("/org/consultants").get_data(as_text=True)
    assert name in page and "CICC R512345" in page
    response = rcic_client.post_form(f"/engagements/{second}/accept", follow_redirects=True)
    assert "expects the consultant holding CICC licence R000001" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Engagement, second).status == "invited"


def test_an_unverified_consultant_loses_existing_access_until_verified_and_is_asked_at_sign_in(
    app, client, make_employer, make_consultant, login, outbox
):
    """Existing accounts are unverified after the migration: asked to verify on their next sign-in."""

    employer = make_employer()
    login(client, employer)
    case_id = _create_case(client)
    rcic = make_consultant(email=VICTIM, licence="R512345")
    assert client.post_form("/org/consultants", {"email": VICTIM}).status_code == 302
    rcic_client = app.test_client()
    login(rcic_client, rcic)
    assert rcic_client.post_form(f"/engagements/{_engagement(app).id}/accept").status_code == 302
    assert rcic_client.get(f"/cases/{case_id}").status_code == 200
    with app.app_context():  # as the migration leaves every existing account
        db.session.get(User, rcic.user_id).email_verified_at = None
        db.session.commit()
    assert rcic_client.get(f"/cases/{case_id}").status_code == 404

    outbox.clear()
    again = app.test_client()
    response = again.post_form("/login", {"email": VICTIM, "password": PASSWORD}, follow_redirects=True)
    page = response.get_data(as_text=True)
    # said once, by the banner every page shows (a flash said it again just above it)
    assert "Confirm your email address" in page
    assert page.lower().count("until then you cannot accept an engagement or an invitation") == 1
    [mail] = _mails_to(outbox, VICTIM, "Confirm your email")
    assert again.get(_link(mail, "verify")).status_code == 302
    assert again.get(f"/cases/{case_id}").status_code == 200


def test_an_invitation_needs_a_verified_address_and_the_invitation_link_verifies_a_new_account(
    app, client, make_employer, login, outbox
):
    owner = make_employer()
    login(client, owner)
    # An existing, unverified employer account cannot join with the invitation.
    unverified = make_employer(email="pat@invented-corp.example.com", verified=False)
    assert (
        client.post_form("/org/invitations", {"email": unverified.email, "role": "member"}).status_code == 302
    )
    link = _link(_mails_to(outbox, unverified.email, "invites you")[0], "invitations")
    pat = app.test_client()
    login(pat, unverified)
    response = pat.post_form(link)
    assert response.status_code == 403 and "Confirm your email address first" in response.get_data(
        as_text=True
    )
    with app.app_context():
        joined = db.session.scalars(
            select(Membership).where(
                Membership.user_id == unverified.user_id, Membership.organization_id == owner.org_id
            )
        ).all()
        assert joined == []
    # A person without an account who opens the link proves the address: their account is verified.
    response = client.post_form(
        "/org/invitations", {"email": "new@invented-corp.example.com", "role": "member"}
    )
    assert response.status_code == 302
    link = _link(_mails_to(outbox, "new@invented-corp.example.com", "invites you")[0], "invitations")
    newcomer = app.test_client()
    response = newcomer.post_form(link, {"name": "Nia New", "password": PASSWORD, "confirm": PASSWORD})
    assert response.status_code == 302
    assert "Confirm your email address" not in newcomer.get("/dashboard").get_data(as_text=True)


def test_verification_links_are_signed_and_expire(app, client, make_employer, login, outbox, backdated_links):
    account = make_employer(verified=False)
    with backdated_links(3 * 24 * 3600):  # the link mailed at sign-in
        login(client, account)
    link = _link(_mails_to(outbox, account.email, "Confirm your email")[-1], "verify")
    response = client.get(link)
    assert response.status_code == 400 and "expired" in response.get_data(as_text=True)
    assert client.get(link[:-4] + "AAAA").status_code == 400
    assert "Confirm your email address" in client.get("/dashboard").get_data(as_text=True)


def test_signing_in_unconfirmed_mails_a_new_link_at_most_once_in_ten_minutes(
    app, client, make_employer, login, outbox
):
    """Each sign-in to an unconfirmed account mailed a new confirmation link (anyone knowing the password
    could fill its mailbox, and the person got a pile of links). Now one link per VERIFICATION_RESEND_SECONDS
    (10 minutes) per account, however it is asked (sign-in, 'Send the link again'); the page says to look for
    the last one and when another can be asked."""
    account = make_employer(verified=False)
    for _ in range(3):
        login(app.test_client(), account)
    login(client, account)
    assert len(_mails_to(outbox, account.email, "Confirm your email")) == 1
    page = client.post_form("/verify", follow_redirects=True).get_data(as_text=True)
    assert len(_mails_to(outbox, account.email, "Confirm your email")) == 1
    assert "a few minutes ago" in page and "another one in 10 minutes" in page
    assert "Confirm your email address" in page  # the banner still says what to do

    with app.app_context():  # ten minutes later
        user = db.session.get(User, account.user_id)
        user.verification_sent_at -= timedelta(minutes=10)
        db.session.commit()
    page = client.post_form("/verify", follow_redirects=True).get_data(as_text=True)
    assert "We sent a new confirmation link to" in page
    assert len(_mails_to(outbox, account.email, "Confirm your email")) == 2
    login(app.test_client(), account)
    assert len(_mails_to(outbox, account.email, "Confirm your email")) == 2
    # In French too.
    with app.app_context():
        user = db.session.get(User, account.user_id)
        user.verification_sent_at -= timedelta(minutes=5)
        db.session.commit()
    client.post_form("/language", {"lang": "fr"})
    page = client.post_form("/verify", follow_redirects=True).get_data(as_text=True)
    assert "dans 5 minutes" in page


# ------------------------------------------------------------------------ 2. limiter storage down
def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _registration(email: str, n: int) -> dict:
    return {
        **ORG_DATA,
        "name": "Reg Istrant",
        "email": email,
        "password": PASSWORD,
        "confirm": PASSWORD,
        "business_number": f"{300000000 + n}",
    }


def _exercise_sign_in_reset_registration(app, caplog) -> None:
    client = app.test_client()
    statuses = [  # a new address each time: only the per-address (IP) limit can answer 429
        client.post_form(
            "/login", {"email": f"nobody{i}@example.com", "password": "wrong-password"}
        ).status_code
        for i in range(7)
    ]
    # Answered every time, and the per-address limit still holds, counted in memory.
    assert statuses[:5] == [401] * 5 and statuses[5:] == [429, 429], statuses
    assert client.post_form("/reset", {"email": "nobody@example.com"}).status_code == 302
    assert (
        client.post_form("/register", _registration("fresh@invented-corp.example.com", 1)).status_code == 302
    )
    assert any("falling back to in-memory" in r.getMessage() for r in caplog.records)


def test_sign_in_reset_and_registration_answer_while_the_limiter_redis_is_unreachable(
    app, make_app, caplog, tmp_path
):
    caplog.set_level(logging.WARNING, logger="flask-limiter")
    app = make_app(RATELIMIT_STORAGE_URI=f"redis://127.0.0.1:{_free_port()}/0")
    _exercise_sign_in_reset_registration(app, caplog)


def test_sign_in_keeps_answering_when_the_limiter_redis_stops_mid_flight(app, make_app, caplog, tmp_path):
    """A private redis-server on a free port (never the shared one), stopped while the app runs."""

    assert shutil.which("redis-server"), (
        "this test starts its own redis-server: install Debian's redis-server"
    )

    caplog.set_level(logging.WARNING, logger="flask-limiter")
    port = _free_port()
    server = subprocess.Popen(
        ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        cwd=tmp_path,
    )
    try:
        probe = redis.Redis(port=port, socket_connect_timeout=0.5)
        deadline = time.monotonic() + 10
        while True:
            try:
                probe.ping()
                break
            except redis.ConnectionError:
                assert time.monotonic() < deadline, "the private redis-server did not start"
                time.sleep(0.05)
        app = make_app(RATELIMIT_STORAGE_URI=f"redis://127.0.0.1:{port}/0")
        # The limiter is one object for every app of the test process: forget an outage an
        # earlier test left it in (a web process has one app, so this never happens there).
        limiter._storage_dead = False
        client = app.test_client()
        assert client.post_form("/login", {"email": "x@example.com", "password": "wrong"}).status_code == 401
        assert probe.dbsize() > 0  # the limiter really counts in this Redis
    finally:
        server.terminate()
        server.wait(timeout=10)
    _exercise_sign_in_reset_registration(app, caplog)


# ------------------------------------------------------------------------ 3. sessions really end
def _copy_cookie(app, source):
    copy = app.test_client()
    copy.set_cookie("session", source.get_cookie("session").value)
    return copy


def _signed_in(client) -> bool:
    return client.get("/dashboard").status_code == 200


def test_sign_out_ends_the_session_on_the_server_so_a_copied_cookie_dies(app, client, make_employer, login):
    account = make_employer()
    login(client, account)
    stolen = _copy_cookie(app, client)
    assert _signed_in(stolen)
    assert client.post_form("/logout").status_code == 302
    assert not _signed_in(stolen)
    assert not _signed_in(client)


def test_a_password_reset_ends_every_session_of_the_user(app, client, make_employer, login, outbox):
    account = make_employer()
    laptop, phone = app.test_client(), app.test_client()
    login(laptop, account)
    login(phone, account)
    stolen = _copy_cookie(app, phone)
    assert client.post_form("/reset", {"email": account.email}).status_code == 302
    link = _link(_mails_to(outbox, account.email, "Reset")[0], "reset")
    assert (
        client.post_form(link, {"password": "a-new-password-1", "confirm": "a-new-password-1"}).status_code
        == 302
    )
    assert not any(_signed_in(c) for c in (laptop, phone, stolen))
    with app.app_context():
        event_ = db.session.scalars(
            select(AuditEvent).where(AuditEvent.action == "user.password_reset")
        ).one()
        assert event_.data["sessions_ended"] == 2


def test_a_password_change_ends_the_other_sessions_and_keeps_this_one(app, client, make_employer, login):
    account = make_employer()
    login(client, account)
    other = app.test_client()
    login(other, account)
    wrong = client.post_form(
        "/account/password",
        {"current": "not-it", "password": "a-new-password-1", "confirm": "a-new-password-1"},
    )
    assert wrong.status_code == 400 and _signed_in(other)
    response = client.post_form(
        "/account/password",
        {"current": PASSWORD, "password": "a-new-password-1", "confirm": "a-new-password-1"},
    )
    assert response.status_code == 302
    assert _signed_in(client) and not _signed_in(other)


def test_the_current_password_cannot_be_guessed_faster_on_the_change_form(app, client, make_employer, login):
    account = make_employer()
    login(client, account)
    wrong = {"current": "not-it", "password": "a-new-password-1", "confirm": "a-new-password-1"}
    statuses = [client.post_form("/account/password", wrong).status_code for _ in range(6)]
    assert statuses == [400] * 5 + [429]


def test_an_owner_ends_a_members_sessions_with_a_csrf_protected_audited_button(app, client, login, team):
    owner, member, member_client, mid = team
    page = client.get("/org/").get_data(as_text=True)
    assert f"/org/members/{mid}/sessions/end" in page
    assert client.post(f"/org/members/{mid}/sessions/end").status_code == 400  # no CSRF token
    assert _signed_in(member_client)
    assert client.post_form(f"/org/members/{mid}/sessions/end").status_code == 302
    assert not _signed_in(member_client) and _signed_in(client)
    with app.app_context():
        ev = db.session.scalars(
            select(AuditEvent).where(AuditEvent.action == "membership.sessions_ended")
        ).one()
        assert ev.actor_id == owner.user_id and ev.data["sessions_ended"] == 1
    # A member cannot do it to anyone.
    login(member_client, member)
    with app.app_context():
        own = db.session.scalars(select(Membership.id).where(Membership.user_id == owner.user_id)).one()
    assert member_client.post_form(f"/org/members/{own}/sessions/end").status_code == 403
    assert _signed_in(client)


def test_removing_a_member_ends_their_sessions(app, client, team):
    _owner, member, member_client, mid = team
    assert client.post_form(f"/org/members/{mid}/remove", {"confirmed": "1"}).status_code == 302
    assert not _signed_in(member_client)
    with app.app_context():
        live = db.session.scalars(
            select(UserSession).where(UserSession.user_id == member.user_id, UserSession.ended_at.is_(None))
        ).all()
        assert live == []


def test_the_session_check_is_one_indexed_lookup_per_request(app, client, make_employer, login):

    account = make_employer()
    login(client, account)
    with statements_sent(app) as statements:
        assert client.get("/org/").status_code == 200
    session_queries = [s for s in statements if "user_sessions" in s]
    assert len(session_queries) == 1 and "token_hash" in session_queries[0]
    assert not any(s.lstrip().upper().startswith(("UPDATE", "INSERT")) for s in session_queries)


# ------------------------------------------------------------------------ 4. calendar feed links
def _new_feed(client) -> str:
    assert client.post_form("/calendar/feeds").status_code == 302
    page = client.get("/calendar").get_data(as_text=True)
    return re.search(r'id="ics-feed">https?://[^/<]+([^<]+)<', page).group(1)


def test_feed_links_are_per_user_listed_revocable_and_die_with_the_membership(app, client, add_member, team):
    owner, member, member_client, mid = team
    anonymous = app.test_client()

    owner_feed = _new_feed(client)
    member_feed = _new_feed(member_client)
    assert anonymous.get(owner_feed).status_code == 200
    assert anonymous.get(member_feed).data.startswith(b"BEGIN:VCALENDAR")
    # Listed: each member sees their own links; the owner sees everyone's.
    assert member_client.get("/calendar").get_data(as_text=True).count("revoke-feed") == 1
    assert client.get("/calendar").get_data(as_text=True).count("revoke-feed") == 2
    # Made and last used: in the organization's zone (Ontario: Toronto), named, like the audit log.
    table = (
        client.get("/calendar")
        .get_data(as_text=True)
        .partition('id="feed-links"')[2]
        .partition("</table>")[0]
    )
    stamps = stamp_zones(table)
    assert len(stamps) == 4 and set(stamps) <= {"EST", "EDT"}, table
    with app.app_context():
        feeds = {f.user_id: f.id for f in db.session.scalars(select(CalendarFeed))}
        assert all(f.last_used_at is not None for f in db.session.scalars(select(CalendarFeed)))
    # A member cannot revoke another's link; the owner of the link can.
    assert member_client.post_form(f"/calendar/feeds/{feeds[owner.user_id]}/revoke").status_code == 404
    assert anonymous.get(owner_feed).status_code == 200
    assert (
        client.post_form(f"/calendar/feeds/{feeds[owner.user_id]}/revoke", {"confirmed": "1"}).status_code
        == 302
    )
    assert anonymous.get(owner_feed).status_code == 404
    # The member's link dies when the membership ends (and stays dead if they are invited back).
    assert client.post_form(f"/org/members/{mid}/remove", {"confirmed": "1"}).status_code == 302
    assert anonymous.get(member_feed).status_code == 404
    add_member(owner.org_id, email=member.email)
    assert anonymous.get(member_feed).status_code == 404


def test_a_feed_link_without_a_membership_is_refused_at_once(app, team):
    """Even without the revocation on removal: the membership is checked on every fetch."""
    _owner, member, member_client, _mid = team
    feed = _new_feed(member_client)
    with app.app_context():
        db.session.execute(Membership.__table__.delete().where(Membership.user_id == member.user_id))
        db.session.commit()
    assert app.test_client().get(feed).status_code == 404


# ------------------------------------------------------------------------ 5. brute force
def test_fifty_tries_from_ten_addresses_are_throttled_per_account(app, make_employer):
    account = make_employer()
    statuses = []
    for i in range(50):
        attacker = app.test_client()
        attacker.environ_base["REMOTE_ADDR"] = f"10.0.{i % 10}.1"
        statuses.append(
            attacker.post_form("/login", {"email": account.email, "password": f"guess-{i}"}).status_code
        )
    assert statuses.count(401) == 5 and statuses.count(429) == 45, statuses
    # The right password waits too (the attacker must not learn it by trying) ...
    real = app.test_client()
    real.environ_base["REMOTE_ADDR"] = "192.0.2.7"
    blocked = real.post_form("/login", {"email": account.email, "password": PASSWORD})
    assert blocked.status_code == 429 and int(blocked.headers["Retry-After"]) > 0
    assert "reset your password" in blocked.get_data(as_text=True)


def test_the_back_off_grows_exponentially_and_a_reset_lets_the_real_user_in(app, make_employer, outbox):

    account = make_employer()
    policy = throttle.Policy(free_tries=5, base=30, maximum=3600)
    now = datetime.now(UTC)
    waits = []
    with app.app_context():
        for _ in range(12):
            waits.append(throttle.record_failure(account.email, now=now, policy=policy))
            now += timedelta(seconds=waits[-1])
        db.session.commit()
        assert waits == [0, 0, 0, 0, 30, 60, 120, 240, 480, 960, 1920, 3600]
        assert throttle.seconds_blocked(account.email, now=now - timedelta(seconds=1)) == 1
    real = app.test_client()
    assert real.post_form("/login", {"email": account.email, "password": PASSWORD}).status_code == 429
    # The reset is never blocked by the sign-in back-off, and clears it.
    assert real.post_form("/reset", {"email": account.email}).status_code == 302
    link = _link(_mails_to(outbox, account.email, "Reset")[0], "reset")
    assert (
        real.post_form(link, {"password": "a-new-password-1", "confirm": "a-new-password-1"}).status_code
        == 302
    )
    assert (
        real.post_form("/login", {"email": account.email, "password": "a-new-password-1"}).status_code == 302
    )


def test_unknown_addresses_are_throttled_exactly_like_known_ones(app, make_employer):
    known = make_employer()

    def run(email):
        client = app.test_client()
        out = []
        for i in range(7):
            client.environ_base["REMOTE_ADDR"] = f"10.1.{i}.1"
            out.append(client.post_form("/login", {"email": email, "password": "wrong-one"}).status_code)
        return out

    assert run(known.email) == run("unknown-person@example.com") == [401] * 5 + [429, 429]


def test_sign_in_takes_as_long_for_an_unknown_email_as_for_a_known_one(make_app, make_employer):
    app = make_app(LOGIN_RATE_LIMIT="1000 per minute", LOGIN_ACCOUNT_FREE_TRIES=1000)
    known = make_employer()
    client = app.test_client()

    def timed(email):
        token = client.csrf_token()
        start = time.perf_counter()
        response = client.post(
            "/login", data={"email": email, "password": "wrong-password", "csrf_token": token}
        )
        elapsed = time.perf_counter() - start
        assert response.status_code == 401
        return elapsed

    timed(known.email), timed("warm-up@example.com")  # first-use costs (the dummy hash) out of the way
    known_times, unknown_times = [], []
    for i in range(7):
        known_times.append(timed(known.email))
        unknown_times.append(timed(f"nobody{i}@example.com"))
    ratio = statistics.median(unknown_times) / statistics.median(known_times)
    print(
        f"median sign-in: known {statistics.median(known_times) * 1000:.0f} ms, unknown "
        f"{statistics.median(unknown_times) * 1000:.0f} ms, ratio {ratio:.2f}"
    )
    # Without the dummy hash an unknown address answers about 3 times faster (45 vs 138 ms).
    assert 0.6 < ratio < 1.6, (ratio, known_times, unknown_times)


# ------------------------------------------------------------------------ 10. no-store
def test_every_authenticated_response_and_download_is_no_store(app, client, make_employer, login):
    account = make_employer()
    login(client, account)
    case_id = _create_case(client)
    doc_id = _packet(client, case_id)
    feed = _new_feed(client)
    responses = {
        "dashboard": client.get("/dashboard"),
        "case": client.get(f"/cases/{case_id}"),
        "document status": client.get(f"/documents/{doc_id}/status"),
        "document download": client.get(f"/documents/{doc_id}/download"),
        "ics download": client.get("/calendar.ics"),
        "redirect": client.post_form(f"/orgs/{account.org_id}/switch"),
        "feed": app.test_client().get(feed),
        "login page": app.test_client().get("/login"),
    }
    for name, response in responses.items():
        assert response.status_code < 400, name
        assert response.headers.get("Cache-Control") == "no-store", name
    assert responses["document download"].data.startswith(b"%PDF")
    static = client.get("/static/vendor/bootstrap/bootstrap.min.css")
    static.close()
    assert "no-store" not in static.headers.get("Cache-Control", "")


# ------------------------------------------------------------------------ issue 16: the Outbox
def test_the_outbox_needs_sign_in_and_shows_only_the_users_own_mail(app, make_app, tmp_path):
    app = make_app(MAIL_BACKEND="file", MAIL_FILE_PATH=str(tmp_path / "outbox"))
    anonymous = app.test_client()
    assert (
        anonymous.post_form("/register", _registration("ada@invented-a.example.com", 11)).status_code == 302
    )
    other = app.test_client()
    assert other.post_form("/register", _registration("bo@invented-b.example.com", 12)).status_code == 302
    with app.app_context():  # (their links opened: an account made by registering signs in once confirmed)
        for email in ("ada@invented-a.example.com", "bo@invented-b.example.com"):
            services.mark_verified(services.find_user(email), now=utcnow())
        db.session.commit()
    for client, email in ((anonymous, "ada@invented-a.example.com"), (other, "bo@invented-b.example.com")):
        assert client.post_form("/login", {"email": email, "password": PASSWORD}).status_code == 302
    assert other.post_form("/reset", {"email": "bo@invented-b.example.com"}).status_code == 302

    response = app.test_client().get("/outbox")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    # signed out (a new account signs in once confirmed), the sign-in page says where the links are
    assert "instance/outbox/" in app.test_client().get("/login").get_data(as_text=True)
    page = anonymous.get("/outbox").get_data(as_text=True)
    assert "ada@invented-a.example.com" in page and "/verify/" in page
    assert "bo@invented-b.example.com" not in page and "/reset/" not in page
    # when it was sent, in the organization's zone with its name (it was the server's clock, no zone)
    assert STAMP.search(page), page[-3000:]
    assert "/reset/" in other.get("/outbox").get_data(as_text=True)


def test_sign_in_limits_count_the_last_sixty_seconds_wherever_a_window_began(app, client, monkeypatch):
    """Five failed tries at the end of a fixed window and five at the start of the next all passed;
    the moving window counts the tries of the last 60 s, so the sixth within a minute is refused."""
    now = [1_000_000.0]
    monkeypatch.setattr(limits.storage.memory, "time", SimpleNamespace(time=lambda: now[0]))
    emails = (f"nobody{i}@example.com" for i in range(20))  # unknown accounts: no per-account back-off

    def attempt() -> int:
        return client.post_form("/login", {"email": next(emails), "password": "wrong-password"}).status_code

    assert attempt() == 401  # t = 0 s
    now[0] += 58
    assert [attempt() for _ in range(4)] == [401] * 4  # t = 58 s: five in the last minute
    now[0] += 3
    assert [attempt(), attempt()] == [401, 429]  # t = 61 s: the try of t = 0 has left the window


def test_a_session_older_than_its_maximum_age_no_longer_signs_in(app, client, make_employer, login):
    account = make_employer()
    login(client, account)
    assert _signed_in(client)
    days = app.config["SESSION_MAX_AGE_DAYS"]
    with app.app_context():
        db.session.execute(
            UserSession.__table__.update().values(
                created_at=datetime.now(UTC) - timedelta(days=days, minutes=1)
            )
        )
        db.session.commit()
    assert not _signed_in(client)
    login(client, account)  # a new sign-in is a new session
    assert _signed_in(client)


def test_ended_and_expired_sessions_are_pruned_by_the_beat_task(app, make_employer, login):
    assert app.config["CELERY"]["beat_schedule"]["prune-sessions"]["task"] == "auth.prune_sessions"
    account = make_employer()
    live, ended, old = app.test_client(), app.test_client(), app.test_client()
    for c in (live, ended, old):
        login(c, account)
    ended.post_form("/logout")
    days = app.config["SESSION_MAX_AGE_DAYS"]
    with app.app_context():
        newest = db.session.scalars(select(UserSession).order_by(UserSession.id.desc())).first()
        newest.created_at = datetime.now(UTC) - timedelta(days=days + 1)  # the third sign-in: expired
        db.session.commit()
        assert db.session.query(UserSession).count() == 3
        assert auth_tasks.prune_sessions.run() == 2
        remaining = db.session.scalars(select(UserSession)).all()
        assert len(remaining) == 1 and remaining[0].ended_at is None
    assert _signed_in(live) and not _signed_in(old) and not _signed_in(ended)


def test_expired_registration_holds_are_pruned_by_the_beat_task(app, make_employer):
    """A registration of a taken address holds its business number for 48 hours (a row each): the daily
    prune deletes the expired rows, and only those."""
    make_employer(email="held@invented.example.com")
    for n in (1, 2):
        data = _registration("held@invented.example.com", n)
        assert app.test_client().post_form("/register", data).status_code == 302
    with app.app_context():
        old = db.session.scalars(select(RegistrationHold).order_by(RegistrationHold.id)).first()
        old.expires_at = datetime.now(UTC) - timedelta(minutes=1)
        db.session.commit()
        auth_tasks.prune_sessions.run()
        assert [h.value for h in db.session.scalars(select(RegistrationHold))] == ["300000002"]
