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

# The PostgreSQL major version of the database service (docker-compose.yml: postgres:16): the
# backup command's pg_dump/pg_restore must be of the server's major version (an older pg_dump
# refuses a newer server), and Debian's own client is another version, so the client comes from
# the PostgreSQL project's apt repository, set up by Debian's postgresql-common with the signing
# key it ships.
ARG PG_MAJOR=16

# WeasyPrint's runtime libraries (PDF rendering), a basic font, and the PostgreSQL client tools
# (pg_dump, pg_restore) for `flask backup` / `flask restore`.
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        libpango-1.0-0 \
        libpangoft2-1.0-0 \
        libharfbuzz-subset0 \
        fonts-dejavu-core \
        ca-certificates \
        postgresql-common \
    && /usr/share/postgresql-common/pgdg/apt.postgresql.org.sh -y \
    && apt-get install -y --no-install-recommends "postgresql-client-${PG_MAJOR}" \
    && pg_dump --version | grep -q " ${PG_MAJOR}\." \
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
# The static files' gzip copies, which WhiteNoise sends to browsers that accept them (portal/static_files.py).
RUN pip install --no-deps . \
    && if [ -d portal/translations ]; then pybabel compile -d portal/translations -f; fi \
    && python -m whitenoise.compress --no-brotli portal/static

# Unprivileged runtime user; instance/, the document store and the signing key's directory (a named volume
# takes the owner of the image's directory when first mounted) must be writable by it.
RUN useradd --system --create-home --uid 10001 --user-group imp \
    && mkdir -p /app/instance /data/documents /data/signing \
    && chown -R imp:imp /app/instance /data/documents /data/signing
USER imp

EXPOSE 8000
CMD ["gunicorn", "-c", "gunicorn.conf.py", "portal.wsgi:app"]
