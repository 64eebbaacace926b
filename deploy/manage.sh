#!/usr/bin/env bash
# `manage.py …` with the deployment's virtualenv and production settings: the timers' units run
# it (sunshine-publish, sunshine-daily), and an operator may too, as the service account:
#   sudo -u sunshine env $(sudo cat /etc/sunshine/sunshine.env | grep -v '^#' | xargs) /opt/sunshine/deploy/manage.sh …
# (install.sh, backup.sh and restore.sh load the environment file themselves).
set -euo pipefail
cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.."
export DJANGO_SETTINGS_MODULE=${DJANGO_SETTINGS_MODULE:-cms.settings.production}
exec "${SUNSHINE_VENV:-$PWD/.venv}/bin/python" manage.py "$@"
