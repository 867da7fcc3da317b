"""The "Durations and caps" of a case in words ("36 months initially, then up to 24 more"), not raw keys."""

from __future__ import annotations

from typing import Any

from portal.i18n import gettext as _
from portal.i18n import ngettext

YEARS_FROM = 48  # 48 months and more read better in years when they make whole years


def months(n: int | float) -> str:
    """``84`` -> "7 years", ``36`` -> "36 months" (as IRCC writes permit lengths)."""
    n = int(n)
    if n >= YEARS_FROM and n % 12 == 0:
        return ngettext("%(num)d year", "%(num)d years", n // 12)
    return ngettext("%(num)d month", "%(num)d months", n)


def duration_lines(durations: dict[str, Any] | None) -> list[str]:
    """One sentence per fact of the rules engine's ``durations`` block (its note comes last)."""
    d = durations or {}
    lines = []
    initial, extension = d.get("initial_max"), d.get("extension_max")
    if initial and extension:
        lines.append(
            _(
                "%(initial)s initially, then up to %(more)d more",
                initial=months(initial),
                more=int(extension),
            )
        )
    elif initial:
        lines.append(_("%(initial)s initially", initial=months(initial)))
    if d.get("startup_initial_max"):
        lines.append(
            _("%(initial)s initially for a new office in Canada", initial=months(d["startup_initial_max"]))
        )
    if d.get("total_cap"):
        if d.get("ict_cap_pooled"):
            lines.append(
                _(
                    "%(total)s in all for the intra-company transfer codes together",
                    total=months(d["total_cap"]),
                )
            )
        else:
            lines.append(_("%(total)s in all", total=months(d["total_cap"])))
    if d.get("ict_cap_remaining") is not None and d.get("total_cap"):
        lines.append(
            _(
                "%(left)s left after the time already worked in Canada as an intra-company transferee",
                left=months(d["ict_cap_remaining"]),
            )
        )
    if d.get("max_in_window") and d.get("window_months"):
        lines.append(
            _(
                "At most %(max)s in any period of %(window)s",
                max=months(d["max_in_window"]),
                window=months(d["window_months"]),
            )
        )
    if d.get("max_days"):
        lines.append(ngettext("At most %(num)d day", "At most %(num)d days", int(d["max_days"])))
    return lines
