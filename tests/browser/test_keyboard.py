"""In real headless Chromium, from the keyboard only: the dialog that asks before a job is removed
(static/js/ask-first.js). Tour: it opened with the focus on its red button, so Enter pressed once
more removed the job, and a screen reader announced a nameless dialog."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from portal.extensions import db
from portal.models import User
from tests.browser.helpers import sign_in
from tests.portal.test_cases import PERSON

pytestmark = pytest.mark.browser

JOB = {"employer_name": "Invented Parent Co", "country": "US", "job_title": "VP Operations"}
JOB |= {"capacity": "executive", "start_date": "2022-01-10", "full_time": "y"}


def test_the_dialog_that_asks_is_named_and_starts_on_cancel(page, live_server, app, make_employer, login):
    account = make_employer()
    client = app.test_client()
    login(client, account)
    response = client.post_form("/transferees/new", PERSON)
    tid = int(response.location.rstrip("/").split("/")[-1])
    assert client.post_form(f"/transferees/{tid}/employment", JOB).status_code == 302
    sign_in(page, live_server, account)
    page.goto(f"{live_server}/transferees/{tid}")
    remove = page.locator("#employment").get_by_role("button", name="Remove")
    remove.focus()
    page.keyboard.press("Enter")
    question = "Remove the job VP Operations at Invented Parent Co from the employment history of Avery Inventedname?"
    dialog = page.get_by_role("dialog", name=question)
    expect(dialog).to_be_visible()
    expect(dialog.get_by_role("button", name="Cancel")).to_be_focused()
    page.keyboard.press("Enter")  # Cancel: nothing removed
    page.locator("dialog").wait_for(state="detached")
    expect(page.locator("#employment")).to_contain_text("VP Operations")
    remove.focus()
    page.keyboard.press("Enter")
    page.keyboard.press("Shift+Tab")  # to the dialog's Remove
    page.keyboard.press("Enter")
    expect(page.get_by_text("The job is removed from the employment history.")).to_be_visible()
    expect(page.locator("#employment")).not_to_contain_text("VP Operations")


def test_the_new_calendar_link_is_copied_with_a_button(browser, live_server, make_employer):
    """Tour: "Your new link (copy it now)" showed a long address, once, to select by hand (on a phone,
    a drag across two lines of code)."""
    account = make_employer()
    context = browser.new_context(permissions=["clipboard-read", "clipboard-write"])
    page = context.new_page()
    sign_in(page, live_server, account)
    page.goto(live_server + "/calendar")
    page.get_by_role("button", name="Make a new private link").click()
    link = page.locator("#ics-feed").inner_text().strip()
    assert "/calendar/feed/" in link  # at the portal's PUBLIC_URL
    copy = page.get_by_role("button", name="Copy the link")
    copy.focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("status")).to_have_text("Copied: paste it into your calendar app.")
    assert page.evaluate("navigator.clipboard.readText()") == link
    context.close()


def _asks(page, button, question: str, cancel: str):
    """Press ``button`` from the keyboard: the dialog opens named by ``question``, on its Cancel button."""
    button.focus()
    page.keyboard.press("Enter")
    dialog = page.get_by_role("dialog", name=question)
    expect(dialog).to_be_visible()
    expect(dialog.get_by_role("button", name=cancel)).to_be_focused()
    return dialog


def test_removing_a_member_or_revoking_an_invitation_or_a_calendar_link_asks_first(
    page, live_server, app, make_employer, add_member, login
):
    """HR tour: removing a member, revoking an invitation and revoking a calendar link happened at the
    first click, while removing a job asks. They ask now in the same dialog (Cancel focused), in English
    and in French; Cancel changes nothing, the dialog's own button does it."""
    account = make_employer(legal_name="Invented Harbour Ltd.")
    member = add_member(account.org_id)
    client = app.test_client()
    login(client, account)
    assert (
        client.post_form("/org/invitations", {"email": "pending@example.com", "role": "member"}).status_code
        == 302
    )
    assert client.post_form("/calendar/feeds").status_code == 302
    with app.app_context():
        member_name = db.session.get(User, member.user_id).name
        owner_name = db.session.get(User, account.user_id).name
    sign_in(page, live_server, account)

    page.goto(f"{live_server}/org/")
    members = page.locator("#members")
    question = f"Remove {member_name} from Invented Harbour Ltd.? They are signed out and lose access to its data now."
    _asks(page, members.get_by_role("button", name="Remove"), question, "Cancel")
    page.keyboard.press("Enter")  # Cancel
    page.locator("dialog").wait_for(state="detached")
    expect(members).to_contain_text(member_name)
    question = "Revoke the invitation sent to pending@example.com? Its link stops working."
    dialog = _asks(
        page, page.locator("#invitations").get_by_role("button", name="Revoke"), question, "Cancel"
    )
    dialog.get_by_role("button", name="Revoke").click()
    expect(page.get_by_text("The invitation is revoked.")).to_be_visible()
    expect(page.locator("#invitations")).to_have_count(0)

    page.locator("#lang-switch").click()
    page.goto(f"{live_server}/calendar")
    question = (
        f"Révoquer le lien d'agenda de {owner_name}\xa0? Les applications d'agenda qui le lisent ne reçoivent "
        "plus les dates."
    )
    dialog = _asks(
        page, page.locator("#feed-links").get_by_role("button", name="Révoquer"), question, "Annuler"
    )
    dialog.get_by_role("button", name="Révoquer").click()
    expect(page.get_by_text("Le lien d'agenda est révoqué")).to_be_visible()
    page.goto(f"{live_server}/org/")
    question = (
        f"Retirer {member_name} de Invented Harbour Ltd.\xa0? Cette personne est déconnectée et perd dès "
        "maintenant l'accès à ses données."
    )
    dialog = _asks(page, page.locator("#members").get_by_role("button", name="Retirer"), question, "Annuler")
    dialog.get_by_role("button", name="Retirer").click()
    expect(page.locator("#members")).not_to_contain_text(member_name)
