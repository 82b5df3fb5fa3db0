# syntax=docker/dockerfile:1
# Build: docker build -t ngo-sites .
# Run:   see compose.yaml and the README; all configuration comes from the environment.

FROM python:3.11-slim-bookworm AS build
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
RUN python -m venv /venv
COPY requirements.txt /tmp/requirements.txt
RUN /venv/bin/pip install -r /tmp/requirements.txt

FROM python:3.11-slim-bookworm AS app
ENV PATH=/venv/bin:$PATH \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    DJANGO_SETTINGS_MODULE=config.settings.production \
    VAR_DIR=/app/var \
    MEDIA_ROOT=/app/var/media \
    HOST=0.0.0.0 \
    PORT=8000 \
    FORWARDED_ALLOW_IPS=*
# pg_dump and pg_restore for `manage.py backup` and `restore`. pg_dump refuses a server newer
# than itself and Debian bookworm ships 15, so the client comes from the PostgreSQL project's
# repository (set up by Debian's postgresql-common), matching compose.yaml's PostgreSQL 16.
ARG PG_CLIENT_VERSION=16
RUN apt-get update \
 && apt-get install -y --no-install-recommends postgresql-common \
 && /usr/share/postgresql-common/pgdg/apt.postgresql.org.sh -y \
 && apt-get install -y --no-install-recommends "postgresql-client-${PG_CLIENT_VERSION}" \
 && rm -rf /var/lib/apt/lists/*
RUN useradd --system --uid 10001 --home-dir /app --shell /usr/sbin/nologin app
COPY --from=build /venv /venv
WORKDIR /app
COPY --chown=app:app . .
# Static files and message catalogues are built into the image, so the container starts
# without a writable source tree. The placeholders below exist only for this build step.
RUN SECRET_KEY=build-only-placeholder-build-only-placeholder-build-only \
    ALLOWED_HOSTS=build.invalid \
    python manage.py collectstatic --noinput \
 && SECRET_KEY=build-only-placeholder-build-only-placeholder-build-only \
    ALLOWED_HOSTS=build.invalid \
    python manage.py compile_catalogues \
 && mkdir -p /app/var/media && chown -R app:app /app/var
USER app
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD python -c "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:%s/healthz' % os.environ.get('PORT', '8000'), timeout=4)"
# config/gunicorn.py reads PORT, HOST, WEB_CONCURRENCY and GUNICORN_THREADS.
CMD ["gunicorn", "--config", "config/gunicorn.py"]
