"""Times shown in the organization's time zone, with the zone named (stored times are UTC)."""

from __future__ import annotations

from datetime import UTC, datetime
from functools import lru_cache
from zoneinfo import ZoneInfo

from babel.dates import format_datetime

from portal.i18n import BABEL_LOCALES, current_locale
from portal.models import Organization


def local_time(value: datetime | None, org: Organization | None, lang: str | None = None) -> str:
    """``2026-12-03 06:19 EST`` (French: ``HNE``): ``value`` in ``org``'s zone (UTC without one)."""
    if value is None:
        return ""
    if value.tzinfo is None:  # SQLite hands back naive values of aware columns: they are UTC
        value = value.replace(tzinfo=UTC)
    if lang is None:
        current = current_locale()
        lang = current.language if current is not None else "en"
    zone_name = org.zone_name if org is not None else "UTC"
    return _formatted(value, zone_name, BABEL_LOCALES.get(lang, "en_CA"))


@lru_cache(maxsize=4096)
def _formatted(value: datetime, zone_name: str, locale: str) -> str:
    """Babel's formatting of one instant in one zone and locale (~50 us: the zone's name in the locale
    is looked up each time), kept: a pure function of its arguments, and the dashboard's recent changes
    show the same ten times on every visit."""
    return format_datetime(value, "yyyy-MM-dd HH:mm z", tzinfo=ZoneInfo(zone_name), locale=locale)
