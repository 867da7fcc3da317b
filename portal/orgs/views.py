from __future__ import annotations

from collections.abc import Callable

from flask import Blueprint, current_app, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from portal import confirm, formrun, tenancy, tokens
from portal.auth.forms import AcceptInvitationForm, OrganizationForm, TakeOverForm
from portal.auth.services import AccountError, TakeOverRefused, can_take_over, find_user, own_organizations
from portal.auth.views import remember_for_sign_in, start_session, take_over_refused
from portal.cases.changes import employer_facts, facts_changed
from portal.clock import today
from portal.extensions import limiter
from portal.i18n import gettext as _
from portal.i18n import ngettext
from portal.messages import sentence_end
from portal.models import Invitation, Membership, Organization, User
from portal.models._types import utcnow
from portal.orgs import forms, notify, services
from portal.signin import public
from portal.web import client_ip, link_refused, mails_limited, safe_next

bp = Blueprint("orgs", __name__)


def _settings_page(invite_form: forms.InviteForm | None = None, status: int = 200) -> ResponseReturnValue:
    org = tenancy.require_org()
    return (
        render_template(
            "orgs/show.html",
            org=org,
            memberships=services.memberships_of(org),
            invitations=services.pending_invitations(org) if tenancy.is_owner() else [],
            invite_form=invite_form or forms.InviteForm(),
            role_form=forms.RoleForm,
            confirm_form=forms.ConfirmForm(),
            is_owner=tenancy.is_owner(),
        ),
        status,
    )


@bp.route("/org/")
@tenancy.org_required
def show() -> ResponseReturnValue:
    return _settings_page()


@bp.route("/org/edit", methods=["GET", "POST"])
@tenancy.owner_required
def edit() -> ResponseReturnValue:
    org = tenancy.require_org()
    form = OrganizationForm(obj=org)

    def save() -> Organization:
        before = employer_facts(org)
        saved = services.update_organization(org, form.data, actor=current_user, now=utcnow())
        if employer_facts(saved) != before:  # employer facts (size, name...) decide the cases
            facts_changed(org, organization=saved, on=today())
        return saved

    return formrun.run(
        form,
        save,
        message=_("The organization is saved."),
        redirect_to=url_for("orgs.show"),
        errors=AccountError,
        page=lambda: formrun.form_page("orgs/edit.html", form, org=org),
    )


@bp.route("/org/invitations", methods=["POST"])
@mails_limited
@tenancy.owner_required
def invite() -> ResponseReturnValue:
    form = forms.InviteForm()

    def invite_and_mail() -> Invitation:
        invitation = services.invite(
            tenancy.require_org(), email=form.email.data or "", role=form.role.data, actor=current_user
        )
        notify.send_invitation(invitation, actor=current_user)
        return invitation

    return formrun.run(
        form,
        invite_and_mail,
        message=lambda invitation: _("Invitation sent to %(email)s.", email=invitation.email),
        redirect_to=url_for("orgs.show"),
        errors=AccountError,
        page=lambda: _settings_page(invite_form=form, status=400),
    )


@bp.route("/org/invitations/<int:invitation_id>/revoke", methods=["POST"])
@tenancy.owner_required
def revoke_invitation(invitation_id: int) -> ResponseReturnValue:
    invitation = tenancy.get_or_404(Invitation, invitation_id)
    if forms.ConfirmForm().validate_on_submit():
        if not confirm.confirmed():  # the button asks first (a dialog with JavaScript, this page without)
            return confirm.ask(
                title=_("Revoke an invitation"),
                message=_(
                    "Revoke the invitation sent to %(email)s? Its link stops working.", email=invitation.email
                ),
                action=url_for("orgs.revoke_invitation", invitation_id=invitation.id),
                button=_("Revoke"),
                cancel=url_for("orgs.show"),
            )
        return formrun.submit(
            lambda: services.revoke_invitation(invitation, actor=current_user),
            message=_("The invitation is revoked."),
            category="info",
            redirect_to=url_for("orgs.show"),
            error_category="info",
        )
    return redirect(url_for("orgs.show"))


