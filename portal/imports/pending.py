"""The file waiting between the preview and the confirmation.

It waits in the document store, under ``imports/<organization id>/<user id>/`` and a random token, so
only the same user in the same organization can confirm it (the browser never resends the data). Its
checked rows wait beside it (``<token>.<kind>.rows``, with the SHA-256 of the file they were read
from), so the confirmation does not parse the file again; rows that are missing, or were read from
other bytes, are not used (the confirmation then checks the file again).
"""

from __future__ import annotations

import os
import re
import secrets
import time
from datetime import date
from pathlib import Path

from flask import current_app

from portal.hashing import sha256_hex
from portal.imports import parsing
from portal.imports.kinds import Kind
from portal.imports.parsing import Parsed
from portal.models import Organization, User

TOKEN_MAX_AGE = 24 * 3600  # seconds a checked file waits for its confirmation

_TOKEN = re.compile(r"[A-Za-z0-9_-]{32,64}")


def _folder(org: Organization, user: User) -> Path:
    return Path(current_app.config["DOCUMENT_STORE"]) / "imports" / str(int(org.id)) / str(int(user.id))


def _path(org: Organization, user: User, kind: Kind, token: str, suffix: str = "csv") -> Path | None:
    """The file a token names; None for a token that is not one of ours (it could name another path)."""
    if not _TOKEN.fullmatch(token or ""):
        return None
    return _file(org, user, kind, token, suffix)


def _file(org: Organization, user: User, kind: Kind, token: str, suffix: str = "csv") -> Path:
    return _folder(org, user) / f"{token}.{kind.name}.{suffix}"


def store(org: Organization, user: User, kind: Kind, raw: bytes, rows: bytes | None = None) -> str:
    """Keep the checked file, and its checked ``rows`` when given, for the confirmation; returns the
    token naming them."""
    folder = _folder(org, user)
    folder.mkdir(parents=True, exist_ok=True)
    prune(folder)
    token = secrets.token_urlsafe(32)
    if rows is not None:  # first: the file's name is what makes the token confirmable
        _write(_file(org, user, kind, token, ROWS), _digest(raw) + b"\n" + rows)
    _write(_file(org, user, kind, token), raw)
    return token


ROWS = "rows"  # the suffix of the checked rows beside the file


def _digest(raw: bytes) -> bytes:
    return sha256_hex(raw).encode("ascii")


def _write(path: Path, data: bytes) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as out:
        out.write(data)


def _rows_file(claimed: Path) -> Path:
    """The checked rows beside a claimed file (``<token>.<kind>.<random>.importing``)."""
    token, kind = claimed.name.split(".")[:2]
    return claimed.with_name(f"{token}.{kind}.{ROWS}")


def checked(kind: Kind, claimed: Path, *, on: date) -> Parsed:
    """The rows of a claimed file: those checked at the preview, or when they are missing or were read
    from other bytes, the file checked again (by the rules in force ``on``)."""
    raw = claimed.read_bytes()
    return parsing.load(kind, checked_rows(claimed, raw)) or parsing.parse(kind, raw, on=on)


def checked_rows(claimed: Path, raw: bytes) -> bytes | None:
    """The rows checked at the preview, when they were read from these very bytes; else None."""
    try:
        digest, _sep, rows = _rows_file(claimed).read_bytes().partition(b"\n")
    except (FileNotFoundError, ValueError):
        return None
    return rows if digest == _digest(raw) else None


def prune(folder: Path) -> None:
    limit = time.time() - TOKEN_MAX_AGE
    for old in folder.glob("*.*.*"):
        try:
            if old.stat().st_mtime < limit:
                old.unlink()
        except FileNotFoundError:
            pass


def claim(org: Organization, user: User, kind: Kind, token: str) -> Path | None:
    """Take the stored file for one confirmation (a second click or tab finds nothing); None if absent."""
    path = _path(org, user, kind, token)
    if path is None:
        return None
    claimed = path.with_suffix(f".{secrets.token_hex(4)}.importing")
    try:
        if path.stat().st_mtime < time.time() - TOKEN_MAX_AGE:
            path.unlink(missing_ok=True)
            return None
        path.rename(claimed)
    except FileNotFoundError:
        return None
    return claimed


def release(claimed: Path, org: Organization, user: User, kind: Kind, token: str) -> None:
    """Put a claimed file back (the import failed: the user may try again)."""
    path = _path(org, user, kind, token)
    if path is not None:
        claimed.rename(path)


def discard(claimed: Path) -> None:
    claimed.unlink(missing_ok=True)
    _rows_file(claimed).unlink(missing_ok=True)
