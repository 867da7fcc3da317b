"""The portal's part of each kind of fact (rules/kinds.py): a widget on the case page and a way to read
the form's value; a kind without one fails here (tests/rules/test_kinds.py checks the rules' parts)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from portal.cases.answers import WIDGETS
from portal.cases.services import CaseError, parse_answer
from rules.fields import EMPLOYMENT_FIELDS, FIELDS
from rules.kinds import KINDS

INPUTS = Path(__file__).resolve().parents[2] / "templates" / "cases" / "_fact_inputs.html"


def test_every_kind_has_a_widget_and_every_widget_a_macro():
    assert set(WIDGETS) == set(KINDS), "a kind without a widget on the case page, or a widget without a kind"
    macros = set(re.findall(r"\{% macro (\w+)\(", INPUTS.read_text(encoding="utf-8")))
    missing = {name: w.macro for name, w in WIDGETS.items() if w.macro not in macros}
    assert not missing, f"widgets whose macro is not in {INPUTS.name}: {missing}"


@pytest.mark.parametrize("name", sorted(KINDS))
def test_each_kind_reads_a_form_value_the_rules_accept_or_says_where_it_is_answered(name, app):
    field = next(
        f
        for f in FIELDS + EMPLOYMENT_FIELDS
        if f.kind == name and not f.path.startswith("worker.employment[]")
    )
    sample = {
        "str": "Invented text",
        "bool": "yes",
        "int": "3",
        "number": "37.5",
        "date": "2026-09-01",
        "country": "in",
        "countries": ["IN", "US"],
        "enum": field.values[0] if field.values else "",
        "province": "QC",
        "noc": "21231",
        "pct_map": "US:60, CA:40",
        "employment": "",
    }[name]
    with app.test_request_context():
        if WIDGETS[name].read is None:
            with pytest.raises(CaseError):
                parse_answer(field.path, sample)
            return
        value = parse_answer(field.path, sample)
    assert value is not None
    KINDS[name].parse(field, value.isoformat() if name == "date" else value, field.path, lambda r, w: r)


@pytest.mark.parametrize("name", sorted(KINDS))
def test_each_widget_draws_an_input_named_after_the_fact(name, app):
    field = next(f for f in FIELDS if f.kind == name)
    question = {"fact": field.path, "question": "Invented question?"}
    with app.test_request_context():
        inputs = app.jinja_env.get_template("cases/_fact_inputs.html").make_module(
            {"jobs_url": "/transferees/7/edit#jobs"}  # what portal/cases/display.py gives the questions
        )
        choices = [{"value": "IN", "label": "India"}]
        html = str(getattr(inputs, WIDGETS[name].macro)(question, field, None, "q-x", "", None, choices))
    if WIDGETS[name].read is None:
        assert "/transferees/7/" in html  # a link to the transferee, where the jobs are entered
        return
    assert f'name="{field.path}"' in html and 'id="q-x"' in html
    if name in ("int", "number"):
        # a text box with the digit keyboard, not type="number" (which Chromium empties on a number it cannot hold)
        assert (
            f'inputmode="{"numeric" if name == "int" else "decimal"}"' in html and 'type="number"' not in html
        )
