"""Files the employer uploads: the letterhead's logo and the evidence files of a case. Services flush.

A file's type is read from its content, never its name; images are re-encoded (and refused when
damaged or too large in pixels); a file is written only after its row, and removed again if the
transaction rolls back.
"""

from __future__ import annotations

import io
import secrets
import warnings

from pikepdf import PasswordError, Pdf, PdfError
from PIL import Image, UnidentifiedImageError

from portal import audit
from portal.documents import lookups, store
from portal.documents.errors import DocumentError
from portal.extensions import db
from portal.messages import N_
from portal.models import Case, EvidenceFile, Organization, User
from portal.tenancy import hold_if_there

LOGO_MAX_BYTES = 1024 * 1024
EVIDENCE_MAX_BYTES = 10 * 1024 * 1024
# The packet appends an evidence PDF's pages and numbers every page of the whole file: a 47 kB PDF of
# 5,000 blank pages held a worker 7 s, one of 50,000 (480 kB) more than five minutes, and the 10 MB
# allowed holds a million. No evidence item needs more than this.
EVIDENCE_MAX_PAGES = 300
# Pixels as well as bytes: a packet page holds the image unpacked (a 144-megapixel scan took a render
# to 430 MB); 40 megapixels is more than any phone camera or 600 dpi scan of a letter-size page.
IMAGE_MAX_PIXELS = 40_000_000


def sniff(data: bytes) -> str | None:
    """The file type by its content (never by its name): pdf, png or jpeg."""
    if data.startswith(b"%PDF-"):
        return "pdf"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if data.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    return None


