#!/bin/sh
# Renders the nginx site for TickItNow to stdout, e.g. on a host with Debian's nginx:
#   API_UPSTREAM=127.0.0.1:3000 WEB_ROOT=/srv/tickitnow/web \
#     deploy/nginx/render.sh > /etc/nginx/conf.d/tickitnow.conf && nginx -t && nginx -s reload
# Only the listed variables are substituted, so nginx's own $variables stay as they are.
set -eu
here=$(dirname "$0")
export LISTEN="${LISTEN:-80}"
export API_UPSTREAM="${API_UPSTREAM:-127.0.0.1:3000}"
export WEB_ROOT="${WEB_ROOT:-/usr/share/nginx/html}"
export CLIENT_MAX_BODY_SIZE="${CLIENT_MAX_BODY_SIZE:-11m}"
export TRUSTED_PROXY_CIDR="${TRUSTED_PROXY_CIDR:-127.0.0.1/32}"
export CSP_IMG_SRC="${CSP_IMG_SRC:-}"
if [ -z "${NGINX_RESOLVER:-}" ]; then
  # The host's own DNS servers (IPv4 only: nginx wants IPv6 resolvers in brackets).
  NGINX_RESOLVER=$(awk '$1 == "nameserver" && $2 !~ /:/ { printf "%s ", $2 }' /etc/resolv.conf 2>/dev/null || true)
fi
export NGINX_RESOLVER="${NGINX_RESOLVER:-127.0.0.53}"
exec envsubst '${LISTEN} ${API_UPSTREAM} ${WEB_ROOT} ${CLIENT_MAX_BODY_SIZE} ${TRUSTED_PROXY_CIDR} ${CSP_IMG_SRC} ${NGINX_RESOLVER}' \
  < "$here/templates/tickitnow.conf.template"
