from __future__ import annotations

from datetime import date
from typing import Any

from flask import Blueprint, flash, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user
from sqlalchemy.orm import defer, joinedload
from sqlalchemy.sql.base import ExecutableOption

from portal import formrun, labels, tenancy
from portal.cases import decision, display, forms, lifecycle, services
from portal.cases.answers import WIDGETS
from portal.cases.durations import duration_lines
from portal.cases.facts import enterprise_for
from portal.cases.labels import STAGE_BADGE, STAGE_LABELS, business_size_line, decision_text
from portal.clock import today
from portal.errors import translate
from portal.forms_common import stripped_form
from portal.group.services import list_enterprises
from portal.i18n import gettext as _
from portal.models import CASE_STATUSES, Case, EmploymentRecord, Transferee
from portal.people.services import list_transferees
from portal.roles.services import list_positions
from rules.fields import BY_PATH

bp = Blueprint("cases", __name__, url_prefix="/cases")

LEGACY_CODES_UNTIL = date(2022, 12, 15)  # the codes' former numbers (T24 for T37) were used until then
PER_PAGE = 50  # cases on a page of the list
MAX_PAGE = 1_000_000  # a larger page number is no page: the first one


@bp.route("/")
@tenancy.case_access_required
def index() -> ResponseReturnValue:
    org = tenancy.require_org()
    status = request.args.get("status") if request.args.get("status") in CASE_STATUSES else None
    code = (request.args.get("code") or "").strip().upper() or None
    questions = {"yes": True, "no": False}.get(request.args.get("questions", ""))
    access = tenancy.current_access()
    scope = access.case_ids if access else None
    stage = request.args.get("stage") if request.args.get("stage") in STAGE_LABELS else None
    page_number = request.args.get("page", 1, type=int)
    listing = services.case_page(
        org,
        on=today(),
        page=page_number if 1 <= page_number <= MAX_PAGE else 1,
        per_page=PER_PAGE,
        stage=stage,
        status=status,
        code=code,
        open_questions=questions,
        case_ids=scope,
    )
    codes = services.codes_in_use(org, case_ids=scope)
    filters = {
        k: v
        for k, v in {
            "stage": stage,
            "status": status,
            "code": code,
            "questions": request.args.get("questions"),
        }.items()
        if v
    }
    return render_template(
        "cases/index.html",
        cases=listing.cases,
        listing=listing,
        filters=filters,
        status=status,
        stage=stage,
        stages=listing.stages,
        code=code,
        questions=request.args.get("questions", ""),
        codes=codes,
    )


@bp.route("/new", methods=["GET", "POST"])
@tenancy.org_required
def create() -> ResponseReturnValue:
    org = tenancy.require_org()
    form = forms.CaseForm(list_transferees(org), list_positions(org), list_enterprises(org))
    if request.method == "GET":
        form.transferee_id.data = request.args.get("transferee_id", form.transferee_id.data)
        form.position_id.data = request.args.get("position_id", form.position_id.data)
    if form.validate_on_submit():
        response = formrun.submit(
            lambda: services.create_case(org, form.data, actor=current_user, on=today()),
            redirect_to=_opened,
            form=form,
            errors=services.CaseError,
        )
        if response is not None:
            return response
        if form.again.errors:  # the box is offered: the form knows which cases it is offered beside
            form.beside.data = services.beside_value(org, form.data)
    return formrun.form_page("cases/new.html", form)


def _opened(case: Case) -> str:
    """The new case's page; with a word when the person already had a case for this role (a second one
    is allowed: a new assignment, a renewal)."""
    others = services.same_person_and_role(case)
    if others:
        flash(
            _(
                "%(name)s already has a case for this role (case %(ids)s): this is a new one, beside it. Open the other from the case list if you meant to continue it.",
                name=case.transferee.full_name,
                ids=", ".join(str(i) for i in others),
            ),
            "warning",
        )
    return url_for("cases.show", case_id=case.id)


