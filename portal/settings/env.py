"""Reading configuration from the environment.

Kept apart from the settings modules so that base, dev, test and production read
variables the same way, and so that the small URL parsers here can be tested.
"""

import os
from urllib.parse import parse_qs, unquote, urlsplit

from django.core.exceptions import ImproperlyConfigured


def env_str(name, default=None):
    value = os.environ.get(name)
    return default if value in (None, "") else value


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value in (None, ""):
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name, default):
    value = os.environ.get(name)
    return default if value in (None, "") else int(value)


def env_list(name, default=()):
    value = os.environ.get(name)
    if value in (None, ""):
        return list(default)
    return [item.strip() for item in value.split(",") if item.strip()]


def require(name):
    """Return a variable that production cannot start without, or refuse to start."""
    value = env_str(name)
    if value is None:
        raise ImproperlyConfigured(f"The environment variable {name} must be set in production.")
    return value


_EMAIL_BACKENDS = {
    "smtp": "django.core.mail.backends.smtp.EmailBackend",
    "smtp+tls": "django.core.mail.backends.smtp.EmailBackend",
    "smtp+ssl": "django.core.mail.backends.smtp.EmailBackend",
    "submission": "django.core.mail.backends.smtp.EmailBackend",
    "console": "django.core.mail.backends.console.EmailBackend",
    "file": "django.core.mail.backends.filebased.EmailBackend",
    "locmem": "django.core.mail.backends.locmem.EmailBackend",
    "dummy": "django.core.mail.backends.dummy.EmailBackend",
}


def parse_email_url(url):
    """Turn ``EMAIL_URL`` (for example ``smtp+tls://user:pass@mail.example.vn:587``)
    into Django's ``EMAIL_*`` settings.

    One variable is easier to hand to a container than six; the scheme picks the backend
    and, for SMTP, the encryption (``smtp+tls`` = STARTTLS, ``smtp+ssl`` = implicit TLS).
    """
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme not in _EMAIL_BACKENDS:
        raise ImproperlyConfigured(f"EMAIL_URL has an unknown scheme: {scheme!r}")
    config = {"EMAIL_BACKEND": _EMAIL_BACKENDS[scheme]}
    if scheme == "file":
        config["EMAIL_FILE_PATH"] = unquote(parts.path)
        return config
    if scheme.startswith("smtp") or scheme == "submission":
        config.update(
            EMAIL_HOST=parts.hostname or "localhost",
            EMAIL_PORT=parts.port or {"smtp+ssl": 465, "submission": 587}.get(scheme, 25),
            EMAIL_HOST_USER=unquote(parts.username or ""),
            EMAIL_HOST_PASSWORD=unquote(parts.password or ""),
            EMAIL_USE_TLS=scheme in {"smtp+tls", "submission"},
            EMAIL_USE_SSL=scheme == "smtp+ssl",
        )
        timeout = parse_qs(parts.query).get("timeout")
        if timeout:
            config["EMAIL_TIMEOUT"] = int(timeout[0])
    return config
