"""Property-based fuzz of every form and query parameter (issue 12, the fault and abuse suite).

A signed-in employer with a whole case (group company, role, transferee, job, case, evidence, a
support letter, an invitation, a consultant engagement) sends, with valid CSRF tokens, generated
values to every POST route of ``app.url_map`` and generated query parameters to every GET route:
huge integers, NUL bytes, empty values and empty lists, any unicode, very long strings, hostile
files. Path ids are the user's own objects (or ids beyond the integer column). The properties:

* no response is a 5xx;
* a refused request (4xx, or a form sent back with its errors) writes no row (every table's
  content is hashed before and after), no audit event and no file in the document store.

Bounded in time: ``FUZZ_EXAMPLES`` requests (default 400, a minute or two here). The run prints
how many requests were sent and how many answered 5xx, and records both as test properties.
PostgreSQL is real; Celery is eager (a document request renders in the request).
"""

from __future__ import annotations

import io
import os
import re
from pathlib import Path
from urllib.parse import quote

import pytest
from flask_wtf import FlaskForm
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook
from sqlalchemy import func, select, text
from werkzeug.datastructures import FileStorage, MultiDict
from werkzeug.test import stream_encode_multipart
from wtforms.fields.core import UnboundField

import portal.auth.forms  # noqa: F401  (the forms register as subclasses on import)
import portal.cases.forms  # noqa: F401
import portal.compliance.forms  # noqa: F401
import portal.consult.forms  # noqa: F401
import portal.documents.forms  # noqa: F401
import portal.group.forms  # noqa: F401
import portal.imports.forms  # noqa: F401
import portal.orgs.forms  # noqa: F401
import portal.people.forms  # noqa: F401
import portal.roles.forms  # noqa: F401
from portal import models
from portal.extensions import db, limiter
from rules.fields import BY_PATH
from tests.conftest import ORG_DATA
from tests.portal.document_helpers import (
    ENTERPRISE,
    JOB,
    PERSON,
    ROLE,
    create_case,
    evidence_keys,
    pdf_bytes,
    png_bytes,
    request_document,
    upload,
)
from tests.portal.test_abuse import huge_png

pytestmark = [pytest.mark.faults, pytest.mark.postgres]

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "400"))

# Routes that end or change the fuzzing user's own session or role: sent once by their own tests.
SKIP = {
    "auth.logout",
    "orgs.switch",
    "orgs.remove_member",
    "orgs.change_role",
    "orgs.end_sessions",
    "static",
}
# Routes for visitors who are not signed in: sent by an anonymous client.
ANONYMOUS_BLUEPRINTS = {"auth"}
FILE_FIELDS = {"documents.upload_evidence": "file", "documents.letterhead": "logo", "imports.upload": "file"}

ID_MODELS = {
    "case_id": models.Case,
    "transferee_id": models.Transferee,
    "position_id": models.Position,
    "enterprise_id": models.ForeignEnterprise,
    "document_id": models.Document,
    "evidence_id": models.EvidenceFile,
    "record_id": models.EmploymentRecord,
    "membership_id": models.Membership,
    "invitation_id": models.Invitation,
    "engagement_id": models.Engagement,
    "org_id": models.Organization,
}
OUT_OF_RANGE = [0, 2**31, 2**63, 10**30]


def form_field_names() -> list[str]:
    """Every field name of every form of the portal, and every fact a case question may ask."""

    names: set[str] = set()
    stack = [FlaskForm]
    while stack:
        cls = stack.pop()
        stack.extend(cls.__subclasses__())
        names.update(n for n in dir(cls) if isinstance(getattr(cls, n, None), UnboundField))
    names.discard("csrf_token")
    return sorted(names | set(BY_PATH) | {"q", "next", "code", "status", "questions", "decision"})


FIELDS = form_field_names()
VALID = {
    **ORG_DATA,
    **ENTERPRISE,
    **JOB,
    **ROLE,
    **PERSON,
    "employer_name": "Invented Parent Co.",
    "country": "US",
    "email": "rcic-fuzz@consulting.example.com",
    "role": "member",
    "offer_number": "A1234567",
    "submitted_on": "2026-10-01",
    "comment": "Looks right.",
}

