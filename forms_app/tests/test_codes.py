"""Dossier codes: {agency}-{YYMMDD}-{NNNN}, contiguous per agency and day, also when many
citizens submit at the same moment (on PostgreSQL, where row locks are real)."""

import datetime
import threading

import pytest
from django.db import close_old_connections

from forms_app.submission.codes import LOOKUP_ALPHABET, allocate_dossier_code, new_lookup_key

# Deadlines and codes are counted in Hà Nội days: also run at 23:30 UTC (conftest.py).
pytestmark = pytest.mark.any_hour

DAY = datetime.date(2026, 11, 30)


@pytest.mark.django_db
def test_codes_count_from_0001_per_agency_and_day():
    assert allocate_dossier_code("STP", DAY) == "STP-261130-0001"
    assert allocate_dossier_code("STP", DAY) == "STP-261130-0002"
    assert allocate_dossier_code("SKHDT", DAY) == "SKHDT-261130-0001"
    assert allocate_dossier_code("STP", DAY + datetime.timedelta(days=1)) == "STP-261201-0001"
    assert allocate_dossier_code("STP", DAY) == "STP-261130-0003"


def test_lookup_keys_avoid_ambiguous_characters():
    keys = {new_lookup_key() for _ in range(200)}
    assert len(keys) == 200
    for key in keys:
        assert len(key) >= 8
        assert set(key) <= set(LOOKUP_ALPHABET)
        assert not set(key) & set("01OIL")


@pytest.mark.django_db(transaction=True)
@pytest.mark.postgresql_only("row locks are only real on PostgreSQL")
def test_twenty_simultaneous_allocations_give_twenty_contiguous_codes():
    codes, errors = [], []
    barrier = threading.Barrier(20)

    def submit():
        try:
            barrier.wait()
            codes.append(allocate_dossier_code("STP", DAY))
        except Exception as error:  # reported by the assertion below
            errors.append(error)
        finally:
            close_old_connections()

    threads = [threading.Thread(target=submit) for _ in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert sorted(codes) == [f"STP-261130-{n:04d}" for n in range(1, 21)]
