#!/usr/bin/env bash
# Sets up or upgrades 阳光党务 on a Debian-style host; the only way it is installed. Run it
# again after `git pull` (an upgrade) and after changing the environment file: every step
# checks before it changes anything, so a second run changes nothing.
#
#   sudo /opt/sunshine/deploy/install.sh [--rebuild-index] [--app-only]
#
#   --rebuild-index  rebuild the search index from the database (first install, after changing
#                    SEARCH_URL, after a restore; restore.sh does it itself)
#   --app-only       only the application's steps (virtualenv, packages, migrate, collectstatic,
#                    checks, public site), as the current user: no service account, systemd or
#                    nginx. The deployment test (tests/deploy) runs it so.
#
# Environment: SUNSHINE_ENV_FILE (default /etc/sunshine/sunshine.env), see deploy/lib.sh.
set -euo pipefail

rebuild_index=0
while (($#)); do
  case $1 in
    --rebuild-index) rebuild_index=1 ;;
    --app-only) APP_ONLY=1 ;;
    -h | --help) sed -n '2,15p' "$0"; exit 0 ;;
    *) echo "unknown option: $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done

# shellcheck source=deploy/lib.sh
. "$(dirname "$(readlink -f "$0")")/lib.sh"
load_env "$SUNSHINE_ENV_FILE"
cd "$SUNSHINE_HOME"
: "${MEDIA_ROOT:?MEDIA_ROOT must be set in $SUNSHINE_ENV_FILE}"
workers=${SUNSHINE_WORKERS:-2}
[[ $workers =~ ^[1-9][0-9]*$ ]] || die "SUNSHINE_WORKERS must be a number ≥ 1, got '$workers'"

if [[ $APP_ONLY != 1 ]]; then
  [[ $(id -u) == 0 ]] || die "run as root (sudo), or with --app-only"
  say "Service account and folders"
  if ! id -u "$SUNSHINE_USER" >/dev/null 2>&1; then
    useradd --system --home-dir /var/lib/sunshine --shell /usr/sbin/nologin "$SUNSHINE_USER"
  fi
  install -d -o root -g "$SUNSHINE_USER" -m 0750 /var/lib/sunshine
  install -d -o "$SUNSHINE_USER" -g "$SUNSHINE_USER" -m 0750 "$MEDIA_ROOT"
  install -d -o "$SUNSHINE_USER" -g "$SUNSHINE_USER" -m 0755 "$SUNSHINE_HOME/static_collected"
  chown root:"$SUNSHINE_USER" "$SUNSHINE_ENV_FILE"
  chmod 0640 "$SUNSHINE_ENV_FILE"
else
  mkdir -p "$MEDIA_ROOT"
fi

say "Python packages ($SUNSHINE_VENV)"
[[ -x $SUNSHINE_VENV/bin/python ]] || python3 -m venv "$SUNSHINE_VENV"
"$SUNSHINE_VENV/bin/pip" install --quiet --disable-pip-version-check -r requirements.txt
if [[ $APP_ONLY != 1 ]]; then
  # The service may not write its code: compile it once here rather than in every process.
  "$SUNSHINE_VENV/bin/python" -m compileall -q -x '/(\.venv|tests|bench)/' "$SUNSHINE_HOME" >/dev/null || true
fi

say "Database migrations"
manage migrate --noinput

say "Static files"
manage collectstatic --noinput --verbosity 0

say "Deployment checks (manage.py check --deploy)"
manage check --deploy --fail-level ERROR

say "Public site (PUBLIC_BASE_URL)"
manage sync_public_site

if [[ $rebuild_index == 1 ]]; then
  say "Search index"
  manage update_index
fi

if [[ $APP_ONLY == 1 ]]; then
  say "Application installed (--app-only: no services started)"
  exit 0
fi

say "systemd units"
for unit in "$SUNSHINE_HOME"/deploy/systemd/*.service "$SUNSHINE_HOME"/deploy/systemd/*.timer; do
  sed -e "s|/opt/sunshine|$SUNSHINE_HOME|g" \
      -e "s|/etc/sunshine/sunshine.env|$SUNSHINE_ENV_FILE|g" \
      -e "s|^ReadWritePaths=.*|ReadWritePaths=$MEDIA_ROOT|" \
      -e "s|^User=sunshine|User=$SUNSHINE_USER|; s|^Group=sunshine|Group=$SUNSHINE_USER|" \
      "$unit" >"/etc/systemd/system/$(basename "$unit").new"
  mv "/etc/systemd/system/$(basename "$unit").new" "/etc/systemd/system/$(basename "$unit")"
done
systemctl daemon-reload
mapfile -t units < <(sunshine_units)
systemctl enable --quiet "${units[@]}" sunshine-publish.timer sunshine-daily.timer
# Workers beyond SUNSHINE_WORKERS (it was lowered) stop.
for running in $(systemctl list-units --plain --no-legend 'sunshine-worker@*' | awk '{print $1}'); do
  n=${running#sunshine-worker@}
  n=${n%.service}
  if ((n > workers)); then
    systemctl disable --now --quiet "$running"
  fi
done
# The web server reloads gracefully (new code, no dropped request); workers finish their task first.
systemctl reload-or-restart sunshine-web.service
systemctl restart "${units[@]:1}"
systemctl start sunshine-publish.timer sunshine-daily.timer

say "nginx site"
[[ -r ${TLS_CERTIFICATE:-} && -r ${TLS_CERTIFICATE_KEY:-} ]] ||
  die "TLS_CERTIFICATE and TLS_CERTIFICATE_KEY must name readable files (the certificate and its key)"
command -v nginx >/dev/null || die "nginx is not installed: apt-get install nginx"
"$SUNSHINE_HOME/deploy/nginx/render.sh" >/etc/nginx/sites-available/sunshine.new
mv /etc/nginx/sites-available/sunshine.new /etc/nginx/sites-available/sunshine
ln -sfn ../sites-available/sunshine /etc/nginx/sites-enabled/sunshine
nginx -t
systemctl reload-or-restart nginx

say "Done: $(printf '%s ' "${units[@]}")are running; $PUBLIC_BASE_URL is served by nginx"