def _open_image(data: bytes, field: str | None) -> Image.Image:
    """The image, refused with a message when it is damaged or has more than IMAGE_MAX_PIXELS pixels
    (checked from its header, before a byte of it is unpacked: a 190 KB PNG can hold 196 megapixels)."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise DocumentError(_too_many_pixels(None), field) from None
    except (UnidentifiedImageError, OSError, ValueError) as exc:
        raise DocumentError(N_("The image could not be read."), field) from exc
    if image.width * image.height > IMAGE_MAX_PIXELS:
        image.close()
        raise DocumentError(_too_many_pixels((image.width, image.height)), field)
    return image


def _too_many_pixels(size: tuple[int, int] | None) -> str:
    limit = IMAGE_MAX_PIXELS // 1_000_000
    if size is None:
        return N_(
            "The image has too many pixels: images up to %(max)s megapixels are accepted. "
            "Save it at a lower resolution and upload it again.",
            max=limit,
        )
    return N_(
        "The image is %(width)s × %(height)s pixels (%(mp)s megapixels): images up to %(max)s megapixels "
        "are accepted. Save it at a lower resolution and upload it again.",
        width=size[0],
        height=size[1],
        mp=round(size[0] * size[1] / 1_000_000),
        max=limit,
    )


DAMAGED_IMAGE = N_(
    "The image is damaged or incomplete (cut short or changed in its upload or copy): open it, save or "
    "export it again, then upload the new file."
)


def _reencode_image(data: bytes, max_side: int | None = None, field: str | None = None) -> bytes:
    """The image as a PNG of its own pixels (no metadata), after a check of the whole file: WeasyPrint,
    once imported, lets Pillow load a truncated image (``ImageFile.LOAD_TRUNCATED_IMAGES``, a global it
    sets), which ``load`` then completes with grey. So a PNG is verified first (every chunk and its
    checksum, to the end chunk: ``verify``, after which the image is opened again), and a JPEG whose data
    ended before its end marker (Pillow then adds the marker and sets ``_ended``) is refused."""
    try:
        with _open_image(data, field) as image:
            image.verify()  # PNG: chunks and checksums to IEND (a JPEG's verify checks nothing)
        with _open_image(data, field) as image:
            image.load()
            if getattr(image, "_ended", False):  # JPEG: its data ran out before the end marker
                raise DocumentError(DAMAGED_IMAGE, field)
            if max_side:
                image.thumbnail((max_side, max_side))
            out = io.BytesIO()
            image.convert("RGBA" if image.mode in ("RGBA", "LA", "P") else "RGB").save(out, format="PNG")
            return out.getvalue()
    except DocumentError:
        raise
    except UnidentifiedImageError as exc:
        raise DocumentError(N_("The image could not be read."), field) from exc
    # a PNG's broken chunk is a SyntaxError in Pillow (it was a 500); a cut file an OSError
    except (OSError, ValueError, SyntaxError, EOFError) as exc:
        raise DocumentError(DAMAGED_IMAGE, field) from exc


def save_letterhead(
    org: Organization,
    *,
    logo: bytes | None,
    signatory_name: str | None,
    signatory_title: str | None,
    actor: User,
) -> None:
    """``logo``: the bytes of the file chosen, None when none was (an empty file is refused: it was
    taken for no file, and the page said the letterhead was saved without the logo the owner chose)."""
    if logo is not None:
        if not logo:
            raise DocumentError(N_("The file is empty."), "logo")
        if len(logo) > LOGO_MAX_BYTES:
            raise DocumentError(N_("The logo is larger than 1 MB."), "logo")
        if sniff(logo) not in ("png", "jpeg"):
            raise DocumentError(N_("The logo must be a PNG or JPEG image."), "logo")
        png = _reencode_image(logo, max_side=800, field="logo")
        relative = f"org-{org.id}/letterhead/logo-{store.sha256_bytes(png)[:16]}.png"
        org.logo_path, org.logo_sha256 = relative, store.sha256_bytes(png)
        db.session.flush()
        store.write_for_transaction(db.session, relative, png)  # removed again if the save rolls back
    org.signatory_name = signatory_name or None
    org.signatory_title = signatory_title or None
    audit.record(
        lookups.LETTERHEAD_SAVED,
        actor=actor,
        organization=org,
        obj=org,
        data={"logo_sha256": org.logo_sha256, "signatory": org.signatory_name},
    )


def add_evidence(
    case: Case, org: Organization, *, item: str, filename: str, data: bytes, actor: User
) -> EvidenceFile:
    if not data:
        raise DocumentError(N_("The file is empty."), "file")
    if len(data) > EVIDENCE_MAX_BYTES:
        raise DocumentError(N_("The file is larger than 10 MB."), "file")
    kind = sniff(data)
    if kind is None:
        raise DocumentError(
            N_("Only PDF, PNG and JPEG files are accepted (checked by their content, not their name)."),
            "file",
        )
    if kind in ("png", "jpeg"):
        _reencode_image(data, field="file")  # refuses a damaged image now rather than at packet time
    else:
        _check_pdf(data)
    digest = store.sha256_bytes(data)
    # A name of its own per upload: a refused upload never removes the file of an accepted one.
    relative = f"org-{org.id}/case-{case.id}/evidence/{digest[:24]}-{secrets.token_hex(4)}.{kind}"
    evidence = EvidenceFile(
        organization_id=org.id,
        case_id=case.id,
        item=item[:300],
        filename=lookups.clean_evidence_name(filename, kind),  # as shown and saved: no control characters
        content_type=kind,
        size_bytes=len(data),
        sha256=digest,
        storage_path=relative,
        uploaded_by_id=actor.id,
    )
    db.session.add(evidence)
    db.session.flush()  # the row first: a refused insert leaves no file
    store.write_for_transaction(db.session, relative, data)  # removed again if the upload rolls back
    audit.record(
        "evidence.uploaded",
        actor=actor,
        organization=org,
        obj=evidence,
        data={"case_id": case.id, "item": item, "sha256": digest},
    )
    return evidence


def _check_pdf(data: bytes) -> None:
    """Refuse now a PDF the packet could not take in later: unreadable, locked by a password, or
    without a page (read with qpdf, as the packet's merge reads it)."""
    try:
        with Pdf.open(io.BytesIO(data)) as pdf:
            pages = len(pdf.pages)
    except PasswordError as exc:
        raise DocumentError(
            N_("The PDF is protected by a password: upload a copy without one."), "file"
        ) from exc
    except (PdfError, ValueError, OSError) as exc:
        raise DocumentError(N_("The PDF could not be read."), "file") from exc
    if pages == 0:
        raise DocumentError(N_("The PDF has no page."), "file")
    if pages > EVIDENCE_MAX_PAGES:
        raise DocumentError(
            N_(
                "The PDF has %(pages)d pages: upload at most %(max)d, the pages that prove this item.",
                pages=pages,
                max=EVIDENCE_MAX_PAGES,
            ),
            "file",
        )


def remove_evidence(evidence: EvidenceFile, org: Organization, *, actor: User) -> None:
    """Remove one uploaded file, once: its row is held and read again first, so a second request at once (a
    double click, two tabs) waits for the first's commit and is refused, where it recorded a second
    ``evidence.removed`` in the append-only audit log for a removal that did not happen."""
    if not hold_if_there(EvidenceFile, evidence.id):
        raise DocumentError(N_("This file is removed already."))
    audit.record(
        "evidence.removed", actor=actor, organization=org, obj=evidence, data={"item": evidence.item}
    )
    db.session.delete(evidence)
