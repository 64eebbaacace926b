#!/usr/bin/env bash
# Backs up the database (pg_dump, custom format) and the uploaded files (MEDIA_ROOT, tar) into
# one folder, BACKUP_DIR/<date-time>/, with checksums; keeps the newest BACKUP_KEEP backups.
# The search index is not backed up: restore.sh rebuilds it from the database.
#
#   sudo /opt/sunshine/deploy/backup.sh [--app-only]
#
# Safe while the site runs (pg_dump reads one consistent snapshot; a file uploaded during the
# tar may be missing from it, never half-written into the database). Prints the folder's path.
set -euo pipefail
while (($#)); do
  case $1 in
    --app-only) APP_ONLY=1 ;;
    -h | --help) sed -n '2,10p' "$0"; exit 0 ;;
    *) echo "unknown option: $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done

# shellcheck source=deploy/lib.sh
. "$(dirname "$(readlink -f "$0")")/lib.sh"
load_env "$SUNSHINE_ENV_FILE"
: "${DATABASE_URL:?DATABASE_URL must be set}"
: "${MEDIA_ROOT:?MEDIA_ROOT must be set}"
[[ $DATABASE_URL == postgres://* || $DATABASE_URL == postgresql://* ]] || die "backup.sh backs up PostgreSQL (DATABASE_URL)"
backup_dir=${BACKUP_DIR:-/var/backups/sunshine}
keep=${BACKUP_KEEP:-14}
[[ $keep =~ ^[1-9][0-9]*$ ]] || die "BACKUP_KEEP must be a number ≥ 1, got '$keep'"

umask 077
mkdir -p "$backup_dir"
target="$backup_dir/$(date +%Y%m%d-%H%M%S)"
[[ ! -e $target ]] || die "$target exists already"
partial="$target.partial"
rm -rf "$partial"
mkdir "$partial"

pg_dump --format=custom --compress=6 --no-owner --no-privileges --file="$partial/database.dump" --dbname="$DATABASE_URL"
if [[ -d $MEDIA_ROOT ]]; then
  tar --create --gzip --file="$partial/media.tar.gz" --directory="$MEDIA_ROOT" .
else
  tar --create --gzip --file="$partial/media.tar.gz" --files-from=/dev/null
fi
{
  echo "created=$(date --iso-8601=seconds)"
  echo "host=$(hostname)"
  echo "commit=$(git -C "$SUNSHINE_HOME" rev-parse HEAD 2>/dev/null || echo unknown)"
  echo "database=$(database_name "$DATABASE_URL")"
} >"$partial/BACKUP_INFO"
(cd "$partial" && sha256sum database.dump media.tar.gz BACKUP_INFO >SHA256SUMS)
# Complete only now: a backup cut short leaves a .partial folder, never one restore.sh would take.
mv "$partial" "$target"

# The oldest complete backups beyond BACKUP_KEEP go.
mapfile -t old < <(find "$backup_dir" -mindepth 1 -maxdepth 1 -type d -name '[0-9]*-[0-9]*' ! -name '*.partial' | sort -r | tail -n "+$((keep + 1))")
for folder in "${old[@]}"; do
  rm -rf -- "$folder"
done
echo "$target"
