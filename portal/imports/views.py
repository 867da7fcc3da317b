"""Bulk import of roles and transferees: upload a CSV, see every row checked, then confirm."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, abort, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from portal import tenancy
from portal.clock import today
from portal.errors import translate
from portal.extensions import db
from portal.i18n import gettext as _
from portal.i18n import ngettext
from portal.imports import applying, forms, help, kinds, parsing, pending, table

bp = Blueprint("imports", __name__, url_prefix="/import")


def _kind_or_404(kind: str) -> kinds.Kind:
    found = kinds.get_kind(kind)
    if found is None:
        abort(404)
    return found


def _index(upload_forms: dict[str, Any] | None = None, status: int = 200) -> ResponseReturnValue:
    upload_forms = upload_forms or {}
    sections = [
        {
            "kind": kind,
            "form": upload_forms.get(name) or forms.UploadForm(formdata=None),
            "columns": help.column_help(kind),
        }
        for name, kind in kinds.KINDS.items()
    ]
    return render_template(
        "imports/index.html",
        kinds=sections,
        max_rows=table.MAX_ROWS,
        max_mb=table.MAX_BYTES // (1024 * 1024),
        separator=kinds.MULTI_SEPARATOR,
    ), status


@bp.route("/")
@tenancy.org_required
def index() -> ResponseReturnValue:
    return _index()


@bp.route("/<kind>/template.csv")
@tenancy.org_required
def template(kind: str) -> ResponseReturnValue:
    found = _kind_or_404(kind)
    note = _(kinds.EXAMPLE_NOTE)
    return Response(
        kinds.template_csv(found, on=today(), note=note),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{found.name}-template.csv"'},
    )


def _preview(parsed: parsing.Parsed, token: str | None, status: int) -> ResponseReturnValue:
    for row in parsed.rows:  # the rows' messages, in the reader's language
        row.errors = [(column, translate(message)) for column, message in row.errors]
    return render_template(
        "imports/preview.html",
        parsed=parsed,
        kind=parsed.kind,
        token=token,
        confirm_form=forms.ConfirmImportForm(formdata=None),
        upload_form=forms.UploadForm(formdata=None),
    ), status


@bp.route("/<kind>", methods=["POST"])
@tenancy.org_required
def upload(kind: str) -> ResponseReturnValue:
    found = _kind_or_404(kind)
    org = tenancy.require_org()
    form = forms.UploadForm()
    if not form.validate_on_submit():
        return _index({found.name: form}, 400)
    try:
        raw = table.read_upload(form.file.data)
        parsed = parsing.parse(found, raw, on=today())
    except table.ImportFileError as exc:
        form.file.errors = [*form.file.errors, str(exc)]
        return _index({found.name: form}, exc.status)
    parsing.mark_duplicates(org, parsed)
    if not parsed.valid:
        return _preview(parsed, None, 400)
    token = pending.store(org, current_user, found, raw, parsing.dump(parsed))
    return _preview(parsed, token, 200)


@bp.route("/<kind>/<token>/confirm", methods=["POST"])
@tenancy.org_required
def confirm(kind: str, token: str) -> ResponseReturnValue:
    found = _kind_or_404(kind)
    org = tenancy.require_org()
    confirm_form = forms.ConfirmImportForm()
    if not confirm_form.validate_on_submit():
        abort(400)
    claimed = pending.claim(org, current_user, found, token)
    if claimed is None:  # confirmed already (a second click, the back button), expired, or not this person's
        form = forms.UploadForm(formdata=None)
        form.file.errors = [
            _(
                "This import is no longer waiting for confirmation: it was confirmed already, or its preview "
                "expired. Check the list before uploading the file again."
            )
        ]
        return _index({found.name: form}, 404)
    try:
        parsed = pending.checked(
            found, claimed, on=today()
        )  # kept with the file: nothing is taken from the browser
        if not parsed.valid:
            pending.release(claimed, org, current_user, found, token)
            return _preview(parsed, None, 400)
        parsing.mark_duplicates(org, parsed)
        done = applying.import_rows(
            org, parsed, actor=current_user, on=today(), update_existing=confirm_form.update_existing.data
        )
        db.session.commit()
    except table.ImportFileError as exc:
        db.session.rollback()
        pending.release(claimed, org, current_user, found, token)
        form = forms.UploadForm(formdata=None)
        form.file.errors = [str(exc)]
        return _index({found.name: form}, exc.status)
    except Exception:
        db.session.rollback()  # one transaction: a failure leaves nothing behind
        pending.release(claimed, org, current_user, found, token)
        raise
    pending.discard(claimed)
    if found.name == "roles":
        message = ngettext("%(num)d role imported.", "%(num)d roles imported.", done.created)
    else:
        message = ngettext("%(num)d transferee imported.", "%(num)d transferees imported.", done.created)
        if done.updated:
            message += " " + ngettext(
                "%(num)d transferee already in the portal updated.",
                "%(num)d transferees already in the portal updated.",
                done.updated,
            )
        if done.skipped:
            message += " " + ngettext(
                "%(num)d transferee already in the portal left unchanged.",
                "%(num)d transferees already in the portal left unchanged.",
                done.skipped,
            )
        if done.jobs:
            message += " " + ngettext(
                "%(num)d job added to the employment history.",
                "%(num)d jobs added to the employment histories.",
                done.jobs,
            )
    flash(message, "success")
    if done.repeated:  # the same job of the same person again in the file: imported once
        flash(
            ngettext(
                "Row %(rows)s is not imported: an earlier row of the file gives the same job of the same person "
                "(same employer and start date).",
                "Rows %(rows)s are not imported: earlier rows of the file give the same jobs of the same people "
                "(same employer and start date).",
                len(done.repeated),
                rows=", ".join(str(n) for n in done.repeated),
            ),
            "warning",
        )
    return redirect(url_for(found.list_endpoint))
