import logging

from celery import shared_task
from django.db import transaction

from portal.tasks import send_after_commit

from .domain.reminders import remind_recommendation_deadlines as remind
from .models import Package
from .packages.build import build, store

log = logging.getLogger(__name__)


@shared_task(name="applications.remind_recommendation_deadlines", acks_late=True)
def remind_recommendation_deadlines():
    return remind()


@shared_task(
    name="applications.render_package",
    bind=True,
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=(OSError, ConnectionError),
    retry_backoff=True,
    retry_backoff_max=300,
    max_retries=5,
    soft_time_limit=300,
    time_limit=360,
)
def render_package(self, package_id):
    """Render one package. Idempotent: a package already rendered is left as it is."""
    with transaction.atomic():
        package = Package.objects.select_for_update().get(pk=package_id)
        if package.state == Package.State.READY:
            return package.sha256
        package.state, package.progress = Package.State.RENDERING, 5
        package.save(update_fields=["state", "progress"])

    def progress(percent):
        Package.objects.filter(pk=package_id).update(progress=percent)

    try:
        assembled, archive = build(package, progress)
    except (OSError, ConnectionError):
        raise  # transient: Celery retries with backoff
    except Exception as exc:
        log.exception("rendering package %s failed", package_id)
        Package.objects.filter(pk=package_id).update(state=Package.State.FAILED, error=f"{type(exc).__name__}: {exc}")
        raise
    store(package, assembled, archive)
    return package.sha256


@shared_task(name="applications.requeue_packages", acks_late=True)
def requeue_packages(older_than_minutes=10):
    """Packages still queued (the broker was down when they were asked for) are queued again."""
    from datetime import timedelta

    from django.utils import timezone

    stale = Package.objects.filter(
        state=Package.State.QUEUED, created_at__lt=timezone.now() - timedelta(minutes=older_than_minutes)
    )
    package_ids = list(stale.values_list("pk", flat=True))
    for package_id in package_ids:
        render_package.delay(package_id)
    return len(package_ids)


def queue_render(package):
    """Render after commit; when the broker is down the package stays queued and requeue_packages sends it."""
    send_after_commit(render_package, package.pk)
