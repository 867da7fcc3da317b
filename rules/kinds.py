"""The kinds of fact value, one definition each: the Python type a fact of the kind holds (and the
annotation the fact classes declare for mypy), how a JSON value is checked and read (``parse``), and
its JSON Schema (``schema``). ``Field.kind`` names one of ``KINDS``.

The portal's form widget of each kind (portal/cases/answers.py) and the test strategy of each kind
(tests/rules/test_properties.py) are keyed by the same names; tests/rules/test_kinds.py and
tests/portal/test_fact_kinds.py fail when a kind lacks one of its parts.
"""

from __future__ import annotations

import gettext
import math
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from functools import cache
from typing import Any

import pycountry

from . import noc
from .fields import BY_PATH, EMPLOYMENT_FIELDS, Field
from .params import param_text


class FactsError(ValueError):
    """Bad input. ``field`` names the offending fact path (e.g. ``position.noc_code``)."""

    def __init__(self, field: str, message: str):
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


COUNTRIES: frozenset[str] = frozenset(c.alpha_2 for c in pycountry.countries) | {"XK"}


@cache
def country_names(lang: str) -> dict[str, str]:
    """Every country's name by its code, in ``lang`` (en or fr)."""
    translate: Callable[[str], str] = str
    if lang == "fr":  # pycountry's own translations of ISO 3166 (what the portal's country lists show)
        translate = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["fr"]).gettext
    names = {c.alpha_2: translate(getattr(c, "common_name", None) or c.name) for c in pycountry.countries}
    names["XK"] = "Kosovo"
    if lang == "fr":
        names.update(FRENCH_SPELLING)
    return names


# pycountry's French names that French does not write so (tour of 2026-12-07): "Groënland", "Guinée
# Équatoriale" (an adjective takes no capital), "Macau" (French writes Macao). The list's inverted names
# ("Russie, Fédération de") are its sort order, as in English, and read as sentences in the letters.
FRENCH_SPELLING: dict[str, str] = {"GL": "Groenland", "GQ": "Guinée équatoriale", "MO": "Macao"}


# Places with an ISO 3166 code of their own whose people hold another country's citizenship and
# travel on its passport (no nationality of their own): a worker born in Puerto Rico is a US citizen,
# one from Réunion a French (and so EU) citizen. The countries lists offer them as places to live; as a
# citizenship, the portal asks for the country (a code's agreement reads the citizenship). Territories
# with a nationality or passport of their own (British overseas territories, Hong Kong, Macao) and
# American Samoa (US nationals, not citizens) are not listed.
CITIZENSHIP_OF_TERRITORY: dict[str, str] = {
    **dict.fromkeys(("PR", "GU", "VI", "MP", "UM"), "US"),
    **dict.fromkeys(("GP", "MQ", "GF", "RE", "YT", "PM", "BL", "MF", "NC", "PF", "WF", "TF"), "FR"),
    **dict.fromkeys(("AW", "CW", "SX", "BQ"), "NL"),
    **dict.fromkeys(("GL", "FO"), "DK"),
    **dict.fromkeys(("SJ", "BV"), "NO"),
    **dict.fromkeys(("CX", "CC", "NF", "HM"), "AU"),
    **dict.fromkeys(("GG", "JE", "IM"), "GB"),
    **dict.fromkeys(("TK", "CK", "NU"), "NZ"),
    "AX": "FI",
}


def country_name(code: str, lang: str = "en") -> str:
    """The country's name in ``lang`` (en or fr); the code itself when it is not a country's."""
    return country_names(lang).get(code, code)


# How a kind made of records (employment) reads one record: the caller builds the record's class
# (rules/model.py makes the fact classes from the registry), so it passes the function that does.
RecordReader = Callable[[Any, str], Any]


@dataclass(frozen=True, slots=True)
class Kind:
    name: str
    pytype: type  # what a fact of this kind holds once parsed (None when unknown)
    annotation: str  # the same, as the fact classes declare it for mypy (rules/model.py, TYPE_CHECKING)
    parse: Callable[[Field, Any, str, RecordReader], Any]  # a JSON value (not None) -> pytype; FactsError
    schema: Callable[[Field], dict[str, Any]]  # the JSON Schema of the value, beside its description


