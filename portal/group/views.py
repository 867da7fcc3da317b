from __future__ import annotations

from flask import Blueprint, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from portal import formrun, tenancy
from portal.cases.changes import facts_changed
from portal.clock import today
from portal.group import forms, services
from portal.i18n import gettext as _
from portal.models import ForeignEnterprise

bp = Blueprint("group", __name__, url_prefix="/group")


@bp.route("/")
@tenancy.org_required
def index() -> ResponseReturnValue:
    org = tenancy.require_org()
    return render_template("group/index.html", enterprises=services.list_enterprises(org))


@tenancy.record_form(bp, ForeignEnterprise, "enterprise_id")  # group.create, group.edit
def _edit(enterprise: ForeignEnterprise | None) -> ResponseReturnValue:
    org = tenancy.require_org()
    form = forms.ForeignEnterpriseForm(obj=enterprise)
    if enterprise is not None and not form.is_submitted():
        form.doing_business.data = forms.tristate_value(enterprise.doing_business)

    def save() -> ForeignEnterprise:
        saved = services.save_enterprise(org, form.data, actor=current_user, enterprise=enterprise)
        facts_changed(org, enterprise=saved, on=today())  # the cases of this group company
        return saved

    return formrun.run(
        form,
        save,
        message=lambda _saved: _("%(name)s is saved.", name=form.name.data),
        redirect_to=url_for("group.index"),
        page=lambda: formrun.form_page("group/edit.html", form, enterprise=enterprise),
    )
