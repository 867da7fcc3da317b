"""Flask CLI commands (they call the same services as the views)."""
from __future__ import annotations

import click
from flask import Flask

from portal.extensions import db

DEMO_PASSWORD = "demo-password-2026"  # noqa: S105 - invented demo data, printed on purpose
DEMO_ORG = {
    "legal_name": "Maplewood Robotics Canada Inc.",
    "operating_name": "Maplewood Robotics",
    "business_number": "700000001",
    "street_address": "100 Example Street, Suite 400",
    "city": "Ottawa",
    "province": "ON",
    "postal_code": "K1A 0B1",
    "telephone": "613-555-0100",
    "employees": 85,
    "gross_annual_revenue": 24_000_000,
}
DEMO_USERS = [
    ("Ada Example", "owner@maplewood-demo.example.com", "owner"),
    ("Basil Sample", "member@maplewood-demo.example.com", "member"),
]


def seed_demo() -> list[tuple[str, str, str]]:
    """Create the demo employer and its two users if they are missing. Returns the credentials."""
    from portal.auth import services as auth
    from portal.models import Membership, Role

    owner = auth.find_user(DEMO_USERS[0][1])
    if owner is None:
        owner, org = auth.register_employer(
            {"name": DEMO_USERS[0][0], "email": DEMO_USERS[0][1], "password": DEMO_PASSWORD, **DEMO_ORG}
        )
    else:
        org = owner.memberships[0].organization
    for name, email, role in DEMO_USERS[1:]:
        if auth.find_user(email) is None:
            user = auth.new_user(name=name, email=email, password=DEMO_PASSWORD, account_type=auth.AccountType.EMPLOYER)
            db.session.add(Membership(organization=org, user=user, role=Role(role)))
    db.session.commit()
    return [(email, DEMO_PASSWORD, role) for _, email, role in DEMO_USERS]


def init_app(app: Flask) -> None:
    @app.cli.command("seed-demo")
    def seed_demo_command():
        """Seed the demo employer with two users and print their credentials."""
        credentials = seed_demo()
        click.echo("")
        click.echo("Demo employer: " + DEMO_ORG["legal_name"])
        for email, password, role in credentials:
            click.echo(f"  {role:<7} {email}  password: {password}")
        click.echo("")
