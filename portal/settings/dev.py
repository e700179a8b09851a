"""Development: DEBUG on, e-mails printed to the ``make run`` console."""

import secrets

from .base import *  # noqa: F403
from .base import BASE_DIR
from .env import env_list, env_str

DEBUG = True
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"])


def _dev_secret_key():
    """A random key made once per checkout and kept in an ignored file.

    A key made afresh at every start would log everybody out, and void every activation
    link printed on the console, each time runserver reloads.
    """
    path = BASE_DIR / ".dev-secret-key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
    return path.read_text().strip()


SECRET_KEY = env_str("SECRET_KEY") or _dev_secret_key()
