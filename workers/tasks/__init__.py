"""Celery tasks: each a thin shell around a portal service."""

from workers.tasks import compliance, documents, health  # noqa: F401
