"""Two requests at once that would add the same thing (a double click, two tabs, two web processes):
the second waits for the first's commit, then refuses or replaces as one after the other would.

Found by the outside probe against gunicorn (two workers) on PostgreSQL: six POSTs at once of one group
company made two, of one case (a transferee in a role) made two, of one invitation left six pending; and two
owners demoting (or removing) each other at once each counted two owners and left the organization none.
The services checked, then wrote, with nothing between two requests.

Each test holds the first request's transaction open (its service has run, not committed) while a second
thread runs the same service: with the organization held, the second waits, and sees the first's row once
it commits. PostgreSQL is real (SQLite writes one transaction at a time).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from sqlalchemy import func, select

from portal.auth import services as auth
from portal.cases import services as cases
from portal.compliance import feeds
from portal.consult import services as consult
from portal.documents import uploads
from portal.errors import ServiceError
from portal.extensions import db
from portal.group import services as group
from portal.models import (
    AuditEvent,
    CalendarFeed,
    Case,
    Engagement,
    EvidenceFile,
    ForeignEnterprise,
    Invitation,
    Membership,
    Organization,
    Position,
    Role,
    Transferee,
    User,
)
from portal.models._types import utcnow
from portal.orgs import services as orgs
from portal.people import services as people
from portal.roles import services as roles
from tests.portal.document_helpers import create_case, evidence_keys, pdf_bytes, upload
from tests.portal.test_cases import ENTERPRISE, ROLE

pytestmark = pytest.mark.postgres


def twice_at_once(
    app,
    org_id: int,
    user_id: int,
    service: Callable[[Organization, User], Any],
    second_service: Callable[[Organization, User], Any] | None = None,
) -> str:
    """Run ``service`` in a first transaction left open, then ``second_service`` (by default the same) in a
    second thread; commit the first half a second later. Returns what the second one did: "waited, then
    refused: ...", or "went through"."""
    first_done, second_started = threading.Event(), threading.Event()
    outcome: dict[str, str] = {}

    def first() -> None:
        with app.app_context():
            service(db.session.get(Organization, org_id), db.session.get(User, user_id))
            first_done.set()
            second_started.wait(10)
            time.sleep(0.5)  # the second one is running (or waiting) meanwhile
            db.session.commit()
            outcome["first committed at"] = str(time.monotonic())

    def second() -> None:
        first_done.wait(10)
        with app.app_context():
            second_started.set()
            try:
                (second_service or service)(
                    db.session.get(Organization, org_id), db.session.get(User, user_id)
                )
                db.session.commit()
                outcome["second"] = "went through"
            except (ServiceError, LookupError) as error:  # LookupError: the row is gone (a 404)
                db.session.rollback()
                outcome["second"] = f"waited, then refused: {error}"
            except Exception as error:  # the failure is the finding: a 500 in a request
                db.session.rollback()
                outcome["second"] = f"failed: {type(error).__name__}"
            outcome["second ended at"] = str(time.monotonic())

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert "first committed at" in outcome, outcome
    return outcome["second"]


def _count(app, query) -> int:
    with app.app_context():
        return db.session.scalar(query)


def test_one_group_company_asked_twice_at_once_is_recorded_once(app, make_employer):
    owner = make_employer()
    data = {**ENTERPRISE, "name": "Doubled Parent Co."}
    second = twice_at_once(
        app, owner.org_id, owner.user_id, lambda org, user: group.save_enterprise(org, data, actor=user)
    )
    assert second.startswith("waited, then refused: Doubled Parent Co."), second
    query = select(func.count()).where(ForeignEnterprise.name == "Doubled Parent Co.")
    assert _count(app, query) == 1


def test_one_case_asked_twice_at_once_is_opened_once(app, client, make_employer, login):
    owner = make_employer()
    login(client, owner)
    case_id = create_case(app, client)
    assert client.post_form("/roles/new", {**ROLE, "title": "Second role"}).status_code == 302
    with app.app_context():
        transferee_id = db.session.get(Case, case_id).transferee_id
        position_id = db.session.scalar(select(func.max(Position.id)))
    data = {"transferee_id": str(transferee_id), "position_id": str(position_id)}
    second = twice_at_once(
        app,
        owner.org_id,
        owner.user_id,
        lambda org, user: cases.create_case(org, data, actor=user, on=date.today()),
    )
    assert second.startswith("waited, then refused:") and "already has a case for this role" in second, second
    query = select(func.count()).where(Case.transferee_id == transferee_id, Case.position_id == position_id)
    assert _count(app, query) == 1


