"""English and French (Flask-Babel): the user's choice, else the browser's, else English."""

from __future__ import annotations

from flask import Flask, current_app, has_request_context, request, session
from flask_babel import get_locale

from portal.extensions import babel

SESSION_KEY = "lang"


def select_locale() -> str:
    languages = current_app.config["LANGUAGES"]
    if (
        not has_request_context()
    ):  # a Celery task or a CLI command: English unless force_locale says otherwise
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    chosen = session.get(SESSION_KEY)
    if chosen in languages:
        return chosen
    return request.accept_languages.best_match(languages) or current_app.config["BABEL_DEFAULT_LOCALE"]


def init_app(app: Flask) -> None:
    babel.init_app(app, locale_selector=select_locale)
    app.jinja_env.globals["get_locale"] = get_locale
