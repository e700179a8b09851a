"""A run on SQLite says what it did not test. The tests of what is real only on PostgreSQL
(row locks, simultaneous transactions, two app servers) are skipped there, and the
summary counts and names them, so that a green SQLite run is not taken for proof of the
concurrency guarantees (conftest.py, ``postgresql_only``)."""

import os
import subprocess
import sys

from django.conf import settings

PAYMENTS = (
    "payments/tests/test_concurrency.py::test_five_identical_ipns_at_once_settle_the_payment_once"
)
# An ``any_hour`` test: two runs of one test.
CODES = (
    "forms_app/tests/test_codes.py::"
    "test_twenty_simultaneous_allocations_give_twenty_contiguous_codes"
)


def run_pytest_on_sqlite(*tests):
    env = {name: value for name, value in os.environ.items() if name != "DATABASE_URL"}
    return subprocess.run(  # noqa: S603
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-rs", *tests],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def test_a_sqlite_run_counts_and_names_the_postgresql_only_tests_it_left_out():
    result = run_pytest_on_sqlite(PAYMENTS, CODES)

    output = result.stdout
    assert result.returncode == 0, output + result.stderr
    assert "3 skipped" in output
    assert (
        "On sqlite: 2 concurrency tests (3 runs) did not run; they run only on PostgreSQL"
        in output
    )
    assert f"\n  {CODES}\n  {PAYMENTS}\n" in output
    assert "PostgreSQL only: row locks are only real on PostgreSQL" in output  # -rs
