from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, session, url_for
from flask.typing import ResponseReturnValue
from flask_babel import get_locale
from flask_limiter import RouteLimit
from flask_login import current_user, login_user, logout_user
from werkzeug.wrappers import Response

from portal import formrun, i18n, tenancy, tokens
from portal.auth import forms, notify, services, sessions
from portal.extensions import db, limiter
from portal.i18n import gettext as _
from portal.i18n import ngettext
from portal.models import Organization, User
from portal.models._types import utcnow
from portal.signin import public
from portal.web import client_ip, link_refused, safe_next
from workers.tasks.auth import queue_password_reset, queue_verification

bp = Blueprint("auth", __name__)


# The address the sign-in page's email box starts with: the one this browser just registered, asked a reset
# link for, set a new password for or confirmed. Kept in this browser's own session cookie (signed, sent only
# to this site, cleared by signing in), never in the address bar: a query parameter would be written to the
# browser's history, to the server's and any proxy's access logs, and could be set by any link a stranger
# sends (a sign-in page prefilled with someone else's address).
SIGN_IN_EMAIL_KEY = "sign_in_email"


def take_over_refused(inviter: User | None, organization: Organization) -> ResponseReturnValue:
    """The page of an invitation link (a colleague's or a consultant's engagement) whose address has an
    unconfirmed account that holds data (``services.TakeOverRefused``): nothing changed, the inviter to
    contact; 409."""
    return (
        render_template(
            "takeover_refused.html",
            inviter=inviter.name if inviter is not None else None,
            inviter_email=inviter.email if inviter is not None else None,
            org=organization.display_name,
        ),
        409,
    )


def remember_for_sign_in(email: str) -> None:
    session[SIGN_IN_EMAIL_KEY] = email


def _failed(response: Response) -> bool:
    return response.status_code >= 400


def _limit(key: str) -> RouteLimit:
    return limiter.limit(lambda: current_app.config[key], methods=["POST"], deduct_when=_failed)


def _start_session(user: User) -> None:
    """A fresh cookie session (no fixation) tied to a new server-side session record (committed). The
    language goes on: the one chosen on this browser before signing in (kept on the account, as the
    language switch keeps it), else the account's own; clearing the session had dropped it, so a visitor
    who read the register page in French found the portal in English once registered."""
    language = session.get(i18n.SESSION_KEY) or user.locale
    if language not in current_app.config["LANGUAGES"]:
        language = None
    if language is not None:
        user.locale = language  # mails sent without a request are written in it
    session.clear()
    token = sessions.start(user, ip_address=client_ip(), user_agent=request.user_agent.string)
    db.session.commit()
    session[sessions.SESSION_KEY] = token
    if language is not None:
        session[i18n.SESSION_KEY] = language
    login_user(user)
    tenancy.current_membership()  # pick the user's first organization


def start_session(user: User) -> None:
    """For other blueprints that sign a person in (an accepted invitation)."""
    _start_session(user)


def _send_verification(user: User) -> None:
    notify.send_verification(user)


def _send_verification_unless_recent(user: User, *, queued: bool = False) -> bool:
    """Mail ``user`` a new confirmation link unless one went less than VERIFICATION_RESEND_SECONDS ago
    (each sign-in to an unconfirmed account mailed one); whether it was sent. ``queued``: by the worker,
    so that the answer does not wait for the mail (a refused sign-in answers as a wrong password)."""
    if not services.claim_verification_mail(user, now=utcnow()):
        return False
    db.session.commit()
    if queued:
        locale = get_locale()
        queue_verification(user.id, locale.language if locale else "en")
    else:
        _send_verification(user)
    return True


def _mail_sign_up(outcome: services.SignUp) -> None:
    """After a registration's commit: mail what it did. The page answers the same either way (and the
    sign-in page starts with the address typed, whatever it was)."""
    remember_for_sign_in(outcome.email)
    if outcome.user is not None:
        _send_verification(outcome.user)
    elif outcome.holder is not None:
        notify.send_registration_attempt(outcome.holder)
    elif outcome.licence is not None:
        notify.send_licence_taken(outcome.email, outcome.licence)


def _page_language() -> str | None:
    locale = get_locale()
    return locale.language if locale and locale.language in current_app.config["LANGUAGES"] else None


def _sign_up_sent(outcome: services.SignUp) -> str:
    # The same words whether the address was free or taken: the mailbox tells its reader which.
    return _(
        "We sent a message to %(email)s. Open it to confirm your address, then sign in.", email=outcome.email
    )


