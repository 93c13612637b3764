"""All settings, read from the environment in this one module.

No environment at all gives the demo shape: SQLite in var/, Celery tasks run in-process, DEBUG on.
DATABASE_URL + REDIS_URL give the production shape (PostgreSQL, a real Celery worker);
DJANGO_ENV=production additionally turns on every secure setting.
"""

import os
import sys
from datetime import timedelta
from pathlib import Path

import dj_database_url
from celery.schedules import crontab

from portal.logs import JSON_LOG_FORMATTER
from portal.media_storage import s3_media_storage

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("PORTAL_VAR_DIR", BASE_DIR / "var"))

ENVIRONMENT = os.environ.get("DJANGO_ENV", "development")
PRODUCTION = ENVIRONMENT == "production"
DATABASE_URL = os.environ.get("DATABASE_URL", "")
REDIS_URL = os.environ.get("REDIS_URL", "")
DEMO_SHAPE = not DATABASE_URL and not REDIS_URL

if PRODUCTION:
    SECRET_KEY = os.environ["SECRET_KEY"]
else:
    SECRET_KEY = os.environ.get("SECRET_KEY", "dev-only-key-not-for-production-7Hq2vX9pLr4sT8wZ1cN5bM3kJ6")
DEBUG = os.environ.get("DEBUG", "0" if PRODUCTION else "1") == "1"
ALLOWED_HOSTS = [h for h in os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h]
CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if o]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rules.apps.AutodiscoverRulesConfig",
    "crispy_forms",
    "crispy_bootstrap5",
    "axes",
    "django_ratelimit",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "portal.accounts",
    "portal.audit",
    "portal.calls",
    "portal.notifications",
    "applications",
    "review",
    "demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_ratelimit.middleware.RatelimitMiddleware",
    "portal.accounts.middleware.SingleSessionMiddleware",
    "portal.accounts.middleware.SecondFactorMiddleware",
    "portal.accounts.middleware.PasswordPolicyMiddleware",
    # Last, so that it sees the login view's answer (django-axes counts failures and locks out).
    "axes.middleware.AxesMiddleware",
]

if PRODUCTION:
    # In development runserver serves the vendored assets itself.
    MIDDLEWARE.insert(1, "whitenoise.middleware.WhiteNoiseMiddleware")

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "portal.accounts.context_processors.memberships",
                "review.pilots.signals.pilot_link",
                "portal.accounts.session_context.session_timing",
            ],
        },
    },
]

if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": VAR_DIR / "portal.sqlite3",
            "OPTIONS": {"timeout": 20},
            # A file, not memory, so that a real Celery worker started by a test can share it.
            # TEST_SQLITE_NAME lets two test runs on one checkout keep apart.
            "TEST": {"NAME": os.environ.get("TEST_SQLITE_NAME") or str(VAR_DIR / "test-portal.sqlite3")},
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "portal.accounts.passwords.LengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "portal.accounts.passwords.CharacterClassValidator", "OPTIONS": {"classes": 3}},
    {"NAME": "portal.accounts.passwords.NotTheUsernameValidator"},
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "portal.accounts.passwords.PasswordHistoryValidator", "OPTIONS": {"remember": 5}},
]
# 等保2.0 三级: change every 90 days and at the first login (0 turns either off).
PASSWORD_MAX_AGE_DAYS = int(os.environ.get("PASSWORD_MAX_AGE_DAYS", "90"))
PASSWORD_CHANGE_AT_FIRST_LOGIN = os.environ.get("PASSWORD_CHANGE_AT_FIRST_LOGIN", "1") == "1"

# Lockout after 5 failures for 15 minutes: of the account (from any address), and of the account at one
# address (reached no sooner at the same limit; it keeps an address in every lock, as django-axes asks).
# Never of an address alone: one person's typos would lock everyone behind an office's NAT. An address is
# throttled instead: LOGIN_RATE_LIMIT below answers 429 for the rest of the minute.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("AXES_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = ["username", ["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "portal.accounts.lockout.locked_out"
# the client's address as the audit log reads it (X-Forwarded-For only from TRUSTED_PROXIES)
AXES_CLIENT_IP_CALLABLE = "portal.audit.log.client_ip"
AXES_VERBOSE = False

