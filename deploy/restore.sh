#!/usr/bin/env bash
# Restores a backup made by backup.sh: the database, the uploaded files (MEDIA_ROOT), then
# migrations (a backup of an older version) and the search index, rebuilt from the database.
#
#   sudo /opt/sunshine/deploy/restore.sh /var/backups/sunshine/20260101-023000 [--app-only]
#
# Stops the web server and the task workers first and starts them again at the end (not with
# --app-only: then stop whatever uses the database yourself). The database is emptied and
# loaded from the backup; it is created if it does not exist (the DATABASE_URL user then needs
# CREATEDB, else: sudo -u postgres createdb -O <user> <database>). The current MEDIA_ROOT is
# kept beside it as MEDIA_ROOT.before-restore-<date-time> until you delete it.
set -euo pipefail
source_dir=
while (($#)); do
  case $1 in
    --app-only) APP_ONLY=1 ;;
    -h | --help) sed -n '2,12p' "$0"; exit 0 ;;
    -*) echo "unknown option: $1 (see --help)" >&2; exit 2 ;;
    *) source_dir=$1 ;;
  esac
  shift
done
[[ -n $source_dir ]] || { echo "usage: restore.sh BACKUP_FOLDER [--app-only]" >&2; exit 2; }

# shellcheck source=deploy/lib.sh
. "$(dirname "$(readlink -f "$0")")/lib.sh"
load_env "$SUNSHINE_ENV_FILE"
: "${DATABASE_URL:?DATABASE_URL must be set}"
: "${MEDIA_ROOT:?MEDIA_ROOT must be set}"
source_dir=$(readlink -f "$source_dir")

say "Checking $source_dir"
[[ -f $source_dir/SHA256SUMS ]] || die "$source_dir is not a backup made by backup.sh (no SHA256SUMS)"
(cd "$source_dir" && sha256sum --check --quiet SHA256SUMS) || die "the backup's checksums do not match: it is damaged"

if [[ $APP_ONLY != 1 ]]; then
  [[ $(id -u) == 0 ]] || die "run as root (sudo), or with --app-only"
  mapfile -t units < <(sunshine_units)
  say "Stopping ${units[*]}"
  systemctl stop sunshine-publish.timer sunshine-daily.timer "${units[@]}"
fi

say "Database"
name=$(database_name "$DATABASE_URL")
if ! psql --quiet --no-psqlrc --dbname="$DATABASE_URL" --command='SELECT 1' >/dev/null 2>&1; then
  echo "Creating the database $name"
  psql --quiet --no-psqlrc --dbname="$(database_url_for "$DATABASE_URL" postgres)" \
    --set=ON_ERROR_STOP=1 --command="CREATE DATABASE \"$name\"" ||
    die "cannot create the database $name: sudo -u postgres createdb -O <user> $name, then run restore.sh again"
fi
# Emptied first, so that nothing newer than the backup (a table of a later migration) stays.
psql --quiet --no-psqlrc --dbname="$DATABASE_URL" --set=ON_ERROR_STOP=1 \
  --command='DROP SCHEMA IF EXISTS public CASCADE' --command='CREATE SCHEMA public'
pg_restore --no-owner --no-privileges --exit-on-error --single-transaction --dbname="$DATABASE_URL" "$source_dir/database.dump"

say "Uploaded files ($MEDIA_ROOT)"
staging="$MEDIA_ROOT.restoring"
rm -rf "$staging"
mkdir -p "$staging"
tar --extract --gzip --file="$source_dir/media.tar.gz" --directory="$staging"
if [[ -e $MEDIA_ROOT ]]; then
  mv "$MEDIA_ROOT" "$MEDIA_ROOT.before-restore-$(date +%Y%m%d-%H%M%S)"
fi
mv "$staging" "$MEDIA_ROOT"
if [[ $APP_ONLY != 1 ]]; then
  chown -R "$SUNSHINE_USER:$SUNSHINE_USER" "$MEDIA_ROOT"
  chmod 0750 "$MEDIA_ROOT"
fi

say "Migrations and search index"
manage migrate --noinput
manage update_index

if [[ $APP_ONLY != 1 ]]; then
  say "Starting ${units[*]}"
  systemctl start "${units[@]}" sunshine-publish.timer sunshine-daily.timer
fi
say "Restored from $source_dir"
