"""All models, imported here so Alembic and the app see every table."""

from portal.models.account import CalendarFeed, LoginThrottle, RegistrationHold, UserSession
from portal.models.audit import AuditEvent
from portal.models.book import RulesetChange, RulesetNoticeSeen, RulesetRun
from portal.models.case import CASE_STATUSES, Case, list_options
from portal.models.consult import Engagement, Reminder, Review, ReviewComment
from portal.models.document import DOCUMENT_KINDS, DOCUMENT_STATUSES, Document, EvidenceFile, LetterSection
from portal.models.group import ForeignEnterprise
from portal.models.org import Invitation, Membership, Organization, Role
from portal.models.position import WAGE_UNITS, Position
from portal.models.statuses import CaseStatus, DocumentStatus, EngagementStatus, ReviewDecision
from portal.models.transferee import EmploymentRecord, Transferee
from portal.models.user import AccountType, User

__all__ = [
    "CASE_STATUSES",
    "list_options",
    "DOCUMENT_KINDS",
    "DOCUMENT_STATUSES",
    "WAGE_UNITS",
    "AccountType",
    "AuditEvent",
    "CalendarFeed",
    "Case",
    "CaseStatus",
    "Document",
    "DocumentStatus",
    "EmploymentRecord",
    "Engagement",
    "EngagementStatus",
    "EvidenceFile",
    "ForeignEnterprise",
    "Invitation",
    "LetterSection",
    "LoginThrottle",
    "RegistrationHold",
    "Membership",
    "Organization",
    "Position",
    "Reminder",
    "Review",
    "ReviewComment",
    "ReviewDecision",
    "Role",
    "RulesetChange",
    "RulesetNoticeSeen",
    "RulesetRun",
    "Transferee",
    "User",
    "UserSession",
]
