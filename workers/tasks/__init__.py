"""Celery tasks: each a thin shell around a portal service."""
from workers.tasks import health  # noqa: F401