# Two-factor (TOTP) for these roles; others may enrol from their account page.
SECOND_FACTOR_ROLES = [r for r in os.environ.get("SECOND_FACTOR_ROLES", "province,sysadmin").split(",") if r]
OTP_TOTP_ISSUER = "江苏众创社区申报评审平台"
# One active session per account: a new login ends the others.
SINGLE_SESSION_PER_USER = os.environ.get("SINGLE_SESSION_PER_USER", "0") == "1"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
# `manage.py collectstatic` (scripts/serve.sh prepare) fills it; the production shape serves the hashed
# names from there through WhiteNoise and /readyz/ reports "not ready" until it has run.
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", VAR_DIR / "staticfiles"))
STORAGES = {
    # Uploaded files live outside the web root and are only served through views that check
    # permission; there is deliberately no MEDIA_URL route.
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
# Several web and worker machines share uploads and generated PDFs through an S3-compatible object store;
# the local folder is the default.
if os.environ.get("MEDIA_S3_BUCKET"):
    STORAGES["default"] = s3_media_storage(os.environ)
MEDIA_URL = "/files/"

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Celery: a real worker on Redis in the production shape, in-process otherwise.
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# A task whose worker died unacknowledged is handed out again after this many seconds; longer than
# the longest task's hard time limit (render_package: 360 s).
# Workers look for such tasks every `unacked_restore_interval` seconds.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": int(os.environ.get("CELERY_VISIBILITY_TIMEOUT", "900")),
    "unacked_restore_interval": int(os.environ.get("CELERY_RESTORE_INTERVAL", "10")),
    "unacked_restore_throttle": 1,
    # A web request publishing while Redis is unreachable gives up at once (send_after_commit).
    "socket_connect_timeout": 2,
}
# Only the health check's answer is read: no other task waits on the result store (a request publishing
# while Redis is down would otherwise retry connecting to it for about 20 s).
CELERY_TASK_IGNORE_RESULT = True
# A worker renews its lease on the row it works on every quarter lease; a row whose lease ran out is
# published again (portal/outbox.py). OUTBOX_GRACE_SECONDS lets the request's own publish go first.
WORKER_LEASE_SECONDS = int(os.environ.get("WORKER_LEASE_SECONDS", "60"))
OUTBOX_GRACE_SECONDS = int(os.environ.get("OUTBOX_GRACE_SECONDS", "30"))
CELERY_BEAT_SCHEDULE = {
    # the outbox dispatchers: packages and exports never published or whose worker died (portal/outbox.py)
    "requeue-packages": {"task": "applications.requeue_packages", "schedule": 30.0},
    "requeue-exports": {"task": "review.requeue_exports", "schedule": 30.0},
    "remind-recommendation-deadlines": {
        "task": "applications.remind_recommendation_deadlines",
        "schedule": crontab(hour=9, minute=0),
    },
}
# Rate limits (login, /verify) count in the cache: shared through Redis in the production shape.
# django-ratelimit lists only third-party Redis backends; Django's own RedisCache increments with Redis'
# atomic INCR, which is all the limiter needs.
SILENCED_SYSTEM_CHECKS = ["django_ratelimit.W001"]
# While Redis is down each process counts on its own (portal/cache.py): logging in never fails for it.
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "portal.cache.RedisOrLocalCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 2},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    SILENCED_SYSTEM_CHECKS.append("django_ratelimit.E003")  # one process in the demo shape

if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
    CELERY_RESULT_BACKEND = REDIS_URL
    CELERY_TASK_ALWAYS_EAGER = False