def test_one_invitation_sent_twice_at_once_leaves_one_pending(app, make_employer):
    owner = make_employer()
    second = twice_at_once(
        app,
        owner.org_id,
        owner.user_id,
        lambda org, user: orgs.invite(org, email="doubled@employer.example.com", role="member", actor=user),
    )
    assert second == "went through"  # a new invitation replaces the older one...
    pending = select(func.count()).where(
        Invitation.email == "doubled@employer.example.com",
        Invitation.accepted_at.is_(None),
        Invitation.revoked_at.is_(None),
    )
    assert _count(app, pending) == 1  # ...which the second saw, and revoked


def test_one_consultant_engaged_twice_at_once_is_engaged_once(app, make_employer):
    owner = make_employer()
    second = twice_at_once(
        app,
        owner.org_id,
        owner.user_id,
        lambda org, user: consult.invite_consultant(
            org, email="doubled@consult.example.com", case_ids=None, actor=user
        ),
    )
    assert second.startswith("waited, then refused: This consultant is already invited or engaged."), second
    assert _count(app, select(func.count()).where(Engagement.email == "doubled@consult.example.com")) == 1


@pytest.mark.parametrize("action", ["demote", "remove"])
def test_two_owners_who_demote_or_remove_each_other_at_once_leave_one_owner(
    app, make_employer, add_member, action
):
    first = make_employer()
    second = add_member(first.org_id, role="owner")

    def on(account):
        def act(org: Organization, user: User) -> None:
            membership = db.session.scalars(
                select(Membership).where(
                    Membership.organization_id == org.id, Membership.user_id == account.user_id
                )
            ).one()
            if action == "demote":
                orgs.change_role(membership, "member", actor=user)
            else:
                orgs.remove_member(membership, actor=user)

        return act

    outcome = twice_at_once(app, first.org_id, first.user_id, on(second), on(first))
    assert (
        outcome
        == "waited, then refused: An organization needs at least one owner. Make someone else owner first."
    )
    owners = select(func.count()).where(
        Membership.organization_id == first.org_id, Membership.role == Role.OWNER
    )
    assert _count(app, owners) == 1


def test_an_invitation_link_sent_twice_at_once_makes_one_account(app, make_employer):
    """A double click on "Create my account and join": the second request made a second account of the same
    address, which PostgreSQL's unique index refused with an IntegrityError, a 500 (two out of six at once
    against gunicorn). It now waits for the first's commit and is told the link was already used."""
    owner = make_employer()
    with app.app_context():
        org, user = db.session.get(Organization, owner.org_id), db.session.get(User, owner.user_id)
        invitation_id = orgs.invite(org, email="joiner@employer.example.com", role="member", actor=user).id
        db.session.commit()

    def join(org: Organization, user: User) -> None:
        orgs.register_and_accept(
            db.session.get(Invitation, invitation_id), name="Joiner", password="a-long-password-2026!"
        )

    outcome = twice_at_once(app, owner.org_id, owner.user_id, join)
    assert (
        outcome == "waited, then refused: This invitation link is not valid, was revoked or was already used."
    )
    assert _count(app, select(func.count()).where(User.email == "joiner@employer.example.com")) == 1
    members = select(func.count()).where(Membership.organization_id == owner.org_id)
    assert _count(app, members) == 2


def test_a_signed_in_person_who_joins_twice_at_once_joins_once(app, make_employer):
    owner = make_employer()
    joiner = make_employer(email="joiner@employer.example.com")
    with app.app_context():
        org, user = db.session.get(Organization, owner.org_id), db.session.get(User, owner.user_id)
        invitation_id = orgs.invite(org, email=joiner.email, role="member", actor=user).id
        db.session.commit()

    def join(org: Organization, user: User) -> None:
        orgs.accept_invitation(
            db.session.get(Invitation, invitation_id), db.session.get(User, joiner.user_id)
        )

    outcome = twice_at_once(app, owner.org_id, owner.user_id, join)
    assert (
        outcome == "waited, then refused: This invitation link is not valid, was revoked or was already used."
    )
    joined = select(func.count()).where(
        Membership.organization_id == owner.org_id, Membership.user_id == joiner.user_id
    )
    assert _count(app, joined) == 1
    events = select(func.count()).where(AuditEvent.action == "invitation.accepted")
    assert _count(app, events) == 1


