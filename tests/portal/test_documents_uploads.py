"""Uploads: evidence files (refused with a message and nothing written, or attached and appended to the
packet) and the letterhead's logo (an image, re-encoded into the letter)."""

from __future__ import annotations

import html
import io
import re
from pathlib import Path

import pikepdf
import pytest
from PIL import Image
from PIL.PngImagePlugin import PngInfo
from pypdf import PdfReader
from sqlalchemy import select

from portal.extensions import db
from portal.i18n import file_size
from portal.models import (
    EvidenceFile,
    Organization,
)
from tests.helpers import count
from tests.portal.document_helpers import (
    create_case,
    document_id_of,
    download,
    enter_worked_case,
    errors,
    evidence_keys,
    image_xobjects,
    max_id,
    pdf_bytes,
    pdf_text,
    png_bytes,
    post_files,
    request_document,
    requested,
    squash,
    upload,
)


def evidence_files(app) -> list[Path]:
    return [p for p in Path(app.config["DOCUMENT_STORE"]).rglob("*") if p.is_file() and "evidence" in p.parts]


def locked_pdf() -> bytes:
    """A one-page PDF that opens only with a password (the packet could not merge it)."""
    out = io.BytesIO()
    with pikepdf.open(io.BytesIO(pdf_bytes(1))) as pdf:
        pdf.save(out, encryption=pikepdf.Encryption(owner="owner-secret", user="user-secret"))
    return out.getvalue()


def pageless_pdf() -> bytes:
    out = io.BytesIO()
    with pikepdf.new() as pdf:
        pdf.save(out)
    return out.getvalue()


def test_bad_evidence_is_refused_with_a_message_and_writes_nothing(app, client, owner):
    case_id = create_case(app, client)
    item = evidence_keys(app, case_id)[0]
    bad = [
        (b"just some text, not a PDF\n" * 10, "letter.pdf", "Only PDF, PNG and JPEG files are accepted"),
        (b"\x89PNG\r\n\x1a\n" + b"garbage" * 100, "photo.png", "The image could not be read."),
        (b"\xff\xd8\xff\xe0" + b"garbage" * 100, "photo.jpg", "The image could not be read."),
        (b"%PDF-1.7\n" + b"0" * (10 * 1024 * 1024), "big.pdf", "The file is larger than 10 MB."),
        (b"", "empty.pdf", "The file is empty."),
        (
            b"%PDF-1.7\n" + b"garbage, no objects, no trailer\n" * 50,
            "broken.pdf",
            "The PDF could not be read.",
        ),
        (locked_pdf(), "locked.pdf", "The PDF is protected by a password: upload a copy without one."),
        (pageless_pdf(), "pageless.pdf", "The PDF has no page."),
    ]
    for data, filename, message in bad:
        response = upload(client, case_id, item, data, filename)
        assert response.status_code == 400, filename
        assert message in " ".join(errors(response)), (filename, errors(response))
    response = upload(client, case_id, "not an item of the checklist", pdf_bytes(1), "ok.pdf")
    assert response.status_code == 400
    assert count(app, EvidenceFile) == 0 and evidence_files(app) == []
    assert "Attached</span>" not in client.get(f"/cases/{case_id}/documents").get_data(as_text=True)


@pytest.mark.parametrize(
    ("kind", "uploaded", "saved_as"),
    [
        ("pdf", "proof.html", "proof.pdf"),  # a PDF may carry HTML: saved as .html, it opened as a web page
        ("pdf", "Contract.PDF", "Contract.PDF"),
        ("png", "..\\..\\chart\u202egnp.exe", "chartgnp.png"),  # the path and the right-to-left mark go
        ("png", "photo", "photo.png"),
        ("pdf", "../.pdf", "evidence.pdf"),
    ],
)
def test_an_evidence_file_is_saved_under_its_name_ending_as_what_it_is(
    app, client, owner, kind, uploaded, saved_as
):
    case_id = create_case(app, client)
    data = pdf_bytes(1) if kind == "pdf" else png_bytes((40, 30))
    assert upload(client, case_id, evidence_keys(app, case_id)[0], data, uploaded).status_code == 302
    with app.app_context():
        evidence_id = db.session.scalars(select(EvidenceFile.id)).one()
    opened = client.get(f"/evidence/{evidence_id}/download")
    assert opened.status_code == 200 and opened.data == data
    disposition = opened.headers["Content-Disposition"]
    assert disposition in (f'attachment; filename="{saved_as}"', f"attachment; filename={saved_as}"), (
        disposition
    )


