"""Redis as a cache that degrades to misses, not errors, while Redis is down."""

import functools
import logging
import time

from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

from config import internals

logger = logging.getLogger(__name__)
LOG_INTERVAL = 60  # seconds between outage messages, per process
RAISE_MANY = """
local number = tonumber(ARGV[1])
for _, key in ipairs(KEYS) do
  local held = tonumber(redis.call('GET', key))
  if held == nil or held < number then redis.call('SET', key, ARGV[1]) end
end
"""


def _degrades_to(fallback):
    """Wrap a RedisCache method so that an outage returns fallback() instead of raising."""

    def decorate(method):
        @functools.wraps(method)
        def wrapper(self, *args, **kwargs):
            try:
                return method(self, *args, **kwargs)
            except RedisError:
                self.outage()
                return fallback()

        return wrapper

    return decorate


def _nothing():
    return None


def _false():
    return False


class ResilientRedisCache(RedisCache):
    """Every read is a miss and every write a no-op while Redis cannot be reached.

    Wagtail, the page cache and the rate limits all use the cache; none of them may turn a
    Redis outage into an error page. The outage is logged once a minute, not per request.
    """

    last_logged = 0.0

    def __init__(self, server, params):
        super().__init__(server, params)
        internals.use_shared_clients(self)

    def validate_key(self, key):
        """Redis takes any key; Django's memcached warnings cost a check per character, and a
        page cache hit reads dozens of them."""

    @classmethod
    def outage(cls):
        now = time.monotonic()
        if now - cls.last_logged > LOG_INTERVAL:
            cls.last_logged = now
            logger.exception("Redis is unavailable; carrying on without the cache")

    def get(self, key, default=None, version=None):
        try:
            return super().get(key, default, version)
        except RedisError:
            self.outage()
            return default

    @_degrades_to(_nothing)
    def raise_many(self, keys, number):
        """Set each key to number, unless it already holds a greater one; atomic in Redis."""
        keys = [self.make_and_validate_key(key) for key in keys]
        internals.redis_client(self, write=True).eval(RAISE_MANY, len(keys), *keys, number)

    get_many = _degrades_to(dict)(RedisCache.get_many)
    has_key = _degrades_to(_false)(RedisCache.has_key)
    set = _degrades_to(_nothing)(RedisCache.set)
    add = _degrades_to(_false)(RedisCache.add)
    set_many = _degrades_to(list)(RedisCache.set_many)
    touch = _degrades_to(_false)(RedisCache.touch)
    delete = _degrades_to(_false)(RedisCache.delete)
    delete_many = _degrades_to(_nothing)(RedisCache.delete_many)