# Every registration counts towards the limit, not only the refused ones: a registration with an address
# that has an account answers like any other and mails that address.
@bp.route("/register", methods=["GET", "POST"])
@public
@limiter.limit(lambda: current_app.config["REGISTER_RATE_LIMIT"], methods=["POST"])
def register() -> ResponseReturnValue:
    if current_user.is_authenticated:
        return redirect(url_for("main.dashboard"))
    form = forms.EmployerRegistrationForm()
    return formrun.run(
        form,
        lambda: services.sign_up_employer(
            form.data, now=utcnow(), ip_address=client_ip(), language=_page_language()
        ),
        then=_mail_sign_up,
        message=_sign_up_sent,
        category="info",
        redirect_to=url_for("auth.login"),
        errors=services.AccountError,
        page=lambda: formrun.form_page("auth/register.html", form),
    )


@bp.route("/register/consultant", methods=["GET", "POST"])
@public
@limiter.limit(lambda: current_app.config["REGISTER_RATE_LIMIT"], methods=["POST"])
def register_consultant() -> ResponseReturnValue:
    if current_user.is_authenticated:
        return redirect(url_for("main.dashboard"))
    form = forms.ConsultantRegistrationForm()
    if not form.is_submitted() and not form.email.data:
        # the link of an engagement mailed to an address with no account yet (consult.notify) gives it
        form.email.data = request.args.get("email", "")[:254]
    return formrun.run(
        form,
        lambda: services.sign_up_consultant(
            form.data, now=utcnow(), ip_address=client_ip(), language=_page_language()
        ),
        then=_mail_sign_up,
        message=_sign_up_sent,
        category="info",
        redirect_to=url_for("auth.login"),
        errors=services.AccountError,
        page=lambda: formrun.form_page("auth/register_consultant.html", form),
    )


@bp.route("/login", methods=["GET", "POST"])
@public
@_limit("LOGIN_RATE_LIMIT")
def login() -> ResponseReturnValue:
    if current_user.is_authenticated:
        return redirect(url_for("main.dashboard"))
    form = forms.LoginForm()
    status = 200
    if not form.is_submitted() and not form.email.data:
        form.email.data = session.get(SIGN_IN_EMAIL_KEY)
    if form.validate_on_submit():
        # Committed either way: the user's last login, or the failed-login audit event and count.
        outcome = formrun.attempt(
            lambda: services.authenticate(
                form.email.data or "", form.password.data or "", now=utcnow(), ip_address=client_ip()
            ),
            errors=services.SignInBlocked,
        )
        if isinstance(outcome.error, services.SignInBlocked):
            form.form_errors.append(str(outcome.error))
            response = current_app.make_response((render_template("auth/login.html", form=form), 429))
            response.headers["Retry-After"] = str(outcome.error.seconds)
            return response
        signed_in = outcome.value
        user = signed_in.user if signed_in is not None else None
        if user is not None:
            _start_session(user)
            if not user.email_verified:  # a fresh link, unless one went lately; base.html's banner says so
                _send_verification_unless_recent(user)
            return redirect(safe_next(url_for("main.dashboard")))
        if signed_in is not None and signed_in.unconfirmed is not None:
            # answered as a wrong password; its mailbox gets a new link (queued, unless one went lately)
            _send_verification_unless_recent(signed_in.unconfirmed, queued=True)
        form.form_errors.append(  # the same words when the password was right but the address unconfirmed
            _("Wrong email or password.")
            + " "
            + _("If you have just registered, confirm your address first with the link we mailed you.")
        )
        status = 401
    elif form.is_submitted():
        status = 400
    return render_template("auth/login.html", form=form), status


@bp.route("/logout", methods=["POST"])
def logout() -> ResponseReturnValue:
    return formrun.submit(
        lambda: sessions.end(session.get(sessions.SESSION_KEY)),
        then=lambda _none: _forget_browser(),
        message=_("You are signed out."),
        category="info",
        redirect_to=url_for("auth.login"),
    )


def _forget_browser() -> None:
    """Sign this browser out: the session's contents go, the language chosen on it stays (clearing it
    too put the French reader who signed out on an English sign-in page)."""
    language = session.get(i18n.SESSION_KEY)
    logout_user()
    session.clear()
    if language in current_app.config["LANGUAGES"]:
        session[i18n.SESSION_KEY] = language


@bp.route("/reset", methods=["GET", "POST"])
@public
@_limit("RESET_RATE_LIMIT")
def request_reset() -> ResponseReturnValue:
    form = forms.ResetRequestForm()
    if form.validate_on_submit():
        locale = get_locale()
        queue_password_reset(
            form.email.data or "", locale.language if locale else "en"
        )  # the same work for any address
        remember_for_sign_in(form.email.data or "")  # what was typed, whether it has an account or not
        flash(_("If an account uses this email, we sent it a link to choose a new password."), "info")
        return redirect(url_for("auth.login"))
    return formrun.form_page("auth/reset_request.html", form)


