#!/usr/bin/env bash
# The web server's one command (gunicorn): systemd's sunshine-web.service runs it, and so does
# the deployment test (tests/deploy). Settings come from the environment (sunshine.env).
set -euo pipefail
cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.."
venv=${SUNSHINE_VENV:-$PWD/.venv}
export DJANGO_SETTINGS_MODULE=${DJANGO_SETTINGS_MODULE:-cms.settings.production}
# Threads: a request mostly waits on PostgreSQL, Redis or the search engine. The timeout is
# below nginx's proxy_read_timeout, so a stuck request is cut by gunicorn (and logged) first.
# Workers restart after a few thousand requests, so a slow leak never grows.
exec "$venv/bin/gunicorn" cms.wsgi:application --config deploy/gunicorn.conf.py \
  --bind "${WEB_BIND:-127.0.0.1:8000}" \
  --workers "${WEB_WORKERS:-3}" \
  --worker-class gthread --threads "${WEB_THREADS:-4}" \
  --timeout "${WEB_TIMEOUT:-60}" --graceful-timeout 30 \
  --max-requests 2000 --max-requests-jitter 200 \
  --forwarded-allow-ips 127.0.0.1 \
  --error-logfile - \
  --capture-output
