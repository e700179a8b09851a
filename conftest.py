"""Fixtures shared by every app's tests, the clock guard, and the PostgreSQL-only tests.

The portal lives in Hà Nội's time (UTC+7), so between 17:00 and 24:00 UTC the local day
is already tomorrow. A test that compares an aware datetime's ``.date()`` (the UTC day)
with a local day passes during the Vietnamese working day and fails in the evening, when
CI may well run. Two guards:

- tests marked ``any_hour`` (the demo, deadlines, codes, lookup, reports) run twice: at
  the real time and with the clock at 23:30 UTC of today, which is 06:30 tomorrow in
  Hà Nội, the hour at which a UTC day and a local day disagree;
- ``TEST_CLOCK=23:30`` (any ``HH:MM`` in UTC) runs the whole suite at that hour, to
  search for what is still wrong: ``TEST_CLOCK=23:30 make test``.

What is real only on PostgreSQL (row locks, simultaneous transactions, two app servers
sharing a database) is tested there: those tests are marked ``postgresql_only("why")``,
skipped on any other database, and the summary of such a run says how many did not run.
"""

import datetime
import os

import pytest
import time_machine
from django.core.cache import cache

# Shared fixtures (citizen, agency, official, procedure, submitted_dossier).
pytest_plugins = ["tests.fixtures"]

# The hour the ``any_hour`` tests are run at besides the real one: 06:30 in Hà Nội.
EVENING_UTC = datetime.time(23, 30)

POSTGRESQL_ONLY = "postgresql_only"


def pytest_report_header(config):
    """Say which database this pass runs on: CI runs the suite on SQLite and PostgreSQL."""
    from django.conf import settings

    db = settings.DATABASES["default"]
    header = [f"database: {db['ENGINE'].rsplit('.', 1)[-1]} ({db.get('HOST') or 'embedded'})"]
    if os.environ.get("TEST_CLOCK"):
        header.append(f"clock: every test at {os.environ['TEST_CLOCK']} UTC today")
    return header


def pytest_configure(config):
    config.addinivalue_line(
        "markers",
        "any_hour: date-sensitive; also run with the clock at 23:30 UTC (06:30 in Hà Nội)",
    )
    config.addinivalue_line(
        "markers",
        f"{POSTGRESQL_ONLY}(why): runs on PostgreSQL only (DATABASE_URL=postgres://…); "
        "skipped elsewhere, and counted in the summary",
    )


def pytest_collection_modifyitems(config, items):
    """Skip the ``postgresql_only`` tests when the suite runs on another database."""
    from django.db import connection

    if connection.vendor == "postgresql":
        return
    for item in items:
        marker = item.get_closest_marker(POSTGRESQL_ONLY)
        if marker is not None:
            item.add_marker(pytest.mark.skip(reason=f"PostgreSQL only: {marker.args[0]}"))


def pytest_terminal_summary(terminalreporter):
    """Say what a run on another database left out, so that a green SQLite run is not
    taken for a proof of the concurrency guarantees."""
    from django.db import connection

    skipped = [
        report
        for report in terminalreporter.stats.get("skipped", [])
        if POSTGRESQL_ONLY in getattr(report, "keywords", {})
    ]
    if not skipped:
        return
    tests = sorted({report.nodeid.split("[", 1)[0] for report in skipped})
    runs = f" ({len(skipped)} runs)" if len(skipped) != len(tests) else ""
    terminalreporter.write_sep("=", "PostgreSQL only", yellow=True)
    terminalreporter.write_line(
        f"On {connection.vendor}: {len(tests)} concurrency tests{runs} did not run; they run "
        "only on PostgreSQL (DATABASE_URL=postgres://… make test, as .ci/run's PostgreSQL "
        "pass does):",
        yellow=True,
        bold=True,
    )
    for test in tests:
        terminalreporter.write_line(f"  {test}")


def pytest_generate_tests(metafunc):
    """Give every ``any_hour`` test a second run on the evening clock."""
    if metafunc.definition.get_closest_marker("any_hour"):
        metafunc.parametrize("_clock", ["now", "23:30Z"], indirect=True)


def _utc_today_at(moment):
    today = datetime.datetime.now(datetime.UTC).date()
    return datetime.datetime.combine(today, moment, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def _clock(request):
    """The clock of an ``any_hour`` run: real, or 23:30 UTC of today, still ticking.
    Autouse, so that it is set before the test's other fixtures make their data (and
    so that ``pytest_generate_tests`` may parametrize it); other tests keep the real
    clock."""
    if getattr(request, "param", "now") == "now":
        yield
        return
    with time_machine.travel(_utc_today_at(EVENING_UTC), tick=True):
        yield


@pytest.fixture(autouse=True, scope="session")
def _test_clock():
    """``TEST_CLOCK=HH:MM``: the whole run with the clock at that UTC time of today."""
    value = os.environ.get("TEST_CLOCK")
    if not value:
        yield
        return
    moment = datetime.time.fromisoformat(value)
    with time_machine.travel(_utc_today_at(moment), tick=True):
        yield


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Rate-limit counters live in the cache: no test may inherit another's."""
    cache.clear()
    yield
    cache.clear()
