"""French typography as the tours asked for it, checked by tests/portal/test_i18n.py (the portal's messages)
and tests/rules/test_texts.py (the rules' French texts): a no-break space (U+00A0) before a colon, a
semicolon, a question mark and an exclamation mark, inside guillemets (« texte ») and between a number and
its "$" or "%" (« 230 $ », « 100 % »), so that none ever starts
or ends a line alone (tour of 2026-12-11: "Consultant en immigration?", "Bienvenue!", "Rémunéré?", "Mot de
passe oublié?", "... logiciels; Développeur/développeuse"). A ";" between two codes ("IN;US") is a separator,
"US:60" is data, « ; » quotes the character, and an address (https://...?q=) is no sentence."""

from __future__ import annotations

import re

FRENCH_TYPOGRAPHY = (
    ("a breakable space before ':'", re.compile(r"\S[ \u202f]:")),
    ("no space before ':'", re.compile(r"[^\s\d:/]:(?=\s|$)")),
    ("'«' without a no-break space after it", re.compile(r"«(?!\u00a0)")),
    ("'»' without a no-break space before it", re.compile(r"(?<!\u00a0)»")),
    ("no no-break space before '?' or '!'", re.compile(r"(?<!\u00a0)[?!]")),
    ("no no-break space before ';'", re.compile(r"(?<!\u00a0);(?=\s|$)")),
    # "230 $", "100 %": the sign stays on the number's line ("%(" opens a placeholder, not a sign)
    (
        "a breakable space between a number and '$' or '%'",
        re.compile(r"(?:\d|%\(\w+\)[sd])[ \u202f](?:\$|%(?!\())"),
    ),
)
URL = re.compile(r"https?://\S+")


def french_typography_faults(text: str) -> list[str]:
    """Each fault of ``text`` against FRENCH_TYPOGRAPHY, with the words around it."""
    urls = [m.span() for m in URL.finditer(text)]
    return [
        f"{what}: {text[max(0, m.start() - 25) : m.end() + 10]!r}"
        for what, pattern in FRENCH_TYPOGRAPHY
        for m in pattern.finditer(text)
        if not any(start <= m.start() < end for start, end in urls)
    ]