def test_an_evidence_files_name_is_cleaned_when_it_is_uploaded(app, client, owner):
    """Control characters (C0, C1), direction overrides and isolates went into the database and the pages
    (escaped, but a U+202E still showed "cod.exe" backwards); the name is kept clean, in NFC, ending as
    what the file is."""
    case_id = create_case(app, client)
    uploaded = "Re\u0301sume\u0301\u202e\x07fdp.exe\u2066\u2069\x85\x1b\u200f.PDF"  # "é" decomposed
    assert upload(client, case_id, evidence_keys(app, case_id)[0], pdf_bytes(1), uploaded).status_code == 302
    with app.app_context():
        evidence = db.session.scalars(select(EvidenceFile)).one()
        assert evidence.filename == "Résuméfdp.exe.PDF"  # composed, no control or direction character left
    page = client.get(f"/cases/{case_id}/documents").get_data(as_text=True)
    assert "Résuméfdp.exe.PDF</a>" in html.unescape(page) and "\u202e" not in page and "&#8238;" not in page
    long_name = "x" * 300 + ".pdf"  # too long for the column: cut before its ending, which stays
    assert upload(client, case_id, evidence_keys(app, case_id)[0], pdf_bytes(1), long_name).status_code == 302
    with app.app_context():
        names = db.session.scalars(select(EvidenceFile.filename).order_by(EvidenceFile.id)).all()
    assert names[1] == "x" * 196 + ".pdf"


def _armed_pdf() -> bytes:
    """A PDF whose page runs JavaScript when opened, with a link that runs JavaScript, one that launches a
    program, an attached file, and a link to a web address."""
    with pikepdf.open(io.BytesIO(pdf_bytes(1))) as pdf:
        page = pdf.pages[0].obj

        def link(action: dict) -> pikepdf.Dictionary:
            return pdf.make_indirect(
                pikepdf.Dictionary(
                    Type=pikepdf.Name.Annot,
                    Subtype=pikepdf.Name.Link,
                    Rect=[0, 0, 100, 100],
                    A=pikepdf.Dictionary(action),
                )
            )

        javascript = {"/S": pikepdf.Name.JavaScript, "/JS": pikepdf.String("app.alert('armed')")}
        page.AA = pikepdf.Dictionary(O=pikepdf.Dictionary(javascript))
        page.Annots = pikepdf.Array(
            [
                link(javascript),
                link({"/S": pikepdf.Name.Launch, "/F": pikepdf.String("calc.exe")}),
                link(
                    {
                        "/S": pikepdf.Name.URI,
                        "/URI": pikepdf.String("https://example.com/diploma"),
                        "/Next": javascript,
                    }
                ),
                pdf.make_indirect(
                    pikepdf.Dictionary(
                        Type=pikepdf.Name.Annot,
                        Subtype=pikepdf.Name.FileAttachment,
                        Rect=[0, 0, 10, 10],
                        FS=pikepdf.Dictionary(Type=pikepdf.Name.Filespec, F=pikepdf.String("run.exe")),
                    )
                ),
            ]
        )
        out = io.BytesIO()
        pdf.save(out)
        return out.getvalue()


