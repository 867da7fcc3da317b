"""The demo data that `make run` seeds."""

from __future__ import annotations

from portal.extensions import db
from portal.models import Case, Organization, User
from tests.helpers import count


def test_seed_demo_is_idempotent_and_makes_a_t37_case(app):
    runner = app.test_cli_runner()
    first = runner.invoke(args=["seed-demo"])
    assert first.exit_code == 0, first.output
    assert "owner@maplewood-demo.example.com" in first.output and "password:" in first.output
    second = runner.invoke(args=["seed-demo"])
    assert second.exit_code == 0, second.output
    assert count(app, Organization) == 1 and count(app, User) == 2 and count(app, Case) == 1

    with app.app_context():
        assert db.session.query(Case).one().recommended_code == "T37"