def test_a_file_removed_twice_at_once_is_removed_once(app, client, make_employer, login):
    """A double click on "Remove": both requests deleted the row, and the audit log, append-only, kept two
    ``evidence.removed`` for one removal (found against gunicorn: two of six at once)."""
    owner = make_employer()
    login(client, owner)
    case_id = create_case(app, client)
    key = evidence_keys(app, case_id)[0]
    assert upload(client, case_id, key, pdf_bytes(), "proof.pdf").status_code == 302
    with app.app_context():
        evidence_id = db.session.scalar(select(func.max(EvidenceFile.id)))

    def remove(org: Organization, user: User) -> None:
        uploads.remove_evidence(db.session.get(EvidenceFile, evidence_id), org, actor=user)

    outcome = twice_at_once(app, owner.org_id, owner.user_id, remove)
    assert outcome == "waited, then refused: This file is removed already."
    removed = select(func.count()).where(AuditEvent.action == "evidence.removed")
    assert _count(app, removed) == 1
    assert _count(app, select(func.count()).where(EvidenceFile.id == evidence_id)) == 0


def _setup_change(app, client, login, owner, change: str) -> Callable[[Organization, User], Any]:
    """The service call of one change (revoke, archive, remove) on a new object of ``owner``'s organization."""
    with app.app_context():
        org, user = db.session.get(Organization, owner.org_id), db.session.get(User, owner.user_id)
        if change == "invitation.revoked":
            object_id = orgs.invite(org, email="revoked@employer.example.com", role="member", actor=user).id
        elif change == "engagement.revoked":
            object_id = consult.invite_consultant(
                org, email="revoked@consult.example.com", case_ids=None, actor=user
            ).id
        elif change == "calendar_feed.revoked":
            object_id = feeds.create_feed(org, actor=user)[0].id
        db.session.commit()
    if change in ("position.archived", "employment.removed"):
        login(client, owner)
        case_id = create_case(app, client)
        with app.app_context():
            case = db.session.get(Case, case_id)
            object_id = (
                case.position_id if change == "position.archived" else case.transferee.employment[0].id
            )
            transferee_id = case.transferee_id
    return {
        "invitation.revoked": lambda org, user: orgs.revoke_invitation(
            db.session.get(Invitation, object_id), actor=user
        ),
        "engagement.revoked": lambda org, user: consult.revoke(
            db.session.get(Engagement, object_id), actor=user
        ),
        "calendar_feed.revoked": lambda org, user: feeds.revoke_feed(
            db.session.get(CalendarFeed, object_id), actor=user, actor_role=Role.OWNER
        ),
        "position.archived": lambda org, user: roles.set_archived(
            org, db.session.get(Position, object_id), True, actor=user
        ),
        "employment.removed": lambda org, user: people.remove_employment(
            org, db.session.get(Transferee, transferee_id), object_id, actor=user
        ),
    }[change]


@pytest.mark.parametrize(
    ("change", "second"),
    [
        ("invitation.revoked", "waited, then refused: This invitation is already revoked or accepted."),
        ("engagement.revoked", "waited, then refused: This engagement is already revoked."),
        ("calendar_feed.revoked", "went through"),  # nothing left to do
        ("position.archived", "went through"),  # nothing left to do
        ("employment.removed", "waited, then refused: "),  # the job is gone: a 404
    ],
)
def test_one_change_asked_twice_at_once_is_made_and_audited_once(
    app, client, login, make_employer, change, second
):
    """A double click on Revoke, Archive or Remove: both requests read the row before the first committed,
    both changed it, and the append-only audit log kept the change twice (found against gunicorn: six
    revocations of one invitation, six events)."""
    owner = make_employer()
    action = _setup_change(app, client, login, owner, change)
    outcome = twice_at_once(app, owner.org_id, owner.user_id, action)
    assert outcome.startswith(second), outcome
    assert _count(app, select(func.count()).where(AuditEvent.action == change)) == 1


def test_an_accepted_invitation_is_not_revoked_afterwards(app, make_employer):
    """Revoking an invitation already used marked it revoked (and audited it) as if it still could be."""
    owner = make_employer()
    joiner = make_employer(email="joined@employer.example.com")
    with app.app_context():
        org, user = db.session.get(Organization, owner.org_id), db.session.get(User, owner.user_id)
        invitation = orgs.invite(org, email=joiner.email, role="member", actor=user)
        orgs.accept_invitation(invitation, db.session.get(User, joiner.user_id))
        db.session.commit()
        with pytest.raises(ServiceError, match="already revoked or accepted"):
            orgs.revoke_invitation(invitation, actor=user)
        db.session.rollback()
        assert db.session.get(Invitation, invitation.id).revoked_at is None


