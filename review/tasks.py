import logging

from celery import shared_task
from django.db import transaction
from django.utils import timezone

from portal.outbox import claim, heartbeat, publish, republish_lost

from .domain.exports import WRITERS
from .models import ExportJob

log = logging.getLogger(__name__)


@shared_task(
    name="review.run_export",
    bind=True,
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=(OSError, ConnectionError),
    retry_backoff=True,
    max_retries=3,
    soft_time_limit=600,
    time_limit=660,
)
def run_export(self, job_id):
    """Write one export. Idempotent: a finished export, or one a live worker holds, is left as it is; a rerun
    rewrites the same file."""
    with transaction.atomic():
        job = ExportJob.objects.select_for_update().select_related("call__programme").get(pk=job_id)
        if job.state == ExportJob.State.READY or not claim(job, self.request.id, ExportJob.State.RUNNING):
            return job.file.name
        job.progress = 1
        job.save(update_fields=["state", "progress", "claimed_by", "heartbeat_at"])
    with heartbeat(job, self.request.id, self.request.is_eager):
        try:
            name, rows = WRITERS[job.kind](job)
        except (OSError, ConnectionError):
            raise
        except Exception as exc:
            log.exception("export %s failed", job_id)
            ExportJob.objects.filter(pk=job_id).update(
                state=ExportJob.State.FAILED, error=f"{type(exc).__name__}: {exc}"
            )
            raise
    ExportJob.objects.filter(pk=job_id).update(
        state=ExportJob.State.READY, progress=100, file=name, rows=rows, finished_at=timezone.now()
    )
    return name


def queue_export(job):
    """Write after commit. The job row is the outbox entry: when the broker is down, or this process dies before
    publishing, requeue_exports sends it."""
    publish(run_export, job)


@shared_task(name="review.requeue_exports", acks_late=True)
def requeue_exports(now=None):
    """The outbox dispatcher (beat, every 30 s): exports never published, lost by the broker, or whose worker died
    mid-export are published again."""
    return republish_lost(
        ExportJob.objects.all(), run_export, queued=ExportJob.State.QUEUED, running=ExportJob.State.RUNNING, now=now
    )
