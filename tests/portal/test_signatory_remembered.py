"""The documents form offers the signatory as the person last signed a request in the organization: a title
typed once is not asked again on the next case (it was offered only when set on the Letterhead page); once the
owner saves the letterhead after that, its defaults are offered again. Invented people."""

from __future__ import annotations

import html
import re

from tests.portal.test_cases import _create_case
from tests.portal.test_consult import T37_ANSWERS, employer  # noqa: F401 - fixture


def _offered(client, case_id: int) -> tuple[str, str]:
    page = client.get(f"/cases/{case_id}/documents").get_data(as_text=True)
    values = []
    for name in ("signatory_name", "signatory_title"):
        tag = re.search(rf'<input[^>]*name="{name}"[^>]*>', page)
        assert tag, page[-3000:]
        value = re.search(r'value="([^"]*)"', tag.group(0))
        values.append(html.unescape(value.group(1)) if value else "")
    return values[0], values[1]


def test_the_last_title_given_is_offered_on_the_next_request(app, client, employer):  # noqa: F811
    _account, case_id = employer
    assert _offered(client, case_id)[1] == ""  # no letterhead title, no request yet
    response = client.post_form(
        f"/cases/{case_id}/documents",
        {
            "kind": "support_letter",
            "language": "en",
            "signatory_name": "Ada Byron",
            "signatory_title": "Director of People & Culture",
        },
    )
    assert response.status_code == 302
    assert _offered(client, case_id) == ("Ada Byron", "Director of People & Culture")

    other = _create_case(client)  # another case of the organization: the same signatory is offered
    assert client.post_form(f"/cases/{other}/answers", T37_ANSWERS).status_code == 302
    assert _offered(client, other) == ("Ada Byron", "Director of People & Culture")

    # the owner names another signatory on the letterhead page afterwards: the letterhead's is offered again
    saved = client.post_form("/org/letterhead", {"signatory_name": "Grace Hopper", "signatory_title": "CEO"})
    assert saved.status_code == 302
    assert _offered(client, other) == ("Grace Hopper", "CEO")