# --------------------------------------------------------------------------- reading values
def parse_date(value: Any, path: str) -> date:
    if isinstance(value, date):
        return value
    if not isinstance(value, str):
        raise FactsError(path, f"expected a date YYYY-MM-DD, got {type(value).__name__}")
    try:
        if len(value) != 10:
            raise ValueError
        return date.fromisoformat(value)
    except ValueError:
        raise FactsError(path, f"{value!r} is not a valid date (YYYY-MM-DD)") from None


def _country(value: Any, path: str) -> str:
    if not isinstance(value, str):
        raise FactsError(path, f"expected an ISO 3166-1 alpha-2 country code, got {type(value).__name__}")
    v = value.strip().upper()
    if v not in COUNTRIES:
        raise FactsError(path, f"{value!r} is not an ISO 3166-1 alpha-2 country code")
    return v


def _number(value: Any, path: str, spec: Field) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise FactsError(path, f"expected a number, got {type(value).__name__}")
    if not math.isfinite(value):
        raise FactsError(path, "expected a finite number")
    if spec.minimum is not None and value < spec.minimum:
        raise FactsError(path, f"must be >= {spec.minimum:g}")
    if spec.maximum is not None and value > spec.maximum:
        raise FactsError(path, f"must be <= {spec.maximum:g}")
    return value


def _parse_str(spec: Field, value: Any, path: str, _record: RecordReader) -> str:
    if not isinstance(value, str):
        raise FactsError(path, f"expected a string, got {type(value).__name__}")
    return value


def _parse_bool(spec: Field, value: Any, path: str, _record: RecordReader) -> bool:
    if not isinstance(value, bool):
        raise FactsError(path, f"expected true or false, got {value!r}")
    return value


def _parse_int(spec: Field, value: Any, path: str, _record: RecordReader) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise FactsError(path, f"expected an integer, got {value!r}")
    return int(_number(value, path, spec))


def _parse_number(spec: Field, value: Any, path: str, _record: RecordReader) -> float:
    return float(_number(value, path, spec))


def _parse_date(spec: Field, value: Any, path: str, _record: RecordReader) -> date:
    return parse_date(value, path)


# A citizenship (or the passport's country) given as a place whose people are citizens of another country
# (``CITIZENSHIP_OF_TERRITORY``: "PR" for a worker from Puerto Rico) is read as that country's: the
# agreements read the citizenship (a Puerto Rican is a US citizen, under CUSMA), and the passport is that
# country's. The portal's forms refuse such a place with the country to choose; a case file (CLI, API) may
# still give one. A place to live, or a company's country, stays as given.
_CITIZENSHIP_PATHS = frozenset({"worker.citizenships", "worker.passport_country"})


def _citizenship(spec: Field, code: str) -> str:
    return CITIZENSHIP_OF_TERRITORY.get(code, code) if spec.path in _CITIZENSHIP_PATHS else code


def _parse_country(spec: Field, value: Any, path: str, _record: RecordReader) -> str:
    return _citizenship(spec, _country(value, path))


def _parse_countries(spec: Field, value: Any, path: str, _record: RecordReader) -> tuple[str, ...]:
    if not isinstance(value, (list, tuple)):
        raise FactsError(path, "expected a list of ISO 3166-1 alpha-2 country codes")
    return tuple(dict.fromkeys(_citizenship(spec, _country(v, f"{path}[{i}]")) for i, v in enumerate(value)))


def _parse_choice(spec: Field, value: Any, path: str, _record: RecordReader) -> str:
    if not isinstance(value, str) or value not in spec.values:
        raise FactsError(path, f"{value!r} is not one of: {', '.join(spec.values)}")
    return value


