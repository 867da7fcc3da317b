"""Which cases get a support letter or an offer-submission packet: the one rule of the documents page (it
offers the request form only where a request may pass), of the letter's check (``editing.draft``, which
the editing page and every request go through) and of a retry (``requests.retry``)."""

from __future__ import annotations

from portal.cases import lifecycle
from portal.messages import N_

ANSWERS_FIRST = N_(
    "No LMIA exemption code is decided yet: the support letter and the packet can be requested once the "
    "questions still open on the case page are answered."
)
NO_DOCUMENTS = N_(
    "The worker is a Canadian citizen or permanent resident and needs no work permit: "
    "there is no support letter or packet to make."
)
OPEN_PERMIT_NO_DOCUMENTS = N_(
    "The worker holds or applies for an open work permit: the employer files no offer of employment, "
    "so there is no support letter or packet to make."
)
TFWP_NO_DOCUMENTS = N_(
    "No LMIA exemption fits this case: the employer needs a Labour Market Impact Assessment (LMIA) from "
    "ESDC under the Temporary Foreign Worker Program, so there is no support letter or offer-submission "
    "packet to make here."
)
_WHY = {
    lifecycle.PENDING: ANSWERS_FIRST,  # no code decided yet: the needed questions come first
    lifecycle.NO_PERMIT: NO_DOCUMENTS,
    lifecycle.OPEN_PERMIT: OPEN_PERMIT_NO_DOCUMENTS,
    lifecycle.TFWP: TFWP_NO_DOCUMENTS,
}


def no_documents(route: str | None) -> str | None:
    """Why a case on ``route`` gets no support letter or packet (untranslated), or None when it may."""
    return _WHY.get(route) if route is not None else None
