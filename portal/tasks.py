import logging
import socket

from celery import shared_task
from django.db import transaction
from django.utils import timezone

log = logging.getLogger(__name__)


@shared_task(name="portal.health_check", ignore_result=False)
def health_check():
    """Answer from whichever worker runs it, so operators can see a worker is alive."""
    return {"worker": socket.gethostname(), "at": timezone.now().isoformat()}


def prepare_publishing(app):
    """Load the broker transport and result backend and open this process's broker connection before the first
    request publishes: celery loads them lazily (≈ 35 ms of CPU), which the first submission in every web worker
    would otherwise pay. A broker that is down only leaves the connection to the first publish."""
    app.finalize(auto=True)
    app.backend  # noqa: B018 - the lazy attribute imports and builds the result backend
    try:
        with app.producer_or_acquire() as producer:
            producer.connection.ensure_connection(max_retries=0)
    except Exception:
        log.warning("broker unreachable while a web worker starts; the first publish connects", exc_info=True)


def send_after_commit(task, *args, sent=None):
    """Queue a task once the transaction commits. When the broker is unreachable the row it works on stays
    queued (a periodic task or the user's retry picks it up); saving the user's work never fails for it,
    nor waits: the publish is tried once, never retried inside the request."""

    def send():
        try:
            with task.app.producer_or_acquire() as producer:
                producer.connection.ensure_connection(max_retries=0)  # one attempt (kombu would retry for 4 s)
                task.apply_async(args, retry=False, producer=producer)
        except Exception:
            log.warning("could not queue %s%s; it stays queued", task.name, args, exc_info=True)
            return
        if sent is not None:
            sent()

    transaction.on_commit(send)
