"""What a case's assessment decided, in one word for every page that names it: the case page's headline,
the case list's "Code" column, the person's page, the documents and compliance pages' headers.

Tour of 2026-12-11: the case list said "Needs answers" where the case page said "Likely T37 — 2 answers
needed" (and "No intra-company transfer" for a group company not doing business); an open work permit
was "—" in the list. Both now read ``decide``, from the case's columns alone (the list stays one query:
no assessment JSON is read). The two columns that the route and the code do not give —
``likely_code``, the code that could still fit first, and ``ict_blocked``, a known fact shutting the
intra-company codes — are written with every stored assessment (``stored_columns``; migration 0019
filled them for the cases assessed before).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import Any, Protocol

# A fact that alone shuts the intra-company route: said before any other code, whose "Likely" headline
# hid why the transfer the case was made for fails (rules: every intra-company code tests it).
FOREIGN_NOT_DOING_BUSINESS = "ict.foreign_doing_business"


class DecisionKind(enum.StrEnum):
    NOT_ASSESSED = "not_assessed"
    CODE = "code"  # a code fits: the one the case is filed under
    LIKELY = "likely"  # none fits yet; the code that could still fit first, once answered
    NO_TRANSFER = "no_transfer"  # none fits yet, and the intra-company codes fail on a known fact
    ANSWERS = "answers"  # none fits yet and no code is likely: the worker may hold an open permit, or the
    # worker's citizenship is unknown (a Canadian needs no permit); the needed questions say which
    OPEN_PERMIT = "open_permit"
    NO_PERMIT = "no_permit"
    TFWP = "tfwp"


@dataclass(frozen=True)
class Decision:
    kind: DecisionKind
    code: str | None = None  # CODE: the filing code; LIKELY, NO_TRANSFER: the code that could still fit
    needed: int = 0  # the needed questions still open

    @property
    def pending(self) -> bool:
        """No code fits yet, and answers could change that (the page's "Needs answers")."""
        return self.kind in (DecisionKind.LIKELY, DecisionKind.NO_TRANSFER, DecisionKind.ANSWERS)


class DecisionColumns(Protocol):
    """What ``decide`` reads of a case: a Case, or a line of the case list (``services.CaseRow``)."""

    @property
    def route(self) -> str | None: ...
    @property
    def open_questions(self) -> int: ...
    @property
    def chosen_code(self) -> str | None: ...
    @property
    def recommended_code(self) -> str | None: ...
    @property
    def likely_code(self) -> str | None: ...
    @property
    def ict_blocked(self) -> bool | None: ...


_ROUTES = {
    "open_permit": DecisionKind.OPEN_PERMIT,
    "no_permit": DecisionKind.NO_PERMIT,
    "TFWP": DecisionKind.TFWP,
}


def decide(case: DecisionColumns) -> Decision:
    """The decision of ``case``'s stored assessment, from its columns."""
    route, needed = case.route, case.open_questions or 0
    if route == "pending":
        if not case.likely_code:  # only an open permit held, or the worker's citizenship, is open
            return Decision(DecisionKind.ANSWERS, None, needed)
        kind = DecisionKind.NO_TRANSFER if case.ict_blocked else DecisionKind.LIKELY
        return Decision(kind, case.likely_code, needed)
    if route == "IMP":
        return Decision(DecisionKind.CODE, case.chosen_code or case.recommended_code, needed)
    if route in _ROUTES:
        return Decision(_ROUTES[route], None, needed)
    return Decision(DecisionKind.NOT_ASSESSED)


def stored_columns(stored: dict[str, Any]) -> tuple[str | None, bool]:
    """``(likely_code, ict_blocked)`` of an assessment in its stored form (``rules.stored_form``): the
    first code that could still fit on the pending route, and whether an intra-company code failed on the
    foreign company's not doing business (a criterion shared by the codes, listed once when not met)."""
    pending = stored.get("pending") or []
    likely = str(pending[0][0]) if stored.get("route") == "pending" and pending else None
    return likely, FOREIGN_NOT_DOING_BUSINESS in (stored.get("not_met") or ())
