#!/usr/bin/env bash
# Set up and run every check: lint, migrations, the deploy check and the whole test suite.
# Runs on SQLite by default; with DATABASE_URL / REDIS_URL on PostgreSQL and Redis (as CI does).
# Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --dev

# The worker test needs a Redis; start a throwaway one when none answers.
redis_url="${REDIS_URL:-redis://127.0.0.1:6379/15}"
if ! .venv/bin/python - "$redis_url" <<'PY' 2>/dev/null
import sys, redis
redis.Redis.from_url(sys.argv[1], socket_connect_timeout=2).ping()
PY
then
  echo "==> 启动本地 Redis"
  redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no >/dev/null
  sleep 1
fi

echo "==> ruff"
.venv/bin/ruff check .
.venv/bin/ruff format --check . >/dev/null || { echo "ruff format: 有文件未格式化，请运行 .venv/bin/ruff format ." >&2; exit 1; }
echo "==> lint-imports（分层与循环依赖，见 README 代码结构）"
.venv/bin/lint-imports --no-cache
echo "==> makemigrations --check"
.venv/bin/python manage.py makemigrations --check --dry-run >/dev/null
echo "==> check --deploy（生产配置）"
DJANGO_ENV=production SECRET_KEY="$(.venv/bin/python -c 'import secrets; print(secrets.token_urlsafe(50))')" \
  ALLOWED_HOSTS=portal.example.gov.cn PORTAL_BASE_URL=https://portal.example.gov.cn \
  .venv/bin/python manage.py check --deploy --fail-level WARNING

echo "==> pytest"
# pytest orders tests that share wider-scoped fixtures by hashing them: one seed for every xdist worker keeps
# their collections identical (xdist refuses to run otherwise).
export PYTHONHASHSEED="${PYTHONHASHSEED:-0}"
status=0
.venv/bin/python -m pytest -n "${PYTEST_WORKERS:-2}" --dist loadgroup --durations=20 "$@" || status=$?
if [ "$status" -eq 5 ]; then
  echo "pytest 没有执行任何测试：视为失败。" >&2
  exit 1
fi
exit "$status"
