"""Production: everything from the environment; refuses to start without the essentials.

Static files are served by whitenoise from ``collectstatic``'s hashed, compressed copies,
so a plain gunicorn behind the province's load balancer needs no separate file server.

Several app servers can run side by side (README.md, "Running at scale"): one database
with persistent connections, sessions and rate-limit counters in the shared cache
(``REDIS_URL``), uploaded files in S3-compatible storage (``AWS_STORAGE_BUCKET_NAME``,
``AWS_PRIVATE_STORAGE_BUCKET_NAME``), so that no server keeps on its own disk or in its
own memory anything that another one needs.
"""

import tempfile
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import (
    CACHES,
    DATABASES,
    EMAIL_BACKEND,
    MIDDLEWARE,
    REDIS_URL,
    STORAGES,
    tasks_setting,
)
from .env import env_bool, env_int, env_list, env_str, require

DEBUG = False
SECRET_KEY = require("SECRET_KEY")
ALLOWED_HOSTS = [host.strip() for host in require("ALLOWED_HOSTS").split(",") if host.strip()]
if not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS must name at least one host in production.")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

MIDDLEWARE = [
    MIDDLEWARE[0],  # SecurityMiddleware first, then whitenoise, as whitenoise asks
    "whitenoise.middleware.WhiteNoiseMiddleware",
    *MIDDLEWARE[1:],
]
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# Scale-out --------------------------------------------------------------------------------
# Database: connections kept open between requests (a new PostgreSQL connection costs a
# few milliseconds and a process on the server), checked before reuse so that a restarted
# database or a dropped idle connection costs one reconnect, not a 500.
DATABASES["default"]["CONN_MAX_AGE"] = env_int("CONN_MAX_AGE", 60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True

# Background tasks in the database, run by `manage.py db_worker` (one or more, on any
# server): the acknowledgement (its PDF and mail) no longer holds up "Gửi đi".
TASKS = tasks_setting(env_str("TASK_BACKEND", "database"))

# Without Redis, the default cache (failed-login and rate-limit counters, the version that
# every cached page and menu is keyed by) is a folder that all gunicorn workers of this
# server share. In each worker's own memory a password guesser would get a fresh count
# from each worker, and a page published through one worker would stay replaced only
# there. Several servers need REDIS_URL. The pages themselves stay in each worker's memory:
# they are keyed by that shared version, so none outlives a publish.
if not REDIS_URL:
    CACHES = {
        **CACHES,
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": env_str("CACHE_DIR", str(Path(tempfile.gettempdir()) / "portal-cache")),
        },
    }

# Sessions: read from the cache, written through to the database. Only with a cache that
# every server and worker shares (REDIS_URL): the folder cache above is one server's, and
# another server would go on trusting a session logged out here, for up to two weeks, so
# without Redis sessions are read from the database alone.
SESSION_ENGINE = (
    "django.contrib.sessions.backends.cached_db"
    if REDIS_URL
    else "django.contrib.sessions.backends.db"
)

# Uploaded files in S3-compatible storage (AWS S3 or any provider that speaks its API:
# AWS_S3_ENDPOINT_URL names the latter). Each bucket is optional: without it the files stay
# under MEDIA_ROOT / PRIVATE_MEDIA_ROOT, which then must be a folder every server shares.
AWS_S3_FILE_OVERWRITE = False  # two uploads of "to-khai.pdf" never replace each other


def s3_storage(bucket, **options):
    """django-storages' S3 backend for ``bucket``, configured from the environment.

    Credentials: ``AWS_ACCESS_KEY_ID`` / ``AWS_SECRET_ACCESS_KEY`` (and
    ``AWS_SESSION_TOKEN``), or, when unset, boto3's own chain (an instance role, a
    profile). Files read back are held in memory up to ``AWS_S3_MAX_MEMORY_SIZE`` bytes
    (2.5 MB) and in a temporary file beyond it, for that request only.
    """
    return {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": bucket,
            "endpoint_url": env_str("AWS_S3_ENDPOINT_URL"),
            "region_name": env_str("AWS_S3_REGION_NAME"),
            "addressing_style": env_str("AWS_S3_ADDRESSING_STYLE"),  # "path" for some providers
            "access_key": env_str("AWS_ACCESS_KEY_ID"),
            "secret_key": env_str("AWS_SECRET_ACCESS_KEY"),
            "security_token": env_str("AWS_SESSION_TOKEN"),
            "file_overwrite": AWS_S3_FILE_OVERWRITE,
            "max_memory_size": env_int("AWS_S3_MAX_MEMORY_SIZE", 2_621_440),
            **options,
        },
    }


# Public files (images and their renditions, the form templates citizens download): plain
# URLs, the same for everyone and cacheable, so the bucket (or the CDN in front of it,
# AWS_S3_CUSTOM_DOMAIN) must let anyone read. Objects get no ACL unless AWS_DEFAULT_ACL
# names one (for providers that have no bucket policies: "public-read").
PUBLIC_BUCKET = env_str("AWS_STORAGE_BUCKET_NAME")
if PUBLIC_BUCKET:
    STORAGES["default"] = s3_storage(
        PUBLIC_BUCKET,
        querystring_auth=False,
        custom_domain=env_str("AWS_S3_CUSTOM_DOMAIN"),
        default_acl=env_str("AWS_DEFAULT_ACL"),
    )

# Private files (citizens' attachments, results): a bucket nobody outside can read, which
# the portal never links to. Every download goes through the portal's views, which check
# who asks and stream the object (FileResponse over the S3 file) under its original name.
# Should anything ever ask the storage for a URL, it gets a signed one that expires after
# 60 seconds, never a permanent or unsigned one: no CDN domain, no ACL.
PRIVATE_BUCKET = env_str("AWS_PRIVATE_STORAGE_BUCKET_NAME")
if PRIVATE_BUCKET:
    if PRIVATE_BUCKET == PUBLIC_BUCKET:
        raise ImproperlyConfigured(
            "AWS_PRIVATE_STORAGE_BUCKET_NAME must name a bucket of its own, not the public "
            "AWS_STORAGE_BUCKET_NAME: citizens' files must never be publicly readable."
        )
    STORAGES["private"] = s3_storage(
        PRIVATE_BUCKET,
        querystring_auth=True,
        querystring_expire=60,
        custom_domain=None,
        default_acl=None,
    )

# HTTPS: the portal carries personal data and passwords.
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]  # the load balancer probes over plain HTTP
if env_bool("USE_X_FORWARDED_PROTO", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
# Activation and reset mails must leave the server: SMTP (localhost:25 unless EMAIL_URL or
# EMAIL_HOST says otherwise), never the console backend of development.
if EMAIL_BACKEND.endswith("console.EmailBackend"):
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"

SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
}
