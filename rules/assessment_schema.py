"""The published JSON Schema of what ``rules.assess(...).to_dict(lang)`` returns
(rules/schema/assessment.v1.json): the contract of issue 14 (``route``, ``pending``, ``needed``,
``complete``) spelled out so that another program can rely on it.

Regenerate after changing the output:  python -m rules schema --assessment > rules/schema/assessment.v1.json
(a test fails when the file and this module disagree, and every reference case is validated against it)."""

from __future__ import annotations

from typing import Any

ROUTES = ("IMP", "pending", "TFWP", "open_permit", "no_permit")  # Assessment.route

SCHEMA_ID = "https://github.com/imp-portal/imp-portal/rules/schema/assessment.v1.json"

_CODE = {"type": "string", "pattern": "^[A-Z][0-9A-Z]{2}$"}
_FACT = {"type": "string", "pattern": r"^[a-z_]+\.[a-z_0-9]+$"}
_OBJECTS = {"type": "array", "items": {"type": "object"}}

_QUESTION = {
    "type": "object",
    "required": ["fact", "question", "needed", "decides", "codes"],
    "properties": {
        "fact": _FACT,
        "question": {"type": "string", "minLength": 1},
        "needed": {
            "type": "boolean",
            "description": "true: the answer could change the route or the recommended code; false: it "
            "could only add another fitting code.",
        },
        "decides": {"type": "string", "description": "What the answer could decide, in words, in `lang`."},
        "codes": {
            "type": "array",
            "items": {"type": "string"},
            "description": "The codes it could decide (small print); `TFWP` or `open_permit` when it decides the route.",
        },
    },
}

_PENDING = {
    "type": "object",
    "required": ["code", "label", "waits_for"],
    "properties": {
        "code": _CODE,
        "label": {"type": "string"},
        "waits_for": {"type": "array", "items": _FACT, "minItems": 1},
    },
}

_EMPLOYER_STEP = {
    "type": "object",
    "required": ["kind", "fee_cad", "payer", "reason"],
    "properties": {
        "kind": {"enum": ["offer+fee", "offer, fee-exempt", "none", "lmia", "pending"]},
        "fee_cad": {"type": ["number", "null"]},
        "payer": {"type": ["string", "null"]},
        "reason": {"type": "string"},
    },
}

_NO_NEEDED_QUESTION = {"items": {"properties": {"needed": {"const": False}}}}
_A_NEEDED_QUESTION = {"contains": {"properties": {"needed": {"const": True}}}}
# a needed question on whether the worker already holds an open permit (its codes name "open_permit")
_AN_OPEN_PERMIT_QUESTION = {
    "contains": {"properties": {"needed": {"const": True}, "codes": {"contains": {"const": "open_permit"}}}}
}

# a needed question on the worker's citizenship (or, living in Canada without a permit, permanent residence) while
# no code is left: the worker may be a Canadian citizen or permanent resident
# (its codes name "no_permit")
_A_CITIZENSHIP_QUESTION = {
    "contains": {"properties": {"needed": {"const": True}, "codes": {"contains": {"const": "no_permit"}}}}
}


