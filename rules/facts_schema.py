"""Builds the published JSON Schema of the facts (rules/schema/facts.v1.json) from the field registry
(each field's schema is its kind's, rules/kinds.py).

Regenerate after changing rules/fields.py:  python -m rules schema > rules/schema/facts.v1.json
(a test fails when the file and the registry disagree)."""

from __future__ import annotations

from typing import Any

from .fields import FIELDS, SECTIONS
from .kinds import prop

SCHEMA_ID = "https://github.com/imp-portal/imp-portal/rules/schema/facts.v1.json"


def build_schema() -> dict[str, Any]:
    props = {}
    for sec in SECTIONS:
        fs = [f for f in FIELDS if f.path.startswith(sec + ".")]
        props[sec] = {
            "type": ["object", "null"],
            "additionalProperties": False,
            "properties": {f.path.split(".", 1)[1]: prop(f) for f in fs},
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
