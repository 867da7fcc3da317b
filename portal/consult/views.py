from __future__ import annotations

import io

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, send_file, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

import rules
from portal import confirm, formrun, tenancy, tokens
from portal.auth.forms import ConsultantTakeOverForm
from portal.auth.services import TakeOverRefused, can_take_over, find_user, own_organizations
from portal.auth.views import remember_for_sign_in, start_session, take_over_refused
from portal.cases import lifecycle
from portal.cases.services import list_cases
from portal.clock import today
from portal.consult import display, forms, notify, services
from portal.documents import lookups
from portal.documents.content import gap_marker, gaps_to_show, offer_problems
from portal.documents.views import not_ready
from portal.errors import ServiceError
from portal.extensions import db, limiter
from portal.forms_common import prefixed_texts
from portal.i18n import gettext as _
from portal.labels import lang
from portal.messages import sentence_end
from portal.models import Case, Document, DocumentStatus, Engagement, User
from portal.models._types import utcnow
from portal.orgs.forms import ConfirmForm
from portal.signin import public
from portal.web import client_ip, link_refused, mails_limited

bp = Blueprint("consult", __name__)


def _engagements_page(form: forms.EngagementForm | None = None, status: int = 200) -> ResponseReturnValue:
    org = tenancy.require_org()
    cases = list_cases(org)
    return render_template(
        "consult/engagements.html",
        register=services.access_register(org),
        form=form or forms.EngagementForm(cases, zone=org.zone),
        scope_form=forms.ScopeForm,
        cases=cases,
        confirm_form=ConfirmForm(),
    ), status


@bp.route("/org/consultants", methods=["GET", "POST"])
@mails_limited
@tenancy.owner_required
def engagements() -> ResponseReturnValue:
    org = tenancy.require_org()
    form = forms.EngagementForm(list_cases(org), zone=org.zone)

    def engage_and_mail() -> Engagement:
        engagement = services.invite_consultant(
            org,
            email=form.email.data or "",
            case_ids=form.case_ids.data or None,
            actor=current_user,
            cicc_licence=form.cicc_licence.data,
        )
        notify.send_engagement(engagement, actor=current_user)
        return engagement

    return formrun.run(
        form,
        engage_and_mail,
        message=lambda engagement: _("%(email)s is invited as consultant.", email=engagement.email),
        redirect_to=url_for("consult.engagements"),
        errors=services.ConsultError,
        page=lambda: _engagements_page(form, status=400) if form.is_submitted() else _engagements_page(),
    )


@bp.route("/org/consultants/<int:engagement_id>/revoke", methods=["POST"])
@tenancy.owner_required
def revoke(engagement_id: int) -> ResponseReturnValue:
    engagement = tenancy.get_or_404(Engagement, engagement_id)
    if ConfirmForm().validate_on_submit():
        if not confirm.confirmed():
            return confirm.ask(
                title=_("Revoke a consultant's access"),
                message=_(
                    "Revoke the access of %(email)s? It ends now; they will no longer see your cases.",
                    email=engagement.email,
                ),
                action=url_for("consult.revoke", engagement_id=engagement.id),
                button=_("Revoke"),
                cancel=url_for("consult.engagements"),
            )

        def revoke_access() -> None:
            services.revoke(engagement, actor=current_user)
            lifecycle.record_stages(engagement.organization, actor=current_user, on=today())

        return formrun.submit(
            revoke_access,
            message=_("Access revoked: it ends now."),
            category="info",
            redirect_to=url_for("consult.engagements"),
            errors=services.ConsultError,
            error_category="warning",
        )
    return redirect(url_for("consult.engagements"))


