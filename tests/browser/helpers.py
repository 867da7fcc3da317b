"""Helpers shared by the browser tests."""

from __future__ import annotations


def sign_in(page, base: str, account) -> None:
    """Sign in through the login page, as a person would."""
    page.goto(base + "/login")
    page.get_by_label("Email").fill(account.email)
    page.get_by_label("Password").fill(account.password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/dashboard")
