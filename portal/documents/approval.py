"""The approved copy of a reviewed document: the reviewed PDF, an approval page, signed (PAdES)."""

from __future__ import annotations

import secrets
from datetime import UTC, datetime

from flask_babel import force_locale

from portal.documents import pdf, signing, store
from portal.documents.assembly import render_html
from portal.documents.errors import DocumentError
from portal.documents.lookups import folder, read_verified
from portal.extensions import db
from portal.i18n import gettext as _
from portal.messages import N_
from portal.models import Document, Organization, User


def approved_copy(
    document: Document,
    *,
    consultant: User,
    approved_at: datetime,
    reviewed_sha256: str,
    comment: str | None = None,
) -> tuple[str, str]:
    """Write the approved file of a review (call it after the review's flush: the file is removed again
    if the transaction does not commit): the reviewed PDF, exactly as stored and checked against
    ``reviewed_sha256``, then an approval page (who, CICC licence, when: in the organization's zone
    and in UTC, that hash), the whole signed with the portal's key (PAdES). Returns its store path and
    SHA-256."""
    if not consultant.cicc_licence:  # ``consult.services.review`` refuses such an approval first
        raise DocumentError(
            N_("An approval states the consultant's CICC licence number: this account has none.")
        )
    reviewed = read_verified(document, reviewed_sha256)
    lang = document.language
    # The reader sees the time in the organization's zone, like the portal's pages; the same instant in
    # UTC stays beside it, so the page's time compares with the signature's (UTC) without conversion.
    if approved_at.tzinfo is None:  # SQLite hands back naive values of aware columns: they are UTC
        approved_at = approved_at.replace(tzinfo=UTC)
    org = db.session.get(Organization, document.organization_id)
    approved_local = approved_at.astimezone(org.zone if org is not None else UTC)
    with force_locale(lang):  # the approval page is in the document's language, not the reviewer's
        title = {"support_letter": _("Support letter"), "packet": _("Offer-submission packet")}
        html = render_html(
            "documents/approval.html",
            lang,
            {
                "l": document.snapshot["letter"],
                "consultant_name": consultant.name,
                "consultant_licence": consultant.cicc_licence,
                "approved_at": approved_local,
                "approved_at_utc": approved_at.astimezone(UTC),
                "reviewed_sha256": reviewed_sha256,
                "title": title.get(document.kind, document.kind),
                "version": document.version,
                "comment": comment,
            },
        )
        reason = _(
            "Approved by %(name)s (CICC %(licence)s)",
            name=consultant.name,
            licence=consultant.cicc_licence,
        )
    page, _pages = pdf.renderer().render(html)
    signed = signing.sign(pdf.concatenate([reviewed, page]), name=consultant.name, reason=reason)
    relative = (
        f"{folder(document)}/approved/doc-{document.id}-{reviewed_sha256[:16]}-{secrets.token_hex(4)}.pdf"
    )
    store.write_for_transaction(db.session, relative, signed)
    return relative, store.sha256_bytes(signed)
