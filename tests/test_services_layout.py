"""Services do not need a request: an AST walk over every service module fails on an import of
flask_babel, of url_for / request / session from Flask, or a read of the clock (date.today(),
datetime.now(), ...). Services take ``on=``, the actor and the tenant as arguments; messages are
``portal.messages.N_`` (translated by whoever shows them) and URLs are made by the caller.

Also: the roles, people and group services do not import the cases package (the caller runs the
"facts changed" step, ``portal.cases.changes.facts_changed``).

``NOT_YET`` lists what is still to move, module by module; it can only shrink: the test also fails
when a listed finding is gone (remove it from the list)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

# portal/*/services.py and the modules split out of services (the same kind of code). Not listed: the
# document production (documents/assembly.py, approval.py, content.py: the PDF's text, rendered in the
# document's language, given as an argument with force_locale), the notify.py modules (mail text and
# links: the caller's side), the display tables (labels.py) and the import page's help (imports/help.py).
EXTRA_SERVICE_MODULES = [
    "portal/cases/changes.py",
    "portal/cases/facts.py",
    "portal/cases/lifecycle.py",
    "portal/compliance/feeds.py",
    "portal/documents/editing.py",
    "portal/documents/lookups.py",
    "portal/documents/rendering.py",
    "portal/documents/requests.py",
    "portal/documents/uploads.py",
    "portal/imports/applying.py",
    "portal/imports/kinds.py",
    "portal/imports/parsing.py",
    "portal/imports/pending.py",
    "portal/imports/table.py",
]

FORBIDDEN_FLASK_NAMES = {"url_for", "request", "session", "g"}
CLOCK_CALLS = {("date", "today"), ("datetime", "now"), ("datetime", "utcnow"), ("datetime", "today")}

# Still to move (module -> findings). Each entry is a debt: make the caller pass it, then delete it here.
NOT_YET: dict[str, set[str]] = {}


def service_modules() -> list[str]:
    found = {str(p.relative_to(ROOT)) for p in ROOT.glob("portal/*/services.py")}
    missing = [m for m in EXTRA_SERVICE_MODULES if not (ROOT / m).exists()]
    assert not missing, f"listed service modules that no longer exist (update the list): {missing}"
    return sorted(found | set(EXTRA_SERVICE_MODULES))


def findings(source: str) -> set[str]:
    """What in ``source`` needs a request or reads the clock, as short stable strings."""
    out: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] == "flask_babel":
                    out.add("import flask_babel")
        elif isinstance(node, ast.ImportFrom):
            module = node.module or ""
            if module.split(".")[0] == "flask_babel":
                out.add("import flask_babel")
            elif module == "flask":
                out |= {f"flask.{a.name}" for a in node.names if a.name in FORBIDDEN_FLASK_NAMES}
        elif (
            isinstance(node, ast.Attribute)
            and isinstance(node.value, ast.Name)
            and node.value.id == "flask"
            and node.attr in FORBIDDEN_FLASK_NAMES
        ):
            out.add(f"flask.{node.attr}")
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            owner = node.func.value
            name = (
                owner.id
                if isinstance(owner, ast.Name)
                else owner.attr
                if isinstance(owner, ast.Attribute)
                else ""
            )
            if (name, node.func.attr) in CLOCK_CALLS:
                out.add(f"{name}.{node.func.attr}()")
    return out


@pytest.mark.parametrize("module", service_modules())
def test_a_service_module_needs_no_request_and_reads_no_clock(module):
    found = findings((ROOT / module).read_text(encoding="utf-8"))
    allowed = NOT_YET.get(module, set())
    assert found <= allowed, (
        f"{module}: {sorted(found - allowed)} (take it as an argument; see portal/messages.py)"
    )
    assert allowed <= found, f"{module}: {sorted(allowed - found)} is gone, remove it from NOT_YET"


@pytest.mark.parametrize("package", ["roles", "people", "group"])
def test_fact_services_do_not_import_cases(package):
    tree = ast.parse((ROOT / f"portal/{package}/services.py").read_text(encoding="utf-8"))
    imported = {node.module or "" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)} | {
        alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names
    }
    assert not {m for m in imported if m == "portal.cases" or m.startswith("portal.cases.")}


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("from flask_babel import gettext as _", {"import flask_babel"}),
        ("import flask_babel", {"import flask_babel"}),
        ("from flask import current_app, url_for", {"flask.url_for"}),
        ("from flask import request", {"flask.request"}),
        ("import flask\nflask.request.args", {"flask.request"}),
        ("from datetime import date\nx = date.today()", {"date.today()"}),
        ("import datetime\nx = datetime.datetime.now()", {"datetime.now()"}),
        ("from flask import current_app\nfrom portal.messages import N_", set()),
    ],
)
def test_the_walk_finds_what_it_must(source, expected):
    assert findings(source) == expected
