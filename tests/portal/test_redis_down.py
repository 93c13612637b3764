"""Redis down (a real redis-server of the test's own, killed): logging in, /verify and filing keep working,
the publish is tried once and never retried inside the request, and the queued work is done when Redis is back."""

import pytest
from django.core.cache import caches
from django.urls import reverse
from django.utils import timezone

from applications.models import Package
from portal import celery_app
from portal.tasks import prepare_publishing

from ..broker import broker
from ..confirming import confirmed
from ..factories import PASSWORD
from .redis_process import RedisProcess, Refuser
from .test_celery_worker import state_of, wait_for
from .worker_process import start_worker, stop


@pytest.fixture
def redis_server(settings):
    server = RedisProcess().start()
    settings.CACHES = {
        "default": {
            "BACKEND": "portal.cache.RedisOrLocalCache",
            "LOCATION": server.url(),
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 2},
        }
    }
    yield server
    server.kill()
    caches["default"].close()


def log_in(client, username):
    return client.post(reverse("login"), {"username": username, "password": PASSWORD}, REMOTE_ADDR="10.9.8.7")


def submit(client, application):
    data = confirmed({"opinion": "同意推荐。", "apply_seal": "on"})
    return client.post(reverse("applications:submit", args=[application.pk]), data, follow=True)


@pytest.mark.django_db(transaction=True)
def test_login_verify_and_filing_work_while_redis_is_down(client, people, application, redis_server):
    with broker(redis_server.url()):
        assert log_in(client, "jn_head").status_code == 302  # Redis up: counted in Redis
        client.post(reverse("logout"))
        redis_server.kill()
        assert log_in(client, "jn_head").status_code == 302
        assert client.get(reverse("verify"), {"code": "NOPE"}).status_code == 200
        answer = submit(client, application)
    assert "已盖章并报送设区市" in answer.content.decode()
    package = Package.objects.get(application=application)
    assert (package.state, package.dispatched_at) == (Package.State.QUEUED, None)


@pytest.mark.django_db(transaction=True)
def test_a_submission_tries_the_broker_once_not_twenty_times(client, people, application, redis_server):
    """Measured before: each submission waited about 19 s while Celery retried the broker and result store."""
    client.force_login(people["head"])
    with broker(redis_server.url()):
        redis_server.kill()
        refuser = Refuser(redis_server.port)
        try:
            answer = submit(client, application)
        finally:
            refuser.close()
    assert "已盖章并报送设区市" in answer.content.decode()
    assert refuser.attempts == 1


def test_a_web_worker_starts_connected_to_the_broker_so_its_first_submission_does_not_connect(redis_server):
    with broker(redis_server.url()):
        prepare_publishing(celery_app)
        with celery_app.producer_or_acquire() as producer:
            assert producer.connection.connected


def test_a_web_worker_starts_while_redis_is_down_trying_the_broker_once(redis_server):
    with broker(redis_server.url()):
        redis_server.kill()
        refuser = Refuser(redis_server.port)
        try:
            prepare_publishing(celery_app)
        finally:
            refuser.close()
    assert refuser.attempts == 1


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_work_queued_while_redis_was_down_is_done_when_it_is_back(client, people, application, redis_server):
    client.force_login(people["head"])
    with broker(redis_server.url()):
        redis_server.kill()
        submit(client, application)
        package = Package.objects.get(application=application)
        redis_server.start()  # back, empty (it kept nothing)
        worker = start_worker("celery", REDIS_URL=redis_server.url())
        try:
            from applications.tasks import requeue_packages

            assert requeue_packages(now=timezone.now() + timezone.timedelta(minutes=1)) == 1  # the beat's round
            assert wait_for(lambda: state_of(package.pk) == Package.State.READY, 120, interval=0.2), stop(worker)
        finally:
            stop(worker)