SPECIAL = [
    "9" * 400,
    "-" + "9" * 400,
    "1e400",
    "-1e400",
    "NaN",
    "inf",
    "-1",
    "0",
    "2147483648",
    "-2147483649",
    "9223372036854775808",
    "",
    " ",
    "\x00",
    "a\x00b",
    "2026-02-30",
    "0001-01-01",
    "9999-12-31",
    "US",
    "yes",
    "no",
    "on",
    "US:50,CA:",
    ";;",
    "<script>alert(1)</script>",
    "../../etc/passwd",
    "%00",
]
SCALAR = st.one_of(
    st.text(max_size=40),
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
    st.sampled_from(SPECIAL),
    st.tuples(st.text(min_size=1, max_size=3), st.integers(1000, 30000)).map(lambda p: p[0] * p[1]),
)
VALUE = st.one_of(SCALAR, st.lists(SCALAR, min_size=1, max_size=3))


def _workbook_bytes() -> bytes:

    book = Workbook()
    book.active.append(["title", "noc_code"])
    book.active.append(["Analyst", "21231"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


WORKBOOK = _workbook_bytes()
FILES = st.one_of(
    st.binary(max_size=600),
    st.sampled_from(
        [
            pdf_bytes(1),
            png_bytes(),
            png_bytes()[:60],
            huge_png(14_000, 14_000),
            WORKBOOK,
            WORKBOOK[: len(WORKBOOK) // 2],
            b"title,noc_code\nAnalyst,21231\n",
            b"title\n" + b"x" * 20000 + b"\n",
            b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n",
            b"",
        ]
    ),
)
FILENAMES = st.one_of(
    st.text(max_size=30), st.sampled_from(["a.pdf", "a.png", "a.xlsx", "a.csv", "x\x00.pdf"])
)


def _routes(app):
    posts, gets = [], []
    for rule in app.url_map.iter_rules():
        if rule.endpoint in SKIP:
            continue
        if "POST" in rule.methods:
            posts.append(rule)
        if "GET" in rule.methods:
            gets.append(rule)
    key = lambda r: (r.rule, r.endpoint)  # noqa: E731
    return sorted(posts, key=key), sorted(gets, key=key)


def _path(rule, values: dict) -> str:
    return re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", lambda m: quote(str(values[m.group(1)]), safe=""), rule.rule)


def _last_audit_action(app) -> str | None:
    with app.app_context():
        action = db.session.scalar(
            select(models.AuditEvent.action).order_by(models.AuditEvent.id.desc()).limit(1)
        )
        db.session.remove()
    return action


def _snapshot(app) -> tuple:
    """Every table's content hash (rows written, changed or removed) and the files of the store."""

    with app.app_context():
        tables = [t.name for t in db.metadata.sorted_tables]
        query = ", ".join(
            f"(SELECT md5(coalesce(string_agg(x::text, ',' ORDER BY x::text), '')) FROM {t} x)"
            for t in tables
        )
        hashes = dict(zip(tables, db.session.execute(text(f"SELECT {query}")).one(), strict=True))
        db.session.remove()
    root = Path(app.config["DOCUMENT_STORE"])
    files = (
        {(str(p.relative_to(root)), p.stat().st_size) for p in root.rglob("*") if p.is_file()}
        if root.exists()
        else set()
    )
    return hashes, files


def _own_ids(app) -> dict[str, list[int]]:

    with app.app_context():
        return {
            name: list(db.session.scalars(select(model.id).order_by(model.id))) or [1]
            for name, model in ID_MODELS.items()
        }


def _count(app, model) -> int:

    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


def test_no_input_gives_a_5xx_and_a_refused_request_writes_nothing(
    app, client, make_employer, make_consultant, login, record_property
):
    owner = make_employer(legal_name="Maple Invented Analytics Ltd.")
    login(client, owner)
    consultant = make_consultant(email="rcic-fuzz@consulting.example.com")
    case_id = create_case(app, client)
    assert (
        upload(client, case_id, evidence_keys(app, case_id)[0], pdf_bytes(), "proof.pdf").status_code == 302
    )
    assert request_document(client, case_id).status_code == 302
    assert (
        client.post_form(
            "/org/invitations", {"email": "new@employer.example.com", "role": "member"}
        ).status_code
        == 302
    )
    assert client.post_form("/org/consultants", {"email": consultant.email}).status_code in (200, 302)
    own = _own_ids(app)
    posts, gets = _routes(app)
    anonymous = app.test_client()
    csrf = {"user": client.csrf_token(), "anonymous": anonymous.csrf_token()}
    stats = {"requests": 0, "5xx": 0, "refused": 0, "by_status": {}}
    failures: list[str] = []

    def send(who, method, path, form=None, files=None, query=None):
        stats["requests"] += 1
        if method == "GET":
            return who.get(path, query_string=query)
        if files:
            body = MultiDict(list(form.items(multi=True)))
            for name, storage in files.items():
                body.add(name, storage)
            stream, _length, boundary = stream_encode_multipart(body, use_tempfile=False)
            with stream:
                return who.post(
                    path, data=stream.read(), content_type=f"multipart/form-data; boundary={boundary}"
                )
        return who.post(path, data=form)

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
        print_blob=True,
    )
    @given(data=st.data())
    def fuzz(data):
        is_post = data.draw(st.booleans(), label="post")
        rule = data.draw(st.sampled_from(posts if is_post else gets), label="route")
        anonymous_route = rule.endpoint.split(".")[0] in ANONYMOUS_BLUEPRINTS
        who = anonymous if anonymous_route else client
        values = {}
        for arg in sorted(rule.arguments):
            if arg in own:
                values[arg] = data.draw(st.sampled_from(own[arg] * 3 + OUT_OF_RANGE), label=arg)
            elif arg == "kind":
                values[arg] = data.draw(
                    st.sampled_from(["roles", "transferees"]) | st.text(max_size=10), label=arg
                )
            else:
                values[arg] = data.draw(st.text(max_size=60), label=arg)
        path = _path(rule, values)
        form = query = files = None
        if is_post:
            base = data.draw(st.booleans(), label="start from valid values")
            form = MultiDict(VALID if base else {})
            for name, value in data.draw(
                st.dictionaries(st.sampled_from(FIELDS), VALUE, max_size=5), label="fields"
            ).items():
                form.setlist(name, value if isinstance(value, list) else [value])
            form["csrf_token"] = csrf["anonymous" if anonymous_route else "user"]
            if rule.endpoint in FILE_FIELDS and data.draw(st.booleans(), label="send a file"):
                content = data.draw(FILES, label="file")
                filename = data.draw(FILENAMES, label="filename")
                files = {FILE_FIELDS[rule.endpoint]: FileStorage(io.BytesIO(content), filename=filename)}
        else:
            query = MultiDict()
            for name, value in data.draw(
                st.dictionaries(st.sampled_from(FIELDS), VALUE, max_size=3), label="query"
            ).items():
                query.setlist(name, value if isinstance(value, list) else [value])
        before = _snapshot(app)
        response = send(who, "POST" if is_post else "GET", path, form=form, files=files, query=query)
        status = response.status_code
        stats["by_status"][status] = stats["by_status"].get(status, 0) + 1
        if status >= 500:
            stats["5xx"] += 1
            failures.append(f"{status} {rule.endpoint} {path!r}")
        assert status < 500, f"{status} on {'POST' if is_post else 'GET'} {path}"
        body = response.get_data(as_text=True) if status == 200 and is_post else ""
        if status >= 400 or "invalid-feedback d-block" in body:  # refused, or the form sent back with errors
            stats["refused"] += 1
            after = _snapshot(app)
            changed = sorted(t for t in before[0] if before[0][t] != after[0][t])
            if rule.endpoint == "auth.login" and status == 401:
                # a wrong email or password is itself recorded, by design (README: failed sign-ins are
                # audited and count for the back-off): exactly that event and that count, nothing else
                assert _last_audit_action(app) == "login.failed", path
                changed = [t for t in changed if t not in ("audit_events", "login_throttles")]
            assert not changed, f"refused {status} on {path} wrote to {changed}"
            assert before[1] == after[1], f"refused {status} on {path} left files {after[1] - before[1]}"
        if response.status_code == 302 and "/login" in (response.location or "") and who is client:
            with app.app_context():
                limiter.reset()  # the sign-in limits count the fuzz's own sign-ins otherwise
            login(client, owner)  # a route ended the session: sign in again for the next example
            csrf["user"] = client.csrf_token()

    try:
        fuzz()
    finally:
        summary = (
            f"fuzz: {stats['requests']} requests, {stats['5xx']} answered 5xx, {stats['refused']} refused; "
            f"by status {dict(sorted(stats['by_status'].items()))}"
        )
        print("\n" + summary + ("\n" + "\n".join(failures[:20]) if failures else ""))
        record_property("fuzz_requests", stats["requests"])
        record_property("fuzz_5xx", stats["5xx"])
    assert stats["requests"] >= min(EXAMPLES, 50)
    assert _count(app, models.Organization) >= 1
