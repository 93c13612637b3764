"""The settings module picks its shape from the environment alone."""

import json
import os
import subprocess
import sys
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parents[2]
PROBE = (
    "import json, django; from django.conf import settings; django.setup(); "
    "print(json.dumps({'engine': settings.DATABASES['default']['ENGINE'], 'eager': settings.CELERY_TASK_ALWAYS_EAGER,"
    " 'debug': settings.DEBUG, 'broker': settings.CELERY_BROKER_URL, 'secure': settings.SESSION_COOKIE_SECURE,"
    " 'tz': settings.TIME_ZONE, 'lang': settings.LANGUAGE_CODE, 'hsts': settings.SECURE_HSTS_SECONDS,"
    " 'csrf_secure': settings.CSRF_COOKIE_SECURE, 'httponly': settings.SESSION_COOKIE_HTTPONLY,"
    " 'samesite': settings.SESSION_COOKIE_SAMESITE, 'frames': settings.X_FRAME_OPTIONS,"
    " 'cache': settings.CACHES['default']['BACKEND']}))"
)


def _shape(**env):
    clean = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL", "DJANGO_ENV", "DEBUG")}
    clean.update(env, DJANGO_SETTINGS_MODULE="portal.settings")
    out = subprocess.run(
        [sys.executable, "-c", PROBE], cwd=BASE_DIR, env=clean, capture_output=True, text=True, check=True
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_no_environment_gives_the_demo_shape():
    shape = _shape()
    assert shape["engine"] == "django.db.backends.sqlite3"
    assert shape["eager"] and shape["debug"] and shape["broker"] == "memory://"
    assert (shape["tz"], shape["lang"]) == ("Asia/Shanghai", "zh-hans")


def test_database_and_redis_urls_give_the_production_shape():
    shape = _shape(DATABASE_URL="postgres://postgres@127.0.0.1:5432/portal", REDIS_URL="redis://127.0.0.1:6379/0")
    assert shape["engine"] == "django.db.backends.postgresql"
    assert not shape["eager"] and shape["broker"] == "redis://127.0.0.1:6379/0"
    # rate limits shared by all workers through Redis, counted in-process while Redis is down
    assert shape["cache"] == "portal.cache.RedisOrLocalCache"


def test_production_environment_turns_on_secure_settings():
    shape = _shape(DJANGO_ENV="production", SECRET_KEY="x" * 60)
    assert shape["secure"] and not shape["debug"] and shape["hsts"] >= 31536000
    assert shape["csrf_secure"] and shape["httponly"] and shape["samesite"] == "Lax" and shape["frames"] == "DENY"


def _deploy_check(**env):
    clean = {k: v for k, v in os.environ.items() if k not in ("DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE", "PORTAL_BASE_URL")}
    clean.update(DJANGO_ENV="production", SECRET_KEY="k" * 30 + "Q7p!x" * 6, ALLOWED_HOSTS="portal.example.gov.cn")
    clean.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=BASE_DIR,
        env=clean,
        capture_output=True,
        text=True,
    )


def test_deploy_check_is_clean_in_production():
    result = _deploy_check(PORTAL_BASE_URL="https://portal.example.gov.cn/")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_deploy_check_fails_without_the_public_address_the_qr_codes_print():
    for address in (None, "http://127.0.0.1:8000", "http://portal.example.gov.cn", "https://localhost"):
        result = _deploy_check(**({"PORTAL_BASE_URL": address} if address else {}))
        assert result.returncode != 0, address
        assert "applications.E001" in result.stderr + result.stdout and "PORTAL_BASE_URL" in result.stderr, address
