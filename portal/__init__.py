"""IMP Portal: the Flask application factory (the only wiring point)."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from portal import (
    errors,
    extensions,
    i18n,
    labels,
    models,  # noqa: F401  (every table registered on the metadata)
    readonly,
    security,
    signin,
    static_files,
    urls,
    validation,
)
from portal.auditlog.views import bp as auditlog_bp
from portal.auth.sessions import load_user
from portal.auth.views import bp as auth_bp
from portal.book.views import bp as book_bp
from portal.cases.views import bp as cases_bp
from portal.compliance.views import bp as compliance_bp
from portal.config import build_config, check_config
from portal.consult.views import bp as consult_bp
from portal.documents.views import bp as documents_bp
from portal.extensions import celery_init_app, csrf, db, limiter, login_manager
from portal.group.views import bp as group_bp
from portal.imports.views import bp as imports_bp
from portal.mail import backend_setting
from portal.main.views import bp as main_bp
from portal.orgs.views import bp as orgs_bp
from portal.people.views import bp as people_bp
from portal.roles.views import bp as roles_bp

ROOT = Path(__file__).resolve().parent.parent


def create_app(config: dict[str, Any] | None = None, *, commands: bool = True) -> Flask:
    """The app. ``commands``: with the command line's commands (``flask --app portal ...``: the portal's
    and Flask-Migrate's ``flask db``); the web server and the workers leave them out, and so never load
    Alembic, Mako and Pygments (about 12 MB of each process's memory)."""
    app = Flask(
        __name__,
        instance_relative_config=True,
        template_folder=str(ROOT / "templates"),
        instance_path=(config or {}).get("INSTANCE_PATH") or str(ROOT / "instance"),
    )
    app.config.from_mapping(build_config(app.instance_path, config))
    check_config(app.config)
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger("alembic.runtime.plugins").setLevel(logging.WARNING)
    logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)
    # fontTools logs every font subset of every PDF at INFO (some 60 lines a document) and warns of
    # tables it drops by design ("FFTM NOT subset"): nothing an operator acts on.
    logging.getLogger("fontTools").setLevel(logging.ERROR)
    if app.config["CELERY"]["task_always_eager"]:
        # In-process tasks (no broker): kombu's "No hostname was supplied. Reverting to default
        # 'localhost'" about the memory:// transport is no connection anyone made.
        logging.getLogger("kombu.connection").setLevel(logging.ERROR)

    if app.config["TRUSTED_PROXIES"] > 0:  # the client's address and scheme as the proxies saw them
        proxies = app.config["TRUSTED_PROXIES"]
        # mypy sees a method where Flask documents replacing the attribute with the wrapped WSGI app
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies)  # type: ignore[method-assign]

    register_extensions(app)
    validation.init_app(app)  # before the blueprints: it bounds the <int:> converter of their routes
    register_blueprints(app)

    labels.init_app(app)
    urls.init_app(app)  # the templates' url_for, memoized

    errors.init_app(app)
    security.init_app(app)
    static_files.init_app(app)  # after ProxyFix: WhiteNoise answers first
    signin.init_app(app)
    if commands:
        from portal import cli  # only the command line loads it (see the docstring)

        cli.init_app(app)
    return app


def register_extensions(app: Flask) -> None:
    db.init_app(app)
    readonly.init_app(app)  # after db: its teardown runs before Flask-SQLAlchemy's
    csrf.init_app(app)
    limiter.init_app(app)
    i18n.init_app(app)
    app.config["MAIL_BACKEND"] = backend_setting(app.config["MAIL_BACKEND"])
    extensions.mail.init_app(app)  # a top-level name ``mail`` here would hide the portal.mail module
    celery_init_app(app)

    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = i18n.lazy_gettext("Sign in to see this page.")
    # the lazy message, in the visitor's language when flashed (an attribute LoginManager.__init__ sets
    # and its annotations leave out)
    login_manager.localize_callback = str  # type: ignore[attr-defined]
    login_manager.login_message_category = "info"

    login_manager.user_loader(load_user)


def register_blueprints(app: Flask) -> None:
    for blueprint in (
        main_bp,
        auth_bp,
        orgs_bp,
        group_bp,
        roles_bp,
        people_bp,
        cases_bp,
        imports_bp,
        documents_bp,
        consult_bp,
        compliance_bp,
        auditlog_bp,
        book_bp,
    ):
        app.register_blueprint(blueprint)
