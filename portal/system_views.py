from django.conf import settings
from django.db import connection
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