@bp.route("/org/members/<int:membership_id>/role", methods=["POST"])
@tenancy.owner_required
def change_role(membership_id: int) -> ResponseReturnValue:
    membership = tenancy.get_or_404(Membership, membership_id)
    form = forms.RoleForm()
    if not form.validate_on_submit():
        flash(_("Choose a valid role."), "danger")
        return _settings_page(status=400)
    return _change_member(
        lambda: services.change_role(membership, form.role.data, actor=current_user),
        message=_(
            "%(name)s is now %(role)s.",
            name=membership.user.name,
            role=_("owner") if form.role.data == "owner" else _("member"),
        ),
    )


@bp.route("/org/members/<int:membership_id>/remove", methods=["POST"])
@tenancy.owner_required
def remove_member(membership_id: int) -> ResponseReturnValue:
    membership = tenancy.get_or_404(Membership, membership_id)
    if not forms.ConfirmForm().validate_on_submit():
        return _settings_page(status=400)
    if not confirm.confirmed():  # the button asks first (a dialog with JavaScript, this page without)
        return confirm.ask(
            title=_("Remove a member"),
            message=_(
                "Remove %(name)s from %(org)s? They are signed out and lose access to its data now.",
                name=membership.user.name,
                org=membership.organization.display_name,
            ),
            action=url_for("orgs.remove_member", membership_id=membership.id),
            button=_("Remove"),
            cancel=url_for("orgs.show"),
        )
    return _change_member(
        lambda: services.remove_member(membership, actor=current_user),
        message=_("%(name)s no longer belongs to this organization.", name=membership.user.name),
        category="info",
    )


def _change_member(
    action: Callable[[], object], *, message: str, category: str = "success"
) -> ResponseReturnValue:
    """An owner's change to a membership, which the service may refuse (the last owner): the refusal
    is flashed over the settings page (409)."""
    return formrun.submit(
        action,
        message=message,
        category=category,
        redirect_to=url_for("orgs.show"),
        errors=AccountError,
        error_category="danger",
        refused=lambda _exc: _settings_page(status=409),
    )


@bp.route("/org/members/<int:membership_id>/sessions/end", methods=["POST"])
@tenancy.owner_required
def end_sessions(membership_id: int) -> ResponseReturnValue:
    membership = tenancy.get_or_404(Membership, membership_id)
    if not forms.ConfirmForm().validate_on_submit():
        return _settings_page(status=400)
    name = membership.user.name
    own = membership.user_id == current_user.id
    return formrun.submit(
        lambda: services.end_member_sessions(membership, actor=current_user),
        message=lambda ended: ngettext(
            "%(name)s is signed out everywhere (%(num)d session ended).",
            "%(name)s is signed out everywhere (%(num)d sessions ended).",
            ended,
            name=name,
        ),
        category="info",
        redirect_to=url_for("auth.login") if own else url_for("orgs.show"),
    )


@bp.route("/orgs/new", methods=["GET", "POST"])
def create() -> ResponseReturnValue:
    if current_user.is_consultant:
        flash(_("Consultant accounts work with employers through engagements, not as members."), "warning")
        return redirect(url_for("main.dashboard"))
    form = OrganizationForm()
    return formrun.run(
        form,
        lambda: services.create_organization(form.data, owner=current_user, now=utcnow()),
        then=lambda org: tenancy.switch_to(org.id),
        message=lambda org: _("%(org)s is registered and you are its owner.", org=org.display_name),
        redirect_to=url_for("main.dashboard"),
        errors=AccountError,
        page=lambda: formrun.form_page("orgs/new.html", form),
    )


