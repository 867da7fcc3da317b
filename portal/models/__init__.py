"""All models, imported here so Alembic and the app see every table."""
from portal.models.audit import AuditEvent
from portal.models.org import Invitation, Membership, Organization, Role
from portal.models.user import AccountType, User

__all__ = ["AuditEvent", "Invitation", "Membership", "Organization", "Role", "AccountType", "User"]
