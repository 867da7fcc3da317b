from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from portal import confirm, formrun, tenancy
from portal.cases.changes import facts_changed
from portal.cases.services import list_cases
from portal.clock import today
from portal.group.forms import tristate_value
from portal.group.services import list_enterprises
from portal.i18n import gettext as _
from portal.models import Transferee
from portal.orgs.forms import ConfirmForm
from portal.people import forms, services

bp = Blueprint("people", __name__, url_prefix="/transferees")


@bp.route("/")
@tenancy.org_required
def index() -> ResponseReturnValue:
    org = tenancy.require_org()
    search = forms.SearchForm(request.args)
    return render_template(
        "people/index.html", transferees=services.list_transferees(org, search.q.data), search=search
    )


def _job_data(transferee: Transferee | None) -> list[dict[str, Any]]:
    """The rows of the form when it opens: every recorded job, then empty rows to add new ones."""
    rows = [
        {
            "record_id": str(r.id),
            "foreign_enterprise_id": str(r.foreign_enterprise_id or ""),
            "employer_name": r.employer_name,
            "country": r.country or "",
            "job_title": r.job_title,
            "capacity": r.capacity or "",
            "start_date": r.start_date,
            "end_date": r.end_date,
            "full_time": r.full_time,
            "hours_per_week": r.hours_per_week,
            "duties": r.duties,
            "duties_fr": r.duties_fr,
        }
        for r in (transferee.employment if transferee is not None else [])
    ]
    # The form holds at most JOBS_MAX rows: the most recent jobs then (the others stay as they are,
    # listed on the person's page), and empty rows only while there is room.
    rows = rows[-forms.JOBS_MAX :]
    return rows + [{}] * min(forms.JOBS_MAX - len(rows), 1 if rows else 2)


@tenancy.record_form(bp, Transferee, "transferee_id")  # people.create, people.edit
def _edit(transferee: Transferee | None) -> ResponseReturnValue:
    org = tenancy.require_org()
    enterprises = list_enterprises(org)
    if request.method == "POST":
        form = forms.TransfereeForm(enterprises=enterprises)
    else:
        form = forms.TransfereeForm(obj=transferee, enterprises=enterprises, jobs=_job_data(transferee))
        if transferee is not None:
            form.in_canada.data = tristate_value(transferee.in_canada)
            for name, value in services.spouse_form_data(transferee).items():
                form[name].data = value
    if form.is_submitted() and form.add_job.data:
        # "Add a job" without JavaScript: the same page again, everything typed kept, one more row.
        form.add_job_row()
        return render_template("people/edit.html", form=form, transferee=transferee)

    def save() -> Transferee:
        saved = services.save_transferee(
            org, form.data, actor=current_user, transferee=transferee, jobs=form.job_rows(), on=today()
        )
        facts_changed(org, transferee=saved, on=today())  # the cases of this transferee
        return saved

    return formrun.run(
        form,
        save,
        message=lambda saved: _("%(name)s is saved.", name=saved.full_name),
        redirect_to=lambda saved: url_for("people.show", transferee_id=saved.id),
        page=lambda: formrun.form_page("people/edit.html", form, transferee=transferee),
    )


def _show(
    transferee: Transferee, employment_form: forms.EmploymentForm | None = None, status: int = 200
) -> ResponseReturnValue:
    org = tenancy.require_org()

    cases = [c for c in list_cases(org) if c.transferee_id == transferee.id]
    return render_template(
        "people/show.html",
        transferee=transferee,
        employment_form=employment_form or forms.EmploymentForm(list_enterprises(org)),
        confirm_form=ConfirmForm(),
        cases=cases,
        # an expired passport is kept (the person may be renewing it) but flagged: no permit on it
        passport_expired=transferee.passport_expiry is not None and transferee.passport_expiry < today(),
    ), status


@bp.route("/<int:transferee_id>")
@tenancy.org_required
def show(transferee_id: int) -> ResponseReturnValue:
    return _show(tenancy.get_or_404(Transferee, transferee_id))


@bp.route("/<int:transferee_id>/employment", methods=["POST"])
@tenancy.org_required
def add_employment(transferee_id: int) -> ResponseReturnValue:
    org = tenancy.require_org()
    transferee = tenancy.get_or_404(Transferee, transferee_id)
    form = forms.EmploymentForm(list_enterprises(org))

    def add() -> None:
        services.add_employment(org, transferee, form.data, actor=current_user, on=today())
        facts_changed(org, transferee=transferee, on=today())

    return formrun.run(
        form,
        add,
        message=_("The job is added to the employment history."),
        redirect_to=url_for("people.show", transferee_id=transferee.id) + "#employment",
        errors=services.PeopleError,
        page=lambda: _show(transferee, employment_form=form, status=400),
    )


@bp.route("/<int:transferee_id>/employment/<int:record_id>/remove", methods=["POST"])
@tenancy.org_required
def remove_employment(transferee_id: int, record_id: int) -> ResponseReturnValue:
    org = tenancy.require_org()
    transferee = tenancy.get_or_404(Transferee, transferee_id)
    back = url_for("people.show", transferee_id=transferee.id) + "#employment"
    if ConfirmForm().validate_on_submit():
        record = next((r for r in transferee.employment if r.id == record_id), None)
        if record is None:
            abort(404)
        if not confirm.confirmed():  # a job removed by a slip would change the case's code unsaid
            employer = record.foreign_enterprise.name if record.foreign_enterprise else record.employer_name
            return confirm.ask(
                title=_("Remove a job"),
                message=_(
                    "Remove the job %(job)s at %(employer)s from the employment history of %(name)s? Its "
                    "cases are re-assessed without it.",
                    job=record.job_title or "—",
                    employer=employer or "—",
                    name=transferee.full_name,
                ),
                action=url_for("people.remove_employment", transferee_id=transferee.id, record_id=record.id),
                button=_("Remove"),
                cancel=back,
            )

        def remove() -> None:
            services.remove_employment(org, transferee, record_id, actor=current_user)
            facts_changed(org, transferee=transferee, on=today())

        return formrun.submit(
            remove,
            message=_("The job is removed from the employment history."),
            category="info",
            redirect_to=back,
            errors=LookupError,
            refused=lambda _exc: abort(404),
        )
    return redirect(back)
