"""WSGI entry point for gunicorn: ``gunicorn portal.wsgi:app``."""

from portal import create_app
from portal.process import settle

app = create_app(commands=False)  # no command line in the web server
settle()  # the app is built: out of the garbage collector's reach for the worker's life (portal/process.py)
