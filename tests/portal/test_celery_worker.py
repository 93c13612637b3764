"""Real Celery worker processes, fed through Redis."""

import os
import signal
import time

import pytest

from applications.models import Package

from ..broker import broker
from ..factories import drive
from .worker_process import client, new_queue, pool_children, start_worker, stop


@pytest.mark.worker
def test_worker_process_completes_a_task_sent_through_redis():
    queue = new_queue()
    worker = start_worker(queue)
    celery = client()
    try:
        answer = celery.send_task("portal.health_check", queue=queue).get(timeout=60)
    finally:
        output = stop(worker)
        celery.close()
    assert answer["worker"], output
    assert answer["at"].startswith("20"), output


def wait_for(predicate, timeout, interval=0.02):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(interval)
    return False


def state_of(package_pk):
    return Package.objects.filter(pk=package_pk).values_list("state", flat=True).first()


def queued_package(application, people):
    """Submit while no broker listens: submission succeeds and the package waits, queued."""
    with broker("memory://"):
        drive(application, ("submit", people["head"]))
    package = Package.objects.get(application=application)
    assert package.state == Package.State.QUEUED
    return package


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_render_survives_its_worker_process_being_killed_mid_task(application, people):
    """acks_late + reject_on_worker_lost: a pool process killed while rendering leaves the message with
    the broker, and the next pool process renders the package."""
    package = queued_package(application, people)
    queue = new_queue()
    worker = start_worker(queue, pool="prefork")
    celery = client()
    try:
        celery.send_task("applications.render_package", args=[package.pk], queue=queue)
        assert wait_for(lambda: state_of(package.pk) == Package.State.RENDERING, 60), stop(worker)
        children = pool_children(worker)
        assert children, stop(worker)
        for pid in children:
            os.kill(pid, signal.SIGKILL)
        assert state_of(package.pk) == Package.State.RENDERING  # killed before it could finish
        assert wait_for(lambda: state_of(package.pk) == Package.State.READY, 90, interval=0.2), stop(worker)
    finally:
        stop(worker)
        celery.close()
    package.refresh_from_db()
    assert package.sha256 and package.pages > 10


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_render_survives_the_whole_worker_being_killed(application, people):
    """A worker killed outright never acknowledged the message: after the visibility timeout the broker
    hands it to the next worker."""
    package = queued_package(application, people)
    queue = new_queue()
    fast = {"CELERY_VISIBILITY_TIMEOUT": "3", "CELERY_RESTORE_INTERVAL": "1"}
    first = start_worker(queue, **fast)
    celery = client()
    try:
        celery.send_task("applications.render_package", args=[package.pk], queue=queue)
        assert wait_for(lambda: state_of(package.pk) == Package.State.RENDERING, 60), stop(first)
        os.kill(first.pid, signal.SIGKILL)
        first.wait(timeout=10)
        second = start_worker(queue, **fast)
        try:
            assert wait_for(lambda: state_of(package.pk) == Package.State.READY, 90, interval=0.2), stop(second)
        finally:
            stop(second)
    finally:
        stop(first)
        celery.close()