@bp.route("/reset/<token>", methods=["GET", "POST"])
@public
@_limit("RESET_RATE_LIMIT")
def reset_password(token: str) -> ResponseReturnValue:
    try:
        services.user_for_reset_token(token)
    except tokens.TokenError as exc:
        return _reset_refused(exc)
    form = forms.ResetPasswordForm()
    if form.validate_on_submit():

        def signed_out(user: User) -> None:
            _forget_browser()  # every session of the user ended, this browser's too
            remember_for_sign_in(user.email)

        return formrun.submit(
            lambda: services.reset_password(token, form.password.data or "", ip_address=client_ip()),
            then=signed_out,
            message=_("Your password is changed. Sign in with the new one."),
            redirect_to=url_for("auth.login"),
            # the link used meanwhile by another request sent at once (the service checks it under a lock)
            errors=tokens.TokenError,
            refused=_reset_refused,
        )
    return formrun.form_page("auth/reset_password.html", form)


def _reset_refused(exc: Exception) -> ResponseReturnValue:
    return link_refused(
        "auth/reset_invalid.html",
        exc,
        expired=_("This reset link has expired. Ask for a new one."),
        invalid=_("This reset link is not valid or was already used. Ask for a new one."),
    )


@bp.route("/account/password", methods=["GET", "POST"])
@_limit("LOGIN_RATE_LIMIT")  # the current password is guessed no faster than at sign-in
def change_password() -> ResponseReturnValue:
    form = forms.ChangePasswordForm()
    user = current_user._get_current_object()
    return formrun.run(
        form,
        lambda: services.change_password(
            user, form.current.data or "", form.password.data or "", ip_address=client_ip()
        ),
        then=lambda _none: _start_session(user),  # every other session ended; this browser gets a new one
        message=_("Your password is changed. Your other sessions are signed out."),
        redirect_to=url_for("main.dashboard"),
        errors=services.AccountError,
        page=lambda: formrun.form_page("auth/change_password.html", form),
    )


@bp.route("/account/licence", methods=["GET", "POST"])
@_limit("REGISTER_RATE_LIMIT")  # a refused number is said on the page: tried no faster than at registration
def licence() -> ResponseReturnValue:
    """A consultant's CICC licence number: entered here by one whose account has none (it went to a later
    registration, ``services.release_lapsed_licence``); shown to one who has it (it is not changed here).
    ``next``: the page to go back to once it is saved (the review page that sent them here)."""
    user = current_user._get_current_object()
    if not user.is_consultant:
        abort(404)
    form = forms.LicenceForm()
    return formrun.run(
        form,
        lambda: services.enter_licence(
            user, form.cicc_licence.data or "", now=utcnow(), ip_address=client_ip()
        ),
        message=lambda saved: _(
            "Your CICC licence number %(licence)s is saved: you can approve documents now.",
            licence=saved.cicc_licence,
        ),
        redirect_to=safe_next(url_for("main.dashboard")),
        errors=services.AccountError,
        page=lambda: formrun.form_page("auth/licence.html", form, released=services.released_licence(user)),
    )


@bp.route("/verify/<token>")
@public
def verify_email(token: str) -> ResponseReturnValue:
    """The link mailed to confirm an address (it proves the person reads that mailbox)."""
    return formrun.submit(
        lambda: services.verify_email(token, now=utcnow()),
        then=lambda user: None if current_user.is_authenticated else remember_for_sign_in(user.email),
        message=lambda user: _("Your email address %(email)s is confirmed.", email=user.email),
        redirect_to=url_for("main.dashboard") if current_user.is_authenticated else url_for("auth.login"),
        errors=tokens.TokenError,
        refused=_verify_refused,
    )


def _verify_refused(exc: Exception) -> ResponseReturnValue:
    return link_refused(
        "auth/verify_invalid.html",
        exc,
        expired=_("This confirmation link has expired."),
        invalid=_("This confirmation link is not valid."),
    )


@bp.route("/verify", methods=["POST"])
@limiter.limit(lambda: current_app.config["RESET_RATE_LIMIT"], methods=["POST"])
def resend_verification() -> ResponseReturnValue:
    user = current_user._get_current_object()
    if user.email_verified:
        flash(_("Your email address is already confirmed."), "info")
    elif _send_verification_unless_recent(user):
        flash(_("We sent a new confirmation link to %(email)s.", email=user.email), "info")
    else:
        flash(
            ngettext(
                "We sent a confirmation link to %(email)s a few minutes ago: look for it in your inbox and "
                "your spam folder. You can ask for another one in %(num)d minute.",
                "We sent a confirmation link to %(email)s a few minutes ago: look for it in your inbox and "
                "your spam folder. You can ask for another one in %(num)d minutes.",
                services.verification_wait_minutes(user, now=utcnow()),
                email=user.email,
            ),
            "info",
        )
    return redirect(safe_next(url_for("main.dashboard")))
