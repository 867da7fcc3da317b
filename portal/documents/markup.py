"""The light format of letter sections, to HTML: a blank line starts a paragraph, lines starting with
``- `` make a list, ``**bold**`` is bold. Everything is escaped first, so no text — generated or typed
by a user — can put a tag, an attribute, a style or a URL into the document: ``<img src=...>``,
``<script>``, ``url(...)`` or ``@import`` come out as the literal characters."""

from __future__ import annotations

import re

from markupsafe import Markup, escape

BOLD = re.compile(r"\*\*(?=\S)(.+?)(?<=\S)\*\*")


def _inline(text: str) -> str:
    return BOLD.sub(r"<strong>\1</strong>", str(escape(text)))


def blocks(text: str) -> list[list[str]]:
    """The text's blocks (runs of non-blank lines), with Windows line ends and trailing spaces removed."""
    out: list[list[str]] = [[]]
    for line in (text or "").replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        if line.strip():
            out[-1].append(line.rstrip())
        elif out[-1]:
            out.append([])
    return [b for b in out if b]


def to_html(text: str) -> Markup:
    html = []
    for block in blocks(text):
        items = [line.lstrip() for line in block]
        head = [line for line in items if not line.startswith("- ")]
        listed = [line[2:].strip() for line in items if line.startswith("- ")]
        # a block may open with a sentence that introduces its list ("The duties are:" then "- ...")
        lead = 0
        while lead < len(items) and not items[lead].startswith("- "):
            lead += 1
        if listed and all(line.startswith("- ") for line in items[lead:]):
            if lead:
                html.append("<p>" + "<br>".join(_inline(line) for line in items[:lead]) + "</p>")
            html.append(
                '<ul class="items">' + "".join(f"<li>•&nbsp;{_inline(li)}</li>" for li in listed) + "</ul>"
            )
        else:
            html.append(
                "<p>" + "<br>".join(_inline(line) for line in (head if not listed else items)) + "</p>"
            )
    return Markup("".join(html))  # every piece of text above went through escape()
