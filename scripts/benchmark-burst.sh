#!/usr/bin/env bash
# Deadline-day burst benchmark (BENCHMARKS.md「截止日报送峰值」): 200 heads submit at once against the production
# shape on 127.0.0.1. Uses a database of its own, dropped and created afresh (BURST_DATABASE_URL, default
# postgres://postgres@127.0.0.1:5432/portal_burst) and Redis (REDIS_URL, default redis://127.0.0.1:6379/14).
#   scripts/benchmark-burst.sh [--applications 200] [--write]
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --dev >/dev/null

url="${BURST_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/portal_burst}"
name="${url##*/}"
server="${url%/*}/postgres"
psql "$server" -qc "DROP DATABASE IF EXISTS \"$name\" WITH (FORCE)" >/dev/null
psql "$server" -qc "CREATE DATABASE \"$name\"" >/dev/null

export DATABASE_URL="$url" REDIS_URL="${REDIS_URL:-redis://127.0.0.1:6379/14}" PORTAL_ENV_FILE=/nonexistent
export PORTAL_VAR_DIR="${PORTAL_VAR_DIR:-var}" MEDIA_ROOT="${MEDIA_ROOT:-var/burst/media}" LOG_LEVEL=WARNING
redis-cli -u "$REDIS_URL" flushdb >/dev/null
.venv/bin/python manage.py migrate --noinput -v 0
.venv/bin/python manage.py load_regions >/dev/null
.venv/bin/python manage.py load_calls >/dev/null
.venv/bin/python manage.py benchmark_burst "$@"
