"""Redis as a cache that degrades to misses, not errors, while Redis is down."""

import logging
import time

from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)
LOG_INTERVAL = 60  # seconds between outage messages, per process


class ResilientRedisCache(RedisCache):
    """Every read is a miss and every write a no-op while Redis cannot be reached.

    Wagtail, the page cache and the rate limits all use the cache; none of them may turn a
    Redis outage into an error page. The outage is logged once a minute, not per request.
    """

    last_logged = 0.0

    @classmethod
    def outage(cls, fallback=None):
        now = time.monotonic()
        if now - cls.last_logged > LOG_INTERVAL:
            cls.last_logged = now
            logger.exception("Redis is unavailable; carrying on without the cache")
        return fallback

    def get(self, key, default=None, version=None):
        try:
            return super().get(key, default, version)
        except RedisError:
            return self.outage(default)

    def get_many(self, keys, version=None):
        try:
            return super().get_many(keys, version)
        except RedisError:
            return self.outage({})

    def has_key(self, key, version=None):
        try:
            return super().has_key(key, version)
        except RedisError:
            return self.outage(False)

    def set(self, *args, **kwargs):
        try:
            return super().set(*args, **kwargs)
        except RedisError:
            return self.outage()

    def add(self, *args, **kwargs):
        try:
            return super().add(*args, **kwargs)
        except RedisError:
            return self.outage(False)

    def set_many(self, *args, **kwargs):
        try:
            return super().set_many(*args, **kwargs)
        except RedisError:
            return self.outage([])

    def touch(self, *args, **kwargs):
        try:
            return super().touch(*args, **kwargs)
        except RedisError:
            return self.outage(False)

    def delete(self, *args, **kwargs):
        try:
            return super().delete(*args, **kwargs)
        except RedisError:
            return self.outage(False)

    def delete_many(self, *args, **kwargs):
        try:
            return super().delete_many(*args, **kwargs)
        except RedisError:
            return self.outage()
