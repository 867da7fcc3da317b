"""Since when a consultant works for an employer, in that employer's time zone as every other time of the
portal (timezones.local_time): the consultant's dashboard wrote the UTC date of the acceptance ("since
December 3, 2026" for an engagement accepted on the evening of December 2 in Vancouver). The employer's
access register says the same instant. English and French; invented people."""

from __future__ import annotations

import html
from datetime import UTC, datetime

from portal.extensions import db
from portal.models import Case, Engagement, Organization
from tests.portal.test_consult import accept, consultant, employer, engage  # noqa: F401 - fixtures

ACCEPTED = datetime(2026, 12, 3, 5, 30, tzinfo=UTC)  # December 2, 9:30 p.m. in Vancouver


def test_the_engagement_since_is_said_in_the_employers_time_zone(app, client, employer, consultant):  # noqa: F811
    account, _case_id = employer
    engage(client)
    _c, rc = consultant
    engagement_id = accept(app, rc)
    with app.app_context():
        db.session.get(Organization, account.org_id).time_zone = "America/Vancouver"
        db.session.get(Engagement, engagement_id).accepted_at = ACCEPTED
        db.session.commit()

    dashboard = html.unescape(rc.get("/dashboard").get_data(as_text=True))
    line = dashboard.split('id="engagements"', 1)[1].split("</li>", 1)[0]
    assert "since Dec 2, 2026, 9:30\u202fp.m. PST" in line, line
    assert 'title="America/Vancouver"' in line and "December 3" not in line

    register = html.unescape(client.get("/org/consultants").get_data(as_text=True))
    assert "Dec 2, 2026, 9:30\u202fp.m. PST" in register.split('id="access-register"', 1)[1]

    rc.post_form("/language", {"lang": "fr"})
    dashboard = html.unescape(rc.get("/dashboard").get_data(as_text=True))
    line = dashboard.split('id="engagements"', 1)[1].split("</li>", 1)[0]
    assert "depuis le 2 déc. 2026, 21 h 30 HNP" in line, line


def test_the_day_a_case_was_opened_is_the_employers_day_on_the_consultants_page(app, client, employer):  # noqa: F811
    """The consultants page names each case of the engage and scope forms with the day it was opened: that
    was the UTC day, a day late for a case opened in the evening in Vancouver."""
    account, case_id = employer
    engage(client, case_ids=[case_id])
    with app.app_context():
        db.session.get(Organization, account.org_id).time_zone = "America/Vancouver"
        db.session.get(Case, case_id).created_at = ACCEPTED
        db.session.commit()
    page = html.unescape(client.get("/org/consultants").get_data(as_text=True))
    engage_form = page.split('id="engage-form"', 1)[1]
    scope_forms = page.split('id="access-register"', 1)[1].split('id="engage-form"', 1)[0]
    for part in (engage_form, scope_forms):
        assert f"case {case_id}, opened December 2, 2026" in part
        assert "opened December 3, 2026" not in part
