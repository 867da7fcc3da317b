"""What a document says: the support letter and the packet carry the case (the packet appends the
letter, reusing the PDF of a ready letter of the same snapshot), and letters of other categories make
their own argument (PostgreSQL; Celery eager: the request that asks for a document renders it).
tests/portal/test_documents_worker.py does the same with a real worker process on Redis.
"""

from __future__ import annotations

import io
import re
from hashlib import sha256

from pypdf import PdfReader

from portal.documents import store
from tests.portal import document_helpers as docs


def test_letter_and_packet_carry_the_case_and_the_packet_appends_the_letter(app, client, owner):
    case_id = docs.create_case(app, client)
    letter_id = docs.document_id_of(docs.request_document(client, case_id, "support_letter"))
    packet_id = docs.document_id_of(docs.request_document(client, case_id, "packet"))
    letter, packet = docs.get_document(app, letter_id), docs.get_document(app, packet_id)
    assert (letter.status, packet.status) == ("ready", "ready"), (letter.error, packet.error)

    letter_pdf = docs.download(client, letter_id)
    assert letter_pdf.startswith(b"%PDF") and letter_pdf == docs.stored_bytes(app, letter)

    assert sha256(letter_pdf).hexdigest() == letter.pdf_sha256 and len(letter_pdf) == letter.size_bytes
    letter_text = docs.pdf_text(letter_pdf)
    for expected in (
        docs.EMPLOYER_NAME,
        "Avery Inventedname",
        "T37",
        "$95.00 per hour",
        "Dear Officer",
        docs.ENTERPRISE["name"],
        "Vice-President, Operations Canada",
    ):
        assert expected in letter_text, expected
    assert len(PdfReader(io.BytesIO(letter_pdf)).pages) == letter.page_count

    packet_pdf = docs.download(client, packet_id)
    assert (
        packet_pdf == docs.stored_bytes(app, packet) and sha256(packet_pdf).hexdigest() == packet.pdf_sha256
    )
    reader = PdfReader(io.BytesIO(packet_pdf))
    assert len(reader.pages) == packet.page_count
    pages = [p.extract_text() or "" for p in reader.pages]
    body = "\n".join(pages[: packet.page_count - letter.page_count])
    for expected in (
        "Offer-submission packet",
        "Contents",
        "Employer Portal data sheet",
        "Pre-checks before filing",
        "Evidence checklist",
        f"Annex A — Support letter ({letter.page_count} pages)",
        docs.EMPLOYER_NAME,
        "Avery Inventedname",
        "T37",
        "Wage (hourly) $95.00 per hour",
        "X1234567",
    ):
        assert expected in body, expected
    # The support letter is appended: the packet's last pages are the letter's pages.
    appended = pages[packet.page_count - letter.page_count :]
    assert [docs.unnumbered(t) for t in appended] == [
        docs.unnumbered(p.extract_text() or "") for p in PdfReader(io.BytesIO(letter_pdf)).pages
    ]
    assert "Dear Officer" in appended[0] and "Dear Officer" not in body
    # Cited items (obligations, criteria) wrap normally: WeasyPrint 70 broke "Do not charge ..." after
    # "Do" when the space before the citation was outside its span.
    lonely = [
        line for line in (body + "\n" + letter_text).splitlines() if re.fullmatch(r"\s*•?\s*\S{1,3}\s*", line)
    ]
    # (a line of digits alone is an annex's page number on the contents page, stamped after the merge)
    assert not [
        line
        for line in lonely
        if line.strip() not in ("•", "T37", "Job", "Fee") and not line.strip().isdigit()
    ], lonely


def test_a_professional_and_a_francophone_letter_make_their_own_argument(app):
    for name, code, expected, noc_en, noc_fr in [
        (
            "case01-us-civil-engineer",
            "T36",
            "The profession and the credentials",
            "Civil engineers",
            "Ingénieurs civils/ingénieures civiles",
        ),
        ("case22-francophone-cook", "C16", "French ability", "Cooks", "Cuisiniers/cuisinières"),
    ]:
        case_id, account, recommended = docs.enter_worked_case(app, name)
        assert recommended == code
        client = app.test_client()
        client.post_form("/login", {"email": account.email, "password": account.password})
        document = docs.requested(app, client, case_id, "support_letter")
        assert document.status == "ready", document.error
        text = docs.pdf_text(docs.download(client, document.id))
        assert code in text and expected in text and docs.squash(f"Invented {name}") in docs.squash(text)
        # the citizenship in the sentence ("a citizen of the United States"), not a form's aside
        assert "(citizenship:" not in docs.squash(text) and "acitizenof" in docs.squash(text)
        assert "citizen of United" not in text
        assert noc_en in text
        # The same letter in French uses the French names of the classification (CNP, FEER).
        french = docs.requested(app, client, case_id, "support_letter", lang="fr")
        text = docs.pdf_text(docs.download(client, french.id))
        assert "Madame, Monsieur," in text and "(citoyenneté:" not in docs.squash(text)
        assert "quialacitoyenneté" in docs.squash(text)
        assert "CNP2021" in docs.squash(text) and "FEER" in text and "TEER" not in text
        # ... and the CNP 2021 title of the unit group (Statistics Canada), not the English one
        assert docs.squash(noc_fr) in docs.squash(text) and noc_en not in text


def test_a_packet_reuses_the_ready_letter_of_the_same_snapshot(app, client, owner):
    case_id = docs.create_case(app, client)
    letter = docs.requested(app, client, case_id, "support_letter")
    packet = docs.requested(app, client, case_id, "packet")
    assert packet.status == "ready" and packet.reused_letter_id == letter.id
    letter_pdf = docs.download(client, letter.id)
    reader = PdfReader(io.BytesIO(docs.download(client, packet.id)))
    appended = reader.pages[packet.page_count - letter.page_count :]
    assert [docs.unnumbered(p.extract_text()) for p in appended] == [
        docs.unnumbered(p.extract_text()) for p in PdfReader(io.BytesIO(letter_pdf)).pages
    ]
    # Another signatory or language is another letter: nothing to reuse.
    other = docs.requested(app, client, case_id, "packet", signatory_name="Someone Else")
    french = docs.requested(app, client, case_id, "packet", lang="fr")
    assert other.status == french.status == "ready"
    assert other.reused_letter_id is None and french.reused_letter_id is None
    assert "Someone Else" in docs.pdf_text(docs.download(client, other.id))
    french_text = docs.pdf_text(docs.download(client, french.id))
    assert "Fiche de données pour le Portail des employeurs" in french_text
    assert "FEER" in french_text and "TEER" not in french_text
    # the obligations cite the Regulations as their French text numbers paragraphs (English: R209.2(1)(a)(i))
    squashed = docs.squash(french_text)
    assert "R209.2(1)a)(i)" in squashed and "R209.2(1)(a)" not in squashed
    assert "R209.2(1)(a)(i)" in docs.squash(docs.pdf_text(docs.download(client, other.id)))


def test_a_packet_renders_the_letter_again_when_the_ready_letter_file_is_gone(app, client, owner):
    """A ready letter whose stored file is missing is not reused (nor retried until the packet
    fails): the packet renders the letter itself."""
    case_id = docs.create_case(app, client)
    letter = docs.requested(app, client, case_id, "support_letter")
    with app.app_context():
        store.absolute(letter.storage_path).unlink()
    packet = docs.requested(app, client, case_id, "packet")
    assert packet.status == "ready", packet.error
    assert packet.reused_letter_id is None
    assert "Dear Officer," in docs.pdf_text(docs.download(client, packet.id))
