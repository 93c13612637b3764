"""gunicorn settings of the production shape (scripts/serve.sh web); every value can be set in the environment."""

import multiprocessing
import os

from portal import celery_app
from portal.logs import JSON_LOG_FORMATTER
from portal.tasks import prepare_publishing

bind = os.environ.get("PORTAL_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", str(min(2 * multiprocessing.cpu_count() + 1, 9))))
# PDF packages and exports are made by the Celery worker; no request should take this long.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
graceful_timeout = 30
keepalive = 5
# Recycle workers now and then so that no slow leak accumulates.
max_requests = 2000
max_requests_jitter = 200
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None
# Only the reverse proxy on this machine may say a request came over HTTPS (X-Forwarded-Proto); the
# client's address in the audit log is read by the portal itself (TRUSTED_PROXIES).
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
proc_name = "portal-web"
# Managed by systemd (deploy/portal-web.service: reload sends HUP); no control socket in the home directory.
control_socket_disable = True

_level = os.environ.get("LOG_LEVEL", "INFO")
# Access lines: client (the proxy's X-Forwarded-For as received), request, status, bytes, microseconds.
access_log_format = '%({x-forwarded-for}i)s "%(r)s" %(s)s %(B)s %(D)sus'
accesslog = "-" if os.environ.get("GUNICORN_ACCESS_LOG", "1") == "1" else None
logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": JSON_LOG_FORMATTER},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "json", "stream": "ext://sys.stderr"}},
    "loggers": {
        "gunicorn.error": {"handlers": ["console"], "level": _level, "propagate": False},
        "gunicorn.access": {"handlers": ["console"], "level": "INFO", "propagate": False},
    },
}


def post_worker_init(worker):
    """Each worker loads celery's publishing machinery before its first request (portal.tasks), once the
    application (and so Django) is loaded in it; never in the master, whose connections every worker would share."""
    prepare_publishing(celery_app)
