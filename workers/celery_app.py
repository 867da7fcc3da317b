"""The Celery application: ``celery -A workers.celery_app worker``.

It builds the Flask app (config from the environment) and exposes the Celery app that
``portal.extensions.celery_init_app`` created for it, so every task runs in an app context.
"""

from portal import create_app

flask_app = create_app(commands=False)  # no command line in the workers
celery = flask_app.extensions["celery"]
celery.autodiscover_tasks(["workers"], related_name="tasks", force=True)
import workers.tasks  # noqa: E402,F401  (registers the tasks)