@bp.route("/orgs/<int:org_id>/switch", methods=["POST"])
def switch(org_id: int) -> ResponseReturnValue:
    if not forms.ConfirmForm().validate_on_submit():
        return redirect(url_for("main.dashboard"))
    org = tenancy.switch_to(org_id)
    flash(_("You are now working in %(org)s.", org=sentence_end(org.display_name)), "info")
    return redirect(safe_next(url_for("main.dashboard")))  # e.g. a dashboard item of that organization


@bp.route("/invitations/<token>", methods=["GET", "POST"])
@public
@limiter.limit(lambda: current_app.config["REGISTER_RATE_LIMIT"], methods=["POST"])  # it may make an account
def accept_invitation(token: str) -> ResponseReturnValue:
    try:
        invitation = services.invitation_for_token(token)
    except tokens.TokenError as exc:
        return link_refused(
            "orgs/invitation_invalid.html",
            exc,
            expired=_("This invitation has expired. Ask the organization's owner for a new one."),
            invalid=_("This invitation link is not valid, was revoked or was already used."),
        )

    if current_user.is_authenticated:
        form = forms.ConfirmForm()
        if form.validate_on_submit():
            return formrun.submit(
                lambda: services.accept_invitation(invitation, current_user),
                then=lambda _none: tenancy.switch_to(invitation.organization_id),
                message=lambda _none: _(
                    "You joined %(org)s.", org=sentence_end(invitation.organization.display_name)
                ),
                redirect_to=url_for("main.dashboard"),
                errors=AccountError,
                refused=lambda exc: (render_template("orgs/invitation_invalid.html", message=str(exc)), 403),
            )
        return formrun.form_page("orgs/invitation.html", form, invitation=invitation, mode="join")

    holder = find_user(invitation.email)
    if holder is not None and not can_take_over(holder):
        remember_for_sign_in(invitation.email)  # the link's holder reads it on this page anyway
        return render_template("orgs/invitation.html", invitation=invitation, form=None, mode="login")

    accept_form = AcceptInvitationForm()

    def signed_in(user: User) -> None:
        start_session(user)
        tenancy.switch_to(invitation.organization_id)

    if holder is not None:  # never confirmed: the link reached the mailbox, the address is the invitee's
        return _take_over(invitation, holder, signed_in)

    return formrun.run(
        accept_form,
        lambda: services.register_and_accept(
            invitation, name=accept_form.name.data or "", password=accept_form.password.data or ""
        ),
        then=signed_in,
        message=lambda _user: _(
            "Welcome! You joined %(org)s.", org=sentence_end(invitation.organization.display_name)
        ),
        redirect_to=url_for("main.dashboard"),
        errors=AccountError,
        page=lambda: formrun.form_page(
            "orgs/invitation.html", accept_form, invitation=invitation, mode="register"
        ),
    )


def _take_over(
    invitation: Invitation, holder: User, signed_in: Callable[[User], None]
) -> ResponseReturnValue:
    """An account whose address was never confirmed (anyone can register any address) holds the invited
    address: the invitee takes it over with their own name and password, unless it holds something."""
    form = TakeOverForm()
    if own_organizations(holder) is None:
        return take_over_refused(invitation.invited_by, invitation.organization)

    def page() -> ResponseReturnValue:
        return formrun.form_page("orgs/invitation.html", form, invitation=invitation, mode="takeover")

    return formrun.run(
        form,
        lambda: services.take_over_and_accept(
            invitation,
            holder,
            name=form.name.data or "",
            password=form.password.data or "",
            now=utcnow(),
            ip_address=client_ip(),
        ),
        then=signed_in,
        message=lambda _user: _(
            "Welcome! The address is yours and you joined %(org)s.",
            org=sentence_end(invitation.organization.display_name),
        ),
        redirect_to=url_for("main.dashboard"),
        errors=AccountError,
        refused=lambda exc: (
            take_over_refused(invitation.invited_by, invitation.organization)
            if isinstance(exc, TakeOverRefused)
            else page()
        ),
        page=page,
    )
