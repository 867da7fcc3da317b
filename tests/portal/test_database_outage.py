"""While the database cannot be reached, the portal says so: a 503 with Retry-After and a page in the
visitor's language that says nothing was saved, never a 500 and never a trace; the health check
answers 503 for a load balancer; pages that need no database still work. The outage is real: an app
built on a PostgreSQL address where nothing listens (connection refused), the signed-in visitor's
session cookie carried over from the same portal on the running database."""

from __future__ import annotations

import html
import socket

import pytest
from sqlalchemy import text

from portal.extensions import db
from portal.main import services
from tests.conftest import CSRFClient


def closed_port() -> int:
    """A local port nobody listens on (bound, then released)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def down(make_app):
    """The same portal (same secret key) whose database does not answer."""
    return make_app(f"postgresql+psycopg://postgres@127.0.0.1:{closed_port()}/test")


def carry_session(source: CSRFClient, target: CSRFClient) -> None:
    cookie = source.get_cookie("session")
    assert cookie is not None, "signed in: the portal set its session cookie"
    target.set_cookie("session", cookie.value)


def test_health_check_answers_503_json_with_retry_after_and_200_once_the_database_answers(client, down):
    assert client.get("/healthz").get_json() == {"status": "ok"}
    response = down.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.get_json() == {"status": "database unavailable"}
    assert response.headers["Retry-After"] == "30"
    assert down.test_client().get("/livez").status_code == 200  # liveness needs no database


@pytest.mark.parametrize(
    ("language", "says"),
    [
        ("en", "The portal cannot reach its database at the moment. Nothing was saved."),
        (
            "fr",
            "Le portail ne parvient pas à joindre sa base de données pour le moment. Rien n'a été enregistré.",
        ),
    ],
)
def test_a_signed_in_page_and_a_form_sent_during_the_outage_get_a_503_page_in_the_visitors_language(
    client, owner, down, language, says
):
    client.post_form("/language", {"lang": language})
    assert client.get("/dashboard").status_code == 200
    token = client.csrf_token()
    visitor = down.test_client()
    carry_session(client, visitor)
    for response in (
        visitor.get("/dashboard"),
        visitor.get("/cases/"),
        visitor.post("/roles/new", data={"csrf_token": token, "title": "Analyste"}),
    ):
        assert response.status_code == 503, response.get_data(as_text=True)[:300]
        assert response.headers["Retry-After"] == "30"
        text = response.get_data(as_text=True)
        assert says in html.unescape(text)
        assert "Traceback" not in text
        # the portal's own error page (as anonymous: the account cannot be read), not the plain-text last resort
        assert response.content_type.startswith("text/html") and f'<html lang="{language}"' in text
    # the database back: the same visitor's next request works, nothing was half-written
    assert client.get("/dashboard").status_code == 200
    assert "Analyste" not in client.get("/roles/").get_data(as_text=True)


def test_a_statement_the_database_refuses_is_still_a_500_not_an_outage(app, client, owner, monkeypatch):
    """Only an unreachable database is a 503: a bug in a query (here a missing table) stays a 500."""

    def broken(*_args, **_kwargs):
        db.session.execute(text("SELECT * FROM no_such_table"))

    monkeypatch.setattr(services, "work_queue", broken)
    response = client.get("/dashboard")
    assert response.status_code == 500
    assert "Retry-After" not in response.headers
