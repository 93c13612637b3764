#!/usr/bin/env bash
# Set up, create the demo data, print the demo logins and serve the portal on http://127.0.0.1:8000
# (another port: PORT=8001 scripts/run-portal.sh). With REDIS_URL set, a Celery worker runs beside the web server.
set -euo pipefail
PORT="${PORT:-8000}"
if ! [[ "$PORT" =~ ^[0-9]+$ ]] || [ "$PORT" -lt 1 ] || [ "$PORT" -gt 65535 ]; then
  echo "PORT 须为 1–65535 之间的端口号（当前为“$PORT”）。" >&2
  exit 2
fi
cd "$(dirname "$0")/.."
scripts/setup.sh
.venv/bin/python manage.py seed_demo

if [ -n "${REDIS_URL:-}" ]; then
  .venv/bin/celery -A portal worker -B --loglevel=INFO --concurrency=2 &
  worker=$!
  trap 'kill "$worker" 2>/dev/null || true' EXIT
fi
echo "==> 平台地址：http://127.0.0.1:${PORT} （Ctrl+C 停止）"
.venv/bin/python manage.py runserver --noreload "127.0.0.1:${PORT}"