def build_assessment_schema() -> dict[str, Any]:
    props: dict[str, Any] = {
        "ruleset_version": {"type": "string", "minLength": 1},
        "as_of": {"type": "string", "format": "date", "pattern": r"^\d{4}-\d{2}-\d{2}$"},
        "lang": {"enum": ["en", "fr"]},
        "route": {
            "enum": list(ROUTES),
            "description": "IMP: a code fits; pending: none fits yet, at least one could on answers not yet "
            "given, the worker may already hold an open permit, or the worker's citizenship (or, for a worker living in Canada without a permit, permanent residence) is unknown; TFWP: every candidate failed on known facts "
            "and the worker holds no open permit (see reasons); open_permit: the worker already holds an open "
            "work permit (or is an invited IEC Working Holiday participant), or applies for one as the spouse or "
            "common-law partner of a foreign worker (reasons: the spouse's code, e.g. T45, F64, T53, T25, F36, F73 or "
            "C41); no_permit: the worker is a Canadian "
            "citizen or permanent resident, who needs no work permit (IRPA s. 2(1), 30(1)).",
        },
        "recommended": {"anyOf": [_CODE, {"type": "null"}]},
        "codes_fit": {"type": "array", "items": _CODE},
        "complete": {"type": "boolean", "description": "true exactly when no needed question remains."},
        "pending": {
            "type": "array",
            "items": _PENDING,
            "description": "The codes that could still fit, in recommendation order; pending[0] is the likely code. Empty on the pending route when the case waits only on whether the worker already holds an open permit (or a Working Holiday one), or on the worker's citizenship or permanent residence (a Canadian citizen or permanent resident needs no permit): the needed questions say what, and if not, no code fits (TFWP).",
        },
        "questions": {"type": "array", "items": _QUESTION, "description": "Needed questions first."},
        "employer_step": _EMPLOYER_STEP,
        "business_size": {
            "type": ["object", "null"],
            "description": "R209.93 penalty tier; null for an open permit.",
        },
        "where": {"type": "object", "required": ["place"]},
        "durations": {"type": ["object", "null"]},
        "candidates": _OBJECTS,
        "excluded": _OBJECTS,
        "evidence": {"type": "array", "items": {"type": "string"}},
        "obligations": _OBJECTS,
        "warnings": _OBJECTS,
        "to_verify": _OBJECTS,
        "fixes": _OBJECTS,
        "reasons": _OBJECTS,
    }
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": "IMP Portal rules engine – assessment, version 1",
        "description": "What rules.assess(...).to_dict(lang) and `python -m rules assess` return.",
        "type": "object",
        "additionalProperties": False,
        "required": list(props),
        "properties": props,
        "allOf": [
            {  # complete exactly when no needed question remains
                "if": {"properties": {"complete": {"const": True}}},
                "then": {"properties": {"questions": _NO_NEEDED_QUESTION}},
                "else": {"properties": {"questions": _A_NEEDED_QUESTION}},
            },
            {  # pending: a code that could still fit, or else an open permit the worker may hold
                "if": {"properties": {"route": {"const": "pending"}}},
                "then": {
                    "anyOf": [
                        {"properties": {"pending": {"minItems": 1}}},
                        {"properties": {"questions": _AN_OPEN_PERMIT_QUESTION}},
                        {"properties": {"questions": _A_CITIZENSHIP_QUESTION}},
                    ]
                },
            },
            {
                "if": {"properties": {"route": {"const": "pending"}}},
                "then": {
                    "properties": {
                        "recommended": {"type": "null"},
                        "codes_fit": {"maxItems": 0},
                        "complete": {"const": False},
                        "employer_step": {
                            "properties": {"kind": {"const": "pending"}, "fee_cad": {"type": "null"}}
                        },
                    }
                },
            },
            {
                "if": {"properties": {"route": {"const": "IMP"}}},
                "then": {"properties": {"recommended": _CODE, "codes_fit": {"minItems": 1}}},
            },
            {
                "if": {"properties": {"route": {"const": "TFWP"}}},
                "then": {
                    "properties": {
                        "recommended": {"type": "null"},
                        "pending": {"maxItems": 0},
                        "reasons": {"minItems": 1},
                        "employer_step": {"properties": {"kind": {"const": "lmia"}}},
                    }
                },
            },
            {  # a Canadian citizen or permanent resident: nothing to ask, no code, no step, no place
                "if": {"properties": {"route": {"const": "no_permit"}}},
                "then": {
                    "properties": {
                        "recommended": {"type": "null"},
                        "codes_fit": {"maxItems": 0},
                        "pending": {"maxItems": 0},
                        "questions": {"maxItems": 0},
                        "complete": {"const": True},
                        "reasons": {"minItems": 1},
                        "employer_step": {"properties": {"kind": {"const": "none"}, "fee_cad": {"const": 0}}},
                        "where": {"properties": {"place": {"type": "null"}}},
                    }
                },
            },
        ],
    }
