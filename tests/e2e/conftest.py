"""Browser tests: the system Chromium, driven by Playwright, against a live server.

Run them with ``.venv/bin/python -m pytest tests/e2e`` (``make test`` does not collect
them: pyproject's testpaths name the apps only). Nothing is downloaded: Playwright
drives Debian's ``/usr/bin/chromium`` (``E2E_CHROMIUM`` to point elsewhere), started
once per run with a fresh profile folder; each actor of a test gets its own incognito
context in it, so the citizen and the official never share cookies.
"""

import os
import tempfile
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in the test's thread; Django's ORM, called
# from the same thread by the factories and services, would refuse to run there.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

from tests.e2e.helpers import (
    CHROMIUM,
    CHROMIUM_ARGS,
    DEFAULT_TIMEOUT_MS,
    Screenshots,
)


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix):
    """On SQLite, a test database in a file rather than in memory.

    An in-memory test database is one connection that the live server's request
    threads share with the test's thread (the factories and services): a request the
    browser makes while the test writes would run inside the test's transaction. In a
    file, every thread has its own connection, and WAL with a busy timeout (the
    project's settings) makes writers wait, as in production.
    """
    from django.conf import settings

    database = settings.DATABASES["default"]
    if database["ENGINE"] == "django.db.backends.sqlite3":
        folder = Path(tempfile.mkdtemp(prefix="portal-e2e-db-"))
        database.setdefault("TEST", {})["NAME"] = str(folder / "e2e.sqlite3")


@pytest.fixture(scope="session")
def chromium(playwright, tmp_path_factory):
    """Debian's Chromium, headless, with a fresh profile folder for this run.

    Without the background-networking flags Chromium keeps trying to reach Google's
    services, and on a machine without a network it stalls.
    """
    if not Path(CHROMIUM).exists():
        pytest.fail(
            f"{CHROMIUM} not found: install Debian's chromium (apt-get install -y chromium) "
            "or point E2E_CHROMIUM at a Chromium binary. No browser is ever downloaded."
        )
    context = playwright.chromium.launch_persistent_context(
        str(tmp_path_factory.mktemp("chromium-profile")),
        executable_path=CHROMIUM,
        args=CHROMIUM_ARGS,
        headless=True,
    )
    yield context.browser
    context.close()


@pytest.fixture
def open_page(chromium, live_server):
    """``open_page()`` gives a new tab in a new incognito context (one per actor), on
    the live server, in Vietnamese; closed after the test, which then fails if any page
    asked for something from another host (a CDN, a font, an update check), or if
    anything a page loads by itself (a stylesheet, a script, an image, its icon) failed."""
    contexts = []
    elsewhere = []  # what the pages asked of any other host: nothing may be fetched
    missing = []  # what the pages loaded by themselves and did not get

    def _note_elsewhere(request):
        if not request.url.startswith((live_server.url, "data:", "blob:", "about:")):
            elsewhere.append(request.url)

    def _note_missing(response):
        # Pages a test opens may be 404s on purpose; what they load may not.
        if response.status >= 400 and response.request.resource_type != "document":
            missing.append(f"{response.status} {response.url}")

    def _open():
        context = chromium.new_context(
            base_url=live_server.url,
            locale="vi-VN",
            viewport={"width": 1280, "height": 900},
            accept_downloads=True,
        )
        context.set_default_timeout(DEFAULT_TIMEOUT_MS)
        context.on("request", _note_elsewhere)
        context.on("response", _note_missing)
        contexts.append(context)
        return context.new_page()

    yield _open
    for context in contexts:
        context.close()
    assert not elsewhere, f"the pages asked for something outside the live server: {elsewhere}"
    assert not missing, f"the pages loaded something that failed: {missing}"


@pytest.fixture
def shots(request):
    """``shots(page, "what")`` saves a full-page screenshot under
    ``tests/e2e/screenshots/<test>/NN-what.png``."""
    return Screenshots(request.node.name)


@pytest.fixture(autouse=True)
def _empty_caches():
    """Every cache the settings name (pages for anonymous visitors, rate limits…) starts
    empty: each test rebuilds the catalogue, so a page another test cached would carry
    the ids of pages that no longer exist."""
    from django.conf import settings
    from django.core.cache import caches

    for alias in settings.CACHES:
        caches[alias].clear()


@pytest.fixture
def sandbox_payments(settings):
    settings.PAYMENT_GATEWAY = "sandbox"
