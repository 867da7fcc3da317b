"""CSRF, rate limits, configuration checks, headers and error pages."""

from __future__ import annotations

import re

import pytest

from portal.config import ConfigError
from portal.models import Engagement, Invitation, Organization, User
from portal.signin import public
from tests.conftest import PASSWORD
from tests.helpers import count
from tests.portal.test_auth import registration


@pytest.mark.parametrize(
    "url",
    [
        "/login",
        "/register",
        "/register/consultant",
        "/reset",
        "/logout",
        "/language",
        "/org/invitations",
        "/orgs/new",
    ],
)
def test_post_without_csrf_token_is_refused(app, client, make_employer, login, url):
    account = make_employer()
    login(client, account)
    before = (count(app, User), count(app, Organization))
    response = client.post(url, data={"email": "x@example.com", "lang": "fr", "role": "member"})
    assert response.status_code == 400
    assert "The form expired" in response.get_data(as_text=True)
    assert (count(app, User), count(app, Organization)) == before
    assert client.get("/dashboard").status_code == 200  # still signed in: the logout was refused


def test_a_form_sent_over_https_without_a_referer_says_so_rather_than_reload(app, client):
    """Over HTTPS Flask-WTF also checks the Referer: a browser that strips it was told to reload the page, which
    fails the same way each time."""
    https = {"base_url": "https://localhost"}
    token = client.csrf_token()
    data = {"csrf_token": token, "lang": "fr"}
    refused = client.post("/language", data=data, **https)
    assert refused.status_code == 400
    page = refused.get_data(as_text=True)
    assert "Referer" in page and "Reload the page and try again" not in page
    sent = client.post("/language", data=data, headers={"Referer": "https://localhost/dashboard"}, **https)
    assert sent.status_code == 302


def test_a_form_sent_over_https_from_another_site_says_so_and_the_log_names_both(app, client, caplog):
    """Probe of the production shape: a Referer of another site (a forged form, or a proxy that sends the
    upstream's Host, as nginx does by default) was told that the browser sent no Referer and to allow it."""
    https = {"base_url": "https://localhost"}
    data = {"csrf_token": client.csrf_token(), "lang": "fr"}
    refused = client.post(
        "/language", data=data, headers={"Referer": "https://evil.example.com/x/7"}, **https
    )
    page = refused.get_data(as_text=True)
    assert refused.status_code == 400 and "sent from another address than this site" in page
    assert "did not say which page" not in page and "Allow this site" not in page
    assert "evil.example.com, not this site's https://localhost/" in caplog.text and "/x/7" not in caplog.text


def test_registration_without_csrf_token_writes_nothing(app, client):
    response = client.post("/register", data=registration())
    assert response.status_code == 400
    assert count(app, User) == 0


def test_sixth_failed_login_within_a_minute_answers_429(app, client, make_employer):
    account = make_employer()
    for _ in range(5):
        assert (
            client.post_form("/login", {"email": account.email, "password": "nope-nope-nope"}).status_code
            == 401
        )
    response = client.post_form("/login", {"email": account.email, "password": "nope-nope-nope"})
    assert response.status_code == 429
    assert "Too many attempts" in response.get_data(as_text=True)
    # Even the right password waits until the window passes.
    assert client.post_form("/login", {"email": account.email, "password": PASSWORD}).status_code == 429


def test_successful_logins_do_not_count_towards_the_limit(app, client, make_employer, login):
    account = make_employer()
    for _ in range(7):
        login(client, account)
        client.post_form("/logout")


def test_production_refuses_the_default_secret_key(make_app):
    with pytest.raises(ConfigError, match="SECRET_KEY"):
        make_app(PORTAL_ENV="production", SECRET_KEY="dev-only-insecure-secret-key")
    with pytest.raises(ConfigError):
        make_app(PORTAL_ENV="production", SECRET_KEY="short")


def test_production_refuses_debug_mode(make_app, monkeypatch):
    """FLASK_DEBUG=1 in the environment (Flask reads it, under gunicorn too) turned the security headers
    off in production (they are sent outside debug only)."""
    monkeypatch.setenv("FLASK_DEBUG", "1")
    with pytest.raises(ConfigError, match="debug"):
        make_app(PORTAL_ENV="production", SECRET_KEY="x" * 48)
    monkeypatch.delenv("FLASK_DEBUG")
    assert not make_app(PORTAL_ENV="production", SECRET_KEY="x" * 48).debug


def test_production_sets_secure_cookies_and_headers(make_app):
    app = make_app(PORTAL_ENV="production", SECRET_KEY="x" * 48)
    assert app.config["SESSION_COOKIE_SECURE"] and app.config["REMEMBER_COOKIE_SECURE"]
    assert app.config["SESSION_COOKIE_HTTPONLY"]
    response = app.test_client().get("/login")
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Strict-Transport-Security"].startswith("max-age=")
    assert "Secure" in response.headers["Set-Cookie"] and "HttpOnly" in response.headers["Set-Cookie"]
    # a static file (served before Flask) carries the same headers: an SVG opened on its own runs under the
    # policy, no file of the site may be framed (probe of the production shape: it had only nosniff)
    static = app.test_client().get("/static/css/app.css")
    assert static.status_code == 200 and "Set-Cookie" not in static.headers
    for name in ("Content-Security-Policy", "X-Content-Type-Options", "X-Frame-Options", "Referrer-Policy"):
        assert static.headers[name] == response.headers[name], name
    assert static.headers["Strict-Transport-Security"] == response.headers["Strict-Transport-Security"]
    static.close()


