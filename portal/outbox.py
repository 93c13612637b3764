"""Background work recorded as a row in the very transaction that asks for it (an outbox), published to the
workers once that transaction commits, and published again by a beat task when it was lost:

- never published: the web process died between the commit and the publish, or Redis was down;
- published, yet still queued after the broker's visibility timeout: the broker lost the message;
- taken by a worker that stopped beating (killed mid-task): its lease of WORKER_LEASE_SECONDS ran out.

Tasks are idempotent and leave alone a row another task holds a live lease on, so a second copy of a message
costs one query.
"""

import logging
import threading
from contextlib import contextmanager
from datetime import timedelta

from django.conf import settings
from django.db import connection, models
from django.db.models import Q
from django.utils import timezone

from portal.tasks import send_after_commit

log = logging.getLogger(__name__)


class OutboxWork(models.Model):
    dispatched_at = models.DateTimeField("发送时间", null=True, blank=True)
    heartbeat_at = models.DateTimeField("处理进程最近心跳", null=True, blank=True)
    claimed_by = models.CharField("处理任务", max_length=64, blank=True)

    class Meta:
        abstract = True


def lease():
    return timedelta(seconds=settings.WORKER_LEASE_SECONDS)


def publish(task, row):
    """Send task(row.pk) once the transaction commits, and note when it was sent."""
    model, pk = type(row), row.pk
    send_after_commit(task, pk, sent=lambda: model.objects.filter(pk=pk).update(dispatched_at=timezone.now()))


def lost(queryset, *, queued, running, now):
    grace = timedelta(seconds=settings.OUTBOX_GRACE_SECONDS)  # the request's own publish goes first
    visibility = timedelta(seconds=settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"])
    return queryset.filter(
        Q(state=queued, dispatched_at__isnull=True, created_at__lt=now - grace)
        | Q(state=queued, dispatched_at__lt=now - visibility)
        | Q(state=running) & (Q(heartbeat_at__lt=now - lease()) | Q(heartbeat_at__isnull=True))
    )


def republish_lost(queryset, task, *, queued, running, now=None):
    """Publish every lost row again (back to queued, so the next round leaves it alone); how many."""
    now = now or timezone.now()
    pks = list(lost(queryset, queued=queued, running=running, now=now).values_list("pk", flat=True))
    for pk in pks:
        queryset.model.objects.filter(pk=pk).update(state=queued, dispatched_at=now, claimed_by="")
        task.delay(pk)
    if pks:
        log.warning("republished %s lost %s: %s", len(pks), queryset.model._meta.label, pks)
    return len(pks)


def claim(row, task_id, running, now=None):
    """Take the row (locked by the caller) for task_id, unless another task holds a live lease on it. A message
    redelivered after its worker died carries the same task id and takes the row back at once."""
    now = now or timezone.now()
    held = row.state == running and row.claimed_by not in ("", task_id)
    if held and row.heartbeat_at and row.heartbeat_at > now - lease():
        return False
    row.state, row.claimed_by, row.heartbeat_at = running, task_id or "", now
    return True


@contextmanager
def heartbeat(row, task_id, eager):
    """While the block runs, renew the lease from a thread every quarter lease (in-process tasks need none)."""
    if eager:
        yield
        return
    stop = threading.Event()
    rows = type(row).objects.filter(pk=row.pk, claimed_by=task_id)

    def beat():
        try:
            while not stop.wait(settings.WORKER_LEASE_SECONDS / 4):
                rows.update(heartbeat_at=timezone.now())
        except Exception:
            log.warning("heartbeat of %s stopped", row, exc_info=True)
        finally:
            connection.close()

    thread = threading.Thread(target=beat, name=f"heartbeat-{row.pk}", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join()
