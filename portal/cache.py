"""The cache the rate limits count in: Redis, shared by every web process, or — while Redis cannot be
reached — this process's own memory, so that logging in never fails because Redis is down.

Degrading this way is deliberate: while Redis is down each web process counts on its own (with N processes an
address gets at most N times its limit), and the account lockout is unaffected (django-axes counts in the
database). Redis is tried again every RETRY_SECONDS, and counting returns to it as soon as it answers.
"""

import logging
import time

from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

log = logging.getLogger(__name__)

RETRY_SECONDS = 5
UNREACHABLE = (RedisConnectionError, RedisTimeoutError, OSError)


class RedisOrLocalCache(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self.local = LocMemCache(f"fallback-{server}", {"TIMEOUT": params.get("TIMEOUT", 300)})
        self.redis_down_until = 0.0

    def _either(self, name, *args, **kwargs):
        if time.monotonic() >= self.redis_down_until:
            try:
                return getattr(super(), name)(*args, **kwargs)
            except UNREACHABLE:
                log.warning("Redis cache unreachable; counting in this process for %s s", RETRY_SECONDS)
                self.redis_down_until = time.monotonic() + RETRY_SECONDS
        return getattr(self.local, name)(*args, **kwargs)


def _falls_back(name):
    def method(self, *args, **kwargs):
        return self._either(name, *args, **kwargs)

    method.__name__ = name
    return method


for _name in (
    "add",
    "get",
    "set",
    "touch",
    "delete",
    "get_many",
    "has_key",
    "incr",
    "set_many",
    "delete_many",
    "clear",
):
    setattr(RedisOrLocalCache, _name, _falls_back(_name))