@bp.route("/org/consultants/<int:engagement_id>/scope", methods=["POST"])
@tenancy.owner_required
def scope(engagement_id: int) -> ResponseReturnValue:
    org = tenancy.require_org()
    engagement = tenancy.get_or_404(Engagement, engagement_id)
    form = forms.ScopeForm(list_cases(org), zone=org.zone)
    if form.validate_on_submit():

        def limit_access() -> None:
            services.limit(engagement, form.case_ids.data or None, actor=current_user)
            lifecycle.record_stages(org, actor=current_user, on=today())

        return formrun.submit(
            limit_access,
            message=_("The consultant's access is updated."),
            redirect_to=url_for("consult.engagements"),
            errors=services.ConsultError,
            error_category="danger",
            refused=lambda _exc: _engagements_page(status=400),
        )
    # the page draws every engagement's scope form afresh: the refusal is said above it (a case of another
    # organization, a tampered post, answered 400 with no message)
    for errors in form.errors.values():
        for error in errors:
            flash(_("The consultant's access is not changed: %(reason)s", reason=error), "danger")
    return _engagements_page(status=400)


@bp.route("/engagements/<int:engagement_id>/accept", methods=["POST"])
def accept(engagement_id: int) -> ResponseReturnValue:
    engagement = db.session.get(Engagement, engagement_id)
    if engagement is None or engagement.email != current_user.email.lower() or not current_user.is_consultant:
        abort(404)
    if ConfirmForm().validate_on_submit():

        def accept_engagement() -> None:
            services.accept(engagement, current_user)
            lifecycle.record_stages(engagement.organization, actor=current_user, on=today())

        return formrun.submit(
            accept_engagement,
            then=lambda _none: tenancy.switch_to(engagement.organization_id),
            message=lambda _none: _(
                "You now have access to %(org)s.", org=sentence_end(engagement.organization.display_name)
            ),
            redirect_to=url_for("cases.index"),
            errors=services.ConsultError,
            error_category="warning",
            refused=lambda _exc: redirect(url_for("main.dashboard")),
        )
    return redirect(url_for("cases.index"))


@bp.route("/engagements/invitation/<token>", methods=["GET", "POST"])
@public
@limiter.limit(lambda: current_app.config["REGISTER_RATE_LIMIT"], methods=["POST"])  # it may take an account
def engagement_invitation(token: str) -> ResponseReturnValue:
    """The link mailed with an engagement: the way in for the engaged address. No account: the consultant
    registration, the address filled in; a confirmed one: sign in and accept on the dashboard; one whose
    address was never confirmed (anyone can register any address, an employer's account too): the
    consultant takes the address over (``services.take_over_and_accept``) unless that account holds
    something."""
    try:
        engagement = services.engagement_for_token(token, max_age=current_app.config["INVITATION_MAX_AGE"])
    except tokens.TokenError as exc:
        return link_refused(
            "orgs/invitation_invalid.html",
            exc,
            expired=_("This link has expired. Ask the employer for a new engagement."),
            invalid=_("This engagement link is not valid, was revoked or was already used."),
        )
    if current_user.is_authenticated:  # the dashboard lists it, with its button (or says why not)
        return redirect(url_for("main.dashboard"))
    holder = find_user(engagement.email)
    if holder is None:
        return redirect(url_for("auth.register_consultant", email=engagement.email))
    if not can_take_over(holder):
        remember_for_sign_in(engagement.email)  # the link's holder reads it on this page anyway
        return render_template("consult/engagement_invitation.html", engagement=engagement, mode="login")
    if own_organizations(holder) is None:
        return take_over_refused(engagement.invited_by, engagement.organization)
    form = ConsultantTakeOverForm()

    def page() -> ResponseReturnValue:
        return formrun.form_page(
            "consult/engagement_invitation.html", form, engagement=engagement, mode="takeover"
        )

    def signed_in(user: User) -> None:
        start_session(user)
        tenancy.switch_to(engagement.organization_id)

    def take_over() -> User:
        user = services.take_over_and_accept(
            engagement,
            holder,
            name=form.name.data or "",
            password=form.password.data or "",
            cicc_licence=form.cicc_licence.data or "",
            now=utcnow(),
            ip_address=client_ip(),
        )
        lifecycle.record_stages(engagement.organization, actor=user, on=today())
        return user

    return formrun.run(
        form,
        take_over,
        then=signed_in,
        message=lambda _user: _(
            "Welcome! The address is yours and you now have access to %(org)s.",
            org=sentence_end(engagement.organization.display_name),
        ),
        redirect_to=url_for("cases.index"),
        errors=ServiceError,
        refused=lambda exc: (
            take_over_refused(engagement.invited_by, engagement.organization)
            if isinstance(exc, TakeOverRefused)
            else page()
        ),
        page=page,
    )


