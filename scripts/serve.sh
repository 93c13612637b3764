#!/usr/bin/env bash
# The production shape, one role per call (systemd units in deploy/ call these):
#   scripts/serve.sh prepare   migrate (as the owner role, MIGRATION_DATABASE_URL), grant the app role its
#                              privileges, load reference data, collectstatic
#   scripts/serve.sh web       gunicorn (deploy/gunicorn.conf.py: PORTAL_BIND, WEB_CONCURRENCY)
#   scripts/serve.sh worker    Celery worker (WORKER_CONCURRENCY)
#   scripts/serve.sh beat      Celery beat: exactly one per installation
#   scripts/serve.sh all       prepare, then web, worker and beat together until one of them stops
# Arguments after web, worker or beat go to gunicorn or celery.
# Reads the environment (DATABASE_URL, REDIS_URL, DJANGO_ENV=production, SECRET_KEY, ALLOWED_HOSTS ...);
# with PORTAL_ENV_FILE (default /etc/portal/portal.env when it exists) sourced first.
set -euo pipefail
cd "$(dirname "$0")/.."
env_file="${PORTAL_ENV_FILE:-/etc/portal/portal.env}"
if [ -r "$env_file" ]; then
  set -a
  # shellcheck disable=SC1090
  . "$env_file"
  set +a
fi
manage() { .venv/bin/python manage.py "$@"; }

prepare() {
  owner_url="${MIGRATION_DATABASE_URL:-${DATABASE_URL:-}}"
  DATABASE_URL="$owner_url" manage migrate --noinput -v 0
  if [ -n "${PORTAL_APP_ROLE:-}" ]; then
    DATABASE_URL="$owner_url" manage grant_app_role "$PORTAL_APP_ROLE"
  fi
  manage load_regions >/dev/null
  manage load_calls >/dev/null
  manage collectstatic --noinput -v 0
}

web() { exec .venv/bin/gunicorn portal.wsgi:application --config deploy/gunicorn.conf.py "$@"; }
worker() {
  exec .venv/bin/celery -A portal worker --loglevel="${LOG_LEVEL:-INFO}" \
    --concurrency="${WORKER_CONCURRENCY:-2}" --without-gossip --without-mingle "$@"
}
beat() {
  exec .venv/bin/celery -A portal beat --loglevel="${LOG_LEVEL:-INFO}" \
    --schedule="${PORTAL_VAR_DIR:-var}/celerybeat-schedule" "$@"
}

command="${1:-}"
shift || true
case "$command" in
  prepare) prepare ;;
  web) web "$@" ;;
  worker) worker "$@" ;;
  beat) beat "$@" ;;
  all)
    prepare
    pids=()
    trap 'kill "${pids[@]}" 2>/dev/null || true' EXIT INT TERM
    (web) & pids+=($!)
    (worker) & pids+=($!)
    (beat) & pids+=($!)
    wait -n "${pids[@]}"
    ;;
  *)
    echo "用法：scripts/serve.sh prepare|web|worker|beat|all" >&2
    exit 2
    ;;
esac
