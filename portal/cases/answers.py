"""The form side of each kind of fact (rules/kinds.py): the input that asks an open question on the case
page (a macro of templates/cases/_fact_inputs.html) and how the form's value is read into the value
the rules engine checks. Keyed by the names of ``rules.kinds.KINDS``; tests/portal/test_fact_kinds.py
fails when a kind has no widget.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from portal.forms_common import typed_number

NONE_CHOICE = "NONE"  # the "None" choice of a list question (citizenships, permanent residences...)

Raw = str | list[str]


class NoneAndCountries(ValueError):
    """The "None" choice and countries chosen together."""


@dataclass(frozen=True, slots=True)
class Widget:
    macro: str  # the macro of templates/cases/_fact_inputs.html that draws the input
    # The form's value (never empty) -> the fact's value; KeyError/ValueError when it is not in the
    # expected form. None: the question is not answered on the case page (the macro says where).
    read: Callable[[Raw], Any] | None
    multiple: bool = False  # the form sends a list (several choices)


def _text(raw: Raw) -> str:
    return str(raw).strip()


def _yes_no(raw: Raw) -> bool:  # a list (the field sent twice) is not in the expected form: KeyError
    return {"yes": True, "no": False}[str(raw)]


def _int(raw: Raw) -> int:
    return int(typed_number(str(raw)))


def _number(raw: Raw) -> float:
    return float(typed_number(str(raw)))


def _country(raw: Raw) -> str:
    return str(raw).strip().upper()


def _countries(raw: Raw) -> list[str]:
    given = raw if isinstance(raw, list) else str(raw).replace(";", ",").split(",")
    values = [v.strip().upper() for v in given if v.strip()]
    if NONE_CHOICE in values:  # an explicit "none" (an empty answer stays unknown)
        if len(values) > 1:
            raise NoneAndCountries
        return []
    return values


def _date(raw: Raw) -> date:
    return date.fromisoformat(str(raw))


# One share of a "percent per country" answer: a country code, then its percent, with or without a colon
# (or an equals sign) and a percent sign: "US:60", "US 60 %", "us=60%".
_SHARE = re.compile(r"\s*([A-Za-z]{2})\s*[:=]?\s*(\d+(?:[.,]\d+)?)\s*%?\s*")


def _pct_map(raw: Raw) -> dict[str, float]:
    out: dict[str, float] = {}
    for part in str(raw).replace(";", ",").split(","):
        if not part.strip():
            continue
        share = _SHARE.fullmatch(part)
        if share is None:
            raise ValueError(part)
        out[share.group(1).upper()] = float(share.group(2).replace(",", "."))
    if not out:
        raise ValueError(raw)
    return out


WIDGETS: dict[str, Widget] = {
    "str": Widget("text", _text),
    "bool": Widget("yes_no", _yes_no),
    "int": Widget("integer", _int),
    "number": Widget("decimal", _number),
    "date": Widget("date", _date),
    "country": Widget("country", _country),
    "countries": Widget("countries", _countries, multiple=True),
    "enum": Widget("choice", _text),
    "province": Widget("choice", _text),
    "noc": Widget("text", _text),
    "pct_map": Widget("pct_map", _pct_map),
    "employment": Widget("employment", None),  # the jobs are entered on the transferee's page
}