else:
    CELERY_BROKER_URL = "memory://"
    CELERY_RESULT_BACKEND = "cache+memory://"
    CELERY_TASK_ALWAYS_EAGER = True
    CELERY_TASK_EAGER_PROPAGATES = True

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "noreply@portal.invalid")
# The public address printed in every PDF's verification QR code and in e-mail links; the production shape
# has no default, and `check --deploy` fails until it is a public https address (applications/checks.py).
PORTAL_BASE_URL = os.environ.get("PORTAL_BASE_URL", "" if PRODUCTION else "http://127.0.0.1:8000").rstrip("/")

# Idle timeout: every request renews the session; pages warn a minute before it runs out.
SESSION_COOKIE_AGE = int(os.environ.get("SESSION_COOKIE_AGE", str(30 * 60)))
SESSION_SAVE_EVERY_REQUEST = True
# A draft is saved in the background after this long without typing (static/js/autosave.js).
AUTOSAVE_IDLE_MS = int(os.environ.get("AUTOSAVE_IDLE_MS", "4000"))
SESSION_EXPIRE_WARNING_SECONDS = 60
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
# No inline script or style anywhere: every script and stylesheet is a file under /static/.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
RATELIMIT_VIEW = "portal.accounts.lockout.rate_limited"
LOGIN_RATE_LIMIT = os.environ.get("LOGIN_RATE_LIMIT", "30/m")
VERIFY_RATE_LIMIT = os.environ.get("VERIFY_RATE_LIMIT", "30/m")
# wrong current passwords on the change-password page, per account (then 429, audited)
OLD_PASSWORD_RATE_LIMIT = os.environ.get("OLD_PASSWORD_RATE_LIMIT", "5/15m")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# Behind a reverse proxy that sets X-Forwarded-For, list its address here so audit rows keep
# the client's address rather than the proxy's.
TRUSTED_PROXIES = [p for p in os.environ.get("TRUSTED_PROXIES", "").split(",") if p]
AUDIT_RETENTION_DAYS = 180  # manage.py purge_audit keeps at least this many days (never fewer than 180)

if PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    CSRF_COOKIE_HTTPONLY = True
    SECURE_SSL_REDIRECT = os.environ.get("SECURE_SSL_REDIRECT", "1") == "1"
    # A load balancer's probes reach the web server directly, over plain HTTP.
    SECURE_REDIRECT_EXEMPT = [r"^healthz/$", r"^readyz/$"]
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = int(timedelta(days=365).total_seconds())
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

# One JSON object a line on stderr in the production shape (journald or a log shipper reads them);
# LOG_FORMAT=text gives plain lines. The Celery worker logs through the same configuration.
LOG_FORMAT = os.environ.get("LOG_FORMAT", "json" if PRODUCTION else "text")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "json": JSON_LOG_FORMATTER,
        "text": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
    "loggers": {"django.request": {"level": "ERROR"}},
}
CELERY_WORKER_HIJACK_ROOT_LOGGER = False

if DEMO_SHAPE and sys.argv[1:2] in (["runserver"], ["seed_demo"]):
    print(
        "【演示模式】未设置 DATABASE_URL / REDIS_URL：使用 SQLite（var/portal.sqlite3），"
        "后台任务在本进程内执行。生产部署请设置 DATABASE_URL、REDIS_URL 与 DJANGO_ENV=production。",
        file=sys.stderr,
    )

# The platform's PAdES integrity-signing key and certificate: outside the repository and the web root.
SIGNING_DIR = Path(os.environ.get("SIGNING_DIR", VAR_DIR / "signing"))

# Per-file and per-application upload limits (申报附件).
UPLOAD_LIMITS = {
    "file_max_bytes": int(os.environ.get("UPLOAD_FILE_MAX_MB", "20")) * 1024 * 1024,
    "application_max_bytes": int(os.environ.get("UPLOAD_APPLICATION_MAX_MB", "200")) * 1024 * 1024,
    "pdf_max_pages": 300,
    "image_max_pixels": 40_000_000,
}
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024  # a form's text, files not counted; portal/error_views.py says so
CSRF_FAILURE_VIEW = "portal.error_views.csrf_failure"
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
