import logging

from celery import shared_task
from django.db import transaction
from django.utils import timezone

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
    def send():
        try:
            run_export.delay(job.pk)
        except Exception:  # broker unreachable: the job stays queued and the page offers to try again
            log.warning("could not queue export %s", job.pk, exc_info=True)

    transaction.on_commit(send)
