#!/usr/bin/env bash
# `manage.py …` with the deployment's virtualenv, environment file and service account:
#   sudo /opt/sunshine/deploy/manage.sh createsuperuser
# The timers' units run it too (systemd has loaded the environment file for them then).
set -euo pipefail
here=$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")
if [[ -z ${SECRET_KEY:-} ]]; then
  # Started by hand: the environment file's settings, as the service account.
  # shellcheck source=deploy/lib.sh
  . "$here/lib.sh"
  load_env "$SUNSHINE_ENV_FILE"
  if [[ $(id -un) != "$SUNSHINE_USER" ]]; then
    exec runuser -u "$SUNSHINE_USER" -- "$0" "$@"
  fi
fi
cd "$here/.."
export DJANGO_SETTINGS_MODULE=${DJANGO_SETTINGS_MODULE:-cms.settings.production}
exec "${SUNSHINE_VENV:-$PWD/.venv}/bin/python" manage.py "$@"
