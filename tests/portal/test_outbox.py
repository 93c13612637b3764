"""The outbox: the package to produce is written in the submission's own transaction, a beat task publishes what
no process published, and a worker killed mid-render is replaced once its lease runs out. Real processes are
killed with SIGKILL."""

import os
import signal
import subprocess
import sys
from datetime import timedelta

import pytest
from django.conf import settings
from django.core.files.storage import default_storage
from django.utils import timezone

from applications.models import Package
from applications.status import Status
from applications.tasks import requeue_packages
from review.models import ExportJob
from review.tasks import requeue_exports

from ..broker import broker
from .redis_process import RedisProcess
from .test_celery_worker import queued_package, state_of, wait_for
from .worker_process import BASE_DIR, start_worker, stop
from .worker_process import test_database_url as database_url

# Submits, and dies (SIGKILL) right after the first commit that makes the submission visible.
DIES_AFTER_COMMIT = """
import os, signal, django
django.setup()
from django.db.backends.base.base import BaseDatabaseWrapper
from applications.domain.submission import seal_and_submit
from applications.models import Application
from applications.status import Status
from portal.accounts.models import User

commit = BaseDatabaseWrapper.commit
def commit_then_die_once_submitted(self):
    commit(self)
    if Application.objects.filter(pk={pk}).exclude(status=Status.DRAFT).exists():
        os.kill(os.getpid(), signal.SIGKILL)
BaseDatabaseWrapper.commit = commit_then_die_once_submitted
seal_and_submit(Application.objects.get(pk={pk}), User.objects.get(username="jn_head"), "同意推荐。")
"""


@pytest.mark.django_db(transaction=True)
def test_a_process_killed_right_after_the_submission_commits_leaves_the_package_to_produce(application, people):
    environment = {
        **os.environ,
        "DATABASE_URL": database_url(),
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),
        "SIGNING_DIR": str(settings.SIGNING_DIR),
        "DJANGO_SETTINGS_MODULE": "portal.settings",
    }
    environment.pop("REDIS_URL", None)  # nothing would be published anyway: it dies first
    died = subprocess.run(
        [sys.executable, "-c", DIES_AFTER_COMMIT.format(pk=application.pk)],
        cwd=BASE_DIR,
        env=environment,
        capture_output=True,
        timeout=300,
    )
    assert died.returncode == -signal.SIGKILL, died.stderr.decode(errors="replace")
    application.refresh_from_db()
    assert application.status == Status.SUBMITTED
    package = Package.objects.get(application=application)  # written in the same transaction
    assert (package.state, package.dispatched_at) == (Package.State.QUEUED, None)  # never published
    assert requeue_packages() == 0  # the publish of a live request is given its grace period
    # the beat's next round (in-process here) publishes it, and it is produced
    assert requeue_packages(now=timezone.now() + timedelta(minutes=1)) == 1
    assert state_of(package.pk) == Package.State.READY


def killed_mid_work_then_replaced(publish, state, heartbeat, requeue, *, working, done, prelude=""):
    """A real worker claims the work and beats its lease; killed with SIGKILL, the work stays claimed until the
    lease runs out, then the beat's dispatcher (in-process here) publishes it again and a second worker ends it."""
    redis = RedisProcess().start()
    fast_heartbeat = {"REDIS_URL": redis.url(), "WORKER_LEASE_SECONDS": "2"}  # it beats every half second
    first = start_worker("celery", prelude=prelude, **fast_heartbeat)
    try:
        with broker(redis.url()):
            publish()
            assert wait_for(lambda: state() == working, 60), stop(first)
            claimed = heartbeat()
            assert wait_for(lambda: heartbeat() > claimed, 30), stop(first)
            assert requeue() == 0  # alive and beating: left alone
            os.kill(first.pid, signal.SIGKILL)
            first.wait(timeout=10)
            assert state() == working
            second = start_worker("celery", **fast_heartbeat)
            try:
                # two minutes on (WORKER_LEASE_SECONDS is 60 here) the lease has run out: published again
                assert requeue(now=timezone.now() + timedelta(minutes=2)) == 1
                assert wait_for(lambda: state() == done, 120, interval=0.2), stop(second)
            finally:
                stop(second)
    finally:
        stop(first)
        redis.kill()


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_mid_render_is_replaced_once_its_lease_runs_out(application, people):
    """Before: a package whose worker died stayed 生成中 for the broker's visibility timeout (15 minutes). Now it
    holds a lease while rendering; the beat's dispatcher republishes a package whose lease ran out."""
    from applications.tasks import render_package

    package = queued_package(application, people)
    killed_mid_work_then_replaced(
        lambda: render_package.delay(package.pk),
        lambda: state_of(package.pk),
        lambda: Package.objects.get(pk=package.pk).heartbeat_at,
        requeue_packages,
        working=Package.State.RENDERING,
        done=Package.State.READY,
    )
    package.refresh_from_db()
    assert package.sha256 and package.pages > 10


# Writes the export, then hangs before keeping the file (a stuck disk), beating all the while: the test kills it there.
HANGS_WHILE_STORING = """
import time
from review.domain import exports
exports._store = lambda name, write: time.sleep(600)
"""


def export_state(job_pk):
    return ExportJob.objects.filter(pk=job_pk).values_list("state", flat=True).first()


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_mid_export_is_replaced_once_its_lease_runs_out(application, people):
    """Before: an export whose worker died stayed 生成中 until the broker's visibility timeout (15 minutes), and the
    10-minute re-queue looked only at exports never started. Now it holds a lease like a package."""
    from review.tasks import run_export

    job = ExportJob.objects.create(call=application.call, kind=ExportJob.Kind.WORKBOOK, created_by=people["province"])
    killed_mid_work_then_replaced(
        lambda: run_export.delay(job.pk),
        lambda: export_state(job.pk),
        lambda: ExportJob.objects.get(pk=job.pk).heartbeat_at,
        requeue_exports,
        working=ExportJob.State.RUNNING,
        done=ExportJob.State.READY,
        prelude=HANGS_WHILE_STORING,
    )
    job.refresh_from_db()
    assert job.file and default_storage.exists(job.file.name)


def test_a_refused_submission_writes_no_package_and_keeps_its_audit_row(application, people):
    from applications.domain.submission import seal_and_submit
    from portal.audit.models import AuditAction, AuditEvent
    from portal.workflow import TransitionRefused

    submitted = seal_and_submit(application, people["head"], "同意推荐。", render=False)
    with pytest.raises(TransitionRefused):
        seal_and_submit(submitted, people["head"], "再次报送。")
    assert not Package.objects.filter(application=application).exists()
    assert AuditEvent.objects.filter(action=AuditAction.TRANSITION_REFUSED, object_id=str(application.pk)).exists()
