"""Sending mail through Flask-Mailman, and the embedded default's outbox.

``MAIL_BACKEND=file`` uses :class:`OutboxBackend`: each message is written as a JSON file
under ``MAIL_FILE_PATH`` (instance/outbox) and listed on the /outbox page, so the embedded
default needs no SMTP server. ``smtp`` and ``locmem`` are Flask-Mailman's own backends.
"""

from __future__ import annotations

import json
import logging
import os
import re
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from email.utils import formataddr, parseaddr
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from flask import current_app
from flask_babel import force_locale
from flask_mailman import EmailMessage
from flask_mailman.backends.base import BaseEmailBackend
from sqlalchemy import select

from portal.extensions import db
from portal.i18n import gettext as _
from portal.models import Membership, Role, User

log = logging.getLogger(__name__)

OUTBOX_BACKEND = "portal.mail.EmailBackend"  # Flask-Mailman wants a class named EmailBackend


class OutboxBackend(BaseEmailBackend):
    def __init__(self, file_path: str | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.path = Path(file_path or current_app.config["MAIL_FILE_PATH"])

    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        self.path.mkdir(parents=True, exist_ok=True)
        sent = 0
        for message in email_messages:
            name = f"{time.time_ns()}-{os.getpid()}.json"
            payload = {
                "subject": message.subject,
                "from": message.from_email,
                "to": list(message.to),
                "body": message.body,
                # the instant, in UTC: the outbox shows it in the organization's zone
                "sent_at": datetime.now(UTC).isoformat(timespec="seconds"),
            }
            tmp = self.path / (name + ".tmp")
            tmp.write_text(json.dumps(payload, ensure_ascii=False, indent=1), encoding="utf-8")
            tmp.rename(self.path / name)
            log.info("Mail to %s written to the outbox: %s", ", ".join(message.to), message.subject)
            sent += 1
        return sent


EmailBackend = OutboxBackend


def link(endpoint: str, **values: Any) -> str:
    """The absolute address of ``endpoint`` on the configured ``PUBLIC_URL``, for a link in a mail (or
    handed to an app outside the portal: the private calendar feed).

    Never built from the request (``url_for(..., _external=True)`` takes the Host header, which the
    sender of a request chooses: a forged Host would mail the victim a link to another site).
    Works in a request, in a worker task and in the CLI alike."""
    base = urlsplit(current_app.config["PUBLIC_URL"])
    adapter = current_app.url_map.bind(
        base.netloc, script_name=base.path.rstrip("/") or "/", url_scheme=base.scheme or "https"
    )
    return adapter.build(endpoint, values, force_external=True)


def members(organization_id: int, *, role: Role | None = None) -> list[User]:
    """The users of the organization to mail: every member, or those of ``role`` (the owners)."""
    query = select(Membership).where(Membership.organization_id == organization_id)
    if role is not None:
        query = query.where(Membership.role == role)
    return [m.user for m in db.session.scalars(query)]


@contextmanager
def in_language_of(user: User) -> Iterator[None]:
    """Write the mail for ``user`` in the language they chose (``User.locale``), or in the portal's
    default when they never chose one."""
    languages = current_app.config["LANGUAGES"]
    default: str = current_app.config["BABEL_DEFAULT_LOCALE"]
    with force_locale(user.locale if user.locale and user.locale in languages else default):
        yield


def backend_setting(name: str) -> str:
    return {"file": OUTBOX_BACKEND}.get(name, name)


def one_line(subject: str) -> str:
    """A subject as one line: the names it quotes (an organization's, a person's) are typed by users, and
    a line break in one (a raw POST can send one in any text box) made the mail library refuse the
    header (a 500 at the invitation, the decision or the reminder) rather than be sent. A no-break space
    (French, before a colon) is kept."""
    return re.sub(r"[^\S\u00a0\u202f]+", " ", subject).strip()


PRODUCT_SENDER_NAME = "IMP Portal"  # the name of the default MAIL_DEFAULT_SENDER (config.py)


def sender() -> str:
    """``MAIL_DEFAULT_SENDER``, with the product's name in the mail's language when the sender carries it
    (a French mail comes from "Portail PMI <no-reply@...>", as its text says); a name the operator chose is
    kept as it is."""
    configured: str = current_app.config["MAIL_DEFAULT_SENDER"]
    name, address = parseaddr(configured)
    if name == PRODUCT_SENDER_NAME and address:
        return formataddr((_("IMP Portal"), address))
    return configured


def send(to: str, subject: str, body: str) -> None:
    EmailMessage(subject=one_line(subject), body=body, from_email=sender(), to=[to]).send()


def compose(to: str, subject: str, body: str) -> bytes:
    """The message ``send`` would send, built (MIME headers, encoding) but not sent: the same work,
    for a caller that must take as long whether or not it sends (a reset for an unknown address)."""
    message = EmailMessage(subject=one_line(subject), body=body, from_email=sender(), to=[to])
    return message.message().as_bytes()


def _instant(sent_at: object) -> datetime | None:
    """When a message was written (an older file's naive time is taken as UTC); None if unreadable."""
    try:
        when = datetime.fromisoformat(str(sent_at))
    except ValueError:
        return None
    return when if when.tzinfo is not None else when.replace(tzinfo=UTC)


def read_outbox(limit: int = 50, *, to: str) -> list[dict[str, Any]]:
    """The newest messages written to the outbox for the address ``to`` (case-insensitive)."""
    path = Path(current_app.config["MAIL_FILE_PATH"])
    if not path.is_dir():
        return []
    wanted = to.strip().lower()
    messages = []
    for f in sorted(path.glob("*.json"), reverse=True):
        try:
            message = json.loads(f.read_text(encoding="utf-8"))
        except (OSError, ValueError):  # a file being written, or damaged: skip it
            continue
        if wanted in (str(a).strip().lower() for a in message.get("to") or []):
            messages.append({**message, "sent_at": _instant(message.get("sent_at"))})
            if len(messages) >= limit:
                break
    return messages
