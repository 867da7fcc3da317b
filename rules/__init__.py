"""IMP Portal rules engine: employer, position and worker facts -> LMIA exemption assessment.

Public API::

    from rules import assess, facts_from_dict, compliance_calendar
    facts = facts_from_dict({...})                 # validates; raises FactsError naming the field
    a = assess(facts, as_of=date(2026, 11, 24))    # pure, deterministic, no clock read
    a.to_dict(lang="fr")                           # the JSON contract (see rules/README.md)
    stored_form(a)                                 # language-neutral, to store; from_stored() gives a back
"""

from .assessment import Assessment
from .categories.base import add_months, months_between, months_worked
from .engine import EVIDENCE_RENAMED, assess, evidence_in, evidence_item_of
from .fields import FIELDS
from .kinds import FactsError
from .model import (
    CaseFacts,
    CodeResult,
    CriterionResult,
    Employer,
    Employment,
    ForeignEnterprise,
    Position,
    Question,
    Worker,
    facts_from_dict,
)
from .noc import find as noc_find
from .noc import lookup as noc_lookup
from .noc import noc2016_to_2021
from .noc import search as noc_search
from .noc import title as noc_title
from .obligations import compliance_calendar, obligations_for
from .params import RULESET_VERSION, code_kind, codes_in_force, value_at
from .render import regulation_in
from .stored import from_stored, is_stored_form, stored_form

__all__ = [
    "EVIDENCE_RENAMED",
    "FIELDS",
    "RULESET_VERSION",
    "Assessment",
    "CaseFacts",
    "CodeResult",
    "CriterionResult",
    "Employer",
    "Employment",
    "FactsError",
    "ForeignEnterprise",
    "Position",
    "Question",
    "Worker",
    "add_months",
    "assess",
    "evidence_in",
    "evidence_item_of",
    "code_kind",
    "codes_in_force",
    "compliance_calendar",
    "facts_from_dict",
    "from_stored",
    "is_stored_form",
    "months_between",
    "months_worked",
    "noc2016_to_2021",
    "noc_find",
    "noc_lookup",
    "noc_search",
    "noc_title",
    "obligations_for",
    "regulation_in",
    "stored_form",
    "value_at",
]
