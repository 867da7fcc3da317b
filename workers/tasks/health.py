from __future__ import annotations

import socket

from celery import shared_task
from sqlalchemy import text

from portal.extensions import db


@shared_task(name="health.ping", ignore_result=False)
def ping() -> dict[str, str]:
    """Proves a worker is alive and can reach the database."""
    db.session.execute(text("SELECT 1"))
    return {"status": "pong", "worker": socket.gethostname()}
