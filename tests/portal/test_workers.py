"""The Celery wiring with a real worker process on real Redis."""

from __future__ import annotations

from tests.fixtures.queue import celery_settings
from workers.tasks.health import ping


def test_a_real_worker_answers_the_health_check_through_redis(make_app, redis_url, celery_worker):
    app = make_app(CELERY=celery_settings(redis_url))

    with app.app_context():
        result = ping.delay()
        answer = result.get(timeout=30)
    assert answer["status"] == "pong"
    assert b"health.ping" in celery_worker.log_path.read_bytes()


def test_embedded_default_runs_tasks_in_process(make_app):
    app = make_app()
    assert app.config["CELERY"]["task_always_eager"] is True

    with app.app_context():
        assert ping.delay().get()["status"] == "pong"