def test_an_evidence_pdf_brings_no_script_launch_or_attached_file_into_the_packet(app, client, owner):
    """The packet holds the evidence's pages: the consultant opens it in the review page and the portal
    signs it once approved. Actions that run and attached files stay out; a link to a web address stays."""
    case_id = create_case(app, client)
    armed = _armed_pdf()
    assert upload(client, case_id, evidence_keys(app, case_id)[0], armed, "armed.pdf").status_code == 302
    packet = requested(app, client, case_id, "packet")
    assert packet.status == "ready", packet.error
    data = download(client, packet.id)
    with pikepdf.open(io.BytesIO(data)) as pdf:
        actions, uris = [], []
        for page in pdf.pages:
            assert "/AA" not in page.obj
            for annotation in page.obj.get("/Annots") or ():
                assert str(annotation.get("/Subtype")) != "/FileAttachment" and "/AA" not in annotation
                action = annotation.get("/A")
                if action is not None:
                    actions.append(str(action.get("/S")))
                    assert "/Next" not in action
                    if action.get("/S") == pikepdf.Name.URI:
                        uris.append(str(action.URI))
        assert set(actions) <= {"/GoTo", "/URI"}, actions
        assert "https://example.com/diploma" in uris


def test_good_evidence_is_attached_and_the_packet_appends_it(app, client, owner):
    case_id = create_case(app, client)
    before = requested(app, client, case_id, "packet")
    assert before.status == "ready", before.error
    keys = evidence_keys(app, case_id)
    assert len(keys) >= 2
    assert (
        upload(client, case_id, keys[0], pdf_bytes(2, "Evidence document"), "contract.pdf").status_code == 302
    )
    assert upload(client, case_id, keys[1], png_bytes((400, 300)), "org-chart.png").status_code == 302
    assert count(app, EvidenceFile) == 2 and len(evidence_files(app)) == 2
    page = client.get(f"/cases/{case_id}/documents").get_data(as_text=True)
    assert page.count('badge text-bg-success">Attached</span>') == 2
    assert "contract.pdf" in page and "org-chart.png" in page
    assert "KB)" not in page and "(0 " not in page  # sizes in bytes or whole kB rounded up, never 0
    assert re.search(r"org-chart\.png</a> \((\d+ bytes|\d+ kB)\)", page), page
    # each file opens from the checklist, as it was uploaded (tour of 2026-12-06: nothing opened it)
    links = re.findall(r'href="(/evidence/\d+/download)" class="evidence-download">([^<]+)</a>', page)
    assert {name for _href, name in links} == {"contract.pdf", "org-chart.png"}
    href = next(h for h, name in links if name == "contract.pdf")
    opened = client.get(href)
    assert opened.status_code == 200 and opened.mimetype == "application/pdf"
    assert opened.data.startswith(b"%PDF") and "contract.pdf" in opened.headers["Content-Disposition"]

    after = requested(app, client, case_id, "packet")
    assert after.status == "ready", after.error
    assert after.page_count == before.page_count + 3  # two PDF pages and the image on its own page
    data = download(client, after.id)
    reader = PdfReader(io.BytesIO(data))
    assert len(reader.pages) == after.page_count
    text = squash(pdf_text(data))
    assert squash(f"{keys[0]} Attached") in text and squash(f"{keys[1]} Attached") in text
    assert "contract.pdf" in text and "org-chart.png" in text
    assert (reader.pages[-3].extract_text() or "").strip().startswith("Evidence document 1")
    assert image_xobjects(data, len(reader.pages) - 1), "the PNG is drawn on the last page"
    old = squash(pdf_text(download(client, before.id)))
    assert squash(f"{keys[1]} Missing") in old  # the first version is unchanged

    # Removing a file takes it off the checklist; the next packet no longer appends it.
    assert client.post_form(f"/evidence/{max_id(app, EvidenceFile)}/remove").status_code == 302
    assert count(app, EvidenceFile) == 1
    third = requested(app, client, case_id, "packet")
    assert third.page_count == before.page_count + 2


def test_an_empty_logo_file_is_refused_and_no_file_chosen_saves_the_signatory(app, client, owner):
    """An empty file was taken for no file: the page said the letterhead was saved, without the logo."""
    fields = {"signatory_name": "Dana Signer", "signatory_title": "CEO"}
    response = post_files(client, "/org/letterhead", fields, {"logo": (b"", "logo.png")})
    assert response.status_code == 400 and errors(response) == ["The file is empty."], errors(response)
    with app.app_context():
        org = db.session.get(Organization, owner.org_id)
        assert org.logo_path is None and org.signatory_name is None

    response = post_files(client, "/org/letterhead", fields, {"logo": (b"", "")})  # no file chosen
    assert response.status_code == 302, errors(response)
    with app.app_context():
        org = db.session.get(Organization, owner.org_id)
        assert org.logo_path is None and org.signatory_name == "Dana Signer"


