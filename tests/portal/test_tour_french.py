"""Found on a browser tour of the portal in French as a new employer (and its consultant): what a French
reader met that an English one did not."""

from __future__ import annotations


def test_signing_out_keeps_the_language_chosen(client, owner):
    """Tour: signing out of the French portal showed "Vous êtes déconnecté." on an English sign-in page
    (the sign-out cleared the session, the language chosen with it)."""
    client.post_form("/language", {"lang": "fr"})
    response = client.post_form("/logout")
    assert response.status_code == 302
    page = client.get(response.location).get_data(as_text=True)
    assert '<html lang="fr">' in page
    assert "Vous êtes déconnecté." in page
    assert "Mot de passe oublié" in page
    assert "Forgot your password?" not in page
    # and signed out for real: the dashboard asks to sign in again
    assert client.get("/dashboard").status_code == 302
