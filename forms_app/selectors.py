"""Reads of dossiers that need care: who may see what."""

import hmac

from .constants import DossierStatus
from .models import Dossier


def lookup_dossier(code, key):
    """The submitted dossier with this code and lookup key, or None.

    A wrong key and an unknown code give the same None, and the key is compared in
    constant time, so the public lookup tells nothing about which codes exist.
    """
    dossier = (
        Dossier.objects.exclude(status=DossierStatus.DRAFT)
        .select_related("procedure", "agency", "applicant")
        .filter(code=(code or "").strip().upper())
        .first()
    )
    expected = dossier.lookup_key if dossier and dossier.lookup_key else "-" * len(key or "x")
    matches = hmac.compare_digest(expected.encode(), (key or "").strip().upper().encode())
    return dossier if dossier is not None and matches else None


def masked_name(full_name):
    """ "Nguyễn Văn An" → "Nguyễn V** A*": enough to recognise one's own dossier, not
    enough to learn whose it is."""
    words = (full_name or "").split()
    if not words:
        return ""
    return " ".join([words[0], *(word[0] + "*" * (len(word) - 1) for word in words[1:])])
