from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from portal import tenancy
from portal.cases.services import list_cases
from portal.extensions import db
from portal.group.forms import tristate_value
from portal.group.services import list_enterprises
from portal.models import Transferee
from portal.orgs.forms import ConfirmForm
from portal.people import forms, services
from portal.web import attach_error

bp = Blueprint("people", __name__, url_prefix="/transferees")


@bp.route("/")
@login_required
@tenancy.org_required
def index():
    org = tenancy.require_org()
    search = forms.SearchForm(request.args)
    return render_template(
        "people/index.html", transferees=services.list_transferees(org, search.q.data), search=search
    )


def _edit(transferee: Transferee | None):
    org = tenancy.require_org()
    form = forms.TransfereeForm(obj=transferee)
    if transferee is not None and not form.is_submitted():
        form.in_canada.data = tristate_value(transferee.in_canada)
    if form.validate_on_submit():
        transferee = services.save_transferee(org, form.data, actor=current_user, transferee=transferee)
        db.session.commit()
        flash(_("%(name)s is saved.", name=transferee.full_name), "success")
        return redirect(url_for("people.show", transferee_id=transferee.id))
    return render_template(
        "people/edit.html", form=form, transferee=transferee
    ), 400 if form.is_submitted() else 200


@bp.route("/new", methods=["GET", "POST"])
@login_required
@tenancy.org_required
def create():
    return _edit(None)


@bp.route("/<int:transferee_id>/edit", methods=["GET", "POST"])
@login_required
@tenancy.org_required
def edit(transferee_id: int):
    return _edit(tenancy.get_or_404(Transferee, transferee_id))


def _show(transferee: Transferee, employment_form=None, status=200):
    org = tenancy.require_org()

    cases = [c for c in list_cases(org) if c.transferee_id == transferee.id]
    return render_template(
        "people/show.html",
        transferee=transferee,
        employment_form=employment_form or forms.EmploymentForm(list_enterprises(org)),
        confirm_form=ConfirmForm(),
        cases=cases,
    ), status


@bp.route("/<int:transferee_id>")
@login_required
@tenancy.org_required
def show(transferee_id: int):
    return _show(tenancy.get_or_404(Transferee, transferee_id))


@bp.route("/<int:transferee_id>/employment", methods=["POST"])
@login_required
@tenancy.org_required
def add_employment(transferee_id: int):
    org = tenancy.require_org()
    transferee = tenancy.get_or_404(Transferee, transferee_id)
    form = forms.EmploymentForm(list_enterprises(org))
    if form.validate_on_submit():
        try:
            services.add_employment(org, transferee, form.data, actor=current_user)
        except services.PeopleError as exc:
            db.session.rollback()
            attach_error(form, exc)
        else:
            db.session.commit()
            flash(_("The job is added to the employment history."), "success")
            return redirect(url_for("people.show", transferee_id=transferee.id) + "#employment")
    return _show(transferee, employment_form=form, status=400)


@bp.route("/<int:transferee_id>/employment/<int:record_id>/remove", methods=["POST"])
@login_required
@tenancy.org_required
def remove_employment(transferee_id: int, record_id: int):
    org = tenancy.require_org()
    transferee = tenancy.get_or_404(Transferee, transferee_id)
    if ConfirmForm().validate_on_submit():
        try:
            services.remove_employment(org, transferee, record_id, actor=current_user)
        except LookupError:
            abort(404)
        db.session.commit()
        flash(_("The job is removed from the employment history."), "info")
    return redirect(url_for("people.show", transferee_id=transferee.id) + "#employment")
