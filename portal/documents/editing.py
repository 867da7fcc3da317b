"""Editing a support letter before it is signed: the generated sections are the first draft; the employer
(or an engaged consultant on a case in scope) types over any of them. Every edit is a new
``LetterSection`` row with its author and time; the latest row of a section is its text. Edits are plain
text in the light format of ``portal.documents.markup`` (escaped before it becomes HTML), never HTML.

When the facts change, the letter is generated again: edited sections keep their text, and a section
whose generated text changed since it was edited says so (``generated_changed``, with the new text)."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import select

from portal import audit
from portal.documents import content, eligibility, letters
from portal.documents.errors import DocumentError
from portal.documents.letters.common import Letter, Section
from portal.extensions import db
from portal.hashing import sha256_hex
from portal.messages import N_, Count
from portal.models import Case, EvidenceFile, LetterSection, Organization, User

MAX_SECTION_CHARS = 10_000
LETTER = "support_letter"


class EditError(DocumentError):
    """An edit the portal refuses (unknown section, text too long, no letter for this case); a document
    request refused for want of a letter is one too."""


def normalize(text: str | None) -> str:
    """Line ends unified, trailing spaces and blank lines at both ends removed."""
    lines = (text or "").replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return "\n".join(line.rstrip() for line in lines).strip("\n")


def latest_edits(case: Case, lang: str) -> dict[str, LetterSection]:
    rows = db.session.scalars(
        select(LetterSection)
        .where(
            LetterSection.case_id == case.id,
            LetterSection.language == lang,
            LetterSection.document_kind == LETTER,
        )
        .order_by(LetterSection.id)
    ).all()
    return {row.section_key: row for row in rows}


def history(case: Case, lang: str) -> list[LetterSection]:
    return list(
        db.session.scalars(
            select(LetterSection)
            .where(LetterSection.case_id == case.id, LetterSection.language == lang)
            .order_by(LetterSection.id.desc())
        )
    )


def merge(generated: list[Section], edits: dict[str, LetterSection]) -> list[dict[str, Any]]:
    """The letter's sections: the edited text where there is one, else the generated text."""
    out: list[dict[str, Any]] = []
    for s in generated:
        row = edits.get(s["key"])
        if row is None or row.text is None:
            out.append({**s, "edited": False})
            continue
        out.append(
            {
                **s,
                "text": row.text,
                "edited": True,
                "edited_by": row.author.name if row.author else "",
                "edited_at": row.created_at.isoformat(),
                "generated_text": s["text"],
                "generated_changed": row.generated_sha256 != sha256_hex(s["text"]),
            }
        )
    return out


def with_edits(case: Case, letter: Letter) -> Letter:
    """The letter snapshot with its sections: generated from the facts, edits applied."""
    return {**letter, "sections": merge(letters.argue(letter), latest_edits(case, letter["lang"]))}


def draft(
    case: Case,
    org: Organization,
    *,
    lang: str,
    actor: User,
    on: date,
    signatory_name: str | None = None,
    signatory_title: str | None = None,
    evidence: list[EvidenceFile] | None = None,
) -> Letter:
    """The letter as it would be made now (facts of today, edits applied), signed by ``signatory_name``
    or the organization's signatory or the actor; the one check of a letter's language and case, for the
    editing page and for a document request alike (``evidence``: the case's files, read by the caller)."""
    if lang not in ("en", "fr"):
        raise EditError(N_("Choose English or French."), "language")
    if not case.assessment:
        raise EditError(N_("The case has not been assessed yet."))
    # no code decided yet, no work permit, an open one, or an LMIA: no letter (the documents page says so)
    if (why := eligibility.no_documents(case.route)) is not None:
        raise EditError(why)
    letter = content.letter_snapshot(
        case,
        org,
        lang=lang,
        on=on,
        signatory_name=signatory_name or org.signatory_name or actor.name,
        signatory_title=signatory_title or org.signatory_title or "",
        evidence=evidence,
    )
    if letter["route"] != "IMP" or not letter["code"]:
        raise EditError(
            N_("Documents are made for cases with an LMIA exemption code. Answer the open questions first.")
        )
    return with_edits(case, letter)


def save(
    case: Case, org: Organization, *, lang: str, texts: dict[str, str], actor: User, on: date
) -> list[str]:
    """Store the sections whose text changed (a new row each; an empty text or the generated text
    again = back to the generated text). Returns the keys saved; the caller commits."""
    letter = draft(case, org, lang=lang, actor=actor, on=on)
    generated = {s["key"]: s for s in letters.argue({k: v for k, v in letter.items() if k != "sections"})}
    unknown = sorted(set(texts) - set(generated))
    if unknown:
        raise EditError(N_("Unknown section: %(key)s.", key=unknown[0][:40]))
    edits = latest_edits(case, lang)
    saved = []
    for key, section in generated.items():
        if key not in texts:
            continue
        new = normalize(texts[key])
        if len(new) > MAX_SECTION_CHARS:
            raise EditError(
                N_(
                    "%(section)s: at most %(n)s characters.",
                    section=section["heading"],
                    n=Count(MAX_SECTION_CHARS),
                ),
                key,
            )
        row = edits.get(key)
        edited_text = row.text if row is not None else None
        edited = edited_text is not None
        current = edited_text if edited_text is not None else section["text"]
        if new == normalize(current):
            continue
        value = None if not new or new == normalize(section["text"]) else new
        if value is None and not edited:
            continue
        db.session.add(
            LetterSection(
                organization_id=case.organization_id,
                case_id=case.id,
                document_kind=LETTER,
                language=lang,
                section_key=key,
                text=value,
                generated_sha256=sha256_hex(section["text"]),
                author_id=actor.id,
            )
        )
        saved.append(key)
    if saved:
        db.session.flush()
        audit.record(
            "letter.edited",
            actor=actor,
            organization=org,
            obj=case,
            data={"case_id": case.id, "language": lang, "sections": saved},
        )
    return saved