def test_letterhead_logo_must_be_an_image_and_is_reencoded_into_the_letter(app, client, owner):
    case_id = create_case(app, client)
    plain = download(client, document_id_of(request_document(client, case_id, "support_letter")))
    assert image_xobjects(plain) == []

    for data, filename, message in [
        (b"<svg xmlns='http://www.w3.org/2000/svg'/>", "logo.png", "must be a PNG or JPEG"),
        (b"%PDF-1.7 not an image", "logo.png", "must be a PNG or JPEG"),
        (b"\x89PNG\r\n\x1a\n" + b"x" * 200, "logo.png", "could not be read"),
    ]:
        response = post_files(client, "/org/letterhead", {"signatory_name": "A"}, {"logo": (data, filename)})
        assert response.status_code == 400 and message in " ".join(errors(response)), errors(response)
    with app.app_context():
        assert db.session.get(Organization, owner.org_id).logo_path is None

    info = PngInfo()
    info.add_text("Comment", "hidden-metadata-marker")
    out = io.BytesIO()
    Image.new("RGB", (1600, 400), (11, 61, 145)).save(out, format="PNG", pnginfo=info)
    response = post_files(
        client,
        "/org/letterhead",
        {"signatory_name": "Dana Signer", "signatory_title": "CEO"},
        {"logo": (out.getvalue(), "logo.png")},
    )
    assert response.status_code == 302, errors(response)
    with app.app_context():
        org = db.session.get(Organization, owner.org_id)
        stored = (Path(app.config["DOCUMENT_STORE"]) / org.logo_path).read_bytes()
    assert stored != out.getvalue() and b"hidden-metadata-marker" not in stored
    with Image.open(io.BytesIO(stored)) as image:
        assert image.format == "PNG" and image.size == (800, 200)

    letter = download(client, document_id_of(request_document(client, case_id, "support_letter")))
    images = image_xobjects(letter)
    assert images and (images[0]["/Width"], images[0]["/Height"]) == (800, 200)
    text = pdf_text(letter)  # the letterhead's signatory signs when the request leaves the name blank
    assert "Dana Signer\nCEO\n" in text


@pytest.mark.parametrize(
    "lang, sizes",
    [
        ("en", ["1 byte", "820 bytes", "1 kB", "2 kB", "1,024 kB", "1.5 MB"]),
        ("fr", ["1 octet", "820 octets", "1 ko", "2 ko", "1 024 ko", "1,5 Mo"]),
    ],
)
def test_a_file_size_is_never_0_and_is_in_the_readers_units(app, lang, sizes):
    with app.test_request_context("/", headers={"Accept-Language": lang}):
        shown = [file_size(n) for n in (1, 820, 1024, 1025, 1024 * 1024 - 1, 1536 * 1024)]
    assert [s.replace("\xa0", " ") for s in shown] == sizes


def test_the_documents_page_checklist_says_what_the_packet_says_of_each_item(app, client, owner):
    """Browser tour of 2026-12-06: the page's checklist showed "missing" for the letter of introduction,
    which the packet annexes as the support letter (Annex A), and for the offer's number, which only
    filing gives; the packet's checklist said so. Both now read content.evidence_status."""
    case_id = create_case(app, client)
    page = client.get(f"/cases/{case_id}/documents").get_data(as_text=True)
    checklist = page.split('id="evidence"', 1)[1].split("</ul>", 1)[0]
    items = re.findall(r'<span class="badge [^"]*">([^<]*)</span>\s*([^<\n]*)', checklist)
    status = {text.strip(): badge for badge, text in items}
    letter_item = next(t for t in status if t.startswith("Letter of introduction"))
    assert status[letter_item] == "Annex A (support letter)", status
    assert "Missing" in status.values()  # the files still to upload


GENERAL_PASSPORT = "Passport (the one entered in the offer)"
AGREEMENT_PASSPORT = "Passport of the agreement country (the one entered in the offer)"
OPEN_PERMIT = "Copy of the worker's open work permit (verify conditions and expiry)"


