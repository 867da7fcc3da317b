"""Builds the published JSON Schema of the facts (rules/schema/facts.v1.json) from the field registry.

Regenerate after changing rules/fields.py:  python -m rules schema > rules/schema/facts.v1.json
(a test fails when the file and the registry disagree)."""

from __future__ import annotations

from datetime import date
from typing import Any

from . import noc
from .fields import EMPLOYMENT_FIELDS, FIELDS, SECTIONS, Field
from .model import COUNTRIES
from .params import param_text

SCHEMA_ID = "https://github.com/imp-portal/imp-portal/rules/schema/facts.v1.json"


def _prop(f: Field) -> dict[str, Any]:
    k = f.kind
    # the question as asked today (its numbers from the parameters now in force)
    d: dict[str, Any] = {"description": param_text(f.q_en, date.max)}
    country = {"type": "string", "enum": sorted(COUNTRIES)}
    if k == "str":
        d["type"] = ["string", "null"]
    elif k == "bool":
        d["type"] = ["boolean", "null"]
    elif k in ("int", "number"):
        d["type"] = ["integer", "null"] if k == "int" else ["number", "null"]
        if f.minimum is not None:
            d["minimum"] = f.minimum
        if f.maximum is not None:
            d["maximum"] = f.maximum
    elif k == "date":
        d["type"] = ["string", "null"]
        d["format"] = "date"
        d["pattern"] = r"^\d{4}-\d{2}-\d{2}$"
    elif k == "country":
        d["anyOf"] = [country, {"type": "null"}]
    elif k == "countries":
        d["type"] = ["array", "null"]
        d["items"] = country
        d["description"] = d.get("description", "") + " ([] = none; null = unknown)"
    elif k in ("enum", "province"):
        d["enum"] = list(f.values) + [None]
    elif k == "noc":
        d["enum"] = sorted(noc.UNITS) + [noc.ENTREPRENEUR_CODE, None]
    elif k == "pct_map":
        d["type"] = ["object", "null"]
        d["propertyNames"] = {"enum": sorted(COUNTRIES)}
        d["additionalProperties"] = {"type": "number", "minimum": 0, "maximum": 100}
    elif k == "employment":
        d["type"] = ["array", "null"]
        d["items"] = {
            "type": "object",
            "additionalProperties": False,
            "properties": {e.path.rsplit(".", 1)[1]: _prop(e) for e in EMPLOYMENT_FIELDS},
        }
    return d


def build_schema() -> dict[str, Any]:
    props = {}
    for sec in SECTIONS:
        fs = [f for f in FIELDS if f.path.startswith(sec + ".")]
        props[sec] = {
            "type": ["object", "null"],
            "additionalProperties": False,
            "properties": {f.path.split(".", 1)[1]: _prop(f) for f in fs},
        }
    props["as_of"] = {
        "type": "string",
        "format": "date",
        "pattern": r"^\d{4}-\d{2}-\d{2}$",
        "description": "Assessment date (case files only; --as-of overrides it).",
    }
    for k in ("$schema", "name", "title", "description"):
        props[k] = {"type": "string"}
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": "IMP Portal rules engine – case facts, version 1",
        "description": "Facts for rules.assess / `python -m rules assess`. Every fact is optional: a missing fact is null and "
        "yields a question, never a silent 'no'. Countries are ISO 3166-1 alpha-2 codes; dates are YYYY-MM-DD.",
        "type": "object",
        "additionalProperties": False,
        "properties": props,
    }