def _parse_noc(spec: Field, value: Any, path: str, _record: RecordReader) -> str:
    if not isinstance(value, str):
        raise FactsError(path, f"expected a 5-digit NOC 2021 code as a string, got {value!r}")
    if not noc.is_valid(value):
        raise FactsError(path, f"{value!r} is not a NOC 2021 unit group")
    return value


def _parse_pct_map(spec: Field, value: Any, path: str, _record: RecordReader) -> dict[str, float]:
    if not isinstance(value, dict):
        raise FactsError(path, "expected an object of country code -> percent")
    out = {}
    for c, pct in value.items():
        cc = _country(c, f"{path}.{c}")
        out[cc] = float(_number(pct, f"{path}.{c}", BY_PATH["worker.ownership_pct"]))
    return out


def _parse_records(spec: Field, value: Any, path: str, record: RecordReader) -> tuple[Any, ...]:
    if not isinstance(value, (list, tuple)):
        raise FactsError(path, "expected a list of employment records")
    return tuple(record(rec, f"{path}[{i}]") for i, rec in enumerate(value))


# --------------------------------------------------------------------------- JSON Schema
_DATE_PATTERN = r"^\d{4}-\d{2}-\d{2}$"


def describe(f: Field) -> str:
    """The question as asked today (its numbers from the parameters now in force)."""
    return param_text(f.q_en, date.max)


def prop(f: Field) -> dict[str, Any]:
    """The JSON Schema of a field: its description, then its kind's schema."""
    return {"description": describe(f), **KINDS[f.kind].schema(f)}


def _country_schema() -> dict[str, Any]:
    return {"type": "string", "enum": sorted(COUNTRIES)}


def _bounded(kind: str, f: Field) -> dict[str, Any]:
    d: dict[str, Any] = {"type": [kind, "null"]}
    if f.minimum is not None:
        d["minimum"] = f.minimum
    if f.maximum is not None:
        d["maximum"] = f.maximum
    return d


def _records_schema(f: Field) -> dict[str, Any]:
    return {
        "type": ["array", "null"],
        "items": {
            "type": "object",
            "additionalProperties": False,
            "properties": {e.path.rsplit(".", 1)[1]: prop(e) for e in EMPLOYMENT_FIELDS},
        },
    }


KINDS: dict[str, Kind] = {
    k.name: k
    for k in (
        Kind("str", str, "str", _parse_str, lambda f: {"type": ["string", "null"]}),
        Kind("bool", bool, "bool", _parse_bool, lambda f: {"type": ["boolean", "null"]}),
        Kind("int", int, "int", _parse_int, lambda f: _bounded("integer", f)),
        Kind("number", float, "float", _parse_number, lambda f: _bounded("number", f)),
        Kind(
            "date",
            date,
            "date",
            _parse_date,
            lambda f: {"type": ["string", "null"], "format": "date", "pattern": _DATE_PATTERN},
        ),
        Kind(
            "country", str, "str", _parse_country, lambda f: {"anyOf": [_country_schema(), {"type": "null"}]}
        ),
        Kind(
            "countries",
            tuple,
            "tuple[str, ...]",
            _parse_countries,
            lambda f: {
                "description": describe(f) + " ([] = none; null = unknown)",
                "type": ["array", "null"],
                "items": _country_schema(),
            },
        ),
        Kind("enum", str, "str", _parse_choice, lambda f: {"enum": [*f.values, None]}),
        Kind("province", str, "str", _parse_choice, lambda f: {"enum": [*f.values, None]}),
        Kind(
            "noc",
            str,
            "str",
            _parse_noc,
            lambda f: {"enum": [*sorted(noc.UNITS), noc.ENTREPRENEUR_CODE, None]},
        ),
        Kind(
            "pct_map",
            dict,
            "dict[str, float]",
            _parse_pct_map,
            lambda f: {
                "type": ["object", "null"],
                "propertyNames": {"enum": sorted(COUNTRIES)},
                "additionalProperties": {"type": "number", "minimum": 0, "maximum": 100},
            },
        ),
        Kind("employment", tuple, "tuple[Employment, ...]", _parse_records, _records_schema),
    )
}
