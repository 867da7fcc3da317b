"""Times shown in the organization's time zone, with the zone named (stored times are UTC)."""

from __future__ import annotations

from datetime import UTC, datetime
from functools import lru_cache
from zoneinfo import ZoneInfo

from babel import Locale
from babel.dates import format_datetime

from portal.i18n import BABEL_LOCALES, current_locale, first_of_month
from portal.models import Organization


def local_time(value: datetime | None, org: Organization | None, lang: str | None = None) -> str:
    """``Dec 3, 2026, 6:19 a.m. EST`` (French: ``3 déc. 2026, 6 h 19 HNE``): ``value`` in ``org``'s zone
    (UTC without one), written as the pages write dates (tour of 2026-12-06: the history and the review
    notes said ``2026-12-03 06:19 HNE`` beside dates written out)."""
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
    text = format_datetime(value, _pattern(locale), tzinfo=ZoneInfo(zone_name), locale=locale)
    return first_of_month(text, value.astimezone(ZoneInfo(zone_name)).day, locale)


@lru_cache(maxsize=8)
def _pattern(locale: str) -> str:
    """The locale's medium date and short time, joined as it joins them, then the zone's short name:
    ``MMM d, y, h:mm a z`` (en_CA), ``d MMM y, H 'h' mm z`` (fr_CA: the hour without a leading zero)."""
    parsed = Locale.parse(locale)
    joined = str(parsed.datetime_formats["medium"])
    date_part, time_part = parsed.date_formats["medium"].pattern, parsed.time_formats["short"].pattern
    if parsed.language == "fr":  # French text writes the hour without a leading zero: 6 h 19, not 06 h 19
        time_part = time_part.replace("HH", "H")
    return joined.replace("{1}", date_part).replace("{0}", f"{time_part} z")
