"""Services make their messages without Flask-Babel (portal.messages.N_); the caller shows them in the
reader's language: a ServiceError's str(), errors.translate, and the import preview's row messages."""

from __future__ import annotations

from flask_babel import force_locale

from portal import mail
from portal.errors import ServiceError, translate
from portal.messages import N_
from tests.portal.test_imports import ROLE_HEADER, _csv, _upload


def test_a_message_is_english_until_the_caller_translates_it(app):
    message = N_(
        "“%(value)s” is not a date: write it as YYYY-MM-DD, DD/MM/YYYY or with the month's name"
        " (31 December 1989, 31 décembre 1989).",
        value="2026-13-45",
    )
    assert message.startswith("“2026-13-45” is not a date")  # no locale needed to make it
    error = ServiceError(message, "start_date")
    with app.test_request_context(), force_locale("fr"):
        assert str(error).startswith("«\u00a02026-13-45\u00a0» n'est pas une date")
        assert translate(message) == str(error)
        assert translate("déjà traduit") == "déjà traduit"  # text from elsewhere passes as it is
    with app.test_request_context(), force_locale("en"):
        assert str(error) == message


def test_a_value_that_is_a_message_is_translated_too(app):
    message = N_("Choose one of the listed time zones.")
    nested = N_("%(what)s", what=N_("full time"))
    with app.test_request_context(), force_locale("fr"):
        assert translate(nested) == "à temps plein"
        assert str(ServiceError(message)) != message


def test_the_import_preview_shows_row_messages_in_french(app, client, make_employer, login):
    login(client, make_employer())
    client.post_form("/language", {"lang": "fr"})
    content = _csv(ROLE_HEADER + "\n" + ",21211,,,,,ON,2026-13-45,,\n")
    page = _upload(client, "roles", content).get_data(as_text=True)
    assert "n&#39;est pas une date" in page or "n'est pas une date" in page
    assert "is not a date" not in page


def test_a_french_mail_comes_from_the_portal_under_its_french_name(app, outbox, make_app):
    """Tour of 2026-12-07: French mails came from "IMP Portal <no-reply@...>" while their text says
    "Portail PMI". The product's name is written in the mail's language; an operator's own name is kept."""
    with app.app_context():
        for lang, name in (("fr", "Portail PMI"), ("en", "IMP Portal")):
            with force_locale(lang):
                mail.send("ana@invented.example.com", "Objet", "Texte")
                assert f"From: {name} <no-reply@imp-portal.invalid>".encode() in mail.compose(
                    "ana@invented.example.com", "Objet", "Texte"
                )
    assert [m.from_email for m in outbox] == [
        "Portail PMI <no-reply@imp-portal.invalid>",
        "IMP Portal <no-reply@imp-portal.invalid>",
    ]
    custom = make_app(MAIL_DEFAULT_SENDER="Ressources humaines Érable <rh@invented.example.com>")
    with custom.app_context(), force_locale("fr"):
        assert mail.sender() == "Ressources humaines Érable <rh@invented.example.com>"
