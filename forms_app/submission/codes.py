"""Dossier codes and lookup keys.

A dossier code is ``{agency code}-{YYMMDD}-{NNNN}``: the sequence counts from 0001 each
day for each agency, contiguous and unique however many citizens submit at once.
"""

import secrets

from django.db import transaction
from django.db.models import F

from ..models import DossierCodeCounter

# No 0/O, 1/I/L: a lookup key is read aloud at a counter and typed from paper.
LOOKUP_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
LOOKUP_KEY_LENGTH = 10


@transaction.atomic
def allocate_dossier_code(agency_code, day):
    """The next code of ``agency_code`` on ``day`` (a date in the portal's time zone).

    The counter row is created if missing without racing (INSERT … ON CONFLICT DO
    NOTHING), then incremented under its row lock (PostgreSQL) or the IMMEDIATE write
    transaction (SQLite), so two submissions never read the same number. Called inside
    the submission's transaction: a rolled-back submission gives its number back.
    """
    DossierCodeCounter.objects.bulk_create(
        [DossierCodeCounter(agency_code=agency_code, day=day)], ignore_conflicts=True
    )
    counter = DossierCodeCounter.objects.select_for_update().get(agency_code=agency_code, day=day)
    DossierCodeCounter.objects.filter(pk=counter.pk).update(last=F("last") + 1)
    counter.refresh_from_db(fields=["last"])
    return f"{agency_code}-{day:%y%m%d}-{counter.last:04d}"


def new_lookup_key():
    """A random key that, with the code, opens the public lookup (about 49 bits)."""
    return "".join(secrets.choice(LOOKUP_ALPHABET) for _ in range(LOOKUP_KEY_LENGTH))