def test_files_of_an_item_renamed_or_no_longer_listed_stay_shown_and_annexed(app):
    """A CUSMA professional's checklist names its passport once (the agreement country's, the one in the
    offer): a passport uploaded under the general item before (rule sets up to 2026.12.08-9) counts for
    it; a file uploaded for an item the case no longer lists (it was re-assessed) is shown apart, in
    the page's language, can be opened and removed, and is still annexed to the packet."""
    case_id, account, code = enter_worked_case(app, "case01-us-civil-engineer")
    assert code == "T36"
    keys = evidence_keys(app, case_id)
    assert AGREEMENT_PASSPORT in keys and GENERAL_PASSPORT not in keys
    client = app.test_client()
    client.post_form("/login", {"email": account.email, "password": account.password})
    assert (
        upload(client, case_id, AGREEMENT_PASSPORT, pdf_bytes(1, "Passport page"), "passport.pdf").status_code
        == 302
    )
    assert upload(client, case_id, keys[1], pdf_bytes(1, "Degree page"), "degree.pdf").status_code == 302
    assert upload(client, case_id, GENERAL_PASSPORT, pdf_bytes(1), "x.pdf").status_code == 400  # not listed
    with app.app_context():  # stored as earlier rule sets named them
        passport, degree = db.session.scalars(select(EvidenceFile).order_by(EvidenceFile.id)).all()
        passport.item, degree.item = GENERAL_PASSPORT, OPEN_PERMIT
        db.session.commit()
        degree_id = degree.id

    page = client.get(f"/cases/{case_id}/documents").get_data(as_text=True)
    checklist = page.split('id="evidence"')[1].split('id="unlisted"')[0]
    row = next(li for li in checklist.split("<li") if AGREEMENT_PASSPORT in li.replace("&#39;", "'"))
    assert "Attached</span>" in row and "passport.pdf" in row
    unlisted = page.split('id="unlisted-files"')[1].split("</ul>")[0]
    assert "degree.pdf" in unlisted and "open work permit" in unlisted.replace("&#39;", "'")
    assert f"/evidence/{degree_id}/download" in unlisted and f"/evidence/{degree_id}/remove" in unlisted
    assert "degree.pdf" not in checklist
    client.post_form("/language", {"lang": "fr"})
    french = client.get(f"/cases/{case_id}/documents").get_data(as_text=True)
    assert "permis de travail ouvert" in french.split('id="unlisted-files"')[1].split("</ul>")[0]
    assert "Passeport du pays de l&#39;accord (celui inscrit dans l&#39;offre)" in french
    client.post_form("/language", {"lang": "en"})

    packet = requested(app, client, case_id, "packet")
    assert packet.status == "ready", packet.error
    text = squash(pdf_text(download(client, packet.id)))
    assert squash(f"Annex B — {AGREEMENT_PASSPORT}: passport.pdf") in text
    assert (
        squash("Annex C — Copy of the worker's open work permit (verify conditions and expiry): degree.pdf")
        in text
    )
    assert squash(f"{AGREEMENT_PASSPORT} Attached") in text  # the packet's checklist counts it
    assert (
        squash(  # the pre-checks ask whether it belongs to this application
            "degree.pdf was uploaded for “Copy of the worker's open work permit (verify conditions and expiry)”, "
            "which the checklist no longer lists"
        )
        in text
    )
    assert "passport.pdf was uploaded" not in text
    # the support letter (Annex A) names every annex the packet carries
    letter = squash(pdf_text(download(client, requested(app, client, case_id, "support_letter").id)))
    assert squash(f"Annex B: {AGREEMENT_PASSPORT}") in letter
    assert squash("Annex C: Copy of the worker's open work permit (verify conditions and expiry)") in letter

    # removed from the page, it is no longer annexed
    assert client.post_form(f"/evidence/{degree_id}/remove").status_code == 302
    page = client.get(f"/cases/{case_id}/documents").get_data(as_text=True)
    assert 'id="unlisted-files"' not in page


