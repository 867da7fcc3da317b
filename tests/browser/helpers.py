"""Helpers shared by the browser tests."""

from __future__ import annotations

import re


def sign_in(page, base: str, account) -> None:
    """Sign in through the login page, as a person would."""
    page.goto(base + "/login")
    page.get_by_label("Email").fill(account.email)
    page.get_by_label("Password").fill(account.password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/dashboard")


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
