# IMP Portal — production image (web: gunicorn; worker/beat: celery; see docker-compose.yml).
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    # The app finds templates/, migrations/ and instance/ next to the portal package,
    # so it runs from the source tree in /app (the wheel in site-packages only provides
    # the dependencies and metadata).
    PYTHONPATH=/app \
    FLASK_APP=portal \
    PORTAL_ENV=production \
    DOCUMENT_STORE=/data/documents

# WeasyPrint's runtime libraries (PDF rendering) and a basic font.
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        libpango-1.0-0 \
        libpangoft2-1.0-0 \
        libharfbuzz-subset0 \
        fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app

# Dependencies first (cached layer): install [project].dependencies from pyproject.toml.
COPY pyproject.toml ./
RUN python -c "import tomllib; print('\n'.join(tomllib.load(open('pyproject.toml', 'rb'))['project']['dependencies']))" \
        > /tmp/requirements.txt \
    && pip install -r /tmp/requirements.txt \
    && rm /tmp/requirements.txt

# The application itself.
COPY . .
RUN pip install --no-deps . \
    && if [ -d portal/translations ]; then pybabel compile -d portal/translations -f; fi

# Unprivileged runtime user; instance/ and the document store must be writable by it.
RUN useradd --system --create-home --uid 10001 --user-group imp \
    && mkdir -p /app/instance /data/documents \
    && chown -R imp:imp /app/instance /data/documents
USER imp

EXPOSE 8000
CMD ["gunicorn", "-c", "gunicorn.conf.py", "portal.wsgi:app"]
