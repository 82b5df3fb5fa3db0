"""Redis as a cache that degrades to misses, not errors, while Redis is down."""

import functools
import logging
import time

from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import RedisError

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


class SharedClientRedisCacheClient(RedisCacheClient):
    """Django's Redis client, keeping one redis.Redis per connection pool.

    Django builds a new redis.Redis for every cache call, which fills a table of ~170 response
    callbacks each time: several calls a page add up. A client is safe to share between threads
    (its connection pool hands each command a connection).
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class ResilientRedisCache(RedisCache):
    """Every read is a miss and every write a no-op while Redis cannot be reached.

    Wagtail, the page cache and the rate limits all use the cache; none of them may turn a
    Redis outage into an error page. The outage is logged once a minute, not per request.
    """

    last_logged = 0.0

    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = SharedClientRedisCacheClient

    def validate_key(self, key):
        """Redis takes any key; Django's memcached warnings cost a check per character.

        A cache hit reads some forty keys (pagecache/cache.py), where the checks were a sixth of
        its time.
        """

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
        client = self._cache.get_client(write=True)
        client.eval(RAISE_MANY, len(keys), *keys, number)

    get_many = _degrades_to(dict)(RedisCache.get_many)
    has_key = _degrades_to(_false)(RedisCache.has_key)
    set = _degrades_to(_nothing)(RedisCache.set)
    add = _degrades_to(_false)(RedisCache.add)
    set_many = _degrades_to(list)(RedisCache.set_many)
    touch = _degrades_to(_false)(RedisCache.touch)
    delete = _degrades_to(_false)(RedisCache.delete)
    delete_many = _degrades_to(_nothing)(RedisCache.delete_many)