def test_the_error_page_of_a_missing_static_file_is_kept_by_no_cache(make_app):
    """Probe of the production shape: /static/none.css (Flask's static view, after WhiteNoise) answered the
    404 page with the visitor's new session cookie and no Cache-Control, which a proxy may keep."""
    client = make_app(PORTAL_ENV="production", SECRET_KEY="x" * 48).test_client()
    for address in ("/static/css/none.css", "/static/../portal/config.py"):
        response = client.get(address)
        assert response.status_code == 404 and response.headers["Cache-Control"] == "no-store", address
        assert (
            "Set-Cookie" in response.headers
            and "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]
        )
    response = client.get("/static/css/app.css")
    assert response.status_code == 200 and response.headers["Cache-Control"] != "no-store"
    response.close()


def test_error_pages_explain_and_never_show_a_trace(make_app):
    app = make_app()

    @app.get("/boom")
    @public  # open to anyone, like the pages whose errors a visitor may meet
    def boom():
        raise RuntimeError("secret internal detail")

    client = app.test_client()
    response = client.get("/boom")
    assert response.status_code == 500
    body = response.get_data(as_text=True)
    assert "Something went wrong" in body and "secret internal detail" not in body and "Traceback" not in body
    missing = client.get("/no/such/page")
    assert missing.status_code == 404 and "This page does not exist" in missing.get_data(as_text=True)
    assert client.get("/logout").status_code == 405


def test_a_405_page_names_the_methods_the_address_allows(make_app):
    """RFC 9110 15.5.6: a 405 must carry Allow. The error page was drawn without the exception's
    headers, so every 405 (GET /logout, DELETE /login...) came without it."""
    client = make_app().test_client()
    response = client.get("/logout")
    assert response.status_code == 405 and "This action is not available here." in response.get_data(
        as_text=True
    )
    assert set(response.headers["Allow"].split(", ")) == {"POST", "OPTIONS"}
    response = client.delete("/login")
    assert response.status_code == 405
    assert set(response.headers["Allow"].split(", ")) == {"GET", "HEAD", "POST", "OPTIONS"}
    assert response.mimetype == "text/html"


def test_user_text_is_escaped(app, client, make_employer, login):
    account = make_employer(legal_name='<script>alert("x")</script> Ltd.')
    login(client, account)
    body = client.get("/org/").get_data(as_text=True)
    assert '<script>alert("x")</script>' not in body
    assert "&lt;script&gt;" in body


def _failed_sign_in(client, n: int, address: str):
    """A wrong password for a new address each time (no account back-off), from ``address`` as the
    proxy in front of the portal reports it."""
    return client.post_form(
        "/login",
        {"email": f"nobody{n}@example.com", "password": "nope-nope-nope"},
        headers={"X-Forwarded-For": address},
    )


def test_behind_the_proxy_one_visitors_failures_do_not_lock_the_others_out(make_app):
    """Behind the TLS-terminating proxy every request comes from the proxy's address: one visitor's five
    wrong passwords locked every visitor's sign-in out. With TRUSTED_PROXIES=1 each visitor counts alone."""
    client = make_app(TRUSTED_PROXIES=1).test_client()
    for n in range(5):
        assert _failed_sign_in(client, n, "203.0.113.7").status_code == 401
    assert _failed_sign_in(client, 5, "203.0.113.7").status_code == 429
    assert _failed_sign_in(client, 6, "198.51.100.20").status_code == 401  # another visitor


def test_without_a_trusted_proxy_a_forged_forwarded_address_escapes_no_limit(make_app):
    client = make_app().test_client()
    for n in range(5):
        assert _failed_sign_in(client, n, f"203.0.113.{n}").status_code == 401
    assert _failed_sign_in(client, 5, "198.51.100.20").status_code == 429


def test_invitations_and_engagements_mail_at_most_thirty_addresses_an_hour(
    app, client, make_employer, login, outbox
):
    """Anyone registers an employer, names it as they like (the name is in the mail) and typed addresses
    are mailed from the portal's sender: a spam relay without a limit. Thirty mails an hour, over the
    colleagues' invitations and the consultants' engagements together; a refused form counts for nothing."""
    login(client, make_employer(legal_name="Claim your prize at prize.example Ltd."))
    assert (
        client.post_form("/org/invitations", {"email": "not-an-address", "role": "member"}).status_code == 400
    )
    outbox.clear()
    for n in range(30):
        if n % 2:
            response = client.post_form(
                "/org/invitations", {"email": f"person{n}@example.com", "role": "member"}
            )
        else:
            response = client.post_form("/org/consultants", {"email": f"rcic{n}@example.com"})
        assert response.status_code == 302, (n, response.status_code)
    assert len(outbox) == 30
    before = (count(app, Invitation), count(app, Engagement))
    for url, data in (
        ("/org/invitations", {"email": "one-more@example.com", "role": "member"}),
        ("/org/consultants", {"email": "one-more-rcic@example.com"}),
    ):
        response = client.post_form(url, data)
        assert response.status_code == 429 and "Too many attempts" in response.get_data(as_text=True)
        # an hour's limit: the page says when (it said "wait a minute"), as Retry-After does
        wait = re.search(r"Try again in (\d+) minutes\.", response.get_data(as_text=True))
        assert wait and 55 <= int(wait.group(1)) <= 60, response.get_data(as_text=True)
        assert "Wait a minute" not in response.get_data(as_text=True)
        assert int(response.headers["Retry-After"]) > 55 * 60
    assert len(outbox) == 30 and (count(app, Invitation), count(app, Engagement)) == before
    assert client.get("/org/consultants").status_code == 200  # the page still opens
