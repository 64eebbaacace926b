# shellcheck shell=bash
# Shared by install.sh, backup.sh and restore.sh (sourced, not run).
#
# SUNSHINE_HOME  the checkout (default: the folder above deploy/)
# SUNSHINE_ENV_FILE  the environment file (default /etc/sunshine/sunshine.env), read like
#                    systemd's EnvironmentFile: KEY=value lines, optional quotes, no expansion
# SUNSHINE_VENV  the virtualenv (default $SUNSHINE_HOME/.venv)
# SUNSHINE_USER  the service account that runs manage.py (default sunshine; with --app-only:
#                the current user)

SUNSHINE_HOME=${SUNSHINE_HOME:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}
SUNSHINE_ENV_FILE=${SUNSHINE_ENV_FILE:-/etc/sunshine/sunshine.env}
APP_ONLY=${APP_ONLY:-0}

say() { printf '\n== [%ss] %s\n' "$SECONDS" "$*"; }
die() { printf 'ERROR: %s\n' "$*" >&2; exit 1; }

# Exports every KEY=value of the environment file, as systemd reads it (values are never run
# through the shell, so a secret may contain $ or `).
load_env() {
  local file=$1 line key value
  [[ -r $file ]] || die "cannot read the environment file $file (copy deploy/sunshine.env.example there and fill it in)"
  while IFS= read -r line || [[ -n $line ]]; do
    [[ $line =~ ^[[:space:]]*(#|$) ]] && continue
    [[ $line == *=* ]] || die "$file: not KEY=value: $line"
    key=${line%%=*}
    key=${key//[[:space:]]/}
    value=${line#*=}
    if [[ $value =~ ^\"(.*)\"$ || $value =~ ^\'(.*)\'$ ]]; then
      value=${BASH_REMATCH[1]}
    fi
    export "$key=$value"
  done <"$file"
  export DJANGO_SETTINGS_MODULE=${DJANGO_SETTINGS_MODULE:-cms.settings.production}
  SUNSHINE_VENV=${SUNSHINE_VENV:-$SUNSHINE_HOME/.venv}
  if [[ $APP_ONLY == 1 ]]; then
    SUNSHINE_USER=${SUNSHINE_USER:-$(id -un)}
  else
    SUNSHINE_USER=${SUNSHINE_USER:-sunshine}
  fi
}

# manage.py as the service account, with the environment file's settings.
manage() {
  if [[ $(id -un) == "$SUNSHINE_USER" ]]; then
    (cd "$SUNSHINE_HOME" && "$SUNSHINE_VENV/bin/python" manage.py "$@")
  else
    (cd "$SUNSHINE_HOME" && runuser -u "$SUNSHINE_USER" -- "$SUNSHINE_VENV/bin/python" manage.py "$@")
  fi
}

# The units of a systemd host: the web server and the task workers (SUNSHINE_WORKERS of them).
sunshine_units() {
  local n
  printf '%s\n' sunshine-web.service
  for ((n = 1; n <= ${SUNSHINE_WORKERS:-2}; n++)); do
    printf 'sunshine-worker@%d.service\n' "$n"
  done
}

# A libpq address for another database of the same server: $1 with its database name replaced by $2.
database_url_for() {
  local url=$1 name=$2 base query
  base=${url%%\?*}
  query=${url#"$base"}
  printf '%s/%s%s' "${base%/*}" "$name" "$query"
}

database_name() {
  local base=${1%%\?*}
  printf '%s' "${base##*/}"
}
