"""The documents form offers the signatory as the person last signed a request in the organization: a title
typed once is not asked again on the next case (it was offered only when set on the Letterhead page); once the
owner saves the letterhead after that, its defaults are offered again. Invented people."""

from __future__ import annotations

import html
import re

from sqlalchemy import event

from portal.extensions import db
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


def test_the_signatory_lookup_reads_no_growing_table_whole(app, client, employer):  # noqa: F811
    """The documents page's statements read the audit log and the documents through an index (with
    sequential scans forbidden, PostgreSQL still plans one where no index serves): the letterhead's last
    save was found by reading every organization's audit events, and the person's latest request by
    unpacking the snapshot of each of their documents (migration 0025)."""
    _account, case_id = employer
    requested = client.post_form(f"/cases/{case_id}/documents", {"kind": "support_letter", "language": "en"})
    assert requested.status_code == 302
    sent: list[tuple[str, object]] = []

    def before(_conn, _cursor, statement, parameters, *_args):
        sent.append((statement, parameters))

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", before)
    try:
        assert client.get(f"/cases/{case_id}/documents").status_code == 200
    finally:
        event.remove(engine, "before_cursor_execute", before)
    reads = [(s, p) for s, p in sent if s.lstrip().upper().startswith("SELECT")]
    assert any("audit_events" in s for s, _p in reads)  # the lookup is among them
    with app.app_context():
        connection = db.session.connection()
        connection.exec_driver_sql("SET LOCAL enable_seqscan = off")
        for statement, parameters in reads:
            plan = connection.exec_driver_sql("EXPLAIN (FORMAT JSON) " + statement, parameters).scalar()
            assert not _whole_reads(plan[0]["Plan"], {"audit_events", "documents"}), statement
        db.session.rollback()


def _whole_reads(node: dict, tables: set[str]) -> list[str]:
    """The scans of ``tables`` in a JSON plan that read the whole table: a sequential scan, or an index
    walked end to end (no condition on it but IS NOT NULL: max() read down an index of another column,
    the rows filtered one by one)."""
    found = []
    condition = node.get("Index Cond", "")
    if node.get("Relation Name") in tables and (
        node["Node Type"] == "Seq Scan"
        or (
            node["Node Type"] in ("Index Scan", "Index Only Scan")
            and (not condition or condition.endswith("IS NOT NULL)"))
        )
    ):
        found.append(f"{node['Node Type']} on {node['Relation Name']}")
    for child in node.get("Plans", []):
        found += _whole_reads(child, tables)
    return found
