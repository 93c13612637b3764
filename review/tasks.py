import logging
from datetime import timedelta

from celery import shared_task
from django.db import transaction
from django.utils import timezone

from portal.tasks import send_after_commit

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
    """Write one export. Idempotent: a finished export is left as it is; a rerun rewrites the same file."""
    with transaction.atomic():
        job = ExportJob.objects.select_for_update().select_related("call__programme").get(pk=job_id)
        if job.state == ExportJob.State.READY:
            return job.file.name
        job.state, job.progress = ExportJob.State.RUNNING, 1
        job.save(update_fields=["state", "progress"])
    try:
        name, rows = WRITERS[job.kind](job)
    except (OSError, ConnectionError):
        raise
    except Exception as exc:
        log.exception("export %s failed", job_id)
        ExportJob.objects.filter(pk=job_id).update(state=ExportJob.State.FAILED, error=f"{type(exc).__name__}: {exc}")
        raise
    ExportJob.objects.filter(pk=job_id).update(
        state=ExportJob.State.READY, progress=100, file=name, rows=rows, finished_at=timezone.now()
    )
    return name


def queue_export(job):
    send_after_commit(run_export, job.pk)


@shared_task(name="review.requeue_exports", acks_late=True)
def requeue_exports(older_than_minutes=10):
    """Exports still queued (the broker was down when they were asked for) are queued again."""
    stale = ExportJob.objects.filter(
        state=ExportJob.State.QUEUED, created_at__lt=timezone.now() - timedelta(minutes=older_than_minutes)
    )
    job_ids = list(stale.values_list("pk", flat=True))
    for job_id in job_ids:
        run_export.delay(job_id)
    return len(job_ids)
