"""Times shown in the organization's time zone, with the zone named (stored times are UTC)."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from babel.dates import format_datetime
from flask_babel import get_locale

from portal.i18n import BABEL_LOCALES
from portal.models import Organization


def local_time(value: datetime | None, org: Organization | None, lang: str | None = None) -> str:
    """``2026-12-03 06:19 EST`` (French: ``HNE``): ``value`` in ``org``'s zone (UTC without one)."""
    if value is None:
        return ""
    if value.tzinfo is None:  # SQLite hands back naive values of aware columns: they are UTC
        value = value.replace(tzinfo=UTC)
    if lang is None:
        current = get_locale()
        lang = current.language if current is not None else "en"
    zone = org.zone if org is not None else ZoneInfo("UTC")
    return format_datetime(value, "yyyy-MM-dd HH:mm z", tzinfo=zone, locale=BABEL_LOCALES.get(lang, "en_CA"))
