"""Helpers shared by the browser tests."""

from __future__ import annotations

import re


def sign_in(page, base: str, account) -> None:
    """Sign in through the login page, as a person would."""
    page.goto(base + "/login")
    submit_sign_in(page, account.email, account.password)
    page.wait_for_url("**/dashboard")


def submit_sign_in(page, email: str, password: str) -> None:
    """Type an email and a password into the login page shown and press Sign in."""
    fill_form(page, {"Email": email, "Password": password})
    page.get_by_role("button", name="Sign in").click()


def choose_countries(page, label: str, *names: str) -> None:
    """Choose countries in a searchable country list (Tom Select) by typing each name and clicking
    the matching entry of the list that opens."""
    box = page.get_by_role("combobox", name=label, exact=True)
    for name in names:
        box.press_sequentially(name, delay=10)
        # The option whose whole text is the name: typing "India" also lists "British Indian Ocean
        # Territory", whose highlighted part reads "India" too.
        options = page.locator(".ts-dropdown:visible .option")
        options.filter(has_text=re.compile(rf"^\s*{re.escape(name)}\s*$")).click()


def fill_form(scope, fields: dict[str, str]) -> None:
    """Fill the fields of a form (in ``scope``: a page or a locator) by their exact labels, in order:
    a list is chosen by its option's value, any other field typed in."""
    for label, value in fields.items():
        field = scope.get_by_label(label, exact=True)
        if field.evaluate("element => element.tagName") == "SELECT":
            field.select_option(value)
        else:
            field.fill(value)