def _show(
    case: Case, answers: dict[str, Any] | None = None, errors: dict[str, str] | None = None, status: int = 200
) -> ResponseReturnValue:
    lang = labels.lang()
    assessment = case.assessment_in(lang)
    access = tenancy.current_access()
    given = services.given_answers(case, access.organization) if access and access.membership else []
    packet = lifecycle.packet_states([case.id]).get(case.id)
    return render_template(
        "cases/show.html",
        case=case,
        stage=lifecycle.derive(case, packet, on=today()),
        packet=packet,
        a=assessment,
        ict_blocked=display.codes_failing_on(assessment, display.FOREIGN_NOT_DOING_BUSINESS),
        enterprise=enterprise_for(case) if tenancy.current_membership() is not None else None,
        shown=display.case_parts(
            case,
            assessment,
            lang,
            answers=answers or {},
            errors=errors or {},
            drawn_from=display.stored_digest(case.assessment),
        ),
        errors=errors or {},
        answers=answers or {},
        given_answers=given,
        passport_before_start=services.passport_before_start(case, assessment),
        fields=BY_PATH,
        widgets=WIDGETS,
    ), status


@bp.route("/<int:case_id>")
@tenancy.case_access_required
def show(case_id: int) -> ResponseReturnValue:
    # The page reads the assessment, not the facts it was made from; the answers given before are read
    # for an employer's user only (they are changed here; a consultant does not see the form).
    return _show(tenancy.get_or_404(Case, case_id, loads=_page_loads))


def _page_loads() -> tuple[ExecutableOption, ...]:
    """The case page's case: with its person and role, without the facts it was assessed from (its
    statement built once)."""
    return (
        # the answers given on the group company (services.given_answers): the case's, else the one of
        # the worker's latest job abroad (facts.enterprise_for), the jobs and their companies in one read
        joinedload(Case.transferee)
        .selectinload(Transferee.employment)
        .joinedload(EmploymentRecord.foreign_enterprise),
        joinedload(Case.position),
        joinedload(Case.foreign_enterprise),
        defer(Case.facts_snapshot),
    )


@bp.route("/<int:case_id>/answers", methods=["POST"])
@tenancy.org_required
def answer(case_id: int) -> ResponseReturnValue:
    # CSRFProtect checks the token of this form too (it is built from the open questions, not a class).
    org = tenancy.require_org()
    case = tenancy.get_or_404(Case, case_id)
    posted = stripped_form(request.form)  # typed answers: without invisible characters, trimmed
    given = services.given_answer_values(case, org, posted)
    raw = {**services.open_question_values(case, posted), **given}
    return formrun.submit(
        lambda: services.answer_from_form(case, org, raw, actor=current_user, on=today(), given=given),
        message=_("Answers saved; the case is re-assessed."),
        redirect_to=url_for("cases.show", case_id=case.id) + "#questions",
        errors=services.AnswersRefused,
        refused=lambda exc: _show(case, answers=raw, errors=_translated(exc), status=400),
    )


def _translated(exc: Exception) -> dict[str, str]:
    return {path: translate(message) for path, message in getattr(exc, "errors", {}).items()}


@bp.route("/<int:case_id>/code", methods=["POST"])
@tenancy.org_required
def choose_code(case_id: int) -> ResponseReturnValue:
    case = tenancy.get_or_404(Case, case_id)
    return formrun.submit(
        lambda: services.choose_code(
            case, tenancy.require_org(), request.form.get("code") or None, actor=current_user
        ),
        message=lambda _none: _("The case will be filed under %(code)s.", code=case.filing_code),
        redirect_to=url_for("cases.show", case_id=case.id),
        errors=services.CaseError,
        refused=lambda exc: _show(case, errors={"code": str(exc)}, status=400),
    )


@bp.app_context_processor
def inject_stages() -> dict[str, Any]:
    return {
        "CaseStage": lifecycle.CaseStage,
        "stage_labels": STAGE_LABELS,
        "stage_badges": STAGE_BADGE,
        "decide": decision.decide,
        # the day the exemption codes were renumbered (a name, not a constant: Jinja would format a
        # constant's date once, in the language of the page that compiled the template)
        "LEGACY_CODES_UNTIL": LEGACY_CODES_UNTIL,
        "decision_text": decision_text,
        "DecisionKind": decision.DecisionKind,
        "duration_lines": duration_lines,
        "business_size_line": business_size_line,
    }
