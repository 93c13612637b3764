import logging

from celery import shared_task
from django.db import transaction

from portal.outbox import claim, heartbeat, publish, republish_lost

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
    """Render one package. Idempotent: a package already rendered, or held by a live worker, is left alone."""
    with transaction.atomic():
        package = Package.objects.select_for_update().get(pk=package_id)
        if package.state == Package.State.READY or not claim(package, self.request.id, Package.State.RENDERING):
            return package.sha256
        package.progress = 5
        package.save(update_fields=["state", "progress", "claimed_by", "heartbeat_at"])

    def progress(percent):
        Package.objects.filter(pk=package_id).update(progress=percent)

    with heartbeat(package, self.request.id, self.request.is_eager):
        try:
            assembled, archive = build(package, progress)
        except (OSError, ConnectionError):
            raise  # transient: Celery retries with backoff
        except Exception as exc:
            log.exception("rendering package %s failed", package_id)
            Package.objects.filter(pk=package_id).update(
                state=Package.State.FAILED, error=f"{type(exc).__name__}: {exc}"
            )
            raise
        store(package, assembled, archive)
    return package.sha256


@shared_task(name="applications.requeue_packages", acks_late=True)
def requeue_packages(now=None):
    """The outbox dispatcher (beat, every 30 s): packages never published, lost by the broker, or whose worker
    died mid-render are published again."""
    return republish_lost(
        Package.objects.all(), render_package, queued=Package.State.QUEUED, running=Package.State.RENDERING, now=now
    )


def queue_render(package):
    """Render after commit. The package row is the outbox entry: when the broker is down, or this process dies
    before publishing, requeue_packages sends it."""
    publish(render_package, package)
