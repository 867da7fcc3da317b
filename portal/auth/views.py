from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from portal import tenancy, tokens
from portal.auth import forms, services
from portal.extensions import db, limiter
from portal.web import attach_error, client_ip, safe_next

bp = Blueprint("auth", __name__)


def _failed(response) -> bool:
    return response.status_code >= 400


def _limit(key: str):
    return limiter.limit(lambda: current_app.config[key], methods=["POST"], deduct_when=_failed)


def _start_session(user) -> None:
    session.clear()  # a fresh session on sign-in (no fixation)
    login_user(user)
    tenancy.current_membership()  # pick the user's first organization


@bp.route("/register", methods=["GET", "POST"])
@_limit("REGISTER_RATE_LIMIT")
def register():
    if current_user.is_authenticated:
        return redirect(url_for("main.dashboard"))
    form = forms.EmployerRegistrationForm()
    if form.validate_on_submit():
        try:
            user, org = services.register_employer(form.data, ip_address=client_ip())
        except services.AccountError as exc:
            db.session.rollback()
            attach_error(form, exc)
        else:
            db.session.commit()
            _start_session(user)
            flash(_("Welcome! %(org)s is registered and you are its owner.", org=org.display_name), "success")
            return redirect(url_for("main.dashboard"))
    status = 400 if form.is_submitted() else 200
    return render_template("auth/register.html", form=form), status


@bp.route("/register/consultant", methods=["GET", "POST"])
@_limit("REGISTER_RATE_LIMIT")
def register_consultant():
    if current_user.is_authenticated:
        return redirect(url_for("main.dashboard"))
    form = forms.ConsultantRegistrationForm()
    if form.validate_on_submit():
        try:
            user = services.register_consultant(form.data, ip_address=client_ip())
        except services.AccountError as exc:
            db.session.rollback()
            attach_error(form, exc)
        else:
            db.session.commit()
            _start_session(user)
            flash(_("Your consultant account is ready."), "success")
            return redirect(url_for("main.dashboard"))
    status = 400 if form.is_submitted() else 200
    return render_template("auth/register_consultant.html", form=form), status


@bp.route("/login", methods=["GET", "POST"])
@_limit("LOGIN_RATE_LIMIT")
def login():
    if current_user.is_authenticated:
        return redirect(url_for("main.dashboard"))
    form = forms.LoginForm()
    status = 200
    if form.validate_on_submit():
        user = services.authenticate(form.email.data, form.password.data, ip_address=client_ip())
        db.session.commit()  # the user's last login, or the failed-login audit event
        if user is not None:
            _start_session(user)
            return redirect(safe_next(url_for("main.dashboard")))
        form.form_errors.append(_("Wrong email or password."))
        status = 401
    elif form.is_submitted():
        status = 400
    return render_template("auth/login.html", form=form), status


@bp.route("/logout", methods=["POST"])
@login_required
def logout():
    logout_user()
    session.clear()
    flash(_("You are signed out."), "info")
    return redirect(url_for("auth.login"))


@bp.route("/reset", methods=["GET", "POST"])
@_limit("RESET_RATE_LIMIT")
def request_reset():
    form = forms.ResetRequestForm()
    if form.validate_on_submit():
        services.request_password_reset(form.email.data)
        flash(_("If an account uses this email, we sent it a link to choose a new password."), "info")
        return redirect(url_for("auth.login"))
    status = 400 if form.is_submitted() else 200
    return render_template("auth/reset_request.html", form=form), status


@bp.route("/reset/<token>", methods=["GET", "POST"])
@_limit("RESET_RATE_LIMIT")
def reset_password(token: str):
    try:
        services.user_for_reset_token(token)
    except tokens.TokenError as exc:
        message = (
            _("This reset link has expired. Ask for a new one.")
            if exc.expired
            else _("This reset link is not valid or was already used. Ask for a new one.")
        )
        return render_template("auth/reset_invalid.html", message=message), 400
    form = forms.ResetPasswordForm()
    if form.validate_on_submit():
        services.reset_password(token, form.password.data, ip_address=client_ip())
        db.session.commit()
        flash(_("Your password is changed. Sign in with the new one."), "success")
        return redirect(url_for("auth.login"))
    status = 400 if form.is_submitted() else 200
    return render_template("auth/reset_password.html", form=form), status