def test_an_engagement_accepted_twice_at_once_is_accepted_once(app, make_employer, make_consultant):
    """A double click on Accept: both requests found the engagement invited and took it up, and the audit
    log kept engagement.accepted twice."""
    owner = make_employer()
    consultant = make_consultant(email="accepting@consult.example.com")
    with app.app_context():
        org, user = db.session.get(Organization, owner.org_id), db.session.get(User, owner.user_id)
        engagement_id = consult.invite_consultant(org, email=consultant.email, case_ids=None, actor=user).id
        db.session.commit()

    def accept(org: Organization, user: User) -> None:
        consult.accept(db.session.get(Engagement, engagement_id), db.session.get(User, consultant.user_id))

    outcome = twice_at_once(app, owner.org_id, owner.user_id, accept)
    assert outcome == "waited, then refused: This engagement is not open to you."
    assert _count(app, select(func.count()).where(AuditEvent.action == "engagement.accepted")) == 1


def test_a_second_case_asked_twice_at_once_is_opened_once(app, client, make_employer, login):
    """Found by the outside probe against gunicorn: three clicks at once on "Open the case" with the box
    "open a second case" ticked opened three more cases of one person in one role. The page that offers
    the box names the newest case it knows; a click that finds a newer one was beaten by its twin and
    leads to the case that one opened."""
    owner = make_employer()
    login(client, owner)
    case_id = create_case(app, client)
    with app.app_context():
        case = db.session.get(Case, case_id)
        transferee_id, position_id = case.transferee_id, case.position_id
    data = {"transferee_id": str(transferee_id), "position_id": str(position_id)}
    refused = client.post_form("/cases/new", data)
    assert refused.status_code == 400
    beside = f"{transferee_id}-{position_id}-{case_id}"
    assert f'name="beside" type="hidden" value="{beside}"' in refused.get_data(as_text=True)
    again = {**data, "again": "y", "beside": beside}
    second = twice_at_once(
        app,
        owner.org_id,
        owner.user_id,
        lambda org, user: cases.create_case(org, again, actor=user, on=date.today()),
    )
    assert second == "went through", second
    query = select(func.count()).where(Case.transferee_id == transferee_id, Case.position_id == position_id)
    assert _count(app, query) == 2
    # through the page, the click sent again leads to the second case, and a new offer opens a third
    response = client.post_form("/cases/new", again)
    assert response.status_code == 302
    with app.app_context():
        newest = db.session.scalar(select(func.max(Case.id)))
    assert response.location.endswith(f"/cases/{newest}")
    assert _count(app, query) == 2
    response = client.post_form("/cases/new", {**again, "beside": f"{transferee_id}-{position_id}-{newest}"})
    assert response.status_code == 302 and _count(app, query) == 3
    # a box offered for another person or role does not count for this one
    response = client.post_form("/cases/new", {**again, "beside": f"{transferee_id}-{position_id + 1}-1"})
    assert response.status_code == 302 and _count(app, query) == 4


ANOTHER_ORG = {
    "legal_name": "Twice Registered Ltd.",
    "operating_name": "",
    "business_number": "999000111",
    "street_address": "2 Example Street",
    "city": "Ottawa",
    "province": "ON",
    "postal_code": "K1A 0B1",
    "telephone": "613-555-0101",
    "employees": 3,
    "gross_annual_revenue": 10000,
}


def test_one_new_organization_asked_twice_at_once_is_registered_once(app, make_employer):
    """Found by the outside probe against gunicorn: three clicks at once on the form of a further
    organization ("Register another employer") made one organization and answered one of them 500 (the
    unique index of business numbers refused the row after the check had passed)."""
    owner = make_employer()
    second = twice_at_once(
        app,
        owner.org_id,
        owner.user_id,
        lambda org, user: auth.create_organization(dict(ANOTHER_ORG), owner=user, now=utcnow()),
    )
    assert second.startswith("waited, then refused: An employer with this business number"), second
    query = select(func.count()).where(Organization.business_number == ANOTHER_ORG["business_number"])
    assert _count(app, query) == 1


def test_two_organizations_given_one_business_number_at_once_keep_their_own(app, make_employer):
    """The same on the organization's page: two employers who type one business number at once; the
    second is told it is taken instead of a 500."""
    first, other = (
        make_employer(),
        make_employer(email="other-owner@example.com", business_number="999000222"),
    )

    def give_number(org_id: int, user_id: int):
        def change(_org, _user):
            org, user = db.session.get(Organization, org_id), db.session.get(User, user_id)
            data = {key: getattr(org, key) for key in auth.ORG_FIELDS}
            return orgs.update_organization(
                org, {**data, "business_number": "999000333"}, actor=user, now=utcnow()
            )

        return change

    second = twice_at_once(
        app,
        first.org_id,
        first.user_id,
        give_number(first.org_id, first.user_id),
        second_service=give_number(other.org_id, other.user_id),
    )
    assert second.startswith("waited, then refused: An employer with this business number"), second
    assert _count(app, select(func.count()).where(Organization.business_number == "999000333")) == 1
