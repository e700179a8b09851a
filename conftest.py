"""Fixtures shared by every app's tests."""

import pytest
from django.core.cache import cache


def pytest_report_header(config):
    """Say which database this pass runs on: CI runs the suite on SQLite and PostgreSQL."""
    from django.conf import settings

    db = settings.DATABASES["default"]
    return f"database: {db['ENGINE'].rsplit('.', 1)[-1]} ({db.get('HOST') or 'embedded'})"


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Rate-limit counters live in the cache: no test may inherit another's."""
    cache.clear()
    yield
    cache.clear()
