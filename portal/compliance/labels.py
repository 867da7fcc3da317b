"""Display text of the compliance calendar (English, French through the catalogue): what each dated item
of a case is called, and what changes need a new permit. Shown by pages, the ICS feed and reminder mails."""

from __future__ import annotations

from portal.i18n import lazy_gettext as _l

# The same names on the pages, the feed, the mails and the packet's calendar (documents/packet.html): the
# tour found the packet's "Keep the records until" beside the page's "Records may be discarded after"; named as
# events ("End of record keeping"), they read the same beside a date on either side.
CALENDAR_ITEMS = {
    "permit_expiry": _l("Work permit expires"),
    "renewal_offer_due": _l("New offer (and fee) due for a renewal"),
    "c61_switch_date": _l("C61 ends: switch to C62 or C63"),
    "ict_cap_end": _l("Intra-company transfer cap ends"),
    "service_months_used_up": _l("Service supplier: the 12 months allowed in 24 are used up"),
    "service_window_end": _l("Service supplier: the 24-month period ends"),
    "records_keep_until": _l("End of record keeping"),
    "inspection_window_end": _l("End of the inspection window"),
    "cec_12_months": _l(
        "12 months of skilled Canadian work possible (Canadian Experience Class, information)"
    ),
}
CHANGE_TRIGGERS = [
    _l("A promotion or a change of occupation (NOC)"),
    _l("A cut in wage or hours, or less favourable working conditions"),
    _l("A move to another work location or province"),
    _l("A new employer entity (merger, sale, restructuring)"),
]
