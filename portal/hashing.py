"""The SHA-256 fingerprints the portal keeps: of bytes and text, and of JSON data in one canonical form."""

from __future__ import annotations

import hashlib
import json
from typing import Any


def sha256_hex(data: bytes | str) -> str:
    """The SHA-256 of ``data`` (text is hashed as UTF-8), in hexadecimal."""
    return hashlib.sha256(data.encode() if isinstance(data, str) else data).hexdigest()


def canonical_sha256(data: Any) -> str:
    """The SHA-256 of ``data`` as canonical JSON (sorted keys, no spaces, UTF-8; dates and other
    values JSON lacks as their text), so equal data always gives the same fingerprint."""
    return sha256_hex(
        json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)
    )
