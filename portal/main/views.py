from __future__ import annotations

import contextlib
import logging
from typing import Any

from flask import Blueprint, abort, current_app, redirect, render_template, request, session, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from portal import i18n, tenancy
from portal.auth.services import released_licence
from portal.clock import today
from portal.consult.services import pending_for
from portal.documents.content import gaps_to_show
from portal.errors import RETRY_AFTER, is_database_outage
from portal.extensions import db
from portal.mail import OUTBOX_BACKEND, read_outbox
from portal.main import labels, services
from portal.orgs.forms import ConfirmForm
from portal.orgs.services import released_business_number
from portal.signin import public
from portal.timezones import local_time
from portal.web import UrlPattern, safe_next

log = logging.getLogger(__name__)
bp = Blueprint("main", __name__)
bp.add_app_template_filter(local_time, "local_time")
bp.add_app_template_global(labels.action_label, "action_label")
bp.add_app_template_global(UrlPattern, "url_pattern")


@bp.route("/")
@public
def index() -> ResponseReturnValue:
    if current_user.is_authenticated:
        return redirect(url_for("main.dashboard"))
    return render_template("main/index.html")


@bp.route("/dashboard")
def dashboard() -> ResponseReturnValue:
    accesses = tenancy.accesses()
    org = tenancy.current_org()
    if current_user.is_consultant:
        reaches = [services.Reach(a.organization, a.case_ids) for a in accesses]
    else:
        access = tenancy.current_access()
        reaches = [services.Reach(access.organization, access.case_ids)] if access else []
    queue = services.work_queue(reaches, on=today(), consultant=current_user.is_consultant)
    membership = tenancy.current_membership()
    return render_template(
        "main/dashboard.html",
        org=org,
        membership=membership,
        released_number=released_business_number(membership) if membership is not None else None,
        released_licence=released_licence(current_user),
        confirmation_hours=current_app.config["EMAIL_VERIFICATION_MAX_AGE"] // 3600,
        accesses=accesses,
        pending=pending_for(current_user) if current_user.is_consultant else [],
        queue=queue,
        windows=services.DEADLINE_WINDOWS,
        confirm_form=ConfirmForm(),
        gaps_to_show=gaps_to_show,
    )


@bp.route("/language", methods=["POST"])
@public
def set_language() -> ResponseReturnValue:
    lang = request.form.get("lang")
    if lang not in current_app.config["LANGUAGES"]:
        abort(400)
    session[i18n.SESSION_KEY] = lang
    if current_user.is_authenticated and current_user.locale != lang:
        current_user.locale = lang  # kept on the account: mails sent without a request use it
        db.session.commit()
    return redirect(safe_next(url_for("main.index")))


@bp.route("/outbox")
def outbox() -> ResponseReturnValue:
    """The embedded default's mail: what would have been sent to the signed-in person's address."""
    if (
        current_app.config["MAIL_BACKEND"] != OUTBOX_BACKEND
        or current_app.config["PORTAL_ENV"] == "production"
    ):
        abort(404)
    return render_template("main/outbox.html", messages=read_outbox(to=current_user.email))


@bp.route("/livez")
@public
def livez() -> ResponseReturnValue:
    """Liveness: the process answers. No database, no template, no session: a probe's cheapest check,
    and bench/portal_bench.py's measure of the framework's own limit."""
    return {"status": "alive"}


@bp.route("/healthz")
@public
def healthz() -> ResponseReturnValue:
    """Readiness: the process answers and reaches the database (503 while it cannot, for a probe or a
    load balancer to take this instance out until it can)."""
    try:
        db.session.execute(text("SELECT 1"))
    except SQLAlchemyError as exc:
        if not is_database_outage(exc):
            raise
        log.error("Health check: database unavailable: %s", getattr(exc, "orig", None) or exc)
        with contextlib.suppress(SQLAlchemyError):  # the connection may be gone already
            db.session.rollback()
        return {"status": "database unavailable"}, 503, {"Retry-After": str(RETRY_AFTER)}
    return {"status": "ok"}


@bp.app_context_processor
def inject_tenant() -> dict[str, Any]:
    return {
        "current_org": tenancy.current_org,
        "current_access": tenancy.current_access,
        "user_accesses": tenancy.accesses,
        "switch_form": ConfirmForm,
    }
