"""Point the portal's Celery app at another broker for one block (pools are reset on the way in and out)."""

from contextlib import contextmanager

from portal import celery_app


def _close_pools():
    celery_app.close()
    celery_app.amqp._producer_pool = None  # close() keeps the producers of the old broker


@contextmanager
def broker(url, eager=False):
    conf = celery_app.conf
    saved = conf.task_always_eager, conf.broker_url
    _close_pools()
    conf.task_always_eager, conf.broker_url = eager, url
    try:
        yield
    finally:
        _close_pools()
        conf.task_always_eager, conf.broker_url = saved
