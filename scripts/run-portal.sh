#!/usr/bin/env bash
# Set up, create the demo data, print the demo logins and serve the portal on http://127.0.0.1:8000.
# With REDIS_URL set, a Celery worker runs beside the web server.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
.venv/bin/python manage.py seed_demo

if [ -n "${REDIS_URL:-}" ]; then
  .venv/bin/celery -A portal worker -B --loglevel=INFO --concurrency=2 &
  worker=$!
  trap 'kill "$worker" 2>/dev/null || true' EXIT
fi
echo "==> 平台地址：http://127.0.0.1:8000 （Ctrl+C 停止）"
.venv/bin/python manage.py runserver --noreload 127.0.0.1:8000
