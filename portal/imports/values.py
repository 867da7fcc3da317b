"""Reading the values people type in an import file: countries and dates.

parse_country("India") == parse_country("Inde") == parse_country("ind") == parse_country("IN") == "IN"
parse_date("31/12/1989") == parse_date("31 décembre 1989") == parse_date("Dec 31, 1989") == date(1989, 12, 31)

Both return None for a value they cannot read; the caller names the expected format in its message.
Pure Python (pycountry and its bundled ISO 3166 French names): no Flask, no database.
"""

from __future__ import annotations

import gettext
import re
import unicodedata
from datetime import date
from functools import cache, lru_cache

import pycountry

DATE_FORMATS = "YYYY-MM-DD, DD/MM/YYYY, 31 December 1989, 31 décembre 1989"

# Names people write that ISO 3166 spells otherwise (English and French).
_ALIASES = {
    "usa": "US",
    "u s a": "US",
    "u s": "US",
    "united states of america": "US",
    "etats unis": "US",
    "uk": "GB",
    "u k": "GB",
    "great britain": "GB",
    "britain": "GB",
    "england": "GB",
    "scotland": "GB",
    "wales": "GB",
    "northern ireland": "GB",
    "grande bretagne": "GB",
    "angleterre": "GB",
    "ecosse": "GB",
    "russia": "RU",
    "russie": "RU",
    "south korea": "KR",
    "korea": "KR",
    "republic of korea": "KR",
    "coree du sud": "KR",
    "north korea": "KP",
    "coree du nord": "KP",
    "vietnam": "VN",
    "iran": "IR",
    "syria": "SY",
    "laos": "LA",
    "moldova": "MD",
    "tanzania": "TZ",
    "venezuela": "VE",
    "bolivia": "BO",
    "taiwan": "TW",
    "czech republic": "CZ",
    "republique tcheque": "CZ",
    "tchequie": "CZ",
    "turkey": "TR",
    "turquie": "TR",
    "holland": "NL",
    "the netherlands": "NL",
    "hollande": "NL",
    "ivory coast": "CI",
    "cape verde": "CV",
    "swaziland": "SZ",
    "burma": "MM",
    "macedonia": "MK",
    "kosovo": "XK",
    "palestine": "PS",
    "vatican": "VA",
    "hong kong": "HK",
    "macau": "MO",
    "macao": "MO",
}


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", text.lower().replace("œ", "oe").replace("æ", "ae"))
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return " ".join(re.findall(r"[a-z0-9]+", text))


@cache
def _countries() -> dict[str, str]:
    """Every spelling -> ISO alpha-2 code; a spelling shared by two countries is left out."""
    french = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["fr"]).gettext
    found: dict[str, set[str]] = {}

    def add(name: str | None, code: str) -> None:
        if not name:
            return
        names = [name]
        if ", " in name:  # "Korea, Republic of" -> "Korea" and "Republic of Korea"
            head, tail = name.split(", ", 1)
            names += [head, f"{tail} {head}"]
        for n in names:
            key = _fold(n)
            if key:
                found.setdefault(key, set()).add(code)

    for c in pycountry.countries:
        for name in (c.name, getattr(c, "common_name", None), getattr(c, "official_name", None)):
            add(name, c.alpha_2)
            if name:
                add(french(name), c.alpha_2)
        found.setdefault(c.alpha_3.lower(), set()).add(c.alpha_2)
    table = {key: next(iter(codes)) for key, codes in found.items() if len(codes) == 1}
    table.update(_ALIASES)
    return table


@lru_cache(maxsize=4096)  # a file repeats its countries: each spelling read once
def parse_country(text: str | None) -> str | None:
    """The ISO 3166 alpha-2 code for a code (IN, IND) or a name in English or French; None if unknown."""
    value = (text or "").strip()
    if not value:
        return None
    if len(value) == 2 and value.isalpha():
        code = value.upper()
        if code == "XK" or pycountry.countries.get(alpha_2=code):
            return code
    return _countries().get(_fold(value))


# --- Dates ---------------------------------------------------------------------------------------

_MONTHS = {
    # English
    "january": 1,
    "february": 2,
    "march": 3,
    "april": 4,
    "may": 5,
    "june": 6,
    "july": 7,
    "august": 8,
    "september": 9,
    "october": 10,
    "november": 11,
    "december": 12,
    "sept": 9,
    # French
    "janvier": 1,
    "fevrier": 2,
    "mars": 3,
    "avril": 4,
    "mai": 5,
    "juin": 6,
    "juillet": 7,
    "aout": 8,
    "septembre": 9,
    "octobre": 10,
    "novembre": 11,
    "decembre": 12,
    "janv": 1,
    "fevr": 2,
    "avr": 4,
    "juil": 7,
}
_ABBREVIATIONS = {name[:3]: number for name, number in _MONTHS.items() if len(name) > 3 and name[:3] != "jui"}


def _month(word: str) -> int | None:
    word = _fold(word)
    return _MONTHS.get(word) or _ABBREVIATIONS.get(word)


def _date(year: int, month: int, day: int) -> date | None:
    if not 1000 <= year <= 9999:
        return None
    try:
        return date(year, month, day)
    except ValueError:
        return None


@lru_cache(maxsize=4096)
def parse_date(text: str | None) -> date | None:
    """A date written YYYY-MM-DD, DD/MM/YYYY (also with - or .), or with the month's name in
    English or French (31 December 1989, December 31, 1989, 31 déc. 1989, 1er janvier 1990);
    None if it cannot be read or does not exist."""
    value = (text or "").strip()
    if not value:
        return None
    m = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ]00:00(?::00)?)?", value)
    if m:
        return _date(int(m[1]), int(m[2]), int(m[3]))
    m = re.fullmatch(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})", value)
    if m:
        return _date(int(m[3]), int(m[2]), int(m[1]))
    words = re.findall(r"[^\W\d_]+|\d+", value)
    # a number is decimal digits (``\d``, what int() reads): a superscript "²⁰²⁷" passes isdigit() but
    # not int(), and a date written with one answered 500; it is a word like any other, so no date
    numbers = [w for w in words if w.isdecimal()]
    names = [
        w
        for w in words
        if not w.isdecimal() and w.lower() not in ("er", "st", "nd", "rd", "th", "the", "of", "le")
    ]
    if len(numbers) != 2 or len(names) != 1:
        return None
    month = _month(names[0])
    if month is None:
        return None
    first, second = numbers
    if len(second) == 4:  # 31 December 1989, December 31 1989
        return _date(int(second), month, int(first))
    if len(first) == 4:  # 1989 December 31
        return _date(int(first), month, int(second))
    return None
