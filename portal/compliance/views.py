from __future__ import annotations

from flask import Blueprint, Response, abort, redirect, render_template, session, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from portal import confirm, formrun, mail, tenancy
from portal.cases import lifecycle
from portal.clock import today
from portal.compliance import feeds, forms, labels, services
from portal.consult.services import case_review_state
from portal.extensions import db
from portal.i18n import gettext as _
from portal.models import CalendarFeed, Case, Organization
from portal.models._types import utcnow
from portal.orgs.forms import ConfirmForm
from portal.signin import public

bp = Blueprint("compliance", __name__)


@bp.route("/cases/<int:case_id>/compliance", methods=["GET", "POST"])
@tenancy.case_access_required
def case_calendar(case_id: int) -> ResponseReturnValue:
    case = tenancy.get_or_404(Case, case_id)
    form = forms.SubmissionForm(obj=case)
    if form.is_submitted() and tenancy.current_membership() is None:
        abort(404)  # the employer records what it filed; a consultant only reads

    def record() -> None:
        services.record_submission(case, tenancy.require_org(), form.data, actor=current_user, on=today())
        lifecycle.record_stage(case, tenancy.require_org(), actor=current_user, on=today())

    return formrun.run(
        form,
        record,
        message=_("Saved. The compliance calendar is updated."),
        redirect_to=url_for("compliance.case_calendar", case_id=case.id),
        errors=services.SubmissionError,
        page=lambda: formrun.form_page(
            "compliance/case.html",
            form,
            case=case,
            items=services.case_calendar(case),
            planned=services.planned_calendar(case),
            triggers=labels.CHANGE_TRIGGERS,
            review=case_review_state(case),
            passport_ends=services.permit_after_passport(case),
        ),
    )


_NEW_FEED_KEY = "new_feed_url"


def _visible_calendar(org: Organization) -> list[services.CalendarItem]:
    """The organization's calendar as the reader may see it (a case-limited consultant: their cases)."""
    return services.organization_calendar(org, case_ids=tenancy.case_scope())


@bp.route("/calendar")
@tenancy.case_access_required
def organization_calendar() -> ResponseReturnValue:
    org = tenancy.require_org()
    items = _visible_calendar(org)
    membership = tenancy.current_membership()
    links = (
        feeds.feeds_of(org, user=current_user, everyone=tenancy.is_owner()) if membership is not None else []
    )
    return render_template(
        "compliance/calendar.html",
        items=items,
        can_feed=membership is not None,
        feeds=links,
        new_feed=session.pop(_NEW_FEED_KEY, None),
    )


@bp.route("/calendar/feeds", methods=["POST"])
@tenancy.org_required
def create_feed() -> ResponseReturnValue:
    org = tenancy.require_org()
    if ConfirmForm().validate_on_submit():
        return formrun.submit(
            lambda: feeds.create_feed(org, actor=current_user),
            then=_show_feed_once,
            message=_("Your new private calendar link is below. Copy it now: it is shown only once."),
            redirect_to=url_for("compliance.organization_calendar"),
        )
    return redirect(url_for("compliance.organization_calendar"))


def _show_feed_once(created: tuple[CalendarFeed, str]) -> None:
    """Shown once, on the next page: only the token's hash is stored."""
    _feed, token = created
    session[_NEW_FEED_KEY] = mail.link("compliance.ics_feed", token=token)  # on PUBLIC_URL, as mail links


@bp.route("/calendar/feeds/<int:feed_id>/revoke", methods=["POST"])
@tenancy.org_required
def revoke_feed(feed_id: int) -> ResponseReturnValue:
    feed = tenancy.get_or_404(CalendarFeed, feed_id)
    if ConfirmForm().validate_on_submit():
        membership = tenancy.current_membership()
        role = membership.role if membership else None
        if not confirm.confirmed():  # the button asks first (a dialog with JavaScript, this page without)
            if not feeds.may_revoke(feed, actor=current_user, actor_role=role):
                abort(404)  # another member's link: not even its holder's name on a page that asks
            return confirm.ask(
                title=_("Revoke a calendar link"),
                message=_(
                    "Revoke the calendar link of %(name)s? Calendar apps reading it stop receiving the dates.",
                    name=feed.user.name,
                ),
                action=url_for("compliance.revoke_feed", feed_id=feed.id),
                button=_("Revoke"),
                cancel=url_for("compliance.organization_calendar"),
            )
        return formrun.submit(
            lambda: feeds.revoke_feed(feed, actor=current_user, actor_role=role),
            message=_("The calendar link is revoked: it stops working now."),
            category="info",
            redirect_to=url_for("compliance.organization_calendar"),
            errors=feeds.FeedError,
            refused=lambda _exc: abort(404),
        )
    return redirect(url_for("compliance.organization_calendar"))


@bp.route("/calendar.ics")
@tenancy.case_access_required
def ics_download() -> ResponseReturnValue:
    org = tenancy.require_org()
    return Response(
        services.ics(org, _visible_calendar(org)),
        mimetype="text/calendar",
        headers={"Content-Disposition": 'attachment; filename="imp-compliance.ics"'},
    )


@bp.route("/calendar/feed/<token>.ics")
@public
def ics_feed(token: str) -> ResponseReturnValue:
    """For calendar apps, which cannot sign in: a user's private link, live while they are a member."""
    feed = feeds.feed_for_token(token, now=utcnow())
    if feed is None:
        abort(404)
    org = feed.organization
    body = services.ics(org, services.organization_calendar(org))
    db.session.commit()  # when the link was last used
    return Response(body, mimetype="text/calendar")
