"""Countries and dates as people write them in an import file (portal/imports/values.py)."""

from __future__ import annotations

from datetime import date

import pytest

from portal.imports.values import parse_country, parse_date


@pytest.mark.parametrize(
    "text, code",
    [
        ("IN", "IN"),
        ("in", "IN"),
        ("IND", "IN"),
        ("India", "IN"),
        ("Inde", "IN"),
        ("  india ", "IN"),
        ("United States", "US"),
        ("États-Unis", "US"),
        ("Etats-Unis", "US"),
        ("USA", "US"),
        ("United Kingdom", "GB"),
        ("Royaume-Uni", "GB"),
        ("UK", "GB"),
        ("Germany", "DE"),
        ("Allemagne", "DE"),
        ("South Korea", "KR"),
        ("Korea, Republic of", "KR"),
        ("Corée, République de", "KR"),
        ("Corée du Sud", "KR"),
        ("Mexique", "MX"),
        ("Côte d'Ivoire", "CI"),
        ("Cote d Ivoire", "CI"),
        ("Viet Nam", "VN"),
        ("Vietnam", "VN"),
        ("Chine", "CN"),
        ("Brésil", "BR"),
        ("Kosovo", "XK"),
        ("XK", "XK"),
    ],
)
def test_country_by_code_or_english_or_french_name(text, code):
    assert parse_country(text) == code


@pytest.mark.parametrize("text", ["", None, "ZZ", "Atlantis", "Indi", "12", "Inde;US"])
def test_unknown_country_is_none(text):
    assert parse_country(text) is None


@pytest.mark.parametrize(
    "text, expected",
    [
        ("1989-12-31", date(1989, 12, 31)),
        ("1989-12-31 00:00:00", date(1989, 12, 31)),
        ("31/12/1989", date(1989, 12, 31)),
        ("1/2/1990", date(1990, 2, 1)),  # day first: 1 February
        ("31.12.1989", date(1989, 12, 31)),
        ("31-12-1989", date(1989, 12, 31)),
        ("31 December 1989", date(1989, 12, 31)),
        ("December 31, 1989", date(1989, 12, 31)),
        ("Dec 31 1989", date(1989, 12, 31)),
        ("31-Dec-1989", date(1989, 12, 31)),
        ("31 décembre 1989", date(1989, 12, 31)),
        ("31 decembre 1989", date(1989, 12, 31)),
        ("1er janvier 1990", date(1990, 1, 1)),
        ("15 août 2020", date(2020, 8, 15)),
        ("3 févr. 2021", date(2021, 2, 3)),
        ("1st March 2001", date(2001, 3, 1)),
        ("2001 March 1", date(2001, 3, 1)),
    ],
)
def test_date_formats(text, expected):
    assert parse_date(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "",
        None,
        "31/02/1989",
        "12/31/1989",
        "1989-13-01",
        "yesterday",
        "31 Smarch 1989",
        "31 12",
        "juil 1989",
        "0001-01-01",
        "31 December ²²²²",  # superscript digits pass str.isdigit() but not int(): this raised
        "3 January ²⁰²⁷",
    ],
)
def test_unreadable_or_impossible_date_is_none(text):
    assert parse_date(text) is None