@bp.route("/documents/<int:document_id>/review", methods=["GET", "POST"])
@tenancy.consultant_required
def review(document_id: int) -> ResponseReturnValue:
    """The consultant's review page: the PDF in the page, the criteria with the facts behind them, the
    employment history, what changed since the version reviewed before, and the decision with comments
    tied to the document's sections."""
    document = tenancy.get_or_404(Document, document_id)
    case = tenancy.get_or_404(Case, document.case_id)
    if document.status != DocumentStatus.READY:
        # reached by the link of the version it supersedes, while it is made: the page showed "SHA-256 None",
        # "Download (0 pages)" and a frame the not-ready PDF's page refuses to be shown in
        return not_ready(document)
    form = forms.ReviewForm()
    if not current_user.cicc_licence:  # it approves nothing: the page says why and where to enter it
        form.only_return()
    section_texts = prefixed_texts(request.form, "section-")  # typed text: without invisible characters

    def decide() -> None:
        item = services.review(
            document,
            decision=form.decision.data,
            comment=form.comment.data,
            actor=current_user,
            section_comments=section_texts,
            as_it_is=bool(form.as_it_is.data),
        )
        notify.notify_employer(document, item)
        lifecycle.record_stage(case, None, actor=current_user, on=today())

    return formrun.run(
        form,
        decide,
        message=_("Your decision is recorded and the employer is notified."),
        redirect_to=url_for("consult.review", document_id=document.id),
        errors=services.ConsultError,
        page=lambda: _review_page(document, case, form, section_texts),
    )


def _review_page(
    document: Document, case: Case, form: forms.ReviewForm, section_texts: dict[str, str]
) -> ResponseReturnValue:
    language = lang()
    a = case.assessment_in(language)
    facts = display.facts_of(document, case.facts_snapshot)
    code = ((document.snapshot or {}).get("letter") or {}).get("code") or a.get("recommended")
    diff = display.changes(document, display.previous_version(document), language)
    reviews = services.reviews_of(document)
    approval = services.approval_in(document, reviews)
    if approval is not None:  # approved already: what is left is to withdraw the approval
        form.only_withdrawal()
    return formrun.form_page(
        "consult/review.html",
        document=document,
        case=case,
        a=a,
        code=code,
        ict=rules.code_kind(code) == "ict" if code else False,  # the employment history decides the code
        criteria=display.criteria(a, code, facts, language),
        jobs=display.employment(case.transferee, language, case.assessed_as_of or today()),
        diff=diff,
        has_changes=display.has_changes(diff),
        sections=services.review_sections(document),
        section_texts=section_texts,
        state=display.version_state(reviews),
        newer=services.newer_version(document),  # only the latest version can be reviewed
        form=form,
        reviews=reviews,
        approval=approval,
        gaps_to_show=gaps_to_show,
        gap_marker=gap_marker,
        offer_problems=offer_problems(document),
    )


@bp.route("/documents/<int:document_id>/approved")
@tenancy.case_access_required
def download_approved(document_id: int) -> ResponseReturnValue:
    document = tenancy.get_or_404(Document, document_id)
    try:
        data, _approval = services.approved_bytes(document, actor=current_user)
    except services.ApprovedFileMismatch:
        db.session.commit()  # keep the audit record of the mismatch
        return render_template(
            "errors/error.html",
            code=409,
            title=_("The approved file was altered"),
            text=_(
                "The stored file no longer matches what the consultant approved. Nothing was downloaded; the incident is recorded. Make a new version and ask for a new approval."
            ),
            detail=None,
        ), 409
    except services.ConsultError as exc:
        return render_template(
            "errors/error.html", code=409, title=_("Not approved"), text=str(exc), detail=None
        ), 409
    return send_file(
        io.BytesIO(data),
        mimetype="application/pdf",
        as_attachment=True,
        download_name=lookups.download_name(document, approved=True),
    )
