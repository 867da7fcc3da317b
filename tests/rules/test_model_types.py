"""The fact classes are built from FIELDS at import time; rules/model.py declares them again under
TYPE_CHECKING for mypy. These declarations must name the same fields, in the same order, with the
type each field's kind parses to (or mypy would check the rules against facts that do not exist)."""

import ast
from dataclasses import fields as dc_fields
from pathlib import Path

import rules.model as model
from rules.fields import EMPLOYMENT_FIELDS, FIELDS
from rules.kinds import KINDS

_SECTIONS = {
    "Employer": "employer.",
    "ForeignEnterprise": "foreign_enterprise.",
    "Position": "position.",
    "Worker": "worker.",
}


def _declared() -> dict[str, list[tuple[str, str]]]:
    """Class name -> [(field, annotation)] of the classes in model.py's ``if TYPE_CHECKING:`` block."""
    tree = ast.parse(Path(model.__file__).read_text(encoding="utf-8"))
    block = next(n for n in tree.body if isinstance(n, ast.If) and ast.unparse(n.test) == "TYPE_CHECKING")
    return {
        cls.name: [
            (st.target.id, ast.unparse(st.annotation))
            for st in cls.body
            if isinstance(st, ast.AnnAssign) and isinstance(st.target, ast.Name)
        ]
        for cls in block.body
        if isinstance(cls, ast.ClassDef)
    }


def _expected() -> dict[str, list[tuple[str, str]]]:
    out = {
        "Employment": [
            (f.path.removeprefix("worker.employment[]."), f"{KINDS[f.kind].annotation} | None")
            for f in EMPLOYMENT_FIELDS
        ]
    }
    for name, prefix in _SECTIONS.items():
        out[name] = [
            (f.path.removeprefix(prefix), f"{KINDS[f.kind].annotation} | None")
            for f in FIELDS
            if f.path.startswith(prefix)
        ]
    return out


def test_type_checking_declarations_match_the_field_registry():
    assert _declared() == _expected()


def test_declarations_match_the_runtime_classes():
    declared = _declared()
    for name in ("Employment", *_SECTIONS):
        runtime = [f.name for f in dc_fields(getattr(model, name))]
        assert [n for n, _ in declared[name]] == runtime, name
