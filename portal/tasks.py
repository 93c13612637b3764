import socket

from celery import shared_task
from django.utils import timezone


@shared_task(name="portal.health_check")
def health_check():
    """Answer from whichever worker runs it, so operators can see a worker is alive."""
    return {"worker": socket.gethostname(), "at": timezone.now().isoformat()}
