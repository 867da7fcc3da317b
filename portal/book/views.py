from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from portal import formrun, tenancy
from portal.book import services
from portal.extensions import db
from portal.web import safe_next

bp = Blueprint("book", __name__, url_prefix="/rule-changes")


def _case_ids() -> frozenset[int] | None:
    """The cases a consultant's engagement is limited to (None: every case of the organization)."""
    access = tenancy.current_access()
    return access.case_ids if access else None


@bp.route("/")
@tenancy.case_access_required
def changes() -> ResponseReturnValue:
    org = tenancy.require_org()
    items = services.changes_for(org, _case_ids())
    if services.mark_seen(org, current_user, case_ids=_case_ids()):  # seeing the page dismisses the banner
        db.session.commit()
    return render_template("book/changes.html", changes=items, org=org)


@bp.route("/<int:run_id>/dismiss", methods=["POST"])
@tenancy.case_access_required
def dismiss(run_id: int) -> ResponseReturnValue:
    org = tenancy.require_org()
    if not services.visible_run(org, run_id, _case_ids()):
        abort(404)
    return formrun.submit(
        lambda: services.mark_seen(org, current_user, run_id, _case_ids()),
        redirect_to=safe_next(url_for("main.dashboard")),
    )


@bp.app_context_processor
def inject_notice() -> dict[str, Any]:
    def ruleset_notice() -> services.Notice | None:
        if not current_user.is_authenticated:
            return None
        org = tenancy.current_org()
        return services.notice_for(org, current_user, _case_ids()) if org is not None else None

    return {"ruleset_notice": ruleset_notice}
