"""The "Durations and caps" of a case in words ("36 months initially, then extensions of up to 24 months
each"), not raw keys."""

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


def _initially(initial: Any, extension: Any, *, new_office: bool = False) -> str:
    """The first permit's length and each extension's, both with their unit ("6 more" said 6 of nothing)."""
    if new_office and extension:
        return _(
            "For a new office in Canada: %(initial)s initially, then extensions of up to %(more)s each",
            initial=months(initial),
            more=months(extension),
        )
    if new_office:
        return _("For a new office in Canada: %(initial)s initially", initial=months(initial))
    if extension:
        return _(
            "%(initial)s initially, then extensions of up to %(more)s each",
            initial=months(initial),
            more=months(extension),
        )
    return _("%(initial)s initially", initial=months(initial))


def duration_lines(durations: dict[str, Any] | None) -> list[str]:
    """One sentence per fact of the rules engine's ``durations`` block (its note comes last)."""
    d = durations or {}
    lines = []
    initial, extension = d.get("initial_max"), d.get("extension_max")
    startup, startup_more = d.get("startup_initial_max"), d.get("startup_extension_max")
    # The rules engine gives a new office's lengths (T37, employer.start_up) as the case's own: initial_max
    # and extension_max are then the start-up's. Said once, as the new office's, not as the general length
    # beside a second line of the same 12 months (tour: "12 months initially, then up to 6 more" and "12
    # months initially for a new office in Canada").
    opening = bool(startup) and initial == startup and (startup_more is None or extension == startup_more)
    if opening:
        lines.append(_initially(initial, extension, new_office=True))
    elif initial:
        lines.append(_initially(initial, extension))
    if startup and not opening:
        lines.append(_initially(startup, startup_more, new_office=True))
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
