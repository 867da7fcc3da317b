"""Celery tasks: each a thin shell around a portal service."""

from workers.tasks import auth, book, compliance, documents, health  # noqa: F401
