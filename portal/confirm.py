"""Confirmation before an action that cannot be undone lightly (revoking a consultant, archiving).

The button posts its form; without ``confirmed=1`` the view answers with a page that asks
(works without JavaScript), and that page's button posts again with ``confirmed=1``. With
JavaScript, static/js/ask-first.js asks in a dialog first and adds ``confirmed=1`` itself.
"""

from __future__ import annotations

from typing import Any

from flask import render_template, request


def confirmed() -> bool:
    return request.form.get("confirmed") == "1"


def ask(
    *, title: str, message: str, action: str, button: str, cancel: str, fields: dict[str, Any] | None = None
) -> str:
    """The page that asks; ``fields`` are posted again with the confirmation."""
    return render_template(
        "confirm.html",
        title=title,
        message=message,
        action=action,
        button=button,
        cancel=cancel,
        fields=fields or {},
    )
