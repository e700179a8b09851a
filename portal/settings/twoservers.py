"""Production settings for the two-app-server test (tests/integration/test_two_servers.py).

Everything a production server shares with the others is kept as production.py sets it
up from the environment: PostgreSQL (DATABASE_URL) with persistent connections, the cache
(REDIS_URL) and ``cached_db`` sessions, and S3-compatible storage when the test gives it
buckets. Only what needs HTTPS or a mail server is relaxed, so that two servers on
127.0.0.1 can be walked over plain HTTP.
"""

from django.core.exceptions import ImproperlyConfigured

from .base import STORAGES as BASE_STORAGES
from .env import env_str
from .production import *  # noqa: F403
from .production import CACHES, REDIS_URL, STORAGES

# Plain HTTP on 127.0.0.1: no redirect to HTTPS, cookies that a client sends over HTTP.
SECURE_SSL_REDIRECT = False
SECURE_HSTS_SECONDS = 0
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "http"

# E-mails stay in the process (the acknowledgement after "Gửi đi" is queued in the shared
# database for a db_worker, which this test does not run).
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"

# Static files from the apps' folders, without a collectstatic run for the test.
STORAGES = {**STORAGES, "staticfiles": BASE_STORAGES["staticfiles"]}
WHITENOISE_USE_FINDERS = True

# The shared cache: Redis (REDIS_URL, as in production) under a key prefix of this run's
# own, or, with TWOSERVERS_CACHE=database, Django's database cache in the shared database.
_PREFIX = env_str("TWOSERVERS_CACHE_PREFIX", "portal-twoservers")
if env_str("TWOSERVERS_CACHE") == "database":
    CACHES = {
        alias: {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": f"twoservers_cache_{alias}",
        }
        for alias in CACHES
    }
elif REDIS_URL:
    CACHES = {
        alias: {**config, "KEY_PREFIX": f"{_PREFIX}-{alias}"} for alias, config in CACHES.items()
    }
else:
    raise ImproperlyConfigured("Two servers need a shared cache: REDIS_URL or TWOSERVERS_CACHE.")
# Both caches above are shared by the servers, so sessions are cached as with Redis.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
