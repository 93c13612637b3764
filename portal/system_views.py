import redis
from django.conf import settings
from django.contrib.staticfiles.storage import staticfiles_storage
from django.db import connection
from django.http import JsonResponse
from django.views.generic import TemplateView

from portal.permissions import PermissionRequiredMixin
from portal.tasks import health_check


def worker_status(timeout=3):
    """Round-trip a task through the broker; in the demo shape it runs in this process."""
    try:
        return {"ok": True, **health_check.delay().get(timeout=timeout)}
    except Exception as exc:  # any broker or worker failure is shown, not raised
        return {"ok": False, "error": f"{type(exc).__name__}: {exc}"}


class SystemStatusView(PermissionRequiredMixin, TemplateView):
    permission_required = "system.view_status"
    template_name = "system/status.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            database=connection.vendor,
            demo_shape=settings.DEMO_SHAPE,
            eager=settings.CELERY_TASK_ALWAYS_EAGER,
            worker=worker_status(),
            **kwargs,
        )


def healthz(request):
    """Liveness: the process answers. No database or Redis, so a restart of either never kills web workers."""
    return JsonResponse({"status": "ok"})


def readiness_checks():
    """{name: "ok" or what is wrong} for everything a request needs: the database, Redis (cache, rate limits
    and the task broker) and, in the production shape, the collected static files."""
    checks = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        checks["database"] = "ok"
    except Exception as exc:  # reported, not raised: the probe must answer
        checks["database"] = type(exc).__name__
    if settings.REDIS_URL:
        try:
            redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=1, socket_timeout=1).ping()
            checks["redis"] = "ok"
        except Exception as exc:
            checks["redis"] = type(exc).__name__
    manifest = getattr(staticfiles_storage, "manifest_name", None)
    if manifest:
        checks["static"] = "ok" if staticfiles_storage.exists(manifest) else "collectstatic not run"
    return checks


def readyz(request):
    """Readiness: 200 when this process can serve requests, 503 (and which dependency failed) otherwise."""
    checks = readiness_checks()
    # Redis is reported, not required: with Redis down logging in and filing still work (README, 故障时的表现),
    # so a load balancer must not take every web process out of service for it.
    ready = all(value == "ok" for name, value in checks.items() if name != "redis")
    return JsonResponse({"status": "ready" if ready else "not ready", "checks": checks}, status=200 if ready else 503)