def _offered_item(page: str) -> str | None:
    form = page[page.index('id="evidence-form"') :]
    form = form[: form.index("</select>")]
    found = re.search(r'<option selected value="([^"]*)"|<option value="([^"]*)" selected', form)
    return html.unescape(found.group(1) or found.group(2)) if found else None


def test_the_upload_offers_the_first_item_still_missing(app, client, owner):
    """Tour of 2026-12-10: the upload's item was the checklist's first, the support letter the portal makes
    itself (Annex A): a file uploaded without changing it was filed under the letter. It offers the first
    item still missing, and the next one once that is uploaded."""
    case_id = create_case(app, client)
    keys = evidence_keys(app, case_id)
    page = client.get(f"/cases/{case_id}/documents").get_data(as_text=True)
    assert "Annex A (support letter)" in page and keys[0].startswith("Letter of introduction")
    assert _offered_item(page) == keys[1]
    assert upload(client, case_id, keys[1], pdf_bytes(1), "relationship.pdf").status_code == 302
    assert _offered_item(client.get(f"/cases/{case_id}/documents").get_data(as_text=True)) == keys[2]
    # a refused upload shows the item that was chosen
    response = upload(client, case_id, keys[3], b"not a pdf", "x.pdf")
    assert response.status_code == 400 and _offered_item(response.get_data(as_text=True)) == keys[3]


def _noisy(fmt: str) -> bytes:
    """An invented image with enough data to be cut in the middle of its pixels (PNG or JPEG)."""
    image = Image.new("RGB", (240, 160))
    image.putdata([((x * 7) % 256, (x * 13) % 256, (x * 29) % 256) for x in range(240 * 160)])
    out = io.BytesIO()
    image.save(out, format=fmt)
    return out.getvalue()


DAMAGED = "The image is damaged or incomplete"


def test_a_cut_or_corrupt_image_is_refused_as_a_logo_and_as_evidence(app, client, owner):
    """WeasyPrint lets Pillow load truncated images (ImageFile.LOAD_TRUNCATED_IMAGES, set when it is
    imported), so a logo or an evidence image cut short in its upload or copy was accepted and re-encoded
    with grey where its pixels were missing. The upload now checks the whole file (a PNG's every chunk and
    checksum to its end, a JPEG decoded to its end marker) and refuses a broken one with a message; a whole
    image is still accepted."""
    png, jpeg = _noisy("PNG"), _noisy("JPEG")
    corrupt = bytearray(png)
    corrupt[len(png) // 2] ^= 0xFF  # one byte of the pixels changed: the chunk's checksum no longer matches
    broken = [
        (png[: len(png) // 2], "logo.png"),
        (png[:-20], "logo.png"),  # only the end chunk (IEND) and a little of the pixels missing
        (bytes(corrupt), "logo.png"),
        (jpeg[: len(jpeg) // 2], "logo.jpg"),
    ]
    for data, filename in broken:
        response = post_files(client, "/org/letterhead", {"signatory_name": "A"}, {"logo": (data, filename)})
        assert response.status_code == 400, filename
        assert DAMAGED in " ".join(errors(response)), errors(response)
    with app.app_context():
        assert db.session.get(Organization, owner.org_id).logo_path is None

    case_id = create_case(app, client)
    item = evidence_keys(app, case_id)[0]
    for data, filename in broken:
        response = upload(client, case_id, item, data, filename)
        assert response.status_code == 400 and DAMAGED in " ".join(errors(response)), errors(response)
    assert count(app, EvidenceFile) == 0 and evidence_files(app) == []

    for data, filename in ((png, "logo.png"), (jpeg, "logo.jpg")):
        response = post_files(client, "/org/letterhead", {"signatory_name": "A"}, {"logo": (data, filename)})
        assert response.status_code == 302, errors(response)
        assert upload(client, case_id, item, data, filename).status_code == 302

    client.post_form("/language", {"lang": "fr"})
    response = post_files(client, "/org/letterhead", {"signatory_name": "A"}, {"logo": (png[:-20], "l.png")})
    assert response.status_code == 400
    assert "L'image est endommagée ou incomplète" in html.unescape(" ".join(errors(response)))
