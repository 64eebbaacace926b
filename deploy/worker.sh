#!/usr/bin/env bash
# A task worker's one command (search index updates, alerts and other background tasks; with
# the recovery pass of cms/workers.py: heartbeat, stale tasks, overdue outboxes): systemd's
# sunshine-worker@N.service runs `worker.sh N`, and so does the deployment test (tests/deploy).
set -euo pipefail
cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.."
venv=${SUNSHINE_VENV:-$PWD/.venv}
export DJANGO_SETTINGS_MODULE=${DJANGO_SETTINGS_MODULE:-cms.settings.production}
# The worker id must be unique across the pool: host name and instance number.
exec "$venv/bin/python" manage.py task_worker \
  --interval "${WORKER_INTERVAL:-1}" \
  --worker-id "$(hostname -s)-${1:-1}" \
  --no-reload
