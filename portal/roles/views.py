from __future__ import annotations

from flask import Blueprint, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from portal import tenancy
from portal.extensions import db
from portal.group.forms import tristate_value
from portal.models import Position
from portal.orgs.forms import ConfirmForm
from portal.roles import forms, services
from rules import noc

bp = Blueprint("roles", __name__, url_prefix="/roles")


@bp.route("/")
@login_required
@tenancy.org_required
def index():
    org = tenancy.require_org()
    archived = request.args.get("archived") == "1"
    return render_template(
        "roles/index.html",
        positions=services.list_positions(org, archived=archived),
        archived=archived,
        confirm_form=ConfirmForm(),
    )


def _edit(position: Position | None):
    org = tenancy.require_org()
    form = forms.PositionForm(obj=position)
    if position is not None and not form.is_submitted():
        form.paid.data = tristate_value(position.paid)
    if form.validate_on_submit():
        position = services.save_position(org, form.data, actor=current_user, position=position)
        db.session.commit()
        flash(_("The role %(title)s is saved.", title=position.title), "success")
        return redirect(url_for("roles.index"))
    unit = noc.lookup(form.noc_code.data) if form.noc_code.data else None
    return (
        render_template("roles/edit.html", form=form, position=position, noc_unit=unit),
        400 if form.is_submitted() else 200,
    )


@bp.route("/new", methods=["GET", "POST"])
@login_required
@tenancy.org_required
def create():
    return _edit(None)


@bp.route("/<int:position_id>/edit", methods=["GET", "POST"])
@login_required
@tenancy.org_required
def edit(position_id: int):
    return _edit(tenancy.get_or_404(Position, position_id))


@bp.route("/<int:position_id>/archive", methods=["POST"])
@login_required
@tenancy.org_required
def archive(position_id: int):
    position = tenancy.get_or_404(Position, position_id)
    if ConfirmForm().validate_on_submit():
        archived = request.form.get("archived", "1") == "1"
        services.set_archived(tenancy.require_org(), position, archived, actor=current_user)
        db.session.commit()
        flash(_("The role is archived.") if archived else _("The role is restored."), "info")
    return redirect(url_for("roles.index"))


@bp.route("/noc")
@login_required
def noc_lookup():
    """As-you-type lookup in the 516 NOC 2021 unit groups (a NOC 2016 code shows its mapping)."""
    q = (request.args.get("q") or "").strip()
    results = []
    if len(q) == 4 and q.isdigit():
        results = [
            {"code": u.code, "title": u.title, "teer": u.teer, "from_2016": q} for u in noc.noc2016_to_2021(q)
        ]
    if q:
        results += [{"code": u.code, "title": u.title, "teer": u.teer} for u in noc.search(q, limit=15)]
    return jsonify(results=results[:20])
