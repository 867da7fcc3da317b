from __future__ import annotations

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from portal import tenancy, tokens
from portal.compliance import forms, services
from portal.consult.services import case_review_state
from portal.extensions import db
from portal.models import Case, Organization
from portal.web import attach_error

bp = Blueprint("compliance", __name__)


@bp.route("/cases/<int:case_id>/compliance", methods=["GET", "POST"])
@login_required
@tenancy.case_access_required
def case_calendar(case_id: int):
    case = tenancy.get_or_404(Case, case_id)
    form = forms.SubmissionForm(obj=case)
    status = 200
    if request.method == "POST":
        if tenancy.current_membership() is None:
            abort(404)  # the employer records what it filed; a consultant only reads
        if form.validate_on_submit():
            try:
                services.record_submission(case, tenancy.require_org(), form.data, actor=current_user)
            except services.SubmissionError as exc:
                db.session.rollback()
                attach_error(form, exc)
                status = 400
            else:
                db.session.commit()
                flash(_("Saved. The compliance calendar is updated."), "success")
                return redirect(url_for("compliance.case_calendar", case_id=case.id))
        else:
            status = 400
    return render_template(
        "compliance/case.html",
        case=case,
        form=form,
        items=services.case_calendar(case),
        triggers=services.CHANGE_TRIGGERS,
        review=case_review_state(case),
    ), status


def _feed_token(org: Organization) -> str:
    return tokens.make("ics", {"org": org.id})


@bp.route("/calendar")
@login_required
@tenancy.case_access_required
def organization_calendar():
    org = tenancy.require_org()
    items = services.organization_calendar(org, case_ids=tenancy.current_access().case_ids)
    feed = (
        url_for("compliance.ics_feed", token=_feed_token(org), _external=True)
        if tenancy.current_membership()
        else None
    )
    return render_template("compliance/calendar.html", items=items, feed=feed)


@bp.route("/calendar.ics")
@login_required
@tenancy.case_access_required
def ics_download():
    org = tenancy.require_org()
    items = services.organization_calendar(org, case_ids=tenancy.current_access().case_ids)
    return Response(
        services.ics(org, items),
        mimetype="text/calendar",
        headers={"Content-Disposition": 'attachment; filename="imp-compliance.ics"'},
    )


@bp.route("/calendar/feed/<token>.ics")
def ics_feed(token: str):
    """For calendar apps, which cannot sign in: a signed link per organization (no expiry)."""
    try:
        data = tokens.read("ics", token, max_age=10 * 365 * 24 * 3600)
    except tokens.TokenError:
        abort(404)
    org = db.session.get(Organization, data.get("org")) if isinstance(data.get("org"), int) else None
    if org is None:
        abort(404)
    return Response(services.ics(org, services.organization_calendar(org)), mimetype="text/calendar")
