"""Times in an organization's zone (timezones.local_time), kept per instant, zone and language: the
same text as Babel's formatting, in winter and summer time, in English and French."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
from babel.dates import format_datetime

from portal.timezones import _formatted, local_time

INSTANTS = [
    datetime(2026, 1, 15, 11, 19, tzinfo=UTC),  # winter: EST / HNE
    datetime(2026, 7, 1, 23, 59, tzinfo=UTC),  # summer: EDT / HAE
    datetime(2026, 3, 8, 6, 59, tzinfo=UTC),  # a minute before Toronto moves to summer time
    datetime(2026, 3, 8, 7, 0, tzinfo=UTC),
]


# Toronto, as the pages write it: the locale's medium date, its short time and the zone's short name.
TORONTO = {
    "en": [
        "Jan 15, 2026, 6:19\u202fa.m. EST",
        "Jul 1, 2026, 7:59\u202fp.m. EDT",
        "Mar 8, 2026, 1:59\u202fa.m. EST",
        "Mar 8, 2026, 3:00\u202fa.m. EDT",
    ],
    "fr": [
        "15 janv. 2026, 6 h 19 HNE",
        "1er juill. 2026, 19 h 59 HAE",
        "8 mars 2026, 1 h 59 HNE",
        "8 mars 2026, 3 h 00 HAE",
    ],
}


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_a_time_is_written_out_in_the_zone_and_language(lang):
    """Tour of 2026-12-06: the history, review notes and registers said "2026-12-03 06:19 HNE" where
    every other date of the pages is written out."""
    org = SimpleNamespace(zone_name="America/Toronto")
    for instant, expected in zip(INSTANTS, TORONTO[lang], strict=True):
        _formatted.cache_clear()
        assert local_time(instant, org, lang) == expected  # made
        assert local_time(instant, org, lang) == expected  # kept


@pytest.mark.parametrize("zone", ["America/Toronto", "America/Vancouver", "America/St_Johns", "UTC"])
@pytest.mark.parametrize(("lang", "locale"), [("en", "en_CA"), ("fr", "fr_CA")])
def test_a_kept_time_reads_as_babel_formats_it(zone, lang, locale):
    org = None if zone == "UTC" else SimpleNamespace(zone_name=zone)
    pattern = {"en_CA": "MMM d, y, h:mm\u202fa z", "fr_CA": "d MMM y, H 'h' mm z"}[locale]
    for instant in INSTANTS:
        expected = format_datetime(instant, pattern, tzinfo=ZoneInfo(zone), locale=locale)
        if locale == "fr_CA" and expected.startswith("1 "):  # French: the first of a month is "1er"
            expected = "1er" + expected[1:]
        _formatted.cache_clear()
        assert local_time(instant, org, lang) == expected  # made
        assert local_time(instant, org, lang) == expected  # kept
        # The same instant given in another zone, or naive (SQLite's UTC), reads the same.
        assert local_time(instant.astimezone(ZoneInfo("Asia/Tokyo")), org, lang) == expected
        assert local_time(instant.replace(tzinfo=None), org, lang) == expected


def test_winter_and_summer_times_are_named_apart():
    org = SimpleNamespace(zone_name="America/Toronto")
    assert local_time(INSTANTS[0], org, "en").endswith("EST")
    assert local_time(INSTANTS[1], org, "en").endswith("EDT")
    assert local_time(INSTANTS[2], org, "en") != local_time(INSTANTS[3], org, "en")


def test_no_template_prints_a_stored_time_without_its_zone():
    """Stored times are UTC: a template that formats one itself (strftime) shows UTC with no zone, a day off
    in a Canadian evening. Templates use the local_time filter (or moment for documents)."""
    templates = Path(__file__).resolve().parents[2] / "templates"
    assert [p.name for p in templates.rglob("*.html") if "strftime" in p.read_text(encoding="utf-8")] == []


def test_today_is_the_employer_s_day_not_the_server_s(app, monkeypatch):
    """Tour of 2026-12-06: at 10:38 pm in Toronto the server (UTC) dated a letter the next day and took a
    permit issued "tomorrow" as already issued. Today is the organization's day in its request, else
    Eastern time (tasks, the CLI); the clock is set to 03:30 UTC, the evening before in the Americas."""
    from flask import g  # noqa: PLC0415 - the request's globals, set as a guarded view sets them

    from portal import clock  # noqa: PLC0415

    class Frozen(datetime):
        @classmethod
        def now(cls, tz=None):  # noqa: ANN206 - datetime's own signature
            return datetime(2026, 12, 6, 3, 30, tzinfo=UTC).astimezone(tz)

    monkeypatch.setattr(clock, "datetime", Frozen)
    assert clock.today().isoformat() == "2026-12-05"  # Eastern time: still the 5th
    with app.test_request_context():
        g.access = SimpleNamespace(organization=SimpleNamespace(zone=ZoneInfo("Asia/Tokyo")))
        assert clock.today().isoformat() == "2026-12-06"  # an organization's own zone decides
        g.access = SimpleNamespace(organization=SimpleNamespace(zone=ZoneInfo("America/Vancouver")))
        assert clock.today().isoformat() == "2026-12-05"
