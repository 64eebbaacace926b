#!/usr/bin/env bash
# Prints the nginx site (deploy/nginx/sunshine.conf) with its {{…}} values filled in from the
# environment (install.sh runs it with the environment file loaded; so does the deployment test):
#
#   PUBLIC_BASE_URL      https://host[:port]; the redirect goes there, the server name is its host
#   WEB_BIND             gunicorn's address, host:port or unix:/path (default 127.0.0.1:8000)
#   TLS_CERTIFICATE, TLS_CERTIFICATE_KEY   the certificate (with its chain) and key files
#   NGINX_HTTP_LISTEN, NGINX_HTTPS_LISTEN  default 80 and 443 (or address:port)
#   NGINX_LOG_DIR        default /var/log/nginx
#   STATIC_ROOT          default the checkout's static_collected (cms/settings/base.py)
set -euo pipefail
here=$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")
home=$(dirname "$(dirname "$here")")

: "${PUBLIC_BASE_URL:?PUBLIC_BASE_URL must be set (https://host)}"
: "${TLS_CERTIFICATE:?TLS_CERTIFICATE must name the certificate file}"
: "${TLS_CERTIFICATE_KEY:?TLS_CERTIFICATE_KEY must name the key file}"
[[ $PUBLIC_BASE_URL == https://* ]] || { echo "PUBLIC_BASE_URL must start with https:// behind this nginx site" >&2; exit 1; }
host_port=${PUBLIC_BASE_URL#https://}
host_port=${host_port%%/*}
server_name=${host_port%:*}
bind=${WEB_BIND:-127.0.0.1:8000}

fill() {
  local value=$2
  value=${value//\\/\\\\}
  value=${value//&/\\&}
  value=${value//|/\\|}
  printf 's|{{%s}}|%s|g\n' "$1" "$value"
}

sed -f <(
  fill UPSTREAM "$bind"
  fill SERVER_NAME "$server_name"
  fill PUBLIC_BASE_URL "${PUBLIC_BASE_URL%/}"
  fill HTTP_LISTEN "${NGINX_HTTP_LISTEN:-80}"
  fill HTTPS_LISTEN "${NGINX_HTTPS_LISTEN:-443}"
  fill TLS_CERTIFICATE "$TLS_CERTIFICATE"
  fill TLS_CERTIFICATE_KEY "$TLS_CERTIFICATE_KEY"
  fill LOG_DIR "${NGINX_LOG_DIR:-/var/log/nginx}"
  fill STATIC_ROOT "${STATIC_ROOT:-$home/static_collected}"
) "$here/sunshine.conf"
