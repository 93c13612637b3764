"""Point the portal's Celery app at another broker for one block (pools are reset on the way in and out)."""

from contextlib import contextmanager

from portal import celery_app


@contextmanager
def broker(url, eager=False):
    conf = celery_app.conf
    saved = conf.task_always_eager, conf.broker_url
    celery_app.close()
    conf.task_always_eager, conf.broker_url = eager, url
    try:
        yield
    finally:
        celery_app.close()
        conf.task_always_eager, conf.broker_url = saved
