from __future__ import annotations

import io
import logging
from typing import Any

from flask import (
    Blueprint,
    Response,
    abort,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_login import current_user
from sqlalchemy.orm import defer, joinedload
from sqlalchemy.sql.base import ExecutableOption

import rules
from portal import formrun, labels, tenancy
from portal.cases import lifecycle
from portal.clock import today
from portal.consult.display import version_state
from portal.consult.services import approval_in, reviews_by_document
from portal.documents import (
    ahead,
    content,
    editing,
    eligibility,
    forms,
    lookups,
    markup,
    rendering,
    requests,
    store,
    uploads,
)
from portal.documents.errors import DocumentError
from portal.forms_common import prefixed_texts
from portal.hashing import canonical_sha256
from portal.i18n import gettext as _
from portal.i18n import ngettext
from portal.models import Case, Document, DocumentStatus, EvidenceFile, ReviewDecision
from portal.models._types import utcnow
from portal.models.case import displayed_evidence
from portal.orgs.forms import ConfirmForm
from workers.tasks.documents import prepare_letter_soon, render_after_commit

log = logging.getLogger(__name__)
bp = Blueprint("documents", __name__)


def _checklist_rows(
    items: list[tuple[str, str]], evidence: list[EvidenceFile], *, filed: bool = False
) -> list[tuple[str, str, list[EvidenceFile], str]]:
    """Each checklist item with its files and where it stands, as the packet's checklist says it
    (``content.evidence_status``: the support letter answers some, filing the offer gives one, which
    ``filed`` says came)."""
    keys = dict(items)
    rows = []
    for key, text in items:
        files = [e for e in evidence if rules.evidence_item_of(e.item, keys) == key]
        rows.append((key, text, files, content.evidence_status(key, attached=bool(files), filed=filed)))
    return rows


def _unlisted(items: list[tuple[str, str]], evidence: list[EvidenceFile]) -> list[tuple[str, EvidenceFile]]:
    """The files uploaded for an item the checklist no longer lists (the case was re-assessed to another
    code since), with that item in the user's language: still the case's, and still annexed to its
    letters and packets, so shown where they can be downloaded or removed."""
    keys, lang, on = dict(items), labels.lang(), today()
    return [
        (rules.evidence_in(e.item, lang, on), e)
        for e in evidence
        if rules.evidence_item_of(e.item, keys) is None
    ]


def _checklist(case: Case) -> tuple[str | None, list[tuple[str, str]]]:
    """The case's route, and (key, text in the user's language) of each evidence item; the English text
    is the stable key."""
    route, local = displayed_evidence(case.assessment, labels.lang())
    english = local if labels.lang() == "en" else displayed_evidence(case.assessment, "en")[1]
    return route, list(zip(english, local or english, strict=False))


def _next_document(documents: list[Document]) -> dict[str, str]:
    """What the "Make a document" form offers first: the support letter in the reader's language for a
    case with no document yet; once a letter or a packet was made, the packet (a letter leads to it, and a
    packet sent back is made again), in the language of the latest document asked."""
    if not documents:
        return {"kind": "support_letter", "language": labels.lang()}
    latest = max(documents, key=lambda d: d.created_at)
    return {"kind": lifecycle.PACKET, "language": latest.language}


def _page(
    case: Case,
    request_form: forms.RequestDocumentForm | None = None,
    evidence_form: forms.EvidenceForm | None = None,
    status: int = 200,
) -> ResponseReturnValue:
    org = tenancy.require_org()
    documents = lookups.documents_of(case)
    if request_form is None:
        # the signatory as this person last signed here (or the letterhead's): a title is typed once
        name, title = lookups.remembered_signatory(org, current_user)
        request_form = forms.RequestDocumentForm(
            **_next_document(documents),
            signatory_name=name or current_user.name,
            signatory_title=title,
        )
    route, items = _checklist(case)
    # an LMIA case: the page says what to do instead (the fee and ESDC's page, as the rules give them)
    step = case.assessment_in(labels.lang()).get("employer_step") or {} if route == lifecycle.TFWP else {}
    evidence = lookups.evidence_of(case)
    language = request_form.language.data
    if (
        request.method == "GET"
        and tenancy.current_membership() is not None
        and not ahead.letter_made_since(case, language, documents, evidence)
    ):
        # the letter this form would ask for, rendered ahead of the click (ahead.py); its files are in it
        prepare_letter_soon(
            case,
            lang=language,
            actor=current_user,
            on=today(),
            signatory_name=request_form.signatory_name.data,
            signatory_title=request_form.signatory_title.data,
            state=tuple(e.id for e in evidence),
        )
    checklist = _checklist_rows(items, evidence, filed=bool(case.offer_number))
    if evidence_form is None:  # the upload offers the first item still missing (not the letter, Annex A)
        evidence_form = forms.EvidenceForm(items)
        evidence_form.item.data = next(
            (key for key, _t, _f, status in checklist if status == "missing"), None
        )
    reviews = reviews_by_document(documents)  # one query for every version's reviews
    packets = [d for d in documents if d.kind == lifecycle.PACKET]
    latest = max(packets, key=lambda d: d.version) if packets else None
    last_review = reviews[latest.id][-1] if latest is not None and reviews[latest.id] else None
    why_not = eligibility.no_documents(case.route)  # the request's own rule: the form only where it may pass
    # the latest version of each kind (the one a consultant can review, consult.services.newer_version): only
    # it says what to complete before sending it (every older version repeated "Complete the letter, then make
    # a new version", tour)
    newest: dict[str, Document] = {}
    for d in documents:
        if d.kind not in newest or d.version > newest[d.kind].version:
            newest[d.kind] = d
    approvals = {d.id: approval_in(d, reviews[d.id]) for d in documents}
    return render_template(
        "documents/case_documents.html",
        case=case,
        route=route,
        no_documents=_(why_not) if why_not is not None else None,
        tfwp_fee=step.get("fee_cad"),
        tfwp_source=step.get("esdc") or step.get("source"),
        documents=documents,
        request_form=request_form,
        evidence_form=evidence_form,
        evidence=evidence,
        checklist=checklist,
        unlisted=_unlisted(items, evidence),
        item_text=dict(items),
        confirm_form=ConfirmForm(),
        approvals=approvals,
        # a version sent back says so beside its status (ready: the file is made, not accepted)
        returned={d.id for d in documents if version_state(reviews[d.id]) == ReviewDecision.RETURNED},
        # what its letter leaves to complete, beside the latest version of its kind unless it is approved (an
        # approved packet read "Do not send it as it is", tour)
        gaps={
            d.id: content.gaps_to_show(d.letter_gaps)
            for d in documents
            if d.letter_gaps and newest[d.kind] is d and not approvals[d.id]
        },
        # an older version that was incomplete says at most that a newer one replaces it
        superseded={
            d.id: newest[d.kind]
            for d in documents
            if d.letter_gaps and newest[d.kind] is not d and not approvals[d.id]
        },
        waiting={d.id: note for d in documents if (note := _waiting(d)) is not None},
        failure=_failure(),
        gap_marker=content.gap_marker,
        last_reviews=[last_review],
    ), status


def _with_person_and_role() -> tuple[ExecutableOption, ...]:
    """The documents page's case: with its person and role (the page's title), its statement built once."""
    return joinedload(Case.transferee), joinedload(Case.position)


@bp.route("/cases/<int:case_id>/documents", methods=["GET", "POST"])
@tenancy.case_access_required
def case_documents(case_id: int) -> ResponseReturnValue:
    case = tenancy.get_or_404(Case, case_id, loads=_with_person_and_role)
    if request.method == "GET":
        return _page(case)
    if tenancy.current_membership() is None:  # consultants review; the employer requests documents
        abort(404)
    form = forms.RequestDocumentForm()
    if form.validate_on_submit():

        def request_document() -> requests.Asked:
            asked = requests.ask_for_document(
                case,
                tenancy.require_org(),
                kind=form.kind.data,
                lang=form.language.data,
                actor=current_user,
                on=today(),
                signatory_name=form.signatory_name.data,
                signatory_title=form.signatory_title.data,
            )
            if not asked.unchanged:
                lifecycle.record_stage(case, tenancy.require_org(), actor=current_user, on=today())
                render_after_commit([asked.document.id])
            return asked

        response = formrun.submit(
            request_document,
            then=lambda asked: _say_requested(asked, case),
            redirect_to=lambda asked: (
                url_for("documents.case_documents", case_id=case.id) + f"#document-{asked.document.id}"
            ),
            form=form,
            errors=DocumentError,
        )
        if response is not None:
            return response
    return _page(case, request_form=form, status=400)


def _say_requested(asked: requests.Asked, case: Case) -> None:
    """Flash what was asked for, then, for a new French document of a role whose job title or duties
    have no French version, that it gives them as typed (in English): a French letter read "occupera le
    poste de Senior Data Engineer" and quoted the duties in English, and nothing said why (tour)."""
    flash(_requested_message(asked), "success")
    position = case.position
    if (
        not asked.unchanged
        and asked.document.language == "fr"
        and (not position.title_fr or (position.duties and not position.duties_fr))
    ):
        flash(
            _(
                "The role has no French job title or duties: this French document gives them as typed. "
                "Add them on the role's page, under “Job title and duties in French”, then make a new "
                "version."
            ),
            "warning",
        )
    # the same for the duties of a job abroad typed without a French version (employment_records.duties_fr)
    if (
        not asked.unchanged
        and asked.document.language == "fr"
        and any(job.duties and not job.duties_fr for job in case.transferee.employment)
    ):
        flash(
            _(
                "A job of the employment history has no French duties: this French document quotes them as "
                "typed. Add them on the transferee's form, under “Duties in French”, then make a new version."
            ),
            "warning",
        )


def _requested_message(asked: requests.Asked) -> str:
    document = asked.document
    kind, lang = labels.DOCUMENT_KIND[document.kind], document.language.upper()
    if asked.unchanged:
        return _(
            "Nothing has changed since %(kind)s (%(lang)s) version %(version)d was asked for: that "
            "version is the one to use, and no new one was made. Change the case, its letter or its "
            "evidence first to get a new version.",
            kind=kind,
            lang=lang,
            version=document.version,
        )
    return _(
        "Requested: %(kind)s (%(lang)s), version %(version)d. It shows under Versions with its "
        "progress, and can be downloaded once it is ready.",
        kind=kind,
        lang=lang,
        version=document.version,
    )


def _waiting(document: Document) -> str | None:
    """What a document queued for a minute or more tells its reader (the page and its progress script)."""
    minutes = rendering.minutes_queued(document, utcnow())
    if minutes is None:
        return None
    return ngettext(
        "Waiting for %(num)d minute: the document service is busy or stopped. The request is kept and the document is made as soon as it can be; this page shows it then.",
        "Waiting for %(num)d minutes: the document service is busy or stopped. The request is kept and the document is made as soon as it can be; this page shows it then.",
        minutes,
    )


def _failure() -> str:
    """What a failed version tells its reader; the error itself (an exception's name and text, for whoever
    runs the portal) is shown under "Technical details"."""
    return _(
        "The document could not be made: the portal met an error. Ask for it again with Retry; if it "
        "fails again, give the technical details below to whoever runs the portal."
    )


def _status(document: Document) -> dict[str, Any]:
    return {
        "id": document.id,
        "status": document.status,
        "waiting": _waiting(document),
        "version": document.version,
        "kind": document.kind,
        "language": document.language,
        "pages": document.page_count,
        "size": document.size_bytes,
        "sha256": document.pdf_sha256,
        "error": document.error,
        "failure": _failure() if document.status == DocumentStatus.FAILED else None,
        "download": url_for("documents.download", document_id=document.id)
        if document.status == DocumentStatus.READY
        else None,
        "retry": url_for("documents.retry", document_id=document.id)
        if document.status == DocumentStatus.FAILED
        else None,
    }


def _letter_page(
    case: Case, lang: str, texts: dict[str, str] | None = None, status: int = 200
) -> ResponseReturnValue:
    org = tenancy.require_org()
    try:
        letter = editing.draft(case, org, lang=lang, actor=current_user, on=today())
    except editing.EditError as exc:
        flash(str(exc), "warning")
        return redirect(url_for("documents.case_documents", case_id=case.id))
    if request.method == "GET" and tenancy.current_membership() is not None:
        # the letter as the documents page's form would ask for it in this language, with these sections
        prepare_letter_soon(
            case,
            lang=lang,
            actor=current_user,
            on=today(),
            signatory_name=org.signatory_name or current_user.name,
            signatory_title=org.signatory_title,
            state=(canonical_sha256(letter["sections"]),),
        )
    # The consultant's comments on this letter's sections, when the latest packet in this language was returned.
    packet = lifecycle.packet_states([case.id]).get(case.id)
    returned = (
        {
            str(c["section"]).removeprefix("letter:"): c["text"]
            for c in packet.comments
            if str(c["section"]).startswith("letter:")
        }
        if packet is not None and packet.decision == ReviewDecision.RETURNED and packet.language == lang
        else {}
    )
    return render_template(
        "documents/letter_edit.html",
        case=case,
        lang=lang,
        letter=letter,
        returned=returned,
        texts=texts or {},
        form=ConfirmForm(),
        history=editing.history(case, lang),
        markup=markup.to_html,
    ), status


@bp.route("/cases/<int:case_id>/letter/<lang>", methods=["GET", "POST"])
@tenancy.case_access_required
def edit_letter(case_id: int, lang: str) -> ResponseReturnValue:
    """The letter's sections, each in a text box: the employer, or an engaged consultant on a case in
    scope, types over the generated draft before the letter is made and signed."""
    case = tenancy.get_or_404(Case, case_id)
    if lang not in ("en", "fr"):
        abort(404)
    if request.method == "GET":
        return _letter_page(case, lang)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    texts = prefixed_texts(request.form, "section-")  # typed text: without invisible characters
    return formrun.submit(
        lambda: editing.save(
            case, tenancy.require_org(), lang=lang, texts=texts, actor=current_user, on=today()
        ),
        then=lambda saved: flash(
            _("The letter is saved: make it again to see it in the PDF.") if saved else _("Nothing changed."),
            "success" if saved else "info",
        ),
        redirect_to=url_for("documents.edit_letter", case_id=case.id, lang=lang),
        errors=editing.EditError,
        error_category="danger",
        refused=lambda _exc: _letter_page(case, lang, texts=texts, status=400),
    )


def _without_snapshot() -> tuple[ExecutableOption, ...]:
    """A document's status: not its frozen input (kB of JSON)."""
    return (defer(Document.snapshot),)


@bp.route("/documents/<int:document_id>/status")
@tenancy.case_access_required
def status(document_id: int) -> ResponseReturnValue:
    return jsonify(_status(tenancy.get_or_404(Document, document_id, loads=_without_snapshot)))


def _send_pdf(document_id: int, *, as_attachment: bool) -> Response:
    """The stored PDF of a ready document (409 before it is ready), read back against its hash: a file
    missing or changed on disk is a logged 500, never a wrong PDF."""
    document = tenancy.get_or_404(Document, document_id)
    if document.status != DocumentStatus.READY:
        abort(not_ready(document))
    try:
        data = lookups.read_verified(document)
    except (DocumentError, OSError):
        log.error("Document %s: stored file missing or not matching its hash", document.id)
        abort(500)
    return send_file(
        io.BytesIO(data),
        mimetype="application/pdf",
        as_attachment=as_attachment,
        download_name=lookups.download_name(document),
    )


def not_ready(document: Document) -> Response:
    """The page (409) of a PDF, or of its review, asked for before it is ready (a second tab, a link kept
    from an earlier visit, a review page's "Superseded by version 2", the worker stopped): what is happening and the way to the document's row, where it can be
    downloaded once ready, or asked for again. It said "Bad request: the request could not be
    understood. Check what you entered", as if the person had typed something wrong."""
    if document.status == DocumentStatus.FAILED:
        text = _(
            "This document could not be made. Its case's documents page says why and lets you ask for it again."
        )
    else:
        text = _("This document is still being made. Its case's documents page shows when it is ready.")
    page = render_template(
        "errors/error.html",
        code=409,
        title=_("Not ready yet"),
        text=text,
        detail=None,
        back=url_for("documents.case_documents", case_id=document.case_id) + f"#document-{document.id}",
        back_label=_("Open the case's documents"),
    )
    return Response(page, status=409, mimetype="text/html")


@bp.route("/documents/<int:document_id>/download")
@tenancy.case_access_required
def download(document_id: int) -> ResponseReturnValue:
    return _send_pdf(document_id, as_attachment=True)


# The PDF shown inside the review page: the browser's own viewer in a same-origin frame. Only this
# route may be framed, and only by the portal's own pages.
INLINE_CSP = "default-src 'none'; frame-ancestors 'self'"


@bp.route("/documents/<int:document_id>/pdf")
@tenancy.case_access_required
def inline(document_id: int) -> ResponseReturnValue:
    response = _send_pdf(document_id, as_attachment=False)
    response.headers["Content-Security-Policy"] = INLINE_CSP
    response.headers["X-Frame-Options"] = "SAMEORIGIN"
    return response


@bp.route("/documents/<int:document_id>/retry", methods=["POST"])
@tenancy.org_required
def retry(document_id: int) -> ResponseReturnValue:
    document = tenancy.get_or_404(Document, document_id)
    back = url_for("documents.case_documents", case_id=document.case_id) + f"#document-{document.id}"
    if ConfirmForm().validate_on_submit():

        def retry_document() -> None:
            requests.retry(document, actor=current_user)
            lifecycle.record_stage(document.case, tenancy.require_org(), actor=current_user, on=today())
            render_after_commit([document.id])

        return formrun.submit(
            retry_document, redirect_to=back, errors=DocumentError, error_category="warning"
        )
    return redirect(back)


@bp.route("/cases/<int:case_id>/evidence", methods=["POST"])
@tenancy.org_required
def upload_evidence(case_id: int) -> ResponseReturnValue:
    case = tenancy.get_or_404(Case, case_id)
    form = forms.EvidenceForm(_checklist(case)[1])
    if form.validate_on_submit():
        response = formrun.submit(
            lambda: uploads.add_evidence(
                case,
                tenancy.require_org(),
                item=form.item.data,
                filename=form.file.data.filename,
                data=form.file.data.read(),
                actor=current_user,
            ),
            message=_("The file is attached to the checklist."),
            redirect_to=url_for("documents.case_documents", case_id=case.id) + "#evidence",
            form=form,
            errors=DocumentError,
        )
        if response is not None:
            return response
    return _page(case, evidence_form=form, status=400)


@bp.route("/evidence/<int:evidence_id>/download")
@tenancy.case_access_required
def download_evidence(evidence_id: int) -> ResponseReturnValue:
    """An uploaded evidence file as it was uploaded, read back against its hash (tour of 2026-12-06: the
    checklist named the file and nothing opened it)."""
    evidence = tenancy.get_or_404(EvidenceFile, evidence_id)
    try:
        data = store.read_verified(evidence.storage_path, evidence.sha256)
    except (store.StoredFileMismatch, OSError):
        log.error("Evidence %s: stored file missing or not matching its hash", evidence.id)
        abort(500)
    mimetype = EVIDENCE_MIMETYPES.get(evidence.content_type, "application/octet-stream")
    return send_file(
        io.BytesIO(data),
        mimetype=mimetype,
        as_attachment=True,
        download_name=lookups.evidence_download_name(evidence),
    )


# What an upload was found to be by its content (uploads.sniff), as a media type.
EVIDENCE_MIMETYPES = {"pdf": "application/pdf", "png": "image/png", "jpeg": "image/jpeg"}


@bp.route("/evidence/<int:evidence_id>/remove", methods=["POST"])
@tenancy.org_required
def remove_evidence(evidence_id: int) -> ResponseReturnValue:
    evidence = tenancy.get_or_404(EvidenceFile, evidence_id)
    back = url_for("documents.case_documents", case_id=evidence.case_id) + "#evidence"
    if ConfirmForm().validate_on_submit():
        filename = evidence.filename
        return formrun.submit(
            lambda: uploads.remove_evidence(evidence, tenancy.require_org(), actor=current_user),
            message=_("%(file)s is removed from the evidence checklist.", file=filename),
            category="info",
            redirect_to=back,
            errors=DocumentError,
            error_category="info",
        )
    return redirect(back)


@bp.route("/org/letterhead", methods=["GET", "POST"])
@tenancy.owner_required
def letterhead() -> ResponseReturnValue:
    org = tenancy.require_org()
    form = forms.LetterheadForm(obj=org)
    if form.validate_on_submit():
        upload = form.logo.data
        response = formrun.submit(
            lambda: uploads.save_letterhead(
                org,
                logo=upload.read() if upload else None,
                signatory_name=form.signatory_name.data,
                signatory_title=form.signatory_title.data,
                actor=current_user,
            ),
            message=_("The letterhead is saved."),
            redirect_to=url_for("orgs.show"),
            form=form,
            errors=DocumentError,
        )
        if response is not None:
            return response
    return formrun.form_page("documents/letterhead.html", form, org=org)
