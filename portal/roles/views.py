from __future__ import annotations

from flask import Blueprint, jsonify, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from portal import confirm, formrun, labels, tenancy
from portal.cases.changes import facts_changed
from portal.clock import today
from portal.group.forms import tristate_value
from portal.i18n import gettext as _
from portal.i18n import semicolons
from portal.models import Position
from portal.orgs.forms import ConfirmForm
from portal.roles import forms, services
from rules import noc

bp = Blueprint("roles", __name__, url_prefix="/roles")


@bp.route("/")
@tenancy.org_required
def index() -> ResponseReturnValue:
    org = tenancy.require_org()
    archived = request.args.get("archived") == "1"
    return render_template(
        "roles/index.html",
        positions=services.list_positions(org, archived=archived),
        archived=archived,
        confirm_form=ConfirmForm(),
    )


@tenancy.record_form(bp, Position, "position_id")  # roles.create, roles.edit
def _edit(position: Position | None) -> ResponseReturnValue:
    org = tenancy.require_org()
    form = forms.PositionForm(obj=position)
    if position is not None and not form.is_submitted():
        form.paid.data = tristate_value(position.paid)

    def save() -> Position:
        saved = services.save_position(org, form.data, actor=current_user, position=position)
        facts_changed(org, position=saved, on=today())  # the cases of this role
        return saved

    def page() -> ResponseReturnValue:
        noc.warm_in_background()  # the job-title lookup's index, ready before the user types
        unit = noc.lookup(form.noc_code.data) if form.noc_code.data else None
        summary = _summary(unit, labels.lang()) if unit else ""
        filed = services.filed_cases(org, position) if position is not None else []
        return formrun.form_page(
            "roles/edit.html", form, position=position, noc_unit=unit, noc_summary=summary, filed=filed
        )

    return formrun.run(
        form,
        save,
        message=lambda saved: _("The role %(title)s is saved.", title=saved.title),
        redirect_to=url_for("roles.index"),
        page=page,
    )


@bp.route("/<int:position_id>/archive", methods=["POST"])
@tenancy.org_required
def archive(position_id: int) -> ResponseReturnValue:
    position = tenancy.get_or_404(Position, position_id)
    if ConfirmForm().validate_on_submit():
        archived = request.form.get("archived", "1") == "1"
        if archived and not confirm.confirmed():
            return confirm.ask(
                title=_("Archive a role"),
                message=_(
                    "Archive the role %(title)s? It leaves the list of roles; you can restore it from"
                    " the archived roles.",
                    title=position.title,
                ),
                action=url_for("roles.archive", position_id=position.id),
                button=_("Archive"),
                cancel=url_for("roles.index"),
                fields={"archived": "1"},
            )
        return formrun.submit(
            lambda: services.set_archived(tenancy.require_org(), position, archived, actor=current_user),
            message=_("The role is archived.") if archived else _("The role is restored."),
            category="info",
            redirect_to=url_for("roles.index"),
        )
    return redirect(url_for("roles.index"))


def _summary(unit: noc.NocUnit, lang: str) -> str:
    """One line about the unit group: Statistics Canada's lead statement (English only), else
    three of its example titles."""
    if lang == "en" and unit.summary:
        return unit.summary
    return _("Examples: %(titles)s", titles=semicolons(noc.examples(unit.code, lang)[:3], lang))


@bp.route("/noc")
def noc_lookup() -> ResponseReturnValue:
    """As-you-type lookup: job titles people use (Statistics Canada's example titles, English and
    French), unit-group titles, NOC 2021 codes, and NOC 2016 codes mapped to NOC 2021."""
    q = (request.args.get("q") or "").strip()[:100]
    lang = labels.lang()
    results = []
    for m in noc.find(q, lang=lang, limit=15):
        results.append(
            {
                "code": m.unit.code,
                "title": m.unit.title_in(lang),
                "teer": m.unit.teer,
                "matched": m.matched if m.matched != m.unit.title_in(lang) else "",
                "summary": _summary(m.unit, lang),
                "from_2016": q if len(q) == 4 and q.isdigit() and not m.unit.code.startswith(q) else None,
            }
        )
    return jsonify(results=results)
